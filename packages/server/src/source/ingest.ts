import { join } from 'node:path';
import type { LogRecord } from '@streamvis/format';
import { LogAppender } from './log-appender.js';
import type { RecordSource, SourceHandlers } from './source.js';

/** Where records POSTed to the server go (POST /api/runs/:run/records, `--ingest`). */
export interface Ingest {
  /** Takes checked records of one run, in order; resolves once they are applied or written. */
  accept(records: readonly IngestedRecord[]): Promise<void>;
  /** Lets go of what it holds open (logs), once the server stops. */
  close?(): Promise<void>;
}

export interface IngestedRecord {
  record: LogRecord;
  frame: Uint8Array;
}

/**
 * Ingested records as a source of their own, merged with the server's other sources: each
 * record is handed on like a record read from a log, and a request is answered once its
 * records are applied (or, inside a LoggedSource, written to the log first).
 */
export class IngestSource implements RecordSource, Ingest {
  private handlers: SourceHandlers | undefined;
  /** Requests are taken one after another, so records keep the order they came in. */
  private queue: Promise<void> = Promise.resolve();

  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
  }

  async stop(): Promise<void> {
    await this.queue;
    this.handlers = undefined;
  }

  accept(records: readonly IngestedRecord[]): Promise<void> {
    const done = this.queue.then(async () => {
      const handlers = this.handlers;
      if (!handlers) throw new Error('the server is not taking records (stopped)');
      for (const { record, frame } of records) await handlers.record(record, frame);
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}

/**
 * Ingested records appended to logs the server tails (file mode): the log stays the one
 * truth, and the records reach the page as the log's other records do. In a directory of
 * logs, each run's records go to `ingest/RUN.svlog` under it.
 */
export class LogIngest implements Ingest {
  private readonly appenders = new Map<string, LogAppender>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly logOf: (run: string) => string) {}

  static intoLog(path: string): LogIngest {
    return new LogIngest(() => path);
  }

  static intoDirectory(dir: string): LogIngest {
    return new LogIngest((run) => join(dir, 'ingest', `${run.replace(/[^\w.-]+/g, '_')}.svlog`));
  }

  accept(records: readonly IngestedRecord[]): Promise<void> {
    const done = this.queue.then(async () => {
      // A request's records of one log go out in one write: whole frames, never interleaved with other writers'.
      const byLog = new Map<string, Uint8Array[]>();
      for (const { record, frame } of records) {
        const path = this.logOf(record.header.run);
        const frames = byLog.get(path);
        if (frames) frames.push(frame);
        else byLog.set(path, [frame]);
      }
      for (const [path, frames] of byLog) {
        let appender = this.appenders.get(path);
        if (!appender) this.appenders.set(path, (appender = new LogAppender(path)));
        await appender.append(frames.length === 1 ? frames[0] : Buffer.concat(frames));
      }
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all([...this.appenders.values()].map((appender) => appender.close()));
  }
}
