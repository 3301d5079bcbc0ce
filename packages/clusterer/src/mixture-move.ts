import type { FlatPoints } from './points.js';

/**
 * A proposed change of a mixture's clusters, judged by how much it raises the
 * classification BIC. `key` names it by the clusters' lasting keys, so the
 * same proposal can be recognised push after push (MoveEvidence).
 */
export interface MixtureMove {
  key: string;
  gain: number;
  /** How it changes k: -1 (a merge, a cluster dropped) or +1 (a split, a birth). */
  kChange: -1 | 1;
  /** Indices of the clusters it changes (none for a birth out of the noise). */
  clusters: number[];
  /** Relabels the frame's points as the move says; a new cluster gets index `next`. */
  apply(frame: FlatPoints, labels: Int32Array, next: number): void;
}

/** Fewest points a cluster of d dimensions is fitted to: its mean and a covariance of full rank need d + 1, one more to spare. */
export function minClusterPoints(d: number): number {
  return d + 2;
}

/** The points of `source` at `indices`, copied. */
export function pointsAt(source: FlatPoints, indices: ArrayLike<number>): FlatPoints {
  const { d } = source;
  const data = new Float64Array(indices.length * d);
  for (let s = 0; s < indices.length; s++) data.set(source.data.subarray(indices[s] * d, indices[s] * d + d), s * d);
  return { data, n: indices.length, d };
}

/** Indices of the points labelled `label`. */
export function indicesOf(labels: Int32Array | Uint8Array, label: number, n = labels.length): Int32Array {
  let count = 0;
  for (let i = 0; i < n; i++) if (labels[i] === label) count++;
  const out = new Int32Array(count);
  for (let i = 0, o = 0; i < n; i++) if (labels[i] === label) out[o++] = i;
  return out;
}
