import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    expect(result.stdout).toContain('streamvis-server file PORT RUN_NAME LOG_FILE [--host H]');
  });

  it.each([
    [[]],
    [['serve', '0', 'run', 'log']],
    [['file', '0', 'run']],
    [['file', '0', 'run', 'log', 'extra']],
    [['file', 'eighty', 'run', 'log']],
    [['file', '70000', 'run', 'log']],
    [['file', '0', 'run', 'log', '--host']],
    [['file', '0', 'run', 'log', '--colour', 'red']],
  ])('wrong arguments %j print usage to stderr and exit 2', (args) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^streamvis-server: .+\n\nUsage:/);
    expect(result.stdout).toBe('');
  });

  it('serves a log file, prints the URL, and stops cleanly on SIGTERM', async () => {
    const log = join(dir, 'cli.svlog');
    await writeFile(log, Buffer.concat([linesFrame('loss', 0, [1]), linesFrame('loss', 1, [2])]));
    const child = spawn(process.execPath, [cli, 'file', '0', 'run', log], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 10_000);
      child.stdout!.on('data', () => {
        const match = /serving run 'run' at (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout);
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
