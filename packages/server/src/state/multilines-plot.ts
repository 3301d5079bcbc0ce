import type { AppendOptions, TypedArray } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { ColumnBlock, type Rollover } from './column-block.js';
import { InvalidRecordError } from './invalid-record.js';
import { lineRows } from './line-frame.js';
import { DEFAULT_ROLLOVER, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';

/**
 * Separate lines, each a list of points. A record holds `x` and `y` of shape
 * [lines, points]: append extends line i by row i (new lines start empty), replace
 * swaps the whole set of lines. Rollover bounds the points kept per line. A line holds
 * memory only once it has points: an empty line is a hole in the list.
 *
 * With `color` (shape [lines]) each line has a colour value: a record's values replace
 * those of the lines it holds (the latest wins), the other lines keep theirs. As for a
 * scatter's points, an append to a plot with lines carries colour exactly when they have it.
 */
export class MultiLinesPlot implements PlotState<'multilines'> {
  readonly kind = 'multilines';
  private readonly rollover: Rollover = { limit: DEFAULT_ROLLOVER };
  private palette: string | undefined;
  /** Per line, its points (column 0 x, column 1 y), or nothing while it has none. */
  private lines: (ColumnBlock | undefined)[] = [];
  /** Per line, its colour value, while the plot's lines are coloured (as long as `lines`). */
  private colors: Float64Array | undefined;

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'multilines'>): DeferredDelta {
    const opts: AppendOptions = record.header.opts;
    const { x: xs, y: ys, color } = record.arrays;
    const [count, points] = xs.shape;
    const append = opts.append;
    if (append && this.lines.length > 0 && Boolean(color) !== Boolean(this.colors)) {
      throw new InvalidRecordError(`append to '${this.plot}' ${color ? 'adds' : 'drops'} the lines' colour values`);
    }

    const rollover = opts.rollover ?? this.rollover.limit;
    // Lines not in this record apply a lower limit when next used; a higher one must not bring back what the lower dropped.
    if (rollover > this.rollover.limit) for (const line of this.lines) line?.settle();
    this.rollover.limit = rollover;
    this.palette = opts.palette ?? this.palette;
    if (!append) this.lines = [];
    if (this.lines.length < count) this.lines.length = count;
    if (points > 0) {
      for (let i = 0; i < count; i++) {
        const line = (this.lines[i] ??= new ColumnBlock(2, this.rollover));
        line.append([rowOf(xs.data, i, points), rowOf(ys.data, i, points)]);
      }
    }
    this.colors = color ? withValues(append ? this.colors : undefined, this.lines.length, color.data) : undefined;

    if (!append) return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
    return () => {
      const from = Math.max(0, points - rollover);
      const rows = (data: TypedArray) => Array.from({ length: count }, (_, i) => Array.from(rowOf(data, i, points).subarray(from)));
      const columns: Columns = { xs: rows(xs.data), ys: rows(ys.data) };
      if (color) columns.color = Array.from(color.data);
      return { plot: this.plot, op: 'append', columns, rollover };
    };
  }

  options(): PlotOptions {
    return { rollover: this.rollover.limit, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    const each = (column: number) => Array.from(this.lines, (line) => line?.toArray(column) ?? []);
    return { xs: each(0), ys: each(1), ...(this.colors ? { color: Array.from(this.colors) } : {}) };
  }

  /** Each line as a page shows it (see lineRows); `rows` and `shown` count points. */
  frame(request: FrameRequest): FrameData<'multilines'> {
    const xs: Float64Array[] = [];
    const ys: Float64Array[] = [];
    let [rows, shown, reduced] = [0, 0, false];
    for (const line of this.lines) {
      const x = line?.column(0) ?? NO_POINTS;
      const part = lineRows(x, [line?.column(1) ?? NO_POINTS], request, isAscending(x));
      xs.push(part.x);
      ys.push(part.ys[0]);
      rows += x.length;
      shown += part.shown;
      reduced ||= part.reduced;
    }
    return { data: { xs, ys, ...(this.colors ? { color: this.colors } : {}) }, rows, shown, reduced };
  }

  length(): number {
    return this.lines.length;
  }
}

const NO_POINTS = new Float64Array(0);

/** `lines` colour values: the record's `values` for its lines, the others' from `kept` (a copy: the record's arrays are views of its bytes). */
function withValues(kept: Float64Array | undefined, lines: number, values: TypedArray): Float64Array {
  const colors = new Float64Array(lines);
  if (kept) colors.set(kept.subarray(0, lines));
  colors.set(values);
  return colors;
}

function rowOf(data: TypedArray, line: number, points: number): TypedArray {
  return data.subarray(line * points, (line + 1) * points);
}

function isAscending(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (!(x[i] >= x[i - 1])) return false;
  return true;
}
