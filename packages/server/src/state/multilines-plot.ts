import type { AppendOptions, TypedArray } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { lineRows } from './line-frame.js';
import { ColumnBuffer } from './column-buffer.js';
import { DEFAULT_ROLLOVER, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';
import { requireArray, requireSameShape, rolloverOf } from './record-arrays.js';

interface Line {
  xs: ColumnBuffer;
  ys: ColumnBuffer;
}

/**
 * Separate lines, each a list of points. A record holds `x` and `y` of shape
 * [lines, points]: append extends line i by row i (new lines start empty), replace
 * swaps the whole set of lines. Rollover bounds the points kept per line.
 */
export class MultiLinesPlot implements PlotState<'multilines'> {
  readonly kind = 'multilines';
  private rollover = DEFAULT_ROLLOVER;
  private palette: string | undefined;
  private lines: Line[] = [];

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'multilines'>): DeferredDelta {
    const opts: AppendOptions = record.header.opts;
    const xs = requireArray(record, 'x', 2);
    const ys = requireArray(record, 'y', 2);
    requireSameShape(xs, ys, "'x' and 'y'");
    const [count, points] = xs.shape;
    const append = opts.append === true;

    this.rollover = rolloverOf(opts.rollover, this.rollover);
    this.palette = opts.palette ?? this.palette;
    if (!append) this.lines = [];
    while (this.lines.length < count) this.lines.push({ xs: new ColumnBuffer(this.rollover), ys: new ColumnBuffer(this.rollover) });
    this.lines.forEach((line, i) => {
      line.xs.setLimit(this.rollover);
      line.ys.setLimit(this.rollover);
      if (i >= count) return;
      line.xs.append(rowOf(xs.data, i, points));
      line.ys.append(rowOf(ys.data, i, points));
    });

    if (!append) return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
    const rollover = this.rollover;
    return () => {
      const from = Math.max(0, points - rollover);
      const rows = (data: TypedArray) => Array.from({ length: count }, (_, i) => Array.from(rowOf(data, i, points).subarray(from)));
      return { plot: this.plot, op: 'append', columns: { xs: rows(xs.data), ys: rows(ys.data) }, rollover };
    };
  }

  options(): PlotOptions {
    return { rollover: this.rollover, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    return { xs: this.lines.map((l) => l.xs.toArray()), ys: this.lines.map((l) => l.ys.toArray()) };
  }

  /** Each line as a page shows it (see lineRows); `rows` and `shown` count points. */
  frame(request: FrameRequest): FrameData<'multilines'> {
    const xs: Float64Array[] = [];
    const ys: Float64Array[] = [];
    let [rows, shown, reduced] = [0, 0, false];
    for (const line of this.lines) {
      const x = line.xs.view();
      const part = lineRows(x, [line.ys.view()], request, isAscending(x));
      xs.push(part.x);
      ys.push(part.ys[0]);
      rows += x.length;
      shown += part.shown;
      reduced ||= part.reduced;
    }
    return { data: { xs, ys }, rows, shown, reduced };
  }

  length(): number {
    return this.lines.length;
  }
}

function rowOf(data: TypedArray, line: number, points: number): TypedArray {
  return data.subarray(line * points, (line + 1) * points);
}

function isAscending(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (!(x[i] >= x[i - 1])) return false;
  return true;
}
