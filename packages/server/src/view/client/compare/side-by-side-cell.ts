import type { PlotInfo, PlotKind } from '../../../protocol.js';
import { drawFrame, notice, type MountedPlot } from '../mount.js';
import { sizeOf, type PlotShape } from '../plot-feed.js';
import { FeedCell, RunFeeds } from './compare-cell.js';
import type { RunColors } from './run-colors.js';

interface Panel {
  element: HTMLElement;
  body: HTMLElement;
  info: PlotInfo;
  mounted?: MountedPlot;
}

/**
 * A plot of several runs side by side (scatter, bubbles, multilines: one figure would mix
 * their points): one panel per run, framed in the run's colour and titled with its name,
 * each a plot of its own with its own zoom.
 */
export class SideBySideCell extends FeedCell {
  private readonly panels = new Map<string, Panel>();
  protected readonly feeds: RunFeeds;

  constructor(
    readonly kind: PlotKind,
    plot: string,
    private readonly element: HTMLElement,
    private readonly colors: RunColors,
  ) {
    super();
    element.replaceChildren();
    element.classList.add('side-by-side');
    // A panel draws y linear (the page's plain view), x as its producer asked.
    const shape = (run: string): PlotShape => {
      const panel = this.panels.get(run);
      return { ...sizeOf(panel?.body, { width: 400, height: 300 }), xScale: panel?.info.opts.xScale };
    };
    this.feeds = new RunFeeds(plot, shape, (run, frame) => {
      const panel = this.panels.get(run);
      if (!panel) return;
      panel.mounted = drawFrame(panel.mounted, panel.info, frame, panel.body, (range) => this.feeds.get(run)?.setRange(range));
    }, (run) => {
      const panel = this.panels.get(run);
      panel?.mounted?.unmount();
      panel?.element.remove();
      this.panels.delete(run);
    });
  }

  setRuns(infos: ReadonlyMap<string, PlotInfo>): void {
    for (const [run, info] of infos) {
      const panel = this.panels.get(run);
      // The figure's title names the run: the panels of one cell differ only by it.
      const titled = { ...info, name: `${info.name} · ${run}`, opts: { ...info.opts, title: `${info.opts.title ?? info.name} · ${run}` } };
      if (panel) panel.info = titled;
      else this.panels.set(run, this.newPanel(run, titled));
    }
    this.feeds.set(infos.keys());
    // Panels in the order the runs were chosen.
    this.element.replaceChildren(...[...infos.keys()].map((run) => this.panels.get(run)!.element));
  }

  close(): void {
    this.feeds.close();
    this.element.classList.remove('side-by-side');
    this.element.replaceChildren();
  }

  private newPanel(run: string, info: PlotInfo): Panel {
    const element = document.createElement('div');
    element.className = 'run-panel';
    element.dataset.run = run;
    element.style.borderTopColor = this.colors.cssOf(run);
    const body = document.createElement('div');
    body.className = 'run-panel-body';
    body.append(notice(`${run}: waiting for data…`, 'notice placeholder'));
    element.append(body);
    return { element, body, info };
  }
}
