import type { LogRecord } from '@streamvis/format';
import type { RunStatus, RunSummary, SeqGap } from '../protocol.js';
import type { SourceHandlers } from '../source/source.js';
import { MAX_GAPS_LISTED, RunState } from '../state/run-state.js';
import { latestError, SourceHealth } from '../state/source-health.js';
import { UpdateHub } from './update-hub.js';

/**
 * Run names in natural order ("run2" before "run10"). Made at the first comparison: a
 * collator loads ICU's collation data, about 3 MiB of resident memory that a server of one
 * run never needs.
 */
let collator: Intl.Collator | undefined;
function byName(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b);
}

/** Which runs a server serves: the named ones, or every run its sources deliver. */
export type RunFilter = readonly string[] | 'all';

/** Told when the set of runs or a run's summary changes (GET /api/changes). */
export interface DirectoryListener {
  runsChanged(): void;
}

/**
 * Every run the server serves, each with its own state and listeners. Records go to the
 * run named in their header: a run appears with its first record, or from the start when
 * the filter names it (its page can be opened before the producer starts).
 */
export class RunDirectory {
  readonly health = new SourceHealth();
  private readonly hubs = new Map<string, UpdateHub>();
  private readonly listeners = new Set<DirectoryListener>();
  private readonly served: ReadonlySet<string> | undefined;

  constructor(readonly filter: RunFilter) {
    this.served = filter === 'all' ? undefined : new Set(filter);
    this.served?.forEach((run) => this.add(run));
  }

  /** The run when the filter names exactly one (its page is the server's home page). */
  get single(): string | undefined {
    return this.filter !== 'all' && this.filter.length === 1 ? this.filter[0] : undefined;
  }

  /** What a source calls: records go to their run, the rest to the shared health. */
  readonly handlers: SourceHandlers = {
    record: (record) => this.apply(record),
    corrupt: (report) => this.noteSource(() => this.health.noteCorruption(report)),
    failure: (message) => this.noteSource(() => this.health.noteFailure(message)),
    progress: (delivered, total) => this.noteSource(() => this.health.noteReplay(delivered, total)),
  };

  apply(record: LogRecord): void {
    const { run } = record.header;
    let hub = this.hubs.get(run);
    if (!hub) {
      if (this.served) {
        this.health.ignored++;
        return;
      }
      hub = this.add(run);
    }
    const first = hub.state.counts.records === 0;
    hub.apply(record);
    if (first && hub.state.counts.records > 0) this.listeners.forEach((listener) => listener.runsChanged());
  }

  /** Whether records of `run` are served (taken when they come). */
  serves(run: string): boolean {
    return this.served === undefined || this.served.has(run);
  }

  hub(run: string): UpdateHub | undefined {
    return this.hubs.get(run);
  }

  /** Runs held now. */
  get size(): number {
    return this.hubs.size;
  }

  runs(): IterableIterator<UpdateHub> {
    return this.hubs.values();
  }

  /** Every run, by name (numbers in names by value: seed-9 before seed-10). */
  summaries(now = Date.now()): RunSummary[] {
    return [...this.hubs.values()].map((hub) => hub.state.summary(now)).sort((a, b) => byName(a.run, b.run));
  }

  /** The counts over every run: each run's own errors plus the sources' once. */
  status(): RunStatus & { lastRecordAt?: number } {
    const { health } = this;
    let records = 0;
    let errors = health.errors;
    let latest = health.lastError;
    let lastRecordAt: number | undefined;
    const gaps: SeqGap[] = [];
    for (const { state } of this.hubs.values()) {
      records += state.counts.records;
      errors += state.ownErrors;
      gaps.push(...state.gaps());
      latest = latestError(latest, state.ownError);
      if (state.lastRecordAt !== undefined) lastRecordAt = Math.max(lastRecordAt ?? 0, state.lastRecordAt);
    }
    return {
      records,
      errors,
      ...(latest ? { lastError: latest.message } : {}),
      ...(gaps.length > 0 ? { gaps: gaps.slice(-MAX_GAPS_LISTED) } : {}),
      ...(health.replay ? { replay: health.replay } : {}),
      ...(lastRecordAt === undefined ? {} : { lastRecordAt }),
    };
  }

  /** Adds a listener; returns its removal. */
  subscribe(listener: DirectoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(run: string): UpdateHub {
    const hub = new UpdateHub(new RunState(run, this.health));
    this.hubs.set(run, hub);
    this.listeners.forEach((listener) => listener.runsChanged());
    return hub;
  }

  private noteSource(note: () => void): void {
    note();
    this.hubs.forEach((hub) => hub.statusChanged());
    this.listeners.forEach((listener) => listener.runsChanged());
  }
}

