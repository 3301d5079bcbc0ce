import type { GridCell } from '@streamvis/format';

/** Columns of the grid that plots without a layout cell are placed on. */
export const AUTO_COLUMNS = 2;

/**
 * Where each plot sits on the page: its cell from the latest `layout` record, or else
 * the next 1x1 cell of a 2-column grid in order of first use (below the layout's
 * cells, when there is a layout).
 */
export class Placement {
  private layout: Record<string, GridCell> = Object.create(null) as Record<string, GridCell>;
  /** In order of first use; a plot cleared and written again keeps its place. */
  private readonly plots = new Set<string>();

  setLayout(cells: Record<string, GridCell>): void {
    this.layout = Object.assign(Object.create(null) as Record<string, GridCell>, cells);
  }

  /** Notes a plot in order of first use. */
  add(plot: string): void {
    this.plots.add(plot);
  }

  /**
   * The cell of every plot placed, plus every layout cell (a plot may be laid out before its
   * first data). Keyed by plot names: no prototype, so '__proto__' is a plot like any other.
   */
  cells(): Record<string, GridCell> {
    const cells = Object.assign(Object.create(null) as Record<string, GridCell>, this.layout);
    const firstFreeRow = Object.values(this.layout).reduce((rows, [top, , height]) => Math.max(rows, top + height), 0);
    let next = 0;
    for (const plot of this.plots) {
      if (Object.hasOwn(cells, plot)) continue;
      cells[plot] = [firstFreeRow + Math.floor(next / AUTO_COLUMNS), next % AUTO_COLUMNS, 1, 1];
      next++;
    }
    return cells;
  }
}
