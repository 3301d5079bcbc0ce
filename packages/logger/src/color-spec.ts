import { checkInteger } from '@streamvis/format';
import type { Floats } from './ndarray.js';
import { checkPalette } from '@streamvis/format';

/**
 * Colours a scatter's points, or multiLines' lines, from a Bokeh palette. Without `dim`, the
 * spatial axis holds x, y and a colour value in [0, 1]; with `dim = k`, every slice along axis
 * k gets its own colour (for multiLines, k is one of `lineDims`: a line is drawn in one colour).
 */
export class ColorSpec {
  readonly palette: string;
  readonly dim?: number;

  constructor(palette: string, dim?: number) {
    this.palette = checkPalette(palette, 'ColorSpec(palette)');
    if (dim !== undefined) this.dim = checkInteger(dim, 'ColorSpec(dim)', 0);
  }
}

/** Colour value of each point from its slice index along an axis of `size` slices: index / (size - 1), 0 when size is 1. */
export function colorBySlice(slice: Int32Array, size: number, out: Floats): void {
  const scale = size > 1 ? 1 / (size - 1) : 0;
  for (let i = 0; i < slice.length; i++) out[i] = slice[i] * scale;
}
