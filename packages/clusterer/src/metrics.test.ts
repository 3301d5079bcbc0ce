import { describe, expect, it } from 'vitest';
import { IdSwitchCounter, adjustedRandIndex } from './metrics.js';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other label values', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [7, 7, -1, -1, 3, 3])).toBe(1);
  });

  it('matches the value computed by hand for a small contingency table', () => {
    // Contingency [[2,1],[0,3]]: index 1 + 3 = 4, rows 3 + 3 = 6, cols 1 + 6 = 7, C(6,2) = 15.
    // expected = 6·7/15 = 2.8, max = 6.5, ARI = (4 − 2.8) / (6.5 − 2.8).
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1])).toBeCloseTo(1.2 / 3.7, 12);
  });

  it('is near 0 for unrelated labellings and negative below chance', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThan(0);
    const n = 4000;
    const a = Array.from({ length: n }, (_, i) => i % 4);
    const b = Array.from({ length: n }, (_, i) => Math.floor(i / 7) % 5);
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.02);
  });
});

describe('IdSwitchCounter', () => {
  it('counts a switch when a true cluster is matched to another id than before', () => {
    const c = new IdSwitchCounter();
    expect(c.update([0, 0, 1, 1], [5, 5, 6, 6])).toBe(0);
    expect(c.update([0, 0, 1, 1], [5, 5, 6, 6])).toBe(0);
    expect(c.update([0, 0, 1, 1], [6, 6, 5, 5])).toBe(2);
    expect(c.update([0, 1, 1], [6, 5, 5])).toBe(0);
    expect(c.total).toBe(2);
  });

  it('counts a returning cluster that came back under a new id', () => {
    const c = new IdSwitchCounter();
    c.update([0, 1], [10, 11]);
    c.update([0], [10]);
    expect(c.update([0, 1], [10, 12])).toBe(1);
  });
});
