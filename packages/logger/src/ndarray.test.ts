import { describe, expect, it } from 'vitest';
import { ndarray, toNdArray } from './ndarray.js';

describe('toNdArray', () => {
  it('reads nested arrays row-major as float64', () => {
    const nd = toNdArray([[1, 2], [3, 4], [5, 6]], 'f(data)');
    expect(nd.shape).toEqual([3, 2]);
    expect(nd.data).toBeInstanceOf(Float64Array);
    expect(Array.from(nd.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the argument and the index of a ragged or non-numeric entry', () => {
    expect(() => toNdArray([[1, 2], [3, 4], [5, 6], [7]], 'scatter(data)')).toThrow('scatter(data): ragged nested array at [3]');
    expect(() => toNdArray([[[1], [2]], [[3], 4]], 'scatter(data)')).toThrow('scatter(data): ragged nested array at [1][1]');
    expect(() => toNdArray([[1, '2']], 'scatter(data)')).toThrow('scatter(data): expected a number at [0][1], got "2"');
    expect(() => toNdArray('12', 'scatter(data)')).toThrow(/^scatter\(data\): expected nested number arrays/);
  });

  it('rejects non-finite values with their index', () => {
    expect(() => toNdArray([[0, 1], [NaN, 2]], 'cluster(points)')).toThrow('cluster(points): non-finite value NaN at [1][0]');
    expect(() => toNdArray(ndarray(new Float32Array([1, Infinity]), [1, 2]), 'x(d)')).toThrow('x(d): non-finite value Infinity at [0][1]');
  });

  it('keeps float32 data float32 and converts other typed arrays to float64', () => {
    const f32 = toNdArray(ndarray(new Float32Array(6), [3, 2]), 'f(data)');
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(f32.shape).toEqual([3, 2]);
    const i32 = toNdArray(Int32Array.of(1, -2, 3), 'f(data)');
    expect(i32.data).toBeInstanceOf(Float64Array);
    expect(Array.from(i32.data)).toEqual([1, -2, 3]);
    expect(i32.shape).toEqual([3]);
  });

  it('takes the shape from a typed array carrying one', () => {
    const data = Object.assign(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(toNdArray(data, 'f(data)').shape).toEqual([2, 3]);
  });

  it('checks that the shape fits the data', () => {
    expect(() => ndarray([1, 2, 3], [2, 2])).toThrow('ndarray(data, shape): shape [2, 2] needs 4 values, data has 3');
    expect(() => ndarray([1, 2], [2, -1])).toThrow(/shape must be a list of integers >= 0/);
    expect(() => toNdArray(Object.assign(new Float32Array(4), { shape: [3] }), 'scatter(data)')).toThrow(/^scatter\(data\): shape \[3\] needs 3 values, data has 4/);
  });
});
