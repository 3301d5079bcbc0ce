/** The plot data as CSV (GET .../plots/:plot.csv) and the frame of the last N steps, over real HTTP on a real log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColorSpec, DataLogger } from '@streamvis/logger';
import { decodeFrame, FileSource, startServer, type RunningServer } from '@streamvis/server';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcsv-'));
  const log = join(dir, 'run.svlog');
  const logger = new DataLogger('csv');
  await logger.initWriteLog(log);
  for (let step = 0; step < 100; step++) logger.tandemLines('loss', step, [step / 10, -step]);
  // Two lines of three points: [line][x or y][point].
  logger.multiLines('paths', Object.assign(Float64Array.of(0, 1, 2, 10, 11, 12, 3, 4, 5, 6, 7, 8), { shape: [2, 2, 3] }), { lineDims: [0], spatialDim: 1, append: false });
  logger.multiLines('tinted', Object.assign(Float64Array.of(0, 1, 2, 10, 11, 12, 3, 4, 5, 6, 7, 8), { shape: [2, 2, 3] }), { lineDims: [0], spatialDim: 1, append: false, color: new ColorSpec('Viridis256', 0) });
  logger.scatter('x.csv', Object.assign(Float64Array.of(1, 2), { shape: [1, 2] }), { spatialDim: 1, append: false });
  logger.scatter('x', Object.assign(Float64Array.of(5, 6), { shape: [1, 2] }), { spatialDim: 1, append: false });
  await logger.shutdown();
  server = await startServer({ mode: 'file', port: 0, run: 'csv', source: new FileSource(log) });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(new URL(path, server.url));

describe('GET .../plots/:plot.csv', () => {
  it('gives a lines plot as one row per step, as a download named after the plot', async () => {
    const response = await get('/api/runs/csv/plots/loss.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="loss.csv"');
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('x,y0,y1');
    expect(lines.slice(1)).toEqual(Array.from({ length: 100 }, (_, step) => `${step},${step / 10},${-step || 0}`));
  });

  it('gives multilines in long form, a row per point with its line', async () => {
    const csv = await (await get('/api/runs/csv/plots/paths.csv')).text();
    expect(csv).toBe('line,xs,ys\n0,0,10\n0,1,11\n0,2,12\n1,3,6\n1,4,7\n1,5,8\n');
  });

  it('gives coloured multilines each line\'s colour value on every row of the line', async () => {
    const csv = await (await get('/api/runs/csv/plots/tinted.csv')).text();
    expect(csv).toBe('line,xs,ys,color\n0,0,10,0\n0,1,11,0\n0,2,12,0\n1,3,6,1\n1,4,7,1\n1,5,8,1\n');
  });

  it('a plot named NAME.csv is served as that plot; an unknown plot is a JSON 404', async () => {
    expect((await (await get('/api/runs/csv/plots/x.csv')).json()) as { columns: unknown }).toMatchObject({ columns: { x: [1], y: [2] } });
    expect(await (await get('/api/runs/csv/plots/nothing.csv')).json()).toEqual({ error: 'no such plot: nothing.csv' });
  });
});

describe('GET .../frame?last=N', () => {
  it('holds x from the newest - N to the newest (and the step before, where the line enters)', async () => {
    const frame = decodeFrame(await (await get('/api/runs/csv/plots/loss/frame?width=800&last=10')).arrayBuffer());
    if (frame.kind !== 'lines') throw new Error('not a lines frame');
    expect(Array.from(frame.data.x)).toEqual(Array.from({ length: 12 }, (_, i) => 88 + i));
  });

  it.each(['0', '-5', 'ten'])('refuses last=%s with a JSON 400', async (last) => {
    const response = await get(`/api/runs/csv/plots/loss/frame?last=${last}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^last: /);
  });
});
