import { solveAssignment } from './hungarian.js';

/**
 * The original flowclus rule, kept as the baseline: when one side has more
 * centers, drop its centers farthest from the other side (by nearest
 * distance) until both sides are equal, then match all of the rest by an
 * optimal assignment of squared distances. No gate: equal counts always match.
 * Input and output as `matchWithinGate`.
 */
export function matchTrimmed(dist2: Float64Array, rows: number, cols: number): Int32Array {
  const colOf = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return colOf;
  const rowNearest = new Float64Array(rows).fill(Infinity);
  const colNearest = new Float64Array(cols).fill(Infinity);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const s = dist2[i * cols + j];
      if (s < rowNearest[i]) rowNearest[i] = s;
      if (s < colNearest[j]) colNearest[j] = s;
    }
  }
  const size = Math.min(rows, cols);
  const keptRows = closest(rowNearest, size);
  const keptCols = closest(colNearest, size);
  const cost = new Float64Array(size * size);
  keptRows.forEach((i, r) => keptCols.forEach((j, c) => (cost[r * size + c] = dist2[i * cols + j])));
  const assigned = solveAssignment(cost, size, size);
  keptRows.forEach((i, r) => (colOf[i] = keptCols[assigned[r]]));
  return colOf;
}

/** Indices of the `keep` smallest values, in index order. */
function closest(nearest: Float64Array, keep: number): number[] {
  return Array.from(nearest.keys())
    .sort((a, b) => nearest[a] - nearest[b] || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}
