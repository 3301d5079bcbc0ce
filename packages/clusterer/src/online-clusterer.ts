import { checkAlgorithm, type AlgorithmName, type ClusterAlgorithm } from './algorithm.js';
import { Assembly, type AssemblyOptions } from './assembly.js';
import { Frame } from './frame.js';
import { GaussianMixture } from './gaussian-mixture.js';
import { MeanShift } from './mean-shift.js';
import { toFlatPoints, toRows, type FlatPoints, type PointsInput } from './points.js';
import { checkSpace, intoSpace, type Space } from './space.js';

export interface OnlineClustererOptions {
  /** 'kmeans' (default): k fixed or chosen in a range; 'meanshift': k found from the data's modes, with noise. */
  algorithm?: AlgorithmName;
  /** 'euclidean' (default) or 'cosine': points clustered by direction, whatever their length. */
  space?: Space;
  /** kmeans: fixed number of clusters. Give either `k` or a range `kMin..kMax` (default 1..10). */
  k?: number;
  kMin?: number;
  kMax?: number;
  /** meanshift: window radius, in the units of the points (of the unit vectors in cosine space). Default: estimated from the frame. */
  bandwidth?: number;
  /** meanshift: fewest points within the bandwidth of a mode for it to be a cluster (default 5 % of the strongest mode's). */
  minClusterSize?: number;
  /** Points kept in the frame the clusters are fitted to (default 10 000). */
  frameSize?: number;
  /** Seed of every random choice (default 1): same seed, same pushes, same results. */
  seed?: number;
  /** Cap on iterations per refit: Lloyd's for kmeans (default 50), window moves per seed for meanshift (default 300). */
  maxIterations?: number;
  /** Column names, one per coordinate (default x0, x1, ...). */
  columns?: string[];
  /** How stable ids are kept (default: optimal transport with an adaptive gate). */
  assembly?: AssemblyOptions;
}

/** The clusters in id order, as the server shows them. */
export interface ClusterSnapshot {
  centers: number[][];
  /** Points of the frame in each cluster; noise is in no cluster's count. */
  counts: number[];
  ids: number[];
  columns: string[];
  /** Points of the frame labelled noise (-1): far from every cluster by that cluster's own spread. */
  noise: number;
}

export interface PushResult extends ClusterSnapshot {
  /** Stable id of each pushed point (-1: noise). */
  labels: number[];
  appeared: number[];
  disappeared: number[];
}

/**
 * Online clustering over a frame of recent points with stable cluster ids.
 * Each push refits the chosen algorithm to the frame, and an `Assembly` keeps
 * each cluster's id across refits, whichever the algorithm.
 */
export class OnlineClusterer {
  readonly algorithm: AlgorithmName;
  readonly space: Space;
  private readonly frame: Frame;
  private readonly fitter: ClusterAlgorithm;
  private readonly assembly: Assembly;
  private columnNames: string[] | undefined;
  private centers: Float64Array = new Float64Array(0);
  private k = 0;
  private centerIds: number[] = [];
  private centerCounts: number[] = [];

  constructor(options: OnlineClustererOptions = {}) {
    const { algorithm = 'kmeans', space = 'euclidean', frameSize = 10_000, seed = 1, columns, assembly } = options;
    this.algorithm = checkAlgorithm(algorithm);
    this.space = checkSpace(space);
    if (!Number.isInteger(frameSize) || frameSize < 1) throw new RangeError('frameSize: expected a positive integer');
    if (!Number.isFinite(seed)) throw new RangeError('seed: expected a number');
    this.fitter = this.algorithm === 'kmeans' ? kMeansOf(options, seed) : meanShiftOf(options);
    this.frame = new Frame(frameSize);
    this.assembly = new Assembly(assembly);
    if (columns !== undefined) this.columnNames = checkColumns(columns, columns.length);
  }

  /** meanshift: the bandwidth of the last fit, given or estimated (undefined for kmeans and before the first push). */
  get bandwidth(): number | undefined {
    return this.fitter instanceof MeanShift ? this.fitter.bandwidth : undefined;
  }

  /** The current clusters (empty before the first push). */
  get clusters(): ClusterSnapshot {
    const { k, centerIds, centerCounts } = this;
    const d = Math.max(this.frame.dimension, 0);
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => centerIds[a] - centerIds[b]);
    const rows = toRows(this.centers, k, d);
    return {
      centers: order.map((c) => rows[c]),
      counts: order.map((c) => centerCounts[c]),
      ids: order.map((c) => centerIds[c]),
      columns: this.columnNames ?? defaultColumns(d),
      noise: this.frame.view().n - centerCounts.reduce((sum, m) => sum + m, 0),
    };
  }

  /**
   * Adds points to the frame, refits, and returns the clusters and the pushed points' stable ids. `timeMs`, when
   * the push happened (any clock, ms), lets a cluster that vanished keep its id for the assembly's maxAgeMs.
   */
  pushPredict(points: PointsInput, columns?: string[], timeMs?: number): PushResult {
    const d = this.frame.dimension;
    const flat = this.pointsOf(points, d);
    if (columns !== undefined) this.columnNames = checkColumns(columns, d >= 0 ? d : flat.d);
    if (timeMs !== undefined && !Number.isFinite(timeMs)) throw new RangeError('timeMs: expected a finite time in ms');
    if (flat.n === 0) return { ...this.clusters, labels: [], appeared: [], disappeared: [] };
    if (this.columnNames !== undefined) checkColumns(this.columnNames, flat.d);
    const written = this.frame.push(flat);
    const fit = this.fitter.refit(this.frame.view(), { ...written, capacity: this.frame.capacity });
    this.centers = fit.centers;
    this.k = fit.k;
    this.centerCounts = Array.from(fit.counts);
    const { ids, appeared, disappeared } = this.assembly.coalesce({ data: fit.centers, shape: [fit.k, flat.d] }, this.centerCounts, { timeMs, spreads: fit.spreads });
    this.centerIds = ids;
    return { ...this.clusters, labels: this.labelsOf(flat), appeared, disappeared };
  }

  /** Stable ids of the clusters the points belong to, without changing any state (-1 before the first push, and for noise). */
  predict(points: PointsInput): number[] {
    const d = this.frame.dimension;
    return this.labelsOf(this.pointsOf(points, d));
  }

  /** The points checked and copied, in this clusterer's space. */
  private pointsOf(points: PointsInput, d: number): FlatPoints {
    return intoSpace(toFlatPoints(points, 'points', d >= 0 ? d : undefined), this.space, 'points');
  }

  private labelsOf(flat: FlatPoints): number[] {
    if (this.k === 0) return new Array<number>(flat.n).fill(-1);
    return Array.from(this.fitter.assign(flat), (c) => (c < 0 ? -1 : this.centerIds[c]));
  }
}

function kMeansOf(options: OnlineClustererOptions, seed: number): GaussianMixture {
  const { k, maxIterations = 50 } = options;
  for (const name of ['bandwidth', 'minClusterSize'] as const) {
    if (options[name] !== undefined) throw new RangeError(`${name}: only for algorithm 'meanshift'`);
  }
  if (k !== undefined && (options.kMin !== undefined || options.kMax !== undefined)) throw new RangeError('k: give either k or kMin..kMax, not both');
  const kMin = k ?? options.kMin ?? 1;
  const kMax = k ?? options.kMax ?? Math.max(kMin, 10);
  if (!Number.isInteger(kMin) || kMin < 1) throw new RangeError(`${k !== undefined ? 'k' : 'kMin'}: expected a positive integer`);
  if (!Number.isInteger(kMax) || kMax < kMin) throw new RangeError('kMax: expected an integer ≥ kMin');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError('maxIterations: expected a positive integer');
  return new GaussianMixture({ kMin, kMax, seed, maxIterations, onSphere: options.space === 'cosine' });
}

function meanShiftOf(options: OnlineClustererOptions): MeanShift {
  const { bandwidth, minClusterSize, maxIterations = 300 } = options;
  for (const name of ['k', 'kMin', 'kMax'] as const) {
    if (options[name] !== undefined) throw new RangeError(`${name}: meanshift finds the number of clusters itself; give bandwidth (or nothing) instead`);
  }
  if (bandwidth !== undefined && !(Number.isFinite(bandwidth) && bandwidth > 0)) throw new RangeError('bandwidth: expected a positive number');
  if (minClusterSize !== undefined && !(Number.isInteger(minClusterSize) && minClusterSize >= 1)) throw new RangeError('minClusterSize: expected a positive integer');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError('maxIterations: expected a positive integer');
  return new MeanShift({ bandwidth, minClusterSize, maxIterations, onSphere: options.space === 'cosine' });
}

function checkColumns(columns: string[], d: number): string[] {
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new TypeError('columns: expected an array of strings');
  if (columns.length !== d) throw new RangeError(`columns: expected ${d} names, got ${columns.length}`);
  return [...columns];
}

function defaultColumns(d: number): string[] {
  return Array.from({ length: d }, (_, j) => `x${j}`);
}
