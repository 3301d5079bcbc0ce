/**
 * Names the option `field` in an error message: the logger says `scatter(options.rollover)`,
 * a decoder says `scatter opts.rollover`, so one parser serves both.
 */
export type FieldNamer = (field?: string) => string;

/** Names the options of a logger call: `scatter(options.rollover)`, `scatter(options)`. */
export const callOptions =
  (method: string): FieldNamer =>
  (field) =>
    field === undefined ? `${method}(options)` : `${method}(options.${field})`;

/** Names the options of a decoded record: `scatter opts.rollover`, `scatter opts`. */
export const recordOptions =
  (kind: string): FieldNamer =>
  (field) =>
    field === undefined ? `${kind} opts` : `${kind} opts.${field}`;

/** Parses a record kind's options; throws an ArgumentError naming the field. */
export type OptionsParser<T> = (opts: unknown, name: FieldNamer) => T;

/** Drops undefined fields, so headers carry only the options given (a plain loop: every record's options pass here). */
export function defined<T extends object>(fields: T): T {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) kept[key] = value;
  return kept as T;
}
