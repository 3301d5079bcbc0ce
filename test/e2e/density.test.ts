/**
 * Scatters too large to draw point by point, in headless Chromium against the real server
 * CLI: a 100k-point scatter is drawn as its density (one image, its dense part darker),
 * zooming into a few points shows each of them as a marker with hover, a coloured one
 * shows its palette's colours, a 100k-point scatter replaced at 10 Hz keeps updating, and
 * the compare page shows the density of each run side by side.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../packages/server/src/live/frame-codec.js';
import { LogWriter } from '../support/log-writer.js';
import { launchChromium, type Chromium } from './chromium.js';
import { boxColours, dataOnScreen, hoverText, plotNamed, pointOnScreen, probeUntil, type PlotProbe, type ScreenBox } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const SCREENSHOT = join(REPO, 'test-output', 'density.png');
const POINTS = 100_000;
/** Of `plain`'s points, this many lie in its dense corner [0, 2] x [0, 2]; the others spread over [0, 10] x [0, 10]. */
const DENSE = 90_000;
/** The server's margin around a zoomed range (state/plot-state.ts FRAME_MARGIN). */
const FRAME_MARGIN = 0.5;

/** Point i of an even low-discrepancy sequence (R2) in [0, 1) x [0, 1): no clumps, no gaps. */
const r2 = (i: number): [number, number] => [(0.5 + i * 0.7548776662466927) % 1, (0.5 + i * 0.5698402909980532) % 1];

function columns(points: (i: number) => [number, number]): { x: Float64Array<ArrayBuffer>; y: Float64Array<ArrayBuffer> } {
  const x = new Float64Array(POINTS);
  const y = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) [x[i], y[i]] = points(i);
  return { x, y };
}

/** `plain`: most points in the corner [0, 2]^2, the rest over [0, 10]^2. */
const plain = columns((i) => r2(i).map((v) => v * (i < DENSE ? 2 : 10)) as [number, number]);
/** Run `other`'s `plain`: its dense corner in the top right, [8, 10]^2. */
const mirrored = { x: plain.x.map((v) => 10 - v), y: plain.y.map((v) => 10 - v) };
/** `colored`: even over [0, 10]^2, the colour value x / 10. */
const colored = columns((i) => r2(i).map((v) => v * 10) as [number, number]);
/** `live` at update k: `colored`'s cloud moved right by k, its leftmost point exactly at x = k. */
const moved = (k: number) => ({ x: Float64Array.from(colored.x, (v, i) => (i === 0 ? k : v + k)), y: colored.y });

/** The box on the page of the data rectangle [x0, x1] x [y0, y1] of plot `title`. */
async function screenBox(page: Page, title: string, [x0, x1]: [number, number], [y0, y1]: [number, number]): Promise<ScreenBox> {
  const [a, b] = await dataOnScreen(page, title, [[x0, y1], [x1, y0]]);
  return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
}

/** The image's left edge (x) a scatter's density shows, or undefined while it shows none. */
function imageX(page: Page, title: string): Promise<number | undefined> {
  return page.evaluate((title) => {
    interface Model {
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title);
    const image = (figure?.renderers as Model[] | undefined)?.find((r) => r.visible && (r.glyph as Model).type === 'ImageRGBA');
    return (image?.data_source as { data: { x: number[] } } | undefined)?.data.x[0];
  }, title);
}

/** Points of `plain` in the range a zoomed frame holds: the ranges shown, FRAME_MARGIN wider on each side (as the server widens them). */
function pointsInFrame(xRange: [number, number], yRange: [number, number]): number {
  const widen = ([low, high]: [number, number]) => {
    const margin = (high - low) * FRAME_MARGIN;
    return [low - margin, high + margin];
  };
  const [[x0, x1], [y0, y1]] = [widen(xRange), widen(yRange)];
  let count = 0;
  for (let i = 0; i < POINTS; i++) if (plain.x[i] >= x0 && plain.x[i] <= x1 && plain.y[i] >= y0 && plain.y[i] <= y1) count++;
  return count;
}

const showsDensity = (plot: PlotProbe | undefined) => plot?.glyphs.join() === 'ImageRGBA' && plot.lengths[0] === 1;

describe('large scatters drawn as their density, in headless Chromium', () => {
  let dir: string;
  let log: LogWriter;
  let server: NodeProcess;
  let url: string;
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];
  let setupError: unknown;

  beforeAll(async () => {
    try {
      if (!existsSync(join(REPO, SERVER_CLI))) throw new Error(`${SERVER_CLI} is missing: run \`npm run build\` first`);
      dir = await mkdtemp(join(tmpdir(), 'streamvis-density-'));
      // Two runs, so the home page compares them (side by side for scatters); `dense` has its own page.
      const other = await LogWriter.create(join(dir, 'other.svlog'), 'other');
      await other.scatter('plain', mirrored.x, mirrored.y);
      await other.close();
      log = await LogWriter.create(join(dir, 'dense.svlog'), 'dense');
      await log.layout({ plain: [0, 0, 1, 1], colored: [0, 1, 1, 1], live: [1, 0, 1, 2] });
      await log.scatter('plain', plain.x, plain.y);
      await log.scatter('colored', colored.x, colored.y, Float64Array.from(colored.x, (x) => x / 10));
      await log.scatter('live', moved(0).x, moved(0).y);
      await log.flush();
      server = startNode(SERVER_CLI, ['file', '0', '--logdir', dir]);
      url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
      await server.waitFor(/history read/, 30_000);
      chromium = await launchChromium();
      page = await chromium.context.newPage();
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.goto(new URL('/runs/dense', url).href);
    } catch (error) {
      setupError = error;
    }
  }, 120_000);

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), log?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws a 100k-point scatter as one density image, its dense corner darker than the sparse rest (test-output/density.png)', async () => {
    const plots = await probeUntil(page, (shown) => ['plain', 'colored', 'live'].every((name) => showsDensity(shown.find((p) => p.title === name))), 30_000);
    // The axes span the points, as the markers' would.
    const { xRange, yRange } = plotNamed(plots, 'plain');
    expect(xRange[0]).toBeLessThan(0);
    expect(xRange[1]).toBeGreaterThan(9.9);
    expect(yRange[1]).toBeLessThan(10.6);
    expect(await page.locator('[data-plot="plain"] .detail').textContent()).toBe('100,000 points, drawn as their density; zoom in for every point');

    await page.waitForTimeout(300);
    await mkdir(join(REPO, 'test-output'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    const [dense, sparse, outside] = await boxColours(page, png, [
      await screenBox(page, 'plain', [0.2, 1.8], [0.2, 1.8]),
      await screenBox(page, 'plain', [4, 9], [4, 9]),
      // Inside the figure's padding, right of every point: the background and its grid lines.
      await screenBox(page, 'plain', [10.05, 10.2], [4, 9]),
    ]);
    // 22,500 points per unit square against 100: far darker, yet the sparse points show.
    expect(dense.ink).toBeGreaterThan(3 * sparse.ink);
    expect(sparse.ink).toBeGreaterThan(3 * outside.ink + 1);
    // Inked in the markers' colour (Category10's blue), not gray.
    expect(dense.b - dense.r).toBeGreaterThan(60);
  });

  it('sends a density with most bins empty as the bins holding points: a fraction of the bytes', async () => {
    const response = await fetch(new URL('/api/runs/dense/plots/plain/frame?width=800&height=500', url));
    const bytes = await response.arrayBuffer();
    const frame = decodeFrame(bytes);
    if (frame.kind !== 'scatter' || !frame.data.density || !frame.data.bins) throw new Error(`expected a density of listed bins, got ${JSON.stringify(Object.keys(frame.data))}`);
    const { density, counts, bins } = frame.data;
    const cells = density.x.bins * density.y.bins;
    expect(bins.length).toBeLessThan(cells / 2);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(POINTS);
    // Index and count per bin held, against a count for every bin.
    expect(bytes.byteLength).toBeLessThan(4 * cells);
  });

  it('shows every point, as markers with hover, once zoomed into a few of them; Reset brings the density back', async () => {
    // Box zoom as a user does it, around [6, 7] x [6, 7] of the sparse part (about 100 points, 900 with the margins).
    await page.locator('[data-plot="plain"] [title^="Box Zoom"]').click();
    const [from, to] = await dataOnScreen(page, 'plain', [[6, 7], [7, 6]]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const zoomed = plotNamed(await probeUntil(page, (shown) => shown.find((p) => p.title === 'plain')?.glyphs.join() === 'Scatter'), 'plain');
    expect(zoomed.xRange[1] - zoomed.xRange[0]).toBeLessThan(1.5);
    const expected = pointsInFrame(zoomed.xRange, zoomed.yRange);
    expect(expected).toBeGreaterThan(300);
    expect(zoomed.lengths).toEqual([expected]);
    expect(await page.locator('[data-plot="plain"] .detail').isHidden()).toBe(true);

    // Hover names the point under the mouse.
    await page.bringToFront();
    const [x, y] = [zoomed.columns.x[0], zoomed.columns.y[0]];
    const text = await hoverText(page, await pointOnScreen(page, 'plain', 0), 'x');
    expect(text).toContain(`x: ${x.toFixed(3)}`);
    expect(text).toContain(`y: ${y.toFixed(3)}`);
    await page.mouse.move(0, 0);

    await page.locator('[data-plot="plain"] [title^="Reset"]').click();
    await probeUntil(page, (shown) => showsDensity(shown.find((p) => p.title === 'plain')));
  });

  it('shows a coloured 100k-point scatter in its palette\'s colours (Viridis: purple at 0, yellow at 1), with its colour bar', async () => {
    const plot = plotNamed(await probeUntil(page, (shown) => showsDensity(shown.find((p) => p.title === 'colored'))), 'colored');
    expect(plot.colorBars).toBe(1);
    const png = await page.screenshot();
    const [low, high] = await boxColours(page, png, [await screenBox(page, 'colored', [0.2, 1.5], [1, 9]), await screenBox(page, 'colored', [8.5, 9.8], [1, 9])]);
    // Viridis from #440154 (dark purple) to #fde725 (yellow), drawn over white with some transparency.
    expect(low.b).toBeGreaterThan(low.g + 20);
    expect(high.g).toBeGreaterThan(high.b + 60);
    expect(high.r).toBeGreaterThan(high.b + 60);
  });

  it('bins evenly on screen on a log y axis: of points even in y, the decade [1, 10] holds ten times those of [0.1, 1]', async () => {
    const frames: string[] = [];
    const listen = (request: { url(): string }) => {
      if (request.url().includes('/plots/colored/frame')) frames.push(request.url());
    };
    page.on('request', listen);
    await page.locator('[data-plot="colored"] [data-control="logy"]').check();
    await expect.poll(() => frames.some((frame) => new URL(frame).searchParams.get('yscale') === 'log'), { timeout: 10_000 }).toBe(true);
    await probeUntil(page, (shown) => showsDensity(shown.find((p) => p.title === 'colored')) && shown.find((p) => p.title === 'colored')!.yRange[0] < 0.01);
    await page.waitForTimeout(500);
    const png = await page.screenshot();
    const [top, next] = await boxColours(page, png, [await screenBox(page, 'colored', [1, 9], [1.5, 8]), await screenBox(page, 'colored', [1, 9], [0.15, 0.8])]);
    // Binned in linear y and stretched over the log axis, both would look alike.
    expect(top.ink).toBeGreaterThan(1.5 * next.ink);
    expect(next.ink).toBeGreaterThan(5);
    page.off('request', listen);
    await page.locator('[data-plot="colored"] [data-control="logy"]').uncheck();
  });

  it('keeps drawing a 100k-point scatter replaced at 10 Hz, to its newest state', { timeout: 60_000 }, async () => {
    const updates = 30;
    const seen = new Set<number>();
    const sampler = setInterval(() => {
      void imageX(page, 'live').then((x) => x !== undefined && seen.add(Math.round(x)), () => undefined);
    }, 50);
    const started = Date.now();
    for (let k = 1; k <= updates; k++) {
      const { x, y } = moved(k);
      await log.scatter('live', x, y);
      await log.flush();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 100 * k - Date.now())));
    }
    await expect.poll(() => imageX(page, 'live'), { timeout: 5_000 }).toBe(updates);
    clearInterval(sampler);
    // Drawn many times while the producer wrote (the page drops the states it has no time for, never queues them).
    expect(seen.size).toBeGreaterThanOrEqual(10);
    const live = plotNamed(await probeUntil(page, (shown) => showsDensity(shown.find((p) => p.title === 'live'))), 'live');
    // The axes follow the cloud (not zoomed): it now spans [30, 40].
    expect(live.xRange[0]).toBeGreaterThan(29);
  });

  it('compares the scatter of two runs side by side, each panel its own density image', async () => {
    const compare = await chromium.context.newPage();
    await compare.setViewportSize({ width: 1600, height: 1000 });
    await compare.goto(url);
    const titles = ['plain · dense', 'plain · other'];
    await expect.poll(() => Promise.all(titles.map((title) => imageX(compare, title).catch(() => undefined))), { timeout: 30_000 }).toEqual([expect.any(Number), expect.any(Number)]);
    await compare.waitForTimeout(300);
    const png = await compare.screenshot();
    const [denseCorner, otherCorner] = await boxColours(compare, png, [await screenBox(compare, titles[0], [0.2, 1.8], [0.2, 1.8]), await screenBox(compare, titles[1], [0.2, 1.8], [0.2, 1.8])]);
    // The same corner: dense in one run, as sparse as the rest in the other.
    expect(denseCorner.ink).toBeGreaterThan(2 * otherCorner.ink);
    expect(otherCorner.ink).toBeGreaterThan(1);
    await compare.close();
    expect(problems).toEqual([]);
  });
});
