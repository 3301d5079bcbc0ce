import { checkInteger, checkPositive } from '@streamvis/format';
import type { Floats } from './ndarray.js';

/**
 * Lays slices of a scatter out side by side: slice i along `dim` is shifted by
 * (i % numColumns, -floor(i / numColumns)) times the data's x/y extent times `paddingFactor`.
 */
export class GridSpec {
  readonly dim: number;
  readonly numColumns: number;
  readonly paddingFactor: number;

  constructor(dim: number, numColumns: number, paddingFactor = 1.2) {
    this.dim = checkInteger(dim, 'GridSpec(dim)', 0);
    this.numColumns = checkInteger(numColumns, 'GridSpec(numColumns)', 1);
    this.paddingFactor = checkPositive(paddingFactor, 'GridSpec(paddingFactor)');
  }
}

/** Shifts point i (in place) into the grid cell of its slice `slice[i]`; extents are those of the unshifted points. */
export function layOutOnGrid(spec: GridSpec, x: Floats, y: Floats, slice: Int32Array): void {
  const stepX = extent(x) * spec.paddingFactor;
  const stepY = extent(y) * spec.paddingFactor;
  const columns = spec.numColumns;
  for (let i = 0; i < x.length; i++) {
    x[i] += (slice[i] % columns) * stepX;
    y[i] -= Math.floor(slice[i] / columns) * stepY;
  }
}

function extent(values: Floats): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return values.length === 0 ? 0 : max - min;
}
