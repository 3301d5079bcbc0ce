import type { PlotDelta } from '../../protocol.js';

/** Longest wait for a flush when animation frames stop (a hidden tab gets none). */
const MAX_WAIT_MS = 250;

/**
 * Gathers deltas per plot and hands each plot's list over once per animation frame, so a
 * burst of messages costs one Bokeh update (and one repaint) per plot instead of one each.
 */
export class DeltaQueue {
  private pending = new Map<string, PlotDelta[]>();
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly flushPlot: (plot: string, deltas: PlotDelta[]) => void) {}

  push(delta: PlotDelta): void {
    let deltas = this.pending.get(delta.plot);
    if (!deltas) this.pending.set(delta.plot, (deltas = []));
    // A replace supersedes everything queued before it.
    if (delta.op === 'replace') deltas.length = 0;
    deltas.push(delta);
    this.schedule();
  }

  /** Drops what is queued: a snapshot already holds it. */
  clear(): void {
    this.pending.clear();
  }

  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(this.flush);
    this.timer = setTimeout(this.flush, MAX_WAIT_MS);
  }

  private readonly flush = (): void => {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const [plot, deltas] of batch) {
      try {
        this.flushPlot(plot, deltas);
      } catch (error) {
        console.error(`streamvis: cannot apply an update to plot '${plot}'`, error);
      }
    }
  };
}
