import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameReader, type LogRecord } from '@streamvis/format';
import { FileSource, LogDirSource, startServer, type Health, type PlotSnapshot, type RunningServer, type RunSummary } from '@streamvis/server';
import { startNode, type NodeProcess } from './e2e/processes.js';
import { emulatorEnv, startPubsubEmulator, type PubsubEmulator } from './support/pubsub-emulator.js';

// The programs as users run them (npm test builds first), against a real emulator.
const serverCli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const appCli = fileURLToPath(new URL('../examples/test-app/dist/cli.js', import.meta.url));
const PROJECT = 'e2e-project';
const PLOTS = ['top_left', 'top_right', 'bottom_left', 'bottom_right'];

let emulator: PubsubEmulator;
let dir: string;
const processes: NodeProcess[] = [];
const servers: RunningServer[] = [];

beforeAll(async () => {
  for (const built of [serverCli, appCli]) if (!existsSync(built)) throw new Error(`build first (npm run build): ${built} is missing`);
  emulator = await startPubsubEmulator();
  // This file's worker only: every program the tests start talks to this emulator.
  Object.assign(process.env, emulatorEnv(emulator.host));
  dir = await mkdtemp(join(tmpdir(), 'svpubsub-'));
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(servers.map((s) => s.close()));
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface ServerProcess {
  process: NodeProcess;
  url: string;
}

async function startPubsubServer(run: string, topic: string, ...options: string[]): Promise<ServerProcess> {
  const server = startNode(serverCli, ['pubsub', '0', run, PROJECT, topic, ...options]);
  processes.push(server);
  const [, url] = await server.waitFor(/serving run '.*' at (\S+)/, 30_000);
  return { process: server, url };
}

function startApp(run: string, topic: string, ...options: string[]): NodeProcess {
  const app = startNode(appCli, ['publish', run, PROJECT, topic, ...options]);
  processes.push(app);
  return app;
}

async function exitCode(app: NodeProcess): Promise<number | null> {
  if (app.child.exitCode === null && app.child.signalCode === null) await once(app.child, 'exit');
  return app.child.exitCode;
}

const get = async <T>(url: string, path: string): Promise<T> => (await fetch(new URL(path, url))).json() as Promise<T>;

async function waitForRecords(url: string, records: number, timeoutMs = 30_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await get<Health>(url, '/api/health');
    if (health.records >= records || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readLog(bytes: Buffer): LogRecord[] {
  const reader = new FrameReader();
  reader.push(bytes);
  return reader.drain().flatMap((event) => (event.type === 'record' ? [event.record] : []));
}

/** A file-mode server on `log`, in process: the state anyone replaying that log sees. */
async function replay(run: string, log: string): Promise<string> {
  const server = await startServer({ mode: 'file', port: 0, run, source: new FileSource(log) });
  servers.push(server);
  return server.url;
}

async function plotsOf(url: string, run: string): Promise<Record<string, PlotSnapshot>> {
  const entries = await Promise.all(PLOTS.map(async (plot) => [plot, await get<PlotSnapshot>(url, `/api/runs/${encodeURIComponent(run)}/plots/${plot}`)]));
  return Object.fromEntries(entries);
}

describe('test app -> Pub/Sub emulator -> streamvis-server pubsub', () => {
  it('serves exactly what was logged, in order, and its --log_file replays to the same state', async () => {
    const run = 'e2e';
    const serverLog = join(dir, 'server.svlog');
    const appLog = join(dir, 'app.svlog');
    const server = await startPubsubServer(run, 'e2e-topic', '--log_file', serverLog);

    const app = startApp(run, 'e2e-topic', '--steps', '25', '--interval', '5', '--log_file', appLog);
    expect(await exitCode(app), app.output()).toBe(0);
    const logged = readLog(await readFile(appLog));
    expect(logged).toHaveLength(1 + 25 * 4);

    const health = await waitForRecords(server.url, logged.length);
    expect(health).toMatchObject({ status: 'ok', mode: 'pubsub', run, records: logged.length, errors: 0 });
    const served = await plotsOf(server.url, run);
    expect(served.top_left.columns.x).toEqual(Array.from({ length: 25 }, (_, step) => step)); // every step, in order
    expect(served).toEqual(await plotsOf(await replay(run, appLog), run));

    // The server's own log holds each record once, in the order they were published.
    const written = readLog(await readFile(serverLog));
    expect(written.map((r) => r.header.seq)).toEqual(logged.map((r) => r.header.seq));
    expect(await plotsOf(await replay(run, serverLog), run)).toEqual(served);
    await server.process.stop();
  });

  it('a server SIGKILLed and restarted on the same --subscription and --log_file shows every record once', async () => {
    // The drill's run name: with a streaming pull its ordering key stayed bound to the killed server's stream.
    const run = 'drill';
    const topic = 'crash-topic';
    const options = ['--subscription', 'crash-sub', '--log_file', join(dir, 'crash-server.svlog')];
    const appLog = join(dir, 'crash-app.svlog');
    const first = await startPubsubServer(run, topic, ...options);
    const app = startApp(run, topic, '--interval', '20', '--log_file', appLog); // 200 records/s
    await waitForRecords(first.url, 400);

    first.process.child.kill('SIGKILL');
    await exitCode(first.process);
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // the app keeps publishing meanwhile
    const second = await startPubsubServer(run, topic, ...options);
    const down = (await get<Health>(second.url, '/api/health')).records;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await app.stop();
    expect(app.child.exitCode, app.output()).toBe(0);

    const logged = readLog(await readFile(appLog));
    expect(logged.length).toBeGreaterThan(down + 1_000); // over a thousand published while it was down or after
    const health = await waitForRecords(second.url, logged.length);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // any late duplicate would land now
    expect(await get<Health>(second.url, '/api/health')).toMatchObject({ records: logged.length, errors: 0 });
    expect(health.records).toBe(logged.length);
    const steps = (logged.length - 1) / 4;
    expect((await plotsOf(second.url, run)).top_left.columns.x).toEqual(Array.from({ length: steps }, (_, step) => step)); // each step once, in order
    expect(await plotsOf(second.url, run)).toEqual(await plotsOf(await replay(run, appLog), run));
    await second.process.stop();
  });

  it('two servers for two runs on one topic each see only their own run', async () => {
    const topic = 'shared-topic';
    const runs = ['left-run', 'right-run'];
    const servers = await Promise.all(runs.map((run) => startPubsubServer(run, topic)));
    const apps = runs.map((run, i) => startApp(run, topic, '--steps', String(5 + 5 * i), '--interval', '5'));
    for (const app of apps) expect(await exitCode(app), app.output()).toBe(0);

    for (const [i, server] of servers.entries()) {
      const records = 1 + (5 + 5 * i) * 4;
      await waitForRecords(server.url, records);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await get<Health>(server.url, '/api/health')).toMatchObject({ run: runs[i], records, errors: 0 });
      expect((await get<{ run: string }[]>(server.url, '/api/runs')).map((r) => r.run)).toEqual([runs[i]]);
    }
    await Promise.all(servers.map((s) => s.process.stop()));
  });

  it('one server with --all-runs serves two producers of two runs, each record once, and its one log replays both by --logdir', async () => {
    const topic = 'all-runs-topic';
    const runs = ['seed-1', 'seed-2'];
    const serverLog = join(dir, 'all-runs', 'server.svlog');
    const server = startNode(serverCli, ['pubsub', '0', PROJECT, topic, '--all-runs', '--log_file', serverLog]);
    processes.push(server);
    const [, url] = await server.waitFor(/serving every run at (\S+)/, 30_000);
    const appLogs = runs.map((run) => join(dir, `${run}-app.svlog`));
    const apps = runs.map((run, i) => startApp(run, topic, '--steps', String(10 + 10 * i), '--interval', '5', '--log_file', appLogs[i]));
    for (const app of apps) expect(await exitCode(app), app.output()).toBe(0);

    const logged = await Promise.all(appLogs.map(async (log) => readLog(await readFile(log)).length));
    await waitForRecords(url, logged[0] + logged[1]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // any late duplicate would land now
    expect(await get<Health>(url, '/api/health')).toMatchObject({ run: null, runs: 2, records: logged[0] + logged[1], errors: 0 });
    expect((await get<RunSummary[]>(url, '/api/runs')).map(({ run, records }) => ({ run, records }))).toEqual(runs.map((run, i) => ({ run, records: logged[i] })));
    for (const [i, run] of runs.entries()) {
      const served = await plotsOf(url, run);
      expect(served.top_left.columns.x).toEqual(Array.from({ length: 10 + 10 * i }, (_, step) => step));
      expect(served).toEqual(await plotsOf(await replay(run, appLogs[i]), run));
    }

    // The server's one log holds both runs: a directory replay splits them again.
    const replayed = await startServer({ mode: 'file', port: 0, source: new LogDirSource(join(dir, 'all-runs')) });
    servers.push(replayed);
    for (const run of runs) expect(await plotsOf(replayed.url, run)).toEqual(await plotsOf(url, run));
    await server.stop();
  });
});
