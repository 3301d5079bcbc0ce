import type { FrameOf, PlotInfo, PlotKind } from '../../../protocol.js';
import type { Figure } from '../bokeh.js';
import type { ViewOptions } from '../view-options.js';

/** The axes whose zoom a plot kind's frames follow: the server then sends that range at full detail. */
export type ZoomAxes = 'x' | 'xy' | 'none';

/** One plot on the page, made by the renderer of its kind from the plot's first frame. */
export interface PlotView<K extends PlotKind = PlotKind> {
  /** The figure to embed in the plot's grid cell. */
  readonly figure: Figure;
  readonly zoom: ZoomAxes;
  /** Draws the plot's newest frame; false when this view cannot (a scatter gained colour): it is then made anew. */
  show(frame: FrameOf<K>): boolean;
  /** HTML controls (e.g. pickers) shown above the figure. */
  readonly controls?: HTMLElement;
  /** Stops what the view runs on its own (animations) when the plot is removed. */
  dispose?(): void;
  /** Shows the plot as the user now asks; false when only a new view can (a log axis): it is then made anew. */
  configure?(options: ViewOptions): boolean;
}

/** Makes a plot's view from its first frame, as the user asks to see it. */
export type PlotRenderer<K extends PlotKind> = (plot: PlotInfo, frame: FrameOf<K>, options: ViewOptions) => PlotView<K>;
