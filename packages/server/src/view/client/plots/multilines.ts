import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { colorScale } from './color-scale.js';
import { addHover, plotFigure } from './figure.js';
import { lineColors, paletteNamed } from './palette.js';
import type { ViewOptions } from '../view-options.js';
import type { PlotView } from './plot-view.js';

/** Lines without colour values: one palette colour each. */
const DEFAULT_PALETTE = 'Category10_10';
/** Lines with colour values, when the plot names no palette (as scatter's). */
const VALUE_PALETTE = 'Viridis256';

/**
 * Separate lines, each a list of points (columns xs and ys hold one array per line). Without
 * colour values each line takes the next palette colour; with a `color` value per line (in
 * [0, 1]) each is coloured through the plot's palette and a colour bar shows the scale.
 */
export function multiLinesView(plot: PlotInfo, first: FrameOf<'multilines'>, options: ViewOptions): PlotView<'multilines'> {
  const colored = first.data.color !== undefined;
  const palette = paletteNamed(plot.opts.palette, colored ? VALUE_PALETTE : DEFAULT_PALETTE);
  const names = plot.opts.names ?? [];
  const figure = plotFigure(plot, options);
  const lineColor = colored ? colorScale(figure, palette, plot.opts.colorLabel) : { field: 'color' };
  const source = new bokeh.ColumnDataSource({ data: sourceData(first, palette, names) });
  const renderer = figure.multi_line({ field: 'xs' }, { field: 'ys' }, {
    source,
    line_color: lineColor,
    line_width: 2,
    line_alpha: 0.85,
  });
  addHover(figure, [renderer], [['line', '@line'], ['x', '$x{0.000}'], ['y', '$y{0.000}'], ...(colored ? [['color', '@color{0.000}'] as [string, string]] : [])]);
  return {
    figure,
    zoom: 'x',
    show(frame) {
      if ((frame.data.color !== undefined) !== colored) return false;
      source.data = sourceData(frame, palette, names);
      return true;
    },
  };
}

/**
 * The lines, their colours (the frame's colour values, else a colour of `palette` each), and
 * what the hover calls each: its name, else its index.
 */
function sourceData({ data }: FrameOf<'multilines'>, palette: readonly number[], names: readonly string[]): Record<string, unknown[]> {
  const count = Math.min(data.xs.length, data.ys.length);
  return {
    xs: data.xs.slice(0, count),
    ys: data.ys.slice(0, count),
    color: data.color ? Array.from(data.color.subarray(0, count)) : lineColors(palette, count),
    line: Array.from({ length: count }, (_, i) => names[i] ?? String(i)),
  };
}
