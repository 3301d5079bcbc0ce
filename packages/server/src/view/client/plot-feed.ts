import type { AxisScale, PlotFrame } from '../../protocol.js';
import { decodeFrame } from '../../live/frame-codec.js';
import { drawQueue } from './draw-queue.js';

/** The ranges the user zoomed to; absent axes are shown whole. */
export interface ViewRange {
  x?: [number, number];
  y?: [number, number];
}

/** How a plot is shown: its size on the page in CSS pixels, and how its axes map data (absent: linear). */
export interface PlotShape {
  width: number;
  height: number;
  xScale?: AxisScale;
  yScale?: AxisScale;
}

/** The size of `element`, or `fallback` while it has none (not laid out yet). */
export function sizeOf(element: HTMLElement | undefined, fallback: PlotShape): PlotShape {
  return { width: element?.clientWidth || fallback.width, height: element?.clientHeight || fallback.height };
}

/**
 * Keeps one plot on the page at its newest state without ever queueing: the server
 * announces versions, and the feed fetches the plot's frame only when it has none in
 * flight, then draws it through the page's draw queue. Versions that arrive meanwhile are
 * folded into the next fetch, so the page shows the newest data at its own pace however
 * fast the producer is. A feed off screen only notes the versions announced.
 */
export class PlotFeed {
  private announced = 0;
  private shown = -1;
  private shownQuery = '';
  private inFlight = false;
  private range: ViewRange = {};
  private last: number | undefined;
  private closed = false;
  private paused = false;
  private onScreen = true;
  /** Bumped whenever a fetch or draw under way is dropped: what it brings back is then thrown away. */
  private generation = 0;
  private request: AbortController | undefined;
  private cancelDraw: (() => void) | undefined;
  /** Versions announced while paused (each a change the page has not drawn yet). */
  private heldBack = 0;
  /** When the oldest version not yet drawn was announced (performance.now()), or undefined when up to date. */
  waitingSince: number | undefined;

  constructor(
    private readonly url: string,
    private readonly shape: () => PlotShape,
    /** Draws the frame; a promise while the draw goes on (a figure mounting). */
    private readonly draw: (frame: PlotFrame) => void | Promise<void>,
  ) {}

  announce(version: number): void {
    if (version <= this.announced) return;
    this.announced = version;
    if (this.paused) this.heldBack++;
    else if (this.onScreen) this.waitingSince ??= performance.now();
    this.pump();
  }

  /** Lines: follow the last `last` steps (undefined: the range asked by setRange). */
  setLast(last: number | undefined): void {
    this.last = last;
    this.pump();
  }

  /**
   * While paused a plot keeps what it shows (one that shows nothing yet, as one scrolled
   * into view, is drawn once); on resume the newest frame is drawn, at once.
   */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.heldBack = 0;
    if (!paused && this.onScreen && this.announced > this.shown) this.waitingSince ??= performance.now();
    this.pump();
  }

  /**
   * Off screen the plot's figure is released: the feed stops fetching and drawing and only
   * notes the versions announced. Back on screen it fetches the newest frame once.
   */
  setOnScreen(onScreen: boolean): void {
    if (onScreen === this.onScreen) return;
    this.onScreen = onScreen;
    if (onScreen) {
      this.waitingSince ??= performance.now();
    } else {
      this.drop();
      this.shown = -1;
      this.shownQuery = '';
      this.waitingSince = undefined;
    }
    this.pump();
  }

  /** Changes announced while paused. */
  get waitingUpdates(): number {
    return this.heldBack;
  }

  /** Asks for the plot as the user now sees it. */
  setRange(range: ViewRange): void {
    this.range = range;
    this.pump();
  }

  /** The plot's shape changed (an axis turned log: a scatter's density is binned evenly on screen): asks for it so. */
  reshaped(): void {
    this.pump();
  }

  /**
   * Forgets the versions seen and fetches again (after a reconnect): the server may be a
   * new one whose versions count from the start again.
   */
  refresh(): void {
    this.announced = 0;
    this.shown = -1;
    this.shownQuery = '';
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private query(): string {
    const shape = this.shape();
    const params = new URLSearchParams({ width: String(Math.max(1, Math.round(shape.width))), height: String(Math.max(1, Math.round(shape.height))) });
    for (const axis of ['x', 'y'] as const) {
      if (shape[`${axis}Scale`] === 'log') params.set(`${axis}scale`, 'log');
      const range = this.range[axis];
      if (!range) continue;
      params.set(`${axis}0`, String(range[0]));
      params.set(`${axis}1`, String(range[1]));
    }
    if (this.last !== undefined) params.set('last', String(this.last));
    return params.toString();
  }

  private pump(): void {
    if (this.closed || this.inFlight || !this.onScreen || (this.paused && this.shown >= 0)) return;
    const query = this.query();
    if (this.announced <= this.shown && query === this.shownQuery) return;
    this.inFlight = true;
    const asked = this.announced;
    const generation = this.generation;
    const request = (this.request = new AbortController());
    void this.fetchFrame(query, request.signal).then((frame) => {
      if (generation !== this.generation) return;
      this.request = undefined;
      if (!frame) {
        this.inFlight = false;
        return;
      }
      this.cancelDraw = drawQueue.add(async () => {
        this.cancelDraw = undefined;
        try {
          await this.draw(frame);
        } catch (error) {
          console.error(`streamvis: cannot draw plot '${frame.plot}'`, error);
        }
        if (generation !== this.generation) return;
        this.inFlight = false;
        this.shown = Math.max(frame.version, asked);
        this.shownQuery = query;
        if (this.announced <= this.shown) this.waitingSince = undefined;
        this.pump();
      });
    });
  }

  /** Drops the fetch or draw under way. */
  private drop(): void {
    this.generation++;
    this.request?.abort();
    this.request = undefined;
    this.cancelDraw?.();
    this.cancelDraw = undefined;
    this.inFlight = false;
  }

  /** The frame, or undefined when it cannot be had now (the server is away: a reconnect refreshes). */
  private async fetchFrame(query: string, signal: AbortSignal): Promise<PlotFrame | undefined> {
    try {
      const response = await fetch(`${this.url}?${query}`, { cache: 'no-store', signal });
      if (!response.ok) return undefined;
      return decodeFrame(await response.arrayBuffer());
    } catch {
      return undefined;
    }
  }
}
