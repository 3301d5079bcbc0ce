import type { RecordSource, SourceHandlers } from './source.js';

/**
 * Several sources as one: each delivers to the same handlers (records of one source stay
 * in order; sources interleave). The history is in once every source's is; its progress
 * is the sum of theirs. Sources may be added while it runs (a log that appears).
 */
export class MergedSource implements RecordSource {
  private readonly sources: RecordSource[] = [];
  private readonly progress = new Map<RecordSource, { delivered: number; total: number }>();
  private handlers: SourceHandlers | undefined;

  constructor(sources: readonly RecordSource[] = []) {
    this.sources.push(...sources);
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
    await Promise.all(this.sources.map((source) => this.startOne(source)));
  }

  /** Adds a source; once started, it starts at once. Resolves when its history is in. */
  add(source: RecordSource): Promise<void> {
    this.sources.push(source);
    return this.handlers ? this.startOne(source) : Promise.resolve();
  }

  async stop(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.stop()));
  }

  private startOne(source: RecordSource): Promise<void> {
    const handlers = this.handlers!;
    return source.start({
      record: (record, frame) => handlers.record(record, frame),
      corrupt: (report) => handlers.corrupt(report),
      failure: (message) => handlers.failure(message),
      progress: (delivered, total) => {
        this.progress.set(source, { delivered, total });
        let sum = 0;
        let of = 0;
        for (const part of this.progress.values()) {
          sum += part.delivered;
          of += part.total;
        }
        handlers.progress?.(sum, of);
      },
    });
  }
}
