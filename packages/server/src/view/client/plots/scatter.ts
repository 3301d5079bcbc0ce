import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { addHover, plotFigure } from './figure.js';
import { paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Viridis256';
/** Colour of points without a colour column, when the plot names no palette. */
const PLAIN_PALETTE = 'Category10_10';
const POINT_SIZE = 5;
/**
 * From this many points on, a scatter is drawn with WebGL (BokehJS falls back to canvas
 * where WebGL is missing); canvas repaints 10k points about 20 times a second. Smaller
 * plots stay on canvas, which draws the same everywhere: Chromium with --disable-gpu
 * (as in headless tests) draws colour-mapped WebGL points blank.
 */
const WEBGL_MIN_POINTS = 10_000;

/**
 * Points at (x, y). With a `color` column (values in [0, 1]) each point is coloured through
 * the plot's palette and a colour bar shows the scale.
 */
export function scatterView(plot: PlotInfo, first: FrameOf<'scatter'>): PlotView<'scatter'> {
  const colored = first.data.color !== undefined;
  const source = new bokeh.ColumnDataSource({ data: { ...first.data } });
  const figure = plotFigure(plot, first.shown >= WEBGL_MIN_POINTS ? 'webgl' : 'canvas');
  const palette = paletteNamed(plot.opts.palette, colored ? DEFAULT_PALETTE : PLAIN_PALETTE);

  const mapper = colored ? new bokeh.LinearColorMapper({ palette, low: 0, high: 1 }) : undefined;
  const fill = mapper ? { field: 'color', transform: mapper } : palette[0];
  const points = figure.scatter({ field: 'x' }, { field: 'y' }, {
    source,
    size: POINT_SIZE,
    fill_color: fill,
    line_color: fill,
    fill_alpha: 0.75,
    line_alpha: 0.9,
  });
  if (mapper) figure.add_layout(new bokeh.ColorBar({ color_mapper: mapper, width: 10 }), 'right');
  addHover(figure, [points], [
    ['x', '@x{0.000}'],
    ['y', '@y{0.000}'],
    ...(colored ? [['color', '@color{0.000}'] as [string, string]] : []),
  ]);

  return {
    figure,
    zoom: 'xy',
    show(frame) {
      if ((frame.data.color !== undefined) !== colored) return false;
      source.data = { ...frame.data };
      return true;
    },
  };
}
