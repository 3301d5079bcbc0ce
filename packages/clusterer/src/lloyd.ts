import type { FlatPoints } from './points.js';
import { assignNearest } from './nearest.js';

/** A k-means partition of a frame: centers, cluster sizes and each point's nearest center. */
export interface Partition {
  centers: Float64Array; // k × d, row-major
  k: number;
  counts: Int32Array;
  labels: Int32Array; // per point, index into centers
  dist2: Float64Array; // per point, squared distance to its center
  sse: number; // within-cluster sum of squares
}

/**
 * Lloyd's algorithm warm-started from `initial` (k0 × d). Centers left without
 * points are dropped, so the result may have fewer than k0 centers.
 */
export function lloyd(points: FlatPoints, initial: Float64Array, k0: number, maxIterations = 50): Partition {
  const { data, n, d } = points;
  let centers: Float64Array = initial.slice(0, k0 * d);
  let k = k0;
  const labels = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  let counts: Int32Array = new Int32Array(k);
  assignNearest(data, n, d, centers, k, labels, dist2);
  for (let it = 0; it < maxIterations; it++) {
    ({ centers, counts, k } = means(points, labels, k));
    if (assignNearest(data, n, d, centers, k, labels, dist2) === 0) break;
  }
  counts = new Int32Array(k);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    sse += dist2[i];
  }
  return { centers, k, counts, labels, dist2, sse };
}

/** Cluster means of the labelled points; empty clusters are dropped and labels renumbered. */
function means(points: FlatPoints, labels: Int32Array, k: number): { centers: Float64Array; counts: Int32Array; k: number } {
  const { data, n, d } = points;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0, p = 0; i < n; i++, p += d) {
    const q = labels[i] * d;
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) sums[q + j] += data[p + j];
  }
  const renumber = new Int32Array(k);
  let kept = 0;
  for (let c = 0; c < k; c++) {
    renumber[c] = kept;
    if (counts[c] === 0) continue;
    for (let j = 0; j < d; j++) sums[kept * d + j] = sums[c * d + j] / counts[c];
    counts[kept++] = counts[c];
  }
  if (kept < k) for (let i = 0; i < n; i++) labels[i] = renumber[labels[i]];
  return { centers: sums.slice(0, kept * d), counts: counts.slice(0, kept), k: kept };
}
