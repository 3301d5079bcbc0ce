import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh, type ColumnDataSource, type Figure } from '../bokeh.js';
import { addHover, compactX, legendOutside, plotFigure } from './figure.js';

/** Line width in px while every step is drawn, and when the server sends min/max per pixel (see lines.ts). */
const LINE_WIDTH = 2;
const DENSE_LINE_WIDTH = 1;
/** The dash of each line of a run (line 0 solid): a run's colour is the same for all its lines. */
const DASHES = ['solid', 'dashed', 'dotted', 'dotdash', 'dashdot'] as const;

type LineRenderer = ReturnType<Figure['line']>;

interface RunSeries {
  source: ColumnDataSource;
  lines: LineRenderer[];
  items: InstanceType<typeof bokeh.LegendItem>[];
  hover: InstanceType<typeof bokeh.HoverTool>;
}

/**
 * One lines plot of several runs in one figure: each run in its own colour, each of its
 * lines with its own dash, a legend naming the runs (click to hide), and a hover per run
 * that names it. Each run's frame replaces that run's data only.
 */
export class LinesOverlay {
  readonly figure: Figure;
  private readonly runs = new Map<string, RunSeries>();

  constructor(plot: PlotInfo) {
    this.figure = plotFigure(plot);
    legendOutside(this.figure);
    compactX(this.figure);
  }

  /** Draws run `run`'s newest frame in `color` (a Bokeh uint32 RGBA colour); `names` are the run's line names. */
  show(run: string, color: number, frame: FrameOf<'lines'>, names?: readonly string[]): void {
    let series = this.runs.get(run);
    if (series && series.lines.length !== frame.data.ys.length) {
      this.remove(run);
      series = undefined;
    }
    const data = dataOf(frame);
    if (!series) {
      series = this.add(run, color, frame.data.ys.length, data, names);
    } else {
      series.source.data = data;
    }
    const width = frame.reduced ? DENSE_LINE_WIDTH : LINE_WIDTH;
    for (const line of series.lines) line.glyph.line_width = width;
  }

  remove(run: string): void {
    const series = this.runs.get(run);
    if (!series) return;
    this.runs.delete(run);
    const figure = this.figure;
    figure.renderers = figure.renderers.filter((renderer) => !series.lines.includes(renderer as LineRenderer));
    figure.legend.items = figure.legend.items.filter((item) => !series.items.includes(item));
    figure.toolbar.tools = figure.toolbar.tools.filter((tool) => tool !== series.hover);
  }

  private add(run: string, color: number, count: number, data: Record<string, Float64Array>, names: readonly string[] = []): RunSeries {
    const figure = this.figure;
    const source = new bokeh.ColumnDataSource({ data });
    const lines = Array.from({ length: count }, (_, i) =>
      figure.line({ field: 'x' }, { field: `y${i}` }, { source, line_color: color, line_width: LINE_WIDTH, line_dash: DASHES[i % DASHES.length] }),
    );
    const lineName = (i: number) => names[i] ?? `y${i}`;
    const items = lines.map((line, i) => new bokeh.LegendItem({ label: { value: count === 1 ? run : `${run} · ${lineName(i)}` }, renderers: [line] }));
    figure.legend.items = [...figure.legend.items, ...items];
    // A literal in a tooltip is template text: '@' and '$' would start a field.
    const name = run.replace(/[@$]/g, '·');
    addHover(figure, lines.slice(0, 1), [['run', name], ['x', '@x'], ...lines.map((_, i): [string, string] => [count === 1 ? (names[0] ?? 'y') : lineName(i), `@y${i}{0.0000}`])], 'vline');
    const hover = figure.toolbar.tools.at(-1) as InstanceType<typeof bokeh.HoverTool>;
    const series = { source, lines, items, hover };
    this.runs.set(run, series);
    return series;
  }
}

function dataOf(frame: FrameOf<'lines'>): Record<string, Float64Array> {
  return Object.fromEntries([['x', frame.data.x], ...frame.data.ys.map((y, i) => [`y${i}`, y])]) as Record<string, Float64Array>;
}
