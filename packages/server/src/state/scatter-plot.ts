import type { AppendOptions } from '@streamvis/format';
import type { Columns, FrameRequest, PlotOptions } from '../protocol.js';
import { evenSample, gather, pointsInBox } from '../reduce/sample.js';
import { ColumnBlock, type Rollover } from './column-block.js';
import { InvalidRecordError } from './invalid-record.js';
import { DEFAULT_ROLLOVER, widened, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';

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
  private readonly rollover: Rollover = { limit: DEFAULT_ROLLOVER };
  private palette: string | undefined;
  /** Columns x, y and, while the plot's points carry colour values, the colour. */
  private points = new ColumnBlock(2, this.rollover);

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'scatter'>): DeferredDelta {
    const opts: AppendOptions = record.header.opts;
    const { x, y, color } = record.arrays;
    const append = opts.append;
    const coloured = this.points.width === 3;
    if (append && this.points.length > 0 && Boolean(color) !== coloured) {
      throw new InvalidRecordError(`append to '${this.plot}' ${color ? 'adds' : 'drops'} the colour column`);
    }

    this.setRollover(opts.rollover ?? this.rollover.limit);
    this.palette = opts.palette ?? this.palette;
    const columns = color ? [x.data, y.data, color.data] : [x.data, y.data];
    if (columns.length !== this.points.width) this.points = new ColumnBlock(columns.length, this.rollover);
    if (append) this.points.append(columns);
    else this.points.replace(columns);

    if (!append) return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
    const rollover = this.rollover.limit;
    return () => ({ plot: this.plot, op: 'append', columns: rowsOf(x.data, y.data, color?.data, rollover), rollover });
  }

  options(): PlotOptions {
    return { rollover: this.rollover.limit, ...(this.palette === undefined ? {} : { palette: this.palette }) };
  }

  columns(): Columns {
    const { points } = this;
    return { x: points.toArray(0), y: points.toArray(1), ...(points.width === 3 ? { color: points.toArray(2) } : {}) };
  }

  /** The points in the box asked for (FRAME_MARGIN wider on each side), sampled down to FRAME_POINTS. */
  frame({ x: xRange, y: yRange }: FrameRequest): FrameData<'scatter'> {
    const { points } = this;
    const [x, y, color] = [points.column(0), points.column(1), points.width === 3 ? points.column(2) : undefined];
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
    return this.points.length;
  }

  private setRollover(limit: number): void {
    if (limit > this.rollover.limit) this.points.settle();
    this.rollover.limit = limit;
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
