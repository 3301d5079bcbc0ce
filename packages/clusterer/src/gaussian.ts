/**
 * One Gaussian component N(μ, Σ) of a mixture, with what the classification
 * E-step and the model's likelihood need: the Cholesky factor L of Σ (lower,
 * row-major d × d), log |Σ| and an upper bound on Σ's largest eigenvalue.
 */
export interface Gaussian {
  mean: Float64Array;
  chol: Float64Array;
  logDet: number;
  /** ≥ λ_max(Σ) (Gershgorin), so ‖x − μ‖² / lambdaMax ≤ the squared Mahalanobis distance. */
  lambdaMax: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The scale of the conjugate prior on covariances of Fraley & Raftery
 * ("Bayesian regularization for normal mixture estimation and model-based
 * clustering", J. Classification 24, 2007): inverse Wishart with ν_p = d + 2
 * degrees of freedom and scale Λ_p = cov(frame) / k^(2/d). The posterior mode
 * of a cluster's covariance, Σ̂ = (Λ_p + S) / (ν_p + n + d + 2), is never
 * singular (a cluster of one point, or of points on a line, has a proper
 * density) and follows the data's scale, so no tolerance has to be chosen in
 * its units.
 */
export function priorScale(frameCovariance: Float64Array, k: number, d: number): Float64Array {
  const shrink = Math.pow(Math.max(k, 1), 2 / d);
  return frameCovariance.map((x) => x / shrink);
}

/**
 * Σ̂ = (Λ_p + S) / (ν_p + n + d + 2) with ν_p = d + 2 (Fraley & Raftery 2007,
 * as above), plus `isotropicShare` × its mean variance on the diagonal. That
 * share is for points on the unit sphere (cosine space): a cluster of
 * directions is a cap, thin and curved along the radius, and a Gaussian
 * follows that curvature by cutting the cap in pieces unless the radial
 * thinness is evened out.
 */
export function mapCovariance(scatter: Float64Array, count: number, priorScale: Float64Array, d: number, isotropicShare = 0): Float64Array {
  const denominator = count + 2 * d + 4;
  const sigma = new Float64Array(d * d);
  for (let e = 0; e < d * d; e++) sigma[e] = (priorScale[e] + scatter[e]) / denominator;
  if (isotropicShare > 0) {
    let trace = 0;
    for (let j = 0; j < d; j++) trace += sigma[j * d + j];
    for (let j = 0; j < d; j++) sigma[j * d + j] += (isotropicShare * trace) / d;
  }
  return sigma;
}

/** The Gaussian of mean `mean` and covariance `sigma` (symmetric positive definite, as `mapCovariance` gives). */
export function gaussianOf(mean: Float64Array, sigma: Float64Array, d: number): Gaussian {
  const chol = cholesky(sigma, d);
  let logDet = 0;
  for (let j = 0; j < d; j++) logDet += 2 * Math.log(chol[j * d + j]);
  let lambdaMax = 0;
  for (let r = 0; r < d; r++) {
    let row = 0;
    for (let c = 0; c < d; c++) row += Math.abs(sigma[r * d + c]);
    lambdaMax = Math.max(lambdaMax, row);
  }
  return { mean, chol, logDet, lambdaMax };
}

/**
 * Lower Cholesky factor of a symmetric positive definite d × d matrix. A pivot
 * lost to rounding is raised to a tiny fraction of the diagonal's scale, so a
 * nearly singular Σ still gives a usable (very narrow) density.
 */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += Math.abs(a[j * d + j]);
  const floor = Math.max((trace / d) * 1e-12, Number.MIN_VALUE);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let m = 0; m < j; m++) s -= l[j * d + m] * l[j * d + m];
    const pivot = Math.sqrt(Math.max(s, floor));
    l[j * d + j] = pivot;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let m = 0; m < j; m++) t -= l[i * d + m] * l[j * d + m];
      l[i * d + j] = t / pivot;
    }
  }
  return l;
}

/** ‖L⁻¹ v‖²: the squared Mahalanobis length of v under Σ = L Lᵀ (forward substitution; `work` has d entries). */
export function mahalanobis2(chol: Float64Array, v: Float64Array, d: number, work: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < d; r++) {
    let t = v[r];
    const row = r * d;
    for (let c = 0; c < r; c++) t -= chol[row + c] * work[c];
    t /= chol[row + r];
    work[r] = t;
    sum += t * t;
  }
  return sum;
}

/**
 * Σ_{i∈cluster} log N(x_i | x̄, Σ) from the cluster's count n and scatter S
 * about its mean: −½ (n d log 2π + n log |Σ| + tr(Σ⁻¹ S)).
 */
export function clusterLogLikelihood(g: Gaussian, count: number, scatter: Float64Array, d: number): number {
  // Σ⁻¹ column by column from L (L y = e_c, then Lᵀ x = y), then tr(Σ⁻¹ S) = Σ_ab (Σ⁻¹)_ab S_ab.
  const work = new Float64Array(d);
  const column = new Float64Array(d);
  const inverse = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    column.fill(0);
    column[c] = 1;
    solveLower(g.chol, column, d, work);
    solveUpperTransposed(g.chol, work, d, column);
    for (let r = 0; r < d; r++) inverse[r * d + c] = column[r];
  }
  let trace = 0;
  for (let e = 0; e < d * d; e++) trace += inverse[e] * scatter[e];
  return -0.5 * (count * d * LOG_2PI + count * g.logDet + trace);
}

/** log N(x | μ, Σ) for a point x at `offset` of `data`, given its squared Mahalanobis distance. */
export function logDensityAt(g: Gaussian, mahalanobisSquared: number, d: number): number {
  return -0.5 * (d * LOG_2PI + g.logDet + mahalanobisSquared);
}

function solveLower(l: Float64Array, b: Float64Array, d: number, out: Float64Array): void {
  for (let r = 0; r < d; r++) {
    let t = b[r];
    for (let c = 0; c < r; c++) t -= l[r * d + c] * out[c];
    out[r] = t / l[r * d + r];
  }
}

function solveUpperTransposed(l: Float64Array, b: Float64Array, d: number, out: Float64Array): void {
  for (let r = d - 1; r >= 0; r--) {
    let t = b[r];
    for (let c = r + 1; c < d; c++) t -= l[c * d + r] * out[c];
    out[r] = t / l[r * d + r];
  }
}
