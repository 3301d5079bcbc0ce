import { checkBoolean, checkOptional, checkOptionsObject, checkRollover } from '../checks.js';
import { checkPalette } from '../palettes.js';
import { defined, type FieldNamer } from './field.js';

/** Options of kinds whose records add to the plot or replace its data (scatter, multilines). */
export interface AppendOptions {
  /** true adds the record's points; false replaces the plot's data. */
  append: boolean;
  /** Points (per line, for multilines) the plot keeps. */
  rollover?: number;
  /** Palette for the colour values (scatter) or the lines (multilines). */
  palette?: string;
}

export function parseAppendOptions(opts: unknown, name: FieldNamer): AppendOptions {
  const { append, rollover, palette } = checkOptionsObject(opts, name());
  return defined({
    append: checkBoolean(append, name('append')),
    rollover: checkOptional(rollover, name('rollover'), checkRollover),
    palette: checkOptional(palette, name('palette'), checkPalette),
  });
}
