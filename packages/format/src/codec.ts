import { isUtf8 } from 'node:buffer';
import { endianness } from 'node:os';
import { ArgumentError } from './argument-error.js';
import { BINARY_HEADER_MARK, parseBinaryHeader, type Declarations } from './binary-header.js';
import { dtypeOf, itemSize, typedArrayAt, type TypedArray } from './dtype.js';
import { alignmentPadding, assembleFrame, bodyLength, filledBody } from './frame-builder.js';
import { elementCount, parseHeader } from './header.js';
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
  const text = JSON.stringify(header);
  // Padded with spaces (JSON whitespace) so the body starts 8-byte aligned: readers view the arrays in place.
  const json = text + ' '.repeat(alignmentPadding(Buffer.byteLength(text, 'utf8')));
  const counts = header.arrays.map(({ shape }) => shape.reduce((a, b) => a * b, 1));
  return assembleFrame(Buffer.byteLength(json, 'utf8'), bodyLength(header.arrays, counts), (frame, at) => frame.write(json, at, 'utf8'), filledBody(header.arrays, counts, fill));
}

/**
 * Decodes the payload of a sound frame (both checksums hold): the header bytes
 * [start, start + headerBytes) and the body after them up to `end`. A version 2 header is
 * read with the declarations of its stream (and may add to them). Returns the record, or
 * what is wrong with it (rule 7), naming the field. The arrays are views into `bytes` where
 * aligned for their type.
 */
export function decodePayload(bytes: Buffer, start: number, headerBytes: number, end: number, declarations: Declarations): LogRecord | string {
  const headerEnd = start + headerBytes;
  let header: RecordHeader;
  try {
    // An empty header has no first byte: the body's must not make it a version 2 header.
    header = headerBytes > 0 && bytes[start] === BINARY_HEADER_MARK ? parseBinaryHeader(bytes, start, headerEnd, end - headerEnd, declarations) : parseHeader(parseJsonHeader(bytes, start, headerEnd), end - headerEnd);
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

/** A version 1 header: UTF-8 JSON text. */
function parseJsonHeader(bytes: Buffer, start: number, end: number): unknown {
  const text = bytes.toString('utf8', start, end);
  // Bytes that are not UTF-8 decode to U+FFFD: only a header holding one needs the exact check.
  if (text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, end))) throw new ArgumentError('header: not valid UTF-8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArgumentError(`header: not JSON (${(error as Error).message})`);
  }
}
