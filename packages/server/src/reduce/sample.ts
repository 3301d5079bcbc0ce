/**
 * Reducing a scatter to what a page can draw: the points inside the view, then an even
 * (systematic) sample of them when they are still too many. A systematic sample keeps
 * the density of the cloud, and the same data always gives the same points (no flicker).
 */

/** Indices of the points inside the box; a missing range does not restrict. */
export function pointsInBox(x: Float64Array, y: Float64Array, xRange?: readonly [number, number], yRange?: readonly [number, number]): Uint32Array {
  const [x0, x1] = xRange ?? [-Infinity, Infinity];
  const [y0, y1] = yRange ?? [-Infinity, Infinity];
  const inside = new Uint32Array(x.length);
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1) inside[count++] = i;
  }
  return inside.subarray(0, count);
}

/** At most `limit` of the positions 0..count-1, evenly spread: floor(i * count / limit) for i < limit; all of them when count <= limit. */
export function evenSample(count: number, limit: number): Uint32Array {
  const step = Math.max(1, count / limit);
  return Uint32Array.from({ length: Math.min(count, limit) }, (_, i) => Math.floor(i * step));
}

/** values[rows[i]] for every i. */
export function gather(values: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}
