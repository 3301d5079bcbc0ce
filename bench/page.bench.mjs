// The live page at the scale of a real run, in headless Chromium against the built server
// CLI (a child process, as users run it). Each figure stands beside a naive page measured
// in the same run: the same Bokeh figures fed the plot's full JSON columns
// (GET /api/runs/:run/plots/:plot) as fast as it can fetch them, i.e. no reduction and no
// binary transport.
//
// 1. A 100k-point scatter replaced at 10 Hz + lines with 200k steps that grow by 1,000
//    steps/s: repaints per second per plot, and producer-to-screen delay p50/p99. Each
//    record carries a marker (scatter: one point beyond the cloud, at x = MARKER_X +
//    seq / 1e6; lines: the step) whose write time the producer notes; a loop in the page
//    notes when each marker is first on screen.
// 2. A page opened on a 1M-step run: server time to serve, bytes sent, time to first draw.
// 3. A lines plot appended at 20 Hz at 100 and at 10,000 steps: repaints per second.
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { encodeRecord } from '../packages/format/dist/index.js';

// The server as users run it: its bin, with the node settings its bin execs node with.
const bin = fileURLToPath(new URL('../packages/server/bin/streamvis-server.js', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RUN = 'bench';
const MEASURE_MS = 10_000;
/** A scatter's marker point lies at x = MARKER_X + seq / 1e6, right of the cloud (|x| <= 5): its density image ends there. */
const MARKER_X = 6;

/** Appends records of run RUN to a log, buffered; flush() writes them. */
async function logWriter(path) {
  const file = await open(path, 'a');
  let seq = 0;
  let pending = [];
  let bytes = 0;
  const add = async (fields, arrays = []) => {
    const frame = encodeRecord({ run: RUN, logger: 'bench', seq: seq++, time: Date.now(), ...fields }, arrays);
    pending.push(frame);
    bytes += frame.length;
    if (bytes > 4 << 20) await flush();
  };
  const flush = async () => {
    const chunk = Buffer.concat(pending);
    pending = [];
    bytes = 0;
    await file.write(chunk);
  };
  const vector = (name, data) => ({ name, shape: [data.length], data });
  return {
    lines: (plot, step, ys) => add({ kind: 'lines', plot, opts: { x: step } }, [vector('y', Float64Array.from(ys))]),
    scatter: (plot, x, y) => add({ kind: 'scatter', plot, opts: { append: false } }, [vector('x', x), vector('y', y)]),
    flush,
    close: async () => {
      await flush();
      await file.close();
    },
  };
}

function startServer(log) {
  const started = performance.now();
  const child = spawn(bin, ['file', '0', RUN, log], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const seen = (pattern) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out);
        if (match) resolve({ match, ms: performance.now() - started });
      };
      child.stdout.on('data', (text) => {
        out += text;
        check();
      });
      child.once('exit', () => reject(new Error(`server exited: ${out}`)));
      check();
    });
  child.stdout.setEncoding('utf8');
  const serving = seen(/ at (http:\S+)\n/);
  const replayed = seen(/history read/);
  return { child, serving, replayed, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

/**
 * Runs in the page: notes, at every animation frame, the marker each plot shows and when
 * it first showed it (Date.now(): the same clock as the producer's). A scatter shows its
 * marker as its first point, or as the right edge (x + dw) of its density image.
 */
function watchMarkers(markerX) {
  const seen = [];
  const last = new Map();
  const tick = () => {
    for (const doc of window.Bokeh.documents) {
      const figure = doc.roots()[0];
      const renderer = figure?.renderers.find((r) => r.type === 'GlyphRenderer' && r.visible);
      const { x, dw } = renderer?.data_source.data ?? {};
      if (!x || x.length === 0) continue;
      const title = figure.title.text;
      const marker = title.startsWith('scatter') ? Math.round(((dw ? x[0] + dw[0] : x[0]) - markerX) * 1e6) : x[x.length - 1];
      if (last.get(title) === marker) continue;
      last.set(title, marker);
      seen.push({ plot: title, marker, at: Date.now() });
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__seen = seen;
}

/**
 * Runs in a page of the server's origin: the naive page. One Bokeh figure per plot, fed
 * the plot's full JSON columns, fetched again as soon as the last ones are drawn.
 */
async function naivePage({ run, plots }) {
  const { Plotting, ColumnDataSource } = window.Bokeh;
  document.body.style.cssText = 'margin: 0; display: grid; grid-template-rows: repeat(2, 480px);';
  for (const plot of plots) {
    const element = document.createElement('div');
    document.body.append(element);
    const figure = Plotting.figure({ title: plot.name, sizing_mode: 'stretch_both', output_backend: 'canvas' });
    const source = new ColumnDataSource({ data: { x: [], y: [] } });
    if (plot.kind === 'scatter') figure.scatter({ field: 'x' }, { field: 'y' }, { source, size: 5 });
    else figure.line({ field: 'x' }, { field: 'y' }, { source });
    await Plotting.show(figure, element);
    void (async () => {
      for (;;) {
        const { columns } = await (await fetch(`/api/runs/${run}/plots/${plot.name}`)).json();
        source.data = { x: columns.x, y: columns.y ?? columns.y0 };
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    })();
  }
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/**
 * A new page of the streamvis page or, with `naive`, the naive one showing `plots`
 * ([{name, kind}]) on the server at `url`. `beforeLoad(page)` runs before it loads.
 */
async function openPage(browser, url, { naive = false, plots = [], beforeLoad = () => undefined } = {}) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: naive });
  const page = await context.newPage();
  beforeLoad(page);
  if (naive) {
    // A page of the server's origin (its 404 answer), then BokehJS from the server.
    await page.goto(new URL('/bench-naive', url).href);
    await page.setContent('<!doctype html><body></body>');
    for (const file of ['bokeh.min.js', 'bokeh-api.min.js']) await page.addScriptTag({ url: new URL(`/static/bokeh/${file}`, url).href });
    await page.evaluate(naivePage, { run: RUN, plots });
  } else {
    await page.goto(url);
  }
  return { page, close: () => context.close() };
}

/** Scenario 1 on one page: returns repaints/s and delays per plot. */
async function liveScenario(browser, naive) {
  const dir = await mkdtemp(join(tmpdir(), 'svpagebench-'));
  const path = join(dir, 'live.svlog');
  const log = await logWriter(path);
  const points = 100_000;
  const cloud = (seq) => {
    const x = new Float64Array(points);
    const y = new Float64Array(points);
    for (let i = 0; i < points; i++) {
      x[i] = 5 * Math.cos(i + seq) * Math.sqrt(i / points);
      y[i] = 5 * Math.sin(i * 1.1 + seq) * Math.sqrt(i / points);
    }
    x[0] = MARKER_X + seq / 1e6;
    return { x, y };
  };
  let step = 0;
  for (; step < 200_000; step++) await log.lines('steps', step, [Math.sin(step / 1000), Math.cos(step / 3000)]);
  let { x, y } = cloud(0);
  await log.scatter('scatter', x, y);
  await log.flush();

  const server = startServer(path);
  const { match } = await server.serving;
  await server.replayed;
  const plots = [{ name: 'scatter', kind: 'scatter' }, { name: 'steps', kind: 'lines' }];
  const { page, close } = await openPage(browser, match[1], { naive, plots });
  await page.waitForFunction(() => window.Bokeh?.documents?.length === 2, undefined, { timeout: 60_000 });
  await page.evaluate(watchMarkers, MARKER_X);

  const written = { scatter: new Map(), steps: new Map() };
  const start = Date.now();
  let seq = 1;
  let nextScatter = start;
  while (Date.now() - start < MEASURE_MS) {
    const now = Date.now();
    if (now >= nextScatter) {
      ({ x, y } = cloud(seq));
      await log.scatter('scatter', x, y);
      await log.flush();
      written.scatter.set(seq++, Date.now());
      nextScatter += 100;
    }
    for (let i = 0; i < 10; i++, step++) await log.lines('steps', step, [Math.sin(step / 1000), Math.cos(step / 3000)]);
    await log.flush();
    written.steps.set(step - 1, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const end = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const seen = await page.evaluate(() => window.__seen);
  await close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });

  const result = {};
  for (const plot of ['scatter', 'steps']) {
    const shown = seen.filter((s) => s.plot === plot && s.at >= start && s.at <= end);
    // A lines marker shows the newest step drawn: its delay is from when that step was written.
    const delays = shown.map((s) => (written[plot].has(s.marker) ? s.at - written[plot].get(s.marker) : undefined)).filter((d) => d !== undefined);
    result[plot] = { repaints: shown.length / ((end - start) / 1000), p50: percentile(delays, 50), p99: percentile(delays, 99) };
  }
  return result;
}

/** Scenario 2 on one page: time to first full draw of a 1M-step line, and bytes sent. */
async function bigRunScenario(browser) {
  const dir = await mkdtemp(join(tmpdir(), 'svpagebench-'));
  const path = join(dir, 'big.svlog');
  const log = await logWriter(path);
  const steps = 1_000_000;
  for (let step = 0; step < steps; step++) await log.lines('steps', step, [Math.sin(step / 5000), Math.cos(step / 20_000)]);
  await log.close();
  const logBytes = (await stat(path)).size;

  const server = startServer(path);
  const serving = await server.serving;
  const replayed = await server.replayed;
  const url = serving.match[1];

  const firstDraw = async (naive) => {
    let bytes = 0;
    let started = 0;
    const countBytes = (page) => {
      page.on('requestfinished', (request) => {
        void request.sizes().then((sizes) => (bytes += sizes.responseBodySize + sizes.responseHeadersSize), () => undefined);
      });
      started = Date.now();
    };
    const { page, close } = await openPage(browser, url, { naive, plots: [{ name: 'steps', kind: 'lines' }], beforeLoad: countBytes });
    await page.waitForFunction(
      (last) => {
        const figure = window.Bokeh?.documents?.[0]?.roots()[0];
        const x = figure?.renderers.find((r) => r.type === 'GlyphRenderer')?.data_source.data.x;
        return x !== undefined && x[x.length - 1] === last;
      },
      steps - 1,
      { timeout: 120_000, polling: 20 },
    );
    const drawn = Date.now() - started;
    await page.waitForTimeout(500);
    await close();
    return { drawn, bytes };
  };
  const streamvis = await firstDraw(false);
  const naive = await firstDraw(true);
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  return { logBytes, serveMs: serving.ms, replayMs: replayed.ms, streamvis, naive };
}

/** Scenario 3: repaints/s of the streamvis page for a line appended at 20 Hz, from `rows` steps on. */
async function growingLineRepaints(browser, rows) {
  const dir = await mkdtemp(join(tmpdir(), 'svpagebench-'));
  const path = join(dir, 'grow.svlog');
  const log = await logWriter(path);
  let step = 0;
  // The demo's three sines in tandem (test app): at 10,000 steps a dense band.
  const sines = (step) => [0, 1, 2].map((k) => Math.sin(step / 10 + (2 * Math.PI * k) / 3));
  for (; step < rows; step++) await log.lines('steps', step, sines(step));
  await log.flush();
  const server = startServer(path);
  const { match } = await server.serving;
  await server.replayed;
  const { page, close } = await openPage(browser, match[1]);
  await page.waitForFunction(() => window.Bokeh?.documents?.length === 1, undefined, { timeout: 60_000 });
  await page.evaluate(watchMarkers, MARKER_X);
  const start = Date.now();
  while (Date.now() - start < 5_000) {
    await log.lines('steps', step, sines(step));
    step++;
    await log.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const end = Date.now();
  const seen = await page.evaluate(() => window.__seen);
  await close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  return seen.filter((s) => s.at >= start && s.at <= end).length / ((end - start) / 1000);
}

export default async function pageBench() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const live = await liveScenario(browser, false);
    const naiveLive = await liveScenario(browser, true);
    const big = await bigRunScenario(browser);
    const small = await growingLineRepaints(browser, 100);
    const large = await growingLineRepaints(browser, 10_000);
    const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    return {
      title: 'The live page in headless Chromium (1600x1000, no GPU)',
      columns: ['measure', 'streamvis page', 'naive page (full JSON columns, no reduction)', 'ratio'],
      rows: [
        ['100k-point scatter replaced at 10 Hz: repaints/s', live.scatter.repaints.toFixed(1), naiveLive.scatter.repaints.toFixed(1), ratio(live.scatter.repaints, naiveLive.scatter.repaints)],
        ['  producer-to-screen delay p50 / p99', `${ms(live.scatter.p50)} / ${ms(live.scatter.p99)}`, `${ms(naiveLive.scatter.p50)} / ${ms(naiveLive.scatter.p99)}`, ratio(live.scatter.p99, naiveLive.scatter.p99)],
        ['lines, 200k steps + 1,000 steps/s (same page): repaints/s', live.steps.repaints.toFixed(1), naiveLive.steps.repaints.toFixed(1), ratio(live.steps.repaints, naiveLive.steps.repaints)],
        ['  producer-to-screen delay p50 / p99', `${ms(live.steps.p50)} / ${ms(live.steps.p99)}`, `${ms(naiveLive.steps.p50)} / ${ms(naiveLive.steps.p99)}`, ratio(live.steps.p99, naiveLive.steps.p99)],
        [`page opened on a 1M-step run (log ${mib(big.logBytes)}): time to first draw`, ms(big.streamvis.drawn), ms(big.naive.drawn), ratio(big.streamvis.drawn, big.naive.drawn)],
        ['  bytes sent to the page (scripts included)', mib(big.streamvis.bytes), mib(big.naive.bytes), ratio(big.streamvis.bytes, big.naive.bytes)],
        ['  server: listening (URL printed) / whole log read', `${ms(big.serveMs)} / ${ms(big.replayMs)}`, '', ''],
        ['lines appended at 20 Hz: repaints/s at 10,000 steps vs at 100 steps', large.toFixed(1), small.toFixed(1), ratio(large, small)],
      ],
      notes: [
        'Delay: from the producer\'s write of a record to the first animation frame whose figure holds it (same clock). Lines repaint as their newest step changes.',
        'The naive page polls each plot\'s JSON as fast as it draws it; the streamvis page fetches a binary frame (M4 per pixel for long lines, the points\' density in 2-px bins, one image, for scatters of more than 5,000 points) only when the server says the plot changed.',
      ],
    };
  } finally {
    await browser.close();
  }
}
