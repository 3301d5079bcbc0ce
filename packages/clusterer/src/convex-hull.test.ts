import { describe, expect, it } from 'vitest';
import { summarizeClusters } from './cluster-summary.js';
import { convexHullArea } from './convex-hull.js';
import { SeededRandom } from './random.js';

describe('convexHullArea', () => {
  it('is the area of the hull: a square with points inside and on its edges', () => {
    const rng = new SeededRandom(1);
    const xy: number[] = [0, 0, 2, 0, 2, 2, 0, 2, 1, 0, 2, 1];
    for (let i = 0; i < 500; i++) xy.push(0.01 + rng.next() * 1.98, 0.01 + rng.next() * 1.98);
    expect(convexHullArea(Float64Array.from(xy), xy.length / 2)).toBeCloseTo(4, 12);
  });

  it('approaches πr² for many points on a circle and is 0 for too few or collinear points', () => {
    const n = 10_000;
    const circle = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) [circle[2 * i], circle[2 * i + 1]] = [3 * Math.cos((2 * Math.PI * i) / n) + 5, 3 * Math.sin((2 * Math.PI * i) / n) - 7];
    expect(convexHullArea(circle, n)).toBeCloseTo(9 * Math.PI, 3);
    expect(convexHullArea(Float64Array.of(0, 0, 1, 1), 2)).toBe(0);
    expect(convexHullArea(Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3), 4)).toBe(0);
  });
});

describe('summarizeClusters', () => {
  it('counts, spreads and hull areas per cluster, noise left out', () => {
    const data = Float64Array.of(0, 0, 2, 0, 2, 2, 0, 2, 10, 10, 11, 10, 50, 50);
    const summary = summarizeClusters({ data, n: 7, d: 2 }, [0, 0, 0, 0, 1, 1, -1], 2);
    expect(Array.from(summary.counts)).toEqual([4, 2]);
    expect(Array.from(summary.spreads)).toEqual([1, 1, 0.5, 0]);
    expect(Array.from(summary.areas!)).toEqual([4, 0]);
    expect(summarizeClusters({ data: Float64Array.of(1, 2, 3), n: 1, d: 3 }, [0], 1).areas).toBeUndefined();
  });
});
