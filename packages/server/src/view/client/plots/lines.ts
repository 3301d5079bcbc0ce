import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { addHover, plotFigure } from './figure.js';
import { lineColors, paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Category10_10';
/**
 * Line width in px while every step is drawn, and when the server sends min/max per pixel:
 * a reduced line is a dense band whose painting (software canvas) costs by the pixel, and
 * 1 px halves it (measured: 16 repaints/s instead of 10 at 10k steps) while showing more.
 */
const LINE_WIDTH = 2;
const DENSE_LINE_WIDTH = 1;

/**
 * Tandem lines over a shared x (a step), drawn from columns x, y0, y1, ... of one source.
 * Each line gets a palette colour and a legend entry (click to hide); one hover shows
 * every line's value at the step under the mouse. A frame replaces the data: the server
 * sends at most a few points per pixel, and every step of a range the user zooms into.
 */
export function linesView(plot: PlotInfo, first: FrameOf<'lines'>): PlotView<'lines'> {
  const count = first.data.ys.length;
  const names = Array.from({ length: count }, (_, i) => `y${i}`);
  const dataOf = (frame: FrameOf<'lines'>) => Object.fromEntries([['x', frame.data.x], ...frame.data.ys.map((y, i) => [names[i], y])]) as Record<string, Float64Array>;
  const source = new bokeh.ColumnDataSource({ data: dataOf(first) });
  const figure = plotFigure(plot);
  const colors = lineColors(paletteNamed(plot.opts.palette, DEFAULT_PALETTE), count);

  const lines = names.map((name, i) =>
    figure.line({ field: 'x' }, { field: name }, { source, line_color: colors[i], line_width: widthOf(first), legend_label: name }),
  );
  figure.legend.location = 'top_left';
  figure.legend.click_policy = 'hide';
  figure.legend.background_fill_alpha = 0.7;
  if (lines.length > 0) {
    addHover(figure, [lines[0]], [['x', '@x'], ...names.map((name): [string, string] => [name, `@${name}{0.0000}`])], 'vline');
  }

  return {
    figure,
    zoom: 'x',
    show(frame) {
      if (frame.data.ys.length !== count) return false;
      source.data = dataOf(frame);
      for (const line of lines) line.glyph.line_width = widthOf(frame);
      return true;
    },
  };
}

function widthOf(frame: FrameOf<'lines'>): number {
  return frame.reduced ? DENSE_LINE_WIDTH : LINE_WIDTH;
}
