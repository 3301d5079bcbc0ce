import type { FlatPoints } from './points.js';

/** The clustering algorithms, chosen by name. */
export type AlgorithmName = 'kmeans' | 'meanshift';

export const ALGORITHMS: readonly AlgorithmName[] = ['kmeans', 'meanshift'];

/** Frame slots a push wrote: `count` slots from `first` on, wrapping at the frame's capacity. */
export interface Written {
  first: number;
  count: number;
  capacity: number;
}

/** What a fit found: k centers (k × d, row-major) and the points of the frame each holds. */
export interface Fit {
  centers: Float64Array;
  k: number;
  counts: ArrayLike<number>;
  /** Per center, its cluster's spread (root mean variance), when the algorithm models it. */
  spreads?: Float64Array;
}

/**
 * One clustering algorithm as the online clusterer drives it: refit to the
 * frame after each push, then say which cluster points belong to. An
 * algorithm may keep what it needs from its last fit to start the next one.
 */
export interface ClusterAlgorithm {
  /** Fits the frame; `written` are the slots that changed since the last call (all of them on the first). */
  refit(frame: FlatPoints, written: Written): Fit;
  /** Per point, the index of its cluster in the last fit, or -1 for none (noise, or no fit yet). */
  assign(points: FlatPoints): Int32Array;
}

export function checkAlgorithm(name: unknown): AlgorithmName {
  if (!ALGORITHMS.includes(name as AlgorithmName)) throw new RangeError(`algorithm: expected 'kmeans' or 'meanshift', got ${String(name)}`);
  return name as AlgorithmName;
}
