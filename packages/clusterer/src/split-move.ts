import { createRequire } from 'node:module';
import { bicChange } from './classification-bic.js';
import { cem, mStep, type CemFit, type FrameExtent } from './cem.js';
import { classify } from './noisy-mixture.js';
import { indicesOf, minClusterPoints, pointsAt, type MixtureMove } from './mixture-move.js';
import type { FlatPoints } from './points.js';

// ml-matrix is CommonJS (its ES entry re-exports the CommonJS build): require() avoids the
// WebAssembly lexer Node compiles for an ES import of CommonJS, about 6 MiB resident for good.
const { EigenvalueDecomposition, Matrix } = createRequire(import.meta.url)('ml-matrix') as typeof import('ml-matrix');

/** CEM iterations for a split candidate: enough to judge it; a split that is made converges over the next pushes. */
const SPLIT_ITERATIONS = 6;
/** A cluster's points a split is judged on (an even spread of them): two clusters that one holds show in far fewer. */
const SPLIT_SAMPLE = 256;

/**
 * Cluster c cut in two, as in principal direction divisive partitioning
 * (Boley, "Principal direction divisive partitioning", Data Mining and
 * Knowledge Discovery 1998): its points on either side of the hyperplane
 * through its mean normal to its principal axis (the scatter's top eigenvector,
 * from ml-matrix), then CEM between the two halves. The halves are fitted to
 * up to SPLIT_SAMPLE of its points in the frame sample (`sampleLabels` their
 * labels), and judged on all of its points in the frame: a likelihood fitted
 * on a few points and scaled up would count their overfit many times over.
 * Undefined when c has too few points to cut.
 */
export function splitMove(frame: FlatPoints, frameLabels: Int32Array, sample: FlatPoints, sampleLabels: Int32Array, fit: CemFit, c: number, extent: FrameExtent, key: number): MixtureMove | undefined {
  const { d } = sample;
  const all = indicesOf(sampleLabels, c, sample.n);
  if (all.length < 2 * minClusterPoints(d)) return undefined;
  const stride = Math.max(1, Math.ceil(all.length / SPLIT_SAMPLE));
  const members = stride === 1 ? all : all.filter((_, s) => s % stride === 0);
  const points = pointsAt(sample, members);
  const axis = principalAxis(fit.stats.scatters.subarray(c * d * d, (c + 1) * d * d), d);
  const mean = fit.stats.means.subarray(c * d, (c + 1) * d);
  const halves = new Int32Array(points.n);
  for (let i = 0; i < points.n; i++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += (points.data[i * d + j] - mean[j]) * axis[j];
    halves[i] = t < 0 ? 0 : 1;
  }
  const fitted = cem(points, halves, 2, { ...extent, n: points.n }, SPLIT_ITERATIONS);
  if (fitted.terms.length < 2) return undefined;
  // Judged on the cluster's points in the frame: one classification between the halves, then their statistics.
  const slots = indicesOf(frameLabels, c, frame.n);
  const own = pointsAt(frame, slots);
  const sides = new Int32Array(own.n);
  classify(own, fitted.mixture, sides);
  const split = mStep(own, sides, 2, { ...extent, n: own.n });
  if (split.terms.length < 2 || split.terms.some((t) => t.count < minClusterPoints(d))) return undefined;
  const kept = split.terms.reduce((sum, t) => sum + t.count, 0);
  const gain = bicChange(fit, { removed: [c], added: split.terms, noiseDelta: fit.stats.counts[c] - kept }, extent.n, extent.logVolume, d);
  return {
    key: `split ${key}`,
    gain,
    kChange: 1,
    clusters: [c],
    apply(_frame, labels, next) {
      slots.forEach((i, s) => (labels[i] = split.labels[s] < 0 ? -1 : split.labels[s] === 0 ? c : next));
    },
  };
}

/** The unit eigenvector of the largest eigenvalue of a symmetric d × d matrix. */
function principalAxis(scatter: Float64Array, d: number): Float64Array {
  const rows = Array.from({ length: d }, (_, r) => Array.from(scatter.subarray(r * d, (r + 1) * d)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  let top = 0;
  for (let j = 1; j < d; j++) if (values[j] > values[top]) top = j;
  return Float64Array.from(evd.eigenvectorMatrix.getColumn(top));
}
