import type { LinesOptions } from '@streamvis/format';
import type { Columns, PlotOptions } from '../protocol.js';
import { ColumnBuffer } from './column-buffer.js';
import { InvalidRecordError } from './invalid-record.js';
import { DEFAULT_ROLLOVER, type DeferredDelta, type PlotState, type RecordOfKind } from './plot-state.js';
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
    this.x.push(opts.x);
    for (let i = 0; i < y.length; i++) this.ys[i].push(y[i]);

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

  length(): number {
    return this.x.length;
  }
}
