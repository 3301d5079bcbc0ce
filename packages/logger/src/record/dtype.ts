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
export type TypedArray = InstanceType<(typeof DTYPES)[DType]>;

export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.hasOwn(DTYPES, name);
}

export function dtypeOf(array: TypedArray): DType {
  for (const [name, ctor] of Object.entries(DTYPES)) {
    if (array instanceof ctor) return name as DType;
  }
  throw new TypeError(`unsupported typed array ${Object.prototype.toString.call(array)}`);
}

export function itemSize(dtype: DType): number {
  return DTYPES[dtype].BYTES_PER_ELEMENT;
}

/** Copies `byteLength` bytes at `offset` into a new, aligned typed array of `dtype`. */
export function typedArrayFrom(bytes: Uint8Array, offset: number, length: number, dtype: DType): TypedArray {
  const ctor = DTYPES[dtype];
  const out = new ctor(length);
  new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + length * ctor.BYTES_PER_ELEMENT));
  return out;
}
