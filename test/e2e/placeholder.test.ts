/**
 * A laid-out plot without data yet still has its cell on the page, saying it waits for
 * data, and its figure takes the cell once data arrives (real server CLI, headless Chromium).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { plotNamed, probeUntil } from './page-probe.js';
import { startNode, type NodeProcess } from './processes.js';

const RUN = 'placeholders';

describe('layout cells waiting for data', () => {
  let dir: string;
  let logger: DataLogger;
  let server: NodeProcess;
  let chromium: Chromium;
  let page: Page;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamvis-placeholder-'));
    const log = join(dir, 'run.svlog');
    logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    logger.setLayout({ loss: [0, 0, 1, 1], embedding: [0, 1, 1, 1], wide: [1, 0, 1, 2] });
    logger.tandemLines('loss', 0, [1, 2]);
    await logger.flush();
    server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, log]);
    const [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.goto(url);
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), logger?.shutdown()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows each laid-out plot without data as a placeholder in its cell', async () => {
    await probeUntil(page, (plots) => plots.length === 1);
    const cells = page.locator('section.cell');
    await expect.poll(() => cells.count()).toBe(3);
    expect(await page.locator('[data-plot="embedding"]').textContent()).toContain('embedding: waiting for data');
    expect(await page.locator('[data-plot="wide"]').textContent()).toContain('wide: waiting for data');
    // The placeholder holds the cell's place: 'wide' spans the row below both.
    const wide = (await page.locator('[data-plot="wide"]').boundingBox())!;
    const embedding = (await page.locator('[data-plot="embedding"]').boundingBox())!;
    expect(wide.y).toBeGreaterThan(embedding.y);
    expect(wide.width).toBeGreaterThan(1.5 * embedding.width);
  });

  it('draws the plot in its cell once its data arrives', async () => {
    logger.scatter('embedding', [[0, 1], [1, 0], [2, 2]], { spatialDim: 1, append: false });
    await logger.flush();
    const plots = await probeUntil(page, (shown) => shown.length === 2);
    expect(plotNamed(plots, 'embedding').lengths).toEqual([3]);
    expect(await page.locator('[data-plot="embedding"]').textContent()).not.toContain('waiting for data');
    expect(await page.locator('[data-plot="wide"]').textContent()).toContain('wide: waiting for data');
  });
});
