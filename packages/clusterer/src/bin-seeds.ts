import type { FlatPoints } from './points.js';

/**
 * Starting points for mode seeking: the points binned on a grid of cells of
 * side `binSize` (the bandwidth, as scikit-learn's `bin_seeding` does), one
 * seed per occupied cell at the mean of its points. Far fewer seeds than
 * points, and every dense region gets some. Seeds come in order of first
 * occupation, so the result depends only on the points and their order.
 */
export function binSeeds({ data, n, d }: FlatPoints, binSize: number): { seeds: Float64Array; counts: Int32Array; m: number } {
  const cells = new Float64Array(n * d);
  // Open hashing over cell coordinates: head[hash] is the first bin of a chain, next[bin] the one after.
  const tableSize = 1 << Math.max(4, Math.ceil(Math.log2(n * 2 + 1)));
  const head = new Int32Array(tableSize).fill(-1);
  const next = new Int32Array(n);
  const sums = new Float64Array(n * d);
  const counts = new Int32Array(n);
  const cell = new Float64Array(d);
  let m = 0;
  for (let i = 0, p = 0; i < n; i++, p += d) {
    let h = 0x811c9dc5;
    for (let j = 0; j < d; j++) {
      cell[j] = Math.floor(data[p + j] / binSize + 0.5);
      h = Math.imul(h ^ (cell[j] | 0), 0x01000193) ^ Math.imul(Math.floor(cell[j] / 4294967296) | 0, 0x27d4eb2d);
    }
    const slot = (h >>> 0) & (tableSize - 1);
    let bin = head[slot];
    for (; bin >= 0; bin = next[bin]) {
      let same = true;
      for (let j = 0; j < d && same; j++) same = cells[bin * d + j] === cell[j];
      if (same) break;
    }
    if (bin < 0) {
      bin = m++;
      cells.set(cell, bin * d);
      next[bin] = head[slot];
      head[slot] = bin;
    }
    counts[bin]++;
    for (let j = 0; j < d; j++) sums[bin * d + j] += data[p + j];
  }
  for (let b = 0; b < m; b++) for (let j = 0; j < d; j++) sums[b * d + j] /= counts[b];
  return { seeds: sums.subarray(0, m * d), counts: counts.subarray(0, m), m };
}
