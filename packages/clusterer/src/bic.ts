/**
 * Bayesian information criterion of a k-means partition under the identical
 * spherical Gaussian model of X-means (Pelleg & Moore, 2000): mixing weights
 * n_j/n, one shared per-dimension variance σ² = SSE / (d (n − k)).
 * Free parameters: (k − 1) weights + k·d means + 1 variance. Larger is better.
 */
export function sphericalBic(sse: number, counts: ArrayLike<number>, n: number, d: number): number {
  const k = counts.length;
  if (n <= k) return -Infinity;
  // Identical points give σ² = 0; a floor keeps the log finite so the penalty still decides.
  const sigma2 = Math.max(sse / (d * (n - k)), 1e-300);
  let logLikelihood = -n * Math.log(n) - ((n * d) / 2) * Math.log(2 * Math.PI * sigma2) - (d * (n - k)) / 2;
  for (let j = 0; j < k; j++) if (counts[j] > 0) logLikelihood += counts[j] * Math.log(counts[j]);
  const parameters = k * (d + 1);
  return logLikelihood - (parameters / 2) * Math.log(n);
}
