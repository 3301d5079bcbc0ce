import { ArgumentError } from '../argument-error.js';
import { checkOptionsObject, describe } from '../checks.js';
import type { FieldNamer } from './field.js';

/** Grid cell of a plot on the page: [top, left, height, width] in grid units. */
export type GridCell = [top: number, left: number, height: number, width: number];

/** Options of a `layout` record: where each plot sits on the page's grid. */
export interface LayoutOptions {
  cells: Record<string, GridCell>;
}

export function parseLayoutOptions(opts: unknown, name: FieldNamer): LayoutOptions {
  return { cells: checkLayout(checkOptionsObject(opts, name()).cells, name('cells')) };
}

/** Checks a layout (plot -> [top, left, height, width] grid cells): whole cells, none overlapping. */
export function checkLayout(cells: unknown, where: string): Record<string, GridCell> {
  if (typeof cells !== 'object' || cells === null || Array.isArray(cells)) {
    throw new ArgumentError(`${where}: expected an object of plot -> [top, left, height, width], got ${describe(cells)}`);
  }
  const checked: Record<string, GridCell> = {};
  for (const [plot, cell] of Object.entries(cells)) {
    const valid =
      Array.isArray(cell) && cell.length === 4 && cell.every((n) => Number.isSafeInteger(n)) &&
      cell[0] >= 0 && cell[1] >= 0 && cell[2] >= 1 && cell[3] >= 1;
    if (!valid) {
      throw new ArgumentError(`${where}: plot '${plot}' needs [top, left, height, width] with top, left >= 0 and height, width >= 1, got ${describe(cell)}`);
    }
    const [top, left, height, width] = cell as number[];
    for (const [other, [t, l, h, w]] of Object.entries(checked)) {
      if (top < t + h && t < top + height && left < l + w && l < left + width) {
        throw new ArgumentError(`${where}: plots '${other}' and '${plot}' overlap`);
      }
    }
    checked[plot] = [top, left, height, width];
  }
  if (Object.keys(checked).length === 0) throw new ArgumentError(`${where}: the layout has no plots`);
  return checked;
}
