import type { KindArrays, PlotKind, PlotRecordHeader } from '@streamvis/format';
import type { Columns, FrameRequest, KindData, PlotDelta, PlotOptions } from '../protocol.js';

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

/** A plot's data as one page can show it (see PlotState.frame). */
export interface FrameData<K extends PlotKind> {
  data: KindData<Float64Array, Float32Array>[K];
  /** Rows held, and rows in `data` (points of all lines, for multilines; points binned, for a density). */
  rows: number;
  shown: number;
  /** Fewer rows than the requested range holds (min/max per pixel, or a scatter's density). */
  reduced: boolean;
}

/**
 * A decoded record of plot kind K: its header (and so its options) narrowed to that kind,
 * and the arrays its kind's schema guarantees (the decoder has checked their shapes).
 */
export interface RecordOfKind<K extends PlotKind> {
  header: PlotRecordHeader<K>;
  arrays: KindArrays[K];
}

/**
 * The data of one plot; one implementation per plot kind (see plot-kinds.ts). RunState
 * hands a plot only records of its own kind.
 */
export interface PlotState<K extends PlotKind = PlotKind> {
  readonly kind: K;
  /** Applies a record of this plot; throws InvalidRecordError and leaves the state unchanged when it cannot. */
  apply(record: RecordOfKind<K>): DeferredDelta;
  options(): PlotOptions;
  /** Every row, as the JSON columns of the HTTP API. */
  columns(): Columns;
  /**
   * The data reduced to what `request` can show; arrays may be views of the state's own
   * buffers, valid until the next apply.
   */
  frame(request: FrameRequest): FrameData<K>;
  /** Rows held (lines for multilines). */
  length(): number;
}

export type PlotFactory<K extends PlotKind = PlotKind> = (plot: string) => PlotState<K>;

/** A zoomed frame also holds this fraction of the view's width on each side, so a pan shows data at once. */
export const FRAME_MARGIN = 0.5;

/** `range` with FRAME_MARGIN of its width added on each side. */
export function widened(range: readonly [number, number] | undefined): [number, number] | undefined {
  if (!range) return undefined;
  const margin = (range[1] - range[0]) * FRAME_MARGIN;
  return [range[0] - margin, range[1] + margin];
}
