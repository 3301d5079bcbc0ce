import type { DeltaBatch, PlotDelta, PlotSnapshot, RunSnapshot } from '../../protocol.js';
import { DeltaQueue } from './delta-queue.js';
import { layoutGrid } from './grid.js';
import { mountPlot, type MountedPlot } from './mount.js';
import { fitsColumns } from './plots/plot-view.js';

/**
 * The grid of live plots. A snapshot with the same plots, cells and columns as shown
 * (a reconnect) only replaces their data, keeping the user's zoom; any other snapshot
 * rebuilds the page. Deltas are applied once per animation frame.
 */
export class LivePage {
  private plots = new Map<string, MountedPlot>();
  private shape = '';
  private readonly queue = new DeltaQueue((plot, deltas) => this.apply(plot, deltas));

  constructor(private readonly grid: HTMLElement) {}

  showSnapshot(snapshot: RunSnapshot): void {
    this.queue.clear();
    const shape = shapeOf(snapshot);
    if (shape === this.shape) {
      for (const plot of snapshot.plots) this.apply(plot.name, [replaceWith(plot)]);
      return;
    }
    for (const mounted of this.plots.values()) mounted.unmount();
    this.shape = shape;
    // Every laid-out cell is shown: a plot without data yet gets a placeholder in its cell.
    const cells = new Map(Object.entries(snapshot.layout));
    for (const plot of snapshot.plots) cells.set(plot.name, plot.cell);
    const elements = layoutGrid(this.grid, cells);
    this.plots = new Map(snapshot.plots.map((plot) => [plot.name, mountPlot(plot, elements.get(plot.name)!)]));
    for (const [name, element] of elements) if (!this.plots.has(name)) element.replaceChildren(waitingFor(name));
  }

  receive(batch: DeltaBatch): void {
    for (const delta of batch.deltas) this.queue.push(delta);
  }

  private apply(name: string, deltas: PlotDelta[]): void {
    const mounted = this.plots.get(name);
    // A delta for a plot not shown yet is followed by a snapshot that has it.
    if (!mounted?.view) return;
    const first = deltas[0];
    if (first.op === 'replace' && !fitsColumns(mounted.view, first.columns)) {
      // The plot's columns changed (a scatter gained or lost colour): draw it anew.
      mounted.unmount();
      const remounted = mountPlot({ ...mounted.plot, columns: first.columns }, mounted.element);
      this.plots.set(name, remounted);
      remounted.view?.update(deltas.slice(1));
      return;
    }
    mounted.view.update(deltas);
  }
}

function replaceWith(plot: PlotSnapshot): PlotDelta {
  return { plot: plot.name, op: 'replace', columns: plot.columns, rollover: plot.opts.rollover };
}

/** What must match for a snapshot to be shown without rebuilding the page. */
function shapeOf({ layout, plots }: RunSnapshot): string {
  return JSON.stringify([layout, plots.map((plot) => [plot.name, plot.kind, plot.cell, plot.opts.palette, Object.keys(plot.columns).sort()])]);
}

function waitingFor(plot: string): HTMLElement {
  const notice = document.createElement('p');
  notice.className = 'notice placeholder';
  notice.textContent = `${plot}: waiting for data…`;
  return notice;
}
