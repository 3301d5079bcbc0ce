import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linesFrame } from './support/server-records.js';

// The built CLI, as users run it (npm test builds first).
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });

let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcli-'));
});
afterAll(async () => {
  children.forEach((child) => child.kill('SIGKILL'));
  await rm(dir, { recursive: true, force: true });
});

describe('streamvis-server CLI', () => {
  it('the commands npm links at install resolve to the built CLIs (as `npx streamvis-server` runs them)', () => {
    for (const [bin, usage] of [['streamvis-server', 'streamvis-server file PORT'], ['streamvis-test-app', 'streamvis-test-app file RUN_NAME'], ['streamvis-flowclust', 'streamvis-flowclust serve PORT']]) {
      const linked = fileURLToPath(new URL(`../node_modules/.bin/${bin}`, import.meta.url));
      const result = spawnSync(linked, ['--help'], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status, `${bin} --help: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(usage);
    }
  });

  it('--help prints the usage of every mode and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    for (const form of [
      'streamvis-server file PORT RUN_NAME LOG_FILE [LOG_FILE...] [--host H]',
      'streamvis-server file PORT --logdir DIR',
      'streamvis-server pubsub PORT RUN_NAME PROJECT TOPIC',
      'streamvis-server pubsub PORT PROJECT TOPIC --all-runs',
    ]) {
      expect(result.stdout).toContain(form);
    }
  });

  it.each([
    [[]],
    [['serve', '0', 'run', 'log']],
    [['file', '0', 'run']],
    [['file', '0', '--logdir', 'dir', 'extra']],
    [['pubsub', '0', 'project', 'topic']],
    [['file', 'eighty', 'run', 'log']],
    [['file', '70000', 'run', 'log']],
    [['file', '0', 'run', 'log', '--host']],
    [['file', '0', 'run', 'log', '--colour', 'red']],
    [['file', '0', 'run', 'log', '--allow-origin', 'http://dashboard.test/page']],
    [['file', '0', 'run', 'log', '--allow-origin']],
    [['file', '0', 'run', 'log', '--allow-host', 'streamvis.test:8080']],
    [['file', '0', 'run', 'log', '--token', 'has space']],
    [['file', '0', 'run', 'log', '--token', 'abc', '--no-token']],
    [['file', '0', 'run', 'log', '--no-token=yes']],
  ])('wrong arguments %j print usage to stderr and exit 2', (args) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^streamvis-server: .+\n\nUsage:/);
    expect(result.stdout).toBe('');
  });

  it('names the option a wrong value was given to', () => {
    expect(run('file', '0', 'run', 'log', '--allow-origin', 'dashboard.test').stderr).toMatch(/^streamvis-server: --allow-origin: expected an origin/);
    expect(run('file', '0', 'run', 'log', '--allow-host', 'a/b').stderr).toMatch(/^streamvis-server: --allow-host: expected a host name/);
    const fromEnv = spawnSync(process.execPath, [cli, 'file', '0', 'run', 'log'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, STREAMVIS_TOKEN: 'a;b' } });
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr).toMatch(/^streamvis-server: STREAMVIS_TOKEN: use only letters/);
  });

  const linkedServer = fileURLToPath(new URL('../node_modules/.bin/streamvis-server', import.meta.url));
  /** Starts the CLI (or, `linked`, the command npm links); resolves with its first `serving run` line's URL once printed. */
  const serveCli = async (args: string[], env: Record<string, string> = {}, linked = false) => {
    const log = join(dir, 'served.svlog');
    await writeFile(log, linesFrame('loss', 0, [1]));
    const [command, ...before] = linked ? [linkedServer] : [process.execPath, cli];
    const child = spawn(command, [...before, 'file', '0', 'run', log, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 10_000);
      child.stdout!.on('data', () => {
        const match = /serving run 'run' at (\S+)\n/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    return { url: new URL(url), pid: child.pid!, stderr: () => stderr, stop: () => child.kill('SIGTERM') };
  };
  const health = (port: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}/api/health`, { headers });

  it('the linked command runs node with the memory settings its bin execs node with (a 1 MiB semi-space, a fixed mmap threshold)', async () => {
    const served = await serveCli([], {}, true);
    expect((await health(served.url.port)).status).toBe(200);
    // sh execs node in place: the process serving is node itself, with the flag and the variable.
    const argv = (await readFile(`/proc/${served.pid}/cmdline`, 'utf8')).split('\0');
    expect(argv).toContain('--max-semi-space-size=1');
    expect((await readFile(`/proc/${served.pid}/environ`, 'utf8')).split('\0')).toContain('MALLOC_MMAP_THRESHOLD_=65536');
    served.stop();
  });

  it('bound beyond loopback, prints the URL with a generated token, and asks every request for it', async () => {
    const served = await serveCli(['--host', '0.0.0.0']);
    expect(served.url.hostname).toBe('0.0.0.0');
    const token = served.url.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await health(served.url.port)).status).toBe(401);
    expect((await health(served.url.port, { Authorization: `Bearer ${token}` })).status).toBe(200);
    // Opening the printed URL, a browser gets the token's cookie and then the page.
    const opened = await fetch(`http://127.0.0.1:${served.url.port}/?token=${token}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const page = await fetch(`http://127.0.0.1:${served.url.port}${opened.headers.get('location')}`, { headers: { Cookie: opened.headers.getSetCookie()[0].split(';')[0] } });
    expect(await page.text()).toContain('data-run="run"');
    expect(served.stderr()).toBe('');
    served.stop();
  });

  it('takes the token from STREAMVIS_TOKEN, or --token over it; --no-token warns on stderr', async () => {
    const fromEnv = await serveCli([], { STREAMVIS_TOKEN: 'env-token' });
    expect(fromEnv.url.search).toBe('?token=env-token');
    expect((await health(fromEnv.url.port, { Authorization: 'Bearer env-token' })).status).toBe(200);
    expect((await health(fromEnv.url.port)).status).toBe(401);
    fromEnv.stop();

    const given = await serveCli(['--token', 'flag-token'], { STREAMVIS_TOKEN: 'env-token' });
    expect(given.url.search).toBe('?token=flag-token');
    given.stop();

    const open = await serveCli(['--host', '0.0.0.0', '--no-token']);
    expect(open.url.search).toBe('');
    expect((await health(open.url.port)).status).toBe(200);
    expect(open.stderr()).toMatch(/warning: --no-token: anyone who can reach 0\.0\.0\.0 port \d+ can read run 'run'/);
    open.stop();
  });

  it('serves a log file, prints the URL, then that the history is read, and stops cleanly on SIGTERM', async () => {
    const log = join(dir, 'cli.svlog');
    await writeFile(log, Buffer.concat([linesFrame('loss', 0, [1]), linesFrame('loss', 1, [2])]));
    const child = spawn(process.execPath, [cli, 'file', '0', 'run', log], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL and history line printed: ${stdout}`)), 10_000);
      child.stdout!.on('data', () => {
        const match = /serving run 'run' at (http:\/\/127\.0\.0\.1:\d+\/)\n(.*\n)?streamvis-server: history read in [\d.]+ s\n/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const plot = (await (await fetch(new URL('/api/runs/run/plots/loss', url))).json()) as { columns: unknown };
    expect(plot.columns).toEqual({ x: [0, 1], y0: [1, 2] });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
