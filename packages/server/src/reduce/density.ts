/**
 * A scatter too large to draw point by point, reduced to its density: the points counted
 * in the bins of a grid about the size of the plot's pixels, with the mean colour value
 * of each bin. One pass over the points and one over the bins, typed arrays only.
 */
import type { DensityAxis, DensityGrid } from '../protocol.js';

export interface DensityBins {
  /** Points per bin, `grid.x.bins * grid.y.bins` of them, row by row from the lowest y, each row from the lowest x. */
  counts: Float32Array;
  /** With colour values: the mean colour of each bin's points (NaN where none has a colour). */
  color?: Float32Array;
  /** Points counted (those inside the grid, with finite x and y). */
  binned: number;
}

/**
 * The memory a density is counted in, grown as needed and reused by every count made with
 * it: what binDensity returns are views of it, valid until its next use. A server counting
 * a density per page per change would otherwise make megabytes of garbage a second, which
 * V8 collects only after tens of megabytes (it waits on external memory), and the C heap
 * keeps the high-water mark.
 */
export class DensityWorkspace {
  private counts = new Float32Array(0);
  private sums = new Float64Array(0);
  private colored = new Uint32Array(0);
  private means = new Float32Array(0);

  /** Zeroed counts for `bins` bins, and with `color` the colour sums and counts too. */
  take(bins: number, color: boolean): { counts: Float32Array; sums?: Float64Array; colored?: Uint32Array; means?: Float32Array } {
    if (this.counts.length < bins) this.counts = new Float32Array(bins);
    const counts = this.counts.subarray(0, bins).fill(0);
    if (!color) return { counts };
    if (this.sums.length < bins) [this.sums, this.colored, this.means] = [new Float64Array(bins), new Uint32Array(bins), new Float32Array(bins)];
    return { counts, sums: this.sums.subarray(0, bins).fill(0), colored: this.colored.subarray(0, bins).fill(0), means: this.means.subarray(0, bins) };
  }
}

/**
 * Counts each point (x[i], y[i]) in its bin of `grid`. Bins split each axis's range
 * evenly (in log10 of the value on a log axis): bin k holds [edge k, edge k+1), the last
 * one its upper edge too. Points outside the grid, with a NaN coordinate, or not
 * positive on a log axis are skipped; a NaN colour counts the point but not its colour.
 * Counted in `workspace` (a new one by default): the bins returned are its memory.
 */
export function binDensity(x: Float64Array, y: Float64Array, color: Float64Array | undefined, grid: DensityGrid, workspace = new DensityWorkspace()): DensityBins {
  const columns = binOf(grid.x, 'grid.x');
  const rows = binOf(grid.y, 'grid.y');
  // Float32: what the frame carries (counts exact up to 2^24 points in one bin); the sums of colours add up in float64.
  const { counts, sums, colored, means } = workspace.take(grid.x.bins * grid.y.bins, color !== undefined);
  const width = grid.x.bins;
  let binned = 0;
  for (let i = 0; i < x.length; i++) {
    const column = columns(x[i]);
    const row = rows(y[i]);
    // NaN (skipped) fails both tests.
    if (!(column >= 0 && row >= 0)) continue;
    const bin = row * width + column;
    counts[bin]++;
    binned++;
    if (color && sums && colored) {
      const value = color[i];
      if (Number.isNaN(value)) continue;
      sums[bin] += value;
      colored[bin]++;
    }
  }
  if (!sums || !colored || !means) return { counts, binned };
  for (let bin = 0; bin < sums.length; bin++) means[bin] = colored[bin] > 0 ? sums[bin] / colored[bin] : NaN;
  return { counts, color: means, binned };
}

/**
 * The bins holding points, when they are fewer than half of them: their indices with
 * their counts (and mean colours), as ScatterDensity's `bins` sends them. A scatter of
 * thousands of points over a plot's hundred thousand bins is sent in a fraction of the
 * bytes. Undefined when the dense bins are as small.
 */
export function sparseBins({ counts, color }: DensityBins): { bins: Float32Array; counts: Float32Array; color?: Float32Array } | undefined {
  const held = heldBins(counts);
  if (2 * held >= counts.length) return undefined;
  // Float32 holds every bin index exactly (MAX_DENSITY_BINS is far below 2^24).
  const listed = { bins: new Float32Array(held), counts: new Float32Array(held), ...(color ? { color: new Float32Array(held) } : {}) };
  gatherHeld(counts, color, listed.bins, listed.counts, listed.color);
  return listed;
}

// One loop per function: V8 compiles a hot loop while it runs (on-stack replacement), and
// code after the loop that has not run yet then deoptimizes at every call (measured: 82
// times in 150 frames of a 10k-point scatter, when both loops were in sparseBins).

function heldBins(counts: Float32Array): number {
  let held = 0;
  for (let bin = 0; bin < counts.length; bin++) if (counts[bin] > 0) held++;
  return held;
}

function gatherHeld(counts: Float32Array, color: Float32Array | undefined, bins: Float32Array, heldCounts: Float32Array, heldColor: Float32Array | undefined): void {
  for (let bin = 0, k = 0; bin < counts.length; bin++) {
    if (!(counts[bin] > 0)) continue;
    bins[k] = bin;
    heldCounts[k] = counts[bin];
    if (heldColor && color) heldColor[k] = color[bin];
    k++;
  }
}

/** The bin of a value along `axis`, or -1 outside it (NaN for NaN). Throws on an axis that has no bins or an empty range. */
function binOf(axis: DensityAxis, name: string): (value: number) => number {
  const { bins, scale } = axis;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${name}.bins: expected a positive integer, got ${bins}`);
  const log = scale === 'log';
  const [low, high] = log ? axis.range.map(Math.log10) : axis.range;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new RangeError(`${name}.range: expected finite ends, low < high${log ? ' and both above 0 (log axis)' : ''}, got [${axis.range.join(', ')}]`);
  }
  const perUnit = bins / (high - low);
  const last = bins - 1;
  return (value) => {
    const at = log ? Math.log10(value) : value;
    if (at < low || at > high) return -1;
    // At the upper edge (or rounding onto it) the point is in the last bin.
    return Math.min(last, Math.floor((at - low) * perUnit));
  };
}

/** The smallest range holding every finite value (positive only, on a log axis); undefined when there is none. A single value gets a range of width 1 around it (a decade, on a log axis). */
export function extentOf(values: Float64Array, scale: DensityAxis['scale']): [number, number] | undefined {
  const log = scale === 'log';
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value) || (log && value <= 0)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) return undefined;
  if (low < high) return [low, high];
  return log ? [low / Math.sqrt(10), low * Math.sqrt(10)] : [low - 0.5, low + 0.5];
}
