import { crc32 } from 'node:zlib';
import { DTYPES, type DType, type TypedArray } from './dtype.js';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES } from './limits.js';
import { MAGIC, PREFIX_BYTES } from './prefix.js';

/** Writes part of a frame (its header or its body) starting at byte `at`. */
export type FrameWriter = (frame: Buffer, at: number) => void;

/**
 * A frame: the prefix, a header of `headerBytes` written by `writeHeader`, a body of
 * `bodyBytes` written by `writeBody` (the memory is not zeroed: each must write all of its
 * bytes), and both checksums. Throws a RangeError past the format's length limits.
 */
export function assembleFrame(headerBytes: number, bodyBytes: number, writeHeader: FrameWriter, writeBody: FrameWriter): Buffer {
  if (headerBytes > MAX_HEADER_BYTES) throw new RangeError(`record header is ${headerBytes} bytes; the limit is ${MAX_HEADER_BYTES}`);
  if (bodyBytes > MAX_BODY_BYTES) throw new RangeError(`record body is ${bodyBytes} bytes; the limit is ${MAX_BODY_BYTES}`);
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes + bodyBytes);
  MAGIC.copy(frame, 0);
  frame.writeUInt32LE(headerBytes, 4);
  frame.writeUInt32LE(bodyBytes, 8);
  writeHeader(frame, PREFIX_BYTES);
  writeBody(frame, PREFIX_BYTES + headerBytes);
  frame.writeUInt32LE(crc32(frame.subarray(PREFIX_BYTES)), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  return frame;
}

/** Bytes of padding after a header of `length` bytes so that the body starts 8-byte aligned in the frame. */
export function alignmentPadding(length: number): number {
  return (8 - ((PREFIX_BYTES + length) % 8)) % 8;
}

/** The body's length for arrays of these dtypes and element counts. */
export function bodyLength(arrays: readonly { dtype: DType }[], counts: readonly number[]): number {
  return arrays.reduce((sum, { dtype }, i) => sum + counts[i] * DTYPES[dtype].BYTES_PER_ELEMENT, 0);
}

/**
 * A body writer that gives `fill` one typed array per array, in order, over the frame's
 * own bytes where aligned for the type (bodies start 8-byte aligned and pooled Buffers are
 * 8-byte aligned, so arrays of one element type always are), else over separate memory that
 * is copied in after `fill` returns. An exception from `fill` passes through.
 */
export function filledBody(arrays: readonly { dtype: DType }[], counts: readonly number[], fill: (arrays: TypedArray[]) => void): FrameWriter {
  return (frame, at) => {
    const offsets: number[] = [];
    let offset = at;
    const views = arrays.map(({ dtype }, i) => {
      offsets.push(offset);
      const view = writableArrayAt(frame, offset, counts[i], dtype);
      offset += view.byteLength;
      return view;
    });
    fill(views);
    views.forEach((view, i) => {
      if (view.buffer !== frame.buffer) frame.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), offsets[i]);
    });
  };
}

function writableArrayAt(frame: Buffer, offset: number, length: number, dtype: DType): TypedArray {
  const ctor = DTYPES[dtype];
  const start = frame.byteOffset + offset;
  return start % ctor.BYTES_PER_ELEMENT === 0 ? new ctor(frame.buffer as ArrayBuffer, start, length) : new ctor(length);
}
