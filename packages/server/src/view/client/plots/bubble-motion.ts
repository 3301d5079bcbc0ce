/**
 * Where each bubble is drawn, and the transition from one update's bubbles to the next:
 * bubbles are matched by stable cluster id, so a cluster glides to its new center and
 * size; a new id grows and fades in where it appears; a gone id is dropped at once.
 * Clusters are few (tens): plain arrays of small objects are fine here.
 */

/** One bubble as drawn: center in data units, diameter in screen pixels, opacity. */
export interface BubblePose {
  id: number;
  x: number;
  y: number;
  size: number;
  alpha: number;
}

/** Length of the transition between two updates. */
export const TRANSITION_MS = 300;

/** The poses at fraction `t` (0..1) of the way from `from` (matched by id) to `to`. */
export function tween(from: ReadonlyMap<number, BubblePose>, to: readonly BubblePose[], t: number): BubblePose[] {
  const eased = easeInOut(Math.min(1, Math.max(0, t)));
  return to.map((target) => {
    const start = from.get(target.id) ?? { ...target, size: 0, alpha: 0 };
    const at = (a: number, b: number) => a + (b - a) * eased;
    return { id: target.id, x: at(start.x, target.x), y: at(start.y, target.y), size: at(start.size, target.size), alpha: at(start.alpha, target.alpha) };
  });
}

export function byId(poses: readonly BubblePose[]): Map<number, BubblePose> {
  return new Map(poses.map((pose) => [pose.id, pose]));
}

/**
 * Runs transitions on animation frames: `moveTo` starts from what is drawn now (even
 * mid-transition) towards the new poses; `draw` gets each frame's poses.
 */
export class BubbleMotion {
  private from = new Map<number, BubblePose>();
  private target: BubblePose[] = [];
  private startedAt = 0;
  private frame: number | undefined;

  /** `shown`: the poses drawn already, without a transition (a page shows its first data at once). */
  constructor(
    private readonly draw: (poses: BubblePose[]) => void,
    private shown: BubblePose[],
  ) {}

  moveTo(target: BubblePose[]): void {
    // A hidden tab gets no animation frames: show the new poses at once.
    if (document.hidden) {
      this.stop();
      this.shown = target;
      this.draw(target);
      return;
    }
    this.from = byId(this.shown);
    this.target = target;
    this.startedAt = performance.now();
    this.frame ??= requestAnimationFrame((now) => this.step(now));
  }

  /** Stops the animation (the plot is being removed). */
  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private step(now: number): void {
    const t = (now - this.startedAt) / TRANSITION_MS;
    this.shown = tween(this.from, this.target, t);
    this.draw(this.shown);
    this.frame = t < 1 ? requestAnimationFrame((next) => this.step(next)) : undefined;
  }
}

function easeInOut(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}
