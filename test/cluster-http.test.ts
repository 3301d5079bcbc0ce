/**
 * The cluster endpoints over real HTTP: a log with cluster records, the real server
 * (file source), fetch. Bad requests must get a JSON 4xx and leave the server serving.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, type RecordFields } from '@streamvis/format';
import { FileSource, startServer, type RunningServer } from '@streamvis/server';
import { scatterFrame } from './support/server-records.js';

const BLOBS = [[0, 0, 5], [20, 0, 5], [0, 20, 5]];
const COLUMNS = ['lorem', 'ip,sum', 'dolor'];

let seq = 0;
function clusterFrame(rows: number[][]): Buffer {
  const fields = { run: 'run', logger: 'cluster-test', seq: seq++, time: Date.now(), kind: 'cluster', plot: 'flow', opts: { columns: COLUMNS, k: 3, seed: 1 } };
  return encodeRecord(fields as RecordFields, [{ name: 'points', shape: [rows.length, 3], data: Float64Array.from(rows.flat()) }]);
}
/** Points on a small lattice around each blob center: a deterministic, clearly separated mixture. */
const around = (centers: number[][]) => centers.flatMap((c) => Array.from({ length: 60 }, (_, i) => [c[0] + (i % 5) * 0.2, c[1] + ((i / 5) % 4) * 0.2, c[2] + (i % 3) * 0.1]));
/** Two points far from every blob: noise. */
const OUTLIERS = [[100, 100, 100], [-80, 60, -40]];

let dir: string;
let server: RunningServer;
const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
const predict = (body: string, plot = 'flow') => api(`/api/runs/run/plots/${plot}/predict`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });

interface Clusters {
  centers: number[][];
  counts: number[];
  ids: number[];
  columns: string[];
  noise: number;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcluster-'));
  const log = join(dir, 'run.svlog');
  await writeFile(log, Buffer.concat([clusterFrame([...around(BLOBS), ...OUTLIERS]), clusterFrame(around(BLOBS)), scatterFrame('dots', [1], [2], { append: false })]));
  server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log) });
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cluster endpoints', () => {
  it('GET .../clusters gives the visible clusters, the same rows as the plot data', async () => {
    const response = await api('/api/runs/run/plots/flow/clusters');
    expect(response.status).toBe(200);
    const clusters = (await response.json()) as Clusters;
    expect(clusters.columns).toEqual(COLUMNS);
    expect(clusters.ids).toHaveLength(3);
    // The outliers are noise: in no cluster's count, and counted apart.
    expect(clusters.counts).toEqual([120, 120, 120]);
    expect(clusters.noise).toBe(2);
    expect(clusters.centers.every((center) => center.length === 3)).toBe(true);
    // Each blob has a center near it.
    for (const blob of BLOBS) expect(Math.min(...clusters.centers.map((c) => Math.hypot(c[0] - blob[0], c[1] - blob[1])))).toBeLessThan(1);

    const plot = (await (await api('/api/runs/run/plots/flow')).json()) as { columns: Record<string, number[]> };
    expect(plot.columns.id).toEqual(clusters.ids);
    expect(plot.columns.count).toEqual(clusters.counts);
    expect(plot.columns.lorem).toEqual(clusters.centers.map((c) => c[0]));
  });

  it('GET .../clusters.csv is the same table as CSV', async () => {
    const clusters = (await (await api('/api/runs/run/plots/flow/clusters')).json()) as Clusters;
    const response = await api('/api/runs/run/plots/flow/clusters.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = (await response.text()).trimEnd().split('\n');
    expect(header).toBe('id,count,lorem,"ip,sum",dolor');
    // One line per cluster, then the noise: id -1, its count, no center.
    expect(rows.slice(0, -1).map((row) => row.split(',').map(Number))).toEqual(clusters.ids.map((id, c) => [id, clusters.counts[c], ...clusters.centers[c]]));
    expect(rows.at(-1)).toBe('-1,2,,,');
  });

  it('POST .../predict labels points with the stable ids of the nearest centers, cross-origin', async () => {
    const clusters = (await (await api('/api/runs/run/plots/flow/clusters')).json()) as Clusters;
    const idNear = (blob: number[]) => clusters.ids[clusters.centers.findIndex((c) => Math.hypot(c[0] - blob[0], c[1] - blob[1]) < 1)];
    const points = [[0.5, 0.1, 5], [19.6, 0.4, 5.1], [0.2, 21, 4.9], [0, 0, 5]];
    const response = await api('/api/runs/run/plots/flow/predict', {
      method: 'POST',
      body: JSON.stringify({ points }),
      headers: { 'Content-Type': 'application/json', Origin: 'http://elsewhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ labels: [idNear(BLOBS[0]), idNear(BLOBS[1]), idNear(BLOBS[2]), idNear(BLOBS[0])] });
    // Predicting changes nothing.
    expect(await (await api('/api/runs/run/plots/flow/clusters')).json()).toEqual(clusters);
    expect(await (await predict('{"points": []}')).json()).toEqual({ labels: [] });
  });

  it('predicts points given as objects by column name, passing their _id (or ids) through; and the one-point {_id, interests} form', async () => {
    const clusters = (await (await api('/api/runs/run/plots/flow/clusters')).json()) as Clusters;
    const byArray = (await (await predict(JSON.stringify({ points: [[0.5, 0.1, 5], [19.6, 0.4, 5.1]] }))).json()) as { labels: number[] };
    const named = [0.5, 0.1, 5].map((v, j) => [COLUMNS[j], v]);
    const other = [19.6, 0.4, 5.1].map((v, j) => [COLUMNS[2 - j], [5.1, 0.4, 19.6][j]]); // keys in another order
    const objects = [{ _id: 'u1', ...Object.fromEntries(named) }, { _id: 7, ...Object.fromEntries(other) }];
    expect(await (await predict(JSON.stringify({ points: objects }))).json()).toEqual({ labels: byArray.labels, ids: ['u1', 7] });
    expect(await (await predict(JSON.stringify({ points: [[0.5, 0.1, 5], [19.6, 0.4, 5.1]], ids: ['a', 'b'] }))).json()).toEqual({ labels: byArray.labels, ids: ['a', 'b'] });
    expect(await (await predict(JSON.stringify({ _id: 'seed-user', interests: Object.fromEntries(named) }))).json()).toEqual({ _id: 'seed-user', cluster: byArray.labels[0] });
    expect(clusters.ids).toContain(byArray.labels[0]);
  });

  it('predicts -1 for a point far from every cluster (noise), in both forms', async () => {
    expect(await (await predict(JSON.stringify({ points: [[0.5, 0.1, 5], OUTLIERS[0], [50, -50, 0]] }))).json()).toMatchObject({ labels: [expect.any(Number), -1, -1] });
    expect(await (await predict(JSON.stringify({ _id: 'far', interests: Object.fromEntries(COLUMNS.map((column, j) => [column, OUTLIERS[1][j]])) }))).json()).toEqual({ _id: 'far', cluster: -1 });
  });

  it('answers the CORS preflight of a JSON predict from another origin', async () => {
    const response = await api('/api/runs/run/plots/flow/predict', {
      method: 'OPTIONS',
      headers: { Origin: 'http://elsewhere.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/content-type/);
  });

  /** `{"points": [[[...]]]}` with the first point nested `depth` arrays deep. */
  const nestedPoint = (depth: number) => `{"points": [${'['.repeat(depth)}${']'.repeat(depth)}]}`;
  /** `{"points": {"a": {"a": ...}}}`, `depth` objects deep. */
  const nestedObject = (depth: number) => `{"points": ${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}}`;
  const post = (body: string, headers: Record<string, string>) => api('/api/runs/run/plots/flow/predict', { method: 'POST', body, headers });
  const tooMany = JSON.stringify({ points: Array.from({ length: 100_001 }, () => [0, 0, 0]) });
  const tooBig = `{"points": [[0, 0, 0]], "pad": "${'x'.repeat(33 * 1024 * 1024)}"}`;
  it.each([
    ['a body that is not JSON', () => predict('points: 1, 2'), 400, /not JSON/],
    ['JSON of another type', () => post('[1, 2, 3]', { 'Content-Type': 'application/json; charset=utf-8' }), 400, /^expected \{"points": \[\.\.\.\]\} or \{"_id"/],
    ['JSON without points', () => predict('{"pts": [[1, 2, 3]]}'), 400, /points: expected an array/],
    ['points that are not an array', () => predict('{"points": 3}'), 400, /points: expected an array/],
    ['a point of the wrong dimension', () => predict('{"points": [[1, 2, 3], [1, 2]]}'), 400, /points\[1\]: expected 3 numbers/],
    ['a point that is not an array', () => predict('{"points": [5]}'), 400, /points\[0\]: expected 3 numbers/],
    ['a string coordinate', () => predict('{"points": [[1, "2", 3]]}'), 400, /points\[0\]\[1\]: expected a finite number/],
    ['a null (NaN) coordinate', () => predict('{"points": [[1, 2, null]]}'), 400, /points\[0\]\[2\]: expected a finite number/],
    ['too many points', () => predict(tooMany), 413, /at most 100000/],
    ['a body over the size limit', () => predict(tooBig), 413, /request body over/],
    ['a point nested 10,000 arrays deep', () => predict(nestedPoint(10_000)), 400, /^points\[0\]: expected 3 numbers \(one per column: [^)]+\), got \[\[\[/],
    ['a point nested 1,000,000 arrays deep', () => predict(nestedPoint(1_000_000)), 400, /^points\[0\]: expected 3 numbers/],
    ['a coordinate nested 100,000 arrays deep', () => predict(`{"points": [[1, 2, ${'['.repeat(100_000)}${']'.repeat(100_000)}]]}`), 400, /^points\[0\]\[2\]: expected a finite number/],
    ['points as objects nested 1,000,000 deep', () => predict(nestedObject(1_000_000)), 400, /^points: expected an array/],
    ['a point object missing a column', () => predict(`{"points": [{"${COLUMNS[0]}": 1, "${COLUMNS[1]}": 2}]}`), 400, new RegExp(`^points\\[0\\]: missing column '${COLUMNS[2]}'`)],
    ['a point object with an unknown column', () => predict(`{"points": [{"${COLUMNS[0]}": 1, "${COLUMNS[1]}": 2, "${COLUMNS[2]}": 3, "colour": 4}]}`), 400, /^points\[0\]: unknown column 'colour' \(the columns are /],
    ['ids of the wrong length', () => predict('{"points": [[1, 2, 3]], "ids": ["a", "b"]}'), 400, /^ids: expected an array of 1 ids/],
    ['interests that are not an object', () => predict('{"_id": "u1", "interests": "much"}'), 400, /^interests: expected 3 numbers or an object of the columns/],
    ['an _id that is not a string or number', () => predict('{"_id": {"a": 1}, "interests": [1, 2, 3]}'), 400, /^_id: expected a string or a number/],
    ['a text/plain body (what a cross-site form or simple POST sends)', () => post('{"points": [[1, 2, 3]]}', { 'Content-Type': 'text/plain' }), 415, /Content-Type: expected application\/json, got 'text\/plain'/],
    ['a form body', () => post('points=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, /expected application\/json/],
    ['a body without a content type', () => api('/api/runs/run/plots/flow/predict', { method: 'POST', body: new Uint8Array(Buffer.from('{"points": []}')) }), 415, /got none/],
    ['predict on a scatter plot', () => predict('{"points": [[1, 2, 3]]}', 'dots'), 409, /scatter plot, not a cluster plot/],
    ['predict on a plot without data', () => predict('{"points": [[1, 2, 3]]}', 'nothing'), 404, /no such plot/],
    ['clusters of a scatter plot', () => api('/api/runs/run/plots/dots/clusters'), 409, /not a cluster plot/],
    ['clusters of another run', () => api('/api/runs/other/plots/flow/clusters.csv'), 404, /no such run/],
  ])('refuses %s with a JSON error and keeps serving', async (_, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect((await api('/api/health')).status).toBe(200);
  });

  it('a client that hangs up in the middle of its body is not logged as a failure, and the server keeps serving', async () => {
    const failures = vi.spyOn(console, 'error');
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write('POST /api/runs/run/plots/flow/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"points": [[1, 2, 3], ');
          setTimeout(() => socket.destroy(), 200);
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      expect((await api('/api/health')).status).toBe(200);
      expect(failures).not.toHaveBeenCalled();
    } finally {
      failures.mockRestore();
    }
  });
});
