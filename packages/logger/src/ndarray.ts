import { ArgumentError } from '@streamvis/format';
import { describe } from '@streamvis/format';
import type { TypedArray } from '@streamvis/format';

/** Float elements the logger writes: float32 input stays float32, everything else becomes float64. */
export type Floats = Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A row-major n-d array, normalised. */
export interface NdArray {
  data: Floats;
  shape: number[];
}

/** Flat data with its shape, as `ndarray(data, shape)` makes it. */
export interface ShapedData {
  data: TypedArray | readonly number[];
  shape: readonly number[];
}

export type NestedNumbers = readonly (number | NestedNumbers)[];

/** What a data argument accepts: nested arrays, `ndarray(data, shape)`, or a typed array (with a `shape` property for n-d). */
export type DataInput = NestedNumbers | ShapedData | (TypedArray & { shape?: readonly number[] });

/** Pairs flat row-major data with its shape, checking that they agree. */
export function ndarray(data: TypedArray | readonly number[], shape: readonly number[]): ShapedData {
  return fromFlat(data, shape, 'ndarray(data, shape)');
}

/** Normalises a data argument and checks every value is finite; errors name the argument as `where`, e.g. `scatter(data)`. */
export function toNdArray(input: unknown, where: string): NdArray {
  const nd = readNdArray(input, where);
  checkAllFinite(nd, where);
  return nd;
}

/**
 * Normalises a data argument without checking that its values are finite: for callers that
 * check as part of a pass over the values they make anyway, and call `checkAllFinite` for
 * the error when that finds a non-finite value.
 */
export function readNdArray(input: unknown, where: string): NdArray {
  if (Array.isArray(input)) return fromNested(input, where);
  if (ArrayBuffer.isView(input) && !(input instanceof DataView)) {
    const shape = (input as { shape?: unknown }).shape;
    return fromFlat(input as TypedArray, shape === undefined ? [(input as TypedArray).length] : shape, where);
  }
  if (typeof input === 'object' && input !== null && 'data' in input && 'shape' in input) {
    const { data, shape } = input as ShapedData;
    if (!Array.isArray(data) && !(ArrayBuffer.isView(data) && !(data instanceof DataView))) {
      throw new ArgumentError(`${where}: data must be a typed array or a number[], got ${describe(data)}`);
    }
    return fromFlat(data, shape, where);
  }
  throw new ArgumentError(`${where}: expected nested number arrays, ndarray(data, shape) or a typed array, got ${describe(input)}`);
}

function fromFlat(data: TypedArray | readonly number[], shape: unknown, where: string): NdArray {
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new ArgumentError(`${where}: shape must be a list of integers >= 0, got ${describe(shape)}`);
  }
  const count = shape.reduce((a: number, b: number) => a * b, 1);
  if (count !== data.length) throw new ArgumentError(`${where}: shape [${shape.join(', ')}] needs ${count} values, data has ${data.length}`);
  if (data instanceof Float32Array || data instanceof Float64Array) return { data, shape: [...shape] };
  const copy = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (typeof value !== 'number') throw new ArgumentError(`${where}: expected a number at [${i}], got ${describe(value)}`);
    copy[i] = value;
  }
  return { data: copy, shape: [...shape] };
}

function fromNested(input: NestedNumbers, where: string): NdArray {
  // A flat list (a step's values): no walk, no index path kept for a message. fromFlat
  // reports an element that is not a number (a nested list too) as the walk would.
  if (!Array.isArray(input[0])) return fromFlat(input as readonly number[], [input.length], where);
  const shape: number[] = [];
  for (let level: unknown = input; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const path: number[] = [];
  const at = () => path.map((i) => `[${i}]`).join('');
  let next = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ArgumentError(`${where}: expected a number at ${at()}, got ${describe(node)}`);
      data[next++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw new ArgumentError(`${where}: ragged nested array at ${at()}`);
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      visit(node[i], depth + 1);
      path.pop();
    }
  };
  visit(input, 0);
  return { data, shape };
}

/** Throws naming the argument and the index of the first value that is not finite. */
export function checkAllFinite({ data, shape }: NdArray, where: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ArgumentError(`${where}: non-finite value ${data[i]} at ${indexPath(i, shape)}`);
  }
}

function indexPath(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return index.map((i) => `[${i}]`).join('');
}
