import { describe, expect, it } from 'vitest';
import { densityPixels, MIN_ALPHA } from './density-image.js';

/** Pixel `i` as [r, g, b, a] bytes. */
const rgba = (pixels: Uint32Array, i: number) => Array.from(new Uint8Array(pixels.buffer, 4 * i, 4));
const BLUE = 0x1f77b4ff;
const PALETTE = [0x000000ff, 0xff0000ff, 0x00ff00ff, 0x0000ffff];

describe('densityPixels', () => {
  it('leaves empty bins transparent and makes fuller bins more opaque, on a log scale', () => {
    const pixels = densityPixels(4, { counts: Float64Array.from([0, 1, 10, 100]) }, PALETTE, BLUE);
    expect(rgba(pixels, 0)).toEqual([0, 0, 0, 0]);
    expect(rgba(pixels, 1)).toEqual([0x1f, 0x77, 0xb4, Math.round(255 * MIN_ALPHA)]);
    // log10: 10 is half way from 1 to 100.
    expect(rgba(pixels, 2)[3]).toBe(Math.round(255 * (MIN_ALPHA + (1 - MIN_ALPHA) / 2)));
    expect(rgba(pixels, 3)).toEqual([0x1f, 0x77, 0xb4, 255]);
  });

  it('colours each bin by its mean colour value through the palette, as a LinearColorMapper from 0 to 1', () => {
    const counts = Float64Array.from([5, 5, 5, 5, 5, 5]);
    const pixels = densityPixels(6, { counts, color: Float64Array.from([0, 0.3, 0.5, 1, 7, NaN]) }, PALETTE, BLUE);
    expect([0, 1, 2, 3, 4].map((i) => rgba(pixels, i).slice(0, 3))).toEqual([[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 0, 255]]);
    // A bin whose points have no colour value is gray, as the markers' nan_color.
    expect(rgba(pixels, 5)).toEqual([0x80, 0x80, 0x80, 255]);
  });

  it('draws the same image from the bins holding points, listed, as from every bin', () => {
    const every = densityPixels(6, { counts: Float64Array.from([0, 3, 0, 0, 1, 0]), color: Float64Array.from([NaN, 0.5, NaN, NaN, 1, NaN]) }, PALETTE, BLUE);
    const listed = densityPixels(6, { bins: Float32Array.of(1, 4), counts: Float32Array.of(3, 1), color: Float32Array.of(0.5, 1) }, PALETTE, BLUE);
    expect(Array.from(listed)).toEqual(Array.from(every));
    expect(rgba(listed, 4).slice(0, 3)).toEqual([0, 0, 255]);
  });
});
