import { mahalanobis2, type Gaussian } from './gaussian.js';
import { addOuter } from './partition-stats.js';
import type { FlatPoints } from './points.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A mixture of k Gaussians and a noise component, uniform over the frame's
 * bounding box (Banfield & Raftery, "Model-based Gaussian and non-Gaussian
 * clustering", Biometrics 1993; Fraley & Raftery, "How many clusters? Which
 * clustering method?", Computer J. 1998): density π_0 / V beside π_j N(μ_j, Σ_j).
 * A point is noise where the uniform density beats every cluster's, which is
 * "far from every center by that cluster's own spread": the threshold on each
 * cluster's Mahalanobis distance follows from the weights, the spreads and V,
 * all in the data's units, so it is scale-free.
 */
export interface NoisyMixture {
  d: number;
  components: Gaussian[];
  /** log π_j of each component. */
  logWeights: Float64Array;
  /** log(π_0 / V), the noise component's log density. */
  logNoise: number;
}

/**
 * The classification step of CEM (Celeux & Govaert, "A classification EM
 * algorithm for clustering and two stochastic versions", CSDA 1992) with the
 * noise component: each point (of `slots`, or all) gets the component of
 * largest log π_j N_j(x), or -1 where log(π_0 / V) is larger. Writes `labels`
 * in place and returns how many changed.
 *
 * A cluster's density is bounded above from its Euclidean distance alone
 * (‖x − μ‖² / λ_max ≤ the Mahalanobis distance), so most pairs cost d
 * operations, and only clusters whose bound beats the best so far cost d²/2.
 */
export function classify(points: FlatPoints, mixture: NoisyMixture, labels: Int32Array, slots?: ArrayLike<number>): number {
  const { data, d } = points;
  const { components, logWeights, logNoise } = mixture;
  const k = components.length;
  // The components' parameters flat, so the bound loop over clusters reads one array each.
  const base = new Float64Array(k);
  const means = new Float64Array(k * d);
  const halfInverseLambda = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    base[c] = logWeights[c] - 0.5 * (d * LOG_2PI + components[c].logDet);
    means.set(components[c].mean, c * d);
    halfInverseLambda[c] = 0.5 / components[c].lambdaMax;
  }
  const bound = new Float64Array(k);
  const v = new Float64Array(d);
  const work = new Float64Array(d);
  const m = slots ? slots.length : points.n;
  let changed = 0;
  for (let s = 0; s < m; s++) {
    const i = slots ? slots[s] : s;
    const p = i * d;
    let top = -1;
    let topBound = -Infinity;
    for (let c = 0, q = 0; c < k; c++, q += d) {
      let e = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[p + j] - means[q + j];
        e += diff * diff;
      }
      const b = base[c] - e * halfInverseLambda[c];
      bound[c] = b;
      if (b > topBound) {
        topBound = b;
        top = c;
      }
    }
    let best = -1;
    let bestScore = logNoise;
    // The most promising cluster first: its exact score usually rules out every other bound.
    for (let r = -1; r < k; r++) {
      const c = r < 0 ? top : r;
      if (c < 0 || (r >= 0 && c === top) || !(bound[c] > bestScore)) continue;
      for (let j = 0, q = c * d; j < d; j++) v[j] = data[p + j] - means[q + j];
      const score = base[c] - 0.5 * mahalanobis2(components[c].chol, v, d, work);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
  }
  return changed;
}

/**
 * A frame's extent: log of its bounding box's volume, and its covariance
 * (d × d; over the points at `slots` when given), both floored for degenerate frames.
 */
export function frameExtent(points: FlatPoints, slots?: Int32Array): { logVolume: number; covariance: Float64Array } {
  const { data, n, d } = points;
  const low = new Float64Array(d).fill(Infinity);
  const high = new Float64Array(d).fill(-Infinity);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const x = data[i * d + j];
      if (x < low[j]) low[j] = x;
      if (x > high[j]) high[j] = x;
      mean[j] += x;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  let widest = 0;
  let magnitude = 0;
  for (let j = 0; j < d; j++) {
    widest = Math.max(widest, high[j] - low[j]);
    magnitude = Math.max(magnitude, Math.abs(mean[j]));
  }
  // A flat dimension (all points equal there) still needs a width: a tiny fraction of the others', or of the values.
  const floor = widest > 0 ? widest * 1e-9 : Math.max(magnitude, Number.MIN_VALUE) * 1e-9 || 1e-300;
  let logVolume = 0;
  for (let j = 0; j < d; j++) logVolume += Math.log(Math.max(high[j] - low[j], floor));
  const covariance = new Float64Array(d * d);
  const centered = new Float64Array(d);
  const used = slots ? slots.length : n;
  for (let s = 0; s < used; s++) {
    const p = (slots ? slots[s] : s) * d;
    for (let j = 0; j < d; j++) centered[j] = data[p + j] - mean[j];
    addOuter(covariance, 0, centered, d);
  }
  let trace = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) covariance[a * d + b] = covariance[b * d + a] = covariance[a * d + b] / Math.max(used, 1);
    trace += covariance[a * d + a];
  }
  // A ridge, so that a frame of lower rank (points on a line) still gives every cluster a full-rank prior.
  const ridge = Math.max((trace / d) * 1e-6, floor * floor);
  for (let a = 0; a < d; a++) covariance[a * d + a] += ridge;
  return { logVolume, covariance };
}
