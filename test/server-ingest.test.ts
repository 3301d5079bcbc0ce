/**
 * Records over HTTP (POST /api/runs/:run/records, `--ingest`) and the logger's HTTP sink:
 * real servers on real sockets, real logs written by the real DataLogger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ColorSpec, DataLogger } from '@streamvis/logger';
import { FileSource, FRAMES_CONTENT_TYPE, IngestSource, startServer, type Health, type PlotSnapshot, type RunningServer, type RunSummary } from '@streamvis/server';
import { startNode, type NodeProcess } from './e2e/processes.js';
import { freeLoopbackPort } from './support/pubsub-emulator.js';
import { rawGet } from './support/raw-http.js';

const serverCli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const PLOTS = ['loss', 'cloud', 'paths'];
let dir: string;
let log: string;
let reference: RunningServer;
const servers: RunningServer[] = [];
const processes: NodeProcess[] = [];

/** The same records each time for one logger: lines, a coloured scatter, multilines, a layout. */
async function logAll(logger: DataLogger): Promise<void> {
  logger.setLayout({ loss: [0, 0, 1, 2], cloud: [1, 0, 1, 1], paths: [1, 1, 1, 1] });
  for (let step = 0; step < 50; step++) logger.tandemLines('loss', step, [1 / (step + 1), step % 7]);
  logger.scatter('cloud', Object.assign(Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? (i % 10) / 10 : Math.sin(i))), { shape: [100, 3] }), { spatialDim: 1, append: false, color: new ColorSpec('Viridis256') });
  logger.multiLines('paths', Object.assign(Float64Array.of(0, 1, 2, 5, 6, 7, 3, 4, 5, 1, 1, 1), { shape: [2, 2, 3] }), { lineDims: [0], spatialDim: 1, append: true });
}

async function ingestServer(options: { token?: string; host?: string } = {}): Promise<RunningServer> {
  const ingest = new IngestSource();
  const server = await startServer({ mode: 'file', port: 0, run: 'run', source: ingest, ingest, ...options });
  servers.push(server);
  return server;
}

const local = (server: RunningServer, path: string) => `http://127.0.0.1:${server.port}${path}`;
const post = (server: RunningServer, body: Uint8Array | string, type: string, headers: Record<string, string> = {}, run = 'run') =>
  fetch(local(server, `/api/runs/${run}/records`), { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'Content-Type': type, ...headers } });
const get = async <T>(server: RunningServer, path: string, headers: Record<string, string> = {}): Promise<T> => (await fetch(local(server, path), { headers })).json() as Promise<T>;
const plots = async (server: RunningServer, run = 'run') => Object.fromEntries(await Promise.all(PLOTS.map(async (plot) => [plot, await get<PlotSnapshot>(server, `/api/runs/${run}/plots/${plot}`)])));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svingest-'));
  log = join(dir, 'reference.svlog');
  const logger = new DataLogger('run');
  await logger.initWriteLog(log);
  await logAll(logger);
  await logger.shutdown();
  reference = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log) });
  servers.push(reference);
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('POST /api/runs/:run/records', () => {
  it('takes encoded frames: the run then equals a replay of the same log; posted again, nothing is applied twice', async () => {
    const server = await ingestServer();
    const bytes = await readFile(log);
    const response = await post(server, bytes, FRAMES_CONTENT_TYPE);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 53 });
    expect(await plots(server)).toEqual(await plots(reference));
    expect(await post(server, bytes, FRAMES_CONTENT_TYPE).then((r) => r.status)).toBe(200);
    expect(await get<Health>(server, '/api/health')).toMatchObject({ records: 53, errors: 0 });
    expect(await plots(server)).toEqual(await plots(reference));
  });

  it('takes the JSON form, one record or many, checked like a logger call', async () => {
    const server = await ingestServer();
    const one = await post(server, JSON.stringify({ kind: 'lines', plot: 'loss', opts: { x: 0 }, arrays: { y: [1, 0] } }), 'application/json');
    expect(await one.json()).toEqual({ accepted: 1 });
    const many = Array.from({ length: 49 }, (_, i) => ({ kind: 'lines', plot: 'loss', opts: { x: i + 1 }, arrays: { y: [1 / (i + 2), (i + 1) % 7] } }));
    expect(await (await post(server, JSON.stringify({ records: many }), 'application/json')).json()).toEqual({ accepted: 49 });
    const scatter = { kind: 'scatter', plot: 'points', opts: { append: false }, arrays: { x: [1, 2], y: { shape: [2], data: [3, 4], dtype: 'float32' } } };
    expect((await post(server, JSON.stringify(scatter), 'application/json')).status).toBe(200);
    expect((await get<PlotSnapshot>(server, '/api/runs/run/plots/loss')).columns).toEqual((await get<PlotSnapshot>(reference, '/api/runs/run/plots/loss')).columns);
    expect((await get<PlotSnapshot>(server, '/api/runs/run/plots/points')).columns).toEqual({ x: [1, 2], y: [3, 4] });
    // A script that numbers its records is deduplicated like a logger.
    const numbered = JSON.stringify({ kind: 'lines', plot: 'steps', opts: { x: 0 }, arrays: { y: [5] }, logger: 'script', seq: 0 });
    await post(server, numbered, 'application/json');
    await post(server, numbered, 'application/json');
    expect((await get<PlotSnapshot>(server, '/api/runs/run/plots/steps')).length).toBe(1);
  });

  it.each([
    ['garbage frames', () => Buffer.from('not a record'), FRAMES_CONTENT_TYPE, 400, /^record 1 \(at byte 0\): .*nothing was taken/],
    ['a torn frame', async () => (await readFile(log)).subarray(0, 100), FRAMES_CONTENT_TYPE, 400, /not a whole record; nothing was taken/],
    ['an unknown kind', () => JSON.stringify({ kind: 'histogram', plot: 'h', opts: {} }), 'application/json', 400, /kind/],
    ['bad options', () => JSON.stringify({ kind: 'lines', plot: 'loss', opts: { x: 'one' }, arrays: { y: [1] } }), 'application/json', 400, /opts\.x/],
    ['a string in an array', () => JSON.stringify({ kind: 'lines', plot: 'loss', opts: { x: 1 }, arrays: { y: [1, '2'] } }), 'application/json', 400, /^the record\.arrays\.y\[1\]: expected a number/],
    ['not JSON', () => '{"kind":', 'application/json', 400, /^the body is not JSON/],
    ['a form', () => 'kind=lines', 'application/x-www-form-urlencoded', 415, /^Content-Type: expected application\/x-streamvis or application\/json/],
  ])('refuses %s with a JSON error naming the problem, and takes nothing', async (_, body, type, status, message) => {
    const server = await ingestServer();
    const response = await post(server, await body(), type);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect((await get<Health>(server, '/api/health')).records).toBe(0);
  });

  it('takes no record from a page of another site: no simple request, no preflight allowed, no other Host', async () => {
    const server = await ingestServer();
    const record = JSON.stringify({ kind: 'lines', plot: 'steps', opts: { x: 0 }, arrays: { y: [1] } });
    // A form or text/plain POST is what a page may send without asking first: refused whatever the body.
    const simple = await post(server, record, 'text/plain', { Origin: 'http://elsewhere.test' });
    expect(simple.status).toBe(415);
    // A JSON POST makes the browser ask first; the answer allows no other origin, so it never sends it.
    const preflight = await fetch(local(server, '/api/runs/run/records'), {
      method: 'OPTIONS',
      headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // A page reaching the server through another name (DNS rebinding) sends its own Host.
    const rebound = await rawGet(local(server, '/api/runs/run/records'), { Host: 'attacker.test', 'Content-Type': 'application/json' }, { method: 'POST', body: record });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: expect.stringMatching(/host/i) });
    expect((await get<Health>(server, '/api/health')).records).toBe(0);
    // The same record from the server's own page or a script is taken.
    expect((await post(server, record, 'application/json')).status).toBe(200);
    expect((await get<Health>(server, '/api/health')).records).toBe(1);
  });

  it('refuses records of another run than the URL names, and a run the server does not serve', async () => {
    const server = await ingestServer();
    const frames = await readFile(log);
    const response = await post(server, frames, FRAMES_CONTENT_TYPE, {}, 'other');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/^no such run: other/);
    const ingest = new IngestSource();
    const all = await startServer({ mode: 'file', port: 0, source: ingest, ingest });
    servers.push(all);
    const mismatch = await post(all, frames, FRAMES_CONTENT_TYPE, {}, 'other');
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: string }).error).toMatch(/^record 1 is of run 'run', not 'other'/);
  });

  it('beyond loopback asks for the token (401 without it), and will not start without one', async () => {
    const server = await ingestServer({ host: '0.0.0.0', token: 'ingest-secret' });
    const body = JSON.stringify({ kind: 'lines', plot: 'loss', opts: { x: 0 }, arrays: { y: [1] } });
    expect((await post(server, body, 'application/json')).status).toBe(401);
    expect((await post(server, body, 'application/json', { Authorization: 'Bearer ingest-secret' })).status).toBe(200);
    const ingest = new IngestSource();
    await expect(startServer({ mode: 'file', port: 0, host: '0.0.0.0', run: 'run', source: ingest, ingest, token: false })).rejects.toThrow(/beyond loopback needs a token/);
  });

  it('does not exist without --ingest', async () => {
    expect((await post(reference, '{}', 'application/json')).status).toBe(404);
  });
});

describe('DataLogger.initHttp', () => {
  it('keeps records while the server is down, says so once, and delivers each once it is up', async () => {
    const port = await freeLoopbackPort();
    const logger = new DataLogger('run');
    const errors: string[] = [];
    logger.on('error', (error) => errors.push(error.message));
    await logger.initHttp(`http://127.0.0.1:${port}/`);
    await logAll(logger);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(errors).toEqual([expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED .*retrying/)]);

    const ingest = new IngestSource();
    const server = await startServer({ mode: 'file', port, run: 'run', source: ingest, ingest });
    servers.push(server);
    const report = await logger.shutdown();
    expect(report.sinks[0]).toMatchObject({ delivered: 53, dropped: 0, pending: 0 });
    expect(await plots(server)).toEqual(await plots(reference));
  });

  it('through a server restart and a 7 s outage at ~285 records/s (past the longest backoff), delivers every record once, in order, and reports the outage once', { timeout: 60_000 }, async () => {
    const port = await freeLoopbackPort();
    const ingestLog = join(dir, 'restarted.svlog');
    const serve = async () => {
      const cli = startNode(serverCli, ['file', String(port), 'restarted', ingestLog, '--ingest']);
      processes.push(cli);
      await cli.waitFor(/history read/, 20_000);
      return cli;
    };
    const url = `http://127.0.0.1:${port}/`;
    let cli = await serve();
    const logger = new DataLogger('restarted');
    const errors: string[] = [];
    logger.on('error', (error) => errors.push(error.message));
    await logger.initHttp(url);
    let step = 0;
    for (; step < 100; step++) logger.tandemLines('loss', step, [step]);
    expect((await logger.flush()).sinks[0]).toMatchObject({ delivered: 100, pending: 0 });

    await cli.stop();
    // Logged through the outage, 20 steps every 70 ms (about 285 a second) for 7 s: the sink's backoff reaches its 5 s cap.
    for (const outageEnds = Date.now() + 7_000; Date.now() < outageEnds; ) {
      for (const burstEnds = step + 20; step < burstEnds; step++) logger.tandemLines('loss', step, [step]);
      await new Promise((resolve) => setTimeout(resolve, 70));
    }
    expect(step).toBeGreaterThan(1_000);
    cli = await serve();
    for (const until = step + 100; step < until; step++) logger.tandemLines('loss', step, [step]);
    const report = await logger.shutdown();
    expect(report.sinks[0]).toMatchObject({ delivered: step, dropped: 0, pending: 0 });
    expect(errors).toEqual([expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED .*retrying/)]);
    // The restarted server read what the first one wrote, then took the rest: every step once, in order.
    const deadline = Date.now() + 10_000;
    let x: number[] = [];
    while (Date.now() < deadline && x.length !== step) {
      x = (await (await fetch(new URL('/api/runs/restarted/plots/loss', url))).json() as PlotSnapshot).columns.x as number[];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(x).toEqual(Array.from({ length: step }, (_, i) => i));
  });

  it('reports records the server refuses as dropped, without retrying them', async () => {
    const server = await ingestServer({ host: '0.0.0.0', token: 'right' });
    const logger = new DataLogger('run');
    const errors: string[] = [];
    logger.on('error', (error) => errors.push(error.message));
    await logger.initHttp(`http://127.0.0.1:${server.port}/?token=wrong`);
    logger.tandemLines('loss', 0, [1]);
    const report = await logger.shutdown();
    expect(report.sinks[0]).toMatchObject({ delivered: 0, dropped: 1 });
    expect(errors).toEqual([expect.stringMatching(/the server refused 1 record: 401/)]);
  });

  it('file mode with --ingest appends what is posted to the log, so a replay shows it too', async () => {
    const ingestLog = join(dir, 'posted.svlog');
    const cli = startNode(serverCli, ['file', '0', 'posted', ingestLog, '--ingest']);
    processes.push(cli);
    const url = (await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
    const logger = new DataLogger('posted');
    await logger.initHttp(url);
    for (let step = 0; step < 20; step++) logger.tandemLines('loss', step, [step]);
    expect((await logger.shutdown()).sinks[0]).toMatchObject({ delivered: 20, dropped: 0 });
    const deadline = Date.now() + 10_000;
    let served: RunSummary[] = [];
    while (Date.now() < deadline && served[0]?.records !== 20) {
      served = (await (await fetch(new URL('/api/runs', url))).json()) as RunSummary[];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(served[0]).toMatchObject({ run: 'posted', records: 20 });
    const replay = await startServer({ mode: 'file', port: 0, run: 'posted', source: new FileSource(ingestLog) });
    servers.push(replay);
    expect((await get<PlotSnapshot>(replay, '/api/runs/posted/plots/loss')).columns.x).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
