/**
 * M4 aggregation (Jugel et al., "M4: A Visualization-Oriented Time Series Data
 * Aggregation", VLDB 2014). Of the rows [from, to) of series that share one x, it keeps
 * for every pixel column the first and the last row and, for every series, the rows of
 * its minimum and its maximum. Drawn as lines `buckets` pixels wide, those rows look the
 * same as all rows, so a million steps cost a few thousand points on the page.
 */

/**
 * The kept row indices, ascending. Pixel columns split [x[from], x[to-1]] evenly when x
 * ascends (steps), else they split the row range evenly.
 */
export function m4Rows(x: Float64Array, ys: readonly Float64Array[], from: number, to: number, buckets: number, ascending: boolean): Uint32Array {
  const kept: number[] = [];
  if (to <= from) return new Uint32Array(0);
  const x0 = x[from];
  const span = ascending ? x[to - 1] - x0 : to - from;
  const scale = span > 0 ? buckets / span : 0;
  const bucketOf = (i: number) => Math.min(buckets - 1, Math.floor(((ascending ? x[i] - x0 : i - from) * scale)));

  const minRow = new Int32Array(ys.length);
  const maxRow = new Int32Array(ys.length);
  let bucket = bucketOf(from);
  let first = from;
  const startBucket = (i: number) => {
    first = i;
    minRow.fill(i);
    maxRow.fill(i);
  };
  const endBucket = (last: number) => {
    const rows = new Set<number>([first, last]);
    for (let j = 0; j < ys.length; j++) rows.add(minRow[j]).add(maxRow[j]);
    kept.push(...[...rows].sort((a, b) => a - b));
  };

  startBucket(from);
  for (let i = from + 1; i < to; i++) {
    const b = bucketOf(i);
    if (b !== bucket) {
      endBucket(i - 1);
      bucket = b;
      startBucket(i);
      continue;
    }
    for (let j = 0; j < ys.length; j++) {
      const y = ys[j][i];
      // NaN compares false both ways, so a gap never becomes an extreme.
      if (y < ys[j][minRow[j]] || Number.isNaN(ys[j][minRow[j]])) minRow[j] = i;
      if (y > ys[j][maxRow[j]] || Number.isNaN(ys[j][maxRow[j]])) maxRow[j] = i;
    }
  }
  endBucket(to - 1);
  return Uint32Array.from(kept);
}

/**
 * The rows of ascending `x` that draw [low, high]: those inside plus one on each side, so
 * the lines run to the edges of the view.
 */
export function rowsInRange(x: Float64Array, low: number, high: number): [number, number] {
  const from = Math.max(0, firstAtLeast(x, low) - 1);
  const to = Math.min(x.length, firstAtLeast(x, high, true) + 1);
  return [from, Math.max(from, to)];
}

/** The first index whose value is >= `value` (> when `strictly`), by binary search. */
function firstAtLeast(x: Float64Array, value: number, strictly = false): number {
  let low = 0;
  let high = x.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (strictly ? x[mid] <= value : x[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
