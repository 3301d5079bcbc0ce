/**
 * Many runs in one server, file mode: a directory of logs written by the real DataLogger,
 * read by the real server, answered over HTTP. Each run is served apart, exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLogger } from '@streamvis/logger';
import { LogDirSource, MergedSource, FileSource, startServer, type Health, type PlotSnapshot, type RunningServer, type RunSummary } from '@streamvis/server';

let dir: string;
const servers: RunningServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svruns-'));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Run `run`'s loss at `step`, different per run. */
const lossOf = (run: string, step: number) => run.length + step / 1000;

/** Logs `steps` steps of run `run` (a loss line and a scatter) to `log`; returns the records written. */
async function logRun(log: string, run: string, steps: number, from = 0): Promise<number> {
  const logger = new DataLogger(run);
  await logger.initWriteLog(log);
  for (let step = from; step < from + steps; step++) logger.tandemLines('loss', step, [lossOf(run, step), -step]);
  logger.scatter('points', Object.assign(Float64Array.of(run.length, 1, 2, 3), { shape: [2, 2] }), { spatialDim: 1, append: false });
  const report = await logger.shutdown();
  return report.sinks[0].delivered;
}

const get = async <T>(server: RunningServer, path: string): Promise<T> => {
  const response = await fetch(new URL(path, server.url));
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

async function serve(source: LogDirSource | MergedSource | FileSource, runs?: string[]): Promise<RunningServer> {
  const server = await startServer({ mode: 'file', port: 0, source, ...(runs ? { runs } : {}) });
  servers.push(server);
  return server;
}

async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ready(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('file --logdir: a directory of runs', () => {
  it('lists every run of every log, and serves each run\'s plots exactly; a log that appears later is picked up', async () => {
    const logdir = join(dir, 'three');
    const runs = ['seed-2', 'seed-10', 'seed-1'];
    const records = await Promise.all(runs.map((run, i) => logRun(join(logdir, run === 'seed-1' ? 'deep/inside' : '', `${run}.svlog`), run, 100 * (i + 1))));
    const server = await serve(new LogDirSource(logdir, { pollMs: 100 }));

    const listed = await get<RunSummary[]>(server, '/api/runs');
    expect(listed.map(({ run, records: count, plots, status }) => ({ run, count, plots, status }))).toEqual(
      // By name, numbers by value.
      ['seed-1', 'seed-2', 'seed-10'].map((run) => ({ run, count: records[runs.indexOf(run)], plots: ['loss', 'points'], status: 'live' })),
    );
    for (const [i, run] of runs.entries()) {
      const loss = await get<PlotSnapshot>(server, `/api/runs/${run}/plots/loss`);
      const steps = 100 * (i + 1);
      expect(loss.columns).toEqual({
        x: Array.from({ length: steps }, (_, step) => step),
        y0: Array.from({ length: steps }, (_, step) => lossOf(run, step)),
        y1: Array.from({ length: steps }, (_, step) => -step || 0),
      });
      expect((await get<PlotSnapshot>(server, `/api/runs/${run}/plots/points`)).columns).toEqual({ x: [run.length, 2], y: [1, 3] });
    }
    expect(await get<Health>(server, '/api/health')).toMatchObject({ run: null, runs: 3, records: records.reduce((a, b) => a + b), errors: 0 });

    // A fourth run starts while the server runs.
    const fourth = await logRun(join(logdir, 'seed-3.svlog'), 'seed-3', 50);
    const after = await until(() => get<RunSummary[]>(server, '/api/runs'), (list) => list.some((r) => r.run === 'seed-3' && r.records === fourth), 'run seed-3');
    expect(after.map((r) => r.run)).toEqual(['seed-1', 'seed-2', 'seed-3', 'seed-10']);
    expect((await get<PlotSnapshot>(server, '/api/runs/seed-3/plots/loss')).length).toBe(50);
  });

  it('keeps serving a run whose log is deleted, and follows a log of that name made anew', async () => {
    const logdir = join(dir, 'deleted');
    const [kept, gone] = [join(logdir, 'kept.svlog'), join(logdir, 'gone.svlog')];
    const keptRecords = await logRun(kept, 'kept', 40);
    const goneRecords = await logRun(gone, 'gone', 30);
    const server = await serve(new LogDirSource(logdir, { pollMs: 100 }));
    await until(() => get<Health>(server, '/api/health'), (h) => h.records === keptRecords + goneRecords, 'both logs read');
    await rm(gone);
    // The deleted log's run stays as it was read; the other log goes on.
    const more = await logRun(kept, 'kept', 20, 40);
    await until(() => get<PlotSnapshot>(server, '/api/runs/kept/plots/loss'), (loss) => loss.length === 60, 'kept run grows');
    expect((await get<PlotSnapshot>(server, '/api/runs/gone/plots/loss')).length).toBe(30);
    // A producer starting again under the deleted name: a new file, read from its start.
    const again = await logRun(gone, 'gone', 5, 1000);
    const loss = await until(() => get<PlotSnapshot>(server, '/api/runs/gone/plots/loss'), (snapshot) => snapshot.length === 35, 'the new file read', 15_000);
    expect(loss.columns.x.slice(-5)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(await get<Health>(server, '/api/health')).toMatchObject({ records: keptRecords + goneRecords + more + again, errors: 0 });
  });

  it('splits one log holding two runs into two, and --runs serves only those named', async () => {
    const log = join(dir, 'shared', 'both.svlog');
    const [a, b] = await Promise.all([logRun(log, 'left', 30), logRun(log, 'right', 40)]); // two processes' worth of appends, interleaved
    const server = await serve(new LogDirSource(join(dir, 'shared')));
    expect((await get<RunSummary[]>(server, '/api/runs')).map((r) => [r.run, r.records])).toEqual([['left', a], ['right', b]]);
    expect((await get<PlotSnapshot>(server, '/api/runs/left/plots/loss')).columns.x).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await get<PlotSnapshot>(server, '/api/runs/right/plots/loss')).columns.x).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const filtered = await serve(new LogDirSource(join(dir, 'shared')), ['right']);
    expect((await get<RunSummary[]>(filtered, '/api/runs')).map((r) => r.run)).toEqual(['right']);
    expect(await get<Health>(filtered, '/api/health')).toMatchObject({ records: b, ignored: a });
    expect((await fetch(new URL('/api/runs/left', filtered.url))).status).toBe(404);
  });

  it('applies a record found in two logs once (a server --log_file beside the producer\'s own log)', async () => {
    const own = join(dir, 'copies', 'producer.svlog');
    const records = await logRun(own, 'copied', 20);
    await appendFile(join(dir, 'copies', 'server-copy.svlog'), await readFile(own));
    const server = await serve(new LogDirSource(join(dir, 'copies')));
    const [run] = await get<RunSummary[]>(server, '/api/runs');
    expect(run).toMatchObject({ run: 'copied', records, errors: 0 });
    expect((await get<PlotSnapshot>(server, '/api/runs/copied/plots/loss')).columns.x).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('several LOG_FILEs for one run, and a directory that does not exist yet', async () => {
    const parts = [join(dir, 'parts', 'a.svlog'), join(dir, 'parts', 'b.svlog')];
    await logRun(parts[0], 'split', 10);
    await logRun(parts[1], 'split', 5, 10); // a second producer goes on from step 10
    const server = await serve(new MergedSource(parts.map((path) => new FileSource(path))), ['split']);
    // The logs are read side by side: each one's rows in order, the two interleaved as they come.
    expect(((await get<PlotSnapshot>(server, '/api/runs/split/plots/loss')).columns.x as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i));

    const later = join(dir, 'later');
    const waiting = await serve(new LogDirSource(later, { pollMs: 100 }));
    expect(await get<RunSummary[]>(waiting, '/api/runs')).toEqual([]);
    await mkdir(later);
    const records = await logRun(join(later, 'run.svlog'), 'late', 5);
    await until(() => get<RunSummary[]>(waiting, '/api/runs'), (list) => list[0]?.records === records, 'the late run');
  });
});
