import type { ReplayProgress } from '../protocol.js';
import type { CorruptionReport } from '../source/source.js';

/** An error told to users, with when it happened, so the latest of several can be picked. */
export interface DatedError {
  message: string;
  /** performance.now() when it happened. */
  at: number;
}

/** The later of two errors (either may be absent). */
export function latestError(a: DatedError | undefined, b: DatedError | undefined): DatedError | undefined {
  if (!a || !b) return a ?? b;
  return a.at >= b.at ? a : b;
}

/**
 * What the sources report that belongs to no one run: damaged regions, read or receive
 * failures, replay progress and records of runs not served. Shared by every run the
 * server holds: a corrupt region may have held any run's record, so every page tells it.
 */
export class SourceHealth {
  corrupt = 0;
  failures = 0;
  /** Records of runs the server does not serve, skipped. */
  ignored = 0;
  lastError: DatedError | undefined;
  /** While the sources' history (the logs at start) is being read: how far, in bytes. */
  replay: ReplayProgress | undefined;

  noteCorruption({ offset, size, reason, source }: CorruptionReport): void {
    this.corrupt++;
    const where = offset === undefined ? '' : ` at byte ${offset}`;
    const of = source === undefined ? '' : ` of ${source}`;
    this.lastError = { message: `${size} corrupt bytes${where}${of}: ${reason}`, at: performance.now() };
  }

  noteFailure(message: string): void {
    this.failures++;
    this.lastError = { message, at: performance.now() };
  }

  noteReplay(delivered: number, total: number): void {
    this.replay = delivered < total ? { delivered, total } : undefined;
  }

  get errors(): number {
    return this.corrupt + this.failures;
  }
}
