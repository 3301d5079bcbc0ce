import { ArgumentError } from '../argument-error.js';
import { checkOptionsObject, checkRecordName, describe } from '../checks.js';
import { MAX_PLOTS_PER_RUN } from '../limits.js';
import { defined, type FieldNamer } from './field.js';

/** Options of a `clear` record: which plots lose their data (all of the run's when absent). */
export interface ClearOptions {
  plots?: string[];
}

/**
 * `clear`: the plots named (distinct names, at most MAX_PLOTS_PER_RUN), or every plot of the
 * run when `plots` is absent. A restarted producer clears what its last life wrote.
 */
export function parseClearOptions(opts: unknown, name: FieldNamer): ClearOptions {
  const { plots } = checkOptionsObject(opts, name());
  if (plots === undefined) return {};
  if (!Array.isArray(plots) || plots.length === 0 || plots.length > MAX_PLOTS_PER_RUN) {
    throw new ArgumentError(`${name('plots')}: expected 1 to ${MAX_PLOTS_PER_RUN} plot names, got ${describe(plots)}`);
  }
  const seen = new Set<string>();
  for (const [i, plot] of plots.entries()) {
    checkRecordName(plot, name(`plots[${i}]`));
    if (seen.has(plot as string)) throw new ArgumentError(`${name(`plots[${i}]`)}: ${describe(plot)} is named twice`);
    seen.add(plot as string);
  }
  return defined({ plots: [...seen] });
}
