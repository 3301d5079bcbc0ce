import { bokeh } from '../bokeh.js';

/** Palettes with at most this many colours are categorical: lines cycle through them. */
const MAX_CATEGORICAL = 20;

/**
 * Bokeh's palette of that name (uint32 RGBA colours), or the fallback when the name is
 * absent or unknown: a bad name from a producer must not break the page.
 */
export function paletteNamed(name: string | undefined, fallback: string): number[] {
  const palettes = bokeh.Palettes as unknown as Record<string, unknown>;
  const found = name === undefined ? undefined : palettes[name];
  if (Array.isArray(found) && found.length > 0) return found as number[];
  if (name !== undefined) console.warn(`streamvis: unknown palette '${name}', using ${fallback}`);
  return palettes[fallback] as number[];
}

/**
 * One colour per line: a categorical palette is cycled; a continuous one (Viridis256, ...)
 * is sampled evenly from end to end so neighbouring lines stay distinguishable.
 */
export function lineColors(palette: readonly number[], count: number): number[] {
  if (palette.length <= MAX_CATEGORICAL) return Array.from({ length: count }, (_, i) => palette[i % palette.length]);
  const last = palette.length - 1;
  return Array.from({ length: count }, (_, i) => palette[count === 1 ? 0 : Math.round((i * last) / (count - 1))]);
}
