/**
 * The binary form of a PlotFrame (GET .../frame), shared by the server and the page: a
 * u32 (little-endian) byte length of a JSON header, the header, zero padding to a multiple
 * of 8, then every array of the frame's data as raw little-endian float64 values. Numbers
 * cross exactly and the page draws the arrays without parsing one number at a time.
 *
 * The header is the frame without its data, plus `layout`: for each array field of the
 * data in order, the length of its one array, or the lengths of its list of arrays; and,
 * when the data has fields that are not arrays (a scatter's density grid), `values`: those
 * fields as they are.
 */
import type { PlotFrame } from '../protocol.js';

type FieldLayout = number | number[];
type FrameHeader = Omit<PlotFrame, 'data'> & { layout: Record<string, FieldLayout>; values?: Record<string, unknown> };
type ArrayField = Float64Array | Float64Array[];

export const FRAME_CONTENT_TYPE = 'application/x-streamvis-frame';

export function encodeFrame(frame: PlotFrame): Uint8Array<ArrayBuffer> {
  const { data, ...meta } = frame;
  const present = Object.entries(data as Record<string, unknown>).filter(([, value]) => value !== undefined);
  const fields = present.filter((entry): entry is [string, ArrayField] => isArrayField(entry[1]));
  const plain = present.filter(([, value]) => !isArrayField(value));
  const layout = Object.fromEntries(fields.map(([name, value]) => [name, Array.isArray(value) ? value.map((a) => a.length) : value.length]));
  const header = new TextEncoder().encode(JSON.stringify({ ...meta, layout, ...(plain.length > 0 ? { values: Object.fromEntries(plain) } : {}) } satisfies FrameHeader));
  const start = align8(4 + header.length);
  const arrays = fields.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
  const bytes = new Uint8Array(start + 8 * arrays.reduce((sum, a) => sum + a.length, 0));
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  const values = new Float64Array(bytes.buffer, start);
  let offset = 0;
  for (const array of arrays) {
    values.set(array, offset);
    offset += array.length;
  }
  return bytes;
}

/** Reads what encodeFrame wrote; the arrays are views into `buffer` (no copy). Throws on a malformed frame. */
export function decodeFrame(buffer: ArrayBuffer): PlotFrame {
  if (buffer.byteLength < 4) throw new Error('frame too short');
  const headerLength = new DataView(buffer).getUint32(0, true);
  const start = align8(4 + headerLength);
  if (start > buffer.byteLength) throw new Error('frame header runs past the end');
  const { layout, values, ...meta } = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength))) as FrameHeader;
  let offset = start;
  const take = (length: number): Float64Array => {
    if (offset + 8 * length > buffer.byteLength) throw new Error('frame arrays run past the end');
    const array = new Float64Array(buffer, offset, length);
    offset += 8 * length;
    return array;
  };
  const arrays = Object.fromEntries(Object.entries(layout).map(([name, lengths]) => [name, Array.isArray(lengths) ? lengths.map(take) : take(lengths)]));
  return { ...meta, data: { ...values, ...arrays } } as PlotFrame;
}

/** A float64 array, or a list of them (multilines: one per line). */
function isArrayField(value: unknown): value is ArrayField {
  return value instanceof Float64Array || (Array.isArray(value) && value.every((item) => item instanceof Float64Array));
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
