/**
 * The live page end to end: the real test app writes a log, the real server CLI tails it,
 * and headless Chromium shows the page. Assertions read BokehJS's models in the page.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ColorSpec, DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { hoverText, plotNamed, pointOnScreen, probePlots, probeUntil, type PlotProbe } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const TEST_APP_CLI = 'examples/test-app/dist/cli.js';
const CLIENT_BUNDLE = 'packages/server/dist/view/client.js';
const RUN = 'e2e <demo> & "co"';
const SCREENSHOT = join(REPO, 'test-output', 'page.png');

/** The test app's plots: top_left tandem lines, three scatters (two coloured). */
const DEMO_PLOTS = ['bottom_left', 'bottom_right', 'top_left', 'top_right'];
const LAYER_POINTS_TOTAL = 10 * 50;
/** With the plots the tests add to the log. */
const ALL_PLOTS = [...DEMO_PLOTS, 'cloud', 'dots', 'paths'];

describe('live page in headless Chromium', () => {
  let dir: string;
  let log: string;
  let app: NodeProcess;
  let server: NodeProcess;
  let url: string;
  let chromium: Chromium;
  const pages: Page[] = [];
  /** Errors each page logged or threw; a stream cut by a server restart is expected. */
  const problems = new Map<Page, string[]>();

  /** Why the processes or the browser could not start: every test then fails with it (none is skipped). */
  let setupError: unknown;

  beforeAll(async () => {
    try {
      for (const file of [SERVER_CLI, TEST_APP_CLI, CLIENT_BUNDLE]) {
        if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
      }
      dir = await mkdtemp(join(tmpdir(), 'streamvis-e2e-'));
      log = join(dir, 'demo.svlog');
      app = startNode(TEST_APP_CLI, ['file', RUN, log, '--interval', '100']);
      await app.waitFor(/logging run/, 20_000);
      server = startNode(SERVER_CLI, ['file', '0', RUN, log]);
      url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
      chromium = await launchChromium();
    } catch (error) {
      setupError = error;
    }
  });

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), app?.stop(), server?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    const page = await chromium.context.newPage();
    const logged: string[] = [];
    problems.set(page, logged);
    page.on('pageerror', (error) => logged.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    await page.goto(url);
    pages.push(page);
    return page;
  }
  const problemsOf = (page: Page) => problems.get(page) ?? [];
  /** Exactly these plots are on the page, each with data. */
  const allDrawn = (titles: string[]) => (plots: PlotProbe[]) =>
    plots.map((p) => p.title).join() === [...titles].sort().join() && plots.every((p) => p.lengths.length > 0 && p.lengths.every((n) => n > 0));

  it('shows the run in the header and draws the four plots of the test app on their grid cells', async () => {
    const page = await openPage();
    expect(await page.title()).toBe(`${RUN} · streamvis`);
    expect(await page.locator('h1 .run').innerText()).toBe(RUN);

    const plots = await probeUntil(page, allDrawn(DEMO_PLOTS));
    expect(plots.map((p) => p.title)).toEqual(DEMO_PLOTS);

    const lines = plotNamed(plots, 'top_left');
    expect(lines.glyphs).toEqual(['Line', 'Line', 'Line']);
    expect(lines.legendItems).toBe(3);
    expect(Object.keys(lines.columns).sort()).toEqual(['x', 'y0', 'y1', 'y2']);
    // The test app logs sin(step / 10 + 2 pi k / 3) as line k at x = step: the page shows exactly that.
    lines.columns.x.forEach((step, i) => {
      [0, 1, 2].forEach((k) => expect(lines.columns[`y${k}`][i]).toBeCloseTo(Math.sin(step / 10 + (2 * Math.PI * k) / 3), 12));
    });

    const layers = plotNamed(plots, 'top_right');
    expect(layers.glyphs).toEqual(['Scatter']);
    expect(layers.lengths).toEqual([LAYER_POINTS_TOTAL]);
    expect(layers.colorBars).toBe(0);

    const coloured = plotNamed(plots, 'bottom_left');
    expect(coloured.glyphs).toEqual(['Scatter']);
    expect(coloured.lengths).toEqual([LAYER_POINTS_TOTAL]);
    expect(coloured.colorBars).toBe(1);
    // ColorSpec('Viridis256', 0): layer i of 10 gets colour i / 9, so both ends of the scale occur.
    expect(Math.min(...coloured.columns.color)).toBe(0);
    expect(Math.max(...coloured.columns.color)).toBe(1);

    const spiral = plotNamed(plots, 'bottom_right');
    expect(spiral.glyphs).toEqual(['Scatter']);
    expect(spiral.colorBars).toBe(1);
    expect(spiral.lengths[0] % 20).toBe(0);
    expect(spiral.lengths[0]).toBeLessThanOrEqual(2000);

    // The test app's layout is a 2 x 2 grid of equal cells.
    const [bl, br, tl, tr] = plots.map((p) => p.box);
    expect(tl.x).toBeLessThan(tr.x);
    expect(tl.y).toBeLessThan(bl.y);
    expect(Math.abs(tl.y - tr.y)).toBeLessThan(2);
    expect(Math.abs(bl.x - tl.x)).toBeLessThan(2);
    expect(Math.abs(br.width - tl.width)).toBeLessThan(2);
    expect(tl.width).toBeGreaterThan(400);
    expect(tl.height).toBeGreaterThan(250);

    await expect.poll(() => page.locator('#status').getAttribute('data-state')).toBe('connected');
    expect(Number((await page.locator('[data-part="records"]').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await page.locator('[data-part="errors"]').innerText()).toBe('0');
    expect(problemsOf(page)).toEqual([]);
  });

  it('applies later updates without a reload, and the ranges follow the new data', async () => {
    const page = pages[0];
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const before = plotNamed(await probeUntil(page, allDrawn(DEMO_PLOTS)), 'top_left');

    const after = plotNamed(
      await probeUntil(page, (plots) => plots.length === 4 && plotNamed(plots, 'top_left').lengths[0] >= before.lengths[0] + 10),
      'top_left',
    );
    expect(Math.max(...after.columns.x)).toBeGreaterThan(Math.max(...before.columns.x));
    // Every line streamed with the shared x: the columns stay equally long.
    expect(new Set(Object.values(after.columns).map((c) => c.length)).size).toBe(1);
    expect(after.xRange[1]).toBeGreaterThan(before.xRange[1]);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });

  it('updates every open page with the same data', async () => {
    const second = await openPage();
    await probeUntil(second, allDrawn(DEMO_PLOTS));
    const lengths = async () => Promise.all(pages.map(async (page) => plotNamed(await probeUntil(page, allDrawn(DEMO_PLOTS)), 'top_left').lengths[0]));
    const start = await lengths();
    await expect.poll(async () => (await lengths()).every((n, i) => n >= start[i] + 5), { timeout: 20_000 }).toBe(true);

    // Both pages hold the same y values for the steps they share.
    const [one, two] = await Promise.all(pages.map(async (page) => plotNamed(await probeUntil(page, allDrawn(DEMO_PLOTS)), 'top_left')));
    const byStep = (plot: PlotProbe) => new Map(plot.columns.x.map((x, i) => [x, plot.columns.y1[i]]));
    const stepsOfTwo = byStep(two);
    const shared = [...byStep(one)].filter(([x]) => stepsOfTwo.has(x));
    expect(shared.length).toBeGreaterThan(10);
    for (const [x, y] of shared) expect(stepsOfTwo.get(x)).toBe(y);
    expect(problemsOf(second)).toEqual([]);
  });

  it('rebuilds the page when a new plot appears, drawing multilines with one colour per line', async () => {
    const logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    // 3 lines of 10 points: [line, point, (x, y)].
    const lines = (from: number) => [0, 1, 2].map((l) => Array.from({ length: 10 }, (_, p) => [from + p, Math.sin((from + p) / 3) + l]));
    logger.multiLines('paths', lines(0), { lineDims: [0], spatialDim: 2, append: true });
    await logger.flush();

    const withPaths = (points: number) => (plots: PlotProbe[]) =>
      plots.length === 5 && plots.some((p) => p.title === 'paths' && p.columns.xs?.every((n) => n === points));
    for (const page of pages) await probeUntil(page, withPaths(10));

    logger.multiLines('paths', lines(10), { lineDims: [0], spatialDim: 2, append: true });
    await logger.shutdown();
    for (const page of pages) {
      const paths = plotNamed(await probeUntil(page, withPaths(20)), 'paths');
      expect(paths.glyphs).toEqual(['MultiLine']);
      expect(paths.lengths).toEqual([3]);
      expect(new Set(paths.columns.color).size).toBe(3);
    }
    // The new plot sits below the test app's 2 x 2 layout.
    const plots = await probeUntil(pages[0], allDrawn([...DEMO_PLOTS, 'paths']));
    expect(plotNamed(plots, 'paths').box.y).toBeGreaterThan(plotNamed(plots, 'bottom_left').box.y);
  });

  it('redraws a scatter whose data gains a colour column, adding its colour bar', async () => {
    const logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    const ring = (n: number) => Array.from({ length: n }, (_, i) => [Math.cos(i / 5), Math.sin(i / 5), i / (n - 1)]);
    logger.scatter('dots', ring(30).map(([x, y]) => [x, y]), { spatialDim: 1, append: false });
    await logger.flush();
    const dots = (ready: (plot: PlotProbe) => boolean) => (plots: PlotProbe[]) => plots.some((p) => p.title === 'dots' && ready(p));
    for (const page of pages) expect(plotNamed(await probeUntil(page, dots((p) => p.lengths[0] === 30)), 'dots').colorBars).toBe(0);

    logger.scatter('dots', ring(40), { spatialDim: 1, append: false, color: new ColorSpec('Plasma256') });
    await logger.shutdown();
    for (const page of pages) {
      const plot = plotNamed(await probeUntil(page, dots((p) => p.lengths[0] === 40)), 'dots');
      expect(plot.colorBars).toBe(1);
      expect(plot.columns.color[39]).toBe(1);
    }
  });

  it('hovering a point shows its x, y and colour value', async () => {
    const page = pages[0];
    await page.bringToFront();
    // Point 10 of the ring logged above: angle 2 rad, colour value 10 / 39.
    const text = await hoverText(page, await pointOnScreen(page, 'dots', 10), 'color');
    expect(text).toContain(`x: ${Math.cos(2).toFixed(3)}`);
    expect(text).toContain(`y: ${Math.sin(2).toFixed(3)}`);
    expect(text).toContain(`color: ${(10 / 39).toFixed(3)}`);
    await page.mouse.move(0, 0);
  });

  it('draws a scatter of 5,000 points whole (as many as a frame holds as markers), on canvas', async () => {
    const logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    const cloud = Array.from({ length: 5_000 }, (_, i) => [Math.cos(i) * Math.sqrt(i), Math.sin(i) * Math.sqrt(i)]);
    logger.scatter('cloud', cloud, { spatialDim: 1, append: false });
    await logger.shutdown();
    for (const page of pages) {
      const plot = plotNamed(await probeUntil(page, (plots) => plots.some((p) => p.title === 'cloud' && p.glyphs.join() === 'Scatter' && p.lengths[0] === 5_000)), 'cloud');
      expect(plot.backend).toBe('canvas');
      expect(await page.locator('[data-plot="cloud"] .detail').isHidden()).toBe(true);
    }
  });

  it('reconnects after the server restarts and keeps updating', async () => {
    const page = pages[0];
    const port = new URL(url).port;
    await server.stop();
    await expect.poll(() => page.locator('#status').getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting');

    server = startNode(SERVER_CLI, ['file', port, RUN, log]);
    await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\//, 20_000);
    await expect.poll(() => page.locator('#status').getAttribute('data-state'), { timeout: 20_000 }).toBe('connected');
    const before = plotNamed(await probeUntil(page, allDrawn(ALL_PLOTS)), 'top_left').lengths[0];
    await probeUntil(page, (plots) => plots.length === ALL_PLOTS.length && plotNamed(plots, 'top_left').lengths[0] > before);

    // The browser reports the cut stream and the refused reconnects; nothing else went wrong.
    const logged = problemsOf(page);
    expect(logged.filter((text) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED/.test(text))).toEqual([]);
    logged.length = 0;
  });

  it('counts a damaged stretch of the log as an error and tells why on hover', async () => {
    const page = pages[0];
    // One append write, so it cannot tear a record of the test app that keeps writing.
    await appendFile(log, Buffer.from('not a streamvis record\n'));
    const errors = page.locator('[data-part="errors"]');
    await expect.poll(() => errors.innerText(), { timeout: 20_000 }).toBe('1');
    expect(await errors.getAttribute('title')).toMatch(/^latest error: \S/);
    expect(await page.locator('#status').getAttribute('data-errors')).toBe('some');
    // The page keeps updating after the damage.
    const before = plotNamed(await probeUntil(page, allDrawn(ALL_PLOTS)), 'top_left').lengths[0];
    await probeUntil(page, (plots) => plots.length === ALL_PLOTS.length && plotNamed(plots, 'top_left').lengths[0] > before);
  });

  it('looks right: saves a screenshot to test-output/page.png', async () => {
    const page = pages[0];
    // The first page has been a background tab since the second opened, and headless Chromium
    // paints such a tab only partly. A resize (as a full-page screenshot makes) has BokehJS
    // redraw its legends, whose glyphs show only a moment later. So: bring the page forward,
    // make the window as tall as the page, and give it time to settle.
    await page.bringToFront();
    await probeUntil(page, allDrawn(ALL_PLOTS));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1400, height });
    await page.waitForTimeout(2_000);
    await mkdir(join(REPO, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(problemsOf(page)).toEqual([]);
  });

  it('a tab picks its own plots and layout from its URL (?rows=, ?cols=, &width=, &height=), another tab keeps the producer\'s', async () => {
    const rows = await chromium.context.newPage();
    await rows.goto(`${url}?rows=top_left,top_right;bottom_left`);
    const shown = await probeUntil(rows, allDrawn(['top_left', 'top_right', 'bottom_left']));
    const [bl, tl, tr] = shown.map((p) => p.box);
    expect(Math.abs(tl.y - tr.y)).toBeLessThan(2);
    expect(tl.x).toBeLessThan(tr.x);
    expect(bl.y).toBeGreaterThan(tl.y + tl.height - 2);
    expect(Math.abs(bl.width - (tr.x + tr.width - tl.x))).toBeLessThan(2); // as wide as both above it
    expect(await rows.locator('.cell').count()).toBe(3);

    const cols = await chromium.context.newPage();
    await cols.goto(`${url}?cols=bottom_right;top_left&width=500&height=300`);
    const [right, left] = (await probeUntil(cols, allDrawn(['bottom_right', 'top_left']))).map((p) => p.box);
    expect(right.x).toBeLessThan(left.x);
    expect(Math.abs(right.y - left.y)).toBeLessThan(2);
    expect(right.height).toBeCloseTo(300, -1);
    expect(right.width + left.width).toBeLessThanOrEqual(1_000);
    // The producer's layout is untouched: the first tab still shows every plot.
    expect((await probePlots(pages[0])).length).toBe(ALL_PLOTS.length);
    await Promise.all([rows.close(), cols.close()]);
  });

  it('follows a dark system setting: dark page, dark figures; saves test-output/page-dark.png', async () => {
    const dark = await chromium.context.newPage();
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto(url);
    await probeUntil(dark, allDrawn(ALL_PLOTS));
    const colours = await dark.evaluate(() => {
      interface Model {
        [key: string]: unknown;
      }
      const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
      return {
        body: getComputedStyle(document.body).backgroundColor,
        figures: bokeh.documents.map((doc) => doc.roots()[0].background_fill_color as string),
      };
    });
    const lightness = (css: string) => css.match(/\d+/g)!.slice(0, 3).reduce((sum, c) => sum + Number(c), 0) / 3;
    expect(lightness(colours.body)).toBeLessThan(40);
    expect(colours.figures).toHaveLength(ALL_PLOTS.length);
    for (const figure of colours.figures) expect(figure).toBe('#171b21');
    const height = await dark.evaluate(() => document.documentElement.scrollHeight);
    await dark.setViewportSize({ width: 1400, height });
    await dark.waitForTimeout(1_500);
    await dark.screenshot({ path: join(REPO, 'test-output', 'page-dark.png') });
    await dark.close();
  });
});
