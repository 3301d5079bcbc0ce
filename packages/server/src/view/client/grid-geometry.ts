import type { GridCell } from '@streamvis/format';

/**
 * Where the grid's rows and columns are, measured once per resize. The page's CSS grid
 * repeats one track size for every row and one for every column, so a few numbers place
 * every cell: no element needs to be asked where it is.
 */
export interface GridGeometry {
  /** Top of the first row, in CSS pixels from the top of the document. */
  top: number;
  rows: number;
  rowHeight: number;
  columnWidth: number;
  rowGap: number;
  columnGap: number;
}

/** How many rows and columns the cells reach (at least one of each). */
export function gridExtent(cells: ReadonlyMap<string, GridCell>): { rows: number; columns: number } {
  let rows = 1;
  let columns = 1;
  for (const [top, left, height, width] of cells.values()) {
    rows = Math.max(rows, top + Math.max(1, height));
    columns = Math.max(columns, left + Math.max(1, width));
  }
  return { rows, columns };
}

/** The rows [first, last] that the band [top, bottom] (document pixels) touches; undefined when it misses the grid. */
export function rowsInBand(grid: GridGeometry, top: number, bottom: number): [number, number] | undefined {
  const pitch = grid.rowHeight + grid.rowGap;
  if (grid.rows === 0 || pitch <= 0 || bottom < grid.top) return undefined;
  const first = Math.max(0, Math.floor((top - grid.top) / pitch));
  const last = Math.min(grid.rows - 1, Math.floor((bottom - grid.top) / pitch));
  return first <= last ? [first, last] : undefined;
}

/** The size of a cell's box in CSS pixels, gaps between its spanned tracks included. */
export function cellSize(grid: GridGeometry, [, , height, width]: GridCell): { width: number; height: number } {
  const span = (count: number, track: number, gap: number) => Math.max(1, count) * (track + gap) - gap;
  return { width: span(width, grid.columnWidth, grid.columnGap), height: span(height, grid.rowHeight, grid.rowGap) };
}

/**
 * The cells sorted by their top row, so the cells that intersect a band of rows are found
 * by a binary search and a short scan, however many cells the grid has.
 */
export class CellIndex {
  private readonly names: string[];
  private readonly tops: Int32Array;
  private readonly bottoms: Int32Array;
  /** The most rows any cell spans: a cell starting that far above a band can still reach into it. */
  private readonly tallest: number;

  constructor(cells: ReadonlyMap<string, GridCell>) {
    const entries = [...cells].sort(([, a], [, b]) => a[0] - b[0]);
    this.names = entries.map(([name]) => name);
    this.tops = Int32Array.from(entries, ([, [top]]) => top);
    this.bottoms = Int32Array.from(entries, ([, [top, , height]]) => top + Math.max(1, height) - 1);
    this.tallest = entries.reduce((most, [, [, , height]]) => Math.max(most, height), 1);
  }

  /** The names of the cells that cover any of the rows first..last. */
  inRows(first: number, last: number): string[] {
    const found: string[] = [];
    for (let i = this.firstTopAtLeast(first - this.tallest + 1); i < this.tops.length && this.tops[i] <= last; i++) {
      if (this.bottoms[i] >= first) found.push(this.names[i]);
    }
    return found;
  }

  private firstTopAtLeast(row: number): number {
    let low = 0;
    let high = this.tops.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.tops[middle] < row) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
