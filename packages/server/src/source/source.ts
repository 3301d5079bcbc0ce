import type { LogRecord } from '@streamvis/format';

export interface CorruptionReport {
  /** Byte offset in the log, for file sources. */
  offset?: number;
  size: number;
  reason: string;
  /** The log it was found in, when the server reads several. */
  source?: string;
}

/**
 * What a source calls as records arrive, in order. `record` may return a promise: a
 * source that acknowledges (Pub/Sub) does so only after it resolves.
 */
export interface SourceHandlers {
  record(record: LogRecord, frame: Uint8Array): void | Promise<void>;
  corrupt(report: CorruptionReport): void;
  /** The source cannot read or receive for now (it keeps trying): users see it as an error. */
  failure(message: string): void;
  /** How much of the history present at start has been delivered, in bytes (sources that know its size). */
  progress?(delivered: number, total: number): void;
}

export interface RecordSource {
  /** Starts delivering; resolves once the history present at start has been delivered. */
  start(handlers: SourceHandlers): Promise<void>;
  stop(): Promise<void>;
}
