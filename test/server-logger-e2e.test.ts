import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ColorSpec, DataLogger, GridSpec, ndarray } from '@streamvis/logger';
import { FrameReader, encodeRecord } from '@streamvis/format';
import { FileSource, startServer, type Health, type PlotSnapshot, type RunningServer } from '@streamvis/server';

let dir: string;
const servers: RunningServer[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sve2e-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(run: string, log: string): Promise<RunningServer> {
  const server = await startServer({ mode: 'file', port: 0, run, source: new FileSource(log) });
  servers.push(server);
  return server;
}
const get = async <T>(server: RunningServer, path: string): Promise<T> => (await fetch(new URL(path, server.url))).json() as Promise<T>;
const columnsOf = async (server: RunningServer, run: string, plot: string) => (await get<PlotSnapshot>(server, `/api/runs/${run}/plots/${plot}`)).columns;

async function waitForRecords(server: RunningServer, records: number): Promise<Health> {
  const until = Date.now() + 10_000;
  for (;;) {
    const health = await get<Health>(server, '/api/health');
    if (health.records >= records || Date.now() > until) return health;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('logger -> log file -> server', () => {
  it('the server holds exactly what was logged, for every kind of plot', async () => {
    const log = join(dir, 'kinds.svlog');
    const server = await serve('kinds', log);
    const logger = new DataLogger('kinds');
    await logger.initWriteLog(log);

    logger.scatter('plain', [[1, 2], [3, 4], [5, 6]], { spatialDim: 1, append: false });
    logger.scatter('plain', [[7, 8]], { spatialDim: 1, append: true });
    // Three slices of two points; x extent 1, y extent 2, padding 1.5: columns step 1.5, rows step 3.
    const slice = [[0, 0], [1, 2]];
    logger.scatter('grid', [slice, slice, slice], { spatialDim: 2, append: false, grid: new GridSpec(0, 2, 1.5) });
    logger.scatter('valued', [[0, 0, 0.25], [1, 1, 0.75]], { spatialDim: 1, append: false, color: new ColorSpec('Viridis256') });
    logger.scatter('sliced', [[[0, 1]], [[2, 3]], [[4, 5]]], { spatialDim: 2, append: false, color: new ColorSpec('Turbo256', 0) });
    for (let i = 0; i < 5; i++) logger.scatter('rolling', [[i, -i], [i + 0.5, -i - 0.5]], { spatialDim: 1, append: true, rollover: 3 });
    logger.scatter('replaced', [[1, 1]], { spatialDim: 1, append: false });
    logger.scatter('replaced', [[2, 2], [3, 3]], { spatialDim: 1, append: false });
    for (let step = 0; step < 8; step++) logger.tandemLines('loss', step, [step, 10 * step, -step], { rollover: 5 });
    // Two lines of three points each: data[line][point] = [x, y].
    const path = (line: number, from: number) => [0, 1, 2].map((p) => [from + p, 10 * line + from + p]);
    logger.multiLines('paths', [path(0, 0), path(1, 0)], { lineDims: [0], spatialDim: 2, append: true });
    logger.multiLines('paths', [path(0, 3), path(1, 3)], { lineDims: [0], spatialDim: 2, append: true });
    logger.multiLines('swapped', [path(0, 0), path(1, 0)], { lineDims: [0], spatialDim: 2, append: true });
    logger.multiLines('swapped', [path(2, 5)], { lineDims: [0], spatialDim: 2, append: false });
    logger.multiLines('flat', ndarray(Float64Array.of(0, 5, 0, 8, 1, 6, 1, 9, 2, 7, 2, 10), [3, 2, 2]), { lineDims: [1], spatialDim: 2, append: true, rollover: 2 });
    const report = await logger.shutdown();

    const health = await waitForRecords(server, report.records);
    expect(health).toMatchObject({ records: report.records, errors: 0 });
    expect(await columnsOf(server, 'kinds', 'plain')).toEqual({ x: [1, 3, 5, 7], y: [2, 4, 6, 8] });
    expect(await columnsOf(server, 'kinds', 'grid')).toEqual({ x: [0, 1, 1.5, 2.5, 0, 1], y: [0, 2, 0, 2, -3, -1] });
    const valued = await get<PlotSnapshot>(server, '/api/runs/kinds/plots/valued');
    expect(valued).toMatchObject({ opts: { palette: 'Viridis256' }, columns: { x: [0, 1], y: [0, 1], color: [0.25, 0.75] } });
    expect(await columnsOf(server, 'kinds', 'sliced')).toEqual({ x: [0, 2, 4], y: [1, 3, 5], color: [0, 0.5, 1] });
    expect(await columnsOf(server, 'kinds', 'rolling')).toEqual({ x: [3.5, 4, 4.5], y: [-3.5, -4, -4.5] });
    expect(await columnsOf(server, 'kinds', 'replaced')).toEqual({ x: [2, 3], y: [2, 3] });
    expect(await columnsOf(server, 'kinds', 'loss')).toEqual({ x: [3, 4, 5, 6, 7], y0: [3, 4, 5, 6, 7], y1: [30, 40, 50, 60, 70], y2: [-3, -4, -5, -6, -7] });
    expect(await columnsOf(server, 'kinds', 'paths')).toEqual({
      xs: [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]],
      ys: [[0, 1, 2, 3, 4, 5], [10, 11, 12, 13, 14, 15]],
    });
    expect(await columnsOf(server, 'kinds', 'swapped')).toEqual({ xs: [[5, 6, 7]], ys: [[25, 26, 27]] });
    // data[point][line] = [x, y]: line 0 is (0,5) (1,6) (2,7), line 1 (0,8) (1,9) (2,10); rollover keeps 2 points.
    expect(await columnsOf(server, 'kinds', 'flat')).toEqual({ xs: [[1, 2], [1, 2]], ys: [[6, 7], [9, 10]] });
    expect((await get<{ plots: { name: string; cell: number[] }[] }>(server, '/api/runs/kinds')).plots.map((p) => [p.name, p.cell])).toEqual([
      ['plain', [0, 0, 1, 1]], ['grid', [0, 1, 1, 1]], ['valued', [1, 0, 1, 1]], ['sliced', [1, 1, 1, 1]], ['rolling', [2, 0, 1, 1]],
      ['replaced', [2, 1, 1, 1]], ['loss', [3, 0, 1, 1]], ['paths', [3, 1, 1, 1]], ['swapped', [4, 0, 1, 1]], ['flat', [4, 1, 1, 1]],
    ]);
  });

  it('a producer killed with SIGKILL mid-stream: every complete record is shown, a torn tail is no error', async () => {
    const log = join(dir, 'killed.svlog');
    const server = await serve('killed', log);
    const logger = fileURLToPath(new URL('../packages/logger/dist/index.js', import.meta.url));
    // 1000 points per record, x counting up across records, about one record per millisecond.
    const producer = `
      const { DataLogger } = await import(${JSON.stringify(logger)});
      const logger = new DataLogger('killed');
      await logger.initWriteLog(${JSON.stringify(log)});
      process.stdout.write('ready\\n');
      for (let seq = 0; ; seq++) {
        const data = new Float64Array(2000);
        for (let i = 0; i < 1000; i++) { data[2 * i] = seq * 1000 + i; data[2 * i + 1] = -i; }
        logger.scatter('stream', { data, shape: [1000, 2] }, { spatialDim: 1, append: true, rollover: 10000000 });
        await new Promise((resolve) => setTimeout(resolve, 1));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', producer], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // The kill may have landed between two writes: make sure the log ends in a torn record.
    const torn = encodeRecord({ run: 'killed', logger: 'x', seq: 0, time: 0, kind: 'scatter', plot: 'stream', opts: { append: true } }, [
      { name: 'x', shape: [100], data: new Float64Array(100) },
      { name: 'y', shape: [100], data: new Float64Array(100) },
    ]);
    await appendFile(log, torn.subarray(0, torn.length / 2));

    const reader = new FrameReader();
    reader.push(await readFile(log));
    const events = reader.drain();
    expect(events.every((e) => e.type === 'record')).toBe(true);
    expect(events.length).toBeGreaterThan(10);

    const health = await waitForRecords(server, events.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await get<Health>(server, '/api/health')).toMatchObject({ records: events.length, errors: 0 });
    const { x } = await columnsOf(server, 'killed', 'stream');
    expect(health.records).toBe(events.length);
    expect((x as number[]).length).toBe(events.length * 1000);
    expect((x as number[]).every((value, i) => value === i)).toBe(true);
  });
});
