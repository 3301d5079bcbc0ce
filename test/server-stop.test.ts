/**
 * The server CLI stops within 2 s of SIGTERM or SIGINT whatever it is doing: in the middle
 * of replaying a 190 MB log of a million small records (10,000 plots, a page and a script
 * following it), or in the middle of answering a 10,000-plot run. It closes its sockets,
 * exits 0 and leaves no process behind.
 */
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PLOTS_PER_RUN } from '@streamvis/format';
import type { Health } from '@streamvis/server';
import { startNode, type NodeProcess } from './e2e/processes.js';
import { LogWriter } from './support/log-writer.js';

const RUN = 'big';
const PLOTS = MAX_PLOTS_PER_RUN;
const BIG_LOG_RECORDS = 1_000_000;
/** The contract: stopped this long after the signal. */
const STOP_WITHIN_MS = 2_000;

let dir: string;
let bigLog: string;
let manyPlotsLog: string;
const servers: NodeProcess[] = [];

/** Lines records of `RUN` cycling over the plots, `records` in all. */
async function writeLog(path: string, records: number): Promise<void> {
  const writer = await LogWriter.create(path, RUN);
  for (let i = 0; i < records; i++) await writer.lines(`p${i % PLOTS}`, Math.floor(i / PLOTS), [i, -i, i / 3]);
  await writer.close();
}

/** The pids of the processes whose parent is `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function serve(log: string): Promise<{ server: NodeProcess; url: string }> {
  const server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, log]);
  servers.push(server);
  const [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\//, 20_000);
  return { server, url };
}

/** Opens `path` and keeps reading it in the background; resolves with how the read ended. */
function follow(url: string, path: string): Promise<string> {
  return fetch(new URL(path, url)).then(
    async (response) => {
      const reader = response.body!.getReader();
      try {
        while (!(await reader.read()).done);
        return 'ended';
      } catch {
        return 'cut';
      }
    },
    () => 'refused',
  );
}

/** Sends `signal`; resolves with the ms until the process exited, and its exit code. */
async function stopWith(server: NodeProcess, signal: NodeJS.Signals): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return { ms: performance.now() - started, code };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svstop-'));
  bigLog = join(dir, 'big.svlog');
  manyPlotsLog = join(dir, 'plots.svlog');
  await writeLog(bigLog, BIG_LOG_RECORDS);
  await writeLog(manyPlotsLog, 3 * PLOTS);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(servers.map((server) => server.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stopping the server CLI', () => {
  it('exits within 2 s of SIGTERM in the middle of replaying a 190 MB log, streams open', { timeout: 120_000 }, async () => {
    const { server, url } = await serve(bigLog);
    const pid = server.child.pid!;
    // A page and a script follow the run while it is read (each new plot is a new layout for them).
    const streams = [follow(url, `/api/runs/${RUN}/changes`), follow(url, `/api/runs/${RUN}/events`), follow(url, `/api/changes?run=${RUN}`)];
    // Signalled as soon as the replay is seen under way (however fast this machine reads).
    let health: Health;
    do health = (await (await fetch(new URL('/api/health', url))).json()) as Health;
    while (health.replay && health.replay.delivered === 0);
    expect(health.replay, 'the log was read whole before the test could stop the server in its middle').toBeDefined();
    expect(await childrenOf(pid)).toEqual([]);

    const { ms, code } = await stopWith(server, 'SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    expect(server.output()).toContain('streamvis-server: SIGTERM, stopping');
    // Stopped in the middle: the history was never read to its end.
    expect(server.output()).not.toContain('history read');
    // Its sockets are closed: every stream ended, none hangs.
    for (const ended of await Promise.all(streams)) expect(ended).toMatch(/^(ended|cut)$/);
    expect(alive(pid)).toBe(false);
  });

  it('exits within 2 s of SIGINT in the middle of answering a run of 10,000 plots', { timeout: 60_000 }, async () => {
    const { server, url } = await serve(manyPlotsLog);
    const pid = server.child.pid!;
    await server.waitFor(/history read/, 30_000);
    // An answer of 1.2 MB that the client does not read: the server is held in the middle of it.
    const detail = await fetch(new URL(`/api/runs/${RUN}`, url));
    expect(detail.status).toBe(200);
    const events = follow(url, `/api/runs/${RUN}/events`);
    expect((await (await fetch(new URL('/api/health', url))).json()) as Health).toMatchObject({ records: 3 * PLOTS });

    const { ms, code } = await stopWith(server, 'SIGINT');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_WITHIN_MS);
    expect(server.output()).toContain('streamvis-server: SIGINT, stopping');
    // The answer was cut short by the exit: it was still being produced.
    await expect(detail.text()).rejects.toThrow();
    expect(await events).toMatch(/^(ended|cut)$/);
    expect(alive(pid)).toBe(false);
    expect(await childrenOf(pid)).toEqual([]);
  });
});
