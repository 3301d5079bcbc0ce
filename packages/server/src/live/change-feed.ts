import { jsonString } from '../http/json-chunks.js';
import type { LayoutEvent, VersionsEvent } from '../protocol.js';
import type { RunState } from '../state/run-state.js';
import { Pacer } from './pacer.js';
import type { RunListener } from './update-hub.js';

/** Sends one SSE event; resolves when the transport has taken it. */
export type SendChange = (event: 'layout' | 'versions', data: string) => Promise<void>;

/** Most time between two events while changes keep coming: about one animation frame. */
export const CHANGE_INTERVAL_MS = 16;

/**
 * One page following a run (GET .../changes). It is told which plots changed, never the
 * data: the page fetches a plot's newest frame when it is ready to draw it. So however fast
 * the producer, the page is never behind, and a slow page costs the server no queue, only
 * the set of plots that changed since its last event.
 */
export class ChangeFeed implements RunListener {
  private layoutPending = true;
  private statusPending = false;
  private readonly changed = new Set<string>();
  private readonly pacer = new Pacer(CHANGE_INTERVAL_MS, () => this.layoutPending || this.statusPending || this.changed.size > 0, () => this.sendPending());

  constructor(
    private readonly send: SendChange,
    private readonly state: RunState,
  ) {
    this.pacer.schedule();
  }

  layoutChanged(): void {
    this.layoutPending = true;
    this.pacer.schedule();
  }

  plotChanged(plot: string): void {
    this.changed.add(plot);
    this.pacer.schedule();
  }

  statusChanged(): void {
    this.statusPending = true;
    this.pacer.schedule();
  }

  close(): void {
    this.pacer.close();
  }

  private async sendPending(): Promise<void> {
    const clock = { now: Date.now(), ...(this.state.lastRecordAt === undefined ? {} : { lastRecordAt: this.state.lastRecordAt }) };
    // A layout event carries every plot's version, so it also answers any pending change.
    // Taken now, in one piece; encoded in turns (10,000 plots are a megabyte), changes meanwhile go in the next event.
    const [event, data]: ['layout', LayoutEvent] | ['versions', VersionsEvent] = this.layoutPending
      ? ['layout', { ...this.state.detail(), ...this.state.status(), ...clock }]
      : ['versions', { run: this.state.run, versions: this.versions(), ...this.state.status(), ...clock }];
    this.layoutPending = false;
    this.statusPending = false;
    this.changed.clear();
    await this.send(event, await jsonString(data));
  }

  private versions(): Record<string, number> {
    // Keyed by plot names: no prototype, so '__proto__' is a plot like any other.
    const versions = Object.create(null) as Record<string, number>;
    for (const plot of this.changed) versions[plot] = this.state.versionOf(plot);
    return versions;
  }
}
