import { squaredDistance } from './nearest.js';

/**
 * The typical distance between neighbouring clusters: the median, over every
 * center of each set, of the distance to the nearest other center of the same
 * set. Scale-free by construction, so a gate derived from it needs no tuning.
 * Undefined (NaN) when no set has two centers.
 */
export function typicalSeparation(sets: { centers: Float64Array; k: number }[], d: number): number {
  const nearest: number[] = [];
  for (const { centers, k } of sets) {
    for (let a = 0; a < k; a++) {
      let best = Infinity;
      for (let b = 0; b < k; b++) if (b !== a) best = Math.min(best, squaredDistance(centers, a, centers, b, d));
      if (best < Infinity) nearest.push(Math.sqrt(best));
    }
  }
  if (nearest.length === 0) return NaN;
  nearest.sort((x, y) => x - y);
  const mid = nearest.length >> 1;
  return nearest.length % 2 ? nearest[mid] : (nearest[mid - 1] + nearest[mid]) / 2;
}
