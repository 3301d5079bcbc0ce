import type { LogRecord } from '@streamvis/format';
import type { GridCell } from '@streamvis/format';
import type { FrameRequest, PlotFrame, PlotInfo, PlotSnapshot, ReplayProgress, RunDetail, RunSnapshot, RunStatus, RunSummary } from '../protocol.js';
import { describeGap, SeqLedger } from '../source/seq-ledger.js';
import type { CorruptionReport } from '../source/source.js';
import { InvalidRecordError } from './invalid-record.js';
import { Placement } from './placement.js';
import { plotKinds } from './plot-kinds.js';
import type { DeferredDelta, PlotFactory, PlotState, RecordOfKind } from './plot-state.js';

/** What applying one record did, i.e. what the open pages need. */
export type ApplyOutcome =
  | { type: 'delta'; plot: string; delta: DeferredDelta }
  /** A plot appeared or the layout changed: pages need a new snapshot. */
  | { type: 'snapshot' }
  /** A record of another run. */
  | { type: 'ignored' }
  | { type: 'invalid'; reason: string };

export interface RunCounts {
  /** Records of this run applied. */
  records: number;
  /** Records of other runs in the same source, ignored. */
  ignored: number;
  /** Records of this run that could not be applied. */
  invalid: number;
  /** Records whose handling hit a bug of the server (logged with its stack), not a fault of the record. */
  internal: number;
  /** Damaged regions the source skipped. */
  corrupt: number;
  /** Times the source could not read or receive (a distinct failure counts once). */
  failures: number;
  /** Jumps of a logger's sequence: records that never arrived (some may still, late). */
  gaps: number;
}

/** Open gaps listed in the status, the newest. */
const MAX_GAPS_LISTED = 20;

/** Everything the server knows about the one run it serves. */
export class RunState {
  readonly counts: RunCounts = { records: 0, ignored: 0, invalid: 0, internal: 0, corrupt: 0, failures: 0, gaps: 0 };
  lastError: string | undefined;
  /** While the source's history (the log at start) is being read: how far, in bytes. */
  replay: ReplayProgress | undefined;
  private readonly plots = new Map<string, PlotState>();
  private readonly placement = new Placement();
  /** Per plot, the value of `changes` when its data last changed. */
  private readonly versions = new Map<string, number>();
  private changes = 0;
  /** When (ms since the epoch) the latest record of this run was applied. */
  lastRecordAt: number | undefined;
  /** Each logger's sequence numbers seen, so a record that never came is told, not passed over. */
  private readonly sequence = new SeqLedger();

  constructor(readonly run: string) {}

  apply(record: LogRecord): ApplyOutcome {
    const { header } = record;
    if (header.run !== this.run) {
      this.counts.ignored++;
      return { type: 'ignored' };
    }
    this.noteSequence(header);
    try {
      const outcome = this.applyOwn(record);
      this.counts.records++;
      this.lastRecordAt = Date.now();
      if (header.kind !== 'layout') this.versions.set(header.plot, ++this.changes);
      return outcome;
    } catch (error) {
      // The server keeps serving either way; a bug is told apart from a bad record, with its stack.
      const invalid = error instanceof InvalidRecordError;
      const reason = invalid ? error.message : `internal error: ${String(error)}`;
      if (invalid) this.counts.invalid++;
      else {
        this.counts.internal++;
        console.error(`streamvis-server: applying record ${header.logger}#${header.seq} failed:`, error);
      }
      this.lastError = `record ${header.logger}#${header.seq}: ${reason}`;
      return { type: 'invalid', reason };
    }
  }

  /** Copies (a log read again) pass as they always did; a jump is a gap, reported once. */
  private noteSequence(header: LogRecord['header']): void {
    const noted = this.sequence.note(header);
    if (noted.type !== 'jump') return;
    this.counts.gaps++;
    this.lastError = `${describeGap(noted.gap)} never arrived`;
  }

  noteCorruption(report: CorruptionReport): void {
    this.counts.corrupt++;
    const where = report.offset === undefined ? '' : ` at byte ${report.offset}`;
    this.lastError = `${report.size} corrupt bytes${where}: ${report.reason}`;
  }

  noteReplay(delivered: number, total: number): void {
    this.replay = delivered < total ? { delivered, total } : undefined;
  }

  noteFailure(message: string): void {
    this.counts.failures++;
    this.lastError = message;
  }

  get errors(): number {
    return this.counts.invalid + this.counts.internal + this.counts.corrupt + this.counts.failures + this.counts.gaps;
  }

  /** The state of plot `name`, for endpoints that ask a plot kind more than its columns. */
  plot(name: string): PlotState | undefined {
    return this.plots.get(name);
  }

  plotSnapshot(name: string): PlotSnapshot | undefined {
    const plot = this.plots.get(name);
    return plot && { ...this.infoOf(name, plot), columns: plot.columns() };
  }

  /** Plot `name`'s data reduced to what `request` can show. */
  frame(name: string, request: FrameRequest): PlotFrame | undefined {
    const plot = this.plots.get(name);
    if (!plot) return undefined;
    return { plot: name, kind: plot.kind, version: this.versionOf(name), ...plot.frame(request) } as PlotFrame;
  }

  versionOf(plot: string): number {
    return this.versions.get(plot) ?? 0;
  }

  snapshot(): RunSnapshot {
    const cells = this.placement.cells();
    return { ...this.header(), plots: [...this.plots].map(([name, plot]) => ({ ...this.infoOf(name, plot, cells), columns: plot.columns() })) };
  }

  detail(): RunDetail {
    const cells = this.placement.cells();
    return { ...this.header(), plots: [...this.plots].map(([name, plot]) => this.infoOf(name, plot, cells)) };
  }

  summary(): RunSummary {
    return { run: this.run, records: this.counts.records, plots: [...this.plots.keys()] };
  }

  private applyOwn(record: LogRecord): ApplyOutcome {
    const { header } = record;
    if (header.kind === 'layout') {
      // The decoder has checked the cells with the logger's own layout check.
      this.placement.setLayout(header.opts.cells);
      return { type: 'snapshot' };
    }
    // A plot's kind is fixed by its first record; its state is only given records of that kind.
    const ofPlotKind = record as RecordOfKind<typeof header.kind>;
    const existing = this.plots.get(header.plot);
    if (existing) {
      if (existing.kind !== header.kind) throw new InvalidRecordError(`plot '${header.plot}' is a ${existing.kind} plot, record is ${header.kind}`);
      return { type: 'delta', plot: header.plot, delta: existing.apply(ofPlotKind) };
    }
    const plot = (plotKinds[header.kind] as PlotFactory)(header.plot);
    plot.apply(ofPlotKind);
    this.plots.set(header.plot, plot);
    this.placement.add(header.plot);
    return { type: 'snapshot' };
  }

  /** The counts a page shows live. */
  status(): RunStatus {
    const gaps = this.sequence.gaps().slice(-MAX_GAPS_LISTED);
    return {
      records: this.counts.records,
      errors: this.errors,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ...(gaps.length > 0 ? { gaps } : {}),
      ...(this.replay ? { replay: this.replay } : {}),
    };
  }

  private header(): Omit<RunSnapshot, 'plots'> {
    return { run: this.run, layout: this.placement.cells(), ...this.status() };
  }

  private infoOf(name: string, plot: PlotState, cells: Record<string, GridCell> = this.placement.cells()): PlotInfo {
    return { name, kind: plot.kind, cell: cells[name], opts: plot.options(), length: plot.length(), version: this.versionOf(name) };
  }
}
