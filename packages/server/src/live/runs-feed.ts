import { jsonString } from '../http/json-chunks.js';
import type { RunsEvent } from '../protocol.js';
import { Pacer } from './pacer.js';
import type { DirectoryListener, RunDirectory } from './run-directory.js';

/** Sends one SSE event; resolves when the transport has taken it. */
export type SendRuns = (event: 'runs', data: string) => Promise<void>;

/** Most often the list goes out while runs keep appearing. */
export const RUNS_INTERVAL_MS = 500;
/** How often the counts are looked at for a change when no run appears. */
export const RUNS_REFRESH_MS = 2_000;

/**
 * The list of runs for a page that picks runs (GET /api/changes): sent first, at once when
 * a run appears, and every RUNS_REFRESH_MS when the counts moved.
 */
export class RunsFeed implements DirectoryListener {
  private last = '';
  private changed = true;
  private readonly pacer = new Pacer(RUNS_INTERVAL_MS, () => this.changed, () => this.sendRuns());
  private readonly refresh: NodeJS.Timeout;

  constructor(
    private readonly send: SendRuns,
    private readonly directory: RunDirectory,
  ) {
    this.pacer.schedule();
    this.refresh = setInterval(() => this.runsChanged(), RUNS_REFRESH_MS);
  }

  runsChanged(): void {
    this.changed = true;
    this.pacer.schedule();
  }

  close(): void {
    clearInterval(this.refresh);
    this.pacer.close();
  }

  private async sendRuns(): Promise<void> {
    this.changed = false;
    const now = Date.now();
    // Taken now, encoded in turns (a thousand runs of many plots are megabytes).
    const event: Omit<RunsEvent, 'now'> = { runs: this.directory.summaries(now), ...this.directory.status() };
    const data = await jsonString(event);
    if (data === this.last) return;
    this.last = data;
    // The RunsEvent: the object encoded (and compared) without `now`, with `now` added at its end.
    await this.send('runs', `${data.slice(0, -1)},"now":${now}}`);
  }
}
