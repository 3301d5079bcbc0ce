/**
 * The flushes waiting on a sink that delivers in order: each waits until the records
 * written before it are settled (delivered or given up on), or until its timeout.
 */
export class FlushWaiters {
  private readonly waiters = new Set<{ target: number; resolve: () => void }>();

  /** `settled()`: records delivered or given up on so far. */
  constructor(private readonly settled: () => number) {}

  /** Resolves once `target` records are settled, or after `timeoutMs`. */
  wait(target: number, timeoutMs: number): Promise<void> {
    if (this.settled() >= target) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = { target, resolve: () => done() };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  /** Call whenever records settle: resolves the flushes whose records all have. */
  settle(): void {
    const settled = this.settled();
    for (const waiter of this.waiters) if (settled >= waiter.target) waiter.resolve();
  }
}
