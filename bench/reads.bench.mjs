// Big reads under load: 50 concurrent readers of a 1,000,000-row plot's JSON from the built
// server CLI (a child process), with /api/health polled meanwhile. Baseline in the same run:
// a bare node:http server answering the same bytes from memory to the same 50 readers.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRecord } from '../packages/format/dist/index.js';

// The server as users run it: its bin, with the node settings its bin execs node with.
const bin = fileURLToPath(new URL('../packages/server/bin/streamvis-server.js', import.meta.url));
const RUN = 'reads';
const STEPS = 1_000_000;
const READERS = 50;

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function writeLog(path) {
  const file = await open(path, 'w');
  let chunk = [];
  for (let step = 0; step < STEPS; step++) {
    chunk.push(encodeRecord({ run: RUN, logger: 'bench', seq: step, time: 0, kind: 'lines', plot: 'loss', opts: { x: step } }, [{ name: 'y', shape: [2], data: Float64Array.of(1 / (1 + step), step % 10) }]));
    if (chunk.length === 10_000) {
      await file.write(Buffer.concat(chunk));
      chunk = [];
    }
  }
  await file.write(Buffer.concat(chunk));
  await file.close();
}

function startServer(log) {
  const child = spawn(bin, ['file', '0', RUN, log], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let out = '';
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (text) => {
      out += text;
      const match = / at (http:\S+)\n[\s\S]*history read/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  return { ready, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

/** READERS concurrent GETs of `url` while `healthUrl` is polled: seconds, bytes, health latencies. */
async function readAll(url, healthUrl) {
  let reading = true;
  const health = [];
  const poller = (async () => {
    while (reading) {
      const started = performance.now();
      await (await fetch(healthUrl)).arrayBuffer();
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  // The readers run in a process of their own, so their work does not delay the health poll.
  const { seconds, bytes } = JSON.parse(await output(process.execPath, ['--input-type=module', '-e', READERS_SCRIPT, url, String(READERS)]));
  reading = false;
  await poller;
  return { seconds, bytes, health };
}

const READERS_SCRIPT = `
const [url, count] = [process.argv[1], Number(process.argv[2])];
const started = performance.now();
const sizes = await Promise.all(Array.from({ length: count }, async () => {
  let bytes = 0;
  for await (const chunk of (await fetch(url)).body) bytes += chunk.length;
  return bytes;
}));
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, bytes: sizes.reduce((a, b) => a + b, 0) }));
`;

function output(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (out += text));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`readers exited with ${code}`))));
  });
}

export default async function readsBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svreads-'));
  const log = join(dir, 'reads.svlog');
  await writeLog(log);
  const server = startServer(log);
  const url = await server.ready;
  const plotUrl = new URL(`/api/runs/${RUN}/plots/loss`, url).href;
  const healthUrl = new URL('/api/health', url).href;

  const idle = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await (await fetch(healthUrl)).arrayBuffer();
    idle.push(performance.now() - started);
  }
  const streamvis = await readAll(plotUrl, healthUrl);

  // The baseline: the same bytes from memory, no JSON encoding, no framework.
  const body = Buffer.from(await (await fetch(plotUrl)).arrayBuffer());
  const raw = createServer((request, response) => {
    if (request.url === '/health') response.end('{"status":"ok"}');
    else response.end(body);
  });
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const rawUrl = `http://127.0.0.1:${raw.address().port}`;
  const baseline = await readAll(`${rawUrl}/plot`, `${rawUrl}/health`);
  await new Promise((resolve) => raw.close(resolve));
  await server.stop();
  await rm(dir, { recursive: true, force: true });

  const mbps = (r) => r.bytes / 2 ** 20 / r.seconds;
  const ms = (v) => `${v.toFixed(1)} ms`;
  return {
    title: `Big reads: ${READERS} concurrent GETs of a ${STEPS.toLocaleString('en-US')}-row plot (${(body.length / 2 ** 20).toFixed(1)} MiB of JSON each)`,
    columns: ['measure', 'streamvis-server', 'baseline: bare node:http, same bytes from memory', 'ratio'],
    rows: [
      ['GET throughput', `${mbps(streamvis).toFixed(0)} MiB/s (${(READERS / streamvis.seconds).toFixed(1)} plots/s)`, `${mbps(baseline).toFixed(0)} MiB/s`, `${(mbps(streamvis) / mbps(baseline)).toFixed(2)}×`],
      ['/api/health p50 / p99 during the reads', `${ms(percentile(streamvis.health, 50))} / ${ms(percentile(streamvis.health, 99))}`, `${ms(percentile(baseline.health, 50))} / ${ms(percentile(baseline.health, 99))}`, ''],
      ['/api/health p50 / p99, idle server', `${ms(percentile(idle, 50))} / ${ms(percentile(idle, 99))}`, '', ''],
    ],
    notes: ['The plot\'s JSON is encoded once per plot version, in turns of 32k numbers, and streamed to every reader with backpressure (http/plot-json-cache.ts).'],
  };
}
