// Checksum-valid records that a buggy or hostile writer can produce (another language's
// logger, a damaged disk, a fuzzer), appended to a live log one class at a time between
// good records: the server keeps serving, counts one error naming the field, and shows
// every good record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, MAX_LINES, type RecordFields } from '@streamvis/format';
import { FileSource, startServer, type Health, type RunDetail, type RunningServer } from '@streamvis/server';
import { rawFrame, tornPrefix } from './support/raw-frame.js';
import { linesFrame, scatterFrame } from './support/server-records.js';

let dir: string;
let log: string;
let server: RunningServer;
const get = async <T>(path: string): Promise<T> => (await fetch(new URL(path, server.url))).json() as Promise<T>;

/** A scatter record's header fields (two float64 points), with `change` applied, as JSON text. */
const scatterHeader = (change: Record<string, unknown> = {}) =>
  JSON.stringify({
    v: 1, run: 'run', logger: 'hostile', seq: 0, time: 0, kind: 'scatter', plot: 'bad', opts: { append: true },
    arrays: [{ name: 'x', dtype: 'float64', shape: [1] }, { name: 'y', dtype: 'float64', shape: [1] }],
    ...change,
  });
const twoPoints = new Uint8Array(16);
const bad = (change: Record<string, unknown>, body = twoPoints) => rawFrame(scatterHeader(change), body);

/** A header whose plot name holds a byte that is not UTF-8. */
function invalidUtf8(): Buffer {
  const text = Buffer.from(scatterHeader({ plot: 'b~d' }));
  text[text.indexOf('~')] = 0xff;
  return rawFrame(text, twoPoints);
}

/** `count` valid prefixes, each announcing a frame that runs to the end of the region, none of whose payloads checks. */
function nestedBadFrames(count: number): Buffer {
  const tail = Buffer.alloc(10_000, 7);
  const total = count * 20 + tail.length;
  const prefixes = Array.from({ length: count }, (_, i) => rawFrame('', new Uint8Array(0), { headerBytes: 0, bodyBytes: total - (i + 1) * 20 }).subarray(0, 20));
  return Buffer.concat([...prefixes, tail]);
}

const float64s = (count: number) => new Uint8Array(8 * count);
const linesOf = (count: number) =>
  rawFrame(JSON.stringify({ v: 1, run: 'run', logger: 'hostile', seq: 0, time: 0, kind: 'lines', plot: 'wide', opts: { x: 0 }, arrays: [{ name: 'y', dtype: 'float64', shape: [count] }] }), float64s(count));
const multilinesOf = (shape: number[]) =>
  rawFrame(
    JSON.stringify({ v: 1, run: 'run', logger: 'hostile', seq: 0, time: 0, kind: 'multilines', plot: 'paths', opts: { append: true }, arrays: ['x', 'y'].map((name) => ({ name, dtype: 'float64', shape })) }),
    float64s(2 * shape[0] * shape[1]),
  );

/** Each class: the damaged bytes and what the error names (field and rule). */
const CLASSES: [string, () => Buffer, string][] = [
  ['a chain of 64 torn prefixes announcing 1 GiB bodies', () => Buffer.concat(Array.from({ length: 64 }, tornPrefix)), 'torn record'],
  ['200 nested frames whose payload checksums fail', () => nestedBadFrames(200), 'bad payload checksum'],
  ['a JSON array as the header', () => rawFrame('[1, 2]'), 'header: expected a JSON object, got [1, 2]'],
  ['a header that is not JSON', () => rawFrame('{"v": 1,'), 'header: not JSON'],
  ['seq "7"', () => bad({ seq: '7' }), 'header.seq: expected an integer >= 0, got "7"'],
  ['seq -1', () => bad({ seq: -1 }), 'header.seq: expected an integer >= 0, got -1'],
  ['no time', () => bad({ time: undefined }), 'header.time: expected a finite number, got undefined'],
  ['format version 2', () => bad({ v: 2 }), 'header.v: expected 1 (the format version this reader reads), got 2'],
  ['an unknown kind', () => bad({ kind: 'histogram' }), 'header.kind: expected one of layout, clear, scatter, lines, multilines, cluster, got "histogram"'],
  ['a run name of 5000 characters', () => bad({ run: 'r'.repeat(5000) }), 'header.run: expected a non-empty string of at most 1024 characters'],
  [
    'a shape of 4096 dimensions',
    () => bad({ arrays: [{ name: 'x', dtype: 'float64', shape: new Array(4096).fill(1) }, { name: 'y', dtype: 'float64', shape: [1] }] }),
    'header.arrays[0].shape: expected at most 32 dimensions, got 4096',
  ],
  ['a shape size of 2^31', () => bad({ arrays: [{ name: 'x', dtype: 'float64', shape: [2 ** 31, 0] }] }, new Uint8Array(0)), 'header.arrays[0].shape[0]: expected an integer 0..1073741824, got 2147483648'],
  ['two arrays named x', () => bad({ arrays: [{ name: 'x', dtype: 'float64', shape: [1] }, { name: 'x', dtype: 'float64', shape: [1] }] }), 'header.arrays[1].name: "x" names an earlier array too'],
  ['an unknown dtype', () => bad({ arrays: [{ name: 'x', dtype: 'float16', shape: [1] }] }, new Uint8Array(2)), 'header.arrays[0].dtype: expected one of float32, float64'],
  ['arrays longer than the body', () => bad({}, new Uint8Array(8)), 'header.arrays: the arrays take more than 8 body bytes, the frame\'s body has 8'],
  ['a header that is not UTF-8', invalidUtf8, 'header: not valid UTF-8'],
  ['opts: []', () => bad({ opts: [] }), 'scatter opts: expected an options object, got []'],
  ['rollover 0', () => bad({ opts: { append: true, rollover: 0 } }), 'scatter opts.rollover: expected an integer >= 1, got 0'],
  ['rollover -1', () => bad({ opts: { append: true, rollover: -1 } }), 'scatter opts.rollover: expected an integer >= 1, got -1'],
  ['rollover "2"', () => bad({ opts: { append: true, rollover: '2' } }), 'scatter opts.rollover: expected an integer >= 1, got "2"'],
  ['append nested 100000 arrays deep', () => rawFrame(scatterHeader({ opts: { append: 'X' } }).replace('"X"', '['.repeat(100_000) + ']'.repeat(100_000)), twoPoints), 'scatter opts.append: expected true or false, got [[...]]'],
  ['a scatter without y', () => bad({ arrays: [{ name: 'x', dtype: 'float64', shape: [2] }] }), "scatter array 'y': required, of shape [2] like 'x'"],
  [`a lines record of ${10 * MAX_LINES} lines`, () => linesOf(10 * MAX_LINES), `lines array 'y': expected 1 to ${MAX_LINES} lines (values), got ${10 * MAX_LINES}`],
  ['a multilines record of shape [1e5, 0]', () => multilinesOf([100_000, 0]), `multilines array 'x': expected at most ${MAX_LINES} lines, got shape [100000, 0]`],
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svhostile-'));
  log = join(dir, 'run.svlog');
  await writeFile(log, linesFrame('good', 0, [0]));
  server = await startServer({ mode: 'file', port: 0, run: 'run', source: new FileSource(log, { pollMs: 20 }) });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Health once the server has applied `records` records (it answers meanwhile, or the test fails). */
async function healthAt(records: number): Promise<Health> {
  const until = Date.now() + 10_000;
  for (;;) {
    const health = await get<Health>('/api/health');
    if (health.records >= records || Date.now() > until) return health;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the server, given checksum-valid hostile records', () => {
  it.each(CLASSES.map(([name, bytes, reason], i) => ({ name, bytes, reason, step: i + 1 })))(
    'counts $name as one error naming it, and shows the good records around it',
    async ({ bytes, reason, step }) => {
      const before = await healthAt(step);
      await appendFile(log, Buffer.concat([bytes(), linesFrame('good', step, [step])]));
      const health = await healthAt(step + 1);
      expect(health).toMatchObject({ status: 'ok', records: step + 1, errors: before.errors + 1 });
      const detail = await get<RunDetail & { lastError: string }>('/api/runs/run');
      expect(detail.lastError).toContain(reason);
      expect(detail.lastError.length).toBeLessThanOrEqual(400);
      const good = await get<{ columns: { x: number[] } }>('/api/runs/run/plots/good');
      expect(good.columns.x).toEqual(Array.from({ length: step + 1 }, (_, s) => s));
    },
  );

  it('answers at once while a torn-prefix chain waits at the end of the log, then reads what follows it', async () => {
    const { records, errors } = await get<Health>('/api/health');
    await appendFile(log, Buffer.concat(Array.from({ length: 64 }, tornPrefix)));
    // The chain may be a frame still being written: the server waits for more, and keeps answering.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await get<Health>('/api/health')).toMatchObject({ records, errors });
    expect(Date.now() - started).toBeLessThan(1000);
    await appendFile(log, linesFrame('good', 1000, [1000]));
    expect(await healthAt(records + 1)).toMatchObject({ records: records + 1, errors: errors + 1 });
  });

  it('keeps plots, layout cells and cluster columns named __proto__ in its JSON answers', async () => {
    const { records } = await get<Health>('/api/health');
    const cluster = encodeRecord({ run: 'run', logger: 'cluster-writer', seq: 0, time: 0, kind: 'cluster', plot: 'c', opts: { columns: ['__proto__', 'b'] } } as RecordFields, [
      { name: 'points', shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) },
    ]);
    await appendFile(log, Buffer.concat([scatterFrame('__proto__', [1], [2]), cluster]));
    await healthAt(records + 2);
    const detail = await get<RunDetail>('/api/runs/run');
    expect(Object.keys(detail.layout)).toContain('__proto__');
    expect(detail.plots.map((p) => p.name)).toContain('__proto__');
    expect((await get<{ columns: Record<string, number[]> }>('/api/runs/run/plots/__proto__')).columns).toEqual({ x: [1], y: [2] });
    expect(Object.keys((await get<{ columns: Record<string, number[]> }>('/api/runs/run/plots/c')).columns)).toEqual(['id', 'count', '__proto__', 'b']);
  });
});
