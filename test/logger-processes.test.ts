import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameReader, type LogRecord } from '@streamvis/format';
import { startNode, type NodeProcess } from './e2e/processes.js';

// Producer processes use the built logger (packages/logger/dist), as a real app would.
const producer = fileURLToPath(new URL('./fixtures/producer.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'svprocs-'));
const started: NodeProcess[] = [];

beforeAll(() => {
  const dist = fileURLToPath(new URL('../packages/logger/dist/index.js', import.meta.url));
  if (!existsSync(dist)) throw new Error('build the logger first: npx tsc -b packages/logger');
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function start(log: string, run: string, count: number, maxPoints: number, startAt = 0): NodeProcess {
  const process = startNode(producer, [log, run, String(count), String(maxPoints), String(startAt)]);
  started.push(process);
  return process;
}

function readLog(path: string) {
  const reader = new FrameReader();
  reader.push(readFileSync(path));
  const events = reader.drain();
  const records = events.flatMap((e) => (e.type === 'record' ? [e.record] : []));
  return { records, corrupt: events.filter((e) => e.type === 'corrupt'), tornBytes: reader.pendingBytes };
}

/** Every value of the record equals its seq: a record mixed with another's bytes would show. */
function holdsItsSeq(record: LogRecord): boolean {
  const { seq } = record.header;
  return [record.arrays.x.data, record.arrays.y.data].every((column) => column.every((v) => v === seq));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('logger processes and one log', () => {
  it('a producer killed with SIGKILL mid-stream leaves every complete record, contiguous, and at most a torn tail', async () => {
    const log = join(dir, 'killed.svlog');
    const victim = start(log, 'killed', 0, 40_000);
    await victim.waitFor(/logger (\w+)/, 20_000);
    await waitFor(() => existsSync(log) && statSync(log).size > 8 << 20, 30_000);
    victim.child.kill('SIGKILL');
    await once(victim.child, 'exit');

    const { records, corrupt, tornBytes } = readLog(log);
    expect(corrupt).toEqual([]);
    expect(records.length).toBeGreaterThan(10);
    expect(records.map((r) => r.header.seq)).toEqual(records.map((_, i) => i));
    expect(records.every(holdsItsSeq)).toBe(true);
    expect(tornBytes).toBeLessThan(20 + 1024 + 40_000 * 16); // less than one record
  });

  it('four producers appending to one log at once: every record present, in order per producer, none corrupt', async () => {
    const log = join(dir, 'shared.svlog');
    const count = 600;
    const startAt = Date.now() + 2500; // all start writing together, after Node has started
    const producers = ['a', 'b', 'c', 'd'].map((run) => start(log, run, count, 3_000, startAt));
    const exits = producers.map((p) => once(p.child, 'exit'));
    const ids = await Promise.all(producers.map(async (p) => (await p.waitFor(/logger (\w+)/, 20_000))[1]));
    await Promise.all(exits);
    expect(producers.map((p) => p.child.exitCode)).toEqual([0, 0, 0, 0]);

    const { records, corrupt, tornBytes } = readLog(log);
    expect(corrupt).toEqual([]);
    expect(tornBytes).toBe(0);
    expect(records.every(holdsItsSeq)).toBe(true);
    for (const [i, id] of ids.entries()) {
      const mine = records.filter((r) => r.header.logger === id);
      expect(mine.every((r) => r.header.run === ['a', 'b', 'c', 'd'][i])).toBe(true);
      expect(mine.map((r) => r.header.seq)).toEqual(Array.from({ length: count }, (_, seq) => seq));
    }
    // The writers did overlap: the log switches between them many times.
    const switches = records.filter((r, i) => i > 0 && r.header.logger !== records[i - 1].header.logger).length;
    expect(switches).toBeGreaterThan(10);
  });
});
