/**
 * The page at the scale of a real run, in headless Chromium against the real server CLI:
 * a log of 1,000,000 steps of two lines and four 100,000-point scatters, then live
 * updates. The page must draw every plot, show full detail once zoomed, keep a zoom when
 * a plot is added, and stay current with a plot replaced at 50 Hz.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogWriter } from '../support/log-writer.js';
import { launchChromium, type Chromium } from './chromium.js';
import { colouredShare, plotNamed, probePlots, probeUntil } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const RUN = 'scale';
const STEPS = 1_000_000;
const POINTS = 100_000;
const SCATTERS = ['cloud_a', 'cloud_b', 'cloud_c', 'cloud_d'];
/** A multilines plot of 10 lines of 100k points each: 1M points. */
const PATHS = 10;
const PATH_POINTS = 100_000;

/** A scatter of `n` points: a spiral of gaussian-ish blobs, different per seed; colour on odd seeds. */
function cloud(n: number, seed: number): { x: Float64Array<ArrayBuffer>; y: Float64Array<ArrayBuffer>; color?: Float64Array<ArrayBuffer> } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const angle = (i % 97) * 0.37 + seed;
    const radius = 1 + ((i * 7919) % 1000) / 250;
    x[i] = radius * Math.cos(angle) + ((i * 31) % 17) / 40;
    y[i] = radius * Math.sin(angle) + ((i * 17) % 31) / 70;
  }
  return { x, y, ...(seed % 2 === 1 ? { color: Float64Array.from(x, (_, i) => (i % 1000) / 999) } : {}) };
}

/** The first x the page holds for plot `title` (a light probe: the plots here hold 100k numbers). */
function firstX(page: Page, title: string): Promise<number | undefined> {
  return page.evaluate((title) => {
    interface Model {
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title);
    const renderer = (figure?.renderers as Model[] | undefined)?.find((r) => r.type === 'GlyphRenderer');
    const x = (renderer?.data_source as { data: Record<string, ArrayLike<number>> } | undefined)?.data.x;
    return x?.[0];
  }, title);
}

describe('the page at scale', () => {
  let dir: string;
  let log: LogWriter;
  let server: NodeProcess;
  let chromium: Chromium;
  let page: Page;
  let logBytes: number;
  /** What the server and the page said while the log was still being read. */
  let duringReplay: { health: Record<string, unknown>; label: string | null };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamvis-scale-'));
    const path = join(dir, 'big.svlog');
    log = await LogWriter.create(path, RUN);
    await log.layout({ steps: [0, 0, 1, 2], cloud_a: [1, 0, 1, 1], cloud_b: [1, 1, 1, 1], cloud_c: [2, 0, 1, 1], cloud_d: [2, 1, 1, 1], paths: [3, 0, 1, 2] });
    // Line i: a slow wave at height i, with one spike to i + 5 at point 70,000 + i.
    const px = new Float64Array(PATHS * PATH_POINTS);
    const py = new Float64Array(PATHS * PATH_POINTS);
    for (let line = 0; line < PATHS; line++) {
      for (let p = 0; p < PATH_POINTS; p++) {
        px[line * PATH_POINTS + p] = p;
        py[line * PATH_POINTS + p] = line + 0.3 * Math.sin(p / 3000) + (p === 70_000 + line ? 5 : 0);
      }
    }
    await log.multilines('paths', PATHS, px, py);
    for (const [seed, name] of SCATTERS.entries()) {
      const { x, y, color } = cloud(POINTS, seed);
      await log.scatter(name, x, y, color);
    }
    for (let step = 0; step < STEPS; step++) await log.lines('steps', step, [Math.sin(step / 5000), step % 1000 === 0 ? 2 : Math.cos(step / 20_000)]);
    await log.flush();
    logBytes = (await stat(path)).size;

    server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, path]);
    const [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000);
    const health = (await (await fetch(new URL('/api/health', url))).json()) as Record<string, unknown>;
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1600, height: 1400 });
    await page.goto(url);
    const label = page.locator('#status [data-part="label"]');
    await label.filter({ hasText: 'reading the log' }).waitFor({ timeout: 10_000 }).catch(() => undefined);
    duringReplay = { health, label: await label.textContent() };
    await server.waitFor(/history read/, 120_000);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), log?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves at once while it reads a 200 MB log, and says how far it has read', async () => {
    expect(logBytes).toBeGreaterThan(150_000_000);
    const replay = duringReplay.health.replay as { delivered: number; total: number };
    expect(replay.total).toBe(logBytes);
    expect(replay.delivered).toBeLessThan(logBytes);
    expect(duringReplay.label).toMatch(/^reading the log · \d+ %$/);
    const after = (await (await fetch(new URL('/api/health', page.url()))).json()) as Record<string, unknown>;
    expect(after.replay).toBeUndefined();
    expect(after.records).toBeGreaterThanOrEqual(STEPS + SCATTERS.length + 1);
    await expect.poll(() => page.locator('#status [data-part="label"]').textContent()).toMatch(/^live/);
  });

  it('draws all four 100k-point scatters, each as its density image, with pixels in every one', async () => {
    const plots = await probeUntil(page, (shown) => SCATTERS.every((name) => shown.find((p) => p.title === name)?.glyphs.join() === 'ImageRGBA'), 60_000);
    for (const name of SCATTERS) expect(plotNamed(plots, name).backend).toBe('canvas');
    for (const name of SCATTERS) {
      const share = await colouredShare(page, name);
      expect({ name, drawn: share > 0.03 }).toEqual({ name, drawn: true });
      expect(await page.locator(`[data-plot="${name}"] .detail`).textContent()).toBe('100,000 points, drawn as their density; zoom in for every point');
    }
  });

  it('shows a 1M-step line as min/max per pixel, and every step once the user box-zooms in', async () => {
    const whole = plotNamed(await probeUntil(page, (shown) => shown.find((p) => p.title === 'steps')?.columns.x?.at(-1) === STEPS - 1, 60_000), 'steps');
    expect(whole.lengths[0]).toBeLessThan(10_000);
    // The every-1000th spike to 2 survives the reduction wherever it falls.
    expect(Math.max(...whole.columns.y1)).toBe(2);
    expect(await page.locator('[data-plot="steps"] .detail').textContent()).toMatch(/^1,000,000 steps, drawn as [\d,]+ points/);

    // Box zoom as a user does it: pick the tool, drag a box 40 px wide across the plot (Bokeh
    // then zooms x only), twice: 1M steps -> about 25k -> about 700.
    await page.locator('[data-plot="steps"] [title^="Box Zoom"]').click();
    let span = STEPS;
    for (const _ of [1, 2]) {
      const canvas = (await page.locator('[data-plot="steps"] .bk-Canvas').first().boundingBox())!;
      const [x, y] = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 20, y + 1, { steps: 4 });
      await page.mouse.move(x + 40, y + 2, { steps: 4 });
      await page.mouse.up();
      const narrower = span / 10;
      const shown = await probeUntil(page, (plots) => {
        const steps = plots.find((p) => p.title === 'steps');
        return steps !== undefined && steps.xRange[1] - steps.xRange[0] < narrower && steps.columns.x[0] > 0;
      });
      const { xRange } = plotNamed(shown, 'steps');
      span = xRange[1] - xRange[0];
    }
    expect(span).toBeLessThan(2_000);

    const zoomed = plotNamed(
      await probeUntil(page, (shown) => {
        const steps = shown.find((p) => p.title === 'steps');
        return steps !== undefined && steps.columns.x[0] <= steps.xRange[0] && steps.columns.x.at(-1)! >= steps.xRange[1] && steps.columns.x.length < 5 * span;
      }),
      'steps',
    );
    const [low, high] = zoomed.xRange;
    const xs = zoomed.columns.x;
    expect(xs[0]).toBeLessThanOrEqual(low);
    expect(xs.at(-1)).toBeGreaterThanOrEqual(high);
    expect(xs.slice(1).every((step, i) => step === xs[i] + 1)).toBe(true);
    expect(await page.locator('[data-plot="steps"] .detail').isHidden()).toBe(true);
  });

  it('shows 10 lines of 100k points each as min/max per pixel, each line\'s spike kept', async () => {
    const probe = (lo?: number) =>
      page.evaluate((from) => {
        interface Model {
          [key: string]: unknown;
        }
        const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
        const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === 'paths');
        const renderer = (figure?.renderers as Model[] | undefined)?.find((r) => r.type === 'GlyphRenderer');
        const data = (renderer?.data_source as { data: { xs: ArrayLike<number>[]; ys: ArrayLike<number>[] } } | undefined)?.data;
        if (!data) return undefined;
        return {
          points: data.xs.map((xs) => xs.length),
          maxima: data.ys.map((ys) => Math.max(...Array.from(ys))),
          firstX: data.xs.map((xs) => xs[0]),
          from,
        };
      }, lo);
    await expect.poll(async () => (await probe())?.points.length, { timeout: 60_000 }).toBe(PATHS);
    const whole = (await probe())!;
    for (const [line, points] of whole.points.entries()) {
      expect(points).toBeLessThan(10_000);
      expect(whole.maxima[line]).toBeCloseTo(line + 5 + 0.3 * Math.sin((70_000 + line) / 3000), 6); // the spike survives
    }
    expect(await page.locator('[data-plot="paths"] .detail').textContent()).toMatch(/^1,000,000 points, drawn as [\d,]+ \(min\/max per pixel\)/);
  });

  it('adds a plot that appears mid-run without touching the zoom of the others', async () => {
    const before = plotNamed(await probePlots(page), 'steps');
    await log.layout({ steps: [0, 0, 1, 2], cloud_a: [1, 0, 1, 1], cloud_b: [1, 1, 1, 1], cloud_c: [2, 0, 1, 1], cloud_d: [2, 1, 1, 1], ticker: [3, 0, 1, 2] });
    await log.scatter('ticker', Float64Array.of(0), Float64Array.of(0));
    await log.flush();
    const plots = await probeUntil(page, (shown) => shown.some((p) => p.title === 'ticker'), 20_000);
    const after = plotNamed(plots, 'steps');
    expect(after.xRange).toEqual(before.xRange);
    expect(after.lengths).toEqual(before.lengths);
    expect(plotNamed(plots, 'cloud_a').glyphs).toEqual(['ImageRGBA']);
  });

  it('keeps up with a plot replaced at 50 Hz: the newest value shows, no queue builds up', { timeout: 60_000 }, async () => {
    const frameRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/plots/ticker/frame')) frameRequests.push(request.url());
    });
    const updates = 200;
    const lags: number[] = [];
    let written = 0;
    const sampler = setInterval(() => {
      void firstX(page, 'ticker').then((shown) => {
        if (shown !== undefined) lags.push(written - shown);
      }, () => undefined);
    }, 100);
    for (written = 1; written <= updates; written++) {
      await log.scatter('ticker', Float64Array.of(written), Float64Array.of(written));
      await log.flush();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    written = updates;
    clearInterval(sampler);
    await expect.poll(() => firstX(page, 'ticker'), { timeout: 5_000 }).toBe(updates);
    // Folded, not queued: fewer fetches than updates, and the page never far behind.
    expect(frameRequests.length).toBeLessThanOrEqual(updates);
    expect(lags.length).toBeGreaterThan(10);
    expect(Math.max(...lags)).toBeLessThan(75);
  });

  it('looks right: saves a screenshot to test-output/scale.png', async () => {
    await mkdir(join(REPO, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'test-output', 'scale.png') });
  });
});
