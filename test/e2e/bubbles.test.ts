/**
 * Bubble plots end to end: this test logs cluster records to a file with the real
 * DataLogger, the real server CLI clusters them, and headless Chromium shows the bubbles.
 * Assertions read BokehJS's models in the page and compare them with the cluster API.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { pointOnScreen } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const CLIENT_BUNDLE = 'packages/server/dist/view/client.js';
const RUN = 'bubbles';
const PLOT = 'flow';
const COLUMNS = ['lorem', 'ipsum', 'dolor'];
const SCREENSHOT = join(REPO, 'test-output', 'bubbles.png');
/** Category20 as CSS colours (each hue dark, then light). */
const CATEGORY20 = ['#1f77b4', '#aec7e8', '#ff7f0e', '#ffbb78', '#2ca02c', '#98df8a', '#d62728', '#ff9896', '#9467bd', '#c5b0d5',
  '#8c564b', '#c49c94', '#e377c2', '#f7b6d2', '#7f7f7f', '#c7c7c7', '#bcbd22', '#dbdb8d', '#17becf', '#9edae5'];

/** Colour by id: id mod 20, dark tones first, so neighbouring ids differ in hue. */
const idSlot = (id: number) => (id % 20 < 10 ? 2 * (id % 20) : 2 * (id % 20 - 10) + 1);

/** Four blobs of different sizes (counts) in 3-d; `shift` moves them all along lorem and ipsum. */
function blobs(shift: number): number[][] {
  const centers = [[0, 0, 1], [10, 0, 2], [0, 10, 3], [10, 10, 4]];
  const sizes = [40, 80, 120, 160];
  return centers.flatMap((center, b) =>
    Array.from({ length: sizes[b] }, (_, i) => [center[0] + shift + Math.sin(i * 1.7), center[1] + shift / 2 + Math.cos(i * 2.3), center[2] + 0.1 * Math.sin(i)]),
  );
}

interface Clusters {
  centers: number[][];
  counts: number[];
  ids: number[];
  columns: string[];
  noise: number;
}

/** What the page draws for the bubble plot, read from its Bokeh data source. */
interface DrawnBubbles {
  columns: Record<string, number[]>;
  colors: string[];
  xLabel: string;
  tooltips: string[];
}

function drawnBubbles(page: Page): Promise<DrawnBubbles | undefined> {
  return page.evaluate((plot) => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root?.title as { text: string } | undefined)?.text === plot);
    if (!figure) return undefined;
    const renderer = (figure.renderers as Model[]).find((r) => r.type === 'GlyphRenderer')!;
    const data = (renderer.data_source as { data: Record<string, ArrayLike<unknown>> }).data;
    const columns: Record<string, number[]> = {};
    for (const [name, values] of Object.entries(data)) if (name !== '__color') columns[name] = Array.from(values as ArrayLike<number>);
    const hover = ((figure.toolbar as Model).tools as Model[]).find((tool) => tool.type === 'HoverTool')!;
    return {
      columns,
      colors: Array.from(data.__color as ArrayLike<string>),
      xLabel: String(((figure.below as Model[])[0] as Model).axis_label),
      tooltips: (hover.tooltips as [string, string][]).map(([label]) => label),
    };
  }, PLOT);
}

describe('bubble plot in headless Chromium', () => {
  let dir: string;
  let log: string;
  let logger: DataLogger;
  let server: NodeProcess;
  let url: string;
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];

  const clusters = async (): Promise<Clusters> => (await fetch(new URL(`/api/runs/${RUN}/plots/${PLOT}/clusters`, url))).json() as Promise<Clusters>;
  const logBlobs = async (shift: number, outliers: number[][] = []) => {
    logger.cluster(PLOT, [...blobs(shift), ...outliers], { columns: COLUMNS, k: 4, frameSize: 400, seed: 3 });
    await logger.flush();
  };
  /** Polls the page until the drawn bubbles have settled on `expected` (their transition is over). */
  async function settledOn(expected: Clusters, column = 'lorem', timeoutMs = 20_000): Promise<DrawnBubbles> {
    const index = expected.columns.indexOf(column);
    const deadline = Date.now() + timeoutMs;
    let drawn: DrawnBubbles | undefined;
    while (Date.now() < deadline) {
      drawn = await drawnBubbles(page).catch(() => undefined);
      const x = drawn?.columns.__x;
      if (x && x.length === expected.ids.length && x.every((value, row) => Math.abs(value - expected.centers[row][index]) < 1e-9)) return drawn!;
      await page.waitForTimeout(50);
    }
    throw new Error(`the bubbles did not settle on ${JSON.stringify(expected)}; last drawn: ${JSON.stringify(drawn?.columns)}`);
  }

  beforeAll(async () => {
    for (const file of [SERVER_CLI, CLIENT_BUNDLE]) {
      if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
    }
    dir = await mkdtemp(join(tmpdir(), 'streamvis-bubbles-'));
    log = join(dir, 'bubbles.svlog');
    logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    await logBlobs(0);
    server = startNode(SERVER_CLI, ['file', '0', RUN, log]);
    url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    await page.goto(url);
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), logger?.shutdown()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws one bubble per visible cluster at its center, area by count, colour by stable id, with hover and pickers', async () => {
    const expected = await clusters();
    expect(expected.ids).toHaveLength(4);
    const drawn = await settledOn(expected);

    expect(drawn.columns.id).toEqual(expected.ids);
    expect(drawn.columns.count).toEqual(expected.counts);
    expect(drawn.columns.__y).toEqual(expected.centers.map((c) => c[1]));
    // Area in proportion to count: diameter² / count is the same for every bubble.
    const areaPerCount = drawn.columns.__size.map((size, row) => size ** 2 / expected.counts[row]);
    for (const ratio of areaPerCount) expect(ratio).toBeCloseTo(areaPerCount[0], 6);
    expect(new Set(expected.counts).size).toBe(4);
    expect(drawn.colors).toEqual(expected.ids.map((id) => CATEGORY20[idSlot(id)]));
    expect(drawn.xLabel).toBe('lorem');
    expect(drawn.tooltips).toEqual(['id', 'count', ...COLUMNS]);

    const pickers = page.locator(`[data-plot="${PLOT}"] select`);
    expect(await pickers.count()).toBe(4);
    expect(await page.locator(`[data-plot="${PLOT}"] select[name="x"]`).inputValue()).toBe('lorem');
    expect(await page.locator(`[data-plot="${PLOT}"] select[name="y"]`).inputValue()).toBe('ipsum');
  });

  it('glides the bubbles to their new centers on the next update, keeping ids and colours', async () => {
    const before = await clusters();
    const drawnBefore = await settledOn(before);
    // Record, frame by frame in the page, the x of the first bubble while the update arrives.
    const trace = page.evaluate(
      ([plot, target]) =>
        new Promise<number[]>((resolve) => {
          interface Model {
            [key: string]: unknown;
          }
          const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
          const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === plot)!;
          const source = ((figure.renderers as Model[])[0].data_source as { data: Record<string, ArrayLike<number>> });
          const seen: number[] = [];
          const started = performance.now();
          const sample = () => {
            const x = source.data.__x[0];
            if (seen[seen.length - 1] !== x) seen.push(x);
            if (Math.abs(x - target) < 1e-6 || performance.now() - started > 15_000) resolve(seen);
            else requestAnimationFrame(sample);
          };
          sample();
        }),
      [PLOT, before.centers[0][0] + 3] as const,
    );
    await logBlobs(3);

    let after = await clusters();
    for (const deadline = Date.now() + 20_000; after.centers[0][0] === before.centers[0][0] && Date.now() < deadline; ) {
      await page.waitForTimeout(50);
      after = await clusters();
    }
    expect(after.ids).toEqual(before.ids);
    const drawnAfter = await settledOn(after);
    const xs = await trace;
    // Moved by the shift...
    drawnAfter.columns.__x.forEach((x, row) => expect(x - drawnBefore.columns.__x[row]).toBeCloseTo(3, 0));
    drawnAfter.columns.__y.forEach((y, row) => expect(y - drawnBefore.columns.__y[row]).toBeCloseTo(1.5, 0));
    // ...through positions in between, not in one jump.
    const [from, to] = [drawnBefore.columns.__x[0], drawnAfter.columns.__x[0]];
    expect(xs.filter((x) => x > from + 0.01 && x < to - 0.01).length).toBeGreaterThan(0);
    expect(drawnAfter.colors).toEqual(drawnBefore.colors);
  });

  it('hovering a bubble shows its id, count and every column', async () => {
    const expected = await clusters();
    await settledOn(expected);
    const at = await pointOnScreen(page, PLOT, 0);
    await page.mouse.move(at.x, at.y);
    const tooltip = page.locator('.bk-Tooltip').filter({ hasText: 'count' });
    await tooltip.first().waitFor({ state: 'visible', timeout: 10_000 });
    // The tooltip draws its rows inside its shadow root.
    const text = await tooltip.first().evaluate((element) => {
      const textOf = (node: Node): string =>
        node.nodeType === Node.TEXT_NODE ? ` ${node.textContent ?? ''}` : [...((node as Element).shadowRoot?.childNodes ?? []), ...node.childNodes].map(textOf).join('');
      return textOf(element).replace(/\s+/g, ' ');
    });
    expect(text).toContain(`id: ${expected.ids[0]}`);
    expect(text).toContain(`count: ${expected.counts[0]}`);
    for (const [j, column] of COLUMNS.entries()) expect(text).toContain(`${column}: ${expected.centers[0][j].toFixed(3)}`);
    await mkdir(join(REPO, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await page.mouse.move(0, 0);
  });

  it('a key names the live ids in their colours and what size means; few bubbles carry their id; a colour column gets a colour bar', async () => {
    const expected = await clusters();
    const drawn = await settledOn(expected);
    const key = page.locator(`[data-plot="${PLOT}"] .bubble-key`);
    expect(await key.locator('[data-id]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.id))).toEqual(expected.ids.map(String));
    expect(await key.locator('.bubble-scale').innerText()).toBe(`size: area ∝ count, up to ${Math.max(...expected.counts).toLocaleString('en-US')}`);
    expect(drawn.columns.__label).toHaveLength(expected.ids.length);
    const labels = await page.evaluate((plot) => {
      interface Model {
        [key: string]: unknown;
      }
      const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
      const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === plot)!;
      const source = ((figure.renderers as Model[])[0].data_source as Model & { data: Record<string, unknown[]> }).data;
      const bars = (figure.right as Model[]).filter((m) => (m as { type?: string }).type === 'ColorBar') as (Model & { visible: boolean })[];
      return { labels: Array.from(source.__label as string[]), bars: bars.map((bar) => bar.visible) };
    }, PLOT);
    expect(labels.labels).toEqual(expected.ids.map(String));
    expect(labels.bars).toEqual([false]);

    await page.locator(`[data-plot="${PLOT}"] select[name="color"]`).selectOption(COLUMNS[2]);
    await expect.poll(() => key.locator('.bubble-ids').innerText()).toMatch(new RegExp(`^colour: ${COLUMNS[2]} `));
    const bars = await page.evaluate((plot) => {
      interface Model {
        [key: string]: unknown;
      }
      const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
      const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === plot)!;
      return (figure.right as Model[]).filter((m) => (m as { type?: string }).type === 'ColorBar').map((bar) => (bar as Model & { visible: boolean }).visible);
    }, PLOT);
    expect(bars).toEqual([true]);
    await page.locator(`[data-plot="${PLOT}"] select[name="color"]`).selectOption('id');
  });

  it('the X picker puts another column on the x axis', async () => {
    await page.locator(`[data-plot="${PLOT}"] select[name="x"]`).selectOption('dolor');
    const drawn = await settledOn(await clusters(), 'dolor');
    expect(drawn.xLabel).toBe('dolor');
    expect(problems).toEqual([]);
  });

  it('the key tells how many points of the frame are noise (labelled -1, no bubble), frame after frame', async () => {
    const noiseText = page.locator(`[data-plot="${PLOT}"] .bubble-key .bubble-noise`);
    const before = await clusters();
    await expect.poll(() => noiseText.innerText(), { timeout: 10_000 }).toBe(`noise: ${before.noise.toLocaleString('en-US')} point${before.noise === 1 ? '' : 's'}`);
    // Five points far from every blob: the frame holds them as noise, and the key says so on the next frame.
    await logBlobs(3, Array.from({ length: 5 }, (_, i) => [60 + 7 * i, -40 - 3 * i, 30 + 11 * i]));
    let after = await clusters();
    for (const deadline = Date.now() + 20_000; after.noise === before.noise && Date.now() < deadline; ) {
      await page.waitForTimeout(50);
      after = await clusters();
    }
    expect(after.noise).toBeGreaterThanOrEqual(5);
    expect(after.ids).toHaveLength(4);
    await expect.poll(() => noiseText.innerText(), { timeout: 10_000 }).toBe(`noise: ${after.noise.toLocaleString('en-US')} points`);
    expect(await noiseText.isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
