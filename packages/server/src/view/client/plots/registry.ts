import type { FrameOf, PlotInfo, PlotKind } from '../../../protocol.js';
import { bubblesView } from './bubbles.js';
import { linesView } from './lines.js';
import { multiLinesView } from './multilines.js';
import type { ViewOptions } from '../view-options.js';
import type { PlotRenderer, PlotView } from './plot-view.js';
import { scatterView } from './scatter.js';

/** The renderer of each plot kind: a new kind is one module and one line here (the type requires every kind). */
export const renderers: { [K in PlotKind]: PlotRenderer<K> } = {
  scatter: scatterView,
  lines: linesView,
  multilines: multiLinesView,
  cluster: bubblesView,
};

/** The view of a plot of any kind, from its first frame. */
export function viewOf<K extends PlotKind>(plot: PlotInfo, frame: FrameOf<K>, options: ViewOptions): PlotView<K> {
  return (renderers[frame.kind] as PlotRenderer<K>)(plot, frame, options);
}
