/** Picking rows out of columns: the points of a scatter inside the view, the rows a reduction keeps. */

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

/** values[rows[i]] for every i. */
export function gather(values: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}
