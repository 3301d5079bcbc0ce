/**
 * Big reads never freeze the server: fifty scripts read a 1,000,000-row plot at once from
 * the real server CLI while a live page's change stream and /api/health are watched. The
 * plot's JSON is encoded once per version, in turns, and streamed with backpressure.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type NodeProcess } from './e2e/processes.js';
import { LogWriter } from './support/log-writer.js';
import { SseStream } from './support/server-sse.js';

const RUN = 'load';
const STEPS = 1_000_000;
const READERS = 50;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

describe('fifty concurrent reads of a 1M-row plot', () => {
  let dir: string;
  let log: LogWriter;
  let server: NodeProcess;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamvis-load-'));
    const path = join(dir, 'load.svlog');
    log = await LogWriter.create(path, RUN);
    for (let step = 0; step < STEPS; step++) await log.lines('loss', step, [1 / (1 + step), step % 10]);
    await log.flush();
    server = startNode('packages/server/dist/cli.js', ['file', '0', RUN, path]);
    [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\//, 20_000);
    await server.waitFor(/history read/, 60_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([server?.stop(), log?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers every reader in full while health stays quick and the change stream keeps flowing', { timeout: 120_000 }, async () => {
    const changes = await SseStream.open(new URL(`/api/runs/${RUN}/changes`, url).href);
    await changes.next();
    let reading = true;

    // A live producer: one step every 100 ms; the change stream should tell each within a second.
    const gaps: number[] = [];
    const producer = (async () => {
      for (let step = STEPS; reading; step++) {
        await log.lines('other', step, [step]);
        await log.flush();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const listener = (async () => {
      let last = performance.now();
      while (reading) {
        const event = await changes.next(5_000).catch(() => undefined);
        if (!event) break;
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
    })();
    const healthTimes: number[] = [];
    const health = (async () => {
      while (reading) {
        const started = performance.now();
        const response = await fetch(new URL('/api/health', url));
        expect(response.status).toBe(200);
        await response.json();
        healthTimes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const plotUrl = new URL(`/api/runs/${RUN}/plots/loss`, url).href;
    const readers = startNode('test/fixtures/readers.mjs', [plotUrl, String(READERS)]);
    const [line] = await readers.waitFor(/^\[.*\]$/m, 100_000);
    await readers.stop();
    reading = false;
    await Promise.all([producer, listener, health]);
    changes.close();

    // Every reader got the whole plot, the same bytes as one reader alone; it holds a million rows as logged.
    const response = await fetch(plotUrl);
    const body = Buffer.from(await response.arrayBuffer());
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(JSON.parse(line)).toEqual(Array.from({ length: READERS }, () => ({ status: 200, bytes: body.length, sha256 })));
    const plot = JSON.parse(body.toString('utf8')) as { length: number; columns: { x: number[]; y0: number[]; y1: number[] } };
    expect(plot.length).toBe(STEPS);
    expect(plot.columns.x.length).toBe(STEPS);
    expect(plot.columns.y0[999_999]).toBe(1 / 1_000_000);
    expect(plot.columns.y1.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);

    // Bounds wide enough for a loaded 2-core CI machine (other test files run beside this
    // one), tight enough to catch a server that encodes in one go: health then took up to
    // 115 s and the stream stalled 11 s. The quiet-machine figures are in npm run bench.
    expect(healthTimes.length).toBeGreaterThan(5);
    expect(percentile(healthTimes, 50)).toBeLessThan(250);
    expect(percentile(healthTimes, 99)).toBeLessThan(2_000);
    expect(gaps.length).toBeGreaterThan(5);
    expect(percentile(gaps, 99)).toBeLessThan(3_000);
  });
});
