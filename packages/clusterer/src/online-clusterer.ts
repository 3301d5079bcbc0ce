import { Assembly, type AssemblyOptions } from './assembly.js';
import { sphericalBic } from './bic.js';
import { Frame } from './frame.js';
import { FrameSample } from './frame-sample.js';
import { lloyd, type Bounds, type Partition } from './lloyd.js';
import { assignNearest, squaredDistance } from './nearest.js';
import { toFlatPoints, toRows, type FlatPoints, type PointsInput } from './points.js';
import { SeededRandom } from './random.js';
import { sampleByD2, seedCenters } from './seeding.js';

export interface OnlineClustererOptions {
  /** Fixed number of clusters. Give either `k` or a range `kMin..kMax`. */
  k?: number;
  kMin?: number;
  kMax?: number;
  /** Points kept in the frame the clusters are fitted to (default 10 000). */
  frameSize?: number;
  /** Seed of every random choice (default 1): same seed, same pushes, same results. */
  seed?: number;
  /** Cap on Lloyd iterations per refit (default 50). */
  maxIterations?: number;
  /** Column names, one per coordinate (default x0, x1, ...). */
  columns?: string[];
  /** How stable ids are kept (default: optimal transport with an adaptive gate). */
  assembly?: AssemblyOptions;
}

/** The clusters in id order, as the server shows them. */
export interface ClusterSnapshot {
  centers: number[][];
  counts: number[];
  ids: number[];
  columns: string[];
}

export interface PushResult extends ClusterSnapshot {
  /** Stable id of each pushed point. */
  labels: number[];
  appeared: number[];
  disappeared: number[];
}

/** Candidates drawn per added center; the one that lowers the k-means potential most wins (greedy k-means++). */
const GROW_TRIALS = 3;

/**
 * Lloyd iterations for a candidate of one center more or less: enough to judge
 * it by BIC; a winner becomes the warm start of the next push and converges there.
 */
const MOVE_ITERATIONS = 8;

/**
 * Points of the frame on which candidate k are judged. Each candidate costs a
 * few Lloyd passes; on a sample of this size it costs a fraction of the refit
 * of a full frame, and the BIC estimated from it still tells a real cluster
 * from noise (a cluster of 1% of the frame has ~20 points in it).
 */
const CANDIDATE_SAMPLE = 2048;

/**
 * Online k-means over a frame of recent points with stable cluster ids.
 * Each push refits from the previous centers; with a k range the number of
 * clusters follows the data (BIC hill-climbing by one center at a time, on a
 * sample of the frame), and an `Assembly` keeps each cluster's id across refits.
 */
export class OnlineClusterer {
  readonly kMin: number;
  readonly kMax: number;
  private readonly frame: Frame;
  private readonly rng: SeededRandom;
  private readonly maxIterations: number;
  private readonly assembly: Assembly;
  private readonly sample: FrameSample;
  private columnNames: string[] | undefined;
  private centers: Float64Array = new Float64Array(0);
  private k = 0;
  private centerIds: number[] = [];
  private centerCounts: number[] = [];
  /** Labels and Hamerly bounds of the last fit over the frame, for `centers`: the next refit starts from them. */
  private lastFit: { labels: Int32Array; bounds: Bounds } | undefined;

  constructor(options: OnlineClustererOptions = {}) {
    const { k, frameSize = 10_000, seed = 1, maxIterations = 50, columns, assembly } = options;
    if (k !== undefined && (options.kMin !== undefined || options.kMax !== undefined)) throw new RangeError('k: give either k or kMin..kMax, not both');
    const kMin = k ?? options.kMin ?? 1;
    const kMax = k ?? options.kMax ?? Math.max(kMin, 10);
    if (!Number.isInteger(kMin) || kMin < 1) throw new RangeError(`${k !== undefined ? 'k' : 'kMin'}: expected a positive integer`);
    if (!Number.isInteger(kMax) || kMax < kMin) throw new RangeError('kMax: expected an integer ≥ kMin');
    if (!Number.isInteger(frameSize) || frameSize < 1) throw new RangeError('frameSize: expected a positive integer');
    if (!Number.isFinite(seed)) throw new RangeError('seed: expected a number');
    if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError('maxIterations: expected a positive integer');
    this.kMin = kMin;
    this.kMax = kMax;
    this.frame = new Frame(frameSize);
    this.rng = new SeededRandom(seed);
    this.maxIterations = maxIterations;
    this.assembly = new Assembly(assembly);
    this.sample = new FrameSample(CANDIDATE_SAMPLE, seed);
    if (columns !== undefined) this.columnNames = checkColumns(columns, columns.length);
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
    };
  }

  /** Adds points to the frame, refits, and returns the clusters and the pushed points' stable ids. */
  pushPredict(points: PointsInput, columns?: string[]): PushResult {
    const d = this.frame.dimension;
    const flat = toFlatPoints(points, 'points', d >= 0 ? d : undefined);
    if (columns !== undefined) this.columnNames = checkColumns(columns, d >= 0 ? d : flat.d);
    if (flat.n === 0) return { ...this.clusters, labels: [], appeared: [], disappeared: [] };
    if (this.columnNames !== undefined) checkColumns(this.columnNames, flat.d);
    const written = this.frame.push(flat);
    const fit = this.refit(this.frame.view(), written);
    this.lastFit = fit;
    this.centers = fit.centers;
    this.k = fit.k;
    this.centerCounts = Array.from(fit.counts);
    const { ids, appeared, disappeared } = this.assembly.coalesce({ data: fit.centers, shape: [fit.k, flat.d] }, this.centerCounts);
    this.centerIds = ids;
    return { ...this.clusters, labels: this.labelsOf(flat), appeared, disappeared };
  }

  /** Stable ids of the nearest current clusters, without changing any state (-1 before the first push). */
  predict(points: PointsInput): number[] {
    const d = this.frame.dimension;
    const flat = toFlatPoints(points, 'points', d >= 0 ? d : undefined);
    return this.labelsOf(flat);
  }

  private labelsOf(flat: FlatPoints): number[] {
    if (this.k === 0) return new Array<number>(flat.n).fill(-1);
    const nearest = new Int32Array(flat.n).fill(-1);
    assignNearest(flat.data, flat.n, flat.d, this.centers, this.k, nearest, new Float64Array(flat.n));
    return Array.from(nearest, (c) => this.centerIds[c]);
  }

  private refit(frame: FlatPoints, written: { first: number; count: number }): Partition {
    const kMax = Math.min(this.kMax, frame.n);
    const kMin = Math.min(this.kMin, kMax);
    if (this.k === 0) return this.bestSeeded(frame, kMin, kMax);
    // this.k ≤ kMax: it was at most kMax and the frame's n at the time, and the frame never shrinks.
    let best = lloyd(frame, this.centers, this.k, this.maxIterations, this.carriedFit(frame.n, written));
    // Refits drop centers left empty; a fixed k (or kMin) is restored by growing.
    while (best.k < kMin) {
      const grown = this.grow(frame, best);
      if (!grown) break;
      best = grown;
    }
    return kMin === kMax ? best : this.chooseK(frame, best, kMin, kMax);
  }

  /**
   * Split-then-merge hill climbing on BIC, one center at a time, judged on a
   * sample of the frame. A new k is then refitted to the whole frame and kept
   * only if the frame's own BIC agrees, so the sample proposes and the frame decides.
   */
  private chooseK(frame: FlatPoints, fit: Partition, kMin: number, kMax: number): Partition {
    const { points: sample, slots } = this.sample.of(frame);
    // Fitted to the sample like the candidates, so that neither side has the edge of having seen
    // it; warm from the fit's labels and bounds at the sampled slots.
    const start = slots ? lloyd(sample, fit.centers, fit.k, Math.min(MOVE_ITERATIONS, this.maxIterations), warmAt(fit, slots)) : fit;
    let best = this.climb(sample, frame.n, start, (p) => (p.k < kMax ? this.grow(sample, p) : undefined));
    best = this.climb(sample, frame.n, best, (p) => (p.k > kMin ? this.shrink(sample, p) : undefined));
    if (best === start) return fit;
    if (!slots) return best;
    const refit = lloyd(frame, best.centers, best.k, this.maxIterations);
    return score(refit, frame, frame.n) > score(fit, frame, frame.n) ? refit : fit;
  }

  /**
   * The last fit's labels and bounds, for this push's frame of n points: the
   * slots just written hold new points, unknown (upper bound ∞). Updated in
   * place; the last fit is kept for nothing else.
   */
  private carriedFit(n: number, written: { first: number; count: number }): { labels: Int32Array; bounds: Bounds } | undefined {
    if (!this.lastFit) return undefined;
    let { labels, bounds: { upper, lower } } = this.lastFit;
    if (labels.length < n) {
      labels = grown(labels, n, 0);
      upper = grown(upper, n, Infinity);
      lower = grown(lower, n, 0);
    }
    for (let s = 0; s < written.count; s++) upper[(written.first + s) % this.frame.capacity] = Infinity;
    return { labels, bounds: { upper, lower } };
  }

  /** Applies `move` while it raises the BIC of the frame of n points, estimated on `points`. */
  private climb(points: FlatPoints, n: number, start: Partition, move: (p: Partition) => Partition | undefined): Partition {
    let best = start;
    let bestScore = score(best, points, n);
    for (let candidate = move(best); candidate; candidate = move(best)) {
      const candidateScore = score(candidate, points, n);
      if (!(candidateScore > bestScore)) break;
      best = candidate;
      bestScore = candidateScore;
    }
    return best;
  }

  /** First fit: ml-kmeans seeding for every k of the range, the best BIC wins. */
  private bestSeeded(frame: FlatPoints, kMin: number, kMax: number): Partition {
    let best: Partition | undefined;
    let bestScore = -Infinity;
    for (let k = kMin; k <= kMax; k++) {
      const seeded = seedCenters(frame, k, this.rng);
      const candidate = lloyd(frame, seeded.centers, seeded.k, this.maxIterations);
      const candidateScore = score(candidate, frame, frame.n);
      if (!best || candidateScore > bestScore) {
        best = candidate;
        bestScore = candidateScore;
      }
    }
    return best ?? lloyd(frame, frame.data.slice(0, frame.d), 1, this.maxIterations);
  }

  /** One more center, placed by greedy k-means++ (D² sampling, best of a few draws), then refit. */
  private grow(points: FlatPoints, p: Partition): Partition | undefined {
    const { d } = points;
    let bestCenter: Float64Array | undefined;
    let bestPotential = Infinity;
    for (let t = 0; t < GROW_TRIALS; t++) {
      const c = sampleByD2(points, p.dist2, this.rng);
      if (!c) return undefined;
      let potential = 0;
      for (let i = 0; i < points.n; i++) potential += Math.min(p.dist2[i], squaredDistance(points.data, i, c, 0, d));
      if (potential < bestPotential) {
        bestPotential = potential;
        bestCenter = c;
      }
    }
    const centers = new Float64Array((p.k + 1) * d);
    centers.set(p.centers);
    centers.set(bestCenter!, p.k * d);
    return lloyd(points, centers, p.k + 1, Math.min(MOVE_ITERATIONS, this.maxIterations), warmWithCenter(points, p, bestCenter!));
  }

  /** One center fewer: the closest pair of centers merged at its count-weighted mean, then refit. */
  private shrink(points: FlatPoints, p: Partition): Partition | undefined {
    const { d } = points;
    if (p.k < 2) return undefined;
    let a = 0;
    let b = 1;
    let closest = Infinity;
    for (let i = 0; i < p.k; i++) {
      for (let j = i + 1; j < p.k; j++) {
        const s = squaredDistance(p.centers, i, p.centers, j, d);
        if (s < closest) [closest, a, b] = [s, i, j];
      }
    }
    const centers = new Float64Array((p.k - 1) * d);
    for (let c = 0, out = 0; c < p.k; c++) if (c !== b) centers.set(p.centers.subarray(c * d, (c + 1) * d), out++ * d);
    const wa = p.counts[a] / (p.counts[a] + p.counts[b]);
    // a < b: the merged center takes a's row, the rows after b move up by one.
    for (let j = 0; j < d; j++) centers[a * d + j] = wa * p.centers[a * d + j] + (1 - wa) * p.centers[b * d + j];
    return lloyd(points, centers, p.k - 1, Math.min(MOVE_ITERATIONS, this.maxIterations), warmMerged(points, p, a, b, centers.subarray(a * d, a * d + d)));
  }
}

/**
 * BIC of a frame of n points, estimated from a partition of a uniform sample of
 * it: per-cluster sums of squares and counts scale by n / sample size (exact
 * when the sample is the frame).
 */
function score(p: Partition, sample: FlatPoints, n: number): number {
  const scale = n / sample.n;
  const sseByCluster = new Float64Array(p.k);
  for (let i = 0; i < sample.n; i++) sseByCluster[p.labels[i]] += p.dist2[i] * scale;
  const counts = Float64Array.from(p.counts, (c) => c * scale);
  return sphericalBic(sseByCluster, counts, n, sample.d);
}

/**
 * Labels and bounds of `p` with one center added at the end: the points nearer
 * to it than to their own center move to it, their old center becomes the
 * nearest other one; every other label and bound still holds.
 */
function warmWithCenter(points: FlatPoints, p: Partition, center: Float64Array): { labels: Int32Array; bounds: Bounds } {
  const labels = p.labels.slice();
  const upper = new Float64Array(points.n);
  const lower = p.bounds.lower.slice();
  for (let i = 0; i < points.n; i++) {
    const toNew = squaredDistance(points.data, i, center, 0, points.d);
    if (toNew < p.dist2[i]) {
      labels[i] = p.k;
      upper[i] = Math.sqrt(toNew);
      lower[i] = Math.sqrt(p.dist2[i]);
    } else {
      upper[i] = Math.sqrt(p.dist2[i]);
      lower[i] = Math.min(lower[i], Math.sqrt(toNew));
    }
  }
  return { labels, bounds: { upper, lower } };
}

/**
 * Labels and bounds of `p` with centers a < b merged into `merged` at a's row:
 * their points go to it (their lower bound held for a superset of the other
 * centers); any other point keeps its center, and its lower bound is made to
 * cover the merged center too.
 */
function warmMerged(points: FlatPoints, p: Partition, a: number, b: number, merged: Float64Array): { labels: Int32Array; bounds: Bounds } {
  const labels = new Int32Array(points.n);
  const upper = new Float64Array(points.n);
  const lower = p.bounds.lower.slice();
  for (let i = 0; i < points.n; i++) {
    const toMerged = Math.sqrt(squaredDistance(points.data, i, merged, 0, points.d));
    const c = p.labels[i];
    if (c === a || c === b) {
      labels[i] = a;
      upper[i] = toMerged;
    } else {
      labels[i] = c > b ? c - 1 : c;
      upper[i] = Math.sqrt(p.dist2[i]);
      lower[i] = Math.min(lower[i], toMerged);
    }
  }
  return { labels, bounds: { upper, lower } };
}

/** A partition's labels and bounds at some of its points: they hold for those points and the same centers. */
function warmAt(p: Partition, slots: Int32Array): { labels: Int32Array; bounds: Bounds } {
  const m = slots.length;
  const labels = new Int32Array(m);
  const upper = new Float64Array(m);
  const lower = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    labels[i] = p.labels[slots[i]];
    upper[i] = p.bounds.upper[slots[i]];
    lower[i] = p.bounds.lower[slots[i]];
  }
  return { labels, bounds: { upper, lower } };
}

/** `a` extended to n entries, the new ones set to `fill`. */
function grown<T extends Int32Array | Float64Array>(a: T, n: number, fill: number): T {
  const out = new (a.constructor as new (n: number) => T)(n);
  out.set(a);
  out.fill(fill, a.length);
  return out;
}

function checkColumns(columns: string[], d: number): string[] {
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new TypeError('columns: expected an array of strings');
  if (columns.length !== d) throw new RangeError(`columns: expected ${d} names, got ${columns.length}`);
  return [...columns];
}

function defaultColumns(d: number): string[] {
  return Array.from({ length: d }, (_, j) => `x${j}`);
}
