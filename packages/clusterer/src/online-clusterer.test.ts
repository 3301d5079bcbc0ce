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
    // A fourth blob starts: far from every cluster, its first points are noise; k changes once the evidence has held for two pushes.
    const arriving = c.pushPredict(batch([0, 1, 2, 3]));
    expect(arriving.ids).toHaveLength(3);
    expect(arriving.labels.filter((_, i) => i % 4 === 3).every((id) => id === -1)).toBe(true);
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

  it('gives a cluster back its id after 35 pushes away when the pushes carry their time (10 s apart, within maxAgeMs)', () => {
    const { centers } = blobs(4, 0, 2, 9);
    const rng = new SeededRandom(4);
    const batch = (which: number[]) => Array.from({ length: 400 }, (_, i) => centers[which[i % which.length]].map((x) => x + rng.normal()));
    const run = (timed: boolean) => {
      const c = new OnlineClusterer({ kMin: 1, kMax: 8, frameSize: 800, seed: 1 });
      let push = 0;
      const pushed = (which: number[]) => c.pushPredict(batch(which), undefined, timed ? push++ * 10_000 : undefined);
      for (let p = 0; p < 5; p++) pushed([0, 1, 2, 3]);
      const before = c.predict(centers);
      for (let p = 0; p < 35; p++) pushed([0, 1, 2]);
      expect(c.clusters.ids).toEqual(before.slice(0, 3).sort((a, b) => a - b));
      for (let p = 0; p < 3; p++) pushed([0, 1, 2, 3]);
      return { before, after: c.predict(centers) };
    };
    const timed = run(true);
    expect(timed.after).toEqual(timed.before);
    // Counted in pushes only, 35 is beyond maxAge (20): the cluster is back under a fresh id.
    const untimed = run(false);
    expect(untimed.after.slice(0, 3)).toEqual(untimed.before.slice(0, 3));
    expect(untimed.after[3]).not.toBe(untimed.before[3]);
  });

  it('a blob that comes back after 5 or 30 pushes away, 100 or 30 points of a frame of 300, is a cluster again within 2 pushes, under its old id', () => {
    const centers = [[0, 0], [20, 0], [0, 20]];
    for (const away of [5, 30]) {
      for (const size of [100, 30]) {
        const rng = new SeededRandom(5);
        const c = new OnlineClusterer({ kMin: 1, kMax: 4, frameSize: 300, seed: 7, columns: ['a', 'b'], assembly: { maxAge: 20 } });
        let t = 0;
        // Tight square blobs (side 2), the returning one last in each push.
        const push = (sizes: number[]) => {
          const points = sizes.flatMap((n, b) => Array.from({ length: n }, () => centers[b].map((v) => v + (rng.next() * 2 - 1))));
          return c.pushPredict({ data: Float64Array.from(points.flat()), shape: [points.length, 2] }, undefined, (t += 1000));
        };
        for (let p = 0; p < 4; p++) push([100, 100, 100]);
        const ids = c.predict(centers);
        expect(new Set(ids).size).toBe(3);
        for (let p = 0; p < away; p++) push([100, 100]);
        expect(c.clusters.ids, `away ${away}`).toEqual(ids.slice(0, 2).sort((a, b) => a - b));
        const rest = (300 - size) / 2;
        // Far from both clusters, its first points are noise; the evidence for a cluster holds over two pushes.
        const back = Array.from({ length: 8 }, () => push([rest, rest, size]).labels.slice(-size));
        const labelled = back.map((labels) => labels.filter((id) => id === ids[2]).length);
        expect(labelled, `size ${size}, away ${away}`).toEqual([0, size, size, size, size, size, size, size]);
        expect(c.predict(centers)).toEqual(ids);
      }
    }
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

  it('follows clusters that jump a few spreads between two pushes, the points not taken for noise', () => {
    const blobs = (shift: number) =>
      [[0, 0], [10, 0], [0, 10], [10, 10]].flatMap(([cx, cy], b) => Array.from({ length: 40 * (b + 1) }, (_, i) => [cx + shift + Math.sin(i * 1.7), cy + shift / 2 + Math.cos(i * 2.3)]));
    const clusterer = new OnlineClusterer({ k: 4, frameSize: 400, seed: 3 });
    const before = clusterer.pushPredict(blobs(0));
    const after = clusterer.pushPredict(blobs(3)); // about 4 spreads away: a whole frame of new points
    expect(after.ids).toEqual(before.ids);
    expect(after.noise).toBe(0);
    expect(after.counts).toEqual(before.counts);
    after.centers.forEach((center, c) => {
      expect(center[0] - before.centers[c][0]).toBeCloseTo(3, 1);
      expect(center[1] - before.centers[c][1]).toBeCloseTo(1.5, 1);
    });
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

  it('rejects options of the other algorithm and bad new ones, naming them', () => {
    expect(() => new OnlineClusterer({ algorithm: 'meanshift', k: 3 })).toThrow(/^k: meanshift finds/);
    expect(() => new OnlineClusterer({ algorithm: 'meanshift', kMax: 3 })).toThrow(/^kMax/);
    expect(() => new OnlineClusterer({ bandwidth: 2 })).toThrow(/^bandwidth: only for algorithm 'meanshift'/);
    expect(() => new OnlineClusterer({ algorithm: 'meanshift', bandwidth: -1 })).toThrow(/^bandwidth/);
    expect(() => new OnlineClusterer({ algorithm: 'meanshift', minClusterSize: 0.5 })).toThrow(/^minClusterSize/);
    expect(() => new OnlineClusterer({ algorithm: 'dbscan' as 'kmeans' })).toThrow(/^algorithm/);
    expect(() => new OnlineClusterer({ space: 'manhattan' as 'cosine' })).toThrow(/^space/);
  });
});

describe('OnlineClusterer with meanshift', () => {
  it('follows a stream with the same stable ids as k-means: a blob appears, one disappears, noise is -1', () => {
    const { centers } = blobs(4, 0, 2, 9);
    const rng = new SeededRandom(4);
    const batch = (which: number[]) => Array.from({ length: 400 }, (_, i) => centers[which[i % which.length]].map((x) => x + rng.normal()));
    const c = new OnlineClusterer({ algorithm: 'meanshift', frameSize: 800 });
    const first = c.pushPredict(batch([0, 1, 2]));
    expect(first.ids).toEqual([0, 1, 2]);
    expect(c.bandwidth).toBeGreaterThan(0);
    const grown = c.pushPredict(batch([0, 1, 2, 3]));
    expect(grown.appeared).toEqual([3]);
    expect(c.predict([centers[3]])).toEqual([3]);
    const idsBefore = c.predict(centers);
    const disappeared = [c.pushPredict(batch([1, 2, 3])), c.pushPredict(batch([1, 2, 3]))].flatMap((r) => r.disappeared);
    expect(disappeared).toEqual([idsBefore[0]]);
    expect(c.predict(centers.slice(1))).toEqual(idsBefore.slice(1));
    // Far from every mode: no cluster's.
    const far = centers[1].map((x) => x + 1000);
    expect(c.predict([far])).toEqual([-1]);
    expect(c.pushPredict([...batch([1, 2, 3]), far]).labels.at(-1)).toBe(-1);
  });
});

describe('cosine space', () => {
  /** n vectors in d dims around 3 directions (angular noise ~0.05 rad), of lengths spread over 1..1000. */
  function directions(n: number, d: number, seed: number) {
    const rng = new SeededRandom(seed);
    const axes = Array.from({ length: 3 }, () => Array.from({ length: d }, () => rng.normal()));
    const truth = Array.from({ length: n }, () => rng.nextInt(3));
    const points = truth.map((c) => {
      const norm = Math.hypot(...axes[c]);
      const length = 10 ** (rng.next() * 3);
      return axes[c].map((x) => (x / norm + rng.normal() * 0.05) * length);
    });
    return { points, truth };
  }

  it('groups vectors by direction whatever their length, with k-means and with meanshift', () => {
    const { points, truth } = directions(3000, 5, 1);
    for (const options of [{ algorithm: 'kmeans', kMin: 1, kMax: 8 }, { algorithm: 'meanshift' }] as const) {
      const result = new OnlineClusterer({ ...options, space: 'cosine' }).pushPredict(points);
      expect(result.ids, options.algorithm).toHaveLength(3);
      expect(adjustedRandIndex(truth, result.labels), options.algorithm).toBeGreaterThanOrEqual(0.95);
      for (const center of result.centers) expect(Math.hypot(...center)).toBeCloseTo(1, 9);
      // By length alone the same vectors are one smear: Euclidean space does not find the directions.
      const euclidean = new OnlineClusterer({ ...options }).pushPredict(points);
      expect(adjustedRandIndex(truth, euclidean.labels), options.algorithm).toBeLessThan(0.9);
    }
  });

  it('predicts by direction, and a vector of length 0 has none', () => {
    const { points } = directions(900, 4, 2);
    const c = new OnlineClusterer({ algorithm: 'meanshift', space: 'cosine' });
    c.pushPredict(points);
    expect(c.predict([points[0].map((x) => x * 1e6)])).toEqual(c.predict([points[0]]));
    expect(() => c.predict([[0, 0, 0, 0]])).toThrow(/^points: point 0 has length 0/);
  });
});
