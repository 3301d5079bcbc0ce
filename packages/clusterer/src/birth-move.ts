import { bicChange } from './classification-bic.js';
import { cem, type CemFit, type FrameExtent } from './cem.js';
import { classify } from './noisy-mixture.js';
import { indicesOf, minClusterPoints, pointsAt, type MixtureMove } from './mixture-move.js';
import type { FlatPoints } from './points.js';

/** Noise points searched for the densest one: the search costs the square of this. */
const DENSITY_SEARCH = 512;
/** CEM iterations for a birth candidate (one Gaussian against the uniform noise). */
const BIRTH_ITERATIONS = 10;

/**
 * A new cluster out of the noise: where a new dense region appears its points
 * are first far from every cluster, so noise. The densest noise point (the
 * smallest distance to its (d + 1)-th nearest noise neighbour, among up to 512
 * of them) and those neighbours seed one Gaussian, and CEM of that Gaussian
 * against the uniform noise density over the noise points grows it to the
 * region's extent. Judged on a sample of the frame as `splitMove` is.
 */
export function birthMove(sample: FlatPoints, sampleLabels: Int32Array, fit: CemFit, extent: FrameExtent): MixtureMove | undefined {
  const { d } = sample;
  const noise = indicesOf(sampleLabels, -1, sample.n);
  const q = minClusterPoints(d) - 1;
  if (noise.length < 2 * minClusterPoints(d)) return undefined;
  const points = pointsAt(sample, noise);
  const seed = densestSeed(points, q);
  const labels = new Int32Array(points.n).fill(-1);
  for (const i of seed) labels[i] = 0;
  const scale = extent.n / sample.n;
  const born = cem(points, labels, 1, { ...extent, n: points.n * scale }, BIRTH_ITERATIONS);
  if (born.terms.length !== 1 || born.terms[0].count < minClusterPoints(d) * scale) return undefined;
  const gain = bicChange(fit, { removed: [], added: born.terms, noiseDelta: -born.terms[0].count }, extent.n, extent.logVolume, d);
  return {
    key: 'birth',
    gain,
    kChange: 1,
    clusters: [],
    apply(frame, frameLabels, next) {
      const slots = indicesOf(frameLabels, -1, frame.n);
      const sub = new Int32Array(slots.length);
      classify(pointsAt(frame, slots), born.mixture, sub);
      slots.forEach((i, s) => sub[s] === 0 && (frameLabels[i] = next));
    },
  };
}

/** The point of smallest distance to its q-th nearest neighbour (among an even spread of up to DENSITY_SEARCH points), with those neighbours. */
function densestSeed(points: FlatPoints, q: number): number[] {
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
