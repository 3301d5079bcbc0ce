import type { AxisScale, PlotFrame } from '../../protocol.js';
import { decodeFrame } from '../../live/frame-codec.js';

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

/** Longest wait for a draw when animation frames stop (a hidden tab gets none). */
const MAX_DRAW_WAIT_MS = 250;

/**
 * Keeps one plot on the page at its newest state without ever queueing: the server
 * announces versions, and the feed fetches the plot's frame only when it has none in
 * flight, then draws it at the next animation frame. Versions that arrive meanwhile are
 * folded into the next fetch, so the page shows the newest data at its own pace however
 * fast the producer is.
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
  /** Versions announced while paused (each a change the page has not drawn yet). */
  private heldBack = 0;
  /** When the oldest version not yet drawn was announced (performance.now()), or undefined when up to date. */
  waitingSince: number | undefined;

  constructor(
    private readonly url: string,
    private readonly shape: () => PlotShape,
    private readonly draw: (frame: PlotFrame) => void,
  ) {}

  announce(version: number): void {
    if (version <= this.announced) return;
    this.announced = version;
    if (this.paused) this.heldBack++;
    else this.waitingSince ??= performance.now();
    this.pump();
  }

  /** Lines: follow the last `last` steps (undefined: the range asked by setRange). */
  setLast(last: number | undefined): void {
    this.last = last;
    this.pump();
  }

  /** While paused nothing is fetched or drawn; on resume the newest frame is, at once. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.heldBack = 0;
    if (!paused && this.announced > this.shown) this.waitingSince ??= performance.now();
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
    if (this.closed || this.inFlight || this.paused) return;
    const query = this.query();
    if (this.announced <= this.shown && query === this.shownQuery) return;
    this.inFlight = true;
    const asked = this.announced;
    void this.fetchFrame(query).then((frame) => {
      if (!frame || this.closed) {
        this.inFlight = false;
        return;
      }
      drawSoon(() => {
        this.inFlight = false;
        if (this.closed) return;
        try {
          this.draw(frame);
        } catch (error) {
          console.error(`streamvis: cannot draw plot '${frame.plot}'`, error);
        }
        this.shown = Math.max(frame.version, asked);
        this.shownQuery = query;
        if (this.announced <= this.shown) this.waitingSince = undefined;
        this.pump();
      });
    });
  }

  /** The frame, or undefined when it cannot be had now (the server is away: a reconnect refreshes). */
  private async fetchFrame(query: string): Promise<PlotFrame | undefined> {
    try {
      const response = await fetch(`${this.url}?${query}`, { cache: 'no-store' });
      if (!response.ok) return undefined;
      return decodeFrame(await response.arrayBuffer());
    } catch {
      return undefined;
    }
  }
}

function drawSoon(draw: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    draw();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, MAX_DRAW_WAIT_MS);
}
