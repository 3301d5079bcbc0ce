import type { ClusterAlgorithm, Fit, Written } from './algorithm.js';
import { sphericalBic } from './bic.js';
import { FrameSample } from './frame-sample.js';
import { lloyd, type Bounds, type Partition } from './lloyd.js';
import { assignNearest, squaredDistance } from './nearest.js';
import type { FlatPoints } from './points.js';
import { SeededRandom } from './random.js';
import { sampleByD2, seedCenters } from './seeding.js';
import { toUnitLength } from './space.js';

export interface KMeansOptions {
  kMin: number;
  kMax: number;
  /** Seed of every random choice: same seed, same pushes, same fits. */
  seed: number;
  /** Cap on Lloyd iterations per refit. */
  maxIterations: number;
  /** Points and centers are directions (cosine space): spherical k-means, each center scaled back to length 1. */
  onSphere: boolean;
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
 * k-means for a frame of recent points: each refit is Lloyd's warm-started
 * from the previous centers (and their Hamerly bounds); with a k range the
 * number of clusters follows the data (BIC hill-climbing by one center at a
 * time, on a sample of the frame). In cosine space it is spherical k-means
 * (Dhillon & Modha, 2001): points and centers of length 1.
 */
export class KMeans implements ClusterAlgorithm {
  private readonly kMin: number;
  private readonly kMax: number;
  private readonly rng: SeededRandom;
  private readonly maxIterations: number;
  private readonly onSphere: boolean;
  private readonly sample: FrameSample;
  private centers: Float64Array = new Float64Array(0);
  private k = 0;
  /** Labels and Hamerly bounds of the last fit over the frame, for `centers`: the next refit starts from them. */
  private lastFit: { labels: Int32Array; bounds: Bounds } | undefined;

  constructor({ kMin, kMax, seed, maxIterations, onSphere }: KMeansOptions) {
    this.kMin = kMin;
    this.kMax = kMax;
    this.rng = new SeededRandom(seed);
    this.maxIterations = maxIterations;
    this.onSphere = onSphere;
    this.sample = new FrameSample(CANDIDATE_SAMPLE, seed);
  }

  refit(frame: FlatPoints, written: Written): Fit {
    const fit = this.fit(frame, written);
    this.lastFit = fit;
    this.centers = fit.centers;
    this.k = fit.k;
    return fit;
  }

  /** Nearest center of each point. */
  assign(points: FlatPoints): Int32Array {
    const nearest = new Int32Array(points.n).fill(-1);
    if (this.k > 0) assignNearest(points.data, points.n, points.d, this.centers, this.k, nearest, new Float64Array(points.n));
    return nearest;
  }

  private lloyd(points: FlatPoints, initial: Float64Array, k: number, maxIterations: number, warm?: { labels: Int32Array; bounds: Bounds }): Partition {
    return lloyd(points, initial, k, maxIterations, warm, this.onSphere);
  }

  private fit(frame: FlatPoints, written: Written): Partition {
    const kMax = Math.min(this.kMax, frame.n);
    const kMin = Math.min(this.kMin, kMax);
    if (this.k === 0) return this.bestSeeded(frame, kMin, kMax);
    // this.k ≤ kMax: it was at most kMax and the frame's n at the time, and the frame never shrinks.
    let best = this.lloyd(frame, this.centers, this.k, this.maxIterations, this.carriedFit(frame.n, written));
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
    const start = slots ? this.lloyd(sample, fit.centers, fit.k, Math.min(MOVE_ITERATIONS, this.maxIterations), warmAt(fit, slots)) : fit;
    let best = this.climb(sample, frame.n, start, (p) => (p.k < kMax ? this.grow(sample, p) : undefined));
    best = this.climb(sample, frame.n, best, (p) => (p.k > kMin ? this.shrink(sample, p) : undefined));
    if (best === start) return fit;
    if (!slots) return best;
    const refit = this.lloyd(frame, best.centers, best.k, this.maxIterations);
    return score(refit, frame, frame.n) > score(fit, frame, frame.n) ? refit : fit;
  }

  /**
   * The last fit's labels and bounds, for this push's frame of n points: the
   * slots just written hold new points, unknown (upper bound ∞). Updated in
   * place; the last fit is kept for nothing else.
   */
  private carriedFit(n: number, written: Written): { labels: Int32Array; bounds: Bounds } | undefined {
    if (!this.lastFit) return undefined;
    let { labels, bounds: { upper, lower } } = this.lastFit;
    if (labels.length < n) {
      labels = grown(labels, n, 0);
      upper = grown(upper, n, Infinity);
      lower = grown(lower, n, 0);
    }
    for (let s = 0; s < written.count; s++) upper[(written.first + s) % written.capacity] = Infinity;
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
      if (this.onSphere) for (let c = 0; c < seeded.k; c++) toUnitLength(seeded.centers, c, frame.d);
      const candidate = this.lloyd(frame, seeded.centers, seeded.k, this.maxIterations);
      const candidateScore = score(candidate, frame, frame.n);
      if (!best || candidateScore > bestScore) {
        best = candidate;
        bestScore = candidateScore;
      }
    }
    return best ?? this.lloyd(frame, frame.data.slice(0, frame.d), 1, this.maxIterations);
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
    return this.lloyd(points, centers, p.k + 1, Math.min(MOVE_ITERATIONS, this.maxIterations), warmWithCenter(points, p, bestCenter!));
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
    if (this.onSphere) toUnitLength(centers, a, d);
    return this.lloyd(points, centers, p.k - 1, Math.min(MOVE_ITERATIONS, this.maxIterations), warmMerged(points, p, a, b, centers.subarray(a * d, a * d + d)));
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

