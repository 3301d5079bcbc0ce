import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PubSub } from '@google-cloud/pubsub';
import { encodeRecord, type LogRecord } from '@streamvis/format';
import { startPubsubEmulator, type PubsubEmulator } from '../../../../test/support/pubsub-emulator.js';
import { PubsubSource, type PubsubSourceOptions } from './pubsub-source.js';
import type { CorruptionReport } from './source.js';

const PROJECT = 'source-test';
let emulator: PubsubEmulator;
let client: PubSub;
let topics = 0;

beforeAll(async () => {
  emulator = await startPubsubEmulator();
  client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
});

const frame = (run: string, seq: number, logger = 'L1') =>
  encodeRecord({ run, logger, seq, time: 0, kind: 'scatter', plot: 'p', opts: { append: true } }, [
    { name: 'x', shape: [2], data: Float64Array.of(seq, seq + 0.5) },
    { name: 'y', shape: [2], data: Float64Array.of(-seq, 1) },
  ]);

/** Publishes raw messages as a producer would: ordered by run, `run` attribute set. */
async function publish(topic: string, run: string, payloads: Buffer[]): Promise<void> {
  const publisher = client.topic(topic, { messageOrdering: true });
  await Promise.all(payloads.map((data) => publisher.publishMessage({ data, attributes: { run }, orderingKey: run })));
}

function newTopic(): string {
  return `source-topic-${++topics}`;
}

interface Received {
  applied: LogRecord[];
  corrupt: CorruptionReport[];
  warnings: string[];
  source: PubsubSource;
}

async function startSource(
  options: Partial<PubsubSourceOptions> & { topic: string; runs: readonly string[] },
  onRecord: (record: LogRecord) => void | Promise<void> = () => undefined,
): Promise<Received> {
  const received: Omit<Received, 'source'> = { applied: [], corrupt: [], warnings: [] };
  const source = new PubsubSource({ project: PROJECT, apiEndpoint: emulator.host, warn: (m) => received.warnings.push(m), ...options });
  await source.start({
    record: async (record) => {
      await onRecord(record);
      received.applied.push(record);
    },
    corrupt: (report) => received.corrupt.push(report),
    failure: (message) => received.warnings.push(message),
  });
  return { ...received, source };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seqsOf = (records: LogRecord[]) => records.map((r) => r.header.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PubsubSource', () => {
  it("applies the run's records in order and reports garbage and other runs' records without stopping", async () => {
    const topic = newTopic();
    const run = 'alpha';
    const received = await startSource({ topic, runs: [run] });
    try {
      const payloads = [
        ...range(200).map((seq) => frame(run, seq)),
        Buffer.from('not a record at all'),
        frame(run, 200).subarray(0, 30), // truncated
        frame('beta', 0), // tagged as alpha, but the record says beta
        ...range(200).map((seq) => frame(run, 201 + seq)),
      ];
      await publish(topic, run, payloads);
      await waitFor(() => received.applied.length >= 400 && received.corrupt.length >= 3, '400 records and 3 reports');
      expect(seqsOf(received.applied)).toEqual([...range(200), ...range(200).map((i) => 201 + i)]);
      expect(received.corrupt.map((c) => c.reason)).toEqual([
        expect.stringContaining('bad magic'),
        expect.stringContaining('truncated record'),
        expect.stringContaining('record for run beta'),
      ]);
      expect(received.applied[5].arrays.x.data).toEqual(Float64Array.of(5, 5.5));
    } finally {
      await received.source.stop();
    }
  });

  it('hands copies on for the run state to drop, and retries a failing handler in place so the order holds', async () => {
    const topic = newTopic();
    const run = 'gamma';
    let failuresLeft = 2;
    const received = await startSource({ topic, runs: [run] }, (record) => {
      if (record.header.seq === 50 && failuresLeft-- > 0) throw new Error('disk full');
    });
    try {
      const payloads = range(100).map((seq) => frame(run, seq));
      await publish(topic, run, [...payloads.slice(0, 60), ...payloads.slice(30, 60), ...payloads.slice(60)]); // 30..59 twice
      await waitFor(() => received.applied.length >= 130, '130 records');
      await sleep(1_000); // room for any further (wrong) delivery
      expect(received.applied).toHaveLength(130);
      // The copies of 30..59 come after 59, as published; first arrivals are in order.
      expect([...new Set(seqsOf(received.applied))]).toEqual(range(100));
      expect(received.warnings).toEqual([expect.stringContaining('disk full'), expect.stringContaining('disk full')]);
    } finally {
      await received.source.stop();
    }
  });

  it('nacks a record whose handler keeps failing; its redelivery is applied once', async () => {
    const topic = newTopic();
    const run = 'gamma-2';
    let failuresLeft = 5; // all of the first delivery's attempts
    const received = await startSource({ topic, runs: [run] }, (record) => {
      if (record.header.seq === 5 && failuresLeft-- > 0) throw new Error('disk full');
    });
    try {
      await publish(topic, run, range(20).map((seq) => frame(run, seq)));
      await waitFor(() => received.applied.length >= 20, '20 records');
      await sleep(1_000);
      expect(seqsOf(received.applied).sort((a, b) => a - b)).toEqual(range(20));
      expect(received.warnings.at(-1)).toMatch(/#5 not applied, to be redelivered: disk full/);
    } finally {
      await received.source.stop();
    }
  });

  it("delivers to each run only its own records, whatever characters the run's name has", async () => {
    const topic = newTopic();
    const runs = ['say "hi" \\ there', 'say'];
    const [first, second] = await Promise.all(runs.map((run) => startSource({ topic, runs: [run] })));
    try {
      await publish(topic, runs[0], range(50).map((seq) => frame(runs[0], seq)));
      await publish(topic, runs[1], range(30).map((seq) => frame(runs[1], seq)));
      await waitFor(() => first.applied.length >= 50 && second.applied.length >= 30, 'both runs');
      await sleep(500);
      expect(first.applied.map((r) => r.header.run)).toEqual(Array(50).fill(runs[0]));
      expect(second.applied.map((r) => r.header.run)).toEqual(Array(30).fill(runs[1]));
      expect([...first.corrupt, ...second.corrupt]).toEqual([]);
    } finally {
      await Promise.all([first.source.stop(), second.source.stop()]);
    }
  });

  it('creates its subscription again when it disappears, says so, and receives what is published after', async () => {
    const topic = newTopic();
    const run = 'zeta';
    const received = await startSource({ topic, runs: [run], subscription: 'zeta-kept' });
    try {
      await publish(topic, run, range(5).map((seq) => frame(run, seq)));
      await waitFor(() => received.applied.length >= 5, 'the first 5');
      await client.subscription('zeta-kept').delete();
      await waitFor(() => received.warnings.some((w) => /zeta-kept did not exist any more.*created it again/.test(w)), 'the re-creation');
      await publish(topic, run, range(5).map((seq) => frame(run, 5 + seq)));
      await waitFor(() => received.applied.length >= 10, 'the 5 published after');
      expect(seqsOf(received.applied)).toEqual(range(10));
      expect((await client.subscription('zeta-kept').getMetadata())[0].filter).toBe(received.source.filter);
    } finally {
      await received.source.stop();
    }
  });

  it('keeps a named subscription across restarts, so nothing published meanwhile is lost, and deletes an ephemeral one', async () => {
    const topic = newTopic();
    const run = 'delta';
    const before = new Set((await client.getSubscriptions())[0].map((s) => s.name));

    const ephemeral = await startSource({ topic, runs: [run] });
    const named = await startSource({ topic, runs: [run], subscription: 'delta-kept' });
    const during = (await client.getSubscriptions())[0].map((s) => s.name).filter((n) => !before.has(n));
    expect(during).toHaveLength(2);
    await publish(topic, run, range(10).map((seq) => frame(run, seq)));
    await waitFor(() => named.applied.length >= 10 && ephemeral.applied.length >= 10, 'first 10');
    await Promise.all([ephemeral.source.stop(), named.source.stop()]);
    const after = (await client.getSubscriptions())[0].map((s) => s.name).filter((n) => !before.has(n));
    expect(after).toEqual([expect.stringMatching(/\/delta-kept$/)]);

    await publish(topic, run, range(10).map((seq) => frame(run, 10 + seq))); // while no server runs
    const restarted = await startSource({ topic, runs: [run], subscription: 'delta-kept' });
    try {
      await waitFor(() => restarted.applied.length >= 10, 'the 10 published while down');
      await sleep(500);
      expect(seqsOf(restarted.applied)).toEqual(range(10).map((i) => 10 + i));
    } finally {
      await restarted.source.stop();
    }

    const otherRun = new PubsubSource({ project: PROJECT, apiEndpoint: emulator.host, topic, runs: ['epsilon'], subscription: 'delta-kept' });
    await expect(otherRun.start({ record: () => undefined, corrupt: () => undefined, failure: () => undefined })).rejects.toThrow(/delta-kept exists with filter .*run epsilon/);
    await otherRun.stop();
  });
});
