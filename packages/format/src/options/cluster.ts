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
  seed?: number;
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
  const { columns, k, kMin, kMax, frameSize, gate, maxAge, seed } = checkOptionsObject(opts, name());
  if (k !== undefined && (kMin !== undefined || kMax !== undefined)) throw new ArgumentError(`${name('k')}: give either k or kMin/kMax, not both`);
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
    seed: checkOptional(seed, name('seed'), (v, where) => checkInteger(v, where, 0)),
  });
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
