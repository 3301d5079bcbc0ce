import { convexHullArea } from './convex-hull.js';
import type { FlatPoints } from './points.js';

export interface ClusterSummary {
  counts: Int32Array;
  /** k × d: per cluster, each coordinate's standard deviation over its points. */
  spreads: Float64Array;
  /** For 2-D points, the area of each cluster's convex hull. */
  areas?: Float64Array;
}

/**
 * What each of k clusters covers: its points, their spread per coordinate,
 * and (2-D) the area of their convex hull. `labels[i]` is point i's cluster in
 * 0..k-1, or -1 for a point in none.
 */
export function summarizeClusters({ data, n, d }: FlatPoints, labels: ArrayLike<number>, k: number): ClusterSummary {
  const counts = new Int32Array(k);
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) continue;
    counts[c]++;
    for (let j = 0; j < d; j++) means[c * d + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= Math.max(1, counts[c]);
  const spreads = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) spreads[c * d + j] += (data[i * d + j] - means[c * d + j]) ** 2;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) spreads[c * d + j] = Math.sqrt(spreads[c * d + j] / Math.max(1, counts[c]));
  if (d !== 2) return { counts, spreads };
  const members = Array.from({ length: k }, (_, c) => new Float64Array(2 * counts[c]));
  const filled = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) continue;
    members[c][2 * filled[c]] = data[2 * i];
    members[c][2 * filled[c] + 1] = data[2 * i + 1];
    filled[c]++;
  }
  return { counts, spreads, areas: Float64Array.from(members, (xy, c) => convexHullArea(xy, counts[c])) };
}
