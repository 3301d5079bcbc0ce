import { ArgumentError } from '@streamvis/format';
import { colorBySlice, type ColorSpec } from './color-spec.js';
import { layOutOnGrid, type GridSpec } from './grid-spec.js';
import type { Floats, NdArray } from './ndarray.js';

// Turns n-d arrays into plot columns. The spatial axis holds a point's coordinates;
// the other axes enumerate points in row-major order.

export interface ScatterColumns {
  x: Floats;
  y: Floats;
  /** Present exactly when the scatter has a ColorSpec. */
  color?: Floats;
}

export interface MultiLineColumns {
  /** [lines, points] row-major. */
  x: Floats;
  y: Floats;
  /** Present exactly when the lines have a ColorSpec: one colour value per line. */
  color?: Floats;
  lines: number;
  points: number;
}

/**
 * Writes each point's x, y (and colour value, when `color` is given) into `out`, arrays of
 * one element per point; `grid.dim` and `color.dim` must not be `spatialDim`. Every value
 * of `nd` is read once, and checked on the way: returns false, leaving `out` incomplete, when
 * one is not finite (the caller finds it again to report it, which only failing calls pay).
 */
export function writeScatterColumns(nd: NdArray, spatialDim: number, out: ScatterColumns, grid?: GridSpec, color?: ColorSpec): boolean {
  const { shape, data } = nd;
  const { x, y } = out;
  // Flat offset of point p's coordinate j: outer * coords * inner + j * inner + within,
  // where p = outer * inner + within (the axes before and after the spatial one).
  const coords = shape[spatialDim];
  const inner = shape.slice(spatialDim + 1).reduce((a, b) => a * b, 1);
  const count = data.length / coords;
  const value = color && color.dim === undefined ? out.color : undefined;
  // v - v is 0 for a finite v and NaN otherwise, so the sum stays 0 exactly when all are finite.
  let nonFinite = 0;
  if (inner === 1 && !value) {
    // The common case, [..., 2] with the coordinates last: a tight loop is twice as fast.
    for (let p = 0; p < count; p++) {
      const a = data[2 * p];
      const b = data[2 * p + 1];
      x[p] = a;
      y[p] = b;
      nonFinite += a - a + (b - b);
    }
  } else {
    for (let base = 0, p = 0; p < count; base += coords * inner) {
      for (let within = 0; within < inner; within++, p++) {
        const a = data[base + within];
        const b = data[base + within + inner];
        x[p] = a;
        y[p] = b;
        nonFinite += a - a + (b - b);
        if (value) {
          const c = data[base + within + 2 * inner];
          value[p] = c;
          nonFinite += c - c;
        }
      }
    }
  }
  if (nonFinite !== 0) return false;
  if (grid) layOutOnGrid(grid, x, y, sliceIndex(shape, spatialDim, grid.dim));
  if (color?.dim !== undefined) colorBySlice(sliceIndex(shape, spatialDim, color.dim), shape[color.dim], out.color!);
  return true;
}

/**
 * One line per index combination along `lineDims`; its points run over the remaining
 * non-spatial axes. With `grid`, each point is shifted into the cell of its slice along
 * `grid.dim`, as a scatter's points are (a line stays whole when `grid.dim` is a line axis).
 * With `color`, each line gets one colour value: from its index along `color.dim` (one of
 * `lineDims`), or, without a dim, the third spatial coordinate, which must then be the same
 * at every point of the line.
 */
export function multiLineColumns(nd: NdArray, spatialDim: number, lineDims: readonly number[], grid?: GridSpec, color?: ColorSpec): MultiLineColumns {
  const { shape } = nd;
  const lineOffsets = offsetsOver(shape, [...lineDims].sort((a, b) => a - b));
  const pointOffsets = offsetsOver(shape, otherAxes(shape.length, [spatialDim, ...lineDims]));
  const offsets = new Int32Array(lineOffsets.length * pointOffsets.length);
  for (let l = 0; l < lineOffsets.length; l++) {
    for (let p = 0; p < pointOffsets.length; p++) offsets[l * pointOffsets.length + p] = lineOffsets[l] + pointOffsets[p];
  }
  const strides = stridesOf(shape);
  const x = gather(nd.data, offsets, 0);
  const y = gather(nd.data, offsets, strides[spatialDim]);
  if (grid) layOutOnGrid(grid, x, y, Int32Array.from(offsets, (offset) => Math.floor(offset / strides[grid.dim]) % shape[grid.dim]));
  const lines = lineOffsets.length;
  const points = pointOffsets.length;
  if (!color) return { x, y, lines, points };
  const values = emptyLike(nd.data, lines);
  if (color.dim !== undefined) {
    const { dim } = color;
    colorBySlice(Int32Array.from(lineOffsets, (offset) => Math.floor(offset / strides[dim]) % shape[dim]), shape[dim], values);
  } else {
    lineValues(gather(nd.data, offsets, 2 * strides[spatialDim]), lines, points, values);
  }
  return { x, y, color: values, lines, points };
}

/** Each line's one colour value from its points' values ([lines, points] row-major); throws naming the data when a line's values differ. */
function lineValues(pointValues: Floats, lines: number, points: number, out: Floats): void {
  if (lines > 0 && points === 0) {
    throw new ArgumentError('multiLines(data): the lines have no points, so a ColorSpec without dim finds no colour value for them; give it the dim of a line axis');
  }
  for (let line = 0; line < lines; line++) {
    const first = pointValues[line * points];
    for (let p = 1; p < points; p++) {
      const value = pointValues[line * points + p];
      if (value !== first) {
        throw new ArgumentError(
          `multiLines(data): line ${line} has colour values ${first} (point 0) and ${value} (point ${p}); a line is drawn in one colour, so give each line one value at all its points, or a ColorSpec with the dim of a line axis`,
        );
      }
    }
    out[line] = first;
  }
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let axis = shape.length - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** Flat offset of every index combination along `axes` (ascending, row-major), other indices 0. */
export function offsetsOver(shape: readonly number[], axes: readonly number[]): Int32Array {
  const strides = stridesOf(shape);
  let offsets = Int32Array.of(0);
  for (const axis of axes) {
    const size = shape[axis];
    const next = new Int32Array(offsets.length * size);
    for (let i = 0; i < offsets.length; i++) {
      for (let j = 0; j < size; j++) next[i * size + j] = offsets[i] + j * strides[axis];
    }
    offsets = next;
  }
  return offsets;
}

function otherAxes(ndim: number, exclude: readonly number[]): number[] {
  return Array.from({ length: ndim }, (_, axis) => axis).filter((axis) => !exclude.includes(axis));
}

/** Index along `axis` of each point, points running row-major over the axes other than `spatialDim`. */
function sliceIndex(shape: readonly number[], spatialDim: number, axis: number): Int32Array {
  const count = shape.reduce((a, b) => a * b, 1) / shape[spatialDim];
  const after = shape.slice(axis + 1).reduce((a, b, i) => (axis + 1 + i === spatialDim ? a : a * b), 1);
  const index = new Int32Array(count);
  for (let p = 0; p < count; p++) index[p] = Math.floor(p / after) % shape[axis];
  return index;
}

function gather(data: Floats, offsets: Int32Array, delta: number): Floats {
  const out = emptyLike(data, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = data[offsets[i] + delta];
  return out;
}

function emptyLike(data: Floats, length: number): Floats {
  return data instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}
