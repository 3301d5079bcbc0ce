import { crc32 } from 'node:zlib';
import { endianness } from 'node:os';
import { DTYPES, dtypeOf, isDType, itemSize, typedArrayAt, type DType, type TypedArray } from './dtype.js';
import { ArgumentError } from './argument-error.js';
import { isRecordKind, RECORD_KINDS } from './kinds.js';
import { recordOptions } from './options/field.js';
import { FORMAT_VERSION, type ArrayDescriptor, type LogRecord, type NamedArray, type RecordHeader } from './record.js';

// Arrays are copied byte for byte into the body, so the host must be little-endian like the format.
if (endianness() !== 'LE') throw new Error('streamvis records are little-endian; this host is big-endian');

/** "SVR1": marks the start of every frame, so a reader can find the next frame after damage. */
export const MAGIC = Buffer.from('SVR1', 'latin1');
/** magic, header length, body length, payload CRC-32, prefix CRC-32: five 4-byte fields. */
export const PREFIX_BYTES = 20;
export const MAX_HEADER_BYTES = 1 << 20;
export const MAX_BODY_BYTES = 1 << 30;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A header as the encoder's caller gives it: the version and array descriptors are filled in. */
export type RecordFields = DistributiveOmit<RecordHeader, 'v' | 'arrays'>;

export interface ArrayInput {
  name: string;
  shape: readonly number[];
  data: TypedArray;
}

/** Encodes one record as a complete frame (see docs/log-format.md). */
export function encodeRecord(fields: RecordFields, arrays: readonly ArrayInput[] = []): Buffer {
  return encodeFrame(recordHeader(fields, arrays), arrays);
}

/**
 * The header `encodeRecord` writes for these fields and arrays (checks each array's shape
 * against its data). Arrays given as descriptors, without data, are for `encodeFrameInPlace`.
 */
export function recordHeader(fields: RecordFields, arrays: readonly (ArrayInput | ArrayDescriptor)[] = []): RecordHeader {
  const descriptors: ArrayDescriptor[] = arrays.map((array) => {
    if (!('data' in array)) return { name: array.name, dtype: array.dtype, shape: [...array.shape] };
    const { name, shape, data } = array;
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new RangeError(`array '${name}': shape [${shape}] needs ${count} values, got ${data.length}`);
    return { name, dtype: dtypeOf(data), shape: [...shape] };
  });
  return { v: FORMAT_VERSION, ...fields, arrays: descriptors } as RecordHeader;
}

/** Encodes a frame from a header made by `recordHeader` and the same arrays, in the same order. */
export function encodeFrame(header: RecordHeader, arrays: readonly ArrayInput[]): Buffer {
  return encodeFrameInPlace(header, (body) => arrays.forEach(({ data }, i) => body[i].set(data)));
}

/**
 * Encodes a frame whose arrays `fill` writes straight into the frame: it is given one typed
 * array per descriptor of `header`, in order, and must set every element (the memory is not
 * zeroed). Saves building the arrays elsewhere and copying them in. An exception from
 * `fill` passes through and no frame is made.
 */
export function encodeFrameInPlace(header: RecordHeader, fill: (arrays: TypedArray[]) => void): Buffer {
  const json = paddedJson(header);
  const headerBytes = Buffer.byteLength(json, 'utf8');
  const counts = header.arrays.map(({ shape }) => shape.reduce((a, b) => a * b, 1));
  const bodyBytes = header.arrays.reduce((sum, { dtype }, i) => sum + counts[i] * itemSize(dtype), 0);
  if (headerBytes > MAX_HEADER_BYTES) throw new RangeError(`record header is ${headerBytes} bytes; the limit is ${MAX_HEADER_BYTES}`);
  if (bodyBytes > MAX_BODY_BYTES) throw new RangeError(`record body is ${bodyBytes} bytes; the limit is ${MAX_BODY_BYTES}`);

  const frame = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes + bodyBytes);
  MAGIC.copy(frame, 0);
  frame.writeUInt32LE(headerBytes, 4);
  frame.writeUInt32LE(bodyBytes, 8);
  frame.write(json, PREFIX_BYTES, 'utf8');
  const offsets: number[] = [];
  let offset = PREFIX_BYTES + headerBytes;
  const arrays = header.arrays.map(({ dtype }, i) => {
    offsets.push(offset);
    const array = writableArrayAt(frame, offset, counts[i], dtype);
    offset += array.byteLength;
    return array;
  });
  fill(arrays);
  arrays.forEach((array, i) => {
    if (array.buffer !== frame.buffer) frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offsets[i]);
  });
  frame.writeUInt32LE(crc32(frame.subarray(PREFIX_BYTES)), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  return frame;
}

/**
 * A typed array over the frame's bytes at `offset` when that is aligned for the type (bodies
 * start 8-byte aligned and pooled Buffers are 8-byte aligned, so arrays of one element type
 * always are); else a separate array that `encodeFrameInPlace` copies in after filling.
 */
function writableArrayAt(frame: Buffer, offset: number, length: number, dtype: DType): TypedArray {
  const ctor = DTYPES[dtype];
  const start = frame.byteOffset + offset;
  return start % ctor.BYTES_PER_ELEMENT === 0 ? new ctor(frame.buffer as ArrayBuffer, start, length) : new ctor(length);
}

/**
 * The header as JSON, padded with spaces so the body starts 8-byte aligned in the frame
 * (UTF-8 encoded): readers can then view the arrays in place instead of copying them.
 */
function paddedJson(header: RecordHeader): string {
  const text = JSON.stringify(header);
  const padding = (8 - ((PREFIX_BYTES + Buffer.byteLength(text, 'utf8')) % 8)) % 8;
  return padding === 0 ? text : text + ' '.repeat(padding);
}

/** What one attempt to read a frame at an offset found. */
export type FrameResult =
  | { status: 'record'; record: LogRecord; end: number }
  | { status: 'incomplete' }
  | { status: 'corrupt'; reason: string; resume: number };

/**
 * Reads the frame starting at `offset`. A frame cut short by the end of `bytes` is
 * 'incomplete' (a torn tail to wait on) unless a complete, valid frame starts later
 * in `bytes`: then the writer died mid-frame and someone appended after it.
 */
export function readFrame(input: Uint8Array, offset: number): FrameResult {
  return readFrameOf(asBuffer(input), offset);
}

/** A Buffer over the same memory, so the hot path reads fields and text without wrapper objects per frame. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The prefix fields, copied here to checksum them without a view object per frame. */
const prefixScratch = Buffer.alloc(16);

function readFrameOf(bytes: Buffer, offset: number): FrameResult {
  const available = bytes.length - offset;
  if (available < MAGIC.length) {
    return isMagicPrefix(bytes, offset) ? { status: 'incomplete' } : corrupt('bad magic', nextMagic(bytes, offset + 1));
  }
  if (!hasMagicAt(bytes, offset)) return corrupt('bad magic', nextMagic(bytes, offset + 1));
  if (available < PREFIX_BYTES) return { status: 'incomplete' };

  const headerBytes = bytes.readUInt32LE(offset + 4);
  const bodyBytes = bytes.readUInt32LE(offset + 8);
  bytes.copy(prefixScratch, 0, offset, offset + 16);
  if (bytes.readUInt32LE(offset + 16) !== crc32(prefixScratch)) {
    return corrupt('bad prefix checksum', nextMagic(bytes, offset + 1));
  }
  if (headerBytes > MAX_HEADER_BYTES || bodyBytes > MAX_BODY_BYTES) {
    return corrupt('frame lengths out of range', nextMagic(bytes, offset + 1));
  }
  const end = offset + PREFIX_BYTES + headerBytes + bodyBytes;
  if (end > bytes.length) {
    const later = nextCompleteFrame(bytes, offset + 1);
    return later < 0 ? { status: 'incomplete' } : corrupt('torn record', later);
  }
  const start = offset + PREFIX_BYTES;
  // A plain Uint8Array view: cheaper to make per frame than a Buffer's subarray.
  const payload = new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
  if (bytes.readUInt32LE(offset + 12) !== crc32(payload)) return corrupt('bad payload checksum', nextMagic(bytes, offset + 1));

  // The checksums hold, so the frame's extent is trusted: a bad header skips exactly this frame.
  const decoded = decodePayload(bytes, start, headerBytes, end);
  if (typeof decoded === 'string') return corrupt(decoded, end);
  return { status: 'record', record: decoded, end };
}

function corrupt(reason: string, resume: number): FrameResult {
  return { status: 'corrupt', reason, resume };
}

function hasMagicAt(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === MAGIC[0] && bytes[offset + 1] === MAGIC[1] && bytes[offset + 2] === MAGIC[2] && bytes[offset + 3] === MAGIC[3];
}

function isMagicPrefix(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < bytes.length; i++) if (bytes[i] !== MAGIC[i - offset]) return false;
  return true;
}

/** Offset of the next full magic at or after `from`, or of a magic prefix at the very end. */
function nextMagic(bytes: Buffer, from: number): number {
  const found = bytes.indexOf(MAGIC, from);
  if (found >= 0) return found;
  for (let start = Math.max(from, bytes.length - MAGIC.length + 1); start < bytes.length; start++) {
    if (isMagicPrefix(bytes, start)) return start;
  }
  return bytes.length;
}

function nextCompleteFrame(bytes: Buffer, from: number): number {
  for (let at = nextMagic(bytes, from); at < bytes.length; at = nextMagic(bytes, at + 1)) {
    if (readFrameOf(bytes, at).status === 'record') return at;
  }
  return -1;
}

function decodePayload(bytes: Buffer, start: number, headerBytes: number, end: number): LogRecord | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8', start, start + headerBytes));
  } catch {
    return 'header is not JSON';
  }
  const header = checkHeader(parsed, end - start - headerBytes);
  if (typeof header === 'string') return header;
  const arrays: Record<string, NamedArray> = {};
  let offset = start + headerBytes;
  for (const { name, dtype, shape } of header.arrays) {
    const length = shape.reduce((a, b) => a * b, 1);
    arrays[name] = { dtype, shape, data: typedArrayAt(bytes, offset, length, dtype) };
    offset += length * itemSize(dtype);
  }
  return { header, arrays };
}

/**
 * Checks what the decoder relies on and parses the kind's options with the kind's own
 * parser (fields it does not know are dropped); returns the header, or the problem.
 */
function checkHeader(parsed: unknown, bodyBytes: number): RecordHeader | string {
  if (typeof parsed !== 'object' || parsed === null) return 'header is not an object';
  const header = parsed as Record<string, unknown>;
  if (header.v !== FORMAT_VERSION) return `unknown format version ${String(header.v)}`;
  if (typeof header.run !== 'string' || typeof header.logger !== 'string') return 'header lacks run or logger';
  if (!Number.isSafeInteger(header.seq) || typeof header.time !== 'number') return 'header lacks seq or time';
  const { kind } = header;
  if (!isRecordKind(kind)) return `unknown record kind ${String(kind)}`;
  if (kind !== 'layout' && typeof header.plot !== 'string') return 'header lacks plot';
  try {
    header.opts = RECORD_KINDS[kind](header.opts, recordOptions(kind));
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    return error.message;
  }
  if (!Array.isArray(header.arrays)) return 'header lacks arrays';
  let total = 0;
  for (const a of header.arrays as unknown[]) {
    const { name, dtype, shape } = (a ?? {}) as Partial<ArrayDescriptor>;
    if (typeof name !== 'string' || !isDType(dtype) || !Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      return 'bad array descriptor';
    }
    total += shape.reduce((x, y) => x * y, 1) * itemSize(dtype);
  }
  if (total !== bodyBytes) return `arrays need ${total} body bytes, frame has ${bodyBytes}`;
  // Every field the types promise has been checked above.
  return header as unknown as RecordHeader;
}
