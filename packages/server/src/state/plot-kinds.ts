import type { PlotKind } from '../protocol.js';
import { ClusterPlot } from './cluster-plot.js';
import { LinesPlot } from './lines-plot.js';
import { MultiLinesPlot } from './multilines-plot.js';
import type { PlotFactory } from './plot-state.js';
import { ScatterPlot } from './scatter-plot.js';

/**
 * The plot state for each record kind. A new kind (e.g. `cluster`) is one module
 * implementing PlotState plus one entry here; records of a kind without an entry are
 * counted as invalid.
 */
export const plotKinds: { [K in PlotKind]?: PlotFactory<K> } = {
  scatter: (plot) => new ScatterPlot(plot),
  lines: (plot) => new LinesPlot(plot),
  multilines: (plot) => new MultiLinesPlot(plot),
  cluster: (plot) => new ClusterPlot(plot),
};
