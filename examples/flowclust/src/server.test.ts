import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { FrameReader } from '@streamvis/format';
import { FlowSimulator } from './simulator.js';
import { startPointsServer, type RunningPointsServer } from './server.js';
import { FLOW_FRAME_SIZE, streamClusters } from './client.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const simulator = new FlowSimulator({ seed: 5 });
const dir = mkdtempSync(join(tmpdir(), 'svflowclust-'));
let server: RunningPointsServer;

beforeAll(async () => {
  server = await startPointsServer(simulator, 0);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (query: string) => fetch(new URL(`points?${query}`, server.url));

describe('points server', () => {
  it('serves the points of a window, without the ground truth', async () => {
    const response = await get(`start=${iso(T0)}&stop=${iso(T0 + 5000)}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    const { ts, points, columns } = simulator.pointsBetween(T0, T0 + 5000);
    expect(body).toEqual({ ts, points, columns });
    expect(points.length).toBeGreaterThan(100);
  });

  it('answers bad queries with a JSON error and a 4xx status', async () => {
    for (const [query, pattern] of [
      [`stop=${iso(T0)}`, /start/],
      [`start=${iso(T0)}&stop=yesterday`, /stop/],
      [`start=${iso(T0 + 1000)}&stop=${iso(T0)}`, /stop/],
      [`start=${iso(T0)}&stop=${iso(T0 + 24 * 3600_000)}`, /stop/],
    ] as const) {
      const response = await get(query);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(pattern);
    }
    const missing = await fetch(new URL('nothing', server.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toHaveProperty('error');
  });
});

describe('streamClusters', () => {
  it('logs every window of the flow with logger.cluster', async () => {
    const log = join(dir, 'flow.svlog');
    const logger = new DataLogger('flowclust');
    await logger.initWriteLog(log);
    const sent = await streamClusters({ pointsUrl: server.url, logger, plot: 'flow', startMs: T0, windowMs: 10_000, windows: 3 });
    await logger.shutdown();
    const reader = new FrameReader();
    reader.push(readFileSync(log));
    const records = reader.drain().flatMap((e) => (e.type === 'record' ? [e.record] : []));
    expect(records.map((r) => r.header.kind)).toEqual(['cluster', 'cluster', 'cluster']);
    expect(records[0].header).toMatchObject({ plot: 'flow', opts: { columns: ['lorem', 'ipsum', 'dolor'], kMin: 1, kMax: 16, frameSize: FLOW_FRAME_SIZE } });
    const expected = simulator.pointsBetween(T0 + 10_000, T0 + 20_000).points;
    expect(records[1].arrays.points.shape).toEqual([expected.length, 3]);
    expect(Array.from(records[1].arrays.points.data)).toEqual(expected.flat());
    expect(sent).toBe(records.reduce((s, r) => s + r.arrays.points.shape[0], 0));
  });
});
