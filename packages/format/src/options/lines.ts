import { checkFinite, checkOptional, checkOptionsObject, checkRollover } from '../checks.js';
import { checkPalette } from '../palettes.js';
import { defined, type FieldNamer } from './field.js';

/** Options of a `lines` record: one step of tandem lines. */
export interface LinesOptions {
  /** The x value (step) shared by every line of the plot. */
  x: number;
  palette?: string;
  rollover?: number;
}

export function parseLinesOptions(opts: unknown, name: FieldNamer): LinesOptions {
  const { x, palette, rollover } = checkOptionsObject(opts, name());
  return defined({
    x: checkFinite(x, name('x')),
    palette: checkOptional(palette, name('palette'), checkPalette),
    rollover: checkOptional(rollover, name('rollover'), checkRollover),
  });
}
