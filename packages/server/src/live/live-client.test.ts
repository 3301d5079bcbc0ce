import { describe, expect, it } from 'vitest';
import type { PlotDelta, RunSnapshot, RunStatus } from '../protocol.js';
import { COALESCE_MS, LiveClient } from './live-client.js';

const snapshot: RunSnapshot = { run: 'r', layout: {}, plots: [], records: 0, errors: 0 };
let status: RunStatus = { records: 7, errors: 0 };
const append = (x: number[]): PlotDelta => ({ plot: 'p', op: 'append', columns: { x } });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The next turn of the event loop: a message sent "at once" is encoded and handed over by then. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A client whose transport records messages; `hold` makes writes hang until released. */
function recordingClient() {
  const sent: Array<{ event: string; data: unknown }> = [];
  let hold: Promise<void> | undefined;
  let release = () => {};
  const client = new LiveClient(
    async (event, data) => {
      sent.push({ event, data: JSON.parse(data) });
      await hold;
    },
    () => snapshot,
    () => status,
  );
  return {
    client,
    sent,
    hold: () => (hold = new Promise((resolve) => (release = resolve))),
    release: () => {
      hold = undefined;
      release();
    },
  };
}

describe('LiveClient', () => {
  it('starts with a snapshot, then sends an isolated delta at once', async () => {
    const { client, sent } = recordingClient();
    await nextTurn();
    expect(sent).toEqual([{ event: 'snapshot', data: snapshot }]);
    await pause(COALESCE_MS + 5);
    client.pushDelta(append([1]));
    await nextTurn();
    expect(sent[1]).toEqual({ event: 'delta', data: { deltas: [append([1])], records: 7, errors: 0 } });
    client.close();
  });

  it('batches deltas that come faster than the coalescing interval into one message', async () => {
    const { client, sent } = recordingClient();
    for (let i = 0; i < 50; i++) client.pushDelta(append([i]));
    await pause(COALESCE_MS * 3);
    expect(sent.map((m) => m.event)).toEqual(['snapshot', 'delta']);
    expect(sent[1].data).toEqual({ deltas: [append(Array.from({ length: 50 }, (_, i) => i))], records: 7, errors: 0 });
    client.close();
  });

  it('sends new counts without deltas when an error is noted', async () => {
    const { client, sent } = recordingClient();
    await pause(COALESCE_MS + 5);
    status = { records: 7, errors: 1, lastError: '12 corrupt bytes' };
    client.statusChanged();
    await nextTurn();
    expect(sent[1]).toEqual({ event: 'delta', data: { deltas: [], records: 7, errors: 1, lastError: '12 corrupt bytes' } });
    await pause(COALESCE_MS * 3);
    expect(sent).toHaveLength(2);
    status = { records: 7, errors: 0 };
    client.close();
  });

  it('a pending snapshot supersedes queued deltas', async () => {
    const { client, sent } = recordingClient();
    client.pushDelta(append([1]));
    client.requestSnapshot();
    await pause(COALESCE_MS * 3);
    expect(sent.map((m) => m.event)).toEqual(['snapshot', 'snapshot']);
    client.close();
  });

  it('a client that cannot keep up gets a snapshot instead of an unbounded backlog', async () => {
    const { client, sent, hold, release } = recordingClient();
    await pause(COALESCE_MS + 5);
    hold();
    client.pushDelta(append([0]));
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    for (let i = 0; i < 5; i++) client.pushDelta(append(big));
    release();
    await pause(COALESCE_MS * 3);
    expect(sent.map((m) => m.event)).toEqual(['snapshot', 'delta', 'snapshot']);
    client.close();
  });
});
