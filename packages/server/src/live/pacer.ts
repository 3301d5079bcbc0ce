/**
 * Paces one client's messages: a message goes out at once after a quiet moment (leading
 * edge), else at most one per `intervalMs`, and never while the previous one is still
 * being written; what piles up meanwhile goes into the next. A failed write closes it.
 */
export class Pacer {
  private timer: NodeJS.Timeout | undefined;
  private writing = false;
  private lastSent = -Infinity;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    /** Whether there is something to send. */
    private readonly pending: () => boolean,
    /** Takes what is pending (synchronously) and sends it; resolves when the transport has it. */
    private readonly send: () => Promise<void>,
  ) {}

  /** Sends what is pending as soon as the pace allows. */
  schedule(): void {
    if (this.closed || this.writing || this.timer || !this.pending()) return;
    const wait = this.lastSent + this.intervalMs - performance.now();
    if (wait <= 0) void this.flush();
    else this.timer = setTimeout(() => void this.flush(), wait);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    this.writing = true;
    this.lastSent = performance.now();
    try {
      await this.send();
    } catch {
      this.close();
    }
    this.writing = false;
    this.schedule();
  }
}
