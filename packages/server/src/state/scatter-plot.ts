import type { AppendOptions } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { evenSample, gather, pointsInBox } from '../reduce/sample.js';
import { ColumnBuffer } from './column-buffer.js';
import { InvalidRecordError } from './invalid-record.js';
import { DEFAULT_ROLLOVER, widened, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';
import { optionalArray, requireArray, requireSameShape, rolloverOf } from './record-arrays.js';

/**
 * Most points one frame draws. Measured in headless Chromium without a GPU (npm run bench):
 * a 100k-point scatter replaced at 10 Hz beside a long line repaints 4.3 times a second at
 * 20k points and 8.6 at 10k. Past it a frame holds an even sample (the cloud's density
 * kept); zooming in shows every point.
 */
export const FRAME_POINTS = 10_000;

/** Points with x, y and an optional colour value; records append (with rollover) or replace. */
export class ScatterPlot implements PlotState<'scatter'> {
  readonly kind = 'scatter';
  private rollover = DEFAULT_ROLLOVER;
  private palette: string | undefined;
  private readonly x = new ColumnBuffer(DEFAULT_ROLLOVER);
  private readonly y = new ColumnBuffer(DEFAULT_ROLLOVER);
  /** Present while the plot's points carry colour values. */
  private color: ColumnBuffer | undefined;

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'scatter'>): DeferredDelta {
    const opts: AppendOptions = record.header.opts;
    const x = requireArray(record, 'x', 1);
    const y = requireArray(record, 'y', 1);
    const color = optionalArray(record, 'color', 1);
    requireSameShape(x, y, "'x' and 'y'");
    if (color) requireSameShape(x, color, "'x' and 'color'");
    const append = opts.append === true;
    if (append && this.x.length > 0 && Boolean(color) !== Boolean(this.color)) {
      throw new InvalidRecordError(`append to '${this.plot}' ${color ? 'adds' : 'drops'} the colour column`);
    }

    this.setRollover(rolloverOf(opts.rollover, this.rollover));
    this.palette = opts.palette ?? this.palette;
    if (color && !this.color) this.color = new ColumnBuffer(this.rollover);
    if (!color) this.color = undefined;
    const write = (buffer: ColumnBuffer, values: ArrayLike<number>) => (append ? buffer.append(values) : buffer.replace(values));
    write(this.x, x.data);
    write(this.y, y.data);
    if (color && this.color) write(this.color, color.data);

    if (!append) return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
    const rollover = this.rollover;
    return () => ({ plot: this.plot, op: 'append', columns: rowsOf(x.data, y.data, color?.data, rollover), rollover });
  }

  options(): PlotOptions {
    return { rollover: this.rollover, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    return { x: this.x.toArray(), y: this.y.toArray(), ...(this.color ? { color: this.color.toArray() } : {}) };
  }

  /** The points in the box asked for (FRAME_MARGIN wider on each side), sampled down to FRAME_POINTS. */
  frame({ x: xRange, y: yRange }: FrameRequest): FrameData<'scatter'> {
    const [x, y, color] = [this.x.view(), this.y.view(), this.color?.view()];
    const zoomed = xRange !== undefined || yRange !== undefined;
    if (!zoomed && x.length <= FRAME_POINTS) return { data: { x, y, ...(color ? { color } : {}) }, rows: x.length, shown: x.length, reduced: false };
    const inside = zoomed ? pointsInBox(x, y, widened(xRange), widened(yRange)) : undefined;
    const count = inside?.length ?? x.length;
    const sample = evenSample(count, FRAME_POINTS);
    const rows = inside ? (count <= FRAME_POINTS ? inside : gather32(inside, sample)) : sample;
    return {
      data: { x: gather(x, rows), y: gather(y, rows), ...(color ? { color: gather(color, rows) } : {}) },
      rows: x.length,
      shown: rows.length,
      reduced: rows.length < count,
    };
  }

  length(): number {
    return this.x.length;
  }

  private setRollover(rollover: number): void {
    this.rollover = rollover;
    for (const buffer of [this.x, this.y, this.color]) buffer?.setLimit(rollover);
  }
}

/** The newest `rollover` rows of an append, as JSON columns. */
function rowsOf(x: ArrayLike<number>, y: ArrayLike<number>, color: ArrayLike<number> | undefined, rollover: number): Columns {
  const from = Math.max(0, x.length - rollover);
  const column = (values: ArrayLike<number>) => Array.prototype.slice.call(values, from) as number[];
  return { x: column(x), y: column(y), ...(color ? { color: column(color) } : {}) };
}

function gather32(values: Uint32Array, rows: Uint32Array): Uint32Array {
  return rows.map((row) => values[row]);
}
