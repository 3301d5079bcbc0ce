import { FrameSample } from './frame-sample.js';
import { KdTree } from './kd-tree.js';
import { seekModes, strongModes } from './mode-seeking.js';
import type { FlatPoints } from './points.js';

/** Points the ladder of bandwidths is tried on: each rung is a whole mean shift, and a sample this size already shows a cluster of 1 % with 20 points. */
const SAMPLE = 2048;
/** Rungs per doubling of the bandwidth. */
const STEPS_PER_OCTAVE = 4;
/** The ladder starts at this multiple of the data's radius, where one window covers nearly everything. */
const TOP = 1.5;
/** Window moves per seed on a rung: enough for the count of clusters, which is all a rung is asked. */
const LADDER_ITERATIONS = 100;
/**
 * Where in the stable range (0 its bottom, 1 its top, on a log scale) the
 * bandwidth is taken. Every bandwidth in the range finds the same clusters;
 * higher up fewer of a cluster's own points lie beyond the bandwidth (and
 * would be called noise), while the top is where clusters start to merge.
 * 0.75 measured best on blobs of unequal size and spread, with and without noise.
 */
const POSITION = 0.75;
/** A mode is a cluster when its window holds at least this share of the strongest window's points; weaker ones are bumps of noise. */
export const MIN_SHARE = 0.05;

export interface BandwidthEstimate {
  bandwidth: number;
  /** Number of clusters over the chosen range. */
  k: number;
  /** The range of bandwidths over which that number held. */
  range: [number, number];
  /** Every rung tried, smallest bandwidth first, with the number of clusters it gave. */
  ladder: { bandwidth: number; k: number }[];
}

/**
 * A bandwidth for mean shift from the data alone, by the stability of the
 * decomposition, one of the rules Comaniciu & Meer (2002) give for choosing
 * it: the widest range of bandwidths over which the number of clusters stays
 * the same. Mean shift runs on a sample at bandwidths a constant ratio apart,
 * from the data's radius down to where the sample falls apart into specks;
 * the longest run of rungs with one number of clusters is the range.
 * Scale-free: the ladder is in units of the data's own radius, so data in
 * millimetres or in kilometres get the same clusters. `onSphere`: points of
 * length 1, windows moved over the sphere (see `seekModes`).
 */
export function estimateBandwidth(points: FlatPoints, onSphere = false): BandwidthEstimate {
  const { points: sample } = new FrameSample(SAMPLE, 1).of(points);
  const { n, d } = sample;
  const radius = radiusAroundMean(sample);
  if (!(radius > 0)) return { bandwidth: 1, k: n > 0 ? 1 : 0, range: [1, 1], ladder: [] };
  const tree = new KdTree(sample);
  const ratio = 2 ** (1 / STEPS_PER_OCTAVE);
  const ladder: { bandwidth: number; k: number }[] = [];
  // Down the ladder until most windows hold a few points (or the bandwidth is lost in rounding).
  for (let h = TOP * radius; h > radius * 1e-9; h /= ratio) {
    const found = seekModes(tree, h, LADDER_ITERATIONS, onSphere);
    ladder.push({ bandwidth: h, k: strongModes(found, d, minCount(found.intensity)).k });
    if (found.k > Math.max(2, n / 8)) break;
  }
  ladder.reverse();
  let best = { from: 0, to: 0 };
  for (let from = 0; from < ladder.length; ) {
    let to = from;
    while (to + 1 < ladder.length && ladder[to + 1].k === ladder[from].k) to++;
    // Ties go to the run with more clusters: the finer of two equally stable answers.
    if (to - from > best.to - best.from || (to - from === best.to - best.from && ladder[from].k > ladder[best.from].k)) best = { from, to };
    from = to + 1;
  }
  const lo = ladder[best.from].bandwidth;
  const hi = ladder[best.to].bandwidth;
  return { bandwidth: lo * (hi / lo) ** POSITION, k: ladder[best.from].k, range: [lo, hi], ladder };
}

/** The fewest points in the window of a cluster's mode: `MIN_SHARE` of the strongest window's, and at least 2 unless no window has more. */
export function minCount(intensity: Int32Array): number {
  let largest = 0;
  for (const c of intensity) if (c > largest) largest = c;
  return Math.max(Math.min(2, largest), Math.ceil(MIN_SHARE * largest));
}

/** Largest distance of a point from the points' mean. */
function radiusAroundMean({ data, n, d }: FlatPoints): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - mean[j]) ** 2;
    if (s > largest) largest = s;
  }
  return Math.sqrt(largest);
}
