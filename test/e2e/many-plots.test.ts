/**
 * A run of 10,000 small line plots on the live page (real DataLogger log, real server CLI,
 * headless Chromium): only the plots near the viewport have BokehJS figures, the others
 * keep their cells' places; scrolling draws the plots it reaches with their data, live
 * updates reach the plots on screen, and a plot scrolled away and back keeps its zoom and
 * the lines hidden from its legend.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { plotNamed, probePlots, probeUntil, until, type PlotProbe } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const RUN = 'many';
const PLOTS = 10_000;
const COLUMNS = 4;
const STEPS = 20;
/** Far below 10,000: the rows of about three viewports (1000 px high, rows of 290 px) of 4 plots. */
const MOST_MOUNTED = 100;

const nameOf = (i: number) => `p${String(i).padStart(5, '0')}`;
/** Plot i's line sits at height i, so each plot's data says which plot it is. */
const valueOf = (i: number, step: number) => i + 0.4 * Math.sin(step / 3);

/** Titles of the plots whose figures are mounted (every mounted plot is one Bokeh document). */
function mountedPlots(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): { title: { text: string } }[] }[] } }).Bokeh;
    return bokeh.documents.map((doc) => doc.roots()[0].title.text);
  });
}

/** Plot `title` drawn with its `steps` steps (or undefined). */
function drawn(plots: PlotProbe[], title: string, steps = STEPS): PlotProbe | undefined {
  const plot = plots.find((p) => p.title === title);
  return plot && plot.lengths[0] === steps ? plot : undefined;
}

/** Rows of plot `title`'s line (visible or not), or undefined while it has no figure. */
function lineRows(page: Page, title: string): Promise<number | undefined> {
  return page.evaluate((title) => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title);
    const line = (figure?.renderers as Model[] | undefined)?.find((r) => r.type === 'GlyphRenderer');
    return (line?.data_source as { get_length(): number | null } | undefined)?.get_length() ?? undefined;
  }, title);
}

/** Whether plot `title`'s first legend entry is greyed out, and whether its line is visible. */
function legendOf(page: Page, title: string): Promise<{ inactive: boolean; lineVisible: boolean } | undefined> {
  return page.evaluate((title) => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    interface Views {
      find_one(model: Model): { shadow_el: ShadowRoot } | null;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[]; index: Views } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title);
    const legend = (figure?.right as Model[] | undefined)?.find((model) => model.type === 'Legend');
    const item = legend && bokeh.index.find_one(legend)?.shadow_el.querySelector('.bk-item');
    if (!figure || !item) return undefined;
    const line = (figure.renderers as Model[]).find((r) => r.type === 'GlyphRenderer')!;
    return { inactive: item.classList.contains('bk-inactive'), lineVisible: line.visible as boolean };
  }, title);
}

describe('a run of 10,000 plots', () => {
  let dir: string;
  let logger: DataLogger;
  let server: NodeProcess;
  let chromium: Chromium;
  let page: Page;

  const scrollPage = (to: 'top' | 'bottom'): Promise<void> => page.evaluate((to) => window.scrollTo(0, to === 'top' ? 0 : document.documentElement.scrollHeight), to);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamvis-many-'));
    const log = join(dir, 'run.svlog');
    logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    logger.setLayout(Object.fromEntries(Array.from({ length: PLOTS }, (_, i) => [nameOf(i), [Math.floor(i / COLUMNS), i % COLUMNS, 1, 1]])));
    for (let step = 0; step < STEPS; step++) {
      for (let i = 0; i < PLOTS; i++) logger.tandemLines(nameOf(i), step, [valueOf(i, step)]);
      await logger.flush();
    }
    server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, log]);
    const [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 30_000);
    await server.waitFor(/history read/, 60_000);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.goto(url);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), logger?.shutdown()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the first rows with their data, with figures only near the viewport; the page is as long as every row', async () => {
    // The first three rows: what a 1000 px viewport shows.
    const firstRows = Array.from({ length: 3 * COLUMNS }, (_, i) => nameOf(i));
    const plots = await probeUntil(page, (shown) => firstRows.every((name) => drawn(shown, name)), 60_000);
    expect(plotNamed(plots, nameOf(3)).columns.y0).toEqual(Array.from({ length: STEPS }, (_, step) => valueOf(3, step)));
    const mounted = await mountedPlots(page);
    expect(mounted.length).toBeLessThan(MOST_MOUNTED);
    expect(mounted.every((title) => Number(title.slice(1)) < MOST_MOUNTED)).toBe(true);
    expect(await page.locator('section.cell').count()).toBeLessThan(MOST_MOUNTED);
    // The grid's rows hold the places of the cells off the page: the scrollbar reaches all 2,500 rows.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan((PLOTS / COLUMNS) * 280);
  });

  it('scrolled to the bottom, draws the last plots with their data and releases the first', async () => {
    await scrollPage('bottom');
    const plots = await probeUntil(page, (shown) => drawn(shown, nameOf(PLOTS - 1)) !== undefined && !shown.some((p) => p.title === nameOf(0)), 60_000);
    expect(plotNamed(plots, nameOf(PLOTS - 1)).columns.y0).toEqual(Array.from({ length: STEPS }, (_, step) => valueOf(PLOTS - 1, step)));
    expect(plots.length).toBeLessThan(MOST_MOUNTED);
    await mkdir(join(REPO, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'test-output', 'many-plots.png') });
  });

  it('a live update to a plot on screen arrives', async () => {
    const last = PLOTS - 1;
    logger.tandemLines(nameOf(last), STEPS, [valueOf(last, STEPS)]);
    await logger.flush();
    const plots = await probeUntil(page, (shown) => drawn(shown, nameOf(last), STEPS + 1) !== undefined, 30_000);
    expect(plotNamed(plots, nameOf(last)).columns.x.at(-1)).toBe(STEPS);
  });

  it('a plot scrolled away fetches nothing and comes back as the user left it: zoom, hidden line, and the data it missed', async () => {
    await scrollPage('top');
    const first = nameOf(0);
    await probeUntil(page, (shown) => drawn(shown, first) !== undefined, 60_000);
    // A box zoom over the middle of the plot, as the user drags it.
    await page.locator(`[data-plot="${first}"] [title^="Box Zoom"]`).click();
    const canvas = (await page.locator(`[data-plot="${first}"] .bk-Canvas`).first().boundingBox())!;
    const [x, y] = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
    await page.mouse.move(x - 40, y - 40);
    await page.mouse.down();
    await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.move(x + 40, y + 40, { steps: 4 });
    await page.mouse.up();
    const zoomed = plotNamed(await probeUntil(page, (shown) => {
      const plot = shown.find((p) => p.title === first);
      return plot !== undefined && plot.xRange[1] - plot.xRange[0] < STEPS / 2;
    }), first);
    await page.locator(`[data-plot="${first}"] .bk-Legend`).locator('.bk-item').first().click();
    await until(() => legendOf(page, first), (legend) => legend?.inactive === true && !legend.lineVisible, 'the line hidden from the legend');

    await scrollPage('bottom');
    await until(() => mountedPlots(page), (titles) => !titles.includes(first), `${first} released`, 30_000);
    // Off screen, updates are only noted: each plot's frame is fetched once it is back (its neighbour's, unzoomed, shows the update).
    const second = nameOf(1);
    const fetches = new Map([[first, 0], [second, 0]]);
    page.on('request', (request) => {
      for (const name of fetches.keys()) if (request.url().includes(`/plots/${name}/frame`)) fetches.set(name, fetches.get(name)! + 1);
    });
    const records = () => page.locator('#status [data-part="records"]').innerText().then((text) => Number(text.replace(/,/g, '')));
    const before = await records();
    logger.tandemLines(second, STEPS, [valueOf(1, STEPS)]);
    await logger.flush();
    await until(records, (count) => count === before + 1, 'the update counted by the page');
    await page.waitForTimeout(500);
    expect([...fetches.values()]).toEqual([0, 0]);
    await scrollPage('top');
    await until(() => lineRows(page, second), (rows) => rows === STEPS + 1, `${second} back with the step it missed`, 30_000);
    await until(() => lineRows(page, first), (rows) => rows !== undefined, `${first} back`);
    expect([...fetches.values()]).toEqual([1, 1]);
    const back = plotNamed(await probePlots(page), first);
    expect(back.xRange[0]).toBeCloseTo(zoomed.xRange[0], 9);
    expect(back.xRange[1]).toBeCloseTo(zoomed.xRange[1], 9);
    expect(back.yRange[0]).toBeCloseTo(zoomed.yRange[0], 9);
    expect(back.yRange[1]).toBeCloseTo(zoomed.yRange[1], 9);
    expect(await until(() => legendOf(page, first), (legend) => legend !== undefined, 'the legend back')).toEqual({ inactive: true, lineVisible: false });
  });
});
