import type { FrameOf, PlotInfo, ScatterDensity } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { colorScale } from './color-scale.js';
import { densityPixels } from './density-image.js';
import { addHover, plotFigure } from './figure.js';
import { paletteNamed } from './palette.js';
import type { ViewOptions } from '../view-options.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Viridis256';
/** Colour of points without a colour column, when the plot names no palette. */
const PLAIN_PALETTE = 'Category10_10';
const POINT_SIZE = 5;

/**
 * Points at (x, y), drawn on canvas; with a `color` column (values in [0, 1]) each point
 * is coloured through the plot's palette and a colour bar shows the scale. A frame holds
 * at most DENSITY_POINTS (5k) points, which canvas repaints many times a second; past
 * them the frame is the points' density, drawn as one image in place of the markers
 * (each bin more opaque the more points it holds, coloured by its points' mean colour),
 * until the user zooms in to fewer points. Canvas draws every plot of a page, where
 * BokehJS's shared WebGL context left all but the first of several large scatters blank
 * (software WebGL, as in headless Chromium and on machines without a GPU).
 */
export function scatterView(plot: PlotInfo, first: FrameOf<'scatter'>, options: ViewOptions): PlotView<'scatter'> {
  const colored = first.data.color !== undefined;
  const noPoints = () => ({ x: [], y: [], ...(colored ? { color: [] } : {}) });
  const noImage = () => ({ image: [], x: [], y: [], dw: [], dh: [] });
  const source = new bokeh.ColumnDataSource({ data: noPoints() });
  const imageSource = new bokeh.ColumnDataSource({ data: noImage() });
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
  // After the markers: tests and benches read a scatter's points from its first renderer.
  const image = figure.image_rgba({ field: 'image' }, { field: 'x' }, { field: 'y' }, { field: 'dw' }, { field: 'dh' }, { source: imageSource, visible: false });
  addHover(figure, [points], [
    ['x', '@x{0.000}'],
    ['y', '@y{0.000}'],
    ...(colored ? [['color', '@color{0.000}'] as [string, string]] : []),
  ]);

  /** The density as one image over its grid's box; the markers' data emptied (they are hidden). */
  const showDensity = (data: ScatterDensity<Float32Array>) => {
    const { x, y } = data.density;
    const pixels = densityPixels(x.bins * y.bins, data, palette, palette[0]);
    const { ndarray } = bokeh.require('core/util/ndarray');
    imageSource.data = {
      image: [ndarray(pixels.buffer, { dtype: 'uint32', shape: [y.bins, x.bins] })],
      x: [x.range[0]],
      y: [y.range[0]],
      dw: [x.range[1] - x.range[0]],
      dh: [y.range[1] - y.range[0]],
    };
    source.data = noPoints();
  };

  const view: PlotView<'scatter'> = {
    figure,
    zoom: 'xy',
    show(frame) {
      if ((frame.data.color !== undefined) !== colored) return false;
      const { data } = frame;
      if (data.density) {
        showDensity(data);
      } else {
        const { x, y, color } = data;
        source.data = { x, y, ...(color ? { color } : {}) };
        imageSource.data = noImage();
      }
      image.visible = data.density !== undefined;
      points.visible = data.density === undefined;
      return true;
    },
  };
  view.show(first);
  return view;
}
