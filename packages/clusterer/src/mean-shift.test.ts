import { describe, expect, it } from 'vitest';
import { estimateBandwidth } from './bandwidth.js';
import { meanShift } from './mean-shift.js';
import { adjustedRandIndex } from './metrics.js';
import type { FlatPoints } from './points.js';
import { SeededRandom } from './random.js';

const FOUR = { sizes: [0.45, 0.3, 0.15, 0.1], spreads: [1, 0.5, 2, 1] };
const SIX = { sizes: [0.3, 0.2, 0.15, 0.15, 0.1, 0.1], spreads: [1, 0.5, 2, 1, 0.7, 1.5] };

/**
 * Gaussian blobs of unequal size and spread (σ from 0.5 to 2), well separated:
 * centers at least 6 (σ_a + σ_b) apart in a cube of side 40 (or more, to make
 * room), times `scale`; then `noise` × n points uniform over the blobs'
 * bounding box grown by a tenth on each side (truth -1).
 */
function blobs(d: number, scale: number, seed: number, noise = 0, { sizes, spreads } = FOUR, n = 4000): FlatPoints & { truth: number[] } {
  const rng = new SeededRandom(seed);
  const side = Math.max(40, 12 * Math.max(...spreads) * (3 * sizes.length) ** (1 / d));
  const centers: number[][] = [];
  while (centers.length < sizes.length) {
    const c = Array.from({ length: d }, () => (rng.next() - 0.5) * side);
    const i = centers.length;
    if (centers.every((o, j) => Math.hypot(...o.map((x, t) => x - c[t])) >= 6 * (spreads[i] + spreads[j]))) centers.push(c);
  }
  const rows: number[][] = [];
  const truth: number[] = [];
  sizes.forEach((share, c) => {
    for (let i = 0; i < Math.round(share * n); i++) {
      rows.push(centers[c].map((x) => (x + rng.normal() * spreads[c]) * scale));
      truth.push(c);
    }
  });
  const lo = Array.from({ length: d }, (_, j) => Math.min(...rows.map((r) => r[j])));
  const hi = Array.from({ length: d }, (_, j) => Math.max(...rows.map((r) => r[j])));
  for (let i = 0; i < Math.round(noise * n); i++) {
    rows.push(lo.map((l, j) => l + (rng.next() * 1.2 - 0.1) * (hi[j] - l)));
    truth.push(-1);
  }
  return { data: Float64Array.from(rows.flat()), n: rows.length, d, truth };
}

function distance({ data, d }: FlatPoints, a: number, b: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[a * d + j] - data[b * d + j]) ** 2;
  return Math.sqrt(s);
}

/** ARI over the blob points only, and the share of noise points labelled -1. */
function score(points: { truth: number[] }, labels: Int32Array) {
  const blob = points.truth.flatMap((c, i) => (c >= 0 ? [i] : []));
  const noise = points.truth.flatMap((c, i) => (c < 0 ? [i] : []));
  return {
    ari: adjustedRandIndex(blob.map((i) => points.truth[i]), blob.map((i) => labels[i])),
    blobAsNoise: blob.filter((i) => labels[i] === -1).length / blob.length,
    noiseAsNoise: noise.filter((i) => labels[i] === -1).length / Math.max(1, noise.length),
  };
}

describe('meanShift', () => {
  it('with no bandwidth given finds the true k, ARI ≥ 0.95, on blobs of unequal size and spread, in 2 and 5 dims, at scales 1e-3 and 1e4', () => {
    for (const d of [2, 5]) {
      for (const scale of [1e-3, 1e4]) {
        for (const seed of [1, 2, 3]) {
          const points = blobs(d, scale, seed);
          const fit = meanShift(points);
          const where = `d=${d} scale=${scale} seed=${seed}`;
          expect(fit.k, where).toBe(4);
          expect(score(points, fit.labels).ari, where).toBeGreaterThanOrEqual(0.95);
          expect(Array.from(fit.counts).reduce((a, b) => a + b), where).toBeGreaterThanOrEqual(0.97 * points.n);
        }
      }
    }
  });

  it('labels uniform noise -1 and keeps the clusters', () => {
    for (const d of [2, 5]) {
      for (const seed of [1, 2, 3]) {
        const points = blobs(d, 1, seed, 0.1);
        const fit = meanShift(points);
        const { ari, blobAsNoise, noiseAsNoise } = score(points, fit.labels);
        const where = `d=${d} seed=${seed}`;
        expect(fit.k, where).toBe(4);
        expect(ari, where).toBeGreaterThanOrEqual(0.95);
        expect(blobAsNoise, where).toBeLessThan(0.02);
        expect(noiseAsNoise, where).toBeGreaterThanOrEqual(0.5);
        // Noise within a bandwidth of a cluster may join it; noise farther from every cluster's points is -1 (no cluster of noise).
        const blob = points.truth.flatMap((c, i) => (c >= 0 ? [i] : []));
        const far = points.truth.flatMap((c, i) => (c < 0 && blob.every((b) => distance(points, i, b) > fit.bandwidth) ? [i] : []));
        expect(far.length, where).toBeGreaterThan(0);
        expect(far.filter((i) => fit.labels[i] !== -1), where).toEqual([]);
      }
    }
  });

  it('is scale-free and deterministic: the same points in other units give the same labels', () => {
    const small = meanShift(blobs(2, 1e-3, 7));
    const large = meanShift(blobs(2, 1e4, 7));
    expect(Array.from(large.labels)).toEqual(Array.from(small.labels));
    expect(large.bandwidth / small.bandwidth).toBeCloseTo(1e7, -1);
    expect(meanShift(blobs(2, 1e4, 7))).toEqual(large);
  });

  it('keeps to a given bandwidth: wide merges neighbouring blobs, narrow keeps them apart', () => {
    const rng = new SeededRandom(3);
    const rows = Array.from({ length: 600 }, (_, i) => [(i % 2) * 10 + rng.normal() * 0.5, rng.normal() * 0.5]);
    const points = { data: Float64Array.from(rows.flat()), n: 600, d: 2 };
    expect(meanShift(points, { bandwidth: 3 }).k).toBe(2);
    expect(meanShift(points, { bandwidth: 30 }).k).toBe(1);
    // A point 5 bandwidths from both modes belongs to neither.
    const far = meanShift({ data: Float64Array.from([...rows.flat(), 5, 15]), n: 601, d: 2 }, { bandwidth: 3 });
    expect(far.labels[600]).toBe(-1);
  });

  it("finds the clusters scikit-learn's estimate_bandwidth merges (mean distance to the 30 % nearest neighbour)", () => {
    const points = blobs(2, 1, 1, 0, SIX);
    // estimate_bandwidth(X, quantile=0.3) on an even sample of 500 of the points.
    const sample = Array.from({ length: 500 }, (_, s) => Math.floor((s * points.n) / 500));
    const quantileRule =
      sample.reduce((sum, i) => {
        const dists = sample.map((j) => Math.hypot(points.data[2 * i] - points.data[2 * j], points.data[2 * i + 1] - points.data[2 * j + 1])).sort((a, b) => a - b);
        return sum + dists[Math.floor(0.3 * 500)];
      }, 0) / 500;
    expect(meanShift(points, { bandwidth: quantileRule }).k).toBeLessThan(6);
    const ours = meanShift(points);
    expect(ours.k).toBe(6);
    expect(score(points, ours.labels).ari).toBeGreaterThanOrEqual(0.95);
  });

  it('reports the stable range its bandwidth was taken from', () => {
    const estimate = estimateBandwidth(blobs(2, 1, 1));
    expect(estimate.k).toBe(4);
    expect(estimate.bandwidth).toBeGreaterThan(estimate.range[0]);
    expect(estimate.bandwidth).toBeLessThan(estimate.range[1]);
    const rungs = estimate.ladder.filter((r) => r.bandwidth >= estimate.range[0] && r.bandwidth <= estimate.range[1]);
    expect(rungs.every((r) => r.k === 4)).toBe(true);
  });

  it('copes with degenerate input: no points, one point, identical points', () => {
    expect(meanShift({ data: new Float64Array(0), n: 0, d: 2 })).toMatchObject({ k: 0 });
    expect(meanShift({ data: Float64Array.of(3, 4), n: 1, d: 2 })).toMatchObject({ k: 1, counts: Int32Array.of(1), labels: Int32Array.of(0) });
    const same = meanShift({ data: new Float64Array(100).fill(7), n: 50, d: 2 });
    expect(same).toMatchObject({ k: 1, counts: Int32Array.of(50) });
    expect(Array.from(same.modes)).toEqual([7, 7]);
  });
});
