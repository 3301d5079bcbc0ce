import type { PlotDelta, PlotSnapshot } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { addHover, plotFigure } from './figure.js';
import { applyFlatDeltas, flatColumns } from './flat-columns.js';
import { lineColors, paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Category10_10';

/**
 * Tandem lines over a shared x (a step): column `x` and one column per line, y0, y1, ...
 * Each line gets a palette colour and a legend entry (click to hide); one hover shows
 * every line's value at the step under the mouse.
 */
export function linesView(plot: PlotSnapshot): PlotView {
  const lineNames = Object.keys(plot.columns).filter((name) => /^y\d+$/.test(name)).sort(byIndex);
  const columnNames = ['x', ...lineNames];
  const source = new bokeh.ColumnDataSource({ data: flatColumns(plot.columns, columnNames) });
  const figure = plotFigure(plot);
  const colors = lineColors(paletteNamed(plot.opts.palette, DEFAULT_PALETTE), lineNames.length);

  const lines = lineNames.map((name, i) =>
    figure.line({ field: 'x' }, { field: name }, { source, line_color: colors[i], line_width: 2, legend_label: name }),
  );
  figure.legend.location = 'top_left';
  figure.legend.click_policy = 'hide';
  figure.legend.background_fill_alpha = 0.7;
  if (lines.length > 0) {
    addHover(figure, [lines[0]], [['x', '@x'], ...lineNames.map((name): [string, string] => [name, `@${name}{0.0000}`])], 'vline');
  }

  return {
    figure,
    columnNames,
    update: (deltas: readonly PlotDelta[]) => applyFlatDeltas(source, columnNames, deltas),
  };
}

function byIndex(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}
