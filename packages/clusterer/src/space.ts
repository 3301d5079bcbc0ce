import type { FlatPoints } from './points.js';

/**
 * Where distances are measured. 'cosine': by angle only, as for interest or
 * one-hot vectors; each point is taken as its direction (scaled to length 1),
 * where the squared Euclidean distance is 2(1 − cos), so every algorithm works
 * unchanged on the scaled points and its centers are directions too.
 */
export type Space = 'euclidean' | 'cosine';

export const SPACES: readonly Space[] = ['euclidean', 'cosine'];

export function checkSpace(space: unknown): Space {
  if (!SPACES.includes(space as Space)) throw new RangeError(`space: expected 'euclidean' or 'cosine', got ${String(space)}`);
  return space as Space;
}

/**
 * The points as the algorithms see them in `space`: unchanged for
 * 'euclidean'; for 'cosine' each row scaled to length 1, in place. Throws
 * naming `argName` at a point of length 0, which has no direction.
 */
export function intoSpace(points: FlatPoints, space: Space, argName: string): FlatPoints {
  if (space === 'euclidean') return points;
  const { data, n, d } = points;
  for (let i = 0; i < n; i++) {
    if (!toUnitLength(data, i, d)) throw new RangeError(`${argName}: point ${i} has length 0, so no direction in cosine space`);
  }
  return points;
}

/** Scales row i of a flat array of width d to length 1, in place; false (and unchanged) when it has length 0. */
export function toUnitLength(data: Float64Array, i: number, d: number): boolean {
  let s = 0;
  for (let j = i * d; j < i * d + d; j++) s += data[j] * data[j];
  if (!(s > 0)) return false;
  const scale = 1 / Math.sqrt(s);
  for (let j = i * d; j < i * d + d; j++) data[j] *= scale;
  return true;
}
