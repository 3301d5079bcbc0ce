import { parseAppendOptions } from './options/append.js';
import { clusterArrays, layoutArrays, linesArrays, multilinesArrays, scatterArrays, type ArraysRule } from './options/arrays.js';
import { parseClearOptions } from './options/clear.js';
import { parseClusterOptions } from './options/cluster.js';
import type { OptionsParser } from './options/field.js';
import { parseLayoutOptions } from './options/layout.js';
import { parseLinesOptions } from './options/lines.js';

/** What a record of one kind must hold: its options (parsed, fields it does not know dropped) and its arrays. */
export interface KindSchema<O> {
  options: OptionsParser<O>;
  arrays: ArraysRule<O>;
  /**
   * Numeric options that change with every record (a `lines` step): a version 2 header
   * carries them as binary numbers in each record, the other options once per declaration.
   */
  perRecord: readonly string[];
}

const schema = <O>(options: OptionsParser<O>, arrays: ArraysRule<O>, perRecord: readonly (keyof O & string)[] = []): KindSchema<O> => ({ options, arrays, perRecord });

/**
 * Every record kind with its schema: the one list of kinds. The decoder accepts exactly
 * these and checks each record with its kind's schema; the logger checks what it writes
 * with the same schema. The server's plot states and the page's renderers are typed
 * `Record<PlotKind, ...>`, so a kind added here fails to compile until both handle it.
 */
export const RECORD_KINDS = {
  layout: schema(parseLayoutOptions, layoutArrays),
  clear: schema(parseClearOptions, layoutArrays),
  scatter: schema(parseAppendOptions, scatterArrays),
  lines: schema(parseLinesOptions, linesArrays, ['x']),
  multilines: schema(parseAppendOptions, multilinesArrays),
  cluster: schema(parseClusterOptions, clusterArrays),
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
/** Kinds about the run's plots rather than one plot's data: `layout` places them, `clear` empties them. */
export type ControlKind = 'layout' | 'clear';
/** Kinds whose records carry data for a plot. */
export type PlotKind = Exclude<RecordKind, ControlKind>;
/** The options a record of kind K carries. */
export type OptionsOf<K extends RecordKind> = (typeof RECORD_KINDS)[K] extends KindSchema<infer O> ? O : never;

export const CONTROL_KINDS: readonly ControlKind[] = ['layout', 'clear'];
export const PLOT_KINDS = Object.keys(RECORD_KINDS).filter((kind) => !CONTROL_KINDS.includes(kind as ControlKind)) as PlotKind[];

export function isRecordKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && Object.hasOwn(RECORD_KINDS, kind);
}
