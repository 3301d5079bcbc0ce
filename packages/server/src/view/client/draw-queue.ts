/** Time the queue spends drawing per animation frame: the rest of a 60 Hz frame is left to scrolling and input. */
const FRAME_BUDGET_MS = 8;
/** Longest wait for a turn when animation frames stop (a hidden tab gets none). */
const MAX_WAIT_MS = 250;
/** Longest a draw still under way holds back the draws after it (a figure whose element cannot be laid out never finishes). */
const MAX_DRAW_MS = 1_000;

/** A draw: a promise when part of it is asynchronous (a figure mounting); its time counts against the frame. */
export type DrawTask = () => void | Promise<void>;

/**
 * The page's draws, in the order asked, spread over animation frames: each frame runs
 * draws until it has spent its budget, the rest wait for the next one. Many plots
 * arriving at once (a page opening, a scroll) then cost a few frames' worth of smooth
 * scrolling instead of one long freeze.
 */
export class DrawQueue {
  private readonly tasks = new Set<DrawTask>();
  private scheduled = false;

  /** Queues `task`; returns a function that takes it out again if it has not run. */
  add(task: DrawTask): () => void {
    this.tasks.add(task);
    this.schedule();
    return () => this.tasks.delete(task);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    let done = false;
    const turn = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      void this.run();
    };
    const frame = requestAnimationFrame(turn);
    const timer = setTimeout(turn, MAX_WAIT_MS);
  }

  private async run(): Promise<void> {
    const started = performance.now();
    // A Set iterates in insertion order, and also over tasks added while it runs.
    for (const task of this.tasks) {
      this.tasks.delete(task);
      try {
        const drawing = task();
        if (drawing) await Promise.race([drawing, new Promise((resolve) => setTimeout(resolve, MAX_DRAW_MS))]);
      } catch (error) {
        console.error('streamvis: a draw failed', error);
      }
      if (performance.now() - started >= FRAME_BUDGET_MS) break;
    }
    this.scheduled = false;
    if (this.tasks.size > 0) this.schedule();
  }
}

/** The one queue every plot of the page draws through. */
export const drawQueue = new DrawQueue();
