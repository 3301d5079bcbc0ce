import type { LinesOptions } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { BlockExtremes } from '../reduce/block-extremes.js';
import { ColumnBlock, type Rollover } from './column-block.js';
import { InvalidRecordError } from './invalid-record.js';
import { lineRows } from './line-frame.js';
import { DEFAULT_ROLLOVER, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';

/**
 * Tandem lines sharing one x (a step): each record appends one row, x = opts.x and
 * y0..yM-1 = the record's `y` array of M values. M is fixed by the first record. All
 * columns live in one block (column 0 the steps, column i + 1 line i), so a line costs its
 * values and nothing more.
 */
export class LinesPlot implements PlotState<'lines'> {
  readonly kind = 'lines';
  private readonly rollover: Rollover = { limit: DEFAULT_ROLLOVER };
  private palette: string | undefined;
  private rows: ColumnBlock | undefined;
  /** Every x so far was >= the one before (steps): a zoomed frame then finds its rows by binary search. */
  private ascending = true;
  /** Rows ever appended: row n is the n-th, and the held rows are the newest `length()` of them. */
  private appended = 0;
  /**
   * Per line, the min and max rows per block, kept as rows come once a frame first needs
   * them (M4 of a long line without a scan); absent for lines no frame has reduced yet.
   */
  private extremes: (BlockExtremes | undefined)[] = [];
  /** The loggers (producers) that wrote rows: a new one that starts before the newest step restarts the line there. */
  private readonly loggers = new Set<string>();
  /** When (the producer's clock) the newest row was made. */
  private newestTime = -Infinity;

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'lines'>): DeferredDelta {
    const opts: LinesOptions = record.header.opts;
    const y = record.arrays.y.data;
    if (this.rows && this.rows.width !== 1 + y.length) {
      throw new InvalidRecordError(`plot '${this.plot}' has ${this.rows.width - 1} lines, record has ${y.length}`);
    }

    const rollover = opts.rollover ?? this.rollover.limit;
    if (rollover > this.rollover.limit) this.rows?.settle();
    this.rollover.limit = rollover;
    this.palette = opts.palette ?? this.palette;
    this.rows ??= new ColumnBlock(1 + y.length, this.rollover);
    const restarted = this.restartsAt(opts.x, record.header.logger, record.header.time);
    this.loggers.add(record.header.logger);
    this.newestTime = Math.max(this.newestTime, record.header.time);
    if (this.rows.length > 0 && !(opts.x >= this.rows.last(0))) this.ascending = false;
    this.rows.appendRow(opts.x, y);
    const row = this.appended++;
    const dropped = this.appended - this.rows.length;
    for (let i = 0; i < this.extremes.length; i++) {
      this.extremes[i]?.push(row, y[i]);
      this.extremes[i]?.dropBefore(dropped);
    }

    if (restarted) return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
    const columns: Columns = { x: [opts.x] };
    return () => {
      y.forEach((value, i) => (columns[`y${i}`] = [value]));
      return { plot: this.plot, op: 'append', columns, rollover };
    };
  }

  /**
   * TensorBoard's rule for a restarted run: the first row of a producer (a logger) new to
   * this line, made after the line's newest row but at a step before it, drops the rows from
   * that step on, so the line goes on from there instead of being drawn back to it. (An older
   * producer's rows read late, from another log, restart nothing.) Returns whether rows were dropped.
   */
  private restartsAt(x: number, logger: string, time: number): boolean {
    const rows = this.rows!;
    if (this.loggers.size === 0 || this.loggers.has(logger) || !this.ascending || rows.length === 0 || !(x < rows.last(0)) || !(time > this.newestTime)) return false;
    const steps = rows.column(0);
    let keep = 0;
    for (let high = steps.length; keep < high; ) {
      const middle = (keep + high) >> 1;
      if (steps[middle] < x) keep = middle + 1;
      else high = middle;
    }
    const dropped = rows.length - keep;
    rows.truncate(keep);
    this.appended -= dropped;
    // The per-block extremes are rebuilt the next time a frame needs them.
    this.extremes = [];
    return true;
  }

  options(): PlotOptions {
    return { rollover: this.rollover.limit, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    const { rows } = this;
    if (!rows) return { x: [] };
    const columns: Columns = { x: rows.toArray(0) };
    for (let i = 1; i < rows.width; i++) columns[`y${i - 1}`] = rows.toArray(i);
    return columns;
  }

  /** The rows a page shows (see lineRows); the per-block extremes spare M4 a scan. */
  frame(request: FrameRequest): FrameData<'lines'> {
    const { rows } = this;
    if (!rows) return { data: { x: new Float64Array(0), ys: [] }, rows: 0, shown: 0, reduced: false };
    const x = rows.column(0);
    const ys = Array.from({ length: rows.width - 1 }, (_, i) => rows.column(i + 1));
    const dropped = this.appended - x.length;
    const extremesOf = (line: number, low: number, high: number): [number, number] => {
      const [min, max] = this.extremesOf(line, ys[line], dropped).extremes(low + dropped, high + dropped, dropped, ys[line]);
      return [min - dropped, max - dropped];
    };
    const { x: shownX, ys: shownYs, shown, reduced } = lineRows(x, ys, request, this.ascending, extremesOf);
    return { data: { x: shownX, ys: shownYs }, rows: x.length, shown, reduced };
  }

  length(): number {
    return this.rows?.length ?? 0;
  }

  /** Line `line`'s block extremes, made from its held values `ys` (rows from `dropped` on) the first time. */
  private extremesOf(line: number, ys: Float64Array, dropped: number): BlockExtremes {
    let blocks = this.extremes[line];
    if (!blocks) {
      blocks = new BlockExtremes();
      for (let i = 0; i < ys.length; i++) blocks.push(dropped + i, ys[i]);
      this.extremes[line] = blocks;
    }
    return blocks;
  }
}
