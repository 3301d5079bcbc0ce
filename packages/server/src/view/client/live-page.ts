import type { LayoutEvent, PlotFrame, PlotInfo, VersionsEvent } from '../../protocol.js';
import { GridLayout } from './grid.js';
import { drawFrame, notice, type MountedPlot } from './mount.js';
import { plotControls } from './plot-controls.js';
import { PlotFeed, sizeOf, type ViewRange } from './plot-feed.js';
import type { UrlState, ViewOptions } from './view-options.js';

interface ShownPlot {
  info: PlotInfo;
  feed: PlotFeed;
  view: ViewOptions;
  mounted?: MountedPlot;
  /** The frame drawn last: a new view (a log axis) is made from it at once. */
  frame?: PlotFrame;
}

/**
 * The grid of live plots. A layout event adds, moves and removes cells without touching
 * the plots that stay (their zoom, legend, pickers and controls are kept); each plot's
 * feed fetches and draws its newest frame whenever the server announces a newer version.
 * How the user looks at each plot (log y, smoothing, last N steps, full screen, linked x)
 * lives in the URL.
 */
export class LivePage {
  private readonly grid: GridLayout;
  private readonly plots = new Map<string, ShownPlot>();
  /** The change stream was (re)opened: the next layout event starts every plot afresh. */
  private reconnected = false;
  private paused = false;

  constructor(
    container: HTMLElement,
    private readonly runPath: string,
    private readonly url: UrlState,
  ) {
    this.grid = new GridLayout(container);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.url.full !== undefined) this.setFull(undefined);
    });
  }

  /** The change stream opened; a layout event follows. */
  connected(): void {
    this.reconnected = true;
  }

  showLayout(event: LayoutEvent): void {
    // Every laid-out cell is shown: a plot without data yet gets a placeholder in its cell.
    // A tab that names its own layout (?rows=, ?cols=) shows only its plots, where it says.
    const tab = this.url.tabLayout();
    const cells = tab?.cells ?? new Map(Object.entries(event.layout));
    if (!tab) for (const plot of event.plots) cells.set(plot.name, plot.cell);
    this.grid.setSize(tab?.width, tab?.rowHeight);
    const added = new Set(this.grid.set(cells));
    for (const name of added) this.grid.body(name)?.replaceChildren(notice(`${name}: waiting for data…`, 'notice placeholder'));

    const infos = new Map(event.plots.filter((plot) => cells.has(plot.name)).map((plot) => [plot.name, plot]));
    for (const [name, shown] of this.plots) {
      const info = infos.get(name);
      if (info && info.kind === shown.info.kind && info.opts.palette === shown.info.opts.palette) continue;
      this.remove(name);
    }
    for (const info of infos.values()) {
      const shown = this.plots.get(info.name) ?? this.add(info);
      shown.info = info;
      if (this.reconnected) shown.feed.refresh();
      shown.feed.announce(info.version);
    }
    this.reconnected = false;
    this.grid.setFull(this.url.full);
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

  /** Stops or resumes drawing updates; resuming draws every plot's newest state at once. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const { feed } of this.plots.values()) feed.setPaused(paused);
  }

  /** Updates announced while paused, over every plot. */
  get waitingUpdates(): number {
    let count = 0;
    for (const { feed } of this.plots.values()) count += feed.waitingUpdates;
    return count;
  }

  private add(info: PlotInfo): ShownPlot {
    const name = info.name;
    const path = `${this.runPath}/plots/${encodeURIComponent(name)}`;
    // x as the producer asked, y as the user shows it.
    const shape = () => ({ ...sizeOf(this.grid.body(name), { width: 800, height: 400 }), xScale: shown.info.opts.xScale, yScale: shown.view.logY ? 'log' as const : undefined });
    const shown: ShownPlot = { info, view: this.url.viewOf(name, info.opts.yScale === 'log'), feed: new PlotFeed(`${path}/frame`, shape, (frame) => this.draw(shown, frame)) };
    shown.feed.setPaused(this.paused);
    if (info.kind === 'lines') shown.feed.setLast(shown.view.last);
    this.plots.set(name, shown);
    this.grid.setControls(name, plotControls({
      kind: info.kind,
      view: () => shown.view,
      setView: (view) => this.setView(shown, view),
      toggleFull: () => this.setFull(this.url.full === name ? undefined : name),
      csvUrl: `${this.runPath}/plots/${encodeURIComponent(`${name}.csv`)}`,
      jsonUrl: path,
    }));
    return shown;
  }

  private draw(shown: ShownPlot, frame: PlotFrame): void {
    const element = this.grid.body(frame.plot);
    if (!element) return;
    shown.frame = frame;
    shown.mounted = drawFrame(shown.mounted, shown.info, frame, element, (range) => this.zoomed(shown, range), shown.view);
    this.grid.setDetail(frame.plot, detailOf(frame));
  }

  private setView(shown: ShownPlot, view: ViewOptions): void {
    shown.view = view;
    this.url.setView(shown.info.name, view, shown.info.opts.yScale === 'log');
    if (shown.info.kind === 'lines') shown.feed.setLast(view.last);
    shown.feed.reshaped();
    if (!shown.mounted || shown.mounted.view.configure?.(view)) return;
    // Only a new view can show it (a log axis): made from the frame drawn last.
    shown.mounted.unmount();
    shown.mounted = undefined;
    if (shown.frame) this.draw(shown, shown.frame);
  }

  private setFull(name: string | undefined): void {
    this.url.full = name;
    this.grid.setFull(name);
  }

  /** A settled pan or zoom: the plot asks for that range; with linked x, so do the other lines plots. */
  private zoomed(shown: ShownPlot, range: ViewRange): void {
    shown.feed.setRange(range);
    if (!this.url.linkX || shown.info.kind !== 'lines') return;
    for (const other of this.plots.values()) {
      if (other === shown || other.info.kind !== 'lines') continue;
      other.feed.setRange(range.x ? { x: range.x } : {});
      const xRange = other.mounted?.view.figure.x_range;
      if (!xRange) continue;
      if (range.x) {
        xRange.have_updated_interactively = true;
        xRange.setv({ start: range.x[0], end: range.x[1] });
      } else {
        xRange.reset();
      }
    }
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
  const points = frame.shown === frame.rows ? `${count(frame.rows)} points` : `${count(frame.shown)} of ${count(frame.rows)} points in this range`;
  return `${points}, drawn as their density; zoom in for every point`;
}
