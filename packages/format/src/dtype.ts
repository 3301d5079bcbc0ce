/** Element types a record body may hold. All are stored little-endian. */
export const DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

export type DType = keyof typeof DTYPES;
export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];
export type TypedArray = InstanceType<(typeof DTYPES)[DType]>;

export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.hasOwn(DTYPES, name);
}

/** Each dtype with its array type, listed once: dtypeOf runs for every array of every record. */
const DTYPE_ENTRIES = Object.entries(DTYPES) as [DType, (typeof DTYPES)[DType]][];

export function dtypeOf(array: TypedArray): DType {
  for (const [name, ctor] of DTYPE_ENTRIES) {
    if (array instanceof ctor) return name;
  }
  throw new TypeError(`unsupported typed array ${Object.prototype.toString.call(array)}`);
}

export function itemSize(dtype: DType): number {
  return DTYPES[dtype].BYTES_PER_ELEMENT;
}

/**
 * The `length` values of `dtype` at byte `offset` of `bytes`: a view sharing their memory
 * when the offset is aligned for the type (writers pad headers so that it usually is),
 * else an aligned copy. A view keeps `bytes` alive, so callers must not reuse that memory.
 */
export function typedArrayAt(bytes: Uint8Array, offset: number, length: number, dtype: DType): TypedArray {
  const ctor = DTYPES[dtype];
  const start = bytes.byteOffset + offset;
  if (start % ctor.BYTES_PER_ELEMENT === 0) return new ctor(bytes.buffer as ArrayBuffer, start, length);
  return new ctor(bytes.buffer.slice(start, start + length * ctor.BYTES_PER_ELEMENT) as ArrayBuffer);
}
