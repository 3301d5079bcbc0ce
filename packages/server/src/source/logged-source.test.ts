import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { FrameReader, encodeRecord, type LogRecord } from '@streamvis/format';
import { startPubsubEmulator, type PubsubEmulator } from '../../../../test/support/pubsub-emulator.js';
import { LoggedSource } from './logged-source.js';
import { PubsubSource } from './pubsub-source.js';

const PROJECT = 'logged-test';
const RUN = 'logged';
let emulator: PubsubEmulator;
let client: PubSub;
let dir: string;

beforeAll(async () => {
  emulator = await startPubsubEmulator();
  client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
  dir = await mkdtemp(join(tmpdir(), 'svlogged-'));
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const frame = (seq: number) =>
  encodeRecord({ run: RUN, logger: 'L', seq, time: 0, kind: 'lines', plot: 'loss', opts: { x: seq } }, [
    { name: 'y', shape: [1], data: Float64Array.of(seq) },
  ]);

async function publish(topic: string, frames: Buffer[]): Promise<void> {
  const publisher = client.topic(topic, { messageOrdering: true });
  await Promise.all(frames.map((data) => publisher.publishMessage({ data, attributes: { run: RUN }, orderingKey: RUN })));
}

async function logSeqs(path: string): Promise<number[]> {
  const reader = new FrameReader();
  reader.push(await readFile(path));
  return reader.drain().flatMap((event) => (event.type === 'record' ? [event.record.header.seq] : []));
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function start(topic: string, logFile: string, applied: LogRecord[], warnings: string[] = []): Promise<LoggedSource> {
  const warn = (m: string) => void warnings.push(m);
  const source = new LoggedSource(new PubsubSource({ project: PROJECT, apiEndpoint: emulator.host, topic, runs: [RUN], warn }), logFile, warn);
  await source.start({ record: (record) => void applied.push(record), corrupt: () => undefined, failure: () => undefined });
  return source;
}

describe('LoggedSource over Pub/Sub', () => {
  it('replays the log first, appends what arrives, and never appends what the log already holds', async () => {
    const topic = 'logged-replay';
    const log = join(dir, 'replay.svlog');
    await writeFile(log, Buffer.concat([0, 1, 2].map(frame)));
    const applied: LogRecord[] = [];
    const source = await start(topic, log, applied);
    try {
      expect(applied.map((r) => r.header.seq)).toEqual([0, 1, 2]); // before start resolved
      await publish(topic, [1, 2, 3, 4].map(frame)); // 1 and 2 again, as after a crash before their ack
      await waitFor(() => applied.some((r) => r.header.seq === 4), 'records 3 and 4');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The copies are handed on (the run state drops them), in order after the replay.
      expect(applied.map((r) => r.header.seq)).toEqual([0, 1, 2, 1, 2, 3, 4]);
      expect(await logSeqs(log)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await source.stop();
    }
  });

  it('applies nothing it could not write to the log, and everything once writing works again', async () => {
    const topic = 'logged-unwritable';
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, 'a file where the log directory should be');
    const log = join(blocker, 'run.svlog');
    const applied: LogRecord[] = [];
    const warnings: string[] = [];
    const source = await start(topic, log, applied, warnings);
    try {
      await publish(topic, [0, 1, 2].map(frame));
      const failedAppends = () => warnings.filter((w) => /appending to .*run\.svlog failed/.test(w)).length;
      await waitFor(() => failedAppends() >= 2, 'failed appends');
      expect(applied).toEqual([]);

      await rm(blocker); // the log's directory can now be made
      await waitFor(() => applied.length >= 3, 'the records, once written');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([...new Set(applied.map((r) => r.header.seq))].sort()).toEqual([0, 1, 2]);
      expect((await logSeqs(log)).sort()).toEqual([0, 1, 2]);
    } finally {
      await source.stop();
    }
  });
});
