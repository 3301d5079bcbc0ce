import { describe, expect, it } from 'vitest';
import { gather, pointsInBox } from './rows.js';

describe('pointsInBox', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4]);
  const y = Float64Array.from([4, 3, 2, 1, 0]);
  it('keeps the points inside both ranges, bounds included', () => {
    expect(Array.from(pointsInBox(x, y, [1, 3], [2, 3]))).toEqual([1, 2]);
  });
  it('does not restrict on a missing axis', () => {
    expect(Array.from(pointsInBox(x, y, [3, 10]))).toEqual([3, 4]);
    expect(Array.from(pointsInBox(x, y, undefined, [0, 0]))).toEqual([4]);
  });
});

describe('gather', () => {
  it('picks the values at the rows', () => {
    expect(Array.from(gather(Float64Array.from([10, 20, 30]), Uint32Array.from([2, 0])))).toEqual([30, 10]);
  });
});
