import { lloyd } from './lloyd.js';
import type { FlatPoints } from './points.js';
import type { SeededRandom } from './random.js';

/** Points the seeds are placed on: a seeded random sample of the frame is plenty. */
const SEEDING_SAMPLE = 2048;
/** Fraction of the sample, the farthest from the seeds so far, that is never drawn as a seed. */
const TRIMMED = 0.05;
/** Lloyd steps after k-means++ places the seeds. */
const LLOYD_STEPS = 10;

/**
 * Initial centers for k clusters: greedy k-means++ (Arthur & Vassilvitskii, 2007, "k-means++:
 * the advantages of careful seeding", with local trials) and a few Lloyd steps on a seeded random sample of
 * the frame. Returns k' <= k centers (fewer when the sample has fewer distinct points).
 * Written here rather than taken from ml-kmeans, whose import (ml-spectra-processing, for
 * two sums) adds about 21 MiB to every server process.
 */
export function seedCenters(points: FlatPoints, k: number, rng: SeededRandom): { centers: Float64Array; k: number } {
  const { d } = points;
  const sample = sampleRows(points, Math.min(points.n, SEEDING_SAMPLE), rng);
  const m = sample.length / d;
  const centers = new Float64Array(k * d);
  // D²: each point's squared distance to its nearest center so far.
  const nearest = new Float64Array(m).fill(Infinity);
  const trial = new Float64Array(m);
  // Greedy k-means++ (as scikit-learn and ml-kmeans do): of 2 + ln k candidates drawn by D², the one that lowers the potential most.
  const trials = 2 + Math.floor(Math.log(k));
  let placed = 0;
  for (let next = m > 0 ? rng.nextInt(m) : -1; next >= 0 && placed < k; ) {
    centers.set(sample.subarray(next * d, next * d + d), placed * d);
    for (let i = 0; i < m; i++) nearest[i] = Math.min(nearest[i], squaredDistance(sample, i, centers, placed, d));
    placed++;
    if (placed === k) break;
    let bestPotential = Infinity;
    next = -1;
    for (let t = 0; t < trials; t++) {
      const candidate = pickByDistance(nearest, rng);
      if (candidate < 0) break;
      let potential = 0;
      for (let i = 0; i < m; i++) {
        trial[i] = Math.min(nearest[i], squaredDistance(sample, i, sample, candidate, d));
        potential += trial[i];
      }
      if (potential < bestPotential) [bestPotential, next] = [potential, candidate];
    }
  }
  if (placed === 0) return { centers: new Float64Array(0), k: 0 };
  const settled = lloyd({ data: sample, n: m, d }, centers, placed, LLOYD_STEPS);
  return { centers: settled.centers, k: settled.k };
}

/**
 * A point drawn with probability proportional to `weights`, among all but the farthest
 * TRIMMED fraction (as trimmed k-means does, Cuesta-Albertos, Gordaliza & Matrán 1997):
 * D² sampling alone favours outliers, which would take seeds from real clusters. -1 when
 * every weight is 0 (every point is a center already).
 */
function pickByDistance(weights: Float64Array, rng: SeededRandom): number {
  const sorted = Float64Array.from(weights).sort();
  const cap = sorted[Math.max(0, Math.ceil((1 - TRIMMED) * sorted.length) - 1)];
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] <= cap) total += weights[i];
  if (!(total > 0)) return -1;
  let target = rng.next() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] > cap || weights[i] === 0) continue;
    last = i;
    target -= weights[i];
    if (target < 0) return i;
  }
  return last;
}

function squaredDistance(a: Float64Array, i: number, b: Float64Array, c: number, d: number): number {
  let sum = 0;
  for (let j = 0; j < d; j++) {
    const delta = a[i * d + j] - b[c * d + j];
    sum += delta * delta;
  }
  return sum;
}

/** `m` rows of the frame drawn without replacement (a partial Fisher–Yates shuffle), flat. */
function sampleRows({ data, n, d }: FlatPoints, m: number, rng: SeededRandom): Float64Array {
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  const rows = new Float64Array(m * d);
  for (let i = 0; i < m; i++) rows.set(data.subarray(index[i] * d, index[i] * d + d), i * d);
  return rows;
}
