import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { colorScale } from './color-scale.js';
import { addHover, plotFigure } from './figure.js';
import { paletteNamed } from './palette.js';
import type { ViewOptions } from '../view-options.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Viridis256';
/** Colour of points without a colour column, when the plot names no palette. */
const PLAIN_PALETTE = 'Category10_10';
const POINT_SIZE = 5;

/**
 * Points at (x, y), drawn on canvas: a frame holds at most FRAME_POINTS (10k) points,
 * which canvas repaints several times a second, and canvas draws every plot of a page
 * where BokehJS's shared WebGL context left all but the first of several large scatters
 * blank (software WebGL, as in headless Chromium and on machines without a GPU).
 *
 * Points at (x, y). With a `color` column (values in [0, 1]) each point is coloured through
 * the plot's palette and a colour bar shows the scale.
 */
export function scatterView(plot: PlotInfo, first: FrameOf<'scatter'>, options: ViewOptions): PlotView<'scatter'> {
  const colored = first.data.color !== undefined;
  const source = new bokeh.ColumnDataSource({ data: { ...first.data } });
  const figure = plotFigure(plot, options);
  const palette = paletteNamed(plot.opts.palette, colored ? DEFAULT_PALETTE : PLAIN_PALETTE);

  const fill = colored ? colorScale(figure, palette, plot.opts.colorLabel) : palette[0];
  const points = figure.scatter({ field: 'x' }, { field: 'y' }, {
    source,
    size: POINT_SIZE,
    fill_color: fill,
    // No outline: stroking every marker doubles a canvas repaint (measured), for a rim the eye barely sees at 5 px.
    line_color: null,
    fill_alpha: 0.8,
  });
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
