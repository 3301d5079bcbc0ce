import type { ClusterTerm } from './classification-bic.js';
import { classificationBic } from './classification-bic.js';
import { clusterLogLikelihood, gaussianOf, mapCovariance, type Gaussian } from './gaussian.js';
import { classify, type NoisyMixture } from './noisy-mixture.js';
import { partitionStats, symmetrize, type PartitionStats } from './partition-stats.js';
import type { FlatPoints } from './points.js';

/** What the clusters are fitted within: the frame's box (for the noise density) and the covariance prior's scale. */
export interface FrameExtent {
  logVolume: number;
  /** Λ_p of `priorScale`, for the number of clusters of the fit. */
  priorScale: Float64Array;
  /** Points in the frame: a fit to a sample of it is scaled up to this many. */
  n: number;
  /** Share of a cluster's mean variance added to every direction (mapCovariance): 0, or more on the unit sphere. */
  isotropicShare: number;
}

/** A fitted mixture and the partition it was fitted to. */
export interface CemFit {
  mixture: NoisyMixture;
  stats: PartitionStats;
  /** Per point, its cluster (0..k-1) or -1 for noise. */
  labels: Int32Array;
  terms: ClusterTerm[];
  noiseCount: number;
  /** classificationBic of the fit, for a frame of extent.n points. */
  bic: number;
  /** For each cluster of the labels given, its index in this fit (-1: dropped, it had no points). */
  renumbered: Int32Array;
}

/**
 * The M-step of CEM from a hard partition (labels, -1 for noise): per cluster
 * its mean and posterior-mode covariance, weights n_j / n, and the noise
 * density π_0 / V. Clusters without points are dropped and the labels
 * renumbered in place. On a sample (points.n < extent.n) counts and scatters
 * are scaled up to the frame, so the BIC is the frame's, estimated.
 */
export function mStep(points: FlatPoints, labels: Int32Array, k: number, extent: FrameExtent): CemFit {
  const { d } = points;
  const raw = partitionStats(points, labels, k);
  const renumbered = new Int32Array(k).fill(-1);
  let kept = 0;
  for (let c = 0; c < k; c++) if (raw.counts[c] > 0) renumbered[c] = kept++;
  if (kept < k) for (let i = 0; i < points.n; i++) if (labels[i] >= 0) labels[i] = renumbered[labels[i]];
  const scale = extent.n / Math.max(points.n, 1);
  const stats: PartitionStats = { k: kept, d, counts: new Float64Array(kept), means: new Float64Array(kept * d), scatters: new Float64Array(kept * d * d) };
  for (let c = 0; c < k; c++) {
    const to = renumbered[c];
    if (to < 0) continue;
    stats.counts[to] = raw.counts[c] * scale;
    stats.means.set(raw.means.subarray(c * d, (c + 1) * d), to * d);
    for (let e = 0; e < d * d; e++) stats.scatters[to * d * d + e] = raw.scatters[c * d * d + e] * scale;
  }
  symmetrize(stats.scatters, kept, d);
  let clustered = 0;
  for (let c = 0; c < kept; c++) clustered += stats.counts[c];
  const noiseCount = Math.max(0, extent.n - clustered);
  const { components, terms } = gaussiansOf(stats, extent);
  const mixture: NoisyMixture = {
    d,
    components,
    logWeights: Float64Array.from(stats.counts, (m) => Math.log(m / extent.n)),
    // A noise weight of at least one point, so a frame that had none can still find some.
    logNoise: Math.log(Math.max(noiseCount, 1) / extent.n) - extent.logVolume,
  };
  return { mixture, stats, labels, terms, noiseCount, bic: classificationBic(terms, noiseCount, extent.n, extent.logVolume, d), renumbered };
}

/** Each cluster's Gaussian (mean, posterior-mode covariance) and its classification log-likelihood term. */
export function gaussiansOf(stats: PartitionStats, extent: FrameExtent): { components: Gaussian[]; terms: ClusterTerm[] } {
  const { k, d } = stats;
  const { priorScale } = extent;
  const components: Gaussian[] = [];
  const terms: ClusterTerm[] = [];
  for (let c = 0; c < k; c++) {
    const scatter = stats.scatters.subarray(c * d * d, (c + 1) * d * d);
    const g = gaussianOf(stats.means.slice(c * d, (c + 1) * d), mapCovariance(scatter, stats.counts[c], priorScale, d, extent.isotropicShare), d);
    components.push(g);
    terms.push({ count: stats.counts[c], logLikelihood: clusterLogLikelihood(g, stats.counts[c], scatter, d) });
  }
  return { components, terms };
}

/**
 * CEM from a partition: M-step and classification step in turn until no label
 * changes (or `maxIterations`). The classification likelihood never falls
 * from one iteration to the next (Celeux & Govaert 1992), so it converges.
 */
export function cem(points: FlatPoints, labels: Int32Array, k: number, extent: FrameExtent, maxIterations: number): CemFit {
  let fit = mStep(points, labels, k, extent);
  const renumbered = fit.renumbered;
  for (let it = 0; it < maxIterations && fit.mixture.components.length > 0; it++) {
    if (classify(points, fit.mixture, fit.labels) === 0) break;
    fit = mStep(points, fit.labels, fit.mixture.components.length, extent);
    for (let c = 0; c < k; c++) if (renumbered[c] >= 0) renumbered[c] = fit.renumbered[renumbered[c]];
  }
  return { ...fit, renumbered };
}
