import { isUtf8 } from 'node:buffer';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { ArgumentError } from './argument-error.js';
import { DTYPES, dtypeOf, itemSize, typedArrayAt, type DType, type TypedArray } from './dtype.js';
import { elementCount, parseHeader } from './header.js';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES } from './limits.js';
import { MAGIC, PREFIX_BYTES } from './prefix.js';
import { FORMAT_VERSION, type ArrayDescriptor, type LogRecord, type NamedArray, type RecordHeader } from './record.js';

// Arrays are copied byte for byte into the body, so the host must be little-endian like the format.
if (endianness() !== 'LE') throw new Error('streamvis records are little-endian; this host is big-endian');

export { MAGIC, PREFIX_BYTES };

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

/**
 * Decodes the payload of a sound frame (both checksums hold): the header bytes
 * [start, start + headerBytes) and the body after them up to `end`. Returns the record, or
 * what is wrong with it (rule 7), naming the field. The arrays are views into `bytes` where
 * aligned for their type.
 */
export function decodePayload(bytes: Buffer, start: number, headerBytes: number, end: number): LogRecord | string {
  const headerEnd = start + headerBytes;
  const text = bytes.toString('utf8', start, headerEnd);
  // Bytes that are not UTF-8 decode to U+FFFD: only a header holding one needs the exact check.
  if (text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, headerEnd))) return 'header: not valid UTF-8';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return new ArgumentError(`header: not JSON (${(error as Error).message})`).message;
  }
  let header: RecordHeader;
  try {
    header = parseHeader(parsed, end - headerEnd);
  } catch (error) {
    // A value nested too deep for a check to walk (the call stack runs out) is the record's fault too.
    if (error instanceof RangeError) return new ArgumentError(`header: a value nested too deep to check (${error.message})`).message;
    if (!(error instanceof ArgumentError)) throw error;
    return error.message;
  }
  // Keyed by names from the record: no prototype, so '__proto__' is a name like any other.
  const arrays = Object.create(null) as Record<string, NamedArray>;
  let offset = headerEnd;
  for (const { name, dtype, shape } of header.arrays) {
    const length = elementCount(shape);
    arrays[name] = { dtype, shape, data: typedArrayAt(bytes, offset, length, dtype) };
    offset += length * itemSize(dtype);
  }
  return { header, arrays };
}
