import { describe, expect, it } from 'vitest';
import { OnlineClusterer } from './online-clusterer.js';
import { adjustedRandIndex } from './metrics.js';
import { SeededRandom } from './random.js';

/** k Gaussian blobs (σ = 1) whose centers are at least `separation` apart, in a d-cube. */
function blobs(k: number, n: number, d: number, seed: number, separation = 12) {
  const rng = new SeededRandom(seed);
  const centers: number[][] = [];
  while (centers.length < k) {
    const c = Array.from({ length: d }, () => rng.next() * separation * k);
    if (centers.every((o) => Math.hypot(...o.map((x, j) => x - c[j])) >= separation)) centers.push(c);
  }
  const truth: number[] = [];
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    truth.push(c);
    points.push(centers[c].map((x) => x + rng.normal()));
  }
  return { centers, points, truth };
}

describe('OnlineClusterer', () => {
  it('recovers well-separated blobs with a fixed k (ARI ≥ 0.9)', () => {
    const { points, truth } = blobs(5, 4000, 3, 1);
    const result = new OnlineClusterer({ k: 5, seed: 2 }).pushPredict(points);
    expect(result.ids).toHaveLength(5);
    expect(result.counts.reduce((a, b) => a + b)).toBe(4000);
    expect(adjustedRandIndex(truth, result.labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the true k in a range, for 2 to 8 blobs', () => {
    for (let k = 2; k <= 8; k++) {
      const { points, truth } = blobs(k, 3000, 3, 100 + k);
      const result = new OnlineClusterer({ kMin: 1, kMax: 12, seed: k }).pushPredict(points);
      expect(result.ids, `k = ${k}`).toHaveLength(k);
      expect(adjustedRandIndex(truth, result.labels)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('does not split a wide cluster beside narrow ones (per-cluster variances)', () => {
    const rng = new SeededRandom(5);
    const bases = [[0, 0, 0], [50, 0, 0], [0, 50, 0]];
    const truth = Array.from({ length: 3000 }, (_, i) => i % 3);
    const points = truth.map((c) => bases[c].map((x) => x + rng.normal() * (c === 0 ? 5 : 1)));
    const result = new OnlineClusterer({ kMin: 1, kMax: 10 }).pushPredict(points);
    expect(result.ids).toHaveLength(3);
    expect(adjustedRandIndex(truth, result.labels)).toBeGreaterThanOrEqual(0.99);
  });

  it('follows a stream: a new blob appears, a blob that stops emitting disappears, ids stay', () => {
    const { centers } = blobs(4, 0, 2, 9);
    const rng = new SeededRandom(4);
    const batch = (which: number[]) => Array.from({ length: 400 }, (_, i) => centers[which[i % which.length]].map((x) => x + rng.normal()));
    const c = new OnlineClusterer({ kMin: 1, kMax: 8, frameSize: 800, seed: 1 });
    const first = c.pushPredict(batch([0, 1, 2]));
    expect(first.ids).toEqual([0, 1, 2]);
    const grown = c.pushPredict(batch([0, 1, 2, 3]));
    expect(grown.ids).toHaveLength(4);
    expect(grown.appeared).toEqual([3]);
    expect(c.predict([centers[3]])).toEqual([3]);
    const idsBefore = c.predict(centers);
    // Cluster 0 stops emitting; once its points have rolled out of the frame it is gone.
    const disappeared = [c.pushPredict(batch([1, 2, 3])), c.pushPredict(batch([1, 2, 3]))].flatMap((r) => r.disappeared);
    expect(disappeared).toEqual([idsBefore[0]]);
    expect(c.clusters.ids).toEqual(idsBefore.slice(1).sort());
    expect(c.predict(centers.slice(1))).toEqual(idsBefore.slice(1));
  });

  it('follows a stream on a frame larger than the sample candidate k are judged on', () => {
    const { centers } = blobs(4, 0, 2, 11);
    const rng = new SeededRandom(6);
    const batch = (n: number, which: number[]) => Array.from({ length: n }, (_, i) => centers[which[i % which.length]].map((x) => x + rng.normal()));
    const c = new OnlineClusterer({ kMin: 1, kMax: 8, frameSize: 10_000, seed: 3 });
    expect(c.pushPredict(batch(10_000, [0, 1, 2])).ids).toHaveLength(3);
    // A fourth blob at a quarter of each push: found while still a few percent of the frame.
    const grown = [c.pushPredict(batch(1000, [0, 1, 2, 3])), c.pushPredict(batch(1000, [0, 1, 2, 3]))];
    expect(grown.flatMap((r) => r.appeared)).toEqual([3]);
    const ids = c.predict(centers);
    expect(new Set(ids).size).toBe(4);
    const disappeared = Array.from({ length: 10 }, () => c.pushPredict(batch(1000, [1, 2, 3]))).flatMap((r) => r.disappeared);
    expect(disappeared).toEqual([ids[0]]);
    expect(c.predict(centers.slice(1))).toEqual(ids.slice(1));
  });

  it('is deterministic for a seed', () => {
    const { points } = blobs(6, 3000, 4, 5);
    const run = (seed: number) => {
      const c = new OnlineClusterer({ kMin: 2, kMax: 10, frameSize: 1500, seed });
      return [c.pushPredict(points.slice(0, 1000)), c.pushPredict(points.slice(1000, 2000)), c.pushPredict(points.slice(2000))];
    };
    expect(run(42)).toEqual(run(42));
  });

  it('accepts a flat typed array with a shape, and names the columns', () => {
    const { points, truth } = blobs(3, 900, 3, 6);
    const flat = { data: Float32Array.from(points.flat()), shape: [900, 3] }; // as a decoded log record carries them
    const result = new OnlineClusterer({ k: 3 }).pushPredict(flat, ['lorem', 'ipsum', 'dolor']);
    expect(result.columns).toEqual(['lorem', 'ipsum', 'dolor']);
    expect(adjustedRandIndex(truth, result.labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('predict labels points with stable ids and changes nothing', () => {
    const { points, centers } = blobs(3, 900, 2, 8);
    const c = new OnlineClusterer({ k: 3 });
    expect(c.predict([[0, 0]])).toEqual([-1]);
    const pushed = c.pushPredict(points);
    const before = c.clusters;
    const labels = c.predict(centers);
    expect(new Set(labels).size).toBe(3);
    expect(labels.every((id) => pushed.ids.includes(id))).toBe(true);
    expect(c.clusters).toEqual(before);
  });

  it('copes with degenerate frames: identical points, fewer points than k, an empty push', () => {
    const same = new OnlineClusterer({ kMin: 1, kMax: 5 }).pushPredict(Array.from({ length: 50 }, () => [3, 4]));
    expect(same).toMatchObject({ centers: [[3, 4]], counts: [50], ids: [0] });
    const few = new OnlineClusterer({ k: 4 });
    expect(few.pushPredict([[0, 0], [10, 10]]).ids).toHaveLength(2);
    expect(few.pushPredict([[20, 0], [0, 20], [20, 20]]).ids).toHaveLength(4);
    expect(few.pushPredict([])).toMatchObject({ labels: [], appeared: [], disappeared: [] });
    expect(few.clusters.ids).toHaveLength(4);
  });

  it('rejects bad input naming the argument', () => {
    const c = new OnlineClusterer({ k: 2 });
    c.pushPredict([[0, 0], [1, 1], [5, 5]]);
    expect(() => c.pushPredict([[0, 0, 0]])).toThrow(/points/);
    expect(() => c.pushPredict([[0, NaN]])).toThrow(/points/);
    expect(() => c.pushPredict([[0, 0]], ['a'])).toThrow(/columns/);
    expect(() => c.pushPredict({ data: new Float64Array(3), shape: [2, 2] })).toThrow(/points\.data/);
    expect(() => new OnlineClusterer({ k: 0 })).toThrow(/k/);
    expect(() => new OnlineClusterer({ kMin: 3, kMax: 2 })).toThrow(/kMax/);
  });
});
