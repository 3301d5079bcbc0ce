import { kmeans } from 'ml-kmeans';
import type { FlatPoints } from './points.js';
import type { SeededRandom } from './random.js';

/** Points handed to ml-kmeans for seeding: it works on number[][] rows, and a sample is plenty to place seeds. */
const SEEDING_SAMPLE = 2048;

/**
 * Initial centers for k clusters: ml-kmeans' k-means++ (Arthur & Vassilvitskii,
 * 2007) and a few of its Lloyd steps on a seeded random sample of the frame.
 * Returns k' ≤ k centers (fewer when the frame has fewer distinct points).
 */
export function seedCenters(points: FlatPoints, k: number, rng: SeededRandom): { centers: Float64Array; k: number } {
  const { n, d } = points;
  const sample = sampleRows(points, Math.min(n, SEEDING_SAMPLE), rng);
  const distinct = new Set(sample.map((r) => r.join(','))).size;
  const kk = Math.min(k, distinct);
  if (kk === 0) return { centers: new Float64Array(0), k: 0 };
  const result = kmeans(sample, kk, { seed: rng.nextUint32(), maxIterations: 10, initialization: 'kmeans++' });
  const centers = new Float64Array(kk * d);
  result.centroids.forEach((c, i) => centers.set(c, i * d));
  return { centers, k: kk };
}

function sampleRows({ data, n, d }: FlatPoints, m: number, rng: SeededRandom): number[][] {
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  // Partial Fisher–Yates: the first m entries become a uniform sample without replacement.
  for (let i = 0; i < m; i++) {
    const j = i + rng.nextInt(n - i);
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  const rows: number[][] = new Array(m);
  for (let i = 0; i < m; i++) rows[i] = Array.from(data.subarray(index[i] * d, index[i] * d + d));
  return rows;
}
