// Side by side with Visdom (issue 18): the same work through streamvis and through Visdom
// on the same machine in the same run, alternating (Visdom, streamvis, streamvis, Visdom)
// so that a machine slowing down or speeding up weighs on both alike. Each side's server
// is a child process; each side's page is a client in the producer's process (streamvis:
// the change stream and the frame after each change; Visdom: its page's websocket).
// Visdom is found where python3 (or STREAMVIS_PYTHON) imports it; without it the
// section says so and measures nothing.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure as measureScatter, rssOf, sampleRss, RATE, SECONDS } from './server-memory.bench.mjs';
import { measureRate, percentile } from './latency.bench.mjs';

const python = process.env.STREAMVIS_PYTHON ?? 'python3';
const work = fileURLToPath(new URL('./visdom-work.py', import.meta.url));
const LINE_RATE = 100;
const LINE_MS = 10_000;

/** Visdom's version where its server and the websocket client it needs can be imported, else undefined. */
function visdomVersion() {
  const probe = spawnSync(python, ['-c', 'import visdom, visdom.server.run_server, websocket, importlib.resources as r; print(r.files("visdom").joinpath("VERSION").read_text().strip())'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** A port free on loopback now (Visdom's server takes a port number, not 0). */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Visdom's server, as `python -m visdom.server` runs it but without fetching its page scripts from the internet. */
async function startVisdom(dir) {
  const port = await freePort();
  const child = spawn(python, ['-c', 'from visdom.server.run_server import main; main()', '-port', String(port), '-bind_local', '-env_path', `${dir}/`, '-logging_level', 'WARNING'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (text) => {
      out += text;
      if (out.includes('You can navigate')) resolve();
    });
    child.stderr.on('data', (text) => (out += text));
    child.on('exit', () => reject(new Error(`visdom server exited: ${out}`)));
  });
  return { child, port };
}

/** Runs visdom-work.py; `onCalling` when its paced calls start. Resolves with its result (ms). */
async function visdomWork(args, onCalling = () => undefined) {
  const child = spawn(python, [work, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    if (!out.includes('calling\n') && (out + text).includes('calling\n')) onCalling();
    out += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => (err += text));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`visdom-work.py ${args.join(' ')} failed: ${err}`);
  const result = JSON.parse(out.slice(out.indexOf('calling\n') + 8));
  const ascending = (a, b) => a - b;
  return { calls: result.calls.sort(ascending), delays: result.delays.sort(ascending) };
}

async function stop(child) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** The server-memory bench's scatter work through Visdom: its server's RSS, the updates its page's websocket received and their delays. */
async function visdomScatter(dir, points) {
  const { child, port } = await startVisdom(dir);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = rssOf(child.pid).now;
    let stopSampling;
    const { calls, delays } = await visdomWork([port, 'scatter', points, SECONDS, RATE], () => (stopSampling = sampleRss(child.pid)));
    const { median, file } = stopSampling();
    return { idle, median, file, framesPerSecond: delays.length / SECONDS, delays, calls };
  } finally {
    await stop(child);
  }
}

/** The latency bench's line work (one step every 10 ms) through Visdom. */
async function visdomLine(dir) {
  const { child, port } = await startVisdom(dir);
  try {
    const { calls, delays } = await visdomWork([port, 'line', LINE_MS / 1000, LINE_RATE]);
    return { calls, latencies: delays };
  } finally {
    await stop(child);
  }
}

/** Runs a then b, b, a: each side twice. */
async function alternating(a, b) {
  const first = await a();
  const [second, third] = [await b(), await b()];
  return { a: [first, await a()], b: [second, third] };
}

const mean = (runs, of) => runs.reduce((sum, run) => sum + of(run), 0) / runs.length;

export default async function peersVisdomBench() {
  const version = visdomVersion();
  const title = 'Side by side with Visdom';
  const columns = ['work: measure', 'streamvis (2 runs)', 'Visdom (2 runs)', 'streamvis / Visdom'];
  if (version === undefined) {
    return {
      title,
      columns,
      rows: [],
      notes: [`Visdom cannot be imported by ${python} here, so nothing is measured: with Visdom's source (0.2.4) and its dependencies (tornado, jsonpatch, websocket-client, scipy, pillow, requests, six, networkx) importable, or STREAMVIS_PYTHON naming a python3 that has them, the rows appear`],
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'svpeers-'));
  try {
    const rows = [];
    const row = (label, ours, theirs, of, digits = 1) => {
      const cell = (runs) => runs.map((run) => of(run).toFixed(digits)).join(', ');
      rows.push([label, cell(ours), cell(theirs), `${(mean(ours, of) / mean(theirs, of)).toFixed(2)}x`]);
    };
    for (const points of [10_000, 100_000]) {
      const oursScatter = async () => {
        const run = await measureScatter(dir, points);
        return { ...run, idle: run.idle.now, median: run.busy.median, file: run.busy.file };
      };
      const { a: visdom, b: ours } = await alternating(() => visdomScatter(dir, points), oursScatter);
      const work = `${points / 1000}k-point scatter replaced at ${RATE} Hz`;
      if (points === 10_000) row('server idle: RSS MiB', ours, visdom, (run) => run.idle, 0);
      row(`${work}: server RSS MiB, median`, ours, visdom, (run) => run.median, 0);
      row(`${work}: of it file-backed (binaries' pages, shared)`, ours, visdom, (run) => run.file, 0);
      row(`${work}: updates reaching the page /s`, ours, visdom, (run) => run.framesPerSecond);
      row(`${work}: call to page, p50 ms`, ours, visdom, (run) => percentile(run.delays, 50), 0);
      row(`${work}: the producer's call, p50 ms`, ours, visdom, (run) => percentile(run.calls, 50), 2);
    }
    const { a: visdom, b: ours } = await alternating(() => visdomLine(dir), () => measureRate(dir, LINE_RATE, LINE_MS));
    const work = `a line step every ${1000 / LINE_RATE} ms`;
    row(`${work}: call to client, p50 ms`, ours, visdom, (run) => percentile(run.latencies, 50));
    row(`${work}: call to client, p99 ms`, ours, visdom, (run) => percentile(run.latencies, 99));
    row(`${work}: the producer's call, p50 ms`, ours, visdom, (run) => percentile(run.calls, 50), 3);
    row(`${work}: the producer's call, p99 ms`, ours, visdom, (run) => percentile(run.calls, 99), 3);
    return {
      title,
      columns,
      rows,
      notes: [
        `Visdom ${version} (its server run as \`python -m visdom.server\` runs it, without fetching its page's scripts; its Python client, which blocks on each call's HTTP request) against streamvis's server through its bin and the DataLogger; order Visdom, streamvis, streamvis, Visdom for each work`,
        `scatter: float32 points replaced ${RATE} times a second for ${SECONDS} s (the server-memory bench's work); RSS sampled every 100 ms while the calls run; streamvis's page-like client fetches the frame after each change, Visdom's receives each update on the websocket its page uses; call to page: from the call to the update's last byte at that client`,
        `line: one 1-value step every ${1000 / LINE_RATE} ms for ${LINE_MS / 1000} s (the latency bench's work); streamvis over the JSON event stream, Visdom over its page's websocket (each step a JSON patch)`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
