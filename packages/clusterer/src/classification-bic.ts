/** What a cluster adds to the classification log-likelihood: its point count and Σ_{i∈j} log N(x_i | μ_j, Σ_j). */
export interface ClusterTerm {
  count: number;
  logLikelihood: number;
}

/** Free parameters of one cluster of a full-covariance mixture in d dimensions: mean, covariance, weight. */
export function parametersPerCluster(d: number): number {
  return d + (d * (d + 1)) / 2 + 1;
}

/**
 * BIC of the classification likelihood of a partition into Gaussian clusters
 * and noise, 2 L_C − p log n, with
 * L_C = Σ_j [Σ_{i∈j} log N(x_i | μ_j, Σ_j) + n_j log(n_j / n)] + n_0 log(n_0 / (n V)).
 * This is the ICL-BIC of Biernacki, Celeux & Govaert ("Assessing a mixture
 * model for clustering with the integrated completed likelihood", IEEE PAMI
 * 2000): unlike the mixture likelihood's BIC it counts what each point's
 * assignment costs, so it does not pay to cut one Gaussian in two (each half
 * gains ½ log(π / (π − 2)) ≈ 0.51 per point in fit and loses log 2 in weight),
 * which is what keeps an elongated cluster whole and k from wandering. Larger is
 * better. p = k · parametersPerCluster(d): the noise weight takes the place of
 * the one weight the k + 1 weights' sum of 1 leaves free.
 */
export function classificationBic(clusters: readonly ClusterTerm[], noiseCount: number, n: number, logVolume: number, d: number): number {
  let logLikelihood = 0;
  let k = 0;
  for (const { count, logLikelihood: l } of clusters) {
    if (!(count > 0)) continue;
    k++;
    logLikelihood += l + count * Math.log(count / n);
  }
  if (noiseCount > 0) logLikelihood += noiseCount * (Math.log(noiseCount / n) - logVolume);
  return 2 * logLikelihood - k * parametersPerCluster(d) * Math.log(n);
}

/** How much the BIC of a fit changes when the clusters `removed` give way to `added` and `noiseDelta` points become noise. */
export function bicChange(
  fit: { terms: readonly ClusterTerm[]; noiseCount: number; bic: number },
  change: { removed: readonly number[]; added: readonly ClusterTerm[]; noiseDelta: number },
  n: number,
  logVolume: number,
  d: number,
): number {
  const terms = fit.terms.filter((_, c) => !change.removed.includes(c)).concat(change.added);
  return classificationBic(terms, Math.max(0, fit.noiseCount + change.noiseDelta), n, logVolume, d) - fit.bic;
}
