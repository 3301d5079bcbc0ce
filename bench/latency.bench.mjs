// Live latency: a DataLogger appends 100 lines records/s to a log that the built server
// (a child process, as users run it) follows; an SSE client measures the time from the
// logger call to the delta's arrival. Each record's x is its send time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLogger } from '../packages/logger/dist/index.js';

const RATE_PER_S = 100;
const DURATION_MS = 10_000;
const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const now = () => performance.timeOrigin + performance.now();

async function startServerProcess(log) {
  const child = spawn(process.execPath, [cli, 'file', '0', 'latency', log], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  for await (const text of child.stdout) {
    out += text;
    const match = / at (http:\S+)\n/.exec(out);
    if (match) return { child, url: match[1] };
  }
  throw new Error(`server exited: ${out}`);
}

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

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export default async function latencyBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svlatency-'));
  const log = join(dir, 'latency.svlog');
  const { child, url } = await startServerProcess(log);
  const latencies = [];
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
    for (let i = 0; Date.now() - started < DURATION_MS; i++) {
      logger.tandemLines('sent', now(), [i]);
      const next = started + ((i + 1) * 1000) / RATE_PER_S;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
    await logger.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stop();
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await rm(dir, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v) => v.toFixed(1);
  return {
    title: 'Live latency: logger call to SSE delta',
    columns: ['records', 'SSE messages', 'p50 ms', 'p99 ms', 'max ms', 'targets'],
    rows: [[String(sorted.length), String(messages), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted.at(-1)), 'p50 < 50, p99 < 200']],
    notes: [`${RATE_PER_S} records/s for ${DURATION_MS / 1000} s through a log file; server in a child process (fs.watch + 250 ms polling), client over fetch in the producer's process`],
  };
}
