import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';
import { encodeRecord } from '@streamvis/format';
import type { Health, PlotSnapshot, SeqGap } from '@streamvis/server';
import { startNode, type NodeProcess } from './e2e/processes.js';
import { emulatorEnv, startPubsubEmulator, type PubsubEmulator } from './support/pubsub-emulator.js';

// The server as users run it, against a real emulator that this test stops and starts again empty.
const serverCli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const PROJECT = 'outage-project';
const TOPIC = 'outage-topic';
const RUN = 'outage';
const LOGGER = 'lossy-producer';

let emulator: PubsubEmulator | undefined;
let server: NodeProcess | undefined;
let client: PubSub | undefined;

beforeAll(() => {
  if (!existsSync(serverCli)) throw new Error(`build first (npm run build): ${serverCli} is missing`);
});

afterAll(async () => {
  await server?.stop();
  await client?.close();
  await emulator?.stop();
});

const get = async <T>(url: string, path: string): Promise<T> => (await fetch(new URL(path, url))).json() as Promise<T>;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A producer that gives up on a record it cannot publish, as a real one would drop records
 * it can no longer buffer: the record format and attributes of the DataLogger's sink, one
 * line point (x = seq) every 20 ms, so a record lost is a hole in the plot's x column.
 */
function startLossyProducer(pubsub: PubSub): { stop(): void; published: Set<number> } {
  const topic = pubsub.topic(TOPIC, { messageOrdering: true, gaxOpts: { timeout: 2_000, maxRetries: 0 } });
  const published = new Set<number>();
  let seq = 0;
  const timer = setInterval(() => {
    const record = seq++;
    const data = encodeRecord({ run: RUN, logger: LOGGER, seq: record, time: Date.now(), kind: 'lines', plot: 'loss', opts: { x: record } }, [
      { name: 'y', shape: [1], data: Float64Array.of(Math.sin(record / 10)) },
    ]);
    topic.publishMessage({ data, attributes: { run: RUN, kind: 'lines', logger: LOGGER, seq: String(record), plot: 'loss' }, orderingKey: RUN }).then(
      () => published.add(record),
      () => topic.resumePublishing(RUN), // dropped; the key takes messages again
    );
  }, 20);
  return { stop: () => clearInterval(timer), published };
}

/** The runs of consecutive numbers missing between the first and the last of `xs`. */
function holesIn(xs: number[]): SeqGap[] {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.slice(1).flatMap((x, i) => (x > sorted[i] + 1 ? [{ logger: LOGGER, from: sorted[i] + 1, to: x - 1 }] : []));
}

describe('streamvis-server pubsub when the emulator restarts empty', () => {
  it('reports the outage within 5 s, creates its subscription again, reports the records lost as a gap, then shows the newer ones', async () => {
    emulator = await startPubsubEmulator();
    const { port } = emulator;
    const reconnectSoon = { 'grpc.max_reconnect_backoff_ms': 1_000 }; // gRPC's default backoff grows to 2 minutes
    client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host, ...reconnectSoon });
    Object.assign(process.env, emulatorEnv(emulator.host)); // this file's worker only: the server talks to this emulator
    server = startNode(serverCli, ['pubsub', '0', RUN, PROJECT, TOPIC, '--subscription', 'outage-sub']);
    const [, url] = await server.waitFor(/serving run '.*' at (\S+)/, 30_000);
    const producer = startLossyProducer(client);
    try {
      await until(() => get<Health>(url, '/api/health'), (h) => h.records >= 50, '50 records', 20_000);

      await emulator.stop();
      const stoppedAt = Date.now();
      const outage = await until(() => get<Health>(url, '/api/health'), (h) => h.errors >= 1, 'the outage in health', 10_000);
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      expect(outage.lastError).toMatch(/cannot receive from Pub\/Sub subscription outage-sub: .*; retrying/);
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // the producer keeps losing records meanwhile

      emulator = await startPubsubEmulator({ port }); // empty: no topic, no subscription
      await server.waitFor(/subscription outage-sub did not exist any more .*created it again/, 20_000);
      await server.waitFor(/receiving from Pub\/Sub subscription outage-sub again/, 10_000);
      const lastBefore = Math.max(...producer.published);
      await until(() => get<Health>(url, '/api/health'), (h) => (h.gaps?.length ?? 0) > 0 && h.records >= outage.records + 50, 'the gap and 50 newer records', 20_000);
      producer.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // the last records land

      const health = await get<Health>(url, '/api/health');
      const xs = (await get<PlotSnapshot>(url, `/api/runs/${RUN}/plots/loss`)).columns.x as number[];
      expect(Math.max(...xs)).toBeGreaterThan(lastBefore); // newer records are shown
      expect(new Set(xs).size).toBe(xs.length); // nothing twice
      const holes = holesIn(xs);
      expect(holes.length).toBeGreaterThan(0);
      expect(health.gaps).toEqual(holes); // exactly the records that never came
      expect(health.lastError).toMatch(new RegExp(`records? [\\d,]+(-[\\d,]+)? of logger ${LOGGER} never arrived`));
      expect(health.errors).toBe(2 + holes.length); // the outage, the re-creation, each gap
    } finally {
      producer.stop();
    }
  }, 90_000);
});
