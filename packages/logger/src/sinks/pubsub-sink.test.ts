import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { freeLoopbackPort, startPubsubEmulator, type PubsubEmulator } from '../../../../test/support/pubsub-emulator.js';
import { startTcpForwarder } from '../../../../test/support/tcp-forwarder.js';
import { encodeRecord, readFrame } from '@streamvis/format';
import type { RecordHeader } from '@streamvis/format';
import { openPubsubSink, type PubsubSinkOptions } from './pubsub-sink.js';
import { RecordsDropped, type Sink, type SinkReport } from './sink.js';

const PROJECT = 'sink-test';
const RUN = 'sink-run';
let emulator: PubsubEmulator;
let admin: PubSub;
let topics = 0;

beforeAll(async () => {
  emulator = await startPubsubEmulator();
  admin = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
});

afterAll(async () => {
  await admin?.close();
  await emulator?.stop();
});

interface TestRecord {
  frame: Buffer;
  header: RecordHeader;
}

function lineRecord(seq: number, points = 2): TestRecord {
  const frame = encodeRecord(
    { run: RUN, logger: 'logger-1', seq, time: Date.now(), kind: 'lines', plot: 'loss', opts: { x: seq } },
    [{ name: 'y', shape: [points], data: new Float32Array(points).fill(seq) }],
  );
  const read = readFrame(frame, 0);
  if (read.status !== 'record') throw new Error('test record does not decode');
  return { frame, header: read.record.header };
}

/** A fresh topic with an ordered subscription that records every message it receives (and acks it). */
async function subscribedTopic(): Promise<{ topic: string; received: Message[]; close: () => Promise<void> }> {
  const topic = `sink-topic-${++topics}`;
  const [created] = await admin.createTopic(topic);
  const [subscription] = await created.createSubscription(`${topic}-sub`, { enableMessageOrdering: true });
  const received: Message[] = [];
  subscription.on('message', (message: Message) => {
    received.push(message);
    message.ack();
  });
  subscription.on('error', () => undefined);
  return { topic, received, close: () => subscription.close() };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function seqs(messages: Message[]): number[] {
  return messages.map((m) => Number(m.attributes.seq));
}

/** Sequence numbers in order of first arrival: what a de-duplicating reader keeps. */
function firstArrivals(messages: Message[]): number[] {
  return [...new Set(seqs(messages))];
}

function open(options: Partial<PubsubSinkOptions> & { topic: string }, errors: Error[] = []): Promise<Sink> {
  return openPubsubSink({ project: PROJECT, run: RUN, apiEndpoint: emulator.host, onError: (e) => errors.push(e), ...options });
}

describe('openPubsubSink', () => {
  it('publishes each record as one message, in order, with its attributes, and flush resolves once all are acked', async () => {
    const { topic, received, close } = await subscribedTopic();
    const errors: Error[] = [];
    const sink = await open({ topic }, errors);
    const records = Array.from({ length: 500 }, (_, seq) => lineRecord(seq));
    for (const { frame, header } of records) sink.write(frame, header);

    const report = await sink.flush();
    expect(report).toMatchObject({ delivered: 500, dropped: 0, pending: 0, errors: 0 });

    await waitFor(() => received.length >= 500, 20_000, '500 messages');
    expect(seqs(received)).toEqual(records.map((r) => r.header.seq));
    received.forEach((message, i) => {
      expect(Buffer.compare(message.data, records[i].frame)).toBe(0);
      expect(message.attributes).toEqual({ run: RUN, plot: 'loss', kind: 'lines', logger: 'logger-1', seq: String(i) });
      expect(message.orderingKey).toBe(RUN);
    });
    expect(await sink.close()).toMatchObject({ delivered: 500, dropped: 0, pending: 0 });
    expect(errors).toEqual([]);
    await close();
  });

  it('creates the topic when it is missing', async () => {
    const topic = 'sink-topic-created-by-sink';
    const sink = await open({ topic });
    const { frame, header } = lineRecord(0);
    sink.write(frame, header);
    expect(await sink.close()).toMatchObject({ delivered: 1, pending: 0 });
    const [exists] = await admin.topic(topic).exists();
    expect(exists).toBe(true);
  });

  it('keeps the producer at its pace while Pub/Sub is unreachable, then delivers everything in order', async () => {
    const { topic, received, close } = await subscribedTopic();
    const port = await freeLoopbackPort(); // nothing listens here until the forwarder starts
    const errors: Error[] = [];
    const opening = performance.now();
    const sink = await open({ topic, apiEndpoint: `127.0.0.1:${port}` }, errors);
    const openMs = performance.now() - opening;

    const steps = 150;
    const stepMs = 10;
    /** A producer's step loop: make a record (a 10k-point one every 10th step), hand it over, sleep. */
    const stepLoop = async (write: (record: TestRecord) => void, beforeStep: (seq: number) => Promise<void> = async () => undefined) => {
      let writeMs = 0;
      let slowestWriteMs = 0;
      const start = performance.now();
      for (let seq = 0; seq < steps; seq++) {
        await beforeStep(seq);
        const record = lineRecord(seq, seq % 10 === 0 ? 10_000 : 3);
        const before = performance.now();
        write(record);
        const took = performance.now() - before;
        writeMs += took;
        slowestWriteMs = Math.max(slowestWriteMs, took);
        await new Promise((resolve) => setTimeout(resolve, stepMs));
      }
      return { loopMs: performance.now() - start, writeMs, slowestWriteMs };
    };
    const alone = await stepLoop(() => undefined); // the same loop without a sink, as the reference pace
    let forwarder: Awaited<ReturnType<typeof startTcpForwarder>> | undefined;
    const withSink = await stepLoop(
      ({ frame, header }) => sink.write(frame, header),
      async (seq) => {
        if (seq === 100) forwarder = await startTcpForwarder(port, emulator.port); // Pub/Sub reachable from here on
      },
    );
    try {
      expect(openMs).toBeLessThan(500);
      expect(withSink.slowestWriteMs).toBeLessThan(50);
      expect(withSink.writeMs).toBeLessThan(withSink.loopMs * 0.05);
      expect(withSink.loopMs).toBeLessThan(alone.loopMs * 1.3 + 200);
      expect(errors.length).toBeGreaterThan(0); // the outage was reported

      const report = await sink.close();
      expect(report).toMatchObject({ delivered: steps, dropped: 0, pending: 0 });
      await waitFor(() => received.length >= steps, 20_000, `${steps} messages`);
      expect(seqs(received)).toEqual(Array.from({ length: steps }, (_, i) => i));
    } finally {
      await forwarder?.stop();
      await close();
    }
  });

  it('re-sends what was not acked when the connection is cut mid-run, keeping the order', async () => {
    const { topic, received, close } = await subscribedTopic();
    const port = await freeLoopbackPort();
    let forwarder = await startTcpForwarder(port, emulator.port);
    const errors: Error[] = [];
    const sink = await open({ topic, apiEndpoint: `127.0.0.1:${port}`, flushTimeoutMs: 300 }, errors);
    try {
      for (const { frame, header } of Array.from({ length: 100 }, (_, seq) => lineRecord(seq))) sink.write(frame, header);
      expect(await sink.flush()).toMatchObject({ delivered: 100, pending: 0 });

      await forwarder.stop();
      for (const { frame, header } of Array.from({ length: 200 }, (_, i) => lineRecord(100 + i))) sink.write(frame, header);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await sink.flush()).pending).toBeGreaterThan(0);

      forwarder = await startTcpForwarder(port, emulator.port);
      expect(await settle(sink)).toMatchObject({ delivered: 300, dropped: 0, pending: 0 });
      await waitFor(() => new Set(seqs(received)).size >= 300, 20_000, '300 distinct messages');
      // At-least-once: a batch whose ack was lost may come twice; readers drop repeats by seq.
      expect(firstArrivals(received)).toEqual(Array.from({ length: 300 }, (_, i) => i));
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await sink.close();
      await forwarder.stop();
      await close();
    }
  });

  it('bounds its buffer during an outage by dropping the oldest records, each drop reported by the write that made it', async () => {
    const { topic, received, close } = await subscribedTopic();
    const port = await freeLoopbackPort();
    const errors: Error[] = [];
    const frameBytes = lineRecord(0).frame.length;
    const sink = await open({ topic, apiEndpoint: `127.0.0.1:${port}`, maxBufferedBytes: 20 * frameBytes, flushTimeoutMs: 300 }, errors);
    let announced = 0;
    for (const { frame, header } of Array.from({ length: 100 }, (_, seq) => lineRecord(seq))) {
      const before = errors.length;
      sink.write(frame, header);
      // Heard before the write returns: a producer that never yields learns of every drop.
      announced += errors.slice(before).reduce((sum, e) => sum + (e instanceof RecordsDropped ? e.dropped : 0), 0);
    }
    const during = await sink.flush();
    expect(during.dropped).toBeGreaterThanOrEqual(79);
    expect(during.dropped + during.pending).toBe(100);
    expect(announced).toBe(during.dropped);
    expect(errors.filter((e) => e instanceof RecordsDropped).every((e) => e.message.includes('buffer full'))).toBe(true);

    const forwarder = await startTcpForwarder(port, emulator.port);
    try {
      const report = await settle(sink);
      await sink.close();
      expect(report.delivered + report.dropped).toBe(100);
      expect(report.pending).toBe(0);
      await waitFor(() => received.length >= report.delivered, 20_000, 'the kept records');
      // The newest records are the ones kept.
      expect(seqs(received)).toEqual(Array.from({ length: report.delivered }, (_, i) => 100 - report.delivered + i));
    } finally {
      await forwarder.stop();
      await close();
    }
  });
});

/** Flushes until nothing is pending (each flush gives up after the sink's flushTimeoutMs). */
async function settle(sink: Sink, timeoutMs = 30_000): Promise<SinkReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await sink.flush();
    if (report.pending === 0 || Date.now() > deadline) return report;
  }
}
