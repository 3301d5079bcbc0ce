// Server memory under a live scatter: a DataLogger replaces a 10k- or 100k-point scatter
// 10 times a second for 15 s into a log that the built server (a child process, as users
// run it) follows, while a page-like client follows the change stream and fetches the
// plot's frame at every change. The server's RSS beside a bare node process and the same
// server idle, measured in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLogger, ndarray } from '../packages/logger/dist/index.js';
import { startServerProcess } from './server-process.mjs';
import { PEAK_RSS_MIB } from './peak-rss.mjs';

export const SECONDS = 15;
export const RATE = 10;

/** Current and peak RSS of a process, and the file-backed part of it now (for node, mostly its binary's pages, shared with every node process), MiB. */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024, file: kib('RssFile') / 1024 };
}

/**
 * Samples a process's RSS every 100 ms until the returned function is called, which gives
 * the median sample's RSS and file-backed part and the p90 RSS: one reading is noise (a GC
 * just before or after it moves it by megabytes).
 */
export function sampleRss(pid) {
  const samples = [];
  const sampler = setInterval(() => samples.push(rssOf(pid)), 100);
  return () => {
    clearInterval(sampler);
    samples.sort((a, b) => a.now - b.now);
    const median = samples[samples.length >> 1];
    return { median: median.now, file: median.file, p90: samples[Math.floor(samples.length * 0.9)].now };
  };
}

/**
 * A page's traffic: the change stream, and the plot's frame fetched after each change (one
 * at a time). A frame's delay is from the latest call made when its fetch started (so at
 * most what the page would see) to the frame's last byte.
 */
function followAsAPage(url, lastCallAt) {
  const controller = new AbortController();
  let frames = 0;
  const delays = [];
  let fetching = false;
  const done = (async () => {
    const response = await fetch(new URL('/api/runs/memory/changes', url), { signal: controller.signal });
    for await (const _chunk of response.body) {
      if (fetching) continue;
      fetching = true;
      const sent = lastCallAt();
      fetch(new URL('/api/runs/memory/plots/cloud/frame?width=800&height=500', url), { signal: controller.signal })
        .then((r) => r.arrayBuffer())
        .then(() => {
          frames++;
          delays.push(performance.now() - sent);
        }, () => undefined)
        .finally(() => (fetching = false));
    }
  })().catch(() => undefined);
  return {
    frames: () => frames,
    delays: () => delays,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** One scatter size: the server's RSS idle and while the scatter is replaced, the frames a page-like client fetched per second, their delays and the calls' durations (ms, sorted). */
export async function measure(dir, points) {
  // A new log each time: a second measure in the same dir must not replay the first's.
  const log = join(await mkdtemp(join(dir, `memory-${points}-`)), 'memory.svlog');
  const { child, url } = await startServerProcess(['file', '0', 'memory', log]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = rssOf(child.pid);
    const logger = new DataLogger('memory');
    await logger.initWriteLog(log);
    const data = ndarray(Float32Array.from({ length: 2 * points }, () => Math.random()), [points, 2]);
    logger.scatter('cloud', data, { spatialDim: 1, append: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    let lastCallAt = performance.now();
    const page = followAsAPage(url, () => lastCallAt);
    const stopSampling = sampleRss(child.pid);
    const started = Date.now();
    const calls = [];
    for (let i = 0; Date.now() - started < SECONDS * 1000; i++) {
      lastCallAt = performance.now();
      logger.scatter('cloud', data, { spatialDim: 1, append: false });
      calls.push(performance.now() - lastCallAt);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + ((i + 1) * 1000) / RATE - Date.now())));
    }
    const sampled = stopSampling();
    await logger.shutdown();
    const busy = { ...sampled, peak: rssOf(child.pid).peak };
    await page.stop();
    return { idle, busy, framesPerSecond: page.frames() / SECONDS, delays: page.delays().sort((a, b) => a - b), calls: calls.sort((a, b) => a - b) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const REPLAY_STEPS = 1_000_000;

/** The wait, after a replay, for V8's memory reducer: it runs a full GC once a heap that grew has been quiet for some seconds (seen at 15-30 s). */
const SETTLED_SECONDS = 40;

/**
 * A training run's log replayed: RSS 1 s and SETTLED_SECONDS after the server holds all
 * REPLAY_STEPS steps of 3 lines, beside the bytes its columns hold.
 */
async function measureReplay(dir) {
  const log = join(dir, 'replay.svlog');
  const logger = new DataLogger('replay');
  await logger.initWriteLog(log);
  for (let step = 0; step < REPLAY_STEPS; step++) {
    logger.tandemLines('loss', step, [Math.exp(-step / 1e5), 1 / (step + 1), Math.sin(step)], { names: ['train', 'valid', 'lr'] });
    if (step % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await logger.shutdown();
  const { child, url } = await startServerProcess(['file', '0', 'replay', log]);
  try {
    for (;;) {
      const run = await (await fetch(new URL('/api/runs/replay', url))).json();
      if (run.records === REPLAY_STEPS) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rss = rssOf(child.pid);
    await new Promise((resolve) => setTimeout(resolve, (SETTLED_SECONDS - 1) * 1000));
    // What the state must hold: x and the 3 lines' y, float64, per step.
    return { rss, settled: rssOf(child.pid), heldMiB: (REPLAY_STEPS * 4 * 8) / 2 ** 20 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export default async function serverMemoryBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svmemory-'));
  try {
    const bare = spawnSync(process.execPath, ['--input-type=module', '-e', `await new Promise((resolve) => setTimeout(resolve, 500)); console.log(${PEAK_RSS_MIB});`], { encoding: 'utf8' });
    const bareMiB = Number(bare.stdout.trim());
    const rows = [];
    let idleMiB;
    for (const points of [10_000, 100_000]) {
      const { idle, busy, framesPerSecond, delays } = await measure(dir, points);
      idleMiB ??= Number(idle.now.toFixed(0));
      rows.push([
        `${points / 1000}k-point scatter replaced at ${RATE} Hz`,
        busy.median.toFixed(0),
        busy.file.toFixed(0),
        busy.p90.toFixed(0),
        busy.peak.toFixed(0),
        idle.now.toFixed(0),
        bareMiB.toFixed(0),
        framesPerSecond.toFixed(1),
        delays[delays.length >> 1].toFixed(0),
        points === 10_000 ? '<= 60 (Visdom 58 in the issue), at or below Visdom' : '<= 100 (Visdom 92 in the issue), at or below Visdom',
      ]);
    }
    const replay = await measureReplay(dir);
    for (const [when, rss] of [['1 s', replay.rss], [`${SETTLED_SECONDS} s`, replay.settled]]) {
      rows.push([
        `${REPLAY_STEPS / 1e6}M steps of 3 lines replayed, ${when} after the last is held`,
        rss.now.toFixed(0),
        rss.file.toFixed(0),
        '-',
        rss.peak.toFixed(0),
        `${idleMiB} (the first row's)`,
        bareMiB.toFixed(0),
        '-',
        '-',
        `over idle <= 1.2x the data held (${replay.heldMiB.toFixed(1)} MiB): ${((rss.now - idleMiB) / replay.heldMiB).toFixed(2)}x`,
      ]);
    }
    return {
      title: 'Server memory under a live scatter',
      columns: ['work', 'server RSS MiB, median', 'of it file-backed', 'p90', 'peak', 'same server idle MiB', 'bare node MiB', 'frames fetched /s', 'call to frame p50 ms', 'target (issue 18)'],
      rows,
      notes: [
        `a DataLogger replaces the scatter ${RATE} times a second for ${SECONDS} s into a log the server (its bin, as users run it, with the bin's node settings; file mode) follows; a page-like client follows /api/runs/memory/changes and fetches the binary frame after each change, one at a time`,
        'RSS sampled every 100 ms while the scatter is replaced; idle: 0.5 s after start, before any record; file-backed: RssFile, for node nearly all its binary\'s pages (code and built-in scripts it ran), shared with every other node process and given back by the kernel under pressure without a write',
        'call to frame: from the latest logger call when the frame\'s fetch started to its last byte (an upper bound on what a page shows late)',
        'Visdom doing the same work, in the same run: the peers bench below; the bare node process is the floor any Node server starts from',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
