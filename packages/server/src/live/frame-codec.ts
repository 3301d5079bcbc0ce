/**
 * The binary form of a PlotFrame (GET .../frame), shared by the server and the page: a
 * u32 (little-endian) byte length of a JSON header, the header, zero padding to a multiple
 * of 8, then every array of the frame's data as raw little-endian values, each padded to a
 * multiple of 8 bytes: float64, or float32 for the fields `float32` names (a density's
 * bins). Numbers cross exactly and the page draws the arrays without parsing one number at
 * a time.
 *
 * The header is the frame without its data, plus `layout`: for each array field of the
 * data in order, the length of its one array, or the lengths of its list of arrays; and,
 * when the data has fields that are not arrays (a scatter's density grid), `values`: those
 * fields as they are.
 */
import type { PlotFrame } from '../protocol.js';

type FieldLayout = number | number[];
type FrameHeader = Omit<PlotFrame, 'data'> & { layout: Record<string, FieldLayout>; float32?: string[]; values?: Record<string, unknown> };
type FrameArray = Float64Array | Float32Array;
type ArrayField = FrameArray | FrameArray[];

export const FRAME_CONTENT_TYPE = 'application/x-streamvis-frame';

export function encodeFrame(frame: PlotFrame): Uint8Array<ArrayBuffer> {
  const { data, ...meta } = frame;
  const present = Object.entries(data as Record<string, unknown>).filter(([, value]) => value !== undefined);
  const fields = present.filter((entry): entry is [string, ArrayField] => isArrayField(entry[1]));
  const plain = present.filter(([, value]) => !isArrayField(value));
  const layout = Object.fromEntries(fields.map(([name, value]) => [name, Array.isArray(value) ? value.map((a) => a.length) : value.length]));
  const float32 = fields.filter(([, value]) => (Array.isArray(value) ? value : [value]).some((a) => a instanceof Float32Array)).map(([name]) => name);
  const header = new TextEncoder().encode(
    JSON.stringify({ ...meta, layout, ...(float32.length > 0 ? { float32 } : {}), ...(plain.length > 0 ? { values: Object.fromEntries(plain) } : {}) } satisfies FrameHeader),
  );
  const start = align8(4 + header.length);
  const arrays = fields.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
  const bytes = new Uint8Array(start + arrays.reduce((sum, a) => sum + align8(a.byteLength), 0));
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  let offset = start;
  for (const array of arrays) {
    new (array instanceof Float32Array ? Float32Array : Float64Array)(bytes.buffer, offset, array.length).set(array);
    offset += align8(array.byteLength);
  }
  return bytes;
}

/** Reads what encodeFrame wrote; the arrays are views into `buffer` (no copy). Throws on a malformed frame. */
export function decodeFrame(buffer: ArrayBuffer): PlotFrame {
  if (buffer.byteLength < 4) throw new Error('frame too short');
  const headerLength = new DataView(buffer).getUint32(0, true);
  const start = align8(4 + headerLength);
  if (start > buffer.byteLength) throw new Error('frame header runs past the end');
  const { layout, float32 = [], values, ...meta } = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength))) as FrameHeader;
  let offset = start;
  const take = (type: typeof Float64Array | typeof Float32Array) => (length: number): FrameArray => {
    const bytes = align8(length * type.BYTES_PER_ELEMENT);
    if (offset + bytes > buffer.byteLength) throw new Error('frame arrays run past the end');
    const array = new type(buffer, offset, length);
    offset += bytes;
    return array;
  };
  const arrays = Object.fromEntries(
    Object.entries(layout).map(([name, lengths]) => {
      const next = take(float32.includes(name) ? Float32Array : Float64Array);
      return [name, Array.isArray(lengths) ? lengths.map(next) : next(lengths)];
    }),
  );
  return { ...meta, data: { ...values, ...arrays } } as PlotFrame;
}

/** A float64 or float32 array, or a list of them (multilines: one per line). */
function isArrayField(value: unknown): value is ArrayField {
  const isArray = (item: unknown) => item instanceof Float64Array || item instanceof Float32Array;
  return isArray(value) || (Array.isArray(value) && value.every(isArray));
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
