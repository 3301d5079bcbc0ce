import type { Columns, PlotDelta, PlotSnapshot } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { addHover, plotFigure } from './figure.js';
import { lineColors, paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

const DEFAULT_PALETTE = 'Category10_10';

interface Lines {
  xs: Float64Array[];
  ys: Float64Array[];
}

/**
 * Separate lines, each a list of points: columns `xs` and `ys` hold one array per line.
 * An append extends line i by the delta's row i (new lines start empty) and keeps the
 * newest `rollover` points per line; Bokeh cannot stream into a line, so the changed
 * lines are then set as the source's whole data, once per frame.
 */
export function multiLinesView(plot: PlotSnapshot): PlotView {
  const palette = paletteNamed(plot.opts.palette, DEFAULT_PALETTE);
  let lines = linesOf(plot.columns);
  const source = new bokeh.ColumnDataSource({ data: sourceData(lines, palette) });
  const figure = plotFigure(plot);
  const renderer = figure.multi_line({ field: 'xs' }, { field: 'ys' }, {
    source,
    line_color: { field: 'color' },
    line_width: 2,
    line_alpha: 0.85,
  });
  addHover(figure, [renderer], [['line', '@line'], ['x', '$x{0.000}'], ['y', '$y{0.000}']]);

  const update = (deltas: readonly PlotDelta[]): void => {
    for (const delta of deltas) {
      lines = delta.op === 'replace' ? linesOf(delta.columns) : extended(lines, linesOf(delta.columns), delta.rollover);
    }
    if (deltas.length > 0) source.data = sourceData(lines, palette);
  };
  return { figure, columnNames: ['xs', 'ys'], update };
}

function linesOf(columns: Columns): Lines {
  return { xs: rowsOf(columns.xs), ys: rowsOf(columns.ys) };
}

/** JSON rows to typed rows; anything that is not a list of number lists yields no lines. */
function rowsOf(column: Columns[string] | undefined): Float64Array[] {
  if (!column) return [];
  return column.map((row) => Float64Array.from(Array.isArray(row) ? row : [], (v) => (typeof v === 'number' ? v : NaN)));
}

function extended(lines: Lines, added: Lines, rollover: number | undefined): Lines {
  const count = Math.max(lines.xs.length, added.xs.length);
  const grow = (old: Float64Array[], extra: Float64Array[]) =>
    Array.from({ length: count }, (_, i) => joined(old[i], extra[i], rollover));
  return { xs: grow(lines.xs, added.xs), ys: grow(lines.ys, added.ys) };
}

function joined(old: Float64Array | undefined, extra: Float64Array | undefined, rollover: number | undefined): Float64Array {
  const head = old ?? new Float64Array(0);
  if (!extra || extra.length === 0) return head;
  const both = new Float64Array(head.length + extra.length);
  both.set(head);
  both.set(extra, head.length);
  return rollover !== undefined && both.length > rollover ? both.slice(-rollover) : both;
}

function sourceData(lines: Lines, palette: readonly number[]): Record<string, unknown[]> {
  const count = Math.min(lines.xs.length, lines.ys.length);
  return {
    xs: lines.xs.slice(0, count),
    ys: lines.ys.slice(0, count),
    color: lineColors(palette, count),
    line: Array.from({ length: count }, (_, i) => i),
  };
}
