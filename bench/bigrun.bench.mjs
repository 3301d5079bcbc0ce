// Big runs: the built server CLI (a child process) serving one run of 1,000 / 4,000 / 10,000
// plots: each answer about the run's plots, timed, with /api/health polled meanwhile; then
// the replay of a 190 MB log of a million small records over 10,000 plots with a page and
// a script following it, and SIGTERM in its middle. Baseline in the same run: a bare
// node:http server answering the same detail with JSON.stringify (encoded in one go, as
// the server did before it encoded big answers in turns).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRecord } from '../packages/format/dist/index.js';

// The server as users run it: its bin, with the node settings its bin execs node with.
const bin = fileURLToPath(new URL('../packages/server/bin/streamvis-server.js', import.meta.url));
const RUN = 'big';
const SIZES = [1_000, 4_000, 10_000];
const STEPS = 3;
const REPLAY_RECORDS = 1_000_000;
const ROUNDS = 11;
const WARM_UP = 3;

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

/** `records` lines records of RUN cycling over `plots` plots. */
async function writeLog(path, plots, records) {
  const file = await open(path, 'w');
  let chunk = [];
  for (let seq = 0; seq < records; seq++) {
    const step = Math.floor(seq / plots);
    chunk.push(encodeRecord({ run: RUN, logger: 'bench', seq, time: 0, kind: 'lines', plot: `p${seq % plots}`, opts: { x: step } }, [{ name: 'y', shape: [3], data: Float64Array.of(seq, step, -seq) }]));
    if (chunk.length === 10_000) {
      await file.write(Buffer.concat(chunk));
      chunk = [];
    }
  }
  await file.write(Buffer.concat(chunk));
  await file.close();
}

function startServer(log) {
  const child = spawn(bin, ['file', '0', RUN, log], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listening = new Promise((resolve, reject) => {
    const take = (text) => {
      out += text;
      const match = / at (http:\S+)\n/.exec(out);
      if (match) resolve(match[1]);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const historyRead = new Promise((resolve) => child.stdout.on('data', () => /history read/.test(out) && resolve()));
  /** Sends SIGTERM; resolves with the ms until the process exited. */
  const stop = async () => {
    const started = performance.now();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    return performance.now() - started;
  };
  return { listening, historyRead, stop };
}

/** Polls /api/health until stop() is called; stop() resolves with the latencies (ms). */
function pollHealth(url) {
  let polling = true;
  const times = [];
  const done = (async () => {
    while (polling) {
      const started = performance.now();
      await (await fetch(new URL('/api/health', url))).arrayBuffer();
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    polling = false;
    await done;
    return times;
  };
}

/** ms of each of ROUNDS sequential GETs of `path` read whole, after WARM_UP untimed ones. */
async function timeGets(url, path) {
  const times = [];
  let bytes = 0;
  for (let round = -WARM_UP; round < ROUNDS; round++) {
    const started = performance.now();
    bytes = (await (await fetch(new URL(path, url))).arrayBuffer()).byteLength;
    if (round >= 0) times.push(performance.now() - started);
  }
  return { times, bytes };
}

/** ms of each of ROUNDS openings of the event stream `path` until its first event is in. */
async function timeFirstEvents(url, path) {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const reader = (await fetch(new URL(path, url))).body.getReader();
    for (let previous = 0, seen = false; !seen; ) {
      const { value } = await reader.read();
      for (const byte of value) {
        seen ||= byte === 10 && previous === 10;
        previous = byte;
      }
    }
    times.push(performance.now() - started);
    await reader.cancel();
  }
  return times;
}

/** A bare node:http server answering `value` by JSON.stringify to every request: an answer encoded in one go. */
async function bareServer(value) {
  const server = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function measureRun(dir, plots) {
  const log = join(dir, `plots-${plots}.svlog`);
  await writeLog(log, plots, plots * STEPS);
  const server = startServer(log);
  const url = await server.listening;
  await server.historyRead;
  const stopHealth = pollHealth(url);
  const detail = await timeGets(url, `/api/runs/${RUN}`);
  const health = await stopHealth();
  const layout = await timeFirstEvents(url, `/api/runs/${RUN}/changes`);
  const snapshot = await timeFirstEvents(url, `/api/runs/${RUN}/events`);
  const detailValue = await (await fetch(new URL(`/api/runs/${RUN}`, url))).json();
  await server.stop();
  const bare = await bareServer(detailValue);
  const baseline = await timeGets(bare.url, '/');
  await bare.close();
  return { detail, health, layout, snapshot, baseline };
}

async function measureReplay(dir) {
  const log = join(dir, 'replay.svlog');
  await writeLog(log, 10_000, REPLAY_RECORDS);
  const server = startServer(log);
  const url = await server.listening;
  const streams = [`/api/runs/${RUN}/changes`, `/api/runs/${RUN}/events`].map((path) => fetch(new URL(path, url)).then((r) => r.body.pipeTo(new WritableStream())).catch(() => undefined));
  const stopHealth = pollHealth(url);
  let replay;
  do {
    await new Promise((resolve) => setTimeout(resolve, 20));
    replay = (await (await fetch(new URL('/api/health', url))).json()).replay;
  } while (replay && replay.delivered < replay.total / 4);
  const health = await stopHealth();
  const stopMs = await server.stop();
  await Promise.all(streams);
  return { health, stopMs, mb: replay ? replay.total / 1e6 : 0, midway: replay !== undefined };
}

export default async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'svbench-bigrun-'));
  try {
    const runs = [];
    for (const plots of SIZES) runs.push(await measureRun(dir, plots));
    const replay = await measureReplay(dir);
    if (!replay.midway) throw new Error('bench: the log was read before the server could be stopped in the middle of it');
    const ms = (values) => `${percentile(values, 50).toFixed(1)} ms`;
    const row = (what, cell) => [what, ...runs.map(cell)];
    return {
      title: 'Big runs: answers about a run of 1,000 / 4,000 / 10,000 plots, and stopping in the middle of a big replay',
      columns: ['measure', ...SIZES.map((plots) => `${plots.toLocaleString('en-US')} plots`)],
      rows: [
        row('GET /api/runs/:run, p50', (run) => `${ms(run.detail.times)} (${(run.detail.bytes / 1e6).toFixed(2)} MB)`),
        row('the same JSON from bare node:http, JSON.stringify per request (baseline), p50', (run) => ms(run.baseline.times)),
        row('ratio (server / baseline)', (run) => `${(percentile(run.detail.times, 50) / percentile(run.baseline.times, 50)).toFixed(1)}x`),
        row('/api/health meanwhile, p50 / max', (run) => `${percentile(run.health, 50).toFixed(1)} / ${Math.max(...run.health).toFixed(1)} ms`),
        row('GET .../changes to its first layout event, p50', (run) => ms(run.layout)),
        row('GET .../events to its first snapshot event (every plot with its data), p50', (run) => ms(run.snapshot)),
      ],
      notes: [
        `Each plot has ${STEPS} lines steps; the server is the built CLI in a child process, each answer read whole, ${ROUNDS} in a row. Big answers are encoded in turns of the event loop (http/json-chunks.ts), so health is answered between them.`,
        `Replay of ${replay.mb.toFixed(0)} MB (${REPLAY_RECORDS.toLocaleString('en-US')} small lines records over 10,000 plots) with a page's change stream and a script's event stream open: /api/health p50 ${percentile(replay.health, 50).toFixed(1)} ms, max ${Math.max(...replay.health).toFixed(1)} ms (${replay.health.length} answers); SIGTERM a quarter of the way through: exited after ${replay.stopMs.toFixed(0)} ms (the contract: 2 s).`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
