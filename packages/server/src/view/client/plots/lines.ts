import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh, type Figure } from '../bokeh.js';
import { smoothed, type ViewOptions } from '../view-options.js';
import { addHover, compactX, legendOutside, plotFigure } from './figure.js';
import { lineColors, paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

type LineRenderer = ReturnType<Figure['line']>;

const DEFAULT_PALETTE = 'Category10_10';
/**
 * Line width in px while every step is drawn, and when the server sends min/max per pixel:
 * a reduced line is a dense band whose painting (software canvas) costs by the pixel, and
 * 1 px halves it (measured: 16 repaints/s instead of 10 at 10k steps) while showing more.
 */
const LINE_WIDTH = 2;
const DENSE_LINE_WIDTH = 1;
/** The raw line behind its smoothed one, as TensorBoard draws it. */
const RAW_ALPHA_WHEN_SMOOTHED = 0.25;

/**
 * Tandem lines over a shared x (a step), drawn from columns x, y0, y1, ... of one source.
 * Each line gets a palette colour and a legend entry outside the data (click to hide);
 * one hover shows every line's value at the step under the mouse. With smoothing, each
 * line's moving average (columns s0, s1, ...) is drawn over the raw line, which fades. A
 * frame replaces the data: the server sends at most a few points per pixel, and every
 * step of a range the user zooms into.
 */
export function linesView(plot: PlotInfo, first: FrameOf<'lines'>, options: ViewOptions): PlotView<'lines'> {
  const count = first.data.ys.length;
  const names = Array.from({ length: count }, (_, i) => `y${i}`);
  let smoothing = options.smoothing;
  let frame = first;
  // The smoothed lines are made the first time smoothing is asked for; their legend entry is the raw line's.
  const smooth: LineRenderer[] = [];
  const dataOf = () => {
    const columns: Record<string, Float64Array> = { x: frame.data.x };
    frame.data.ys.forEach((y, i) => {
      columns[names[i]] = y;
      if (smoothing > 0 || smooth.length > 0) columns[`s${i}`] = smoothing > 0 ? smoothed(y, smoothing) : y;
    });
    return columns;
  };
  const source = new bokeh.ColumnDataSource({ data: dataOf() });
  const figure = plotFigure(plot, options);
  legendOutside(figure);
  compactX(figure);
  const colors = lineColors(paletteNamed(plot.opts.palette, DEFAULT_PALETTE), count);

  // What the legend and the hover call each line: the producer's names, else y0, y1, ...
  const labels = names.map((name, i) => plot.opts.names?.[i] ?? name);
  const raw = names.map((name, i) => figure.line({ field: 'x' }, { field: name }, { source, line_color: colors[i], legend_label: labels[i] }));
  const style = () => {
    if (smoothing > 0 && smooth.length === 0) {
      smooth.push(...names.map((_, i) => figure.line({ field: 'x' }, { field: `s${i}` }, { source, line_color: colors[i], legend_label: labels[i] })));
    }
    const width = frame.reduced ? DENSE_LINE_WIDTH : LINE_WIDTH;
    for (const line of raw) {
      line.glyph.line_width = width;
      line.glyph.line_alpha = smoothing > 0 ? RAW_ALPHA_WHEN_SMOOTHED : 1;
    }
    for (const line of smooth) {
      line.glyph.line_width = width;
      line.visible = smoothing > 0;
    }
  };
  style();
  if (raw.length > 0) {
    addHover(figure, [raw[0]], [[plot.opts.xLabel ?? 'x', '@x'], ...names.map((name, i): [string, string] => [labels[i], `@${name}{0.0000}`])], 'vline');
  }

  return {
    figure,
    zoom: 'x',
    show(next) {
      if (next.data.ys.length !== count) return false;
      frame = next;
      source.data = dataOf();
      style();
      return true;
    },
    configure(next) {
      if (next.logY !== options.logY) return false;
      options = next;
      if (next.smoothing !== smoothing) {
        smoothing = next.smoothing;
        source.data = dataOf();
        style();
      }
      return true;
    },
  };
}
