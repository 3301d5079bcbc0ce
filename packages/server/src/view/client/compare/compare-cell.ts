import type { PlotFrame, PlotInfo, PlotKind } from '../../../protocol.js';
import { PlotFeed, type PlotShape } from '../plot-feed.js';

/** One plot of the compare page, shown for every chosen run that has it. */
export interface CompareCell {
  readonly kind: PlotKind;
  /** The chosen runs that have this plot, with its info in each, in the order chosen. */
  setRuns(infos: ReadonlyMap<string, PlotInfo>): void;
  announce(run: string, version: number): void;
  /** Fetches every run's frame again (after a reconnect: versions may count anew). */
  refresh(): void;
  /** When the oldest update not yet drawn was announced, or undefined. */
  waitingSince(): number | undefined;
  close(): void;
}

/** What every cell does through its feeds: a cell kind only says how it draws and removes a run. */
export abstract class FeedCell implements CompareCell {
  abstract readonly kind: PlotKind;
  protected abstract readonly feeds: RunFeeds;
  abstract setRuns(infos: ReadonlyMap<string, PlotInfo>): void;
  abstract close(): void;

  announce(run: string, version: number): void {
    this.feeds.get(run)?.announce(version);
  }

  refresh(): void {
    for (const feed of this.feeds.all()) feed.refresh();
  }

  waitingSince(): number | undefined {
    return this.feeds.waitingSince();
  }
}

/**
 * The feeds of one plot, one per run: added and closed as runs are chosen and unchosen.
 * `open` makes a run's feed and whatever draws it; `closed` is told when a run goes.
 */
export class RunFeeds {
  private readonly feeds = new Map<string, PlotFeed>();

  constructor(
    private readonly plot: string,
    private readonly shape: (run: string) => PlotShape,
    private readonly draw: (run: string, frame: PlotFrame) => void,
    private readonly closed: (run: string) => void,
  ) {}

  /** Keeps a feed for exactly these runs; returns the runs added. */
  set(runs: Iterable<string>): string[] {
    const wanted = new Set(runs);
    for (const [run, feed] of this.feeds) {
      if (wanted.has(run)) continue;
      feed.close();
      this.feeds.delete(run);
      this.closed(run);
    }
    const added: string[] = [];
    for (const run of wanted) {
      if (this.feeds.has(run)) continue;
      const url = `/api/runs/${encodeURIComponent(run)}/plots/${encodeURIComponent(this.plot)}/frame`;
      this.feeds.set(run, new PlotFeed(url, () => this.shape(run), (frame) => this.draw(run, frame)));
      added.push(run);
    }
    return added;
  }

  get(run: string): PlotFeed | undefined {
    return this.feeds.get(run);
  }

  all(): IterableIterator<PlotFeed> {
    return this.feeds.values();
  }

  waitingSince(): number | undefined {
    let oldest: number | undefined;
    for (const feed of this.feeds.values()) if (feed.waitingSince !== undefined) oldest = Math.min(oldest ?? Infinity, feed.waitingSince);
    return oldest;
  }

  close(): void {
    this.set([]);
  }
}
