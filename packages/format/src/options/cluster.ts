import { ArgumentError } from '../argument-error.js';
import { checkInteger, checkOptional, checkOptionsObject, checkPositive, checkRecordName, describe } from '../checks.js';
import { defined, type FieldNamer } from './field.js';

/** Options of a `cluster` record: how the server clusters the plot's points online. */
export interface ClusterOptions {
  /** Names of the points' coordinates, one per dimension. */
  columns: string[];
  k?: number;
  kMin?: number;
  kMax?: number;
  frameSize?: number;
  gate?: number;
  maxAge?: number;
  /** Milliseconds of the records' time a vanished cluster keeps its id, whatever the pushes (default 10 minutes). */
  maxAgeMs?: number;
  seed?: number;
  /** How clusters are found: 'kmeans' (default; k or a k range) or 'meanshift' (no k: modes of the density). */
  algorithm?: 'kmeans' | 'meanshift';
  /** Distance: 'euclidean' (default) or 'cosine' (vectors by direction). */
  space?: 'euclidean' | 'cosine';
  /** meanshift: the window radius (default: estimated from the points). */
  bandwidth?: number;
  /** meanshift: fewest points within the bandwidth of a mode for it to be a cluster. */
  minClusterSize?: number;
}

/** Columns every cluster row has besides the center's coordinates; data columns may not take these names. */
export const CLUSTER_ROW_COLUMNS: readonly string[] = ['id', 'count'];

/**
 * Bounds on what a record may ask of the server: the frame is allocated up front, and the
 * first fit tries every k of the range, so unbounded values would let one record exhaust
 * the server's memory or time.
 */
export const MAX_FRAME_SIZE = 1_000_000;
export const MAX_K = 100;

export function parseClusterOptions(opts: unknown, name: FieldNamer): ClusterOptions {
  const { columns, k, kMin, kMax, frameSize, gate, maxAge, maxAgeMs, seed, algorithm, space, bandwidth, minClusterSize } = checkOptionsObject(opts, name());
  if (k !== undefined && (kMin !== undefined || kMax !== undefined)) throw new ArgumentError(`${name('k')}: give either k or kMin/kMax, not both`);
  const checkedAlgorithm = checkOptional(algorithm, name('algorithm'), (v, where) => oneOf(v, ['kmeans', 'meanshift'] as const, where));
  // Each algorithm's own options only: a k given to mean shift (or a bandwidth to k-means) would be ignored in silence.
  const meanShift = checkedAlgorithm === 'meanshift';
  const foreign = meanShift ? { k, kMin, kMax } : { bandwidth, minClusterSize };
  for (const [field, value] of Object.entries(foreign)) {
    if (value !== undefined) throw new ArgumentError(`${name(field)}: not an option of ${meanShift ? 'meanshift (it finds the number of clusters itself)' : "kmeans (give algorithm: 'meanshift')"}`);
  }
  const clusters = (value: unknown, field: string, min: number) => checkOptional(value, name(field), (v, where) => atMost(checkInteger(v, where, min), MAX_K, where));
  const checkedMin = clusters(kMin, 'kMin', 1);
  return defined({
    columns: checkColumns(columns, name),
    k: clusters(k, 'k', 1),
    kMin: checkedMin,
    kMax: clusters(kMax, 'kMax', Math.max(1, checkedMin ?? 1)),
    frameSize: checkOptional(frameSize, name('frameSize'), (v, where) => atMost(checkInteger(v, where, 1), MAX_FRAME_SIZE, where)),
    gate: checkOptional(gate, name('gate'), checkPositive),
    maxAge: checkOptional(maxAge, name('maxAge'), (v, where) => checkInteger(v, where, 0)),
    maxAgeMs: checkOptional(maxAgeMs, name('maxAgeMs'), (v, where) => checkInteger(v, where, 0)),
    seed: checkOptional(seed, name('seed'), (v, where) => checkInteger(v, where, 0)),
    algorithm: checkedAlgorithm,
    space: checkOptional(space, name('space'), (v, where) => oneOf(v, ['euclidean', 'cosine'] as const, where)),
    bandwidth: checkOptional(bandwidth, name('bandwidth'), checkPositive),
    minClusterSize: checkOptional(minClusterSize, name('minClusterSize'), (v, where) => checkInteger(v, where, 1)),
  });
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (!allowed.includes(value as T)) throw new ArgumentError(`${where}: expected ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${describe(value)}`);
  return value as T;
}

function checkColumns(columns: unknown, name: FieldNamer): string[] {
  const where = name('columns');
  if (!Array.isArray(columns) || columns.length === 0) throw new ArgumentError(`${where}: expected a non-empty list of column names, got ${describe(columns)}`);
  columns.forEach((column, i) => checkRecordName(column, name(`columns[${i}]`)));
  if (new Set(columns).size !== columns.length) throw new ArgumentError(`${where}: expected distinct column names, got ${describe(columns)}`);
  const reserved = columns.find((c) => CLUSTER_ROW_COLUMNS.includes(c));
  if (reserved !== undefined) throw new ArgumentError(`${where}: '${reserved}' is reserved (the bubble rows carry ${CLUSTER_ROW_COLUMNS.join(' and ')})`);
  return [...columns];
}

function atMost(value: number, max: number, where: string): number {
  if (value > max) throw new ArgumentError(`${where}: at most ${max}, got ${value}`);
  return value;
}
