import type { FlatPoints } from './points.js';

/**
 * Sufficient statistics of a hard partition of points into k clusters (label
 * -1: in none): per cluster its count, mean and scatter matrix
 * S_j = Σ_{i∈j} (x_i − x̄_j)(x_i − x̄_j)ᵀ (d × d, row-major).
 */
export interface PartitionStats {
  k: number;
  d: number;
  counts: Float64Array;
  means: Float64Array;
  scatters: Float64Array;
}

/**
 * The statistics of `labels` over `points` (restricted to `slots` when given),
 * in two passes: means, then scatter about them, so data far from the origin
 * (shifted by 1e6) loses no precision to cancellation.
 */
export function partitionStats(points: FlatPoints, labels: Int32Array, k: number, slots?: ArrayLike<number>): PartitionStats {
  const { data, d } = points;
  const m = slots ? slots.length : points.n;
  const counts = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let s = 0; s < m; s++) {
    const i = slots ? slots[s] : s;
    const c = labels[i];
    if (c < 0) continue;
    counts[c]++;
    for (let j = 0, p = i * d, q = c * d; j < d; j++) means[q + j] += data[p + j];
  }
  for (let c = 0; c < k; c++) if (counts[c] > 0) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  const scatters = new Float64Array(k * d * d);
  const diff = new Float64Array(d);
  for (let s = 0; s < m; s++) {
    const i = slots ? slots[s] : s;
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) diff[j] = data[i * d + j] - means[c * d + j];
    addOuter(scatters, c * d * d, diff, d);
  }
  return { k, d, counts, means, scatters };
}

/** Lower triangle of S += v vᵀ at `offset` (the upper is filled by `symmetrize`). */
export function addOuter(target: Float64Array, offset: number, v: Float64Array, d: number, weight = 1): void {
  for (let a = 0; a < d; a++) {
    const va = v[a] * weight;
    const row = offset + a * d;
    for (let b = 0; b <= a; b++) target[row + b] += va * v[b];
  }
}

/** Copies the lower triangle of every d × d matrix in `matrices` to its upper triangle, after `addOuter`. */
export function symmetrize(matrices: Float64Array, count: number, d: number): void {
  for (let c = 0; c < count; c++) {
    const o = c * d * d;
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) matrices[o + a * d + b] = matrices[o + b * d + a];
  }
}

/**
 * The statistics of the union of clusters a and b: counts add, the mean is the
 * weighted mean, S = S_a + S_b + (n_a n_b / n)(x̄_a − x̄_b)(x̄_a − x̄_b)ᵀ.
 */
export function unionStats(stats: PartitionStats, a: number, b: number): { count: number; mean: Float64Array; scatter: Float64Array } {
  const { d, counts, means, scatters } = stats;
  const na = counts[a];
  const nb = counts[b];
  const count = na + nb;
  const mean = new Float64Array(d);
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] = (na * means[a * d + j] + nb * means[b * d + j]) / count;
    delta[j] = means[a * d + j] - means[b * d + j];
  }
  const scatter = new Float64Array(d * d);
  for (let e = 0; e < d * d; e++) scatter[e] = scatters[a * d * d + e] + scatters[b * d * d + e];
  const w = (na * nb) / count;
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) scatter[r * d + c] += w * delta[r] * delta[c];
  return { count, mean, scatter };
}
