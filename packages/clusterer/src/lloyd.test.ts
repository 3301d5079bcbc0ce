import { describe, expect, it } from 'vitest';
import { lloyd } from './lloyd.js';

describe('lloyd', () => {
  it('converges to the means of two groups and reports their sizes and SSE', () => {
    const data = Float64Array.from([0, 0, 0, 2, 10, 10, 10, 12, 12, 10]);
    const p = lloyd({ data, n: 5, d: 2 }, Float64Array.from([1, 1, 9, 9]), 2);
    expect(Array.from(p.centers)).toEqual([0, 1, 32 / 3, 32 / 3]);
    expect(Array.from(p.counts)).toEqual([2, 3]);
    expect(Array.from(p.labels)).toEqual([0, 0, 1, 1, 1]);
    expect(p.sse).toBeCloseTo(2 + (4 / 9 + 4 / 9) + (4 / 9 + 16 / 9) + (16 / 9 + 4 / 9), 12);
  });

  it('drops a center that no point is nearest to', () => {
    const data = Float64Array.from([0, 0, 1, 0]);
    const p = lloyd({ data, n: 2, d: 2 }, Float64Array.from([0.5, 0, 100, 100]), 2);
    expect(p.k).toBe(1);
    expect(Array.from(p.centers)).toEqual([0.5, 0]);
    expect(Array.from(p.labels)).toEqual([0, 0]);
  });
});
