import { ArgumentError } from './argument-error.js';
import { ByteCursor } from './byte-cursor.js';
import { checkFinite, checkRecordName, describe } from './checks.js';
import { itemSize, type DType } from './dtype.js';
import { elementCount, KIND_NAMERS } from './header.js';
import { RECORD_KINDS, type KindSchema, type RecordKind } from './kinds.js';
import { MAX_BODY_BYTES, MAX_DECLARATIONS, MAX_DIMENSIONS, MAX_DIMENSION_SIZE, MAX_HEADER_BYTES } from './limits.js';
import type { ArrayDescriptor, RecordHeader } from './record.js';

/**
 * Version 2 headers (docs/log-format.md, "Version 2 headers"): binary, and what stays the
 * same from one record of a plot to the next (run, kind, plot, options, array names and
 * dtypes) is declared once by a logger and referred to by a small id afterwards.
 */

/** First byte of a version 2 header; a version 1 header is JSON text and starts with `{`. */
export const BINARY_HEADER_MARK = 0x02;
/** The header declares what its id stands for (and is whole on its own). */
export const DECLARING = 0;
/** The header refers to what an earlier header of the same logger declared. */
export const REFERRING = 1;
export type HeaderForm = typeof DECLARING | typeof REFERRING;

/** Kind codes: the index of the kind. Fixed by the format, not by the order of RECORD_KINDS. */
export const KIND_CODES: readonly RecordKind[] = ['layout', 'clear', 'scatter', 'lines', 'multilines', 'cluster'];
/** Dtype codes: the index of the dtype. */
export const DTYPE_CODES: readonly DType[] = ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'];
/** A logger id in a version 2 header: 8 bytes, written as their 16 lowercase hex digits elsewhere. */
export const LOGGER_ID_BYTES = 8;
export const LOGGER_ID = /^[0-9a-f]{16}$/;

/** What a declaring header says once for every record that refers to it. */
export interface Declaration {
  run: string;
  kind: RecordKind;
  /** Absent for `layout` and `clear`. */
  plot: string | undefined;
  /** The kind's options, parsed, without its per-record fields. */
  opts: Readonly<Record<string, unknown>>;
  arrays: readonly { name: string; dtype: DType }[];
}

interface Declared extends Declaration {
  /** The descriptors of the last record that used this declaration, already checked by the kind's arrays rule. */
  checked: ArrayDescriptor[] | undefined;
}

/**
 * The declarations a stream has made so far, by logger and id. A reader keeps one per
 * stream (a log file, read from its start); a frame read alone (a Pub/Sub message) has an
 * empty one, so only declaring headers read there.
 */
export class Declarations {
  private readonly byLogger = new Map<string, (Declared | undefined)[]>();
  /** The last logger id read, as bytes (two uint32) and as text: a stream's records are mostly one logger's. */
  private lastLow = -1;
  private lastHigh = -1;
  private lastLogger = '';

  /** The logger id at `at` of `bytes`, as its hex digits. */
  loggerAt(bytes: Buffer, at: number): string {
    const low = bytes.readUInt32LE(at);
    const high = bytes.readUInt32LE(at + 4);
    if (low !== this.lastLow || high !== this.lastHigh) {
      this.lastLogger = bytes.toString('hex', at, at + LOGGER_ID_BYTES);
      this.lastLow = low;
      this.lastHigh = high;
    }
    return this.lastLogger;
  }

  get(logger: string, id: number): Declared | undefined {
    return this.byLogger.get(logger)?.[id];
  }

  set(logger: string, id: number, declared: Declared | undefined): void {
    let ids = this.byLogger.get(logger);
    if (!ids) this.byLogger.set(logger, (ids = []));
    ids[id] = declared;
  }
}

/** Reads every header, one at a time. */
const CURSOR = new ByteCursor();

/**
 * Checks a version 2 header (bytes [start, end), after its mark) for a frame whose body is
 * `bodyBytes` long, with the declarations of the stream it is read from; a declaring header
 * adds or replaces its declaration. Returns the header a version 1 record of the same
 * content would have (with `v` 2); throws an ArgumentError naming the field.
 */
export function parseBinaryHeader(bytes: Buffer, start: number, end: number, bodyBytes: number, declarations: Declarations): RecordHeader {
  const cursor = CURSOR.reset(bytes, start + 1, end);
  const form = cursor.u8('form');
  if (form !== DECLARING && form !== REFERRING) throw new ArgumentError(`header.form: expected ${DECLARING} (declaring) or ${REFERRING} (referring), got ${form}`);
  cursor.skip(LOGGER_ID_BYTES, 'logger');
  const logger = declarations.loggerAt(bytes, cursor.at - LOGGER_ID_BYTES);
  const seq = cursor.varint('seq', Number.MAX_SAFE_INTEGER);
  const time = checkFinite(cursor.f64('time'), 'header.time');
  const id = cursor.varint('declaration', MAX_DECLARATIONS - 1);
  let declared: Declared;
  let rawOpts: Record<string, unknown> | undefined;
  if (form === DECLARING) {
    // Whatever follows, the id no longer means what it meant: records referring to it must not get the old meaning.
    declarations.set(logger, id, undefined);
    ({ declared, rawOpts } = readDeclaration(cursor));
  } else {
    const found = declarations.get(logger, id);
    if (!found) throw new ArgumentError(`header.declaration: logger ${logger} has not declared ${id} earlier in this stream (its declaring record is missing or damaged)`);
    declared = found;
  }
  const schema = RECORD_KINDS[declared.kind] as unknown as KindSchema<unknown>;
  const namers = KIND_NAMERS[declared.kind];
  let opts: Record<string, unknown>;
  if (rawOpts) {
    for (const field of schema.perRecord) rawOpts[field] = cursor.f64(field, 'opts.');
    opts = schema.options(rawOpts, namers.options) as Record<string, unknown>;
    declared.opts = Object.freeze(withoutFields(opts, schema.perRecord));
  } else if (schema.perRecord.length === 0) {
    opts = declared.opts as Record<string, unknown>;
  } else {
    opts = { ...declared.opts };
    for (const field of schema.perRecord) {
      const value = cursor.f64(field, 'opts.');
      opts[field] = Number.isFinite(value) ? value : checkFinite(value, namers.options(field));
    }
  }
  const arrays = readShapes(cursor, declared, bodyBytes);
  if (arrays !== declared.checked) {
    schema.arrays(arrays, opts, namers.arrays);
    declared.checked = arrays;
  }
  if (form === DECLARING) declarations.set(logger, id, declared);
  const { run, kind, plot } = declared;
  const header = plot === undefined ? { v: 2, run, logger, seq, time, kind, opts, arrays } : { v: 2, run, logger, seq, time, kind, plot, opts, arrays };
  return header as unknown as RecordHeader;
}

function readDeclaration(cursor: ByteCursor): { declared: Declared; rawOpts: Record<string, unknown> } {
  const run = checkRecordName(cursor.string('run', MAX_HEADER_BYTES), 'header.run');
  const code = cursor.u8('kind');
  const kind = KIND_CODES[code];
  if (kind === undefined) throw new ArgumentError(`header.kind: expected a kind code 0..${KIND_CODES.length - 1} (${KIND_CODES.join(', ')}), got ${code}`);
  const plotText = cursor.string('plot', MAX_HEADER_BYTES);
  const plot = kind === 'layout' || kind === 'clear' ? undefined : checkRecordName(plotText, 'header.plot');
  const optsText = cursor.string('opts', MAX_HEADER_BYTES);
  let rawOpts: unknown;
  try {
    rawOpts = JSON.parse(optsText);
  } catch (error) {
    throw new ArgumentError(`header.opts: not JSON (${(error as Error).message})`);
  }
  if (typeof rawOpts !== 'object' || rawOpts === null || Array.isArray(rawOpts)) throw new ArgumentError(`header.opts: expected a JSON object, got ${describe(rawOpts)}`);
  const count = cursor.varint('arrays count', MAX_HEADER_BYTES);
  const arrays: { name: string; dtype: DType }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = checkRecordName(cursor.string(`arrays[${i}].name`, MAX_HEADER_BYTES), `header.arrays[${i}].name`);
    if (names.has(name)) throw new ArgumentError(`header.arrays[${i}].name: ${describe(name)} names an earlier array too; names are unique in a record`);
    names.add(name);
    const dtypeCode = cursor.u8(`arrays[${i}].dtype`);
    const dtype = DTYPE_CODES[dtypeCode];
    if (dtype === undefined) throw new ArgumentError(`header.arrays[${i}].dtype: expected a dtype code 0..${DTYPE_CODES.length - 1} (${DTYPE_CODES.join(', ')}), got ${dtypeCode}`);
    arrays.push({ name, dtype });
  }
  return { declared: { run, kind, plot, opts: {}, arrays, checked: undefined }, rawOpts: rawOpts as Record<string, unknown> };
}

/**
 * The record's array descriptors from its shapes: the declaration's last checked ones
 * when every shape is the same (a plot's records usually have one shape), else new ones.
 */
/** One array's dimensions as read, before they are known to differ from the checked ones (no array per record). */
const DIMS: number[] = new Array<number>(MAX_DIMENSIONS).fill(0);

function readShapes(cursor: ByteCursor, declared: Declared, bodyBytes: number): ArrayDescriptor[] {
  const { arrays, checked } = declared;
  // Made only once a shape differs from the checked ones: a plot's records mostly repeat theirs.
  let shapes: number[][] | undefined = checked === undefined ? [] : undefined;
  let total = 0;
  // Every record reads its shapes: the field's name is made only for a message.
  let i = 0;
  let d = -1;
  const field = () => (d < 0 ? `arrays[${i}].shape` : `arrays[${i}].shape[${d}]`);
  for (; i < arrays.length; i++) {
    d = -1;
    const ndim = cursor.u8(field);
    if (ndim > MAX_DIMENSIONS) throw new ArgumentError(`header.arrays[${i}].shape: expected at most ${MAX_DIMENSIONS} dimensions, got ${ndim}`);
    for (d = 0; d < ndim; d++) DIMS[d] = cursor.varint(field, MAX_DIMENSION_SIZE);
    if (!shapes && !sameDims(DIMS, ndim, checked![i].shape)) shapes = checked!.slice(0, i).map(({ shape }) => shape);
    shapes?.push(DIMS.slice(0, ndim));
    // A sum of many large arrays stops growing past the limit, before it could lose precision.
    if (total <= MAX_BODY_BYTES) total += elementCount(DIMS, ndim) * itemSize(arrays[i].dtype);
  }
  if (total !== bodyBytes) {
    const need = total > bodyBytes ? `more than ${bodyBytes}` : String(total);
    throw new ArgumentError(`header.arrays: the arrays take ${need} body bytes, the frame's body has ${bodyBytes}`);
  }
  if (!shapes) return checked!;
  return arrays.map(({ name, dtype }, k) => ({ name, dtype, shape: shapes[k] }));
}

function sameDims(dims: readonly number[], ndim: number, shape: readonly number[]): boolean {
  if (shape.length !== ndim) return false;
  for (let k = 0; k < ndim; k++) if (dims[k] !== shape[k]) return false;
  return true;
}

/** `opts` without the kind's per-record fields (the same object when it has none). */
export function withoutFields(opts: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return opts;
  // Copied key by key rather than deleted from a copy: `delete` would make a slow object of every record's options.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(opts)) if (!fields.includes(key)) kept[key] = opts[key];
  return kept;
}
