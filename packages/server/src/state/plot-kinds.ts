import type { PlotKind } from '@streamvis/format';
import { ClusterPlot } from './cluster-plot.js';
import { LinesPlot } from './lines-plot.js';
import { MultiLinesPlot } from './multilines-plot.js';
import type { PlotFactory } from './plot-state.js';
import { ScatterPlot } from './scatter-plot.js';

/**
 * The plot state of each plot kind. A new kind is one module implementing PlotState plus
 * one entry here; the type requires an entry for every kind of the format's RECORD_KINDS.
 */
export const plotKinds = {
  scatter: (plot: string) => new ScatterPlot(plot),
  lines: (plot: string) => new LinesPlot(plot),
  multilines: (plot: string) => new MultiLinesPlot(plot),
  cluster: (plot: string) => new ClusterPlot(plot),
} satisfies { [K in PlotKind]: PlotFactory<K> };
