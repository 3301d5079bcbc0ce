import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '@streamvis/format';
import { FrameReader } from '@streamvis/format';
import type { RecordHeader } from '@streamvis/format';
import { openFileSink } from './file-sink.js';
import { RecordsDropped } from './sink.js';

const dir = mkdtempSync(join(tmpdir(), 'svfilesink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A lines record of `n` values; frames of different sizes exercise the batching. */
function frame(seq: number, n = 1 + (seq % 50)) {
  const fields = { run: 'r', logger: 'L', seq, time: 0, kind: 'lines', plot: 'p', opts: { x: seq } } as const;
  return encodeRecord(fields, [{ name: 'y', shape: [n], data: new Float64Array(n).fill(seq) }]);
}
const header = {} as RecordHeader; // the file sink does not look at headers

/** Runs an ES module in a new Node process, with the built logger as `logger`; resolves with its stdout. */
async function runProducer(source: string): Promise<string> {
  const logger = new URL('../../dist/index.js', import.meta.url).href;
  const script = `import * as logger from ${JSON.stringify(logger)};\n${source}`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
  return stdout;
}

function seqsIn(path: string): number[] {
  const reader = new FrameReader();
  reader.push(readFileSync(path));
  const events = reader.drain();
  expect(events.filter((e) => e.type === 'corrupt')).toEqual([]);
  return events.flatMap((e) => (e.type === 'record' ? [e.record.header.seq] : []));
}

describe('file sink', () => {
  it('appends every frame in order across many batches and reports the counts', async () => {
    const path = join(dir, 'a', 'b', 'order.svlog');
    const sink = await openFileSink({ path, onError: (e) => { throw e; } });
    for (let seq = 0; seq < 3000; seq++) sink.write(frame(seq), header);
    expect(await sink.flush()).toEqual({ sink: `file:${path}`, delivered: 3000, dropped: 0, pending: 0, errors: 0 });
    for (let seq = 3000; seq < 3010; seq++) sink.write(frame(seq), header);
    expect(await sink.close()).toMatchObject({ delivered: 3010, pending: 0 });
    expect(seqsIn(path)).toEqual(Array.from({ length: 3010 }, (_, i) => i));
  });

  it('keeps the order of large frames (moved to the writer) among small ones (batched)', async () => {
    const path = join(dir, 'mixed.svlog');
    const sink = await openFileSink({ path, onError: (e) => { throw e; } });
    const large = (seq: number) => seq % 7 === 0;
    for (let seq = 0; seq < 500; seq++) {
      const f = frame(seq, large(seq) ? 1000 + seq : undefined);
      expect(f.length > 4096).toBe(large(seq));
      sink.write(f, header);
      if (seq % 100 === 99) await sink.flush();
    }
    expect(await sink.close()).toMatchObject({ delivered: 500, dropped: 0, pending: 0, errors: 0 });
    expect(seqsIn(path)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('writes while the producer runs without yielding to the event loop', async () => {
    const path = join(dir, 'busy.svlog');
    // Half a second of logging, one record a millisecond (large and small in turn), in one synchronous loop.
    const output = await runProducer(`
      import { statSync } from 'node:fs';
      const log = new logger.DataLogger('busy');
      await log.initWriteLog(${JSON.stringify(path)});
      const points = logger.ndarray(new Float32Array(2000), [1000, 2]);
      const start = Date.now();
      for (let ms = 1; ms <= 500; ms++) {
        if (ms % 2 === 0) log.scatter('p', points, { spatialDim: 1, append: true });
        else log.tandemLines('l', ms, [ms]);
        while (Date.now() - start < ms);
      }
      const sizeBeforeYielding = statSync(${JSON.stringify(path)}).size;
      await log.shutdown();
      console.log(sizeBeforeYielding);
    `);
    const sizeBeforeYielding = Number(output);
    expect(sizeBeforeYielding).toBeGreaterThan(0);
    // Only the last few milliseconds' records may still be on their way.
    expect(sizeBeforeYielding).toBeGreaterThan(statSync(path).size / 2);
    expect(seqsIn(path)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('lets a producer that never shuts down exit, with every record written', async () => {
    const path = join(dir, 'forgotten.svlog');
    await runProducer(`
      const log = new logger.DataLogger('forgetful');
      await log.initWriteLog(${JSON.stringify(path)});
      for (let i = 0; i < 200; i++) {
        if (i % 10 === 0) log.scatter('p', logger.ndarray(new Float64Array(2000), [1000, 2]), { spatialDim: 1, append: true });
        else log.tandemLines('l', i, [i]);
      }
    `);
    expect(seqsIn(path)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('appends to an existing log instead of replacing it', async () => {
    const path = join(dir, 'twice.svlog');
    for (const seqs of [[0, 1], [2]]) {
      const sink = await openFileSink({ path, onError: (e) => { throw e; } });
      seqs.forEach((seq) => sink.write(frame(seq), header));
      await sink.close();
    }
    expect(seqsIn(path)).toEqual([0, 1, 2]);
  });

  it("with onFull 'drop-oldest', keeps the newest frames within its bound while failing, announcing each drop from the write that made it", async () => {
    const blocker = join(dir, 'bound');
    writeFileSync(blocker, '');
    const path = join(blocker, 'log.svlog');
    const errors: Error[] = [];
    const largest = frame(19, 10).length;
    const sink = await openFileSink({ path, onError: (e) => errors.push(e), maxBufferedBytes: 5 * largest, onFull: 'drop-oldest' });
    const announced: number[] = [];
    for (let seq = 0; seq < 20; seq++) {
      const before = errors.length;
      sink.write(frame(seq, 10), header);
      announced.push(errors.slice(before).reduce((sum, e) => sum + (e instanceof RecordsDropped ? e.dropped : 0), 0));
    }
    // From the sixth write on, each one drops the oldest: said before the write returns.
    expect(announced).toEqual([0, 0, 0, 0, 0, ...Array(15).fill(1)]);
    expect(await sink.flush()).toMatchObject({ delivered: 0, dropped: 15, pending: 5 });
    rmSync(blocker);
    expect(await sink.close()).toMatchObject({ delivered: 5, dropped: 15, pending: 0, lastError: expect.stringMatching(/ENOTDIR|EEXIST/) });
    expect(errors.filter((e) => !(e instanceof RecordsDropped)).length).toBeGreaterThan(0);
    expect(seqsIn(path)).toEqual([15, 16, 17, 18, 19]);
  });

  it('names a bad option', async () => {
    const onError = () => undefined;
    await expect(openFileSink({ path: join(dir, 'x.svlog'), onError, onFull: 'drop' as never })).rejects.toThrow("openFileSink(options.onFull): expected 'block' or 'drop-oldest', got \"drop\"");
    await expect(openFileSink({ path: join(dir, 'x.svlog'), onError, maxBufferedBytes: 0 })).rejects.toThrow('openFileSink(options.maxBufferedBytes): expected an integer >= 1, got 0');
  });
});
