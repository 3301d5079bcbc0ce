import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameReader } from '@streamvis/format';
import { FlowSimulator } from '../examples/flowclust/src/simulator.js';
import { startNode, type NodeProcess } from './e2e/processes.js';

const cli = fileURLToPath(new URL('../examples/flowclust/dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'svflowcli-'));
const started: NodeProcess[] = [];
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('build the example first: npx tsc -b examples/flowclust');
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('streamvis-flowclust', () => {
  it('prints usage on --help (exit 0) and on a wrong argument (exit 2)', () => {
    expect(run('--help')).toMatchObject({ status: 0, stdout: expect.stringMatching(/Usage:/) });
    for (const args of [[], ['bogus'], ['file', 'only-run'], ['serve', '80', '--windows', 'x'], ['file', 'r', 'l', '--start', 'soon']]) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/Usage:/);
    }
  });

  it('file mode logs one cluster record per window of the simulated flow', () => {
    const log = join(dir, 'flow.svlog');
    const result = run('file', 'flowrun', log, '--windows', '4', '--interval', '0', '--seed', '2', '--start', '2026-01-01T00:00:00Z');
    expect(result.status, result.stderr).toBe(0);
    const reader = new FrameReader();
    reader.push(readFileSync(log));
    const records = reader.drain().flatMap((e) => (e.type === 'record' ? [e.record] : []));
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.header.kind === 'cluster' && r.header.run === 'flowrun')).toBe(true);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const last = new FlowSimulator({ seed: 2 }).pointsBetween(t0 + 30_000, t0 + 40_000).points;
    expect(Array.from(records[3].arrays.points.data)).toEqual(last.flat());
  });

  it('serve mode answers GET /points until SIGTERM', async () => {
    const server = startNode(cli, ['serve', '0', '--seed', '3']);
    started.push(server);
    const [url] = await server.waitFor(/http:\/\/\S+\/points/, 20_000);
    const response = await fetch(`${url}?start=2026-01-01T00:00:00Z&stop=2026-01-01T00:00:02Z`);
    const body = await response.json();
    expect(body.columns).toEqual(['lorem', 'ipsum', 'dolor']);
    expect(body.points.length).toBe(body.ts.length);
    await server.stop();
    expect(server.child.exitCode).toBe(0);
  });
});
