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
 * Counts each point (x[i], y[i]) in its bin of `grid`. Bins split each axis's range
 * evenly (in log10 of the value on a log axis): bin k holds [edge k, edge k+1), the last
 * one its upper edge too. Points outside the grid, with a NaN coordinate, or not
 * positive on a log axis are skipped; a NaN colour counts the point but not its colour.
 */
export function binDensity(x: Float64Array, y: Float64Array, color: Float64Array | undefined, grid: DensityGrid): DensityBins {
  const columns = binOf(grid.x, 'grid.x');
  const rows = binOf(grid.y, 'grid.y');
  // Float32: what the frame carries (counts exact up to 2^24 points in one bin); the sums of colours add up in float64.
  const counts = new Float32Array(grid.x.bins * grid.y.bins);
  const sums = color ? new Float64Array(counts.length) : undefined;
  const colored = color ? new Uint32Array(counts.length) : undefined;
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
  if (!sums || !colored) return { counts, binned };
  const means = new Float32Array(sums.length);
  for (let bin = 0; bin < sums.length; bin++) means[bin] = colored[bin] > 0 ? sums[bin] / colored[bin] : NaN;
  return { counts, color: means, binned };
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
