/**
 * A server bound beyond loopback, opened in headless Chromium the way a user opens it: the
 * URL the CLI printed (with ?token=) gives the page, which then follows its data with the
 * cookie alone; a browser without the token gets the short 401 page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLogger } from '@streamvis/logger';
import { launchChromium, type Chromium } from './chromium.js';
import { plotNamed, probeUntil } from './page-probe.js';
import { startNode, type NodeProcess } from './processes.js';

const RUN = 'behind-a-token';

describe('the page of a server that asks for a token', () => {
  let dir: string;
  let logger: DataLogger;
  let server: NodeProcess;
  let chromium: Chromium;
  /** The printed URL, reached through 127.0.0.1 (the server listens on every interface). */
  let url: URL;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamvis-token-'));
    const log = join(dir, 'run.svlog');
    logger = new DataLogger(RUN);
    await logger.initWriteLog(log);
    logger.tandemLines('loss', 0, [1, 2]);
    await logger.flush();
    server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, log, '--host', '0.0.0.0']);
    const [printed] = await server.waitFor(/http:\/\/0\.0\.0\.0:\d+\/\?token=\S+/, 20_000);
    url = new URL(printed);
    url.hostname = '127.0.0.1';
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await Promise.allSettled([chromium?.close(), server?.stop(), logger?.shutdown()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('without the token, shows the 401 page and no data', async () => {
    const page = await chromium.context.newPage();
    const response = await page.goto(`http://127.0.0.1:${url.port}/`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('h1').textContent()).toBe('This streamvis server needs its token');
    await page.close();
  });

  it('the printed URL opens the page, drops the token from the address, and the page follows new data with the cookie', async () => {
    const page = await chromium.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(url.href);
    expect(page.url()).toBe(`http://127.0.0.1:${url.port}/`);
    expect(await page.locator('h1 .run').textContent()).toBe(RUN);
    await probeUntil(page, (plots) => plots.length === 1 && plots[0].lengths[0] === 1);

    logger.tandemLines('loss', 1, [3, 4]);
    await logger.flush();
    expect(plotNamed(await probeUntil(page, (plots) => plots[0]?.lengths[0] === 2), 'loss').columns.x).toEqual([0, 1]);
    // The cookie is the page's, not its scripts': HttpOnly.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(problems).toEqual([]);
  });
});
