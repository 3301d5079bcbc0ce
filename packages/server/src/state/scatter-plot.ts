import type { AppendOptions, AxisScale } from '@streamvis/format';
import type { Columns, DensityAxis, FrameRequest, PlotOptions } from '../protocol.js';
import { binDensity, DensityWorkspace, extentOf, sparseBins } from '../reduce/density.js';
import { gather, pointsInBox } from '../reduce/rows.js';
import { ColumnBlock, type Rollover } from './column-block.js';
import { InvalidRecordError } from './invalid-record.js';
import { DEFAULT_ROLLOVER, FRAME_MARGIN, widened, type DeferredDelta, type FrameData, type PlotState, type RecordOfKind } from './plot-state.js';

/**
 * Most points a frame holds as points. Past it the frame is the points' density, drawn as
 * one image whatever their number; zooming in to fewer points shows every one of them.
 * Measured in headless Chromium without a GPU (bench/page.bench.mjs's live scenario, one
 * run each): with a scatter replaced at 10 Hz as markers, the lines plot beside it repaints
 * 26 times a second at 2,500 and 5,000 markers, 19 at 10,000, 9 at 20,000 (canvas paints
 * markers on the page's one main thread); with a 100k-point scatter drawn as its density
 * image, 23. Up to 5,000 markers cost the page no more than the image.
 */
export const DENSITY_POINTS = 5_000;

/**
 * Screen pixels per density bin, along each axis: about a marker's size. Measured as
 * above, 100k points: lines repaint 23 times a second with 2-px bins, 11 with 1-px bins
 * (4x the bins to send and paint), where lone points also fade to dust.
 */
export const DENSITY_BIN_PX = 2;

/** Most bins of one density (4 MiB of float32 counts): bounds what one request can make the server allocate. */
const MAX_DENSITY_BINS = 1 << 20;

/**
 * Where every scatter's density is counted: a frame is encoded as soon as it is made (see
 * FrameCache), before the next frame reuses the memory, as a frame of points is a view of
 * the plot's columns until its next record.
 */
const densityWorkspace = new DensityWorkspace();

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

  /**
   * The points in the box asked for (FRAME_MARGIN wider on each side), or past
   * DENSITY_POINTS of them their density over that box (over all points when not zoomed).
   */
  frame(request: FrameRequest): FrameData<'scatter'> {
    const { points } = this;
    const [x, y, color] = [points.column(0), points.column(1), points.width === 3 ? points.column(2) : undefined];
    const zoomed = request.x !== undefined || request.y !== undefined;
    const inside = zoomed ? pointsInBox(x, y, widened(request.x), widened(request.y)) : undefined;
    if ((inside?.length ?? x.length) > DENSITY_POINTS) return densityFrame(x, y, color, request);
    if (!inside) return { data: { x, y, ...(color ? { color } : {}) }, rows: x.length, shown: x.length, reduced: false };
    return {
      data: { x: gather(x, inside), y: gather(y, inside), ...(color ? { color: gather(color, inside) } : {}) },
      rows: x.length,
      shown: inside.length,
      reduced: false,
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

/**
 * The points' density over the box asked for (with its margin; the points' extent on an
 * axis not zoomed), in bins of about DENSITY_BIN_PX screen pixels. No points to bin (none
 * finite, or none positive on a log axis): an empty frame.
 */
function densityFrame(x: Float64Array, y: Float64Array, color: Float64Array | undefined, request: FrameRequest): FrameData<'scatter'> {
  const xAxis = densityAxis(x, request.x, request.width, request.xScale ?? 'linear');
  const yAxis = densityAxis(y, request.y, request.height, request.yScale ?? 'linear');
  if (!xAxis || !yAxis) return { data: { x: new Float64Array(0), y: new Float64Array(0), ...(color ? { color: new Float64Array(0) } : {}) }, rows: x.length, shown: 0, reduced: true };
  const shrink = Math.min(1, Math.sqrt(MAX_DENSITY_BINS / (xAxis.bins * yAxis.bins)));
  const grid = { x: { ...xAxis, bins: Math.max(1, Math.floor(xAxis.bins * shrink)) }, y: { ...yAxis, bins: Math.max(1, Math.floor(yAxis.bins * shrink)) } };
  const dense = binDensity(x, y, color, grid, densityWorkspace);
  const { counts, color: means, bins } = sparseBins(dense) ?? { ...dense, bins: undefined };
  return { data: { density: grid, counts, ...(means ? { color: means } : {}), ...(bins ? { bins } : {}) }, rows: x.length, shown: dense.binned, reduced: true };
}

/**
 * One axis of a density: the range shown widened by FRAME_MARGIN (evenly on screen: in
 * log10 on a log axis), or the values' extent when the axis is not zoomed; bins about
 * DENSITY_BIN_PX screen pixels wide. Undefined when no value can be drawn.
 */
function densityAxis(values: Float64Array, shown: [number, number] | undefined, pixels: number, scale: AxisScale): DensityAxis | undefined {
  const wide = shown && widenedOn(shown, scale);
  const zoomed = wide !== undefined && wide[0] < wide[1] && wide.every(Number.isFinite);
  const range = zoomed ? wide : extentOf(values, scale);
  if (!range) return undefined;
  // A zoomed grid spans the range shown and its margins: as many more bins.
  const span = zoomed ? 1 + 2 * FRAME_MARGIN : 1;
  return { range, bins: Math.max(1, Math.ceil((pixels * span) / DENSITY_BIN_PX)), scale };
}

/** `range` widened as `widened` does, on screen: in log10 of the ends on a log axis (NaN ends for a range that is not all positive). */
function widenedOn(range: [number, number], scale: AxisScale): [number, number] {
  if (scale !== 'log') return widened(range)!;
  const [low, high] = widened([Math.log10(range[0]), Math.log10(range[1])])!;
  return [10 ** low, 10 ** high];
}
