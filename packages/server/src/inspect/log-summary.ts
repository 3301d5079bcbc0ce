import type { PlotKind, ReaderEvent } from '@streamvis/format';

/** A plot as a log holds it. */
export interface PlotListing {
  kind: PlotKind;
  records: number;
  /** Lines plots: the first and last step (x) written. */
  firstStep?: number;
  lastStep?: number;
}

/** A run as a log holds it. */
export interface RunListing {
  run: string;
  records: number;
  /** The producers (DataLogger ids) that wrote it, in order of first record. */
  loggers: string[];
  /** The producer's clock (ms since the epoch) at the first and last record. */
  firstTime: number;
  lastTime: number;
  /** By plot name, in order of first record. */
  plots: Record<string, PlotListing>;
  layouts: number;
  /** `clear` records: a producer (re)starting with DataLogger.clear(). */
  clears: number;
}

export interface CorruptRegion {
  offset: number;
  size: number;
  reason: string;
}

/** What one log holds (`streamvis-server list`). */
export interface LogListing {
  path: string;
  bytes: number;
  records: number;
  runs: RunListing[];
  corrupt: CorruptRegion[];
  /** Bytes at the end that do not make a whole record (yet: a writer may be mid-record). */
  tornTail: number;
}

/** Adds up a log's records as its reader delivers them. */
export class LogSummary {
  private readonly runs = new Map<string, RunListing>();
  private readonly corrupt: CorruptRegion[] = [];
  private records = 0;

  add(event: ReaderEvent): void {
    if (event.type === 'corrupt') {
      this.corrupt.push({ offset: event.offset, size: event.size, reason: event.reason });
      return;
    }
    const { header } = event.record;
    this.records++;
    let run = this.runs.get(header.run);
    if (!run) {
      run = { run: header.run, records: 0, loggers: [], firstTime: header.time, lastTime: header.time, plots: Object.create(null) as Record<string, PlotListing>, layouts: 0, clears: 0 };
      this.runs.set(header.run, run);
    }
    run.records++;
    run.firstTime = Math.min(run.firstTime, header.time);
    run.lastTime = Math.max(run.lastTime, header.time);
    if (!run.loggers.includes(header.logger)) run.loggers.push(header.logger);
    if (header.kind === 'layout') {
      run.layouts++;
      return;
    }
    if (header.kind === 'clear') {
      run.clears++;
      return;
    }
    const plot = (run.plots[header.plot] ??= { kind: header.kind, records: 0 });
    plot.records++;
    if (header.kind === 'lines') {
      const step = header.opts.x;
      plot.firstStep = Math.min(plot.firstStep ?? step, step);
      plot.lastStep = Math.max(plot.lastStep ?? step, step);
    }
  }

  listing(path: string, bytes: number, tornTail: number): LogListing {
    return { path, bytes, records: this.records, runs: [...this.runs.values()], corrupt: this.corrupt, tornTail };
  }
}
