import { jsonString } from '../http/json-chunks.js';
import type { DeltaBatch, PlotDelta, RunSnapshot, RunStatus } from '../protocol.js';
import type { DeferredDelta } from '../state/plot-state.js';
import { mergeDeltas } from './merge-deltas.js';
import { Pacer } from './pacer.js';
import type { RunListener } from './update-hub.js';

/** Sends one SSE event; resolves when the transport has taken it. */
export type SendEvent = (event: 'snapshot' | 'delta', data: string) => Promise<void>;

/**
 * Least time between two messages to one client while updates keep coming. A message goes
 * out at once after a quiet moment, so at a training loop's pace (100 steps/s) each update is
 * its own message, milliseconds after the call; a faster producer's updates are merged into
 * at most 250 messages/s, so a client costs the server the same whatever the producer's rate.
 */
export const COALESCE_MS = 4;
/** Beyond this many queued values a client that cannot keep up gets a snapshot instead (bounds memory). */
const MAX_QUEUED_VALUES = 4_000_000;

/**
 * One client of the JSON event stream (GET .../events). Updates are queued and sent
 * together, paced (see Pacer) at most every COALESCE_MS. A pending snapshot supersedes
 * queued deltas, since it already contains them.
 */
export class LiveClient implements RunListener {
  private queue: PlotDelta[] = [];
  private queuedValues = 0;
  private needsSnapshot = true;
  /** The counts changed without a delta (a new error): send them in a batch of their own. */
  private statusPending = false;
  private readonly pacer = new Pacer(COALESCE_MS, () => this.needsSnapshot || this.queue.length > 0 || this.statusPending, () => this.sendPending());

  constructor(
    private readonly send: SendEvent,
    private readonly snapshot: () => RunSnapshot,
    private readonly status: () => RunStatus,
  ) {
    this.pacer.schedule();
  }

  pushDelta(delta: PlotDelta): void {
    if (this.needsSnapshot) return;
    this.queue.push(delta);
    this.queuedValues += valuesIn(delta);
    if (this.queuedValues > MAX_QUEUED_VALUES) this.requestSnapshot();
    this.pacer.schedule();
  }

  plotChanged(_plot: string, delta: DeferredDelta): void {
    if (!this.needsSnapshot) this.pushDelta(delta());
  }

  layoutChanged(): void {
    this.requestSnapshot();
  }

  /** The run's counts changed on their own (an error); deltas carry them anyway. */
  statusChanged(): void {
    this.statusPending = true;
    this.pacer.schedule();
  }

  requestSnapshot(): void {
    this.needsSnapshot = true;
    this.queue = [];
    this.queuedValues = 0;
    this.pacer.schedule();
  }

  close(): void {
    this.pacer.close();
  }

  private async sendPending(): Promise<void> {
    // Taken now, in one piece (deltas that come meanwhile follow it); encoded in turns: a
    // snapshot holds every plot's data.
    const [event, data]: ['snapshot', RunSnapshot] | ['delta', DeltaBatch] = this.needsSnapshot
      ? ['snapshot', this.snapshot()]
      : ['delta', { deltas: mergeDeltas(this.queue), ...this.status() }];
    this.needsSnapshot = false;
    this.statusPending = false;
    this.queue = [];
    this.queuedValues = 0;
    await this.send(event, await jsonString(data));
  }
}

function valuesIn(delta: PlotDelta): number {
  let count = 0;
  for (const column of Object.values(delta.columns)) {
    const lines = column.length > 0 && typeof column[0] !== 'number';
    count += lines ? (column as number[][]).reduce((sum, line) => sum + line.length, 0) : column.length;
  }
  return count;
}
