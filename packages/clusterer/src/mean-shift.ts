import type { ClusterAlgorithm, Fit, Written } from './algorithm.js';
import { estimateBandwidth, minCount } from './bandwidth.js';
import { KdTree } from './kd-tree.js';
import { labelWithin, seekModes, strongModes } from './mode-seeking.js';
import type { FlatPoints } from './points.js';

export interface MeanShiftOptions {
  /** Window radius. Default: estimated from the data (`estimateBandwidth`). */
  bandwidth?: number;
  /** Fewest points within the bandwidth of a mode for it to be a cluster. Default: 5 % of the strongest mode's (`MIN_SHARE`). */
  minClusterSize?: number;
  /** Cap on window moves per seed (default 300). */
  maxIterations?: number;
  /** Points of length 1 (cosine space): windows move over the sphere and modes are directions. */
  onSphere?: boolean;
}

export interface MeanShiftFit {
  /** The clusters' modes, k × d, strongest first. */
  modes: Float64Array;
  k: number;
  /** Points labelled with each mode. */
  counts: Int32Array;
  /** Per point, its mode's index, or -1 (noise) when every mode is farther than the bandwidth. */
  labels: Int32Array;
  bandwidth: number;
}

/**
 * Mean-shift clustering (Comaniciu & Meer 2002) with a flat kernel: modes
 * sought from binned seeds and merged within the bandwidth; modes too weak to
 * be a cluster dropped; each point labelled with its nearest mode within the
 * bandwidth, the rest -1. Deterministic: the same points give the same fit.
 */
export function meanShift(points: FlatPoints, options: MeanShiftOptions = {}): MeanShiftFit {
  const { n, d } = points;
  const maxIterations = options.maxIterations ?? 300;
  if (n === 0) return { modes: new Float64Array(0), k: 0, counts: new Int32Array(0), labels: new Int32Array(0), bandwidth: options.bandwidth ?? NaN };
  const onSphere = options.onSphere ?? false;
  const bandwidth = options.bandwidth ?? estimateBandwidth(points, onSphere).bandwidth;
  const found = seekModes(new KdTree(points), bandwidth, maxIterations, onSphere);
  const strong = strongModes(found, d, options.minClusterSize ?? minCount(found.intensity));
  const labels = new Int32Array(n);
  labelWithin(points, strong.modes, strong.k, bandwidth, labels);
  return withoutEmpty(strong.modes, strong.k, d, labels, bandwidth);
}

/** Drops modes no point was labelled with (all their points nearer another mode) and renumbers the labels. */
function withoutEmpty(modes: Float64Array, k: number, d: number, labels: Int32Array, bandwidth: number): MeanShiftFit {
  const counts = new Int32Array(k);
  for (const c of labels) if (c >= 0) counts[c]++;
  const renumber = new Int32Array(k).fill(-1);
  let kept = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    renumber[c] = kept;
    modes.copyWithin(kept * d, c * d, c * d + d);
    counts[kept++] = counts[c];
  }
  if (kept < k) for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) labels[i] = renumber[labels[i]];
  return { modes: modes.slice(0, kept * d), k: kept, counts: counts.slice(0, kept), labels, bandwidth };
}

/**
 * Share of the frame that must be new before an estimated bandwidth is
 * estimated again: the estimate costs a few dozen mean shifts of a sample,
 * and a frame that changed by less has the same scale.
 */
const REESTIMATE_SHARE = 0.1;

/**
 * Mean shift as the online clusterer drives it: each refit finds the modes of
 * the whole frame afresh (it is deterministic, so an unchanged frame gives
 * unchanged modes); an estimated bandwidth is kept until a tenth of the frame is new.
 */
export class MeanShift implements ClusterAlgorithm {
  private estimated: number | undefined;
  private newSinceEstimate = 0;
  private last: MeanShiftFit | undefined;

  constructor(private readonly options: MeanShiftOptions) {}

  /** The bandwidth of the last fit (given, or estimated from the frame). */
  get bandwidth(): number | undefined {
    return this.last?.bandwidth;
  }

  refit(frame: FlatPoints, written: Written): Fit {
    let bandwidth = this.options.bandwidth;
    if (bandwidth === undefined) {
      this.newSinceEstimate += written.count;
      if (this.estimated === undefined || this.newSinceEstimate >= REESTIMATE_SHARE * frame.n) {
        this.estimated = estimateBandwidth(frame, this.options.onSphere).bandwidth;
        this.newSinceEstimate = 0;
      }
      bandwidth = this.estimated;
    }
    this.last = meanShift(frame, { ...this.options, bandwidth });
    return { centers: this.last.modes, k: this.last.k, counts: this.last.counts };
  }

  /** The nearest mode within the bandwidth, -1 beyond it. */
  assign(points: FlatPoints): Int32Array {
    const labels = new Int32Array(points.n).fill(-1);
    if (this.last && this.last.k > 0) labelWithin(points, this.last.modes, this.last.k, this.last.bandwidth, labels);
    return labels;
  }
}
