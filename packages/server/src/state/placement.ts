import type { GridCell } from '@streamvis/format';

/** Columns of the grid that plots without a layout cell are placed on. */
export const AUTO_COLUMNS = 2;

/**
 * Where each plot sits on the page: its cell from the latest `layout` record, or else
 * the next 1x1 cell of a 2-column grid in order of first use (below the layout's
 * cells, when there is a layout). Cells are worked out when a plot comes (one cell) or a
 * layout does (every cell), never when they are asked for: a run of 10,000 plots answers
 * each plot's cell at once.
 */
export class Placement {
  private layout: Record<string, GridCell> = Object.create(null) as Record<string, GridCell>;
  /** In order of first use; a plot cleared and written again keeps its place. */
  private readonly plots = new Set<string>();
  /** Every layout cell, then every other plot's automatic cell, in that order. */
  private readonly placed = new Map<string, GridCell>();
  /** The first grid row below the layout's cells, and how many plots sit on the automatic grid. */
  private firstFreeRow = 0;
  private autoPlaced = 0;

  setLayout(cells: Record<string, GridCell>): void {
    this.layout = Object.assign(Object.create(null) as Record<string, GridCell>, cells);
    this.placed.clear();
    this.firstFreeRow = 0;
    for (const [plot, cell] of Object.entries(this.layout)) {
      this.placed.set(plot, cell);
      this.firstFreeRow = Math.max(this.firstFreeRow, cell[0] + cell[2]);
    }
    this.autoPlaced = 0;
    for (const plot of this.plots) this.placeAutomatically(plot);
  }

  /** Notes a plot in order of first use. */
  add(plot: string): void {
    if (this.plots.has(plot)) return;
    this.plots.add(plot);
    this.placeAutomatically(plot);
  }

  cellOf(plot: string): GridCell | undefined {
    return this.placed.get(plot);
  }

  /**
   * The cell of every plot placed, plus every layout cell (a plot may be laid out before its
   * first data). Keyed by plot names: no prototype, so '__proto__' is a plot like any other.
   */
  cells(): Record<string, GridCell> {
    const cells = Object.create(null) as Record<string, GridCell>;
    for (const [plot, cell] of this.placed) cells[plot] = cell;
    return cells;
  }

  private placeAutomatically(plot: string): void {
    if (Object.hasOwn(this.layout, plot)) return;
    const next = this.autoPlaced++;
    this.placed.set(plot, [this.firstFreeRow + Math.floor(next / AUTO_COLUMNS), next % AUTO_COLUMNS, 1, 1]);
  }
}
