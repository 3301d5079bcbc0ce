import { FileSource } from './file-source.js';
import { LogAppender } from './log-appender.js';
import { PubsubSource, type PubsubSourceOptions } from './pubsub-source.js';
import { SeqLedger, type RecordId } from './seq-ledger.js';
import type { RecordSource, SourceHandlers } from './source.js';

export interface LoggedPubsubSourceOptions extends Omit<PubsubSourceOptions, 'ledger'> {
  /** Replayed first; then every record received from Pub/Sub is appended to it before it is acked. */
  logFile?: string;
}

/**
 * The `pubsub` mode's source. With a log: replays it (the history a restarted server
 * had), then receives from Pub/Sub, writing each record to the log before applying and
 * acknowledging it, so the log always holds whatever was acknowledged. Records already in
 * the log are dropped when Pub/Sub delivers them again (acked by nobody before a crash).
 */
export class LoggedPubsubSource implements RecordSource {
  private readonly ledger = new SeqLedger();
  private readonly appender: LogAppender | undefined;
  private pubsub: PubsubSource | undefined;
  /** The record last appended, so a retried or redelivered record is not appended twice. */
  private lastAppended: RecordId | undefined;

  constructor(private readonly options: LoggedPubsubSourceOptions) {
    this.appender = options.logFile === undefined ? undefined : new LogAppender(options.logFile);
  }

  async start(handlers: SourceHandlers): Promise<void> {
    if (this.options.logFile !== undefined) await this.replay(this.options.logFile, handlers);
    const { logFile: _, ...pubsubOptions } = this.options;
    this.pubsub = new PubsubSource({ ...pubsubOptions, ledger: this.ledger });
    await this.pubsub.start({
      record: async (record, frame) => {
        const { logger, seq } = record.header;
        if (this.appender && (this.lastAppended?.logger !== logger || this.lastAppended.seq !== seq)) {
          await this.appender.append(frame);
          this.lastAppended = { logger, seq };
        }
        await handlers.record(record, frame);
      },
      corrupt: (report) => handlers.corrupt(report),
      failure: (message) => handlers.failure(message),
    });
  }

  async stop(): Promise<void> {
    await this.pubsub?.stop();
    await this.appender?.close();
  }

  /** Reads the log to its end (it is ours to write from now on) and remembers what it held. */
  private async replay(path: string, handlers: SourceHandlers): Promise<void> {
    const file = new FileSource(path, this.options.warn ? { warn: this.options.warn } : {});
    try {
      await file.start({
        record: (record, frame) => {
          this.ledger.note(record.header);
          return handlers.record(record, frame);
        },
        corrupt: (report) => handlers.corrupt(report),
        failure: (message) => handlers.failure(message),
        progress: (delivered, total) => handlers.progress?.(delivered, total),
      });
    } finally {
      await file.stop();
    }
  }
}
