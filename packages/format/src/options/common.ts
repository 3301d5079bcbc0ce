import { checkOptional, checkRollover } from '../checks.js';
import { checkPalette } from '../palettes.js';
import type { FieldNamer } from './field.js';

/** Options every data kind but `cluster` may carry. */
export interface SeriesOptions {
  /** Points (per line, for multilines) the plot keeps. */
  rollover?: number;
  /** Palette of the colour values (scatter) or of the lines. */
  palette?: string;
}

export function parseSeriesOptions({ rollover, palette }: Record<string, unknown>, name: FieldNamer): SeriesOptions {
  return {
    rollover: checkOptional(rollover, name('rollover'), checkRollover),
    palette: checkOptional(palette, name('palette'), checkPalette),
  };
}
