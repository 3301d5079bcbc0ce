import type { PlotKind } from '../../../protocol.js';
import { bubblesView } from './bubbles.js';
import { linesView } from './lines.js';
import { multiLinesView } from './multilines.js';
import type { PlotRenderer } from './plot-view.js';
import { scatterView } from './scatter.js';

/** The renderer of each plot kind: a new kind is one module and one line here (the type requires every kind). */
export const renderers: Record<PlotKind, PlotRenderer> = {
  scatter: scatterView,
  lines: linesView,
  multilines: multiLinesView,
  cluster: bubblesView,
};
