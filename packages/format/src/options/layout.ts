import { ArgumentError } from '../argument-error.js';
import { checkOptionsObject, checkRecordName, describe } from '../checks.js';
import { MAX_PLOTS_PER_RUN } from '../limits.js';
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

/**
 * Checks a layout (plot -> [top, left, height, width] grid cells): at most
 * MAX_PLOTS_PER_RUN plots, whole cells, none overlapping. The result has no prototype, so
 * a plot named '__proto__' is a plot like any other.
 */
export function checkLayout(cells: unknown, where: string): Record<string, GridCell> {
  if (typeof cells !== 'object' || cells === null || Array.isArray(cells)) {
    throw new ArgumentError(`${where}: expected an object of plot -> [top, left, height, width], got ${describe(cells)}`);
  }
  const entries = Object.entries(cells);
  if (entries.length === 0) throw new ArgumentError(`${where}: the layout has no plots`);
  if (entries.length > MAX_PLOTS_PER_RUN) throw new ArgumentError(`${where}: expected at most ${MAX_PLOTS_PER_RUN} plots, got ${entries.length}`);
  const checked = Object.create(null) as Record<string, GridCell>;
  for (const [plot, cell] of entries) {
    checkRecordName(plot, `${where}: plot name`);
    const valid =
      Array.isArray(cell) && cell.length === 4 && cell.every((n) => Number.isSafeInteger(n)) &&
      cell[0] >= 0 && cell[1] >= 0 && cell[2] >= 1 && cell[3] >= 1;
    if (!valid) {
      throw new ArgumentError(`${where}: plot '${plot}' needs [top, left, height, width] with top, left >= 0 and height, width >= 1, got ${describe(cell)}`);
    }
    checked[plot] = [cell[0], cell[1], cell[2], cell[3]];
  }
  const overlap = firstOverlap(entries.map(([plot]) => [plot, checked[plot]]));
  if (overlap) throw new ArgumentError(`${where}: plots '${overlap[0]}' and '${overlap[1]}' overlap`);
  return checked;
}

/**
 * Two plots whose cells overlap, if any. Cells sorted by top are compared only with those
 * starting above their bottom, so a grid of R rows costs about cells x cells / R.
 */
function firstOverlap(cells: [string, GridCell][]): [string, string] | undefined {
  const byTop = [...cells].sort((a, b) => a[1][0] - b[1][0]);
  for (let i = 0; i < byTop.length; i++) {
    const [top, left, height, width] = byTop[i][1];
    for (let j = i + 1; j < byTop.length && byTop[j][1][0] < top + height; j++) {
      const [, l, , w] = byTop[j][1];
      if (l < left + width && left < l + w) return [byTop[i][0], byTop[j][0]];
    }
  }
  return undefined;
}
