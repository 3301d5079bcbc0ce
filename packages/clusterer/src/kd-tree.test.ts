import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KdTree } from './kd-tree.js';
import { SeededRandom } from './random.js';

/** Points in clumps (many ties in a coordinate too), so boxes wholly inside and straddling the ball both occur. */
function clumped(seed: number, n: number, d: number): Float64Array {
  const rng = new SeededRandom(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = j === 0 && i % 3 === 0 ? 1 : (i % 4) * 5 + rng.normal();
  return data;
}

describe('KdTree', () => {
  it('sums the points in a ball as a scan over every point does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 12, noNaN: true }), (seed, n, d, radius) => {
        const data = clumped(seed, n, d);
        const tree = new KdTree({ data, n, d });
        const x = Float64Array.from({ length: d }, (_, j) => (j + 1) * 3);
        const sum = new Float64Array(d);
        const count = tree.sumWithin(x, 0, radius, sum);
        const expected = new Float64Array(d);
        let expectedCount = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (data[i * d + j] - x[j]) ** 2;
          if (s <= radius * radius) {
            expectedCount++;
            for (let j = 0; j < d; j++) expected[j] += data[i * d + j];
          }
        }
        expect(count).toBe(expectedCount);
        expected.forEach((v, j) => expect(sum[j]).toBeCloseTo(v, 6));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('finds the nearest point within a radius, or none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.01, max: 12, noNaN: true }), (seed, n, d, radius) => {
        const data = clumped(seed, n, d);
        const tree = new KdTree({ data, n, d });
        const x = Float64Array.from({ length: d }, (_, j) => j * 2 + 0.5);
        const row = tree.nearestWithin(x, 0, radius);
        const dist = (i: number) => Math.sqrt(Array.from({ length: d }, (_, j) => (data[i * d + j] - x[j]) ** 2).reduce((a, b) => a + b));
        const nearest = Math.min(...Array.from({ length: n }, (_, i) => dist(i)));
        if (nearest > radius) expect(row).toBe(-1);
        else expect(dist(tree.order[row])).toBeCloseTo(nearest, 12);
      }),
      { numRuns: 200, seed: 4 },
    );
  });
});
