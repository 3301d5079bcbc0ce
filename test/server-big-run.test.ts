/**
 * A run of 10,000 plots (MAX_PLOTS_PER_RUN), read from a real log by the real server on
 * 127.0.0.1: every answer about it is right, costs O(1) per plot (counted, not timed), and
 * big answers are encoded in turns, so other requests are answered meanwhile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_PLOTS_PER_RUN } from '@streamvis/format';
import { FileSource, startServer, type Health, type PlotInfo, type PlotSnapshot, type RunDetail, type RunningServer, type RunSnapshot, type RunSummary } from '@streamvis/server';
import { LinesPlot } from '../packages/server/src/state/lines-plot.js';
import { Placement } from '../packages/server/src/state/placement.js';
import { RunState } from '../packages/server/src/state/run-state.js';
import { LogWriter } from './support/log-writer.js';
import { SseStream } from './support/server-sse.js';

const RUN = 'big';
const PLOTS = MAX_PLOTS_PER_RUN;
const STEPS = 3;

/** Plot i's cell: no layout record, so the 2-column grid in order of first use. */
const cellOf = (i: number) => [Math.floor(i / 2), i % 2, 1, 1];

// Work the server does per plot, counted on the real methods (spies that call through).
const placedAutomatically = vi.spyOn(Placement.prototype as unknown as { placeAutomatically(plot: string): void }, 'placeAutomatically');
const cellsListed = vi.spyOn(Placement.prototype, 'cells');
const infosMade = vi.spyOn(LinesPlot.prototype, 'options');
const columnsCopied = vi.spyOn(LinesPlot.prototype, 'columns');
const summariesMade = vi.spyOn(RunState.prototype, 'summary');
const counters = [placedAutomatically, cellsListed, infosMade, columnsCopied, summariesMade];

let dir: string;
let server: RunningServer;
let placedWhileReading: number;

const url = (path: string) => new URL(path, server.url).href;
const get = async <T>(path: string): Promise<T> => {
  const response = await fetch(url(path));
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

function expectEveryPlot(plots: readonly (PlotInfo | PlotSnapshot)[]): void {
  expect(plots).toHaveLength(PLOTS);
  plots.forEach((plot, i) => {
    expect(plot).toMatchObject({ name: `p${i}`, kind: 'lines', cell: cellOf(i), length: STEPS, opts: { rollover: 1_000_000 } });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svbigrun-'));
  const log = join(dir, 'big.svlog');
  const writer = await LogWriter.create(log, RUN);
  for (let step = 0; step < STEPS; step++) for (let i = 0; i < PLOTS; i++) await writer.lines(`p${i}`, step, [i, step]);
  await writer.close();
  server = await startServer({ mode: 'file', port: 0, run: RUN, source: new FileSource(log) });
  placedWhileReading = placedAutomatically.mock.calls.length;
});

afterEach(() => counters.forEach((counter) => counter.mockClear()));

afterAll(async () => {
  await server?.close();
  counters.forEach((counter) => counter.mockRestore());
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a run of 10,000 plots', () => {
  it('worked out each plot cell once, when the plot came', () => {
    expect(placedWhileReading).toBe(PLOTS);
  });

  it('GET /api/runs/:run answers every plot with its cell, at O(1) per plot', async () => {
    const detail = await get<RunDetail>(`/api/runs/${RUN}`);
    expect(detail).toMatchObject({ run: RUN, records: PLOTS * STEPS, errors: 0 });
    expectEveryPlot(detail.plots);
    expect(Object.keys(detail.layout)).toHaveLength(PLOTS);
    expect(detail.layout[`p${PLOTS - 1}`]).toEqual(cellOf(PLOTS - 1));
    // Versions are the run's count of changes: the last step's records, one per plot, in order.
    expect(detail.plots.map((plot) => plot.version)).toEqual(Array.from({ length: PLOTS }, (_, i) => (STEPS - 1) * PLOTS + i + 1));

    // One listing of the cells, no cell worked out again, each plot's info made once, no data copied.
    expect(cellsListed).toHaveBeenCalledTimes(1);
    expect(placedAutomatically).not.toHaveBeenCalled();
    expect(infosMade).toHaveBeenCalledTimes(PLOTS);
    expect(columnsCopied).not.toHaveBeenCalled();
  });

  it('the event stream first sends a snapshot of every plot with its data, copying each plot once', async () => {
    const events = await SseStream.open(url(`/api/runs/${RUN}/events`));
    try {
      const snapshot = await events.nextJson<RunSnapshot>('snapshot', 30_000);
      expectEveryPlot(snapshot.plots);
      snapshot.plots.forEach((plot, i) => expect(plot.columns).toEqual({ x: [0, 1, 2], y0: [i, i, i], y1: [0, 1, 2] }));
      expect(cellsListed).toHaveBeenCalledTimes(1);
      expect(placedAutomatically).not.toHaveBeenCalled();
      expect(columnsCopied).toHaveBeenCalledTimes(PLOTS);
    } finally {
      events.close();
    }
  });

  it('the page change stream first sends the layout of every plot with its version', async () => {
    const changes = await SseStream.open(url(`/api/runs/${RUN}/changes`));
    try {
      const layout = await changes.nextJson<RunDetail & { now: number }>('layout', 30_000);
      expectEveryPlot(layout.plots);
      expect(layout.records).toBe(PLOTS * STEPS);
      expect(infosMade).toHaveBeenCalledTimes(PLOTS);
    } finally {
      changes.close();
    }
  });

  it('GET /api/runs and /api/health answer with one summary and no plot walked', async () => {
    const [runs, health] = await Promise.all([get<RunSummary[]>('/api/runs'), get<Health>('/api/health')]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ run: RUN, records: PLOTS * STEPS, errors: 0 });
    expect(runs[0].plots).toEqual(Array.from({ length: PLOTS }, (_, i) => `p${i}`));
    expect(health).toMatchObject({ status: 'ok', run: RUN, runs: 1, records: PLOTS * STEPS, errors: 0 });
    expect(summariesMade).toHaveBeenCalledTimes(1);
    expect(infosMade).not.toHaveBeenCalled();
    expect(cellsListed).not.toHaveBeenCalled();
  });

  it('answers /api/health while it is still producing the answer of 10,000 plots', async () => {
    // Two idle connections, so the health request goes out at once beside the detail.
    await Promise.all([get('/api/health'), get('/api/health')]);
    const finished: string[] = [];
    const response = await fetch(url(`/api/runs/${RUN}`));
    // The answer has begun (its headers came with its first piece); the rest is encoded in turns.
    const detail = response.json().then((body: RunDetail) => {
      finished.push('detail');
      return body;
    });
    const health = get<Health>('/api/health').then((body) => {
      finished.push('health');
      return body;
    });
    const [answered, status] = await Promise.all([detail, health]);
    expect(finished).toEqual(['health', 'detail']);
    expect(status.records).toBe(PLOTS * STEPS);
    expectEveryPlot(answered.plots);
  });
});
