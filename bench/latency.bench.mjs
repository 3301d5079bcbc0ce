// Live latency: a DataLogger appends 100 lines records/s to a log that the built server
// (a child process, as users run it) follows; an SSE client measures the time from the
// logger call to the delta's arrival. Each record's x is its send time.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLogger } from '../packages/logger/dist/index.js';
import { COALESCE_MS } from '../packages/server/dist/live/live-client.js';
import { startServerProcess } from './server-process.mjs';

/** [records/s, duration ms]: a training loop's pace, and a producer far faster than a page needs. */
const RATES = [
  [100, 10_000],
  [5_000, 3_000],
];
const now = () => performance.timeOrigin + performance.now();

/** Calls onDelta(batch, arrivalTime) for every delta event until the returned stop() is called. */
async function subscribe(url, onDelta) {
  const controller = new AbortController();
  const response = await fetch(new URL('/api/runs/latency/events', url), { signal: controller.signal });
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    try {
      for await (const chunk of response.body) {
        const arrived = now();
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: delta\n')) onDelta(JSON.parse(block.slice(block.indexOf('data: ') + 6)), arrived);
        }
      }
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  })();
  return async () => {
    controller.abort();
    await reading;
  };
}

/**
 * Plain JavaScript that takes about as long as a logging call when run in a loop (a JSON
 * round trip of a step's values, ~3 µs hot): timed at a wake-up, it shows what a cold cache
 * after the sleep costs any code on this machine.
 */
function coldBaseline(i) {
  return JSON.parse(JSON.stringify({ run: 'latency', plot: 'sent', step: i, values: [i, i / 2, i / 3], opts: { names: ['a', 'b', 'c'] } }));
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * One rate: the producer logs `rate` records/s for `durationMs`, in bursts of what is due
 * every 10 ms at high rates. Returns each record's delay to the client, each timed call
 * and each timed baseline (ms, sorted), and the SSE messages received.
 */
export async function measureRate(dir, rate, durationMs) {
  // A new log each time: a second measure in the same dir must not replay the first's.
  const log = join(await mkdtemp(join(dir, `latency-${rate}-`)), 'latency.svlog');
  const { child, url } = await startServerProcess(['file', '0', 'latency', log]);
  const latencies = [];
  const calls = [];
  const baseline = [];
  let messages = 0;
  try {
    const logger = new DataLogger('latency');
    await logger.initWriteLog(log);
    logger.tandemLines('sent', now(), [0]); // creates the plot: the first update is a snapshot
    const stop = await subscribe(url, (batch, arrived) => {
      messages++;
      for (const delta of batch.deltas) for (const sent of delta.columns.x) latencies.push(arrived - sent);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    for (let i = 0; Date.now() - started < durationMs; ) {
      const due = Math.floor(((Date.now() - started) * rate) / 1000);
      // At 100/s, every other wake-up times the baseline first (as cold as a call is) and the call untimed.
      const timeBaseline = i === due && i % 2 === 1;
      if (timeBaseline) {
        const before = performance.now();
        coldBaseline(i);
        baseline.push(performance.now() - before);
      }
      for (; i <= due; i++) {
        const before = performance.now();
        logger.tandemLines('sent', now(), [i]);
        if (!timeBaseline) calls.push(performance.now() - before);
      }
      const next = started + ((i + 1) * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
    await logger.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stop();
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  const ascending = (a, b) => a - b;
  return { latencies: latencies.sort(ascending), calls: calls.sort(ascending), baseline: baseline.sort(ascending), messages };
}

/** A table row of one rate's measure. */
function rowOf(rate, durationMs, { latencies: sorted, calls: callsSorted, baseline: baselineSorted, messages }) {
  const us = (sorted, p) => (sorted.length === 0 ? '-' : (percentile(sorted, p) * 1000).toFixed(0));
  const ms = (v) => v.toFixed(1);
  return [
    String(rate),
    String(sorted.length),
    String(messages),
    ((messages * 1000) / durationMs).toFixed(0),
    us(callsSorted, 50),
    us(callsSorted, 99),
    `${us(baselineSorted, 50)} / ${us(baselineSorted, 99)}`,
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 99)),
    ms(sorted.at(-1)),
  ];
}

export default async function latencyBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svlatency-'));
  try {
    const rows = [];
    for (const [rate, durationMs] of RATES) rows.push(rowOf(rate, durationMs, await measureRate(dir, rate, durationMs)));
    return {
      title: 'Live latency: logger call to SSE delta',
      columns: ['records/s', 'records', 'SSE messages', 'messages/s', 'call p50 µs', 'call p99 µs', 'baseline at a wake-up p50 / p99 µs', 'p50 ms', 'p99 ms', 'max ms'],
      rows,
      notes: [
        'one 1-value lines record per call through a log file; server in a child process (fs.watch + 250 ms polling), client over fetch (the JSON event stream scripts follow) in the producer\'s process',
        'baseline: plain JavaScript taking about as long as a call when hot (a JSON round trip of a step, ~3 µs in a loop), timed at alternate wake-ups in place of the call: what the machine\'s cold cache after a 10 ms sleep costs any code',
        `targets at 100 records/s: p50 <= 5 ms, p99 <= 15 ms, the call <= 0.2 ms; at high rates the server coalesces (a message at once after a quiet moment, else at most one per ${COALESCE_MS} ms), so messages/s stay bounded whatever the rate`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
