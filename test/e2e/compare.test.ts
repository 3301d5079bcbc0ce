/**
 * Many runs in one server, end to end: real DataLoggers write one log per run into a
 * directory, the real server CLI serves the directory (`file PORT --logdir DIR`), and
 * headless Chromium shows the compare page: lines of every run overlaid in one figure,
 * a colour and a legend entry per run, scatters side by side, and a run that starts
 * while the page is open added without a reload.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { colouredShare, until } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const SCREENSHOT = join(REPO, 'test-output', 'compare.png');
const STEPS = 300;
const POINTS = 400;

/** Run `seed`'s loss at `step`: a different curve per run, so each line can be told from the others. */
const lossOf = (seed: number, step: number) => Math.exp(-step / (60 * seed)) + 0.01 * seed;

async function writeRun(dir: string, seed: number): Promise<void> {
  const logger = new DataLogger(`seed-${seed}`);
  await logger.initWriteLog(join(dir, `seed-${seed}.svlog`));
  for (let step = 0; step < STEPS; step++) logger.tandemLines('loss', step, [lossOf(seed, step)]);
  const xy = Float64Array.from({ length: 2 * POINTS }, (_, i) => Math.sin(i * seed) * (i % 2 === 0 ? 1 : seed));
  logger.scatter('embedding', Object.assign(xy, { shape: [POINTS, 2] }), { spatialDim: 1, append: false });
  await logger.shutdown();
}

interface OverlayProbe {
  /** Per line renderer: its colour and its y values. */
  lines: { color: string; y: number[] }[];
  legend: string[];
}

/** Reads the figure titled `title`: its lines and legend, through BokehJS's models. */
function probeOverlay(page: Page, title: string): Promise<OverlayProbe | undefined> {
  return page.evaluate((wanted) => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === wanted);
    if (!figure) return undefined;
    const renderers = (figure.renderers as Model[]).filter((r) => r.type === 'GlyphRenderer');
    const lines = renderers.map((r) => {
      const glyph = r.glyph as Model & { line_color: { value: unknown } | unknown };
      const source = r.data_source as Model & { data: Record<string, ArrayLike<number>> };
      const color = typeof glyph.line_color === 'object' && glyph.line_color !== null && 'value' in glyph.line_color ? glyph.line_color.value : glyph.line_color;
      return { color: String(color), y: Array.from(source.data.y0 ?? []) };
    });
    const legend = [...(figure.right as Model[]), ...(figure.center as Model[])].find((m) => m.type === 'Legend') as Model & { items: { label: { value: string } }[] } | undefined;
    return { lines, legend: (legend?.items ?? []).map((item) => item.label.value) };
  }, title);
}


describe('compare page: a directory of runs in headless Chromium', () => {
  let dir: string;
  let server: NodeProcess;
  let url: string;
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];
  let setupError: unknown;

  beforeAll(async () => {
    try {
      if (!existsSync(join(REPO, SERVER_CLI))) throw new Error(`${SERVER_CLI} is missing: run \`npm run build\` first`);
      dir = await mkdtemp(join(tmpdir(), 'streamvis-compare-'));
      for (const seed of [1, 2, 3]) await writeRun(dir, seed);
      server = startNode(SERVER_CLI, ['file', '0', '--logdir', dir]);
      url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
      await server.waitFor(/history read/, 20_000);
      chromium = await launchChromium();
      page = await chromium.context.newPage();
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(url);
    } catch (error) {
      setupError = error;
    }
  });

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('overlays the loss of 3 runs in one figure: 3 colours, a legend naming the runs, each line exactly its run', async () => {
    const overlay = await until(() => probeOverlay(page, 'loss'), (probe) => probe?.lines.length === 3 && probe.lines.every((line) => line.y.length === STEPS), 'three loss lines');
    expect(overlay!.legend.sort()).toEqual(['seed-1', 'seed-2', 'seed-3']);
    expect(new Set(overlay!.lines.map((line) => line.color)).size).toBe(3);
    const expected = [1, 2, 3].map((seed) => Array.from({ length: STEPS }, (_, step) => lossOf(seed, step)));
    const shown = overlay!.lines.map((line) => line.y).sort((a, b) => a[0] - b[0]);
    expect(shown).toEqual(expected);
    // The run list names every run with its record count, the three shown checked.
    const listed = await page.locator('#runs li').evaluateAll((items) =>
      items.map((item) => ({ run: (item as HTMLElement).dataset.run, checked: item.querySelector('input')!.checked, meta: item.querySelector('.run-meta')!.textContent })),
    );
    expect(listed).toEqual([1, 2, 3].map((seed) => ({ run: `seed-${seed}`, checked: true, meta: `${STEPS + 1} records · live` }))); // written seconds ago
  });

  it('shows the scatter of each run side by side, one panel per run in its colour, each with its points drawn', async () => {
    const panels = page.locator('[data-plot="embedding"] .run-panel');
    await expect.poll(() => panels.count(), { timeout: 20_000 }).toBe(3);
    expect(await panels.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.run))).toEqual(['seed-1', 'seed-2', 'seed-3']);
    for (const seed of [1, 2, 3]) {
      await expect.poll(() => colouredShare(page, `embedding · seed-${seed}`), { timeout: 20_000 }).toBeGreaterThan(0.001);
    }
  });

  it('adds a run whose log appears while the page is open, without a reload; unchecking a run removes its line', async () => {
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    await writeRun(dir, 4);
    await expect.poll(() => page.locator('#runs li[data-run="seed-4"]').count(), { timeout: 20_000 }).toBe(1);
    const overlay = await until(() => probeOverlay(page, 'loss'), (probe) => probe?.lines.length === 4, 'a fourth loss line');
    expect(overlay!.legend.sort()).toEqual(['seed-1', 'seed-2', 'seed-3', 'seed-4']);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    await page.locator('#runs li[data-run="seed-2"] input').uncheck();
    const fewer = await until(() => probeOverlay(page, 'loss'), (probe) => probe?.lines.length === 3, 'seed-2 removed');
    expect(fewer!.legend.sort()).toEqual(['seed-1', 'seed-3', 'seed-4']);
    expect(new URL(page.url()).searchParams.getAll('run').sort()).toEqual(['seed-1', 'seed-3', 'seed-4']);
    await expect.poll(() => page.locator('[data-plot="embedding"] .run-panel').count()).toBe(3);
  });

  it('opens a shared comparison from its URL, and each run keeps its own page', async () => {
    const shared = await chromium.context.newPage();
    await shared.goto(`${url}?run=seed-3&run=seed-1`);
    const overlay = await until(() => probeOverlay(shared, 'loss'), (probe) => probe?.lines.length === 2, 'two loss lines');
    expect(overlay!.legend).toEqual(['seed-3', 'seed-1']);
    await shared.goto(new URL('/runs/seed-2', url).href);
    expect(await shared.locator('h1 .run').innerText()).toBe('seed-2');
    await shared.close();
  });

  it('looks right: saves a screenshot to test-output/compare.png', async () => {
    await page.locator('#runs li[data-run="seed-2"] input').check();
    await until(() => probeOverlay(page, 'loss'), (probe) => probe?.lines.length === 4, 'four loss lines again');
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: SCREENSHOT });
    expect(problems).toEqual([]);
  });
});
