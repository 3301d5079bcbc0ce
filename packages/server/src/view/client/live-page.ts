import type { LayoutEvent, PlotFrame, PlotInfo, VersionsEvent } from '../../protocol.js';
import { GridLayout } from './grid.js';
import { drawFrame, notice, type MountedPlot } from './mount.js';
import { PlotFeed } from './plot-feed.js';

interface ShownPlot {
  info: PlotInfo;
  feed: PlotFeed;
  mounted?: MountedPlot;
}

/**
 * The grid of live plots. A layout event adds, moves and removes cells without touching
 * the plots that stay (their zoom, legend and pickers are kept); each plot's feed fetches
 * and draws its newest frame whenever the server announces a newer version.
 */
export class LivePage {
  private readonly grid: GridLayout;
  private readonly plots = new Map<string, ShownPlot>();
  /** The change stream was (re)opened: the next layout event starts every plot afresh. */
  private reconnected = false;

  constructor(
    container: HTMLElement,
    private readonly runPath: string,
  ) {
    this.grid = new GridLayout(container);
  }

  /** The change stream opened; a layout event follows. */
  connected(): void {
    this.reconnected = true;
  }

  showLayout(event: LayoutEvent): void {
    // Every laid-out cell is shown: a plot without data yet gets a placeholder in its cell.
    const cells = new Map(Object.entries(event.layout));
    for (const plot of event.plots) cells.set(plot.name, plot.cell);
    const added = new Set(this.grid.set(cells));
    for (const name of added) this.grid.body(name)?.replaceChildren(notice(`${name}: waiting for data…`, 'notice placeholder'));

    const infos = new Map(event.plots.map((plot) => [plot.name, plot]));
    for (const [name, shown] of this.plots) {
      const info = infos.get(name);
      if (info && info.kind === shown.info.kind && info.opts.palette === shown.info.opts.palette) continue;
      this.remove(name);
    }
    for (const info of event.plots) {
      const shown = this.plots.get(info.name) ?? this.add(info);
      shown.info = info;
      if (this.reconnected) shown.feed.refresh();
      shown.feed.announce(info.version);
    }
    this.reconnected = false;
  }

  showVersions(event: VersionsEvent): void {
    for (const [name, version] of Object.entries(event.versions)) this.plots.get(name)?.feed.announce(version);
  }

  /** How long (ms) the oldest update not yet drawn has waited; 0 when every plot is current. */
  waitingFor(now = performance.now()): number {
    let oldest = now;
    for (const { feed } of this.plots.values()) oldest = Math.min(oldest, feed.waitingSince ?? now);
    return now - oldest;
  }

  private add(info: PlotInfo): ShownPlot {
    const name = info.name;
    const url = `${this.runPath}/plots/${encodeURIComponent(name)}/frame`;
    const width = () => this.grid.body(name)?.clientWidth || 800;
    const shown: ShownPlot = { info, feed: new PlotFeed(url, width, (frame) => this.draw(shown, frame)) };
    this.plots.set(name, shown);
    return shown;
  }

  private draw(shown: ShownPlot, frame: PlotFrame): void {
    const element = this.grid.body(frame.plot);
    if (!element) return;
    shown.mounted = drawFrame(shown.mounted, shown.info, frame, element, (range) => shown.feed.setRange(range));
    this.grid.setDetail(frame.plot, detailOf(frame));
  }

  private remove(name: string): void {
    const shown = this.plots.get(name);
    shown?.feed.close();
    shown?.mounted?.unmount();
    this.plots.delete(name);
  }
}

/** What a reduced frame leaves out, for the line under the plot. */
function detailOf(frame: PlotFrame): string {
  if (!frame.reduced) return '';
  const count = (n: number) => n.toLocaleString('en-US');
  if (frame.kind === 'multilines') return `${count(frame.rows)} points, drawn as ${count(frame.shown)} (min/max per pixel); zoom in for every point`;
  if (frame.kind === 'lines') return `${count(frame.rows)} steps, drawn as ${count(frame.shown)} points (min/max per pixel); zoom in for every step`;
  return `${count(frame.shown)} of ${count(frame.rows)} points shown (an even sample); zoom in for every point`;
}
