import { bokeh } from '../bokeh.js';

/**
 * One colour per run, the same in the run list, the legends and every plot: runs take
 * Category10's colours in the order the page first hears of them (the server lists runs by
 * name), so a run keeps its colour while runs are picked and unpicked.
 */
export class RunColors {
  private readonly palette = bokeh.Palettes.Category10_10 as readonly number[];
  private readonly order = new Map<string, number>();

  /** Notes the server's run order; runs already known keep their place. */
  know(runs: readonly string[]): void {
    for (const run of runs) if (!this.order.has(run)) this.order.set(run, this.order.size);
  }

  /** A Bokeh uint32 RGBA colour. */
  colorOf(run: string): number {
    if (!this.order.has(run)) this.know([run]);
    return this.palette[this.order.get(run)! % this.palette.length];
  }

  /** The same colour as CSS. */
  cssOf(run: string): string {
    return `#${(this.colorOf(run) >>> 8).toString(16).padStart(6, '0')}`;
  }
}
