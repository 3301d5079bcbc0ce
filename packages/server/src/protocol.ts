/**
 * JSON shapes the server sends: the HTTP API (docs/http-api.md) and the SSE stream the
 * page consumes. The browser client imports these types, so this file has no runtime code.
 */
import type { GridCell, PlotKind } from '@streamvis/format';

export type { PlotKind };

/**
 * A plot's data as named columns of equal length. scatter: x, y and, when coloured,
 * color (in [0, 1]); lines: x, then one column per line (y0, y1, ...); multilines: xs, ys
 * (one array of numbers per line); cluster: one row per visible cluster (id, count and
 * one column per data column).
 */
export type Columns = Record<string, number[] | number[][]>;

export interface PlotOptions {
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
export type PlotInfo = Omit<PlotSnapshot, 'columns'>;

export interface RunSummary {
  run: string;
  records: number;
  plots: string[];
}

/** GET /api/runs/:run: the run's layout and plots, without their data. */
export interface RunDetail {
  run: string;
  layout: Record<string, GridCell>;
  plots: PlotInfo[];
  records: number;
  errors: number;
}

/** The run's counts, sent with every snapshot and delta batch so a page shows them live. */
export interface RunStatus {
  records: number;
  errors: number;
  /** The latest error, for a human; absent until there is one. */
  lastError?: string;
}

export interface RunSnapshot extends RunStatus {
  run: string;
  layout: Record<string, GridCell>;
  plots: PlotSnapshot[];
}

/**
 * A change to one plot. 'append' streams rows onto the plot's columns (multilines:
 * point lists appended to line i), keeping at most `rollover` rows; 'replace' swaps
 * the whole data.
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
  run: string;
  mode: 'file' | 'pubsub';
  records: number;
  errors: number;
  /** Records of other runs in the source, skipped. */
  ignored?: number;
  /** The latest error (corrupt region or invalid record), for a human. */
  lastError?: string;
}

export interface ApiError {
  error: string;
}
