/** Centers whose nearest-neighbour distance is measured per set; the median of a sample this size is plenty. */
const SAMPLE = 64;

/**
 * The typical distance between neighbouring clusters: the median, over the
 * centers of each set (an evenly spaced sample of them when there are many),
 * of the distance to the nearest other center of the same set. Scale-free by
 * construction, so a gate derived from it needs no tuning. NaN when no set
 * has two centers.
 */
export function typicalSeparation(sets: { centers: Float64Array; k: number }[], d: number): number {
  const nearest: number[] = [];
  for (const { centers, k } of sets) {
    if (k < 2) continue;
    const stride = Math.max(1, Math.floor(k / SAMPLE));
    for (let a = 0; a < k; a += stride) {
      let best = Infinity;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = centers[a * d + j] - centers[b * d + j];
          s += diff * diff;
        }
        if (s < best) best = s;
      }
      nearest.push(Math.sqrt(best));
    }
  }
  if (nearest.length === 0) return NaN;
  nearest.sort((x, y) => x - y);
  const mid = nearest.length >> 1;
  return nearest.length % 2 ? nearest[mid] : (nearest[mid - 1] + nearest[mid]) / 2;
}
