// Format versions 1 and 2 side by side: the same records written as JSON headers (as
// earlier loggers did) and as binary headers with declarations (as the logger writes now)
// replay to the same server state; a log where an old producer and a new one append to one
// file replays whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, FrameReader, REDECLARE_EVERY, type ArrayInput, type LogRecord, type RecordFields } from '@streamvis/format';
import { ColorSpec, DataLogger, ndarray } from '@streamvis/logger';
import { FileSource, startServer, type Health, type RunDetail, type RunningServer } from '@streamvis/server';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sv-versions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every record of a log, in order; fails on any corrupt region. */
async function recordsOf(path: string): Promise<LogRecord[]> {
  const reader = new FrameReader();
  reader.push(await readFile(path));
  return reader.drain().map((event) => {
    if (event.type !== 'record') throw new Error(`corrupt: ${event.reason}`);
    return event.record;
  });
}

/** The same record with a version 1 (JSON) header. */
function asVersion1({ header, arrays }: LogRecord): Buffer {
  const { v: _v, arrays: descriptors, ...fields } = header;
  const inputs: ArrayInput[] = descriptors.map(({ name, shape }) => ({ name, shape, data: arrays[name].data }));
  return encodeRecord(fields as RecordFields, inputs);
}

/** What the server shows of a run: its detail and every plot's data, as the page and scripts get them. */
async function served(path: string, run: string): Promise<{ health: Health; detail: RunDetail; plots: Record<string, unknown> }> {
  const server: RunningServer = await startServer({ mode: 'file', port: 0, run, source: new FileSource(path) });
  try {
    const get = async (route: string) => (await fetch(new URL(route, server.url))).json() as Promise<unknown>;
    const detail = (await get(`/api/runs/${run}`)) as RunDetail;
    const plots: Record<string, unknown> = {};
    for (const { name } of detail.plots) plots[name] = await get(`/api/runs/${run}/plots/${encodeURIComponent(name)}`);
    return { health: (await get('/api/health')) as Health, detail, plots };
  } finally {
    await server.close();
  }
}

/** A producer's calls: every plot kind, a change of options mid-run, more steps than one declaration covers. */
async function produce(logger: DataLogger, steps: number, offset = 0): Promise<void> {
  logger.setLayout({ loss: [0, 0, 1, 2], cloud: [1, 0, 1, 1], paths: [1, 1, 1, 1], groups: [2, 0, 1, 1] });
  for (let step = offset; step < offset + steps; step++) {
    logger.tandemLines('loss', step, [Math.sin(step), 1 / (step + 1), -step], { names: ['a', 'b', 'c'], title: step < offset + steps / 2 ? 'Loss' : 'Loss (late)' });
    if (step % 100 === 0) {
      const points = Float32Array.from({ length: 300 }, (_, i) => Math.cos(step + i));
      logger.scatter('cloud', ndarray(points, [100, 3]), { spatialDim: 1, append: step % 200 === 0, color: new ColorSpec('Viridis256') });
      logger.multiLines('paths', ndarray(Float64Array.from({ length: 24 }, (_, i) => step + i), [3, 4, 2]), { lineDims: [0], spatialDim: 2, append: true });
      logger.cluster('groups', ndarray(Float64Array.from({ length: 40 }, (_, i) => (i % 2) * 10 + Math.sin(step + i)), [20, 2]), { columns: ['u', 'v'], k: 2 });
    }
  }
}

describe('format versions 1 and 2', () => {
  it('the same records replay to the same server state in either version, the version 2 log a fraction of the size', async () => {
    const v2 = join(dir, 'new.svlog');
    const logger = new DataLogger('versions');
    await logger.initWriteLog(v2);
    const steps = 2 * REDECLARE_EVERY + 500;
    await produce(logger, steps);
    await logger.shutdown();
    const records = await recordsOf(v2);
    expect(records.every((r) => r.header.v === 2)).toBe(true);
    const v1 = join(dir, 'old.svlog');
    await writeFile(v1, Buffer.concat(records.map(asVersion1)));

    const [fromV1, fromV2] = [await served(v1, 'versions'), await served(v2, 'versions')];
    expect(fromV2.health.records).toBe(records.length);
    expect(fromV2.health.errors).toBe(0);
    expect(fromV1.health.records).toBe(records.length);
    expect(fromV2.detail).toEqual(fromV1.detail);
    expect(fromV2.plots).toEqual(fromV1.plots);
    // The page shows what the producer sent: every step, the title it changed to.
    const loss = fromV2.plots.loss as { columns: { x: number[] }; look?: { title?: string } };
    expect(loss.columns.x).toHaveLength(steps);
    expect(JSON.stringify(fromV2.detail)).toContain('Loss (late)');
    const [bytes1, bytes2] = [(await stat(v1)).size, (await stat(v2)).size];
    expect(bytes2).toBeLessThan(0.6 * bytes1);
  });

  it('replays whole a log that an old producer (version 1) and a new one (version 2) append to at once', async () => {
    const path = join(dir, 'mixed.svlog');
    const logger = new DataLogger('mixed');
    await logger.initWriteLog(path);
    const old = (seq: number): Buffer =>
      encodeRecord({ run: 'mixed', logger: 'old-producer', seq, time: Date.now(), kind: 'lines', plot: 'old', opts: { x: seq } }, [{ name: 'y', shape: [1], data: Float64Array.of(seq / 2) }]);
    for (let round = 0; round < 10; round++) {
      await produce(logger, 300, round * 300);
      await logger.flush();
      // The old producer's frames land between the new one's, which refer to declarations made before them.
      await appendFile(path, Buffer.concat(Array.from({ length: 50 }, (_, i) => old(round * 50 + i))));
    }
    await logger.shutdown();
    const records = await recordsOf(path);
    expect(new Set(records.map((r) => r.header.v))).toEqual(new Set([1, 2]));
    const { health, plots } = await served(path, 'mixed');
    expect(health.errors).toBe(0);
    expect(health.records).toBe(records.length);
    expect((plots.old as { columns: { x: number[] } }).columns.x).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect((plots.loss as { columns: { x: number[] } }).columns.x).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
