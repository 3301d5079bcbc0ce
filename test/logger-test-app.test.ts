import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCleanLog as readLog } from './support/read-log.js';
import { startNode, type NodeProcess } from './e2e/processes.js';

const cli = fileURLToPath(new URL('../examples/test-app/dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'svtestapp-'));
const started: NodeProcess[] = [];

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('build the test app first: npx tsc -b packages/logger examples/test-app');
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});


const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('streamvis-test-app', () => {
  it('logs the layout, then the four plots every step, and exits 0', () => {
    const log = join(dir, 'runs', 'steps.svlog');
    const result = run('file', 'demo', log, '--steps', '5', '--interval', '1');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/21 records delivered/);
    const records = readLog(log);
    expect(records[0].header).toMatchObject({ kind: 'layout', run: 'demo', opts: { cells: { top_left: [0, 0, 1, 1], bottom_right: [1, 1, 1, 1] } } });
    const plots = records.slice(1).map((r) => ('plot' in r.header ? r.header.plot : ''));
    expect(plots).toEqual(Array(5).fill(['top_left', 'top_right', 'bottom_left', 'bottom_right']).flat());
    const [lines, grid, coloured, spiral] = records.slice(1, 5);
    expect(lines.header.opts).toMatchObject({ x: 0 });
    expect(lines.arrays.y.data).toHaveLength(3);
    expect(grid.arrays.x.shape).toEqual([500]);
    expect(grid.arrays.color).toBeUndefined();
    // The same layers: laid out on a 5-column grid on the right, coloured by layer on the left.
    expect(Array.from(grid.arrays.x.data.slice(0, 50))).toEqual(Array.from(coloured.arrays.x.data.slice(0, 50)));
    expect(Math.min(...grid.arrays.y.data.slice(450))).toBeLessThan(Math.min(...coloured.arrays.y.data));
    expect(coloured.header.opts).toMatchObject({ append: false, palette: 'Viridis256' });
    expect([coloured.arrays.color.data[0], coloured.arrays.color.data[499]]).toEqual([0, 1]);
    expect(spiral.header.opts).toMatchObject({ append: true, palette: 'Turbo256', rollover: 2000 });
    expect(spiral.arrays.color.shape).toEqual([20]);
  });

  it('runs until SIGTERM, then flushes and shuts down cleanly', async () => {
    const log = join(dir, 'signal.svlog');
    const app = startNode(cli, ['file', 'signal', log, '--interval', '5']);
    started.push(app);
    await app.waitFor(/logging run 'signal'/, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.child.kill('SIGTERM');
    const [code] = await once(app.child, 'exit');
    expect(code).toBe(0);
    const delivered = Number(app.output().match(/(\d+) records delivered/)?.[1]);
    expect(delivered).toBeGreaterThan(5);
    expect(readLog(log)).toHaveLength(delivered);
  });

  it('prints usage: on --help exit 0, on wrong arguments exit 2', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/streamvis-test-app file RUN_NAME LOG_FILE/);
    for (const args of [[], ['nope'], ['file', 'only-run'], ['file', 'r', 'l', '--steps', 'x'], ['file', 'r', 'l', '--what']]) {
      const wrong = run(...args);
      expect(wrong.status, args.join(' ')).toBe(2);
      expect(wrong.stderr).toMatch(/Usage:/);
    }
  });
});
