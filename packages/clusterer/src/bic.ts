/**
 * Floor on each cluster's variance, relative to the pooled one: without it a
 * cluster of one point (or of identical points) has an unbounded likelihood.
 * 1e-2 of the variance is a tenth of the standard deviation.
 */
const MIN_RELATIVE_VARIANCE = 1e-2;

/**
 * Bayesian information criterion (Schwarz, 1978) of a hard k-means partition
 * under a mixture of spherical Gaussians, each cluster with its own variance
 * (as in G-means / X-means' per-cluster form): weights n_j/n, per-dimension
 * variance σ_j² = SSE_j / (d n_j). Free parameters: (k − 1) weights + k·d
 * means + k variances. Larger is better.
 */
export function sphericalBic(sseByCluster: ArrayLike<number>, counts: ArrayLike<number>, n: number, d: number): number {
  const k = counts.length;
  if (n <= k) return -Infinity;
  let sse = 0;
  for (let j = 0; j < k; j++) sse += sseByCluster[j];
  const floor = Math.max((MIN_RELATIVE_VARIANCE * sse) / (d * (n - k)), 1e-300);
  let logLikelihood = -n * Math.log(n) - (n * d) / 2 * (Math.log(2 * Math.PI) + 1);
  for (let j = 0; j < k; j++) {
    const nj = counts[j];
    if (nj === 0) continue;
    const sigma2 = Math.max(sseByCluster[j] / (d * nj), floor);
    logLikelihood += nj * Math.log(nj) - ((nj * d) / 2) * Math.log(sigma2);
  }
  const parameters = k * (d + 2) - 1;
  return logLikelihood - (parameters / 2) * Math.log(n);
}
