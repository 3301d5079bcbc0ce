import type { FrameRequest } from '../protocol.js';
import { m4Rows, rowsInRange, type RangeExtremes } from '../reduce/m4.js';
import { gather } from '../reduce/rows.js';
import { FRAME_MARGIN, widened } from './plot-state.js';

/** Series that share one x, as a frame holds them. */
export interface LineRows {
  x: Float64Array;
  ys: Float64Array[];
  shown: number;
  reduced: boolean;
}

/**
 * Every row of the x range asked for (or of the last steps asked for), widened by FRAME_MARGIN on each side, so a pan
 * shows lines at once; only when x ascends, else the whole line) while they are at most
 * 4 per pixel; else their M4 reduction. Arrays may be views of `x` and `ys`.
 */
export function lineRows(x: Float64Array, ys: Float64Array[], request: FrameRequest, ascending: boolean, extremes?: RangeExtremes): LineRows {
  const { width, x: range } = request;
  // The last steps are shown exactly (no margin: nothing is panned to while following them).
  const last = request.last !== undefined && ascending && x.length > 0 ? ([x[x.length - 1] - request.last, x[x.length - 1]] as const) : undefined;
  const view = last ?? (ascending ? widened(range) : undefined);
  const [from, to] = view ? rowsInRange(x, view[0], view[1]) : [0, x.length];
  const buckets = Math.max(1, Math.round(range && !last ? width * (1 + 2 * FRAME_MARGIN) : width));
  if (to - from <= 4 * buckets) return { x: x.subarray(from, to), ys: ys.map((y) => y.subarray(from, to)), shown: to - from, reduced: false };
  const rows = m4Rows(x, ys, from, to, buckets, ascending, extremes);
  return { x: gather(x, rows), ys: ys.map((y) => gather(y, rows)), shown: rows.length, reduced: true };
}
