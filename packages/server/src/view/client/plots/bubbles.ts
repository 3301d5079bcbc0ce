import type { FrameOf, PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { BubbleMotion, type BubblePose } from './bubble-motion.js';
import { BubbleKey } from './bubble-key.js';
import { bubblePicker, defaultChoice, type BubbleChoice } from './bubble-picker.js';
import { addHover, plotFigure } from './figure.js';
import { paletteNamed } from './palette.js';
import type { PlotView } from './plot-view.js';

/** Diameter, in screen pixels, of the largest bubble; the others have area in proportion. */
const MAX_DIAMETER = 56;
/** Smallest diameter drawn, so a tiny cluster stays visible and hoverable. */
const MIN_DIAMETER = 5;
/** Colour by stable id: the palette is indexed by id mod its length, so an id keeps its colour forever. */
const ID_PALETTE = 'Category20_20';
/** Colour by a column: its values from lowest to highest across the current clusters. */
const VALUE_PALETTE = 'Viridis256';
const ALPHA = 0.7;
/** Fraction of the centers' extent added on each side, so edge bubbles are not cut. */
const RANGE_PADDING = 0.2;

/** The cluster table by column name: id, count and each data column. */
type FlatColumns = Record<string, Float64Array>;

/** Columns the view adds for drawing; the data's own columns are kept for the hover. */
const DRAWN = { x: '__x', y: '__y', size: '__size', color: '__color', alpha: '__alpha', label: '__label' } as const;
/** Up to this many bubbles carry their id as a label. */
const MAX_LABELLED = 12;

/**
 * A cluster plot: one bubble per visible cluster at two chosen columns of its center,
 * area in proportion to its count, coloured by its stable id (or a chosen column). HTML
 * selects above the figure choose X / Y / size / colour; updates glide into place.
 */
export function bubblesView(plot: PlotInfo, first: FrameOf<'cluster'>): PlotView<'cluster'> {
  const dataColumns = plot.opts.columns ?? first.data.centers.map((_, j) => `c${j}`);
  const tableOf = ({ data }: FrameOf<'cluster'>): FlatColumns =>
    Object.fromEntries([['id', data.id], ['count', data.count], ...dataColumns.map((name, j) => [name, data.centers[j] ?? new Float64Array(data.id.length).fill(NaN)])]) as FlatColumns;
  const idPalette = paletteNamed(ID_PALETTE, ID_PALETTE).map(cssColor);
  const valuePalette = paletteNamed(VALUE_PALETTE, VALUE_PALETTE).map(cssColor);

  let choice = defaultChoice(dataColumns);
  let table = tableOf(first);
  let noise = first.data.noise;
  let colors = colorsOf(table, choice.color, idPalette, valuePalette);
  const initial = posesOf(table, choice);

  const source = new bokeh.ColumnDataSource({ data: drawnData(table, initial, colors) });
  const figure = plotFigure(plot);
  // Room for the bubbles' radii (screen pixels) around the centers' extent.
  for (const range of [figure.x_range, figure.y_range]) if (range instanceof bokeh.DataRange1d) range.range_padding = RANGE_PADDING;
  const bubbles = figure.scatter({ field: DRAWN.x }, { field: DRAWN.y }, {
    source,
    size: { field: DRAWN.size },
    fill_color: { field: DRAWN.color },
    fill_alpha: { field: DRAWN.alpha },
    line_color: { field: DRAWN.color },
    line_alpha: 1,
  });
  figure.text({ field: DRAWN.x }, { field: DRAWN.y }, { field: DRAWN.label }, {
    source,
    text_align: 'center',
    text_baseline: 'middle',
    text_font_size: '11px',
    text_color: '#fff',
    text_font_style: 'bold',
  });
  // When colour is a column: what the colours mean, beside the bubbles.
  const mapper = new bokeh.LinearColorMapper({ palette: paletteNamed(VALUE_PALETTE, VALUE_PALETTE), low: 0, high: 1 });
  const colorBar = new bokeh.ColorBar({ color_mapper: mapper, width: 10, background_fill_alpha: 0, visible: false });
  figure.add_layout(colorBar, 'right');
  const key = new BubbleKey();
  addHover(figure, [bubbles], [
    ['id', '@id'],
    ['count', '@count'],
    ...dataColumns.map((name): [string, string] => [name, `@{${name}}{0.000}`]),
  ]);

  const motion = new BubbleMotion((poses) => (source.data = drawnData(table, poses, colors)), initial);
  const labelAxes = () => {
    figure.xaxis.axis_label = choice.x;
    figure.yaxis.axis_label = choice.y;
  };
  /** Moves the bubbles to the current table and choice, and tells what size and colour mean. */
  const show = () => {
    labelAxes();
    colors = colorsOf(table, choice.color, idPalette, valuePalette);
    motion.moveTo(posesOf(table, choice));
    const colorRange = rangeOf(table[choice.color]);
    colorBar.visible = choice.color !== 'id';
    if (colorBar.visible) mapper.setv({ low: colorRange[0], high: colorRange[1] > colorRange[0] ? colorRange[1] : colorRange[0] + 1 });
    key.show({ choice, ids: table.id, colors, sizeRange: rangeOf(table[choice.size]), colorRange, noise });
  };
  const picker = bubblePicker(dataColumns, choice, (picked) => {
    choice = picked;
    show();
    // The bubbles move to other columns' values: a view the user zoomed to would now miss them.
    figure.reset.emit();
  });
  const controls = document.createElement('div');
  controls.append(picker, key.element);
  show();

  return {
    figure,
    zoom: 'none',
    controls,
    show(frame) {
      table = tableOf(frame);
      noise = frame.data.noise;
      show();
      return true;
    },
    dispose: () => motion.stop(),
  };
}

/** Where each cluster's bubble goes for the current choice, in table order. */
function posesOf(table: FlatColumns, choice: BubbleChoice): BubblePose[] {
  const ids = table.id;
  const xs = table[choice.x];
  const ys = table[choice.y];
  const scale = areaScale(table[choice.size], choice.size === 'count');
  return Array.from(ids, (id, row) => ({
    id,
    x: xs[row],
    y: ys[row],
    size: Math.max(MIN_DIAMETER, MAX_DIAMETER * Math.sqrt(scale(table[choice.size][row]))),
    alpha: ALPHA,
  }));
}

/**
 * Maps a value to a fraction of the largest bubble's area. Counts are in proportion to
 * the largest count; another column is spread over its range across the clusters.
 */
function areaScale(values: Float64Array, proportional: boolean): (value: number) => number {
  const high = Math.max(...values);
  const low = proportional ? 0 : Math.min(...values);
  return (value) => (high > low ? (value - low) / (high - low) : 1);
}

function rangeOf(values: Float64Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return values.length === 0 ? [0, 0] : [low, high];
}

function colorsOf(table: FlatColumns, column: string, idPalette: string[], valuePalette: string[]): string[] {
  if (column === 'id') return Array.from(table.id, (id) => idPalette[idSlot(id, idPalette.length)]);
  const values = table[column];
  const scale = areaScale(values, false);
  return Array.from(values, (value) => valuePalette[Math.round(scale(value) * (valuePalette.length - 1))]);
}

/**
 * The palette entry of a stable id: id mod the palette's length, but Category20 lists
 * each hue dark then light, so ids take the dark tones first (0, 2, ..., 18), then the
 * light ones: neighbouring ids get distinct hues.
 */
export function idSlot(id: number, paletteLength: number): number {
  const slot = Math.abs(Math.trunc(id)) % paletteLength;
  const half = paletteLength / 2;
  return slot < half ? 2 * slot : 2 * (slot - half) + 1;
}

/** The source's data: the table (for the hover) and the drawn columns of the given poses. */
function drawnData(table: FlatColumns, poses: readonly BubblePose[], colors: readonly string[]): Record<string, Float64Array | string[]> {
  return {
    ...table,
    [DRAWN.x]: Float64Array.from(poses, (pose) => pose.x),
    [DRAWN.y]: Float64Array.from(poses, (pose) => pose.y),
    [DRAWN.size]: Float64Array.from(poses, (pose) => pose.size),
    [DRAWN.alpha]: Float64Array.from(poses, (pose) => pose.alpha),
    [DRAWN.color]: poses.map((_, row) => colors[row]),
    [DRAWN.label]: poses.map((pose) => (poses.length <= MAX_LABELLED ? String(pose.id) : '')),
  };
}

/** Bokeh palettes hold 0xRRGGBBAA numbers; a CSS colour works in every glyph property. */
function cssColor(rgba: number): string {
  return `#${(rgba >>> 8).toString(16).padStart(6, '0')}`;
}
