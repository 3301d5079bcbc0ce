/**
 * The per-point hot path: assign each of n points (row-major, d coordinates)
 * to its nearest of k centers by squared Euclidean distance. Writes `labels`
 * and `dist2` in place and returns how many labels changed, so Lloyd's loop
 * can stop without a second pass.
 */
export function assignNearest(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  dist2: Float64Array,
): number {
  let changed = 0;
  for (let i = 0, p = 0; i < n; i++, p += d) {
    let best = 0;
    let bestD2 = Infinity;
    for (let c = 0, q = 0; c < k; c++, q += d) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[p + j] - centers[q + j];
        s += diff * diff;
        // Partial distance search: stop summing once this center cannot win.
        if (s >= bestD2) break;
      }
      if (s < bestD2) {
        bestD2 = s;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
    dist2[i] = bestD2;
  }
  return changed;
}

/** Squared Euclidean distance between rows a and b of two flat arrays of width d. */
export function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[ai * d + j] - b[bi * d + j];
    s += diff * diff;
  }
  return s;
}
