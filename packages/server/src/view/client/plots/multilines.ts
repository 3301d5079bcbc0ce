import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { addHover, plotFigure } from './figure.js';
import { lineColors, paletteNamed } from './palette.js';
import type { ViewOptions } from '../view-options.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Category10_10';

/** Separate lines, each a list of points (columns xs and ys hold one array per line), one palette colour each. */
export function multiLinesView(plot: PlotInfo, first: FrameOf<'multilines'>, options: ViewOptions): PlotView<'multilines'> {
  const palette = paletteNamed(plot.opts.palette, DEFAULT_PALETTE);
  const names = plot.opts.names ?? [];
  const source = new bokeh.ColumnDataSource({ data: sourceData(first, palette, names) });
  const figure = plotFigure(plot, options);
  const renderer = figure.multi_line({ field: 'xs' }, { field: 'ys' }, {
    source,
    line_color: { field: 'color' },
    line_width: 2,
    line_alpha: 0.85,
  });
  addHover(figure, [renderer], [['line', '@line'], ['x', '$x{0.000}'], ['y', '$y{0.000}']]);
  return {
    figure,
    zoom: 'x',
    show(frame) {
      source.data = sourceData(frame, palette, names);
      return true;
    },
  };
}

/** The lines, their colours, and what the hover calls each: its name, else its index. */
function sourceData({ data }: FrameOf<'multilines'>, palette: readonly number[], names: readonly string[]): Record<string, unknown[]> {
  const count = Math.min(data.xs.length, data.ys.length);
  return {
    xs: data.xs.slice(0, count),
    ys: data.ys.slice(0, count),
    color: lineColors(palette, count),
    line: Array.from({ length: count }, (_, i) => names[i] ?? String(i)),
  };
}
