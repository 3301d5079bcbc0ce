import type { PlotInfo } from '../../../protocol.js';
import { bokeh } from '../bokeh.js';
import { disposeFigure, followZoom, notice } from '../mount.js';
import { wheelZoomOnClick } from '../plots/figure.js';
import { LinesOverlay } from '../plots/lines-overlay.js';
import { sizeOf, type ViewRange } from '../plot-feed.js';
import { FeedCell, RunFeeds } from './compare-cell.js';
import type { RunColors } from './run-colors.js';

/**
 * A lines plot of several runs drawn in one figure, each run in its colour. A zoom asks
 * every run's frame for the range shown, so each line is at full detail there.
 */
export class OverlayCell extends FeedCell {
  readonly kind = 'lines' as const;
  private readonly overlay: LinesOverlay;
  protected readonly feeds: RunFeeds;
  private range: ViewRange = {};
  /** Each run's line names, as its producer gave them. */
  private readonly names = new Map<string, readonly string[]>();

  constructor(
    plot: PlotInfo,
    private readonly element: HTMLElement,
    colors: RunColors,
  ) {
    super();
    this.overlay = new LinesOverlay(plot);
    this.feeds = new RunFeeds(plot.name, () => ({ ...sizeOf(element, { width: 800, height: 400 }), xScale: plot.opts.xScale }), (run, frame) => {
      if (frame.kind === 'lines') this.overlay.show(run, colors.colorOf(run), frame, this.names.get(run));
    }, (run) => this.overlay.remove(run));
    element.replaceChildren();
    followZoom(this.overlay.figure, 'x', (range) => {
      this.range = range;
      for (const feed of this.feeds.all()) feed.setRange(range);
    });
    wheelZoomOnClick(this.overlay.figure, element);
    bokeh.Plotting.show(this.overlay.figure, element).catch((error: unknown) => {
      console.error(`streamvis: cannot draw plot '${plot.name}'`, error);
      element.replaceChildren(notice(`Cannot draw plot '${plot.name}': ${String(error)}`));
    });
  }

  setRuns(infos: ReadonlyMap<string, PlotInfo>): void {
    for (const [run, info] of infos) if (info.opts.names) this.names.set(run, info.opts.names);
    for (const run of this.feeds.set(infos.keys())) this.feeds.get(run)?.setRange(this.range);
  }

  close(): void {
    this.feeds.close();
    disposeFigure(this.overlay.figure);
    this.element.replaceChildren();
  }
}
