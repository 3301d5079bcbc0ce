/** `streamvis-server list LOG_FILE... [--json]`, the built CLI on real logs written by the real DataLogger, one of them damaged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLogger } from '@streamvis/logger';

const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
let dir: string;
let damaged: string;
let clean: string;

async function logRun(path: string, run: string, steps: number, from = 0): Promise<string> {
  const logger = new DataLogger(run);
  await logger.initWriteLog(path);
  logger.setLayout({ loss: [0, 0, 1, 1], points: [0, 1, 1, 1] });
  for (let step = from; step < from + steps; step++) logger.tandemLines('loss', step, [1 / (step + 1)]);
  logger.scatter('points', Object.assign(Float64Array.of(1, 2, 3, 4), { shape: [2, 2] }), { spatialDim: 1, append: false });
  await logger.shutdown();
  return logger.id;
}

const list = (...args: string[]) => spawnSync(process.execPath, [cli, 'list', ...args], { encoding: 'utf8' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svlist-'));
  clean = join(dir, 'clean.svlog');
  await logRun(clean, 'alpha', 10, 100);
  damaged = join(dir, 'damaged.svlog');
  await logRun(damaged, 'alpha', 20);
  // 64 bytes of garbage in the middle, a second run after it, and a torn record at the end.
  await appendFile(damaged, Buffer.alloc(64, 0x5a));
  await logRun(damaged, 'beta', 5);
  const whole = await readFile(damaged);
  await writeFile(damaged, Buffer.concat([whole, whole.subarray(0, 30)]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamvis-server list', () => {
  it('tells runs, producers, plots with steps, the damaged region and the torn tail', () => {
    const result = list(damaged);
    expect(result.status, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toMatch(/damaged\.svlog: [\d,]+ bytes, 29 records, 2 run\(s\)/);
    expect(text).toMatch(/run 'alpha': 22 records from \S+ to \S+, 1 producer\(s\), 1 layout record\(s\)/);
    expect(text).toContain('    loss (lines): 20 records, steps 0-19');
    expect(text).toContain('    points (scatter): 1 records');
    expect(text).toMatch(/run 'beta': 7 records/);
    expect(text).toContain('  damaged: 64 bytes at byte');
    expect(text).toContain('  torn tail: the last 30 bytes are not a whole record (yet)');
  });

  it('--json gives the same as data, for several logs', () => {
    const result = list(clean, damaged, '--json');
    expect(result.status, result.stderr).toBe(0);
    const [first, second] = JSON.parse(result.stdout) as { path: string; records: number; runs: { run: string; plots: Record<string, { kind: string; firstStep?: number; lastStep?: number }> }[]; corrupt: unknown[]; tornTail: number }[];
    expect(first).toMatchObject({ path: clean, records: 12, corrupt: [], tornTail: 0 });
    expect(first.runs[0].plots.loss).toEqual({ kind: 'lines', records: 10, firstStep: 100, lastStep: 109 });
    expect(second.runs.map((run) => run.run)).toEqual(['alpha', 'beta']);
    expect(second.corrupt).toEqual([{ offset: expect.any(Number), size: 64, reason: expect.stringMatching(/magic/) }]);
    expect(second.tornTail).toBe(30);
  });

  it('a missing file fails with its name; no file is a usage error', () => {
    const missing = list(join(dir, 'nope.svlog'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.svlog/);
    const none = list();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/list takes LOG_FILE/);
  });
});
