/**
 * A producer that restarts: its new DataLogger calls clear() and logs from step 0 again;
 * the open page (headless Chromium, the real server CLI on the real log) shows only the new
 * data, without a reload. A restart without clear() is not drawn backwards either.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { FileSource, startServer, type PlotSnapshot } from '@streamvis/server';
import { launchChromium, type Chromium } from './chromium.js';
import { plotNamed, probeUntil } from './page-probe.js';
import { REPO, startNode, type NodeProcess } from './processes.js';

const SERVER_CLI = 'packages/server/dist/cli.js';
const RUN = 'restarts';

async function produce(log: string, steps: number, from: number, value: (step: number) => number, clear: boolean): Promise<void> {
  const logger = new DataLogger(RUN);
  await logger.initWriteLog(log);
  if (clear) logger.clear();
  for (let step = from; step < from + steps; step++) logger.tandemLines('loss', step, [value(step)]);
  logger.scatter('points', [[clear ? 9 : 1, 2]], { spatialDim: 1, append: true });
  await logger.shutdown();
}

describe('a restarted producer in headless Chromium', () => {
  let dir: string;
  let log: string;
  let server: NodeProcess;
  let chromium: Chromium;

  beforeAll(async () => {
    if (!existsSync(join(REPO, SERVER_CLI))) throw new Error(`${SERVER_CLI} is missing: run \`npm run build\` first`);
    dir = await mkdtemp(join(tmpdir(), 'streamvis-clear-'));
    log = join(dir, 'run.svlog');
    await produce(log, 500, 0, (step) => 10 + step, false);
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('clear() then new data: the page shows only the new data, live, and so does a replay of the log', async () => {
    server = startNode(SERVER_CLI, ['file', '0', RUN, log]);
    const url = (await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 20_000))[0];
    chromium = await launchChromium();
    const page = await chromium.context.newPage();
    await page.goto(url);
    await probeUntil(page, (plots) => plots.find((p) => p.title === 'loss')?.columns.x?.length === 500);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));

    await produce(log, 50, 0, (step) => -step - 1, true);
    const plots = await probeUntil(page, (shown) => shown.find((p) => p.title === 'loss')?.columns.x?.length === 50 && shown.find((p) => p.title === 'points')?.columns.x?.[0] === 9);
    const loss = plotNamed(plots, 'loss');
    expect(loss.columns.x).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(loss.columns.y0).toEqual(Array.from({ length: 50 }, (_, i) => -i - 1));
    expect(plotNamed(plots, 'points').columns.x).toEqual([9]); // the old point went with the clear
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    // A third producer restarts at step 20 without clear(): the line goes on from 20, not back to it.
    await produce(log, 5, 20, () => 7, false);
    const again = await probeUntil(page, (shown) => shown.find((p) => p.title === 'loss')?.columns.x?.length === 25);
    expect(plotNamed(again, 'loss').columns.x).toEqual([...Array.from({ length: 20 }, (_, i) => i), 20, 21, 22, 23, 24]);
    await page.close();

    // A replay of the log (all three producers' records) comes to the same.
    const replay = await startServer({ mode: 'file', port: 0, run: RUN, source: new FileSource(log) });
    try {
      const served = (await (await fetch(new URL(`/api/runs/${RUN}/plots/loss`, replay.url))).json()) as PlotSnapshot;
      expect(served.columns.x).toEqual(plotNamed(again, 'loss').columns.x);
    } finally {
      await replay.close();
    }
  });
});
