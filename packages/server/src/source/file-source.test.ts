import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdir, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord } from '@streamvis/format';
import { FileSource } from './file-source.js';
import type { CorruptionReport } from './source.js';

const frame = (seq: number, points = 4) =>
  encodeRecord({ run: 'r', logger: 'L', seq, time: 0, kind: 'scatter', plot: 'p', opts: { append: true } }, [
    { name: 'x', shape: [points], data: Float64Array.from({ length: points }, (_, i) => seq + i) },
    { name: 'y', shape: [points], data: new Float64Array(points) },
  ]);

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let dir: string;
let log: string;
let source: FileSource | undefined;
let seqs: number[];
let frames: Buffer[];
let corrupt: CorruptionReport[];
let warnings: string[];
let failures: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svfs-'));
  log = join(dir, 'run.svlog');
  seqs = [];
  frames = [];
  corrupt = [];
  failures = [];
  warnings = [];
});
afterEach(async () => {
  await source?.stop();
  source = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function startSource(options: { chunkBytes?: number; pollMs?: number } = {}): Promise<void> {
  source = new FileSource(log, { ...options, warn: (m) => warnings.push(m) });
  await source.start({
    record: (record, bytes) => {
      seqs.push(record.header.seq);
      frames.push(Buffer.from(bytes));
    },
    corrupt: (report) => void corrupt.push(report),
    failure: (message) => void failures.push(message),
  });
}

describe('FileSource', () => {
  it('reports a log it cannot read once, keeps trying, and reads it once it can', async () => {
    await mkdir(log);
    await startSource({ pollMs: 20 });
    await waitFor(() => failures.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/EISDIR/);
    await rm(log, { recursive: true });
    await writeFile(log, frame(0));
    await waitFor(() => seqs.length === 1);
    expect(corrupt).toEqual([]);
  });

  it('replays the whole history before start() resolves, across chunk boundaries', async () => {
    const written = Array.from({ length: 50 }, (_, i) => frame(i, 100));
    await writeFile(log, Buffer.concat(written));
    await startSource({ chunkBytes: 1000 });
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // Each record comes with its own frame, byte for byte, so a wrapper can write it on.
    expect(frames).toEqual(written);
    expect(corrupt).toEqual([]);
  });

  it('start() resolves once the history is in, even while a producer keeps appending', async () => {
    await writeFile(log, Buffer.concat(Array.from({ length: 20 }, (_, i) => frame(i, 2000))));
    let next = 20;
    const producer = setInterval(() => void appendFile(log, frame(next++, 2000)).catch(() => undefined), 1);
    try {
      await startSource({ chunkBytes: 4096 });
      expect(seqs.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      clearInterval(producer);
    }
  });

  it('delivers appended records within moments', async () => {
    await writeFile(log, frame(0));
    await startSource({ pollMs: 10_000 });
    const sent = Date.now();
    await appendFile(log, frame(1));
    await waitFor(() => seqs.length === 2);
    expect(seqs).toEqual([0, 1]);
    expect(Date.now() - sent).toBeLessThan(500);
  });

  it('waits for a file that does not exist yet', async () => {
    await startSource();
    expect(seqs).toEqual([]);
    await writeFile(log, Buffer.concat([frame(0), frame(1)]));
    await waitFor(() => seqs.length === 2);
    expect(seqs).toEqual([0, 1]);
  });

  it('holds a torn tail until the rest is written, without reporting an error', async () => {
    const second = frame(1, 1000);
    await writeFile(log, Buffer.concat([frame(0), second.subarray(0, 3000)]));
    await startSource();
    expect(seqs).toEqual([0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await appendFile(log, second.subarray(3000));
    await waitFor(() => seqs.length === 2);
    expect(seqs).toEqual([0, 1]);
    expect(corrupt).toEqual([]);
  });

  it('reports corrupt bytes with their offset and delivers every good record', async () => {
    const first = frame(0);
    const damaged = frame(1);
    damaged[damaged.length - 3] ^= 0xff;
    await writeFile(log, Buffer.concat([first, Buffer.from('garbage'), frame(2), damaged, frame(3)]));
    await startSource();
    expect(seqs).toEqual([0, 2, 3]);
    expect(corrupt).toHaveLength(2);
    expect(corrupt[0]).toMatchObject({ offset: first.length, size: 7 });
    expect(corrupt[1].reason).toBe('bad payload checksum');
  });

  it('reads a truncated file again from the start, with a warning', async () => {
    await writeFile(log, Buffer.concat([frame(0), frame(1), frame(2)]));
    await startSource({ pollMs: 20 });
    await truncate(log, 0);
    await appendFile(log, frame(7));
    await waitFor(() => seqs.length === 4);
    expect(seqs).toEqual([0, 1, 2, 7]);
    expect(warnings.join()).toMatch(/shrank/);
  });

  it('reads a replaced file from the start, with a warning', async () => {
    await writeFile(log, Buffer.concat([frame(0), frame(1)]));
    await startSource();
    await writeFile(join(dir, 'next'), Buffer.concat([frame(5), frame(6), frame(7)]));
    await rename(join(dir, 'next'), log);
    await waitFor(() => seqs.length === 5);
    expect(seqs).toEqual([0, 1, 5, 6, 7]);
    expect(warnings.join()).toMatch(/replaced/);
  });
});
