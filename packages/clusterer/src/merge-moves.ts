import { bicChange } from './classification-bic.js';
import type { CemFit, FrameExtent } from './cem.js';
import { clusterLogLikelihood, gaussianOf, mapCovariance } from './gaussian.js';
import type { MixtureMove } from './mixture-move.js';
import { unionStats } from './partition-stats.js';

/** Partners each cluster is tried merged with: its nearest few, by distance over spread. */
const MERGE_PARTNERS = 2;

/**
 * Changes that lower k, judged from the partition's sufficient statistics
 * alone (no pass over the points): merging a pair of clusters whose union
 * fits one Gaussian (the union's count, mean and scatter follow from the
 * pair's), and dropping a cluster into the noise. Keys name the clusters by
 * `keys[c]`.
 */
export function mergeMoves(fit: CemFit, extent: FrameExtent, keys: readonly number[]): MixtureMove[] {
  const { stats } = fit;
  const { k, d } = stats;
  const moves: MixtureMove[] = [];
  const change = (removed: number[], added: { count: number; logLikelihood: number }[], noiseDelta: number) =>
    bicChange(fit, { removed, added, noiseDelta }, extent.n, extent.logVolume, d);
  for (const [a, b] of nearPairs(fit)) {
    const union = unionStats(stats, a, b);
    const g = gaussianOf(union.mean, mapCovariance(union.scatter, union.count, extent.priorScale, d, extent.isotropicShare), d);
    const gain = change([a, b], [{ count: union.count, logLikelihood: clusterLogLikelihood(g, union.count, union.scatter, d) }], 0);
    moves.push({
      key: `merge ${Math.min(keys[a], keys[b])} ${Math.max(keys[a], keys[b])}`,
      gain,
      kChange: -1,
      clusters: [a, b],
      apply: (_frame, labels) => labels.forEach((label, i) => label === b && (labels[i] = a)),
    });
  }
  for (let a = 0; a < k && k > 1; a++) {
    moves.push({
      key: `drop ${keys[a]}`,
      gain: change([a], [], stats.counts[a]),
      kChange: -1,
      clusters: [a],
      apply: (_frame, labels) => labels.forEach((label, i) => label === a && (labels[i] = -1)),
    });
  }
  return moves;
}

/** Each cluster with its MERGE_PARTNERS nearest others by ‖μ_a − μ_b‖² / (λ_a + λ_b), as distinct pairs a < b. */
function nearPairs({ stats, mixture }: CemFit): [number, number][] {
  const { k, d, means } = stats;
  const pairs = new Set<number>();
  for (let a = 0; a < k; a++) {
    const near: [number, number][] = [];
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (means[a * d + j] - means[b * d + j]) ** 2;
      near.push([s / (mixture.components[a].lambdaMax + mixture.components[b].lambdaMax), b]);
    }
    near.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [, b] of near.slice(0, MERGE_PARTNERS)) pairs.add(Math.min(a, b) * k + Math.max(a, b));
  }
  return [...pairs].sort((x, y) => x - y).map((p) => [Math.floor(p / k), p % k]);
}
