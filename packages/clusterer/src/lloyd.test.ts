import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lloyd } from './lloyd.js';
import { SeededRandom } from './random.js';

/** Textbook Lloyd: assign every point to its nearest center, move centers to the means, until nothing changes. */
function plainLloyd(data: Float64Array, n: number, d: number, initial: Float64Array, k: number): { centers: number[][]; labels: number[] } {
  let centers = Array.from({ length: k }, (_, c) => Array.from(initial.subarray(c * d, c * d + d)));
  let labels: number[] = [];
  for (;;) {
    const next = Array.from({ length: n }, (_, i) => {
      const x = data.subarray(i * d, i * d + d);
      const dists = centers.map((c) => c.reduce((s, v, j) => s + (x[j] - v) ** 2, 0));
      return dists.indexOf(Math.min(...dists));
    });
    if (next.every((l, i) => l === labels[i])) return { centers, labels };
    labels = next;
    centers = centers.map((c, ci) => {
      const mine = labels.flatMap((l, i) => (l === ci ? [i] : []));
      return mine.length === 0 ? c : c.map((_, j) => mine.reduce((s, i) => s + data[i * d + j], 0) / mine.length);
    });
  }
}

describe('lloyd', () => {
  it('converges to the means of two groups and reports their sizes and SSE', () => {
    const data = Float64Array.from([0, 0, 0, 2, 10, 10, 10, 12, 12, 10]);
    const p = lloyd({ data, n: 5, d: 2 }, Float64Array.from([1, 1, 9, 9]), 2);
    expect(Array.from(p.centers)).toEqual([0, 1, 32 / 3, 32 / 3]);
    expect(Array.from(p.counts)).toEqual([2, 3]);
    expect(Array.from(p.labels)).toEqual([0, 0, 1, 1, 1]);
    expect(p.sse).toBeCloseTo(2 + (4 / 9 + 4 / 9) + (4 / 9 + 16 / 9) + (16 / 9 + 4 / 9), 12);
  });

  it('gives the same partition as textbook Lloyd (Hamerly bounds skip work, not results)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), (seed, k, d) => {
        const rng = new SeededRandom(seed);
        const n = 200;
        const blobs = Array.from({ length: k + 1 }, () => Array.from({ length: d }, () => rng.next() * 10));
        const data = new Float64Array(n * d);
        for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = blobs[i % blobs.length][j] + rng.normal();
        const initial = data.slice(0, k * d); // the first k points: distinct blobs, never an empty cluster at start
        const ours = lloyd({ data, n, d }, initial, k, 1000);
        const reference = plainLloyd(data, n, d, initial, k);
        fc.pre(ours.k === k); // textbook Lloyd keeps empty centers; ours drops them
        expect(Array.from(ours.labels)).toEqual(reference.labels);
        reference.centers.flat().forEach((x, i) => expect(ours.centers[i]).toBeCloseTo(x, 9));
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('warm-started from the previous bounds, with replaced points marked unknown, gives the cold result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }), (seed, k, d) => {
        const rng = new SeededRandom(seed);
        const n = 300;
        const blobs = Array.from({ length: k + 1 }, () => Array.from({ length: d }, () => rng.next() * 10));
        const data = new Float64Array(n * d);
        const point = (i: number) => { for (let j = 0; j < d; j++) data[i * d + j] = blobs[rng.nextInt(blobs.length)][j] + rng.normal(); };
        for (let i = 0; i < n; i++) point(i);
        const before = lloyd({ data, n, d }, data.slice(0, k * d), k, 1000);
        const replaced = Array.from({ length: 30 }, () => rng.nextInt(n));
        replaced.forEach(point);
        const upper = before.bounds.upper.slice();
        for (const i of replaced) upper[i] = Infinity;
        const warm = lloyd({ data, n, d }, before.centers, before.k, 1000, { labels: before.labels, bounds: { upper, lower: before.bounds.lower } });
        const cold = lloyd({ data, n, d }, before.centers, before.k, 1000);
        expect(Array.from(warm.labels)).toEqual(Array.from(cold.labels));
        expect(Array.from(warm.centers)).toEqual(Array.from(cold.centers));
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('drops a center that no point is nearest to', () => {
    const data = Float64Array.from([0, 0, 1, 0]);
    const p = lloyd({ data, n: 2, d: 2 }, Float64Array.from([0.5, 0, 100, 100]), 2);
    expect(p.k).toBe(1);
    expect(Array.from(p.centers)).toEqual([0.5, 0]);
    expect(Array.from(p.labels)).toEqual([0, 0]);
  });
});
