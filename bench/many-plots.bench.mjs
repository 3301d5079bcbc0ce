// The live page of a run with many small line plots (1,000 and 10,000, 20 steps each,
// written by the real DataLogger), in headless Chromium against the built server CLI: time
// until the rows the viewport shows are drawn, main-thread busy time until the page goes
// quiet (CDP's TaskDuration), figures mounted, and a jump to the bottom of the page. The
// baseline, in the same run, is the page as it was before the windowed grid (commit
// BASELINE: every figure mounted at once), built from that commit's sources and served in
// place of /static/client.js by the same server; at 1,000 plots only (at 10,000 it never
// showed its grid).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { DataLogger } from '../packages/logger/dist/index.js';
import { startServerProcess } from './server-process.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The last page that mounted every plot's figure at once. */
const BASELINE = '46ad438';
const RUN = 'many';
const VIEWPORT = { width: 1400, height: 1000 };
const COLUMNS = 4;
const STEPS = 20;
/** The plots of the rows a 1000 px viewport shows (rows of 290 px). */
const FIRST_ROWS = 3 * COLUMNS;
/** The page is quiet once its main thread is busy less than 5 % of half a second. */
const QUIET_BUSY_MS = 25;
/** The baseline is given this long to go quiet. */
const MAX_WAIT_MS = 120_000;

/** `promise`'s value, or undefined when a page too busy to answer has not given it within 10 s. */
const within = (promise) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, 10_000))]);

const nameOf = (i) => `p${String(i).padStart(5, '0')}`;

/** A log of `plots` line plots on a grid of COLUMNS columns, STEPS steps each, through the real logger. */
async function writeRun(path, plots) {
  const logger = new DataLogger(RUN);
  await logger.initWriteLog(path);
  logger.setLayout(Object.fromEntries(Array.from({ length: plots }, (_, i) => [nameOf(i), [Math.floor(i / COLUMNS), i % COLUMNS, 1, 1]])));
  for (let step = 0; step < STEPS; step++) {
    for (let i = 0; i < plots; i++) logger.tandemLines(nameOf(i), step, [i + 0.4 * Math.sin(step / 3)]);
    await logger.flush();
  }
  await logger.shutdown();
}

/** The page's client as of commit BASELINE, bundled as the build does, from that commit's sources (its packages from this checkout's node_modules). */
async function baselineClient() {
  const dir = await mkdtemp(join(tmpdir(), `svclient-${BASELINE}-`));
  try {
    execFileSync('sh', ['-c', `git archive ${BASELINE} packages/server/src | tar -x -C "${dir}"`], { cwd: REPO });
    const { outputFiles } = await build({
      entryPoints: [join(dir, 'packages/server/src/view/client/main.ts')],
      nodePaths: [join(REPO, 'node_modules')],
      write: false,
      outdir: dir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      logLevel: 'warning',
    });
    return outputFiles[0].text;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs in the page: whether plots 0..count-1 each show a figure with all their steps. */
function drawnFrom([first, count, steps]) {
  const drawn = new Set();
  for (const doc of window.Bokeh?.documents ?? []) {
    const figure = doc.roots()[0];
    const line = figure?.renderers.find((r) => r.type === 'GlyphRenderer');
    if (line?.data_source.get_length() === steps) drawn.add(figure.title.text);
  }
  for (let i = first; i < first + count; i++) if (!drawn.has(`p${String(i).padStart(5, '0')}`)) return false;
  return true;
}

/** Opens the page of `url` (with `client` in place of the served one, if given) and measures it. */
async function measure(browser, url, plots, client) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  // The longest task the main thread ran (long tasks are those of 50 ms or more), for how smooth a scroll meanwhile is.
  await page.addInitScript(() => {
    window.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const longestTask = () => within(page.evaluate(() => window.__longestTask));
  if (client) await page.route('**/static/client.js', (route) => route.fulfill({ body: client, contentType: 'text/javascript' }));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const busy = async () => (await metrics()).TaskDuration * 1000;
  /** Waits until the main thread is quiet; returns when it went quiet (ms since `since`), or undefined after MAX_WAIT_MS. */
  const quiet = async (since) => {
    let last = await busy();
    for (;;) {
      await page.waitForTimeout(500);
      const now = await busy();
      if (now - last < QUIET_BUSY_MS) return Date.now() - since - 500;
      if (Date.now() - since > MAX_WAIT_MS) return undefined;
      last = now;
    }
  };
  try {
    const busyBefore = await busy();
    const opened = Date.now();
    await page.goto(url);
    await page.waitForFunction(drawnFrom, [0, FIRST_ROWS, STEPS], { timeout: MAX_WAIT_MS, polling: 250 });
    const firstRows = Date.now() - opened;
    console.error(`many-plots: ${plots} plots${client ? ' (baseline)' : ''}: first rows after ${firstRows} ms`);
    const quietAfter = await quiet(opened);
    console.error(`many-plots: quiet after ${quietAfter} ms`);
    const opening = { firstRows, quietAfter, busy: (await busy()) - busyBefore, mounted: await within(page.evaluate(() => window.Bokeh.documents.length)), heap: (await metrics()).JSHeapUsedSize, longest: await longestTask() };
    if (client) return { opening };
    await page.evaluate(() => (window.__longestTask = 0));
    const busyBeforeScroll = await busy();
    const scrolled = Date.now();
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(drawnFrom, [plots - COLUMNS, COLUMNS, STEPS], { timeout: MAX_WAIT_MS, polling: 50 });
    const lastRow = Date.now() - scrolled;
    console.error(`many-plots: ${plots} plots: last row after ${lastRow} ms`);
    await quiet(scrolled);
    return { opening, scroll: { lastRow, busy: (await busy()) - busyBeforeScroll, mounted: await page.evaluate(() => window.Bokeh.documents.length), longest: await longestTask() } };
  } finally {
    await context.close();
  }
}

/** Opens a page of a run of `plots` plots: windowed, and with `baseline` the old client too. */
async function scenario(browser, plots, baseline) {
  const dir = await mkdtemp(join(tmpdir(), 'svmanyplots-'));
  const log = join(dir, 'run.svlog');
  const written = performance.now();
  await writeRun(log, plots);
  const writeMs = performance.now() - written;
  const server = await startServerProcess(['file', '0', RUN, log]);
  try {
    // The whole history read (a page opened during the replay fills in as it goes).
    const health = new URL('/api/health', server.url).href;
    for (let records = 0; records < plots * STEPS; await new Promise((resolve) => setTimeout(resolve, 200))) records = (await (await fetch(health)).json()).records;
    console.error(`many-plots: ${plots} plots written and read`);
    const windowed = await measure(browser, server.url, plots);
    const old = baseline ? await measure(browser, server.url, plots, baseline) : undefined;
    return { writeMs, windowed, old };
  } finally {
    server.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function manyPlotsBench() {
  const client = await baselineClient();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const small = await scenario(browser, 1_000, client);
    const large = await scenario(browser, 10_000);
    const ms = (value) => (value === undefined ? `> ${MAX_WAIT_MS / 1000} s` : value < 10_000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`);
    const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}×`);
    const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const [w1, w10, old] = [small.windowed, large.windowed, small.old];
    return {
      title: `A run of many small line plots on the live page (headless Chromium ${VIEWPORT.width}x${VIEWPORT.height}, ${COLUMNS} columns, ${STEPS} steps each)`,
      columns: ['measure', 'windowed, 1,000 plots', 'windowed, 10,000 plots', `every figure mounted (${BASELINE}), 1,000 plots`, 'ratio at 1,000'],
      rows: [
        [`opened: the ${FIRST_ROWS} plots of the first rows drawn`, ms(w1.opening.firstRows), ms(w10.opening.firstRows), ms(old.opening.firstRows), ratio(w1.opening.firstRows, old.opening.firstRows)],
        // A page still busy when the wait ends was busy at least that long.
        ['  main thread busy until the page is quiet', ms(w1.opening.busy), ms(w10.opening.busy), `${old.opening.quietAfter === undefined ? '≥ ' : ''}${ms(old.opening.busy)}`, `${old.opening.quietAfter === undefined ? '≤ ' : ''}${ratio(w1.opening.busy, old.opening.busy)}`],
        ['  quiet after', ms(w1.opening.quietAfter), ms(w10.opening.quietAfter), ms(old.opening.quietAfter), ratio(w1.opening.quietAfter, old.opening.quietAfter)],
        ['  figures mounted then', ...[w1, w10, old].map(({ opening }) => (opening.mounted === undefined ? 'n/a (no answer in 10 s)' : String(opening.mounted))), ratio(w1.opening.mounted, old.opening.mounted)],
        ['  longest main-thread task', ...[w1, w10, old].map(({ opening }) => (opening.longest === undefined ? 'n/a (no answer in 10 s)' : ms(opening.longest))), ratio(w1.opening.longest, old.opening.longest)],
        ['  JS heap then', mib(w1.opening.heap), mib(w10.opening.heap), mib(old.opening.heap), ratio(w1.opening.heap, old.opening.heap)],
        ['jump to the bottom: last row drawn after', ms(w1.scroll.lastRow), ms(w10.scroll.lastRow), '', ''],
        ['  main thread busy meanwhile; longest task; figures mounted then', `${ms(w1.scroll.busy)}; ${ms(w1.scroll.longest)}; ${w1.scroll.mounted}`, `${ms(w10.scroll.busy)}; ${ms(w10.scroll.longest)}; ${w10.scroll.mounted}`, '', ''],
        ['log written by DataLogger (setLayout + tandemLines)', ms(small.writeMs), ms(large.writeMs), '', ''],
      ],
      notes: [
        'Busy: CDP Performance TaskDuration from navigation until half a second with under 25 ms of tasks. The page waits for the whole history to be read first, so every plot has its 20 steps.',
        `The baseline is the client of ${BASELINE} bundled from that commit's sources, served by the same server in the same run; it is not run at 10,000 plots, where it showed no grid within 200 s.`,
      ],
    };
  } finally {
    await browser.close();
  }
}
