/**
 * The page's controls in headless Chromium, on a log written by the real DataLogger and
 * served by the real server CLI: log y, smoothing, the last N steps, full screen, pause
 * and resume, linked x, and the data as CSV. Each control's state lives in the URL, so a
 * reload (or a shared link) shows the same view.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import type { PlotSnapshot } from '@streamvis/server';
import { launchChromium, type Chromium } from './chromium.js';
import { until } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const RUN = 'controls';
const STEPS = 2_000;

/** A noisy loss (smoothing has something to smooth) that stays above 0 (a log axis can show it). */
const lossOf = (step: number) => Math.exp(-step / 500) + 0.05 * (1 + Math.sin(step * 12.9898) ** 2);

interface LinesProbe {
  yScale: string;
  /** Per glyph renderer: its y field, whether it is visible, its alpha. */
  lines: { field: string; visible: boolean; alpha: number }[];
  x: number[];
  y0: number[];
  s0?: number[];
  xRange: [number, number];
}

function probeLines(page: Page, title: string): Promise<LinesProbe | undefined> {
  return page.evaluate((wanted) => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === wanted);
    if (!figure) return undefined;
    const renderers = (figure.renderers as Model[]).filter((r) => r.type === 'GlyphRenderer');
    const data = (renderers[0].data_source as Model & { data: Record<string, ArrayLike<number>> }).data;
    const range = figure.x_range as Model & { start: number; end: number };
    return {
      yScale: (figure.y_scale as Model).type,
      lines: renderers.map((r) => {
        const glyph = r.glyph as Model & { y: { field: string }; line_alpha: number | { value: number } };
        return { field: glyph.y.field, visible: r.visible as boolean, alpha: typeof glyph.line_alpha === 'number' ? glyph.line_alpha : glyph.line_alpha.value };
      }),
      x: Array.from(data.x),
      y0: Array.from(data.y0),
      ...(data.s0 ? { s0: Array.from(data.s0) } : {}),
      xRange: [range.start, range.end] as [number, number],
    };
  }, title);
}


/** Sum of squared differences between neighbours: what smoothing lowers. */
const roughness = (values: number[]) => values.slice(1).reduce((sum, v, i) => sum + (v - values[i]) ** 2, 0);

describe('page controls in headless Chromium', () => {
  let dir: string;
  let log: string;
  let server: NodeProcess;
  let url: string;
  let chromium: Chromium;
  let live: DataLogger;
  let liveStep = 0;
  let ticker: ReturnType<typeof setInterval>;
  const problems: string[] = [];
  let setupError: unknown;

  beforeAll(async () => {
    try {
      if (!existsSync(join(REPO, SERVER_CLI))) throw new Error(`${SERVER_CLI} is missing: run \`npm run build\` first`);
      dir = await mkdtemp(join(tmpdir(), 'streamvis-controls-'));
      log = join(dir, 'run.svlog');
      const logger = new DataLogger(RUN);
      await logger.initWriteLog(log);
      for (let step = 0; step < STEPS; step++) logger.tandemLines('loss', step, [lossOf(step)]);
      for (let step = 0; step < STEPS; step++) logger.tandemLines('accuracy', step, [1 - lossOf(step) / 2]);
      const look = { title: 'Training loss', xLabel: 'step', yLabel: 'loss (nats)', names: ['train', 'valid'], yScale: 'log' as const };
      for (let step = 0; step < 100; step++) logger.tandemLines('named', step, [lossOf(step), 2 * lossOf(step)], step === 0 ? look : {});
      await logger.shutdown();
      // A producer that keeps going: plot 'live' gains a step every 50 ms.
      live = new DataLogger(RUN);
      await live.initWriteLog(log);
      ticker = setInterval(() => live.tandemLines('live', liveStep, [liveStep++]), 50);
      server = startNode(SERVER_CLI, ['file', '0', RUN, log]);
      url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
      await server.waitFor(/history read/, 20_000);
      chromium = await launchChromium();
    } catch (error) {
      setupError = error;
    }
  });

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    clearInterval(ticker);
    await live?.shutdown();
    await Promise.allSettled([chromium?.close(), server?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(query = ''): Promise<Page> {
    const page = await chromium.context.newPage();
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${url}${query}`);
    return page;
  }

  it('smoothing draws a moving average over the faded raw line, and changes no data', async () => {
    const page = await open();
    await until(() => probeLines(page, 'loss'), (probe) => probe?.x.length === STEPS, 'the loss line');
    await page.locator('[data-plot="loss"] [data-control="smooth"]').fill('0.9');
    const probe = (await until(() => probeLines(page, 'loss'), (p) => p?.lines.some((line) => line.field === 's0' && line.visible) === true, 'a smoothed line'))!;
    expect(probe.y0).toEqual(Array.from({ length: STEPS }, (_, step) => lossOf(step))); // the raw data, unchanged
    expect(probe.lines.find((line) => line.field === 'y0')!.alpha).toBeLessThan(0.5);
    expect(roughness(probe.s0!)).toBeLessThan(roughness(probe.y0) / 10);
    // Debiased: the average starts at the first value, not at 0.
    expect(probe.s0![0]).toBeCloseTo(probe.y0[0], 12);
    const served = (await (await fetch(new URL(`/api/runs/${RUN}/plots/loss`, url))).json()) as PlotSnapshot;
    expect(served.columns.y0).toEqual(probe.y0);
    expect(new URL(page.url()).searchParams.getAll('smooth')).toEqual(['loss:0.9']);
    await page.close();
  });

  it('log y, smoothing and the last N steps come back from the URL after a reload', async () => {
    const page = await open('?logy=loss&smooth=loss:0.6&last=loss:500');
    const check = async () => {
      const probe = (await until(() => probeLines(page, 'loss'), (p) => p?.yScale === 'LogScale' && p.x.length > 0 && p.x.length <= 502, 'a log axis over the last 500 steps'))!;
      // The last 500 steps, and the step before them (the line enters the plot from its left edge).
      expect(probe.x[0]).toBeGreaterThanOrEqual(STEPS - 502);
      expect(probe.x[1]).toBeLessThanOrEqual(STEPS - 500);
      expect(probe.x.at(-1)).toBe(STEPS - 1);
      expect(probe.lines.find((line) => line.field === 's0')?.visible).toBe(true);
      expect(await page.locator('[data-plot="loss"] [data-control="logy"]').isChecked()).toBe(true);
      expect(await page.locator('[data-plot="loss"] [data-control="smooth"]').inputValue()).toBe('0.6');
      expect(await page.locator('[data-plot="loss"] [data-control="last"]').inputValue()).toBe('500');
      // The other plot keeps its own, plain view.
      expect((await probeLines(page, 'accuracy'))?.yScale).toBe('LinearScale');
    };
    await check();
    await page.reload();
    await check();
    // Unticking log y gives a linear axis again, the smoothing kept.
    await page.locator('[data-plot="loss"] [data-control="logy"]').uncheck();
    const linear = (await until(() => probeLines(page, 'loss'), (p) => p?.yScale === 'LinearScale', 'a linear axis'))!;
    expect(linear.lines.find((line) => line.field === 's0')?.visible).toBe(true);
    expect(new URL(page.url()).searchParams.getAll('logy')).toEqual([]);
    await page.close();
  });

  it('pause stops redraws while updates keep coming and says how many wait; resume catches up at once', async () => {
    const page = await open();
    await until(() => probeLines(page, 'live'), (probe) => (probe?.x.length ?? 0) > 5, 'the live line');
    await page.locator('#pause').click();
    await page.waitForTimeout(300); // a fetch under way when pausing may still land
    const frozen = (await probeLines(page, 'live'))!.x.length;
    await page.waitForTimeout(1_500);
    expect((await probeLines(page, 'live'))!.x.length).toBe(frozen);
    const served = (await (await fetch(new URL(`/api/runs/${RUN}/plots/live`, url))).json()) as PlotSnapshot;
    expect(served.length).toBeGreaterThan(frozen + 10);
    expect(await page.locator('#status [data-part="label"]').innerText()).toMatch(/^paused · [1-9][\d,]* updates waiting$/);

    await page.locator('#pause').click();
    await until(() => probeLines(page, 'live'), (probe) => (probe?.x.length ?? 0) >= served.length, 'the catch-up', 5_000);
    expect(await page.locator('#status [data-part="label"]').innerText()).not.toMatch(/paused/);
    await page.close();
  });

  it('full screen shows one plot on the whole page, in the URL too; Esc goes back', async () => {
    const page = await open();
    await until(() => probeLines(page, 'loss'), (probe) => probe !== undefined, 'the loss line');
    await page.locator('[data-plot="loss"] [data-control="full"]').click();
    const viewport = page.viewportSize()!;
    await expect.poll(async () => (await page.locator('[data-plot="loss"]').boundingBox())!.width).toBeGreaterThan(viewport.width - 5);
    expect(await page.locator('[data-plot="accuracy"]').isVisible()).toBe(false);
    expect(new URL(page.url()).searchParams.get('full')).toBe('loss');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-plot="accuracy"]').isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.has('full')).toBe(false);
    await page.close();
  });

  it('with link x, a box zoom on one lines plot zooms the other lines plots to the same steps', async () => {
    const page = await open('?linkx');
    expect(await page.locator('#linkx').isChecked()).toBe(true);
    await until(() => probeLines(page, 'accuracy'), (probe) => probe?.x.length === STEPS, 'the accuracy line');
    await page.locator('[data-plot="loss"] [title^="Box Zoom"]').click();
    const canvas = (await page.locator('[data-plot="loss"] .bk-Canvas').first().boundingBox())!;
    const [x, y] = [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y + 1, { steps: 4 });
    await page.mouse.move(x + 60, y + 2, { steps: 4 });
    await page.mouse.up();
    const loss = (await until(() => probeLines(page, 'loss'), (p) => p !== undefined && p.xRange[1] - p.xRange[0] < STEPS / 4, 'the zoomed loss plot'))!;
    const accuracy = (await until(() => probeLines(page, 'accuracy'), (p) => p !== undefined && Math.abs(p.xRange[0] - loss.xRange[0]) < 1e-6, 'accuracy zoomed alike'))!;
    expect(accuracy.xRange[1]).toBeCloseTo(loss.xRange[1], 6);
    await page.close();
  });

  it('shows the producer\'s title, axis labels, line names and log axis; the user may switch the axis back, in the URL', async () => {
    const page = await open();
    const read = () =>
      page.evaluate(() => {
        interface Model {
          type: string;
          [key: string]: unknown;
        }
        const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
        const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === 'Training loss');
        if (!figure) return undefined;
        const axis = (side: string) => ((figure[side] as Model[])[0] as Model & { axis_label: string | null }).axis_label;
        const legend = [...(figure.right as Model[])].find((m) => m.type === 'Legend') as (Model & { items: { label: { value: string } }[] }) | undefined;
        return { x: axis('below'), y: axis('left'), yScale: (figure.y_scale as Model).type, legend: legend?.items.map((item) => item.label.value) };
      });
    const shown = await until(read, (probe) => probe !== undefined, 'the titled plot');
    expect(shown).toEqual({ x: 'step', y: 'loss (nats)', yScale: 'LogScale', legend: ['train', 'valid'] });
    expect(await page.locator('[data-plot="named"] [data-control="logy"]').isChecked()).toBe(true);
    await page.locator('[data-plot="named"] [data-control="logy"]').uncheck();
    await until(read, (probe) => probe?.yScale === 'LinearScale', 'a linear axis');
    expect(new URL(page.url()).searchParams.getAll('liny')).toEqual(['named']);
    await page.reload();
    await until(read, (probe) => probe?.yScale === 'LinearScale', 'a linear axis after the reload');
    await page.close();
  });

  it('the CSV download holds exactly the JSON API\'s data', async () => {
    const page = await open();
    await until(() => probeLines(page, 'loss'), (probe) => probe !== undefined, 'the loss line');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-plot="loss"] [data-control="csv"]').click()]);
    expect(download.suggestedFilename()).toBe('loss.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trimEnd().split('\n');
    const json = (await (await fetch(new URL(`/api/runs/${RUN}/plots/loss`, url))).json()) as PlotSnapshot;
    expect(header).toBe('x,y0');
    expect(rows.map((row) => row.split(',').map(Number))).toEqual((json.columns.x as number[]).map((x, i) => [x, (json.columns.y0 as number[])[i]]));
    expect(rows).toHaveLength(STEPS);
    expect(await page.locator('[data-plot="loss"] [data-control="json"]').getAttribute('href')).toBe(`/api/runs/${RUN}/plots/loss`);
    await page.screenshot({ path: join(REPO, 'test-output', 'controls.png') });
    await page.close();
    expect(problems).toEqual([]);
  });
});
