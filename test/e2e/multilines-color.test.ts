/**
 * Multilines coloured by a slice of the data (`multiLines(..., {color: ColorSpec})`), end to
 * end: the real logger writes the log, the real server CLI tails it, headless Chromium draws
 * the page. Each line takes its palette colour from its index along the colour axis: read
 * from the BokehJS renderer and from the pixels of a real screenshot. A live append that
 * gives the lines new colour values recolours them without a reload.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ColorSpec, DataLogger, ndarray } from '@streamvis/logger';
import type { PlotSnapshot } from '@streamvis/server';
import { launchChromium, type Chromium } from './chromium.js';
import { drawnLines, plotNamed, probeUntil, type DrawnLine } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const RUN = 'seeds';
const SCREENSHOT = join(REPO, 'test-output', 'multilines-color.png');
/** 3 seeds (the colour axis) x 2 runs of each: 6 lines; line s * 2 + r is drawn at height y = s * 2 + r. */
const [SEEDS, RUNS] = [3, 2];

/** [SEEDS, RUNS, points, (x, y)]: each line horizontal at its own height, x from `from`. */
function paths(from: number, points: number): ReturnType<typeof ndarray> {
  const data = new Float64Array(SEEDS * RUNS * points * 2);
  for (let line = 0; line < SEEDS * RUNS; line++) {
    for (let p = 0; p < points; p++) data.set([from + p, line], 2 * (line * points + p));
  }
  return ndarray(data, [SEEDS, RUNS, points, 2]);
}

/** The same lines with a third coordinate, each line's colour value at every point: `values[line]`. */
function valuedPaths(from: number, points: number, values: readonly number[]): ReturnType<typeof ndarray> {
  const data = new Float64Array(SEEDS * RUNS * points * 3);
  for (let line = 0; line < SEEDS * RUNS; line++) {
    for (let p = 0; p < points; p++) data.set([from + p, line, values[line]], 3 * (line * points + p));
  }
  return ndarray(data, [SEEDS * RUNS, points, 3]);
}

/** Viridis256 entry `value` maps to (BokehJS's LinearColorMapper over [0, 1]), as [r, g, b]. */
async function viridisAt(page: Page, value: number): Promise<[number, number, number]> {
  const rgba = await page.evaluate(() => Array.from((window as unknown as { Bokeh: { Palettes: { Viridis256: number[] } } }).Bokeh.Palettes.Viridis256));
  const colour = rgba[Math.min(255, Math.floor(value * 256))];
  return [(colour >>> 24) & 255, (colour >>> 16) & 255, (colour >>> 8) & 255];
}

/** Sum over r, g, b of the absolute differences. */
const distance = (a: readonly number[], b: readonly number[]) => a.reduce((sum, c, k) => sum + Math.abs(c - b[k]), 0);
/** The colour a line of alpha 0.85 in colour `c` shows over the white figure. */
const overWhite = (c: readonly number[]) => c.map((v) => 0.85 * v + 0.15 * 255);

describe('multilines coloured by a slice dim, in headless Chromium', () => {
  let dir: string;
  let log: string;
  let server: NodeProcess;
  let chromium: Chromium;
  let logger: DataLogger;

  beforeAll(async () => {
    if (!existsSync(join(REPO, SERVER_CLI))) throw new Error(`${SERVER_CLI} is missing: run \`npm run build\` first`);
    dir = await mkdtemp(join(tmpdir(), 'streamvis-mlcolor-'));
    log = join(dir, 'run.svlog');
    logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    // Lines are the (seed, run) pairs; the colour comes from the seed axis.
    logger.multiLines('paths', paths(0, 40), { lineDims: [0, 1], spatialDim: 3, append: true, color: new ColorSpec('Viridis256', 0), colorLabel: 'seed' });
    await logger.flush();
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), logger?.shutdown()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives each line its palette colour by its index along the colour axis, with a colour bar, and recolours on a live append', async () => {
    server = startNode(SERVER_CLI, ['file', '0', RUN, log]);
    const url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
    chromium = await launchChromium();
    const page = await chromium.context.newPage();
    await page.goto(url);

    // Lines run row-major over (seed, run): seed s / 2 for both runs of seed s.
    const bySeed = [0, 0, 0.5, 0.5, 1, 1];
    const plots = await probeUntil(page, (shown) => shown.find((p) => p.title === 'paths')?.columns.color?.length === 6);
    const plot = plotNamed(plots, 'paths');
    expect(plot.glyphs).toEqual(['MultiLine']);
    expect(plot.columns.color).toEqual(bySeed);
    expect(plot.columns.xs).toEqual(Array(6).fill(40));
    expect(plot.colorBars).toBe(1);
    await expectDrawn(page, bySeed);
    await page.screenshot({ path: SCREENSHOT });

    // A live append with the colour values in the data (reversed, 1 down to 0) recolours every line.
    const reversed = [1, 0.75, 0.5, 0.25, 0.125, 0];
    logger.multiLines('paths', valuedPaths(40, 10, reversed), { lineDims: [0], spatialDim: 2, append: true, color: new ColorSpec('Viridis256') });
    await logger.flush();
    const again = plotNamed(await probeUntil(page, (shown) => shown.find((p) => p.title === 'paths')?.columns.color?.[0] === 1), 'paths');
    expect(again.columns.color).toEqual(reversed);
    expect(again.columns.xs).toEqual(Array(6).fill(50));
    await expectDrawn(page, reversed);

    // The server's JSON answer holds the same: the points and one colour value per line.
    const served = (await (await fetch(new URL(`/api/runs/${RUN}/plots/paths`, url))).json()) as PlotSnapshot;
    expect(served.opts).toMatchObject({ palette: 'Viridis256', colorLabel: 'seed' });
    expect(served.columns.color).toEqual(reversed);
    expect((served.columns.ys as number[][]).map((ys) => ys[45])).toEqual([0, 1, 2, 3, 4, 5]);
    await page.close();
  });

  /** Each line is mapped to the Viridis256 colour of its value, drawn in that colour, and lines of different values differ on screen. */
  async function expectDrawn(page: Page, values: readonly number[]): Promise<void> {
    const lines: DrawnLine[] = await drawnLines(page, 'paths');
    expect(lines.map((line) => line.value)).toEqual(values);
    for (const line of lines) {
      expect(line.mapped).toEqual(await viridisAt(page, line.value));
      expect(distance(line.drawn, overWhite(line.mapped)), JSON.stringify(line)).toBeLessThan(30);
    }
    for (const [i, a] of lines.entries()) {
      for (const b of lines.slice(i + 1)) {
        if (a.value !== b.value) expect(distance(a.drawn, b.drawn), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBeGreaterThan(40);
      }
    }
  }
});
