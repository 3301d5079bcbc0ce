// Many runs in one server: 100 runs x 10k steps (3 values per step) in a directory of 100
// logs, served by the built server (`LogDirSource`), beside the same records as one run in
// one log (`FileSource`), in the same run. Each side in its own process, so its RSS is its own.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord } from '../packages/format/dist/index.js';

const RUNS = 100;
const STEPS = 10_000;
const serverDist = new URL('../packages/server/dist/index.js', import.meta.url).href;

/** Appends `STEPS` lines records of run `run` to `path`. */
async function writeRun(path, run, logger) {
  const file = await open(path, 'a');
  const frames = [];
  for (let step = 0; step < STEPS; step++) {
    frames.push(encodeRecord({ run, logger, seq: step, time: 1_700_000_000_000 + step, kind: 'lines', plot: 'loss', opts: { x: step } }, [
      { name: 'y', shape: [3], data: Float64Array.of(Math.exp(-step / 1000), step, -step) },
    ]));
  }
  await file.writev(frames);
  await file.close();
}

// The child: starts the server, times it to the first answer and to the history read,
// then times GET /api/runs and GET /api/runs/:run/plots/loss/frame. Prints JSON.
const serve = (source) => `
  const { FileSource, LogDirSource, startServer } = await import(${JSON.stringify(serverDist)});
  const started = performance.now();
  const server = await startServer({ mode: 'file', port: 0, source: ${source}, waitForHistory: false });
  const health = async () => (await fetch(new URL('/api/health', server.url))).json();
  await health();
  const firstServe = performance.now() - started;
  await server.replayed;
  const historyRead = performance.now() - started;
  const time = async (path, n) => {
    const times = [];
    let body;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      body = await (await fetch(new URL(typeof path === 'function' ? path(i) : path, server.url))).arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(n / 2)], bytes: body.byteLength };
  };
  const runs = await time('/api/runs', 21);
  const [first] = JSON.parse(new TextDecoder().decode((await (await fetch(new URL('/api/runs', server.url))).arrayBuffer())));
  // A new width each time: every frame is reduced anew, none comes from the cache.
  const frame = await time((i) => '/api/runs/' + encodeURIComponent(first.run) + '/plots/loss/frame?width=' + (1000 + i), 21);
  const { records, errors, runs: runCount } = await health();
  const rssMiB = process.memoryUsage().rss / 2 ** 20;
  await server.close();
  console.log(JSON.stringify({ firstServe, historyRead, runsP50: runs.p50, runsBytes: runs.bytes, frameP50: frame.p50, records, errors, runCount, rssMiB }));`;

function runChild(program) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

export default async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'svbench-runs-'));
  try {
    const logdir = join(dir, 'runs');
    await mkdir(logdir);
    for (let r = 0; r < RUNS; r++) await writeRun(join(logdir, `seed-${r}.svlog`), `seed-${r}`, `logger-${r}`);
    // The same records as one run: each run's records under its own logger, all in one log.
    const single = join(dir, 'single.svlog');
    for (let r = 0; r < RUNS; r++) await writeRun(single, 'all', `logger-${r}`);
    const one = runChild(serve(`new FileSource(${JSON.stringify(single)})`));
    const many = runChild(serve(`new LogDirSource(${JSON.stringify(logdir)})`));
    for (const [side, runs] of [[one, 1], [many, RUNS]]) {
      if (side.records !== RUNS * STEPS || side.errors !== 0 || side.runCount !== runs) throw new Error(`bench: served ${side.records} records of ${side.runCount} runs, ${side.errors} errors`);
    }
    const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
    const row = (what, a, b, unit, digits = 0) => [what, `${a.toFixed(digits)} ${unit}`, `${b.toFixed(digits)} ${unit}`, ratio(b, a)];
    return {
      title: `Many runs: ${RUNS} runs x ${STEPS.toLocaleString('en-US')} steps in one directory, beside the same records as one run`,
      columns: ['measure', '1 run, 1 log (baseline)', `${RUNS} runs, ${RUNS} logs (--logdir)`, 'ratio'],
      rows: [
        row('start to first answer (serves while reading)', one.firstServe, many.firstServe, 'ms'),
        row('start to history read', one.historyRead / 1000, many.historyRead / 1000, 's', 2),
        row('server RSS after reading', one.rssMiB, many.rssMiB, 'MiB'),
        row('GET /api/runs, p50', one.runsP50, many.runsP50, 'ms', 2),
        row('GET .../plots/loss/frame?width=~1000 (one run, uncached), p50', one.frameP50, many.frameP50, 'ms', 2),
      ],
      notes: [
        `${(RUNS * STEPS).toLocaleString('en-US')} lines records of 3 float64 values either way; /api/runs answers ${one.runsBytes} bytes (1 run) and ${many.runsBytes.toLocaleString('en-US')} bytes (${RUNS} runs).`,
        'The logs are read 4 at a time while the history is read (every log at once held every log\'s read chunks at once: 457 MiB RSS, 1.76x); afterwards every log is followed.',
        `The baseline's one run holds all ${(RUNS * STEPS).toLocaleString('en-US')} steps in one plot (its frame reduces 1M steps); each of the ${RUNS} runs holds ${STEPS.toLocaleString('en-US')}.`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
