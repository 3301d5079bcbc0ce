import { checkRollover } from '../checks.js';
import { checkPalette } from '../palettes.js';
import type { FieldNamer } from './field.js';

/** Options every data kind but `cluster` may carry. */
export interface SeriesOptions {
  /** Points (per line, for multilines) the plot keeps. */
  rollover?: number;
  /** Palette of the colour values (scatter) or of the lines. */
  palette?: string;
}

/** Checks the series options in `fields` and sets those given on `into` (absent ones stay absent: headers carry only the options given). */
export function parseSeriesOptions<T extends SeriesOptions>({ rollover, palette }: Record<string, unknown>, name: FieldNamer, into: T): T {
  if (rollover !== undefined) into.rollover = checkRollover(rollover, name('rollover'));
  if (palette !== undefined) into.palette = checkPalette(palette, name('palette'));
  return into;
}
