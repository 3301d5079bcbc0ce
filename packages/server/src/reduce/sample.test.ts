import { describe, expect, it } from 'vitest';
import { evenSample, gather, pointsInBox } from './sample.js';

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

describe('evenSample', () => {
  it('spreads `limit` positions over the whole range', () => {
    const sample = evenSample(100_000, 20_000);
    expect(sample.length).toBe(20_000);
    expect(sample[0]).toBe(0);
    expect(sample[19_999]).toBe(99_995);
    expect(new Set(sample).size).toBe(20_000);
  });
  it('keeps every position, once each, when there are no more than the limit', () => {
    expect(Array.from(evenSample(5, 20))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('gather', () => {
  it('picks the values at the rows', () => {
    expect(Array.from(gather(Float64Array.from([10, 20, 30]), Uint32Array.from([2, 0])))).toEqual([30, 10]);
  });
});
