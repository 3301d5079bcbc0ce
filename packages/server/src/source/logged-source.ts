import { FileSource } from './file-source.js';
import { LogAppender } from './log-appender.js';
import { SeqLedger } from './seq-ledger.js';
import type { RecordSource, SourceHandlers } from './source.js';

/**
 * Any source, with what it delivers written to a log. At start the log is replayed (the
 * history a restarted server had); then each record from the source is appended to the log
 * before it is handed on, so a source that acknowledges (Pub/Sub) acknowledges only what
 * the log holds. A record the log already holds (delivered again after a crash, or
 * retried after a failed append) is not appended twice.
 */
export class LoggedSource implements RecordSource {
  private readonly appender: LogAppender;
  /** What the log holds: the records replayed and appended. */
  private readonly inLog = new SeqLedger();

  constructor(
    private readonly source: RecordSource,
    readonly logFile: string,
    private readonly warn?: (message: string) => void,
  ) {
    this.appender = new LogAppender(logFile);
  }

  async start(handlers: SourceHandlers): Promise<void> {
    await this.replay(handlers);
    await this.source.start({
      ...handlers,
      record: async (record, frame) => {
        if (!this.inLog.has(record.header)) {
          await this.appender.append(frame);
          this.inLog.note(record.header);
        }
        await handlers.record(record, frame);
      },
    });
  }

  async stop(): Promise<void> {
    await this.source.stop();
    await this.appender.close();
  }

  /** Reads the log to its end (it is ours to write from now on) and remembers what it held. */
  private async replay(handlers: SourceHandlers): Promise<void> {
    const file = new FileSource(this.logFile, this.warn ? { warn: this.warn } : {});
    try {
      await file.start({
        ...handlers,
        record: (record, frame) => {
          this.inLog.note(record.header);
          return handlers.record(record, frame);
        },
      });
    } finally {
      await file.stop();
    }
  }
}
