/**
 * The pixels of a scatter's density (ScatterDensity): one RGBA pixel per bin, in the
 * bins' order (row 0 at the lowest y: Bokeh draws an image's first row at the bottom).
 * An empty bin is transparent; the more points a bin holds, the more opaque it is, on a
 * log scale so a lone point still shows beside a bin of thousands.
 */

/** Opacity of a bin of one point; the fullest bin is opaque. */
export const MIN_ALPHA = 0.3;

/** Colour of a bin whose points have no colour value (NaN): LinearColorMapper's default nan_color, gray. */
const NAN_COLOR = 0x808080ff;

/** A density's bins as a frame carries them: every bin's, or with `bins` only those of the bins it lists. */
export interface DensityValues {
  counts: ArrayLike<number>;
  color?: ArrayLike<number>;
  bins?: ArrayLike<number>;
}

/**
 * RGBA bytes (Uint32 per pixel, as ImageRGBA takes them) for a grid of `cells` bins.
 * Without `color` every bin has `plain`'s colour; with it, each bin's mean colour value (in
 * [0, 1]) picks its colour from `palette` as a LinearColorMapper from 0 to 1 does. Colours
 * are Bokeh's uint32 RGBA numbers (0xRRGGBBAA); their own alpha is replaced.
 */
export function densityPixels(cells: number, { counts, color, bins }: DensityValues, palette: readonly number[], plain: number): Uint32Array<ArrayBuffer> {
  const pixels = new Uint32Array(cells);
  const bytes = new Uint8Array(pixels.buffer);
  let fullest = 0;
  for (let bin = 0; bin < counts.length; bin++) fullest = Math.max(fullest, counts[bin]);
  const perLog = (1 - MIN_ALPHA) / Math.log(Math.max(fullest, 2));
  const last = palette.length - 1;
  for (let k = 0; k < counts.length; k++) {
    const count = counts[k];
    if (!(count > 0)) continue;
    const bin = bins ? bins[k] : k;
    const value = color?.[k];
    const rgba = value === undefined ? plain : Number.isNaN(value) ? NAN_COLOR : palette[Math.max(0, Math.min(last, Math.floor(value * palette.length)))];
    const at = 4 * bin;
    bytes[at] = rgba >>> 24;
    bytes[at + 1] = (rgba >>> 16) & 0xff;
    bytes[at + 2] = (rgba >>> 8) & 0xff;
    bytes[at + 3] = Math.round(255 * Math.min(1, MIN_ALPHA + perLog * Math.log(count)));
  }
  return pixels;
}
