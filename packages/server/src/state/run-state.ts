import { LOOK_OPTIONS, MAX_PLOTS_PER_RUN, type LogRecord, type LookOptions } from '@streamvis/format';
import type { FrameRequest, PlotFrame, PlotInfo, PlotSnapshot, RunDetail, SeqGap, RunSnapshot, RunStatus, RunSummary } from '../protocol.js';
import { describeGap, SeqLedger } from '../source/seq-ledger.js';
import { InvalidRecordError } from './invalid-record.js';
import { Placement } from './placement.js';
import { plotKinds } from './plot-kinds.js';
import type { DeferredDelta, PlotFactory, PlotState, RecordOfKind } from './plot-state.js';
import { latestError, SourceHealth, type DatedError } from './source-health.js';

/** What applying one record did, i.e. what the open pages need. */
export type ApplyOutcome =
  | { type: 'delta'; plot: string; delta: DeferredDelta }
  /** A plot appeared or the layout changed: pages need a new snapshot. */
  | { type: 'snapshot' }
  /** A record of another run. */
  | { type: 'ignored' }
  /** A copy of a record applied before. */
  | { type: 'duplicate' }
  | { type: 'invalid'; reason: string };

export interface RunCounts {
  /** Records of this run applied. */
  records: number;
  /** Copies of records applied before (at-least-once delivery, a log read twice, the same record in two logs), dropped. */
  duplicates: number;
  /** Records of this run that could not be applied. */
  invalid: number;
  /** Records whose handling hit a bug of the server (logged with its stack), not a fault of the record. */
  internal: number;
  /** Jumps of a logger's sequence: records that never arrived (some may still, late). */
  gaps: number;
}

/** A run is live while its latest record was made less than this long ago (by the producer's clock). */
export const LIVE_WITHIN_MS = 60_000;

/** Open gaps listed in the status, the newest. */
export const MAX_GAPS_LISTED = 20;

/**
 * Everything the server knows about one run. What the sources report beside records
 * (corrupt regions, failures, replay progress) comes from `health`, shared by every run.
 */
export class RunState {
  readonly counts: RunCounts = { records: 0, duplicates: 0, invalid: 0, internal: 0, gaps: 0 };
  /** The latest error of this run's own records (invalid, internal, a gap). */
  ownError: DatedError | undefined;
  private readonly plots = new Map<string, PlotState>();
  /** Per plot, the latest title, labels, scales and line names its records gave. */
  private readonly looks = new Map<string, LookOptions>();
  private readonly placement = new Placement();
  /** Per plot, the value of `changes` when its data last changed. */
  private readonly versions = new Map<string, number>();
  private changes = 0;
  /**
   * The plots' names in order of first data, made again only when a plot comes or goes
   * (summaries are asked for every 2 s); shared by the summaries, which only encode it.
   */
  private names: string[] | undefined;
  /** When (ms since the epoch) the latest record of this run was applied. */
  lastRecordAt: number | undefined;
  /** The producer's clock (`time` in the header, ms since the epoch) at the first and latest record applied. */
  firstTime: number | undefined;
  lastTime: number | undefined;
  /** Each logger's sequence numbers seen: a copy is dropped, a record that never came is told. */
  private readonly sequence = new SeqLedger();

  constructor(
    readonly run: string,
    readonly health = new SourceHealth(),
  ) {}

  apply(record: LogRecord): ApplyOutcome {
    const { header } = record;
    if (header.run !== this.run) {
      this.health.ignored++;
      return { type: 'ignored' };
    }
    if (!this.noteSequence(header)) {
      this.counts.duplicates++;
      return { type: 'duplicate' };
    }
    try {
      const outcome = this.applyOwn(record);
      this.counts.records++;
      this.lastRecordAt = Date.now();
      this.firstTime ??= header.time;
      this.lastTime = header.time;
      if (header.kind !== 'layout' && header.kind !== 'clear') this.versions.set(header.plot, ++this.changes);
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
      this.noteError(`record ${header.logger}#${header.seq}: ${reason}`);
      return { type: 'invalid', reason };
    }
  }

  /** Whether the record is new; a jump of its logger's sequence is a gap, reported once. */
  private noteSequence(header: LogRecord['header']): boolean {
    const noted = this.sequence.note(header);
    if (noted.type === 'duplicate') return false;
    if (noted.type === 'jump') {
      this.counts.gaps++;
      this.noteError(`${describeGap(noted.gap)} never arrived`);
    }
    return true;
  }

  private noteError(message: string): void {
    this.ownError = { message, at: performance.now() };
  }

  /** The latest error of this run or of the sources, for a human. */
  get lastError(): string | undefined {
    return latestError(this.ownError, this.health.lastError)?.message;
  }

  /** Errors of this run's own records (invalid, internal, gaps), without the sources'. */
  get ownErrors(): number {
    return this.counts.invalid + this.counts.internal + this.counts.gaps;
  }

  get errors(): number {
    return this.ownErrors + this.health.errors;
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

  /** The layout and every plot with its data, taken in one piece (a page replaces what it shows with it). */
  snapshot(): RunSnapshot {
    return { ...this.header(), plots: [...this.plots].map(([name, plot]) => ({ ...this.infoOf(name, plot), columns: plot.columns() })) };
  }

  /** The layout and every plot without its data: O(1) per plot. */
  detail(): RunDetail {
    return { ...this.header(), plots: [...this.plots].map(([name, plot]) => this.infoOf(name, plot)) };
  }

  summary(now = Date.now()): RunSummary {
    const live = this.lastTime !== undefined && now - this.lastTime < LIVE_WITHIN_MS;
    return {
      run: this.run,
      records: this.counts.records,
      plots: (this.names ??= [...this.plots.keys()]),
      status: live ? 'live' : 'finished',
      errors: this.errors,
      ...(this.firstTime === undefined ? {} : { firstTime: this.firstTime, lastTime: this.lastTime! }),
      ...(this.lastRecordAt === undefined ? {} : { lastRecordAt: this.lastRecordAt }),
    };
  }

  private applyOwn(record: LogRecord): ApplyOutcome {
    const { header } = record;
    if (header.kind === 'layout') {
      // The decoder has checked the cells with the logger's own layout check.
      this.placement.setLayout(header.opts.cells);
      return { type: 'snapshot' };
    }
    if (header.kind === 'clear') {
      // The plots go with their data (a new record may even give one another kind); their cells stay, empty.
      for (const plot of header.opts.plots ?? [...this.plots.keys()]) {
        this.looks.delete(plot);
        if (!this.plots.delete(plot)) continue;
        this.versions.set(plot, ++this.changes);
        this.names = undefined;
      }
      return { type: 'snapshot' };
    }
    // A plot's kind is fixed by its first record; its state is only given records of that kind.
    const ofPlotKind = record as RecordOfKind<typeof header.kind>;
    const existing = this.plots.get(header.plot);
    if (existing) {
      if (existing.kind !== header.kind) throw new InvalidRecordError(`plot '${header.plot}' is a ${existing.kind} plot, record is ${header.kind}`);
      const delta = existing.apply(ofPlotKind);
      // A new title or label is a new layout for the pages (they draw it once per plot).
      return this.noteLook(header.plot, header.opts) ? { type: 'snapshot' } : { type: 'delta', plot: header.plot, delta };
    }
    if (this.plots.size >= MAX_PLOTS_PER_RUN) {
      throw new InvalidRecordError(`run '${this.run.slice(0, 200)}' has ${MAX_PLOTS_PER_RUN} plots, the most a run may have; record for another plot '${header.plot.slice(0, 200)}'`);
    }
    const plot = (plotKinds[header.kind] as PlotFactory)(header.plot);
    plot.apply(ofPlotKind);
    this.plots.set(header.plot, plot);
    this.names = undefined;
    this.placement.add(header.plot);
    this.noteLook(header.plot, header.opts);
    return { type: 'snapshot' };
  }

  /** Keeps the look options the record gives; whether any changed. */
  private noteLook(plot: string, opts: object): boolean {
    const given = opts as LookOptions;
    const look = this.looks.get(plot) ?? {};
    let changed = false;
    for (const key of LOOK_OPTIONS) {
      const value = given[key];
      // The same object first: records of one declaration (format v2) share their options' values.
      if (value === undefined || value === look[key] || JSON.stringify(value) === JSON.stringify(look[key])) continue;
      (look as Record<string, unknown>)[key] = value;
      changed = true;
    }
    if (changed) this.looks.set(plot, look);
    return changed;
  }

  /** Records known not to have arrived, the newest gaps. */
  gaps(): SeqGap[] {
    return this.sequence.gaps().slice(-MAX_GAPS_LISTED);
  }

  /** The counts a page shows live. */
  status(): RunStatus {
    const gaps = this.gaps();
    return {
      records: this.counts.records,
      errors: this.errors,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ...(gaps.length > 0 ? { gaps } : {}),
      ...(this.health.replay ? { replay: this.health.replay } : {}),
    };
  }

  private header(): Omit<RunSnapshot, 'plots'> {
    return { run: this.run, layout: this.placement.cells(), ...this.status() };
  }

  private infoOf(name: string, plot: PlotState): PlotInfo {
    return { name, kind: plot.kind, cell: this.placement.cellOf(name)!, opts: { ...plot.options(), ...this.looks.get(name) }, length: plot.length(), version: this.versionOf(name) };
  }
}
