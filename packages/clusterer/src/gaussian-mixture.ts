import type { ClusterAlgorithm, Fit, Written } from './algorithm.js';
import { BirthRegions, birthMoves } from './birth-move.js';
import { cem, mStep, type CemFit, type FrameExtent } from './cem.js';
import { FrameSample } from './frame-sample.js';
import { priorScale } from './gaussian.js';
import { lloyd } from './lloyd.js';
import { mergeMoves } from './merge-moves.js';
import { indicesOf, type MixtureMove } from './mixture-move.js';
import { MoveEvidence } from './move-evidence.js';
import { classify, frameExtent } from './noisy-mixture.js';
import type { FlatPoints } from './points.js';
import { SeededRandom } from './random.js';
import { seedCenters } from './seeding.js';
import { splitMove } from './split-move.js';
import { toUnitLength } from './space.js';

export interface GaussianMixtureOptions {
  kMin: number;
  kMax: number;
  /** Seed of every random choice: same seed, same pushes, same fits. */
  seed: number;
  /** Cap on CEM iterations of a fit from scratch. */
  maxIterations: number;
  /** Points are directions (cosine space): clusters are caps of the sphere, the centers reported are scaled to length 1. */
  onSphere: boolean;
}

/**
 * Evidence a change of k needs: a BIC gain of more than 10 is "very strong"
 * (Kass & Raftery, "Bayes factors", JASA 1995), and it must hold over
 * EVIDENCE_PUSHES consecutive pushes (MoveEvidence).
 */
const STRONG_EVIDENCE = 10;
const EVIDENCE_PUSHES = 2;
/**
 * Besides the new points, each push classifies afresh a turn of this share of
 * the old ones (all of them every 8 pushes), whose labels would otherwise
 * follow a drifting cluster only through its new points.
 */
const TURN = 1 / 8;
/**
 * A cluster's split is judged again after this many pushes, or sooner when its
 * shape widens (SHAPE_GROWTH); after FAR_RECHECK pushes when it fell short of
 * paying by more than FAR_FROM_PAYING: a gain moves with the points that
 * change, a few per push, unless the shape does.
 */
const SPLIT_RECHECK = 8;
const FAR_RECHECK = 32;
const FAR_FROM_PAYING = 100;
/**
 * Growth of log |Σ| that has a cluster's split judged again: a neighbour it
 * took in, or two clusters it holds drifting apart, widen it (by 0.5 when two
 * equal halves are 1.6 σ apart, short of where a split pays); a cluster that
 * narrows holds no more clusters than before.
 */
const SHAPE_GROWTH = 0.5;
/** Points of the frame on which candidate changes are fitted (the whole frame when it is no larger). */
const CANDIDATE_SAMPLE = 2048;
/** Points of the frame its covariance, the prior's scale (a few pseudo-points' worth), is estimated from. */
const COVARIANCE_SAMPLE = 512;
/** First fit: k is tried upwards from kMin until the BIC has not risen for this many k in a row. */
const FIRST_FIT_PATIENCE = 3;
/** On the unit sphere, the share of each cluster's mean variance added in every direction (mapCovariance). */
const SPHERE_ISOTROPIC_SHARE = 0.5;
/** CEM iterations over the frame after a change of k. */
const SETTLE_ITERATIONS = 3;
/** Share of a frame that turning to noise in one push means the clusters jumped. */
const JUMP_SHARE = 0.1;

/**
 * Online clustering by a Gaussian mixture with a noise component, fitted by
 * classification EM (cem.ts) over the frame: clusters of any orientation and
 * spread (a full covariance each), points that no cluster explains better than
 * the uniform noise labelled -1 (and left out of every mean), and k chosen by
 * the classification BIC (ICL-BIC) with hysteresis. Per push: the new points
 * (and, on a large frame, a turn of the old ones) are classified, the
 * clusters re-estimated from the partition, and candidate changes of k (merge
 * a pair whose union is one Gaussian, drop a cluster into the noise, split a
 * cluster along its principal axis, a cluster born out of the noise) judged on
 * a sample of the frame; one is made once it has held for two pushes. Cost per
 * push: O(new points × k × d) to classify (a Euclidean bound spares most
 * Mahalanobis distances), O(frame × d²) to re-estimate, O(sample × d²) for the
 * candidates.
 */
export class GaussianMixture implements ClusterAlgorithm {
  private readonly kMin: number;
  private readonly kMax: number;
  private readonly rng: SeededRandom;
  private readonly maxIterations: number;
  private readonly onSphere: boolean;
  private readonly sample: FrameSample;
  private readonly covarianceSample: FrameSample;
  private readonly evidence = new MoveEvidence(EVIDENCE_PUSHES);
  private readonly births = new BirthRegions();
  private fit: CemFit | undefined;
  /** Per frame slot, its cluster in `fit` or -1 (noise). */
  private labels: Int32Array = new Int32Array(0);
  /** Per cluster of `fit`, a key that stays with it while it lives, naming the changes MoveEvidence weighs. */
  private keys: number[] = [];
  private nextKey = 0;
  /** Next old slot to classify afresh. */
  private cursor = 0;
  /** Per cluster key, its last split's gain, and its log |Σ| and the push then: a split far from paying is not tried every push. */
  private splitChecks = new Map<number, { gain: number; logDet: number; push: number }>();
  private pushes = 0;

  constructor({ kMin, kMax, seed, maxIterations, onSphere }: GaussianMixtureOptions) {
    this.kMin = kMin;
    this.kMax = kMax;
    this.rng = new SeededRandom(seed);
    this.maxIterations = maxIterations;
    this.onSphere = onSphere;
    this.sample = new FrameSample(CANDIDATE_SAMPLE, seed);
    this.covarianceSample = new FrameSample(COVARIANCE_SAMPLE, seed);
  }

  refit(frame: FlatPoints, written: Written): Fit {
    this.pushes++;
    const { logVolume, covariance } = frameExtent(frame, this.covarianceSample.slotsOf(frame.n));
    const isotropicShare = this.onSphere ? SPHERE_ISOTROPIC_SHARE : 0;
    const extentFor = (k: number): FrameExtent => ({ logVolume, priorScale: priorScale(covariance, k, frame.d), n: frame.n, isotropicShare });
    if (!this.fit) {
      this.firstFit(frame, extentFor);
    } else {
      if (this.labels.length < frame.n) this.labels = grown(this.labels, frame.n);
      classify(frame, this.fit.mixture, this.labels, this.slotsToClassify(frame.n, written));
      const { stats: { k }, noiseCount } = this.fit;
      // Most pushes move a few labels: one M-step follows them. When the clusters jump (move a few spreads between two
      // pushes) the points they moved to are taken for noise, and one step would leave them there: CEM follows the jump.
      const jumped = countNoise(this.labels, frame.n) > noiseCount + JUMP_SHARE * frame.n;
      this.settle(jumped ? cem(frame, this.labels, k, extentFor(k), this.maxIterations) : mStep(frame, this.labels, k, extentFor(k)));
      this.adjustK(frame, extentFor, written);
    }
    return this.result();
  }

  /** Per point, the index of its cluster, or -1 where the noise density is the larger (or before any fit). */
  assign(points: FlatPoints): Int32Array {
    const labels = new Int32Array(points.n).fill(-1);
    if (this.fit && this.fit.stats.k > 0) classify(points, this.fit.mixture, labels);
    return labels;
  }

  private result(): Fit {
    const { stats } = this.fit!;
    const centers = stats.means.slice();
    if (this.onSphere) for (let c = 0; c < stats.k; c++) toUnitLength(centers, c, stats.d);
    // The fitted Σ's root mean variance: steadier than the points' own over a few of them (its prior is a few pseudo-points).
    const spreads = Float64Array.from(this.fit!.mixture.components, ({ chol }) => Math.sqrt(squaredSum(chol) / stats.d));
    return { centers, k: stats.k, counts: Array.from(stats.counts, Math.round), spreads };
  }

  /** Takes a fit over the frame: its labels, and the keys of the clusters it kept. */
  private settle(fit: CemFit): void {
    const keys: number[] = [];
    fit.renumbered.forEach((to, from) => to >= 0 && (keys[to] = from < this.keys.length ? this.keys[from] : this.nextKey++));
    this.keys = keys;
    this.fit = fit;
    this.labels = fit.labels;
  }

  /** The slots whose points are classified this push: the new ones and the next turn of old ones (undefined: all). */
  private slotsToClassify(n: number, written: Written): Int32Array | undefined {
    const turn = Math.ceil(n * TURN);
    if (written.count + turn >= n) return undefined;
    const marked = new Uint8Array(n);
    for (let s = 0; s < written.count; s++) marked[(written.first + s) % written.capacity] = 1;
    for (let s = 0; s < turn; s++) marked[(this.cursor + s) % n] = 1;
    this.cursor = (this.cursor + turn) % n;
    return indicesOf(marked, 1);
  }

  /** First fit: k-means++ seeding and Lloyd on the sample for k = kMin, kMin + 1, ..., CEM from each, the best BIC refitted on the frame. */
  private firstFit(frame: FlatPoints, extentFor: (k: number) => FrameExtent): void {
    const kMax = Math.min(this.kMax, frame.n);
    const kMin = Math.min(this.kMin, kMax);
    const { points: sample } = this.sample.of(frame);
    let best: CemFit | undefined;
    for (let k = kMin, sinceBest = 0; k <= kMax && sinceBest < FIRST_FIT_PATIENCE; k++) {
      const seeded = seedCenters(sample, k, this.rng);
      if (seeded.k === 0) break;
      const partition = lloyd(sample, seeded.centers, seeded.k, this.maxIterations);
      const fit = cem(sample, partition.labels, partition.k, extentFor(partition.k), this.maxIterations);
      if (!best || fit.bic > best.bic) {
        best = fit;
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      if (seeded.k < k) break;
    }
    this.labels = new Int32Array(frame.n).fill(-1);
    if (!best || best.stats.k === 0) {
      this.settle(mStep(frame, this.labels.fill(0), 1, extentFor(1)));
      return;
    }
    classify(frame, best.mixture, this.labels);
    this.keys = [];
    this.settle(cem(frame, this.labels, best.stats.k, extentFor(best.stats.k), this.maxIterations));
    this.mergeWhilePaying(frame, extentFor);
    this.growToKMin(frame, extentFor);
  }

  /**
   * After the first fit, which has no pushes of evidence behind it: merges and
   * drops (a few tail points that a seed gave a cluster of their own) while
   * one raises the frame's BIC.
   */
  private mergeWhilePaying(frame: FlatPoints, extentFor: (k: number) => FrameExtent): void {
    while (this.fit!.stats.k > this.kMin) {
      const k = this.fit!.stats.k;
      const best = mergeMoves(this.fit!, extentFor(k), this.keys).sort((a, b) => b.gain - a.gain)[0];
      if (!best || !(best.gain > 0)) return;
      best.apply(frame, this.labels, k);
      this.settle(cem(frame, this.labels, k, extentFor(k - 1), this.maxIterations));
    }
  }

  /**
   * Weighs this push's candidate changes of k and makes those whose gain has
   * held over EVIDENCE_PUSHES pushes (at most one birth, no cluster changed
   * twice), then settles the frame's fit to them.
   */
  private adjustK(frame: FlatPoints, extentFor: (k: number) => FrameExtent, written: Written): void {
    const fit = this.fit!;
    const k = fit.stats.k;
    if (k < this.kMin) return this.growToKMin(frame, extentFor);
    if (this.kMin === this.kMax) return;
    const extent = extentFor(k);
    const candidates = this.candidates(frame, fit, extent, written).filter((m) => m.gain > STRONG_EVIDENCE);
    const supported = this.evidence.update(candidates.map((m) => m.key));
    const touched = new Set<number>();
    let next = k;
    let removed = 0;
    for (const move of candidates.sort((a, b) => b.gain - a.gain || (a.key < b.key ? -1 : 1))) {
      if (!supported.has(move.key) || move.clusters.some((c) => touched.has(c))) continue;
      const kAfter = next - removed + move.kChange;
      if (kAfter > this.kMax || kAfter < this.kMin) continue;
      move.apply(frame, this.labels, next);
      move.clusters.forEach((c) => touched.add(c));
      this.evidence.forget(move.key);
      if (move.kChange > 0) next++;
      else removed++;
    }
    if (next === k && removed === 0) return;
    this.settle(cem(frame, this.labels, next, extentFor(next - removed), SETTLE_ITERATIONS));
  }

  /**
   * The candidate changes of k within kMin..kMax, judged on the frame sample.
   * With `written` (a push's weighing), births are seeded only at the points
   * written this push (a region worth a cluster is one that is emitting points
   * now) and splits far from paying are judged only now and then
   * (splitWorthTrying); without it (k forced up to kMin), every split is
   * judged and births are seeded anywhere.
   */
  private candidates(frame: FlatPoints, fit: CemFit, extent: FrameExtent, written?: Written): MixtureMove[] {
    const k = fit.stats.k;
    const moves: MixtureMove[] = [];
    if (k > this.kMin) moves.push(...mergeMoves(fit, extent, this.keys));
    if (k < this.kMax) {
      const { points: sample, slots } = this.sample.of(frame);
      const sampleLabels = slots ? Int32Array.from(slots, (s) => this.labels[s]) : this.labels;
      for (let c = 0; c < k; c++) {
        if (written && !this.splitWorthTrying(fit, c)) continue;
        const split = splitMove(frame, this.labels, sample, sampleLabels, fit, c, extent, this.keys[c]);
        this.splitChecks.set(this.keys[c], { gain: split?.gain ?? -Infinity, logDet: fit.mixture.components[c].logDet, push: this.pushes });
        if (split) moves.push(split);
      }
      const seeds = written && writtenIn(written, slots ?? sample.n);
      moves.push(...this.births.name(birthMoves(frame, this.labels, sample, sampleLabels, fit, extent, seeds)));
    }
    return moves;
  }

  /** Whether cluster c's split is judged this push: it was close to paying, or it widened, or it is time. */
  private splitWorthTrying(fit: CemFit, c: number): boolean {
    const last = this.splitChecks.get(this.keys[c]);
    if (!last || last.gain > -STRONG_EVIDENCE) return true;
    if (this.pushes - last.push >= (last.gain < -FAR_FROM_PAYING ? FAR_RECHECK : SPLIT_RECHECK)) return true;
    return fit.mixture.components[c].logDet - last.logDet > SHAPE_GROWTH;
  }

  /** A fixed k (or kMin) restored after clusters emptied: the best split or birth at once, whatever its gain. */
  private growToKMin(frame: FlatPoints, extentFor: (k: number) => FrameExtent): void {
    while (this.fit!.stats.k < Math.min(this.kMin, frame.n)) {
      const fit = this.fit!;
      const k = fit.stats.k;
      const moves = this.candidates(frame, fit, extentFor(k)).filter((m) => m.kChange > 0);
      const best = moves.sort((a, b) => b.gain - a.gain)[0];
      if (best) best.apply(frame, this.labels, k);
      else this.labels[worstExplained(frame, fit)] = k;
      const settled = cem(frame, this.labels, k + 1, extentFor(k + 1), SETTLE_ITERATIONS);
      if (settled.stats.k <= k) return this.settle(settled);
      this.settle(settled);
    }
  }
}

/** The point farthest from the mean of its cluster (or from every mean, for noise): the seed of a forced new cluster. */
function worstExplained(frame: FlatPoints, fit: CemFit): number {
  const { data, n, d } = frame;
  const { means, k } = fit.stats;
  let worst = 0;
  let worstDistance = -1;
  for (let i = 0; i < n; i++) {
    let nearest = Infinity;
    for (let c = 0; c < k; c++) {
      let e = 0;
      for (let j = 0; j < d; j++) e += (data[i * d + j] - means[c * d + j]) ** 2;
      nearest = Math.min(nearest, e);
    }
    if (nearest > worstDistance) {
      worstDistance = nearest;
      worst = i;
    }
  }
  return worst;
}

/** Per sample point (given by frame slot, or the first n slots), 1 where its slot was written this push. */
function writtenIn({ first, count, capacity }: Written, slots: Int32Array | number): Uint8Array {
  const n = typeof slots === 'number' ? slots : slots.length;
  const out = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    const slot = typeof slots === 'number' ? s : slots[s];
    if ((slot - first + capacity) % capacity < count) out[s] = 1;
  }
  return out;
}

/** Σ x², e.g. tr(Σ) = tr(L Lᵀ) from a Cholesky factor L. */
function squaredSum(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}

function grown(labels: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  out.set(labels);
  return out;
}

function countNoise(labels: Int32Array, n: number): number {
  let noise = 0;
  for (let i = 0; i < n; i++) if (labels[i] < 0) noise++;
  return noise;
}
