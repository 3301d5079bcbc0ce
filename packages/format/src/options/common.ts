import { ArgumentError } from '../argument-error.js';
import { checkRecordName, checkRollover, describe, isRecordName } from '../checks.js';
import { MAX_LINES } from '../limits.js';
import { checkPalette } from '../palettes.js';
import type { FieldNamer } from './field.js';

/** An axis' scale on the page. */
export type AxisScale = 'linear' | 'log';

/** How a plot is labelled and scaled on the page: the latest record that gives one sets it. */
export interface LookOptions {
  /** The figure's title (default: the plot's name). */
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** lines, multilines: a name per line, for the legend and the hover (default y0, y1, ...). */
  names?: string[];
  /** scatter, multilines: what the colour values mean, the colour bar's title. */
  colorLabel?: string;
}

/** Options every data kind but `cluster` may carry. */
export interface SeriesOptions extends LookOptions {
  /** Points (per line, for multilines) the plot keeps. */
  rollover?: number;
  /** Palette of the colour values (scatter, multilines with colour values) or of the lines. */
  palette?: string;
}

/** The look options' names, for a plot's state to keep the latest of each. */
export const LOOK_OPTIONS = ['title', 'xLabel', 'yLabel', 'xScale', 'yScale', 'names', 'colorLabel'] as const;

/** Checks the series options in `fields` and sets those given on `into` (absent ones stay absent: headers carry only the options given). */
export function parseSeriesOptions<T extends SeriesOptions>(fields: Record<string, unknown>, name: FieldNamer, into: T): T {
  const { rollover, palette, title, xLabel, yLabel, xScale, yScale, names, colorLabel } = fields;
  if (rollover !== undefined) into.rollover = checkRollover(rollover, name('rollover'));
  if (palette !== undefined) into.palette = checkPalette(palette, name('palette'));
  if (title !== undefined) into.title = checkRecordName(title, name('title'));
  if (xLabel !== undefined) into.xLabel = checkRecordName(xLabel, name('xLabel'));
  if (yLabel !== undefined) into.yLabel = checkRecordName(yLabel, name('yLabel'));
  if (colorLabel !== undefined) into.colorLabel = checkRecordName(colorLabel, name('colorLabel'));
  if (xScale !== undefined) into.xScale = checkScale(xScale, name('xScale'));
  if (yScale !== undefined) into.yScale = checkScale(yScale, name('yScale'));
  if (names !== undefined) into.names = checkNames(names, name);
  return into;
}

function checkScale(value: unknown, where: string): AxisScale {
  if (value !== 'linear' && value !== 'log') throw new ArgumentError(`${where}: expected 'linear' or 'log', got ${describe(value)}`);
  return value;
}

function checkNames(value: unknown, name: FieldNamer): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LINES) throw new ArgumentError(`${name('names')}: expected 1 to ${MAX_LINES} line names, got ${describe(value)}`);
  // The field's name is made only for the message: this runs at every step of a training loop.
  return value.map((item: unknown, i) => (isRecordName(item) ? item : checkRecordName(item, name(`names[${i}]`))));
}

/** `names`, when given, name exactly the record's `lines` lines. */
export function checkNamesFit(opts: { names?: string[] }, lines: number, where: string): void {
  if (opts.names !== undefined && opts.names.length !== lines) {
    throw new ArgumentError(`${where}: ${opts.names.length} names for ${lines} line${lines === 1 ? '' : 's'}`);
  }
}
