import { ArgumentError } from './argument-error.js';
import { describe } from './checks.js';
import { BINARY_HEADER_MARK, DECLARING, DTYPE_CODES, KIND_CODES, LOGGER_ID, LOGGER_ID_BYTES, REFERRING, withoutFields, type HeaderForm } from './binary-header.js';
import type { TypedArray } from './dtype.js';
import { alignmentPadding, assembleFrame, bodyLength, filledBody, type FrameWriter } from './frame-builder.js';
import { CONTROL_KINDS, RECORD_KINDS, type ControlKind, type KindSchema } from './kinds.js';
import { MAX_DECLARATIONS } from './limits.js';
import type { RecordHeader } from './record.js';
import { varintBytes, writeVarint } from './varint.js';

/**
 * A stream declares a plot again after this many records referring to it, so that damage
 * to one declaring record loses at most this many of the plot's records, not the rest of
 * the stream.
 */
export const REDECLARE_EVERY = 1000;

/** Which frames a record is wanted as. */
export interface FrameForms {
  /** For sinks whose frames one reader reads in order from the sink's first (a log file): may refer to earlier frames. */
  streamed: boolean;
  /** For sinks whose frames are read alone or from anywhere (Pub/Sub, HTTP): whole on their own. */
  selfContained: boolean;
}

export interface EncodedFrames {
  streamed?: Buffer;
  /** The same Buffer as `streamed` when that one declares (is whole on its own) too. */
  selfContained?: Buffer;
}

/** A declaration in use: its id and its bytes in a declaring header, made once. */
interface InUse {
  id: number;
  bytes: Buffer;
  /** Streamed records made with it since it was last declared in the stream (REDECLARE_EVERY). */
  streamedSinceDeclared: number;
}

/**
 * Encodes one logger's records in version 2 (docs/log-format.md, "Version 2 headers"):
 * the run, kind, plot, options and array names and dtypes of a plot's records are declared
 * once and referred to by id after, so a step of a few scalars takes a few dozen bytes.
 */
export class RecordEncoder {
  private readonly loggerBytes: Buffer;
  private readonly inUse = new Map<string, InUse>();
  /**
   * Each plot's last header and its declaration: a record declaring what the last one of its
   * plot did (a training loop's every step) finds it without building its key, the biggest
   * garbage of a small record.
   */
  private readonly lastOfPlot = new Map<string, { header: RecordHeader; found: InUse }>();

  constructor(logger: string) {
    if (!LOGGER_ID.test(logger)) throw new ArgumentError(`RecordEncoder(logger): expected 16 lowercase hex digits, got '${logger.slice(0, 40)}'`);
    this.loggerBytes = Buffer.from(logger, 'hex');
  }

  /**
   * Forgets every declaration: each plot's next streamed record declares again. For a sink
   * that starts reading the stream from here (a log file added to a running logger).
   */
  restart(): void {
    this.inUse.clear();
    this.lastOfPlot.clear();
  }

  /**
   * The frames of a record whose header (made by `recordHeader`, already checked) describes
   * the arrays `fill` writes (see `encodeFrameInPlace`). Throws a RangeError past the length
   * limits; an exception from `fill` passes through and no frame is made.
   */
  encode(header: RecordHeader, fill: (arrays: TypedArray[]) => void, forms: FrameForms): EncodedFrames {
    const schema = RECORD_KINDS[header.kind] as unknown as KindSchema<unknown>;
    const opts = header.opts as Record<string, unknown>;
    const declaration = this.declaration(header, schema.perRecord);
    const declareInStream = declaration.streamedSinceDeclared % REDECLARE_EVERY === 0 || CONTROL_KINDS.includes(header.kind as ControlKind);
    const first: HeaderForm = !forms.streamed || declareInStream ? DECLARING : REFERRING;
    const values = schema.perRecord.map((field) => opts[field] as number);
    const shapes = header.arrays.map(({ shape }) => shape);
    const counts = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
    const bodyBytes = bodyLength(header.arrays, counts);
    const frame = this.frame(first, header, declaration, values, bodyBytes, filledBody(header.arrays, counts, fill));
    const frames: EncodedFrames = {};
    if (forms.streamed) {
      frames.streamed = frame;
      declaration.streamedSinceDeclared = first === DECLARING ? 1 : declaration.streamedSinceDeclared + 1;
    }
    if (forms.selfContained) {
      const bodyStart = frame.length - bodyBytes;
      frames.selfContained = first === DECLARING ? frame : this.frame(DECLARING, header, declaration, values, bodyBytes, (into, at) => frame.copy(into, at, bodyStart));
    }
    return frames;
  }

  private frame(form: HeaderForm, header: RecordHeader, declaration: InUse, values: readonly number[], bodyBytes: number, writeBody: FrameWriter): Buffer {
    const { seq, time } = header;
    let length = 2 + LOGGER_ID_BYTES + varintBytes(seq) + 8 + varintBytes(declaration.id) + 8 * values.length;
    if (form === DECLARING) length += declaration.bytes.length;
    for (const { shape } of header.arrays) length += 1 + shape.reduce((sum, size) => sum + varintBytes(size), 0);
    const padding = alignmentPadding(length);
    const writeHeader: FrameWriter = (frame, at) => {
      frame[at++] = BINARY_HEADER_MARK;
      frame[at++] = form;
      at += this.loggerBytes.copy(frame, at);
      at = writeVarint(frame, at, seq);
      at = frame.writeDoubleLE(time, at);
      at = writeVarint(frame, at, declaration.id);
      if (form === DECLARING) at += declaration.bytes.copy(frame, at);
      for (const value of values) at = frame.writeDoubleLE(value, at);
      for (const { shape } of header.arrays) {
        frame[at++] = shape.length;
        for (const size of shape) at = writeVarint(frame, at, size);
      }
      frame.fill(0, at, at + padding);
    };
    return assembleFrame(length + padding, bodyBytes, writeHeader, writeBody);
  }

  /** The declaration of this header's run, kind, plot, options (but the per-record ones) and arrays. */
  private declaration(header: RecordHeader, perRecord: readonly string[]): InUse {
    const plot = 'plot' in header ? header.plot : '';
    const last = this.lastOfPlot.get(plot);
    if (last && declaresTheSame(last.header, header, perRecord)) return last.found;
    const found = this.declarationByKey(header, plot, perRecord);
    this.lastOfPlot.set(plot, { header, found });
    return found;
  }

  private declarationByKey(header: RecordHeader, plot: string, perRecord: readonly string[]): InUse {
    const optsJson = JSON.stringify(withoutFields(header.opts as Record<string, unknown>, perRecord));
    const arrays = header.arrays.map(({ name, dtype }) => `${name}\0${dtype}`).join('\0');
    const key = `${header.kind}\0${header.run}\0${plot}\0${arrays}\0${optsJson}`;
    let found = this.inUse.get(key);
    if (found) return found;
    // Bounded: past the limit the ids start over, and each is declared again before it is referred to.
    if (this.inUse.size === MAX_DECLARATIONS) {
      this.inUse.clear();
      this.lastOfPlot.clear();
    }
    found = { id: this.inUse.size, bytes: declarationBytes(header, plot, optsJson), streamedSinceDeclared: 0 };
    this.inUse.set(key, found);
    return found;
  }
}

/**
 * Whether two headers of one plot declare the same: kind, run, array names and dtypes, and
 * options but the per-record ones, compared value by value (no copy, no JSON). Options
 * holding anything but numbers, strings, booleans and lists of them compare as different,
 * which only sends the record the slow way, by its key.
 */
function declaresTheSame(a: RecordHeader, b: RecordHeader, perRecord: readonly string[]): boolean {
  if (a.kind !== b.kind || a.run !== b.run || a.arrays.length !== b.arrays.length) return false;
  for (let i = 0; i < a.arrays.length; i++) if (a.arrays[i].name !== b.arrays[i].name || a.arrays[i].dtype !== b.arrays[i].dtype) return false;
  const aOpts = a.opts as Record<string, unknown>;
  const bOpts = b.opts as Record<string, unknown>;
  let unmatched = 0;
  for (const key in bOpts) {
    if (perRecord.includes(key)) continue;
    if (!sameValue(aOpts[key], bOpts[key])) return false;
    unmatched++;
  }
  for (const key in aOpts) if (!perRecord.includes(key)) unmatched--;
  return unmatched === 0;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'object' || a === null;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || (typeof a[i] === 'object' && a[i] !== null)) return false;
  return true;
}

/** run, kind code, plot, options JSON, array count, then each array's name and dtype code. */
function declarationBytes(header: RecordHeader, plot: string, optsJson: string): Buffer {
  checkUtf8Name(header.run, 'run name');
  checkUtf8Name(plot, 'plot name');
  header.arrays.forEach(({ name }) => checkUtf8Name(name, 'array name'));
  // JSON.stringify escapes a lone surrogate, so the options always are UTF-8.
  const strings = [header.run, plot, optsJson, ...header.arrays.map(({ name }) => name)].map((text) => Buffer.from(text, 'utf8'));
  const parts: number[] = [];
  const string = (bytes: Buffer) => {
    pushVarint(parts, bytes.length);
    for (const byte of bytes) parts.push(byte);
  };
  string(strings[0]);
  parts.push(KIND_CODES.indexOf(header.kind));
  string(strings[1]);
  string(strings[2]);
  pushVarint(parts, header.arrays.length);
  header.arrays.forEach(({ dtype }, i) => {
    string(strings[3 + i]);
    parts.push(DTYPE_CODES.indexOf(dtype));
  });
  return Buffer.from(parts);
}

/** A lone surrogate (half of a UTF-16 pair; with the u flag a pair is one code point) would become U+FFFD in UTF-8: the record would name another plot than the call. */
const LONE_SURROGATE = /\p{Surrogate}/u;

function checkUtf8Name(name: string, what: string): void {
  if (LONE_SURROGATE.test(name)) throw new RangeError(`the ${what} ${describe(name)} holds a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot hold`);
}

function pushVarint(parts: number[], value: number): void {
  const bytes = Buffer.alloc(varintBytes(value));
  writeVarint(bytes, 0, value);
  parts.push(...bytes);
}

