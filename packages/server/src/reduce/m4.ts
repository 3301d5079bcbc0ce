/**
 * M4 aggregation (Jugel et al., "M4: A Visualization-Oriented Time Series Data
 * Aggregation", VLDB 2014). Of the rows [from, to) of series that share one x, it keeps
 * for every pixel column the first and the last row and, for every series, the rows of
 * its minimum and its maximum. Drawn as lines `buckets` pixels wide, those rows look the
 * same as all rows, so a million steps cost a few thousand points on the page.
 */

/** The rows of the minimum and the maximum of series `series` over rows [from, to) (from < to). */
export type RangeExtremes = (series: number, from: number, to: number) => [number, number];

/**
 * The kept row indices, ascending. Pixel columns split [x[from], x[to-1]] evenly when x
 * ascends (steps), else they split the row range evenly. `extremes` finds a column's
 * minimum and maximum; by default it scans the column's rows (see BlockExtremes for a
 * faster one).
 */
export function m4Rows(
  x: Float64Array,
  ys: readonly Float64Array[],
  from: number,
  to: number,
  buckets: number,
  ascending: boolean,
  extremes: RangeExtremes = (series, low, high) => scanExtremes(ys[series], low, high),
): Uint32Array {
  if (to <= from) return new Uint32Array(0);
  const x0 = x[from];
  const span = ascending ? x[to - 1] - x0 : to - from;
  const scale = span > 0 ? buckets / span : 0;
  const bucketOf = (i: number) => Math.min(buckets - 1, Math.floor((ascending ? x[i] - x0 : i - from) * scale));

  const kept: number[] = [];
  const rows: number[] = [];
  let start = from;
  while (start < to) {
    // The column's rows end where the next column starts: bucketOf grows with the row.
    const bucket = bucketOf(start);
    const end = firstRowWhere(start + 1, to, (i) => bucketOf(i) > bucket);
    rows.length = 0;
    rows.push(start, end - 1);
    for (let j = 0; j < ys.length; j++) rows.push(...extremes(j, start, end));
    rows.sort((a, b) => a - b);
    for (let i = 0; i < rows.length; i++) if (i === 0 || rows[i] !== rows[i - 1]) kept.push(rows[i]);
    start = end;
  }
  return Uint32Array.from(kept);
}

/** The rows of the minimum and maximum of y over [from, to); a NaN (a gap) is never an extreme while there are numbers. */
export function scanExtremes(y: Float64Array, from: number, to: number): [number, number] {
  let min = from;
  let max = from;
  for (let i = from + 1; i < to; i++) {
    if (y[i] < y[min] || Number.isNaN(y[min])) min = i;
    if (y[i] > y[max] || Number.isNaN(y[max])) max = i;
  }
  return [min, max];
}

/**
 * The first row in [low, high) where `holds` (which, once true, stays true), else high;
 * galloping from `low`, so a short pixel column costs a few steps, a long one O(log n).
 */
function firstRowWhere(low: number, high: number, holds: (i: number) => boolean): number {
  let step = 1;
  while (low + step < high && !holds(low + step)) {
    low += step;
    step *= 2;
  }
  if (low < high && holds(low)) return low;
  high = Math.min(high, low + step);
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (holds(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
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
