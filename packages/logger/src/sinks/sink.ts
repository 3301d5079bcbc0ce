import type { RecordHeader } from '@streamvis/format';
import { ArgumentError, describe } from '@streamvis/format';

/** Counts a sink reports at flush/shutdown. */
export interface SinkReport {
  sink: string;
  /** Records the destination has confirmed (written to the file, acked by Pub/Sub). */
  delivered: number;
  /** Records given up on (buffer bound exceeded, or still failing at shutdown). */
  dropped: number;
  /** Records still waiting when the report was made. */
  pending: number;
  errors: number;
  lastError?: string;
}

/**
 * Where encoded records go. `write` is called on the producer's hot path: it must only
 * buffer and return, never throw because of I/O, and report failures through `onError`.
 * A sink owns the frame it is given: the caller must not use it afterwards (the file sink
 * moves a frame's memory to its writer thread, leaving the caller's Buffer empty).
 */
export interface Sink {
  readonly name: string;
  /**
   * true: one reader reads this sink's frames in order from its first, and the sink gives up
   * on none while it runs (a log file, blocking when full). When every sink of a logger is
   * streamed, frames may refer to declarations in earlier ones (format version 2); otherwise
   * every sink gets the same frames, each whole on its own.
   */
  readonly streamed?: boolean;
  write(frame: Buffer, header: RecordHeader): void;
  /** Resolves when every record written so far is delivered or given up on. */
  flush(): Promise<SinkReport>;
  /** Flushes, releases resources; the sink takes no more records. */
  close(): Promise<SinkReport>;
}

export type SinkErrorHandler = (error: Error, sink: string) => void;

/**
 * What a sink does when records come faster than it can deliver them and its buffer is full:
 * `block` makes the logging call wait for room (nothing is lost; the producer slows down),
 * `drop-oldest` gives up on the oldest records waiting and says so at once.
 */
export type OnFull = 'block' | 'drop-oldest';

export function checkOnFull(value: unknown, where: string): OnFull {
  if (value === 'block' || value === 'drop-oldest') return value;
  throw new ArgumentError(`${where}: expected 'block' or 'drop-oldest', got ${describe(value)}`);
}

/** A sink failure that gave up on `dropped` records just now (they are counted in the reports' `dropped` too). */
export class RecordsDropped extends Error {
  override name = 'RecordsDropped';
  constructor(message: string, readonly dropped: number) {
    super(message);
  }
}
