import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame, FileSource, FRAME_CONTENT_TYPE, startServer, type DeltaBatch, type LayoutEvent, type VersionsEvent, type Health, type RunSummary, type RunDetail, type RunSnapshot, type RunningServer } from '@streamvis/server';
import { layoutFrame, linesFrame, scatterFrame } from './support/server-records.js';
import { SseStream } from './support/server-sse.js';

let dir: string;
let log: string;
let server: RunningServer;
const streams: SseStream[] = [];
const api = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
// Bodies are checked against literal expectations, so their static type adds nothing here.
const json = async (path: string) => {
  const response = await api(path);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
};
const openEvents = async () => {
  const stream = await SseStream.open(new URL('/api/runs/run/events', server.url).href);
  streams.push(stream);
  return stream;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svhttp-'));
  log = join(dir, 'run.svlog');
  await writeFile(
    log,
    Buffer.concat([
      layoutFrame({ loss: [0, 0, 1, 2] }),
      linesFrame('loss', 0, [1, 2]),
      linesFrame('loss', 1, [3, 4]),
      scatterFrame('points', [1, 2, 3], [4, 5, 6], { append: false }),
      scatterFrame('elsewhere', [0], [0], { append: false }, 'another-run'),
    ]),
  );
  server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log) });
});
afterAll(async () => {
  streams.forEach((s) => s.close());
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTTP API', () => {
  it('GET /api/health counts the run\'s records and the others ignored', async () => {
    const { status, body } = await json('/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', run: 'run', runs: 1, mode: 'file', records: 4, errors: 0, ignored: 1 } satisfies Health);
  });

  it('GET /api/runs lists the run served', async () => {
    const [run, ...others] = (await json('/api/runs')).body as RunSummary[];
    expect(others).toEqual([]);
    expect(run).toEqual({ run: 'run', records: 4, plots: ['loss', 'points'], errors: 0, status: 'live', firstTime: expect.any(Number), lastTime: expect.any(Number), lastRecordAt: expect.any(Number) });
    expect(run.lastTime! - run.firstTime!).toBeGreaterThanOrEqual(0);
  });

  it('GET /api/runs/:run gives the layout and the plots without data', async () => {
    const { body } = await json('/api/runs/run');
    expect(body).toEqual({
      run: 'run',
      layout: { loss: [0, 0, 1, 2], points: [1, 0, 1, 1] },
      plots: [
        { name: 'loss', kind: 'lines', cell: [0, 0, 1, 2], opts: { rollover: 1_000_000 }, length: 2, version: 2 },
        { name: 'points', kind: 'scatter', cell: [1, 0, 1, 1], opts: { rollover: 1_000_000 }, length: 3, version: 3 },
      ],
      records: 4,
      errors: 0,
    } satisfies RunDetail);
  });

  it('GET /api/runs/:run/plots/:plot gives the current data as columns', async () => {
    expect((await json('/api/runs/run/plots/loss')).body).toMatchObject({ kind: 'lines', columns: { x: [0, 1], y0: [1, 3], y1: [2, 4] }, length: 2 });
    expect((await json('/api/runs/run/plots/points')).body.columns).toEqual({ x: [1, 2, 3], y: [4, 5, 6] });
  });

  it('answers bad requests with JSON errors and keeps serving', async () => {
    const cases: Array<[string, number]> = [
      ['/api/runs/nope', 404],
      ['/api/runs/nope/plots/loss', 404],
      ['/api/runs/run/plots/nope', 404],
      ['/api/runs/nope/events', 404],
      ['/api/nothing/here', 404],
      ['/api/runs/run/plots/%E0%A4%A', 400],
      ['/runs/%zz', 400],
      [`/api/runs/run/plots/${'x'.repeat(8000)}`, 404],
      ['/api/runs/run/plots/..%2F..%2Fpackage.json', 404],
      ['/static/bokeh/..%2F..%2Fpackage.json', 404],
      ['/static/bokeh/package.json', 404],
      ['/runs/other', 404],
    ];
    for (const [path, status] of cases) {
      const got = await json(path);
      expect({ path, status: got.status, type: got.type }).toEqual({ path, status, type: expect.stringMatching(/^application\/json/) });
      expect(typeof got.body.error).toBe('string');
    }
    expect((await json('/api/health')).status).toBe(200);
  });

  it('serves the BokehJS bundles and the page', async () => {
    const bokeh = await api('/static/bokeh/bokeh.min.js');
    expect(bokeh.status).toBe(200);
    expect(bokeh.headers.get('content-type')).toMatch(/javascript/);
    expect((await bokeh.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    for (const path of ['/', '/runs/run']) {
      const page = await api(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('run');
    }
  });

  it('finds plots and runs whose names need percent-encoding', async () => {
    const oddLog = join(dir, 'odd.svlog');
    await writeFile(oddLog, scatterFrame('a/b c%', [1], [2], { append: false }, 'run #1/ä'));
    const odd = await startServer({ mode: 'file', port: 0, run: 'run #1/ä', source: new FileSource(oddLog) });
    try {
      const response = await fetch(new URL(`/api/runs/${encodeURIComponent('run #1/ä')}/plots/${encodeURIComponent('a/b c%')}`, odd.url));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'a/b c%', columns: { x: [1], y: [2] } });
    } finally {
      await odd.close();
    }
  });

  it('lets no page of another site read the API by default', async () => {
    const response = await api('/api/health', { headers: { Origin: 'http://elsewhere.test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET /api/runs/:run/events', () => {
  it('sends a snapshot, then a delta per update, to every client; a late client gets the full state', async () => {
    const first = await openEvents();
    const second = await openEvents();
    for (const stream of [first, second]) {
      const snapshot = await stream.nextJson<RunSnapshot>('snapshot');
      expect(snapshot.plots.map((p) => p.name)).toEqual(['loss', 'points']);
      expect(snapshot.plots[0].columns).toEqual({ x: [0, 1], y0: [1, 3], y1: [2, 4] });
    }

    await appendFile(log, linesFrame('loss', 2, [5, 6]));
    for (const stream of [first, second]) {
      expect(await stream.nextJson<DeltaBatch>('delta')).toEqual({
        deltas: [{ plot: 'loss', op: 'append', columns: { x: [2], y0: [5], y1: [6] }, rollover: 1_000_000 }],
        records: 5,
        errors: 0,
      } satisfies DeltaBatch);
    }

    const late = await openEvents();
    const snapshot = await late.nextJson<RunSnapshot>('snapshot');
    expect(snapshot.plots[0].columns).toEqual({ x: [0, 1, 2], y0: [1, 3, 5], y1: [2, 4, 6] });
    expect(snapshot.records).toBe(5);
    [first, second, late].forEach((s) => s.close());
  });

  it('sends a new snapshot when a plot appears', async () => {
    const stream = await openEvents();
    await stream.nextJson<RunSnapshot>('snapshot');
    await appendFile(log, scatterFrame('fresh', [7], [8]));
    const snapshot = await stream.nextJson<RunSnapshot>('snapshot');
    expect(snapshot.plots.find((p) => p.name === 'fresh')?.columns).toEqual({ x: [7], y: [8] });
    stream.close();
  });

  it('coalesces a burst of records into few messages that carry every row in order', async () => {
    const stream = await openEvents();
    await stream.nextJson<RunSnapshot>('snapshot');
    const steps = Array.from({ length: 500 }, (_, i) => 100 + i);
    for (let i = 0; i < steps.length; i += 100) {
      await appendFile(log, Buffer.concat(steps.slice(i, i + 100).map((step) => linesFrame('loss', step, [step, -step]))));
    }
    const received: number[] = [];
    let messages = 0;
    while (received.length < steps.length) {
      const batch = await stream.nextJson<DeltaBatch>('delta');
      messages++;
      for (const delta of batch.deltas) received.push(...(delta.columns.x as number[]));
    }
    expect(received).toEqual(steps);
    expect(messages).toBeLessThanOrEqual(50);
    const plot = (await json('/api/runs/run/plots/loss')).body;
    expect(plot.columns.y1.slice(-2)).toEqual([-598, -599]);
    stream.close();
  });

  it('close() ends open event streams', async () => {
    const other = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log) });
    const stream = await SseStream.open(new URL('/api/runs/run/events', other.url).href);
    await stream.nextJson('snapshot');
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(stream.next(2000)).rejects.toThrow();
  });
});

describe('what the page reads: GET .../changes and .../plots/:plot/frame', () => {
  it('gives a plot as a binary frame whose numbers equal the JSON columns exactly', async () => {
    const response = await api('/api/runs/run/plots/loss/frame?width=400');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(FRAME_CONTENT_TYPE);
    const frame = decodeFrame(await response.arrayBuffer());
    const { columns } = (await json('/api/runs/run/plots/loss')).body;
    if (frame.kind !== 'lines') throw new Error(`expected a lines frame, got ${frame.kind}`);
    expect(Array.from(frame.data.x)).toEqual(columns.x);
    expect(frame.data.ys.map((y) => Array.from(y))).toEqual([columns.y0, columns.y1]);
    expect(frame).toMatchObject({ plot: 'loss', reduced: false, rows: columns.x.length, shown: columns.x.length });
  });

  it('answers a bad frame request with a JSON 400 naming the parameter', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['width=0', 400, /width/],
      ['width=abc', 400, /width/],
      ['width=99999999', 400, /width/],
      ['height=0', 400, /height/],
      ['height=1.5', 400, /height/],
      ['xscale=cubic', 400, /xscale: expected linear or log/],
      ['yscale=', 400, /yscale/],
      ['x0=1', 400, /x0 and x1/],
      ['x0=5&x1=1', 400, /x0 must be less/],
      ['y0=NaN&y1=1', 400, /y0/],
      ['x0=&x1=1', 400, /x0/],
    ];
    for (const [query, status, message] of cases) {
      const got = await json(`/api/runs/run/plots/loss/frame?${query}`);
      expect({ query, status: got.status, type: got.type }).toEqual({ query, status, type: expect.stringMatching(/^application\/json/) });
      expect(got.body.error).toMatch(message);
    }
    expect((await json('/api/runs/run/plots/nope/frame')).status).toBe(404);
  });

  it('tells a page the layout with versions, then which plots changed, never the data', async () => {
    const stream = await SseStream.open(new URL('/api/runs/run/changes', server.url).href);
    streams.push(stream);
    const layout = await stream.nextJson<LayoutEvent>('layout');
    const before = layout.plots.find((p) => p.name === 'loss')!.version;
    expect(layout.now).toBeGreaterThan(0);
    await appendFile(log, linesFrame('loss', 10_000, [1, 1]));
    const change = await stream.nextJson<VersionsEvent>('versions');
    expect(Object.keys(change.versions)).toEqual(['loss']);
    expect(change.versions.loss).toBeGreaterThan(before);
    const frame = decodeFrame(await (await api('/api/runs/run/plots/loss/frame')).arrayBuffer());
    expect(frame.version).toBe(change.versions.loss);
    stream.close();
  });
});
