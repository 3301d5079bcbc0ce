import { checkFinite, checkOptionsObject } from '../checks.js';
import { parseSeriesOptions, type SeriesOptions } from './common.js';
import type { FieldNamer } from './field.js';

/** Options of a `lines` record: one step of tandem lines. */
export interface LinesOptions extends SeriesOptions {
  /** The x value (step) shared by every line of the plot. */
  x: number;
}

export function parseLinesOptions(opts: unknown, name: FieldNamer): LinesOptions {
  const fields = checkOptionsObject(opts, name());
  return parseSeriesOptions<LinesOptions>(fields, name, { x: checkFinite(fields.x, name('x')) });
}
