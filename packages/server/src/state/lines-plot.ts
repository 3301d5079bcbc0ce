import type { LinesOptions } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { BlockExtremes } from '../reduce/block-extremes.js';
import { ColumnBuffer } from './column-buffer.js';
import { InvalidRecordError } from './invalid-record.js';
import { lineRows } from './line-frame.js';
import { DEFAULT_ROLLOVER, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';
import { requireArray, rolloverOf } from './record-arrays.js';

/**
 * Tandem lines sharing one x (a step): each record appends one row, x = opts.x and
 * y0..yM-1 = the record's `y` array of M values. M is fixed by the first record.
 */
export class LinesPlot implements PlotState<'lines'> {
  readonly kind = 'lines';
  private rollover = DEFAULT_ROLLOVER;
  private palette: string | undefined;
  private readonly x = new ColumnBuffer(DEFAULT_ROLLOVER);
  private ys: ColumnBuffer[] | undefined;
  /** Every x so far was >= the one before (steps): a zoomed frame then finds its rows by binary search. */
  private ascending = true;
  /** Rows ever appended: row n is the n-th, and the held rows are the newest x.length of them. */
  private appended = 0;
  /** Per line, the min and max rows per block, kept as rows come: M4 of a long line without a scan. */
  private extremes: BlockExtremes[] = [];

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'lines'>): DeferredDelta {
    const opts: LinesOptions = record.header.opts;
    const y = requireArray(record, 'y', 1).data;
    if (typeof opts.x !== 'number') throw new InvalidRecordError(`lines record for '${this.plot}' lacks opts.x`);
    if (this.ys && this.ys.length !== y.length) {
      throw new InvalidRecordError(`plot '${this.plot}' has ${this.ys.length} lines, record has ${y.length}`);
    }

    const rollover = rolloverOf(opts.rollover, this.rollover);
    this.palette = opts.palette ?? this.palette;
    this.ys ??= Array.from(y, () => new ColumnBuffer(rollover));
    if (rollover !== this.rollover) {
      this.rollover = rollover;
      for (const buffer of [this.x, ...this.ys]) buffer.setLimit(rollover);
    }
    if (this.x.length > 0 && !(opts.x >= this.x.view()[this.x.length - 1])) this.ascending = false;
    this.x.push(opts.x);
    for (let i = 0; i < y.length; i++) this.ys[i].push(y[i]);
    const row = this.appended++;
    const dropped = this.appended - this.x.length;
    for (let i = 0; i < y.length; i++) {
      const blocks = (this.extremes[i] ??= new BlockExtremes());
      blocks.push(row, y[i]);
      blocks.dropBefore(dropped);
    }

    const columns: Columns = { x: [opts.x] };
    return () => {
      y.forEach((value, i) => (columns[`y${i}`] = [value]));
      return { plot: this.plot, op: 'append', columns, rollover };
    };
  }

  options(): PlotOptions {
    return { rollover: this.rollover, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    const columns: Columns = { x: this.x.toArray() };
    this.ys?.forEach((buffer, i) => (columns[`y${i}`] = buffer.toArray()));
    return columns;
  }

  /** The rows a page shows (see lineRows); the per-block extremes spare M4 a scan. */
  frame(request: FrameRequest): FrameData<'lines'> {
    const x = this.x.view();
    const ys = (this.ys ?? []).map((buffer) => buffer.view());
    const dropped = this.appended - x.length;
    const extremesOf = (line: number, low: number, high: number): [number, number] => {
      const [min, max] = this.extremes[line].extremes(low + dropped, high + dropped, dropped, ys[line]);
      return [min - dropped, max - dropped];
    };
    const { x: shownX, ys: shownYs, shown, reduced } = lineRows(x, ys, request, this.ascending, extremesOf);
    return { data: { x: shownX, ys: shownYs }, rows: x.length, shown, reduced };
  }

  length(): number {
    return this.x.length;
  }
}
