import { binSeeds } from './bin-seeds.js';
import { KdTree } from './kd-tree.js';
import type { FlatPoints } from './points.js';
import { toUnitLength } from './space.js';

/** Window moves shorter than this fraction of the bandwidth count as converged (scikit-learn's stop_thresh). */
const CONVERGED = 1e-3;

/** Modes found from seeds, strongest first, merged so that no two are within the bandwidth. */
export interface Modes {
  modes: Float64Array; // k × d
  k: number;
  /** Points within the bandwidth of each mode: the height of the density estimate there. */
  intensity: Int32Array;
}

/**
 * Mode seeking with a flat kernel (Comaniciu & Meer, "Mean shift: a robust
 * approach toward feature space analysis", IEEE TPAMI 24(5), 2002): from each
 * binned seed, the window of radius `bandwidth` moves to the mean of the points
 * in it until it stops; windows that end within the bandwidth of a stronger
 * mode are merged into it (as the paper groups convergence points closer than
 * the bandwidth). Every window is one k-d tree query, so a pass costs about
 * seeds × the window's boundary, not points × seeds.
 *
 * `onSphere`, for points of length 1: each mean is scaled back to length 1, so
 * windows move over the sphere and modes are directions (directional mean
 * shift, as in Kobayashi & Otsu, "Von Mises-Fisher mean shift for clustering
 * on a hypersphere", ICPR 2010, with a flat kernel).
 */
export function seekModes(tree: KdTree, bandwidth: number, maxIterations: number, onSphere = false): Modes {
  const { d } = tree;
  const { seeds, m } = binSeeds({ data: tree.coords, n: tree.n, d }, bandwidth);
  const ends = new Float64Array(m * d);
  const intensity = new Int32Array(m);
  const sum = new Float64Array(d);
  const x = new Float64Array(d);
  const next = new Float64Array(d);
  const threshold = CONVERGED * bandwidth;
  let found = 0;
  for (let s = 0; s < m; s++) {
    x.set(seeds.subarray(s * d, s * d + d));
    let count = 0;
    for (let it = 0; it < maxIterations; it++) {
      sum.fill(0);
      count = tree.sumWithin(x, 0, bandwidth, sum);
      if (count === 0) break;
      for (let j = 0; j < d; j++) next[j] = sum[j] / count;
      if (onSphere) toUnitLength(next, 0, d);
      let shift = 0;
      for (let j = 0; j < d; j++) shift += (next[j] - x[j]) * (next[j] - x[j]);
      x.set(next);
      if (Math.sqrt(shift) < threshold) {
        // The window's count at its resting place, not one step before it.
        sum.fill(0);
        count = tree.sumWithin(x, 0, bandwidth, sum);
        break;
      }
    }
    if (count === 0) continue; // a seed whose window held no point (a cell's mean far from its points, high d)
    ends.set(x, found * d);
    intensity[found++] = count;
  }
  return mergeModes(ends, intensity.subarray(0, found), found, d, bandwidth);
}

/** Strongest first (ties by seed order); a mode within `radius` of one already kept is merged into it. */
function mergeModes(ends: Float64Array, intensity: Int32Array, m: number, d: number, radius: number): Modes {
  const byStrength = Array.from({ length: m }, (_, s) => s).sort((a, b) => intensity[b] - intensity[a] || a - b);
  const modes = new Float64Array(m * d);
  const kept = new Int32Array(m);
  const r2 = radius * radius;
  let k = 0;
  for (const s of byStrength) {
    let near = false;
    for (let c = 0; c < k && !near; c++) {
      let dist = 0;
      for (let j = 0; j < d && dist <= r2; j++) {
        const diff = ends[s * d + j] - modes[c * d + j];
        dist += diff * diff;
      }
      near = dist <= r2;
    }
    if (near) continue;
    modes.set(ends.subarray(s * d, s * d + d), k * d);
    kept[k++] = intensity[s];
  }
  return { modes: modes.slice(0, k * d), k, intensity: kept.slice(0, k) };
}

/** Modes whose window holds at least `minCount` points: the rest are bumps of noise, not clusters. */
export function strongModes(found: Modes, d: number, minCount: number): Modes {
  const keep: number[] = [];
  for (let c = 0; c < found.k; c++) if (found.intensity[c] >= minCount) keep.push(c);
  const modes = new Float64Array(keep.length * d);
  keep.forEach((c, i) => modes.set(found.modes.subarray(c * d, c * d + d), i * d));
  return { modes, k: keep.length, intensity: Int32Array.from(keep, (c) => found.intensity[c]) };
}

/**
 * Index of the nearest of k modes for each point, or -1 when every mode is
 * farther than `radius` (the point is noise). Writes `labels`.
 */
export function labelWithin(points: FlatPoints, modes: Float64Array, k: number, radius: number, labels: Int32Array): void {
  const tree = new KdTree({ data: modes, n: k, d: points.d });
  for (let i = 0; i < points.n; i++) {
    const row = tree.nearestWithin(points.data, i, radius);
    labels[i] = row < 0 ? -1 : tree.order[row];
  }
}
