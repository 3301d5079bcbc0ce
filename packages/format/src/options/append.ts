import { checkBoolean, checkOptionsObject } from '../checks.js';
import { parseSeriesOptions, type SeriesOptions } from './common.js';
import type { FieldNamer } from './field.js';

/** Options of kinds whose records add to the plot or replace its data (scatter, multilines). */
export interface AppendOptions extends SeriesOptions {
  /** true adds the record's points; false replaces the plot's data. */
  append: boolean;
}

export function parseAppendOptions(opts: unknown, name: FieldNamer): AppendOptions {
  const fields = checkOptionsObject(opts, name());
  return parseSeriesOptions<AppendOptions>(fields, name, { append: checkBoolean(fields.append, name('append')) });
}
