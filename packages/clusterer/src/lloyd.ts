import type { FlatPoints } from './points.js';
import { toUnitLength } from './space.js';

/** A k-means partition of a frame: centers, cluster sizes and each point's nearest center. */
export interface Partition {
  centers: Float64Array; // k × d, row-major
  k: number;
  counts: Int32Array;
  labels: Int32Array; // per point, index into centers
  dist2: Float64Array; // per point, squared distance to its center
  sse: number; // within-cluster sum of squares
  /** Hamerly's bounds for `centers`: with `labels`, the warm start of the next refit. */
  bounds: Bounds;
}

/**
 * Per point, an upper bound on the distance to its center and a lower bound on
 * the distance to any other. An upper bound of Infinity marks a point whose
 * label and bounds are unknown (a point just added to the frame).
 */
export interface Bounds {
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Lloyd's algorithm warm-started from `initial` (k0 × d), with Hamerly's
 * bounds (Hamerly, "Making k-means even faster", SDM 2010): each point keeps
 * an upper bound on the distance to its center and a lower bound on the
 * distance to any other, so after the first pass most points are settled
 * without computing a single distance. Same result as plain Lloyd. Centers
 * left without points are dropped, so the result may have fewer than k0.
 *
 * `warm` (labels and bounds for `initial`, as a previous call returned them,
 * with unknown points marked) carries the bounds across calls: a refit after a
 * small change to the points then starts with only the unknown points to assign.
 *
 * `onSphere`: spherical k-means (Dhillon & Modha, "Concept decompositions for
 * large sparse text data using clustering", Machine Learning 2001) for points
 * of length 1: each mean is scaled back to length 1, so the nearest center by
 * Euclidean distance is the one of largest cosine. The bounds hold for any
 * move of the centers, so they work unchanged.
 */
export function lloyd(points: FlatPoints, initial: Float64Array, k0: number, maxIterations = 50, warm?: { labels: Int32Array; bounds: Bounds }, onSphere = false): Partition {
  const { data, n, d } = points;
  let centers: Float64Array = initial.slice(0, k0 * d);
  let k = k0;
  const labels = warm ? warm.labels.slice(0, n) : new Int32Array(n);
  const upper = warm ? warm.bounds.upper.slice(0, n) : new Float64Array(n).fill(Infinity);
  const lower = warm ? warm.bounds.lower.slice(0, n) : new Float64Array(n);
  assignUnknown(points, centers, k, labels, upper, lower);
  for (let it = 0; it < maxIterations; it++) {
    const next = means(points, labels, k);
    if (onSphere) for (let c = 0; c < next.k; c++) toUnitLength(next.centers, c, d);
    if (next.k < k) {
      // Dropping a center renumbers the clusters: start the bounds afresh.
      centers = next.centers;
      k = next.k;
      upper.fill(Infinity);
      assignUnknown(points, centers, k, labels, upper, lower);
      continue;
    }
    loosenBounds(centers, next.centers, k, d, labels, upper, lower);
    centers = next.centers;
    if (reassign(points, centers, k, labels, upper, lower) === 0) break;
  }
  const counts = new Int32Array(k);
  const dist2 = new Float64Array(n);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0, p = i * d, q = labels[i] * d; j < d; j++) {
      const diff = data[p + j] - centers[q + j];
      s += diff * diff;
    }
    dist2[i] = s;
    sse += s;
    counts[labels[i]]++;
  }
  return { centers, k, counts, labels, dist2, sse, bounds: { upper, lower } };
}

/** Nearest and second-nearest center of every point not yet assigned, as label, upper and lower bound. */
function assignUnknown(points: FlatPoints, centers: Float64Array, k: number, labels: Int32Array, upper: Float64Array, lower: Float64Array): void {
  for (let i = 0; i < points.n; i++) if (upper[i] === Infinity) nearestTwo(points, i, centers, k, labels, upper, lower);
}

/** Hamerly's step: only points whose bounds overlap are looked at. Returns how many changed cluster. */
function reassign(points: FlatPoints, centers: Float64Array, k: number, labels: Int32Array, upper: Float64Array, lower: Float64Array): number {
  const { data, n, d } = points;
  const halfGap = halfNearestCenterDistances(centers, k, d);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const bound = Math.max(halfGap[a], lower[i]);
    if (upper[i] <= bound) continue;
    let s = 0;
    for (let j = 0, p = i * d, q = a * d; j < d; j++) {
      const diff = data[p + j] - centers[q + j];
      s += diff * diff;
    }
    upper[i] = Math.sqrt(s);
    if (upper[i] <= bound) continue;
    nearestTwo(points, i, centers, k, labels, upper, lower);
    if (labels[i] !== a) changed++;
  }
  return changed;
}

function nearestTwo(points: FlatPoints, i: number, centers: Float64Array, k: number, labels: Int32Array, upper: Float64Array, lower: Float64Array): void {
  const { data, d } = points;
  const p = i * d;
  let best = 0;
  let bestD2 = Infinity;
  let secondD2 = Infinity;
  for (let c = 0, q = 0; c < k; c++, q += d) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[p + j] - centers[q + j];
      s += diff * diff;
    }
    if (s < bestD2) {
      secondD2 = bestD2;
      bestD2 = s;
      best = c;
    } else if (s < secondD2) {
      secondD2 = s;
    }
  }
  labels[i] = best;
  upper[i] = Math.sqrt(bestD2);
  lower[i] = Math.sqrt(secondD2);
}

/** Half the distance from each center to its nearest other center: a point closer than that to its center cannot switch. */
function halfNearestCenterDistances(centers: Float64Array, k: number, d: number): Float64Array {
  const half = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = centers[a * d + j] - centers[b * d + j];
        s += diff * diff;
      }
      const h = Math.sqrt(s) / 2;
      if (h < half[a]) half[a] = h;
      if (h < half[b]) half[b] = h;
    }
  }
  return half;
}

/** After centers move: a point's own center moved by at most its shift, any other center by at most the largest shift. */
function loosenBounds(before: Float64Array, after: Float64Array, k: number, d: number, labels: Int32Array, upper: Float64Array, lower: Float64Array): void {
  const shift = new Float64Array(k);
  let largest = 0;
  let secondLargest = 0;
  let largestAt = -1;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = after[c * d + j] - before[c * d + j];
      s += diff * diff;
    }
    shift[c] = Math.sqrt(s);
    if (shift[c] > largest) {
      secondLargest = largest;
      largest = shift[c];
      largestAt = c;
    } else if (shift[c] > secondLargest) {
      secondLargest = shift[c];
    }
  }
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    upper[i] += shift[a];
    lower[i] -= a === largestAt ? secondLargest : largest;
  }
}

/** Cluster means of the labelled points; empty clusters are dropped and labels renumbered. */
function means(points: FlatPoints, labels: Int32Array, k: number): { centers: Float64Array; k: number } {
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
    kept++;
  }
  if (kept < k) for (let i = 0; i < n; i++) labels[i] = renumber[labels[i]];
  return { centers: sums.slice(0, kept * d), k: kept };
}
