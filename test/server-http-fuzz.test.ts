import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataLogger } from '@streamvis/logger';
import { FileSource, startServer, type RunningServer } from '@streamvis/server';

// Whatever a client sends, the server answers below 500, API errors are JSON {error}, and it keeps serving.

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svfuzz-'));
  const log = join(dir, 'run.svlog');
  const logger = new DataLogger('run');
  await logger.initWriteLog(log);
  logger.tandemLines('loss', 0, [1, 2]);
  logger.scatter('points', [[0, 1], [2, 3]], { spatialDim: 1, append: false });
  logger.cluster('flow', Array.from({ length: 60 }, (_, i) => [i % 3, (i % 3) * 10, i % 2]), { columns: ['a', 'b', 'c'], k: 3 });
  await logger.shutdown();
  server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log) });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const segment = fc.oneof(
  fc.constantFrom('api', 'runs', 'run', 'plots', 'loss', 'points', 'flow', 'clusters', 'clusters.csv', 'predict', 'health', 'static', 'bokeh', 'client.js', 'bokeh.min.js', '..', '.', '%2e%2e', '%', '%zz', '%00', 'nope'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 6 }).map(encodeURIComponent),
);
/** Mostly names that exist, so requests get past the 404s to the handlers. */
const name = fc.oneof({ arbitrary: fc.constantFrom('run', 'loss', 'points', 'flow'), weight: 4 }, { arbitrary: segment, weight: 1 });
const runName = fc.oneof({ arbitrary: fc.constant('run'), weight: 4 }, { arbitrary: name, weight: 1 });
/** Real routes with fuzzed parameters (so handlers are reached), and random segment soup. */
const path = fc.oneof(
  fc.tuple(runName, name).map(([run, plot]) => `/api/runs/${run}/plots/${plot}/predict`),
  fc.tuple(runName, name, fc.constantFrom('', '/clusters', '/clusters.csv')).map(([run, plot, tail]) => `/api/runs/${run}/plots/${plot}${tail}`),
  name.map((run) => `/api/runs/${run}`),
  name.map((run) => `/runs/${run}`),
  name.map((file) => `/static/bokeh/${file}`),
  fc.array(segment, { minLength: 1, maxLength: 7 }).map((parts) => `/${parts.join('/')}`),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json(),
  fc.string({ maxLength: 40 }),
  fc.record({ points: fc.oneof(fc.json(), fc.array(fc.array(fc.oneof(fc.double(), fc.string()), { maxLength: 4 }), { maxLength: 5 })) }).map((b) => JSON.stringify(b)),
  fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 3 }), { maxLength: 5 }).map((points) => JSON.stringify({ points })),
);
const method = fc.oneof({ arbitrary: fc.constantFrom('GET', 'POST'), weight: 3 }, { arbitrary: fc.constantFrom('PUT', 'DELETE', 'OPTIONS', 'HEAD'), weight: 1 });
const request = fc.record({ method, path, body, query: fc.string({ maxLength: 10 }) });

describe('HTTP API under random requests', () => {
  it('never answers 5xx, answers API errors as JSON, and keeps serving', async () => {
    const answered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, body, query }) => {
        const url = new URL(server.url);
        url.pathname = path;
        url.search = query ? `?${encodeURIComponent(query)}` : '';
        const withBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
        const response = await fetch(url, { method, ...(withBody ? { body, headers: { 'content-type': 'application/json' } } : {}) });
        const text = await response.text();
        expect(response.status, `${method} ${url.pathname}`).toBeLessThan(500);
        answered.add(`${method} ${url.pathname.split('/').slice(-1)[0]} ${response.status}`);
        if (response.status >= 400 && method !== 'HEAD' && url.pathname.startsWith('/api/')) {
          expect(typeof (JSON.parse(text) as { error?: unknown }).error, `${method} ${url.pathname}: ${text}`).toBe('string');
        }
      }),
      {
        numRuns: 400,
        // Seeds that surely reach the handlers (the random ones mostly do, not surely).
        examples: [
          [{ method: 'POST', path: '/api/runs/run/plots/flow/predict', body: '{"points":[[0,0,0],[2,20,1]]}', query: '' }],
          [{ method: 'POST', path: '/api/runs/run/plots/flow/predict', body: '{"points":[[0,0]]}', query: '' }],
          [{ method: 'GET', path: '/api/runs/run/plots/flow/clusters.csv', body: undefined, query: '' }],
        ],
      },
    );
    // The requests reached the handlers, not only the router's 404.
    expect(answered).toContain('POST predict 200');
    expect(answered).toContain('POST predict 400');
    expect(answered).toContain('GET clusters.csv 200');
    const health = await fetch(new URL('/api/health', server.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ records: 3, errors: 0 });
  });
});
