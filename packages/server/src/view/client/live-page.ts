import type { LayoutEvent, PlotFrame, PlotInfo, VersionsEvent } from '../../protocol.js';
import { restoreFigureState, saveFigureState, type FigureState } from './figure-state.js';
import { GridLayout } from './grid.js';
import { drawFrame, type MountedPlot } from './mount.js';
import { plotControls } from './plot-controls.js';
import { PlotFeed, sizeOf, type ViewRange } from './plot-feed.js';
import type { UrlState, ViewOptions } from './view-options.js';
import { VisibleWindow } from './visible-window.js';

/** The size asked for a plot before the grid is measured. */
const FALLBACK_SIZE = { width: 800, height: 400 };

interface ShownPlot {
  info: PlotInfo;
  feed: PlotFeed;
  view: ViewOptions;
  mounted?: MountedPlot;
  /** The frame drawn last: a new view (a log axis) is made from it at once. */
  frame?: PlotFrame;
  /** The user's zoom and hidden lines while the plot is off screen and its figure released. */
  saved?: FigureState;
}

/**
 * The grid of live plots. A layout event adds, moves and removes cells without touching
 * the plots that stay (their zoom, legend, pickers and controls are kept); each plot's
 * feed fetches and draws its newest frame whenever the server announces a newer version.
 * How the user looks at each plot (log y, smoothing, last N steps, full screen, linked x)
 * lives in the URL. Only plots near the viewport have a figure: one that scrolls away
 * releases it and stops fetching, and is drawn again, as the user left it, when it is
 * scrolled back.
 */
export class LivePage {
  private readonly grid: GridLayout;
  private readonly window: VisibleWindow;
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
    this.window = new VisibleWindow(container, (entered, left) => {
      for (const name of left) {
        this.release(name);
        this.grid.attach(name, false);
      }
      for (const name of entered) {
        this.grid.attach(name, true);
        const shown = this.plots.get(name);
        if (shown) this.enter(shown);
      }
    });
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
    this.grid.set(cells);

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
    this.window.setCells(cells);
    this.grid.setFull(this.url.full);
    this.window.pin(this.url.full);
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
    // x as the producer asked, y as the user shows it.
    const shape = () => ({ ...this.plotSize(name), xScale: shown.info.opts.xScale, yScale: shown.view.logY ? 'log' as const : undefined });
    const shown: ShownPlot = { info, view: this.url.viewOf(name, info.opts.yScale === 'log'), feed: new PlotFeed(`${this.plotPath(name)}/frame`, shape, (frame) => this.draw(shown, frame)) };
    shown.feed.setOnScreen(false);
    shown.feed.setPaused(this.paused);
    if (info.kind === 'lines') shown.feed.setLast(shown.view.last);
    this.plots.set(name, shown);
    if (this.window.has(name)) this.enter(shown);
    return shown;
  }

  /** Plot `shown` came into the window: it gets its controls, and its feed draws it. */
  private enter(shown: ShownPlot): void {
    const name = shown.info.name;
    this.grid.setControls(name, plotControls({
      kind: shown.info.kind,
      view: () => shown.view,
      setView: (view) => this.setView(shown, view),
      toggleFull: () => this.setFull(this.url.full === name ? undefined : name),
      csvUrl: this.plotPath(`${name}.csv`),
      jsonUrl: this.plotPath(name),
    }));
    shown.feed.setOnScreen(true);
  }

  /** The API path of a plot (`name`, or `name.csv` for its CSV). */
  private plotPath(name: string): string {
    return `${this.runPath}/plots/${encodeURIComponent(name)}`;
  }

  /** The size of plot `name`'s drawing area: from the grid's geometry, but read from the page when it fills it. */
  private plotSize(name: string): { width: number; height: number } {
    const cell = this.window.cellSize(name);
    const chrome = this.grid.chromeOf(name);
    if (this.url.full === name || !cell || !chrome) return sizeOf(this.grid.body(name), FALLBACK_SIZE);
    return { width: cell.width - chrome.width, height: cell.height - chrome.height };
  }

  /** Draws `frame`; while a new figure mounts, the promise it returns is pending. */
  private draw(shown: ShownPlot, frame: PlotFrame): Promise<void> | undefined {
    const element = this.grid.body(frame.plot);
    if (!element) return undefined;
    shown.frame = frame;
    const before = shown.mounted;
    shown.mounted = drawFrame(before, shown.info, frame, element, (range) => this.zoomed(shown, range), shown.view);
    this.grid.setDetail(frame.plot, detailOf(frame));
    if (shown.mounted === before) return undefined;
    if (shown.saved) restoreFigureState(shown.mounted.view.figure, shown.saved);
    shown.saved = undefined;
    return shown.mounted.ready;
  }

  /** Plot `name` left the window: its figure, frame and controls go, what the user did to it is kept. */
  private release(name: string): void {
    const shown = this.plots.get(name);
    if (!shown) return;
    shown.feed.setOnScreen(false);
    this.grid.setControls(name, undefined);
    if (!shown.mounted) return;
    shown.saved = saveFigureState(shown.mounted.view.figure);
    shown.mounted.unmount();
    shown.mounted = undefined;
    shown.frame = undefined;
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
    if (shown.frame) void this.draw(shown, shown.frame);
  }

  private setFull(name: string | undefined): void {
    this.url.full = name;
    this.grid.setFull(name);
    this.window.pin(name);
  }

  /** A settled pan or zoom: the plot asks for that range; with linked x, so do the other lines plots. */
  private zoomed(shown: ShownPlot, range: ViewRange): void {
    shown.feed.setRange(range);
    if (!this.url.linkX || shown.info.kind !== 'lines') return;
    for (const other of this.plots.values()) {
      if (other === shown || other.info.kind !== 'lines') continue;
      other.feed.setRange(range.x ? { x: range.x } : {});
      const xRange = other.mounted?.view.figure.x_range;
      if (!xRange) {
        // Off screen: it comes back at this range.
        const { x: _, ...kept } = other.saved ?? { hiddenEntries: [] };
        other.saved = range.x ? { ...kept, x: range.x } : kept;
        continue;
      }
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
