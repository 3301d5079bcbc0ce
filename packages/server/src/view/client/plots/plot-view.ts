import type { Columns, PlotDelta, PlotSnapshot } from '../../../protocol.js';
import type { Figure } from '../bokeh.js';

/** One plot on the page, made by the renderer of its kind. */
export interface PlotView {
  /** The figure to embed in the plot's grid cell. */
  readonly figure: Figure;
  /** The columns the view was built for; a replace with other columns needs a new view. */
  readonly columnNames: readonly string[];
  /** Applies, oldest first, the deltas that arrived for the plot since the last frame. */
  update(deltas: readonly PlotDelta[]): void;
  /** HTML controls (e.g. pickers) shown above the figure. */
  readonly controls?: HTMLElement;
  /** Stops what the view runs on its own (animations) when the plot is removed. */
  dispose?(): void;
}

export type PlotRenderer = (plot: PlotSnapshot) => PlotView;

/** True when `view` can take `columns` as its whole data. */
export function fitsColumns(view: PlotView, columns: Columns): boolean {
  const names = Object.keys(columns);
  return names.length === view.columnNames.length && names.every((name) => view.columnNames.includes(name));
}
