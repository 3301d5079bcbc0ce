/** What identifies a record for de-duplication: the DataLogger instance and its sequence number. */
export interface RecordId {
  logger: string;
  seq: number;
}

interface LoggerWindow {
  highest: number;
  recent: Set<number>;
}

/**
 * Remembers which records were applied, so an at-least-once source (Pub/Sub) can drop
 * the copies it redelivers. Memory is bounded: per logger, the sequence numbers within
 * `window` of the highest one seen (anything older counts as seen), for at most
 * `maxLoggers` loggers, the least recently active forgotten first.
 */
export class SeenRecords {
  private readonly loggers = new Map<string, LoggerWindow>();

  constructor(
    private readonly window = 4096,
    private readonly maxLoggers = 1024,
  ) {}

  has({ logger, seq }: RecordId): boolean {
    const known = this.loggers.get(logger);
    if (!known) return false;
    return seq <= known.highest - this.window || known.recent.has(seq);
  }

  add({ logger, seq }: RecordId): void {
    let known = this.loggers.get(logger);
    if (known) {
      this.loggers.delete(logger); // re-inserted below: Map order is least recently active first
    } else {
      known = { highest: seq, recent: new Set() };
      if (this.loggers.size >= this.maxLoggers) this.loggers.delete(this.loggers.keys().next().value!);
    }
    this.loggers.set(logger, known);
    known.recent.add(seq);
    known.highest = Math.max(known.highest, seq);
    if (known.recent.size > 2 * this.window) {
      for (const old of known.recent) if (old <= known.highest - this.window) known.recent.delete(old);
    }
  }
}
