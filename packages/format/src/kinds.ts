import { parseAppendOptions } from './options/append.js';
import { parseClusterOptions } from './options/cluster.js';
import { parseLayoutOptions } from './options/layout.js';
import { parseLinesOptions } from './options/lines.js';

/**
 * Every record kind, with the parser of its options: the one list of kinds. The codec
 * accepts exactly these; the server's plot states and the page's renderers are typed
 * `Record<PlotKind, ...>`, so a kind added here fails to compile until both handle it.
 */
export const RECORD_KINDS = {
  layout: parseLayoutOptions,
  scatter: parseAppendOptions,
  lines: parseLinesOptions,
  multilines: parseAppendOptions,
  cluster: parseClusterOptions,
} as const;

export type RecordKind = keyof typeof RECORD_KINDS;
/** Kinds whose records carry data for a plot; `layout` places the plots. */
export type PlotKind = Exclude<RecordKind, 'layout'>;
/** The options a record of kind K carries. */
export type OptionsOf<K extends RecordKind> = ReturnType<(typeof RECORD_KINDS)[K]>;

export const PLOT_KINDS = Object.keys(RECORD_KINDS).filter((kind) => kind !== 'layout') as PlotKind[];

export function isRecordKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && Object.hasOwn(RECORD_KINDS, kind);
}
