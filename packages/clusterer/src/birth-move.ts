import { bicChange, classificationBic, type ClusterTerm } from './classification-bic.js';
import { mahalanobis2, type Gaussian } from './gaussian.js';
import { cem, mStep, type CemFit, type FrameExtent } from './cem.js';
import { classify } from './noisy-mixture.js';
import { indicesOf, minClusterPoints, pointsAt, type MixtureMove } from './mixture-move.js';
import type { FlatPoints } from './points.js';

/** Noise points searched for the densest one: the search costs the square of this. */
const DENSITY_SEARCH = 512;
/** CEM iterations for a birth candidate (one Gaussian against the uniform noise). */
const BIRTH_ITERATIONS = 10;

/** New clusters looked for per push: regions that appear at once are each born, not one after the other. */
const MAX_BIRTHS = 3;
/** A birth candidate whose mean lies within this squared Mahalanobis distance of the last push's candidate is the same region. */
const SAME_REGION = 9;

/** A birth, with the Gaussian it would start as (for naming the region push after push). */
export interface BirthMove extends MixtureMove {
  gaussian: Gaussian;
  term: ClusterTerm;
}

/**
 * New clusters out of the noise: where a new dense region appears its points
 * are first far from every cluster, so noise. The densest noise point (the
 * smallest distance to its (d + 1)-th nearest noise neighbour, among up to 512
 * of them) and those neighbours seed one Gaussian, and CEM of that Gaussian
 * against the uniform noise density over the noise points (from an even
 * weighing of the two, seedPartition) grows it to the region's extent; its
 * points are set aside and the next densest region is sought, up to MAX_BIRTHS. Fitted on the frame sample, judged on the frame, as `splitMove` is.
 * Keys are given by `BirthRegions`. With `seeds` (1 per sample point that may
 * seed), only those points are tried as the densest, against all noise points
 * as neighbours: the search costs seeds × noise instead of noise².
 */
export function birthMoves(frame: FlatPoints, frameLabels: Int32Array, sample: FlatPoints, sampleLabels: Int32Array, fit: CemFit, extent: FrameExtent, seeds?: Uint8Array): BirthMove[] {
  const { d } = sample;
  const q = minClusterPoints(d) - 1;
  let noise = indicesOf(sampleLabels, -1, sample.n);
  // Judged on the frame's noise points: a likelihood fitted on a sample and scaled up would count its overfit many times over.
  let frameNoise = indicesOf(frameLabels, -1, frame.n);
  const moves: BirthMove[] = [];
  let noiseCount = fit.noiseCount;
  while (moves.length < MAX_BIRTHS && noise.length >= 2 * minClusterPoints(d)) {
    const points = pointsAt(sample, noise);
    const seed = densestSeed(points, q, seeds && ((i: number) => seeds[noise[i]] === 1));
    if (seed.length === 0) break;
    const grown = cem(points, seedPartition(points, seed, extent), 1, { ...extent, n: points.n }, BIRTH_ITERATIONS);
    if (grown.terms.length !== 1) break;
    const own = pointsAt(frame, frameNoise);
    const taken = new Int32Array(own.n);
    classify(own, grown.mixture, taken);
    const born = mStep(own, taken, 1, { ...extent, n: own.n });
    if (born.terms.length !== 1 || born.terms[0].count < minClusterPoints(d)) break;
    // Each birth is judged against the fit with the births before it made.
    const before = { ...fit, noiseCount, terms: [...fit.terms, ...moves.map((m) => m.term)] };
    before.bic = classificationBic(before.terms, noiseCount, extent.n, extent.logVolume, d);
    const gain = bicChange(before, { removed: [], added: born.terms, noiseDelta: -born.terms[0].count }, extent.n, extent.logVolume, d);
    // The densest region first: when it is not worth a cluster, no other is.
    if (!(gain > 0)) break;
    noiseCount -= born.terms[0].count;
    const slots = frameNoise.filter((_, s) => born.labels[s] === 0);
    moves.push({
      key: 'birth',
      gain,
      kChange: 1,
      clusters: [],
      gaussian: born.mixture.components[0],
      term: born.terms[0],
      apply: (_frame, frameLabels, next) => slots.forEach((i) => (frameLabels[i] = next)),
    });
    noise = noise.filter((_, s) => grown.labels[s] !== 0);
    frameNoise = frameNoise.filter((_, s) => born.labels[s] !== 0);
  }
  return moves;
}

/**
 * Where a birth's CEM starts: the noise points that the seed's Gaussian takes
 * when weighed equally with the noise. The seed (d + 2 points) tells where a
 * region is and its shape, not how many points it holds: weighed as its own
 * d + 2 of the m noise points, against a covariance mostly the prior's (2d + 4
 * pseudo-points of the frame's spread), its density falls below the noise's
 * even at its own points once m is large, so the larger a region, the less it
 * could be born (a blob of 100 coming back to a frame of 300 stayed noise for
 * good, one of 30 was born). From this partition on, CEM weighs by counts.
 */
function seedPartition(points: FlatPoints, seed: readonly number[], extent: FrameExtent): Int32Array {
  const labels = new Int32Array(points.n).fill(-1);
  for (const i of seed) labels[i] = 0;
  const { mixture } = mStep(points, labels, 1, { ...extent, n: points.n });
  const even = Math.log(0.5);
  classify(points, { ...mixture, logWeights: Float64Array.of(even), logNoise: even - extent.logVolume }, labels);
  return labels;
}

/**
 * Names birth candidates across pushes: a candidate whose mean lies within
 * SAME_REGION (squared Mahalanobis distance) of one of the last push's is the
 * same region and keeps its key, so the evidence for it can build up.
 */
export class BirthRegions {
  private last: { key: string; gaussian: Gaussian }[] = [];
  private next = 0;

  name(moves: BirthMove[]): BirthMove[] {
    const work = new Float64Array(moves[0]?.gaussian.mean.length ?? 0);
    const named = moves.map((move) => {
      const d = move.gaussian.mean.length;
      const same = this.last.find(({ gaussian }) => {
        const v = move.gaussian.mean.map((x, j) => x - gaussian.mean[j]);
        return mahalanobis2(gaussian.chol, v, d, work) <= SAME_REGION;
      });
      return { ...move, key: same?.key ?? `birth ${this.next++}` };
    });
    this.last = named.map(({ key, gaussian }) => ({ key, gaussian }));
    return named;
  }
}

/**
 * The point (of those `maySeed`, default all) of smallest distance to its q-th
 * nearest neighbour among an even spread of up to DENSITY_SEARCH points, with
 * those neighbours; empty when no point may seed.
 */
function densestSeed(points: FlatPoints, q: number, maySeed: (i: number) => boolean = () => true): number[] {
  const { data, n, d } = points;
  const stride = Math.max(1, Math.floor(n / DENSITY_SEARCH));
  const candidates: number[] = [];
  for (let i = 0; i < n && candidates.length < DENSITY_SEARCH; i += stride) candidates.push(i);
  let best: number[] = [];
  let bestRadius = Infinity;
  // The q nearest so far, by distance, kept sorted by insertion (q is d + 1: small).
  const nearD = new Float64Array(q);
  const nearI = new Int32Array(q);
  for (const i of candidates) {
    if (!maySeed(i)) continue;
    nearD.fill(Infinity);
    for (const o of candidates) {
      if (o === i) continue;
      let e = 0;
      for (let j = 0; j < d; j++) e += (data[i * d + j] - data[o * d + j]) ** 2;
      if (!(e < nearD[q - 1])) continue;
      let at = q - 1;
      for (; at > 0 && nearD[at - 1] > e; at--) {
        nearD[at] = nearD[at - 1];
        nearI[at] = nearI[at - 1];
      }
      nearD[at] = e;
      nearI[at] = o;
    }
    if (nearD[q - 1] < bestRadius) {
      bestRadius = nearD[q - 1];
      best = [i, ...nearI];
    }
  }
  return best;
}
