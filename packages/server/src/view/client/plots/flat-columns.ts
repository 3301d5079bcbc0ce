import type { Columns, PlotDelta } from '../../../protocol.js';
import type { ColumnDataSource } from '../bokeh.js';

/**
 * The data of a plot whose columns are flat numbers (scatter, lines), as Bokeh holds it:
 * typed arrays, so streaming, rollover and WebGL never touch per-point objects.
 */
export type FlatColumns = Record<string, Float64Array>;

/**
 * Takes exactly the named columns from a JSON message. A missing or non-flat column
 * becomes NaNs, because every column of a source must keep the same length (a stream
 * missing one lets lengths diverge silently). JSON has no NaN: the server's nulls are gaps.
 */
export function flatColumns(columns: Columns, names: readonly string[]): FlatColumns {
  const rows = Math.max(0, ...names.map((name) => columns[name]?.length ?? 0));
  const flat: FlatColumns = {};
  for (const name of names) {
    const values = columns[name];
    const column = new Float64Array(rows).fill(NaN);
    if (values) for (let i = 0; i < values.length; i++) column[i] = numberOrNaN(values[i]);
    flat[name] = column;
  }
  return flat;
}

/** One Bokeh update that has the effect of a frame's deltas on a flat source. */
export type FlatUpdate =
  | { op: 'stream'; columns: FlatColumns; rollover: number | undefined }
  | { op: 'replace'; columns: FlatColumns };

/**
 * Folds, oldest first, the deltas one frame gathered into a single update: everything
 * before the last replace is superseded by it, and the appends are joined into one stream.
 */
export function flatUpdate(names: readonly string[], deltas: readonly PlotDelta[]): FlatUpdate | undefined {
  const lastReplace = deltas.map((delta) => delta.op).lastIndexOf('replace');
  const current = deltas.slice(Math.max(0, lastReplace));
  if (current.length === 0) return undefined;
  const rollover = current[current.length - 1].rollover;
  const columns = concat(current.map((delta) => flatColumns(delta.columns, names)), names);
  if (lastReplace < 0) return { op: 'stream', columns, rollover };
  return { op: 'replace', columns: rollover === undefined ? columns : newest(columns, rollover) };
}

/** Applies a frame's deltas to a flat source with one Bokeh update. */
export function applyFlatDeltas(source: ColumnDataSource, names: readonly string[], deltas: readonly PlotDelta[]): void {
  const update = flatUpdate(names, deltas);
  if (update?.op === 'stream') source.stream(update.columns, update.rollover);
  if (update?.op === 'replace') source.data = update.columns;
}

function concat(parts: readonly FlatColumns[], names: readonly string[]): FlatColumns {
  if (parts.length === 1) return parts[0];
  const joined: FlatColumns = {};
  for (const name of names) {
    const column = new Float64Array(parts.reduce((sum, part) => sum + part[name].length, 0));
    let offset = 0;
    for (const part of parts) {
      column.set(part[name], offset);
      offset += part[name].length;
    }
    joined[name] = column;
  }
  return joined;
}

function newest(columns: FlatColumns, rows: number): FlatColumns {
  const kept: FlatColumns = {};
  for (const [name, column] of Object.entries(columns)) kept[name] = column.length > rows ? column.slice(-rows) : column;
  return kept;
}

function numberOrNaN(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}
