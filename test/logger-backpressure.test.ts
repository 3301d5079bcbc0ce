import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameReader } from '@streamvis/format';
import { startNode, type NodeProcess } from './e2e/processes.js';

// Producers in child processes, using the built logger (packages/logger/dist) as a real app
// would, logging 10k-point scatters in a loop that never yields (test/fixtures/fast-producer.mjs).
const producer = fileURLToPath(new URL('./fixtures/fast-producer.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'svbackpressure-'));
const started: NodeProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function start(args: (string | number)[]): NodeProcess {
  const process = startNode(producer, args.map(String));
  started.push(process);
  return process;
}

/** The seqs of the log's whole records, in file order, and the bytes of a torn tail; read in chunks (logs of GBs). */
function readSeqs(path: string) {
  const reader = new FrameReader();
  const seqs: number[] = [];
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(64 << 20);
  try {
    for (let read; (read = readSync(fd, chunk)) > 0; ) {
      reader.push(Buffer.from(chunk.subarray(0, read)));
      for (const event of reader.drain()) {
        expect(event.type).toBe('record');
        if (event.type !== 'record') continue;
        const { header, arrays: { x } } = event.record;
        // Its values equal its seq (first and last: the checksum vouches for the rest): the record is the one logged.
        expect([x.data[0], x.data[x.data.length - 1]]).toEqual([header.seq, header.seq]);
        seqs.push(header.seq);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { seqs, tornBytes: reader.pendingBytes };
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('logger backpressure: a producer faster than the disk', () => {
  it('logging 10k-point scatters at full speed for 5 s loses nothing: every seq is in the log, no error', async () => {
    const log = join(dir, 'full-speed.svlog');
    const run = start([log, 5, 10_000, 'shutdown']);
    const [exit] = await Promise.all([once(run.child, 'exit'), run.waitFor(/^\{.*\}$/m, 60_000)]);
    expect(exit).toEqual([0, null]);
    const report = JSON.parse(run.output().match(/^\{.*\}$/m)![0]);
    const logged = Number(run.output().match(/logged (\d+)/)![1]);
    expect(logged).toBeGreaterThan(100);
    expect(report).toMatchObject({ records: logged, announcedDrops: 0, sinks: [{ delivered: logged, dropped: 0, pending: 0, errors: 0 }] });
    expect(readSeqs(log)).toMatchObject({ seqs: upTo(logged), tornBytes: 0 });
    rmSync(log);
  });

  it("with onFull 'drop-oldest' and a small bound, every drop is announced by the call that made it, and the report and log agree", async () => {
    const log = join(dir, 'drop-oldest.svlog');
    const run = start([log, 2, 10_000, 'shutdown', 'drop-oldest', 4 << 20]);
    await once(run.child, 'exit');
    const report = JSON.parse(run.output().match(/^\{.*\}$/m)![0]);
    const logged = Number(run.output().match(/logged (\d+)/)![1]);
    const { seqs } = readSeqs(log);
    // Whether the disk falls behind is up to the machine: what must hold is that the counts agree, drops or none.
    expect(report.announcedDrops).toBe(report.sinks[0].dropped);
    expect(report.sinks[0]).toMatchObject({ delivered: logged - report.announcedDrops, pending: 0 });
    expect(seqs.length).toBe(logged - report.announcedDrops);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    expect(seqs.at(-1)).toBe(logged - 1);
    rmSync(log);
  });

  it('a producer SIGKILLed after ~200 ms of idle has every record it logged on disk', async () => {
    const log = join(dir, 'killed-idle.svlog');
    const run = start([log, 2, 10_000, 'idle']);
    const logged = Number((await run.waitFor(/logged (\d+)/, 30_000))[1]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGKILL');
    await once(run.child, 'exit');
    expect(readSeqs(log)).toMatchObject({ seqs: upTo(logged), tornBytes: 0 });
    rmSync(log);
  });

  it('a producer SIGKILLed while logging at full speed has every record made more than 100 ms before the kill on disk', async () => {
    const log = join(dir, 'killed-busy.svlog');
    const run = start([log, 0, 10_000, 'idle']);
    await run.waitFor(/made 0 /, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const killedAt = Date.now();
    run.child.kill('SIGKILL');
    await once(run.child, 'exit');
    const made = new Map([...run.output().matchAll(/made (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    const { seqs } = readSeqs(log);
    expect(seqs).toEqual(upTo(seqs.length));
    expect(seqs.length).toBeGreaterThan(10);
    // The first record missing was made in the last 100 ms before the kill (or never: all are there).
    const firstMissing = made.get(seqs.length);
    if (firstMissing !== undefined) expect(firstMissing).toBeGreaterThanOrEqual(killedAt - 100);
    rmSync(log);
  });

  it("with 'block', a call waits while the log cannot be written, hearing the errors meanwhile, and goes on with nothing lost once it can", async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where the log directory should be');
    const log = join(blocker, 'waits.svlog');
    const script = join(dir, 'waits.mjs');
    const logger = new URL('../packages/logger/dist/index.js', import.meta.url).href;
    writeFileSync(script, `
      import { DataLogger, ndarray } from ${JSON.stringify(logger)};
      const log = new DataLogger('waits');
      let heard = 0;
      log.on('error', () => heard++);
      await log.initWriteLog(${JSON.stringify(log)}, { maxBufferedBytes: 1 << 20 });
      process.stdout.write('opened\\n');
      let heardInCalls = 0;
      for (let i = 0; i < 40; i++) {
        const before = heard;
        log.scatter('p', ndarray(new Float32Array(20_000).fill(i), [10_000, 2]), { spatialDim: 1, append: true });
        heardInCalls += heard - before;
      }
      console.log(JSON.stringify({ ...(await log.shutdown()), heardInCalls }));
    `);
    const waiting = startNode(script, []);
    started.push(waiting);
    await waiting.waitFor(/opened/, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(waiting.output()).not.toMatch(/\{/); // still in its calls, waiting for room
    rmSync(blocker);
    await once(waiting.child, 'exit');
    const report = JSON.parse(waiting.output().match(/^\{.*\}$/m)![0]);
    expect(report.heardInCalls).toBeGreaterThan(0);
    expect(report.sinks[0]).toMatchObject({ delivered: 40, dropped: 0, pending: 0 });
    expect(readSeqs(log)).toMatchObject({ seqs: upTo(40), tornBytes: 0 });
  });
});
