/**
 * JSON shapes the server sends: the HTTP API (docs/http-api.md) and the SSE stream the
 * page consumes. The browser client imports these types, so this file has no runtime code.
 */
import type { AxisScale, GridCell, LookOptions, PlotKind } from '@streamvis/format';

export type { AxisScale, PlotKind };

/**
 * A plot's data as named columns of equal length. scatter: x, y and, when coloured,
 * color (in [0, 1]); lines: x, then one column per line (y0, y1, ...); multilines: xs, ys
 * (one array of numbers per line) and, when coloured, color (one value per line); cluster:
 * one row per visible cluster (id, count and one column per data column).
 */
export type Columns = Record<string, number[] | number[][]>;

/** A plot's options as the page gets them: its state's, and the latest look the producer gave (title, labels, scales, line names). */
export interface PlotOptions extends LookOptions {
  palette?: string;
  rollover?: number;
  /** cluster plots: names of the data columns. */
  columns?: string[];
}

export interface PlotSnapshot {
  name: string;
  kind: PlotKind;
  cell: GridCell;
  opts: PlotOptions;
  columns: Columns;
  /** Rows held now. */
  length: number;
}

/** A plot without its data (GET /api/runs/:run). */
export interface PlotInfo extends Omit<PlotSnapshot, 'columns'> {
  /** Grows whenever the plot's data changes: a page fetches a frame when it sees a newer one. */
  version: number;
}

/**
 * The data of each plot kind, typed, as the page draws it (A: the array type). scatter:
 * points; lines: one x (the steps) and one y array per line; multilines: a point list per
 * line (and a colour value per line); cluster: one row per visible cluster, `centers[j]`
 * holding data column j, and `noise`, the points of the clusterer's frame labelled -1 (in no count).
 */
export interface KindData<A, Bins = A> {
  scatter: ScatterPoints<A> | ScatterDensity<Bins>;
  lines: { x: A; ys: A[] };
  multilines: { xs: A[]; ys: A[]; color?: A };
  cluster: { id: A; count: A; centers: A[]; noise: number };
}

/** A scatter's points, each with its colour value in [0, 1] when coloured. */
export interface ScatterPoints<A> {
  density?: undefined;
  x: A;
  y: A;
  color?: A;
}

/**
 * A scatter of more points than a page can draw, as its density: the points counted in
 * the bins of `density`, row by row from the lowest y, each row from the lowest x.
 */
export interface ScatterDensity<A> {
  density: DensityGrid;
  counts: A;
  /** Coloured scatters: the mean colour value of each bin's points (NaN where none). */
  color?: A;
  /**
   * When fewer than half the bins hold a point: the bins `counts` and `color` are of (their
   * indices, in order), every other bin empty. Otherwise absent, and they are of every bin.
   */
  bins?: A;
}

/** The bins of a density: each axis's range split into `bins` even parts (even in log10 of the value on a log axis). */
export interface DensityGrid {
  x: DensityAxis;
  y: DensityAxis;
}

export interface DensityAxis {
  range: [number, number];
  bins: number;
  scale: AxisScale;
}

/**
 * What a page asks of a plot: its size in pixels, how its axes map data (a scatter's
 * density bins are even on screen) and, when the user zoomed, the ranges shown.
 */
export interface FrameRequest {
  width: number;
  height: number;
  /** Absent: linear. */
  xScale?: AxisScale;
  yScale?: AxisScale;
  x?: [number, number];
  y?: [number, number];
  /** Lines: the last `last` steps (x from the newest x - last to the newest), instead of `x`. */
  last?: number;
}

/** A plot's data as one page shows it: reduced to what `FrameRequest` can show (binary, see frame-codec.ts). */
export type PlotFrame = { [K in PlotKind]: FrameOf<K> }[PlotKind];

export interface FrameOf<K extends PlotKind> {
  plot: string;
  kind: K;
  version: number;
  /** Rows (points, steps, lines, clusters) the server holds, and how many of them the frame draws. */
  rows: number;
  shown: number;
  /** True when the frame holds fewer rows than the range has (min/max per pixel, or a scatter's density). */
  reduced: boolean;
  /** Values as float64; a density's bins as float32 (counts exact to 2^24 a bin, colours as exact as a palette needs: half the bytes). */
  data: KindData<Float64Array, Float32Array>[K];
}

/** Event `layout` of /api/runs/:run/changes: sent first and whenever the set of plots or the layout changes. */
export type LayoutEvent = RunDetail & RunStatus & ChangeClock;

/** Event `versions`: the plots whose data changed since the last event, with the run's counts. */
export interface VersionsEvent extends RunStatus, ChangeClock {
  run: string;
  versions: Record<string, number>;
}

export interface ChangeClock {
  /** The server's clock (ms since the epoch) when the event was sent, and when the run's latest record arrived. */
  now: number;
  lastRecordAt?: number;
}

/** Event `runs` of GET /api/changes: every run served, with the counts over all of them. */
export interface RunsEvent extends RunStatus, ChangeClock {
  runs: RunSummary[];
}

/** A run in GET /api/runs. */
export interface RunSummary {
  run: string;
  records: number;
  plots: string[];
  /** The producer's clock (ms since the epoch) at the run's first and latest record; absent before its first. */
  firstTime?: number;
  lastTime?: number;
  /** The server's clock when the run's latest record was applied. */
  lastRecordAt?: number;
  /** live: a record of the run was made in the last minute (by the producer's clock); finished: none since. */
  status: 'live' | 'finished';
  errors: number;
}

/** GET /api/runs/:run: the run's layout and plots, without their data. */
export interface RunDetail {
  run: string;
  layout: Record<string, GridCell>;
  plots: PlotInfo[];
  records: number;
  errors: number;
}

/** Records `from` to `to` (inclusive) of one DataLogger that have not arrived. */
export interface SeqGap {
  /** The DataLogger's id (the records' `logger`). */
  logger: string;
  from: number;
  to: number;
}

/** The run's counts, sent with every snapshot and delta batch so a page shows them live. */
export interface RunStatus {
  records: number;
  errors: number;
  /** The latest error, for a human; absent until there is one. */
  lastError?: string;
  /** Records known not to have arrived (a logger's sequence jumped), the newest 20 gaps; late arrivals shrink them. Absent when none. */
  gaps?: SeqGap[];
  /** Present while the server still reads the history it started with (the log): the page says so. */
  replay?: ReplayProgress;
}

export interface ReplayProgress {
  /** Bytes of the history read, of `total`. */
  delivered: number;
  total: number;
}

export interface RunSnapshot extends RunStatus {
  run: string;
  layout: Record<string, GridCell>;
  plots: PlotSnapshot[];
}

/**
 * A change to one plot. 'append' streams rows onto the plot's columns (multilines:
 * point lists appended to line i, and `color` the new colour values of lines 0 ..
 * color.length - 1), keeping at most `rollover` rows; 'replace' swaps the whole data.
 */
export interface PlotDelta {
  plot: string;
  op: 'append' | 'replace';
  columns: Columns;
  rollover?: number;
}

/** SSE events on /api/runs/:run/events: `snapshot` (RunSnapshot) first and whenever the
 * set of plots or the layout changes; then `delta` batches. A batch may carry no deltas:
 * it then tells of new errors (a corrupt stretch, a record that could not be applied). */
export interface DeltaBatch extends RunStatus {
  deltas: PlotDelta[];
}

export interface Health {
  status: 'ok';
  /** The run served when the server serves one; null when it serves several (see /api/runs). */
  run: string | null;
  /** Runs served. */
  runs: number;
  mode: 'file' | 'pubsub';
  /** Over every run served. */
  records: number;
  errors: number;
  /** Records of runs not served, skipped. */
  ignored?: number;
  /** The latest error (corrupt region, invalid record, source failure, gap), for a human. */
  lastError?: string;
  /** Records known not to have arrived, as in RunStatus. */
  gaps?: SeqGap[];
  /** Present while the log the server started with is still being read. */
  replay?: ReplayProgress;
}

export interface ApiError {
  error: string;
}
