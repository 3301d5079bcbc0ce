import type { ChangeClock, ReplayProgress, RunStatus } from '../../protocol.js';
import type { ConnectionState } from './connection.js';

/** A producer silent this long is called quiet. */
const QUIET_AFTER_MS = 5_000;
/** Updates waiting this long to be drawn make the page say it is behind. */
const BEHIND_AFTER_MS = 1_000;

/**
 * The header's status indicator: whether the page is live, behind, looking at a quiet
 * producer or reconnecting, and the run's record and error counts.
 */
export class StatusBar {
  private readonly label: HTMLElement;
  private readonly records: HTMLElement;
  private readonly errors: HTMLElement;
  private state: ConnectionState = 'connecting';
  /** performance.now() at the latest record, by the server's clock at its last event. */
  private lastRecordAt: number | undefined;
  private replay: ReplayProgress | undefined;
  /** While the user paused the page: the updates waiting. */
  private paused: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    /** How long the oldest update not yet drawn has waited (ms). */
    private readonly waiting: () => number,
  ) {
    this.label = part(root, 'label');
    this.records = part(root, 'records');
    this.errors = part(root, 'errors');
    setInterval(() => this.render(), 500);
  }

  /** The page is paused with `waiting` updates not drawn; undefined: live again. */
  setPaused(waiting: number | undefined): void {
    this.paused = waiting;
    this.render();
  }

  setState(state: ConnectionState): void {
    this.state = state;
    this.root.dataset.state = state;
    this.render();
  }

  /** Notes when the run's latest record came, in the page's clock (the server's may differ). */
  setClock({ now, lastRecordAt }: ChangeClock): void {
    this.lastRecordAt = lastRecordAt === undefined ? undefined : performance.now() - (now - lastRecordAt);
    this.render();
  }

  /** `lastError`, when known, and the records still missing show on hovering the error count. */
  setCounts({ records, errors, lastError, gaps = [], replay }: RunStatus): void {
    this.replay = replay;
    this.records.textContent = records.toLocaleString('en-US');
    this.errors.textContent = errors.toLocaleString('en-US');
    this.root.dataset.errors = errors > 0 ? 'some' : 'none';
    const missing = gaps.reduce((sum, gap) => sum + gap.to - gap.from + 1, 0);
    const lines = [
      ...(lastError === undefined ? [] : [`latest error: ${lastError}`]),
      ...(missing > 0 ? [`missing now: ${missing.toLocaleString('en-US')} records in ${gaps.length === 1 ? '1 gap' : `${gaps.length} gaps`}`] : []),
    ];
    if (lines.length > 0) this.errors.title = lines.join('\n');
    this.render();
  }

  private render(): void {
    const [activity, text] = this.activity();
    this.root.dataset.activity = activity;
    this.label.textContent = text;
  }

  private activity(): [string, string] {
    if (this.state === 'connecting') return ['connecting', 'connecting…'];
    if (this.state === 'reconnecting') return ['reconnecting', 'reconnecting…'];
    if (this.paused !== undefined) return ['paused', `paused · ${this.paused.toLocaleString('en-US')} updates waiting`];
    if (this.replay) return ['replaying', `reading the log · ${Math.floor((100 * this.replay.delivered) / Math.max(1, this.replay.total))} %`];
    const behind = this.waiting();
    if (behind >= BEHIND_AFTER_MS) return ['behind', `behind by ${seconds(behind)}`];
    const quiet = this.lastRecordAt === undefined ? Infinity : performance.now() - this.lastRecordAt;
    if (quiet >= QUIET_AFTER_MS) return ['quiet', this.lastRecordAt === undefined ? 'live · no data yet' : `live · producer quiet for ${seconds(quiet)}`];
    return ['live', 'live'];
  }
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function part(root: HTMLElement, name: string): HTMLElement {
  const element = root.querySelector<HTMLElement>(`[data-part="${name}"]`);
  if (!element) throw new Error(`streamvis: the status bar lacks its '${name}' element`);
  return element;
}
