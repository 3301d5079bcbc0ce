import type { LogRecord } from '@streamvis/logger';
import type { Columns, PlotDelta, PlotKind, PlotOptions } from '../protocol.js';

/**
 * Rows kept per plot (per line for multilines) when the producer gives no `rollover`:
 * bounds the server's memory for a plot that is appended to forever.
 */
export const DEFAULT_ROLLOVER = 1_000_000;

/**
 * Builds the delta for the page. Deferred because nobody may be listening (a replay
 * with no page open), and turning typed arrays into JSON arrays is the costly part.
 */
export type DeferredDelta = () => PlotDelta;

/** The data of one plot; one implementation per plot kind (see plot-kinds.ts). */
export interface PlotState {
  readonly kind: PlotKind;
  /** Applies a record of this plot; throws InvalidRecordError and leaves the state unchanged when it cannot. */
  apply(record: LogRecord): DeferredDelta;
  options(): PlotOptions;
  columns(): Columns;
  /** Rows held (lines for multilines). */
  length(): number;
}

export type PlotFactory = (plot: string) => PlotState;
