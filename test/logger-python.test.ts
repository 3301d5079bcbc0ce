import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ColorSpec, DataLogger, ndarray } from '@streamvis/logger';
import { rawFrame } from './support/raw-frame.js';
import { readCleanLog as decode } from './support/read-log.js';
import { linesFrame } from './support/server-records.js';

// The log format is language-neutral: a 50-line standard-library Python script reads and writes it,
// from docs/log-format.md alone. (The Python client, clients/python, is tested by its own tests:
// its logs served by streamvis-server, TS logs read back, Pub/Sub; npm test runs them after these.)
const script = fileURLToPath(new URL('./fixtures/svlog.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'svpython-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the log format from a standard-library Python script', () => {
  it('decodes the exact records a Python writer appended', () => {
    const path = join(dir, 'from-python.svlog');
    execFileSync('python3', [script, 'write', path, 'py-run']);
    const records = decode(path);
    expect(records.map((r) => [r.header.run, r.header.logger, r.header.seq, r.header.kind])).toEqual([
      ['py-run', 'python', 0, 'layout'],
      ['py-run', 'python', 1, 'scatter'],
      ['py-run', 'python', 2, 'lines'],
      ['py-run', 'python', 3, 'lines'],
    ]);
    expect(records[0].header.opts).toEqual({ cells: { dots: [0, 0, 1, 1], waves: [0, 1, 1, 1] } });
    expect(records[1].header.opts).toEqual({ append: true, palette: 'Viridis256' });
    expect(records[1].arrays).toEqual({
      x: { dtype: 'float32', shape: [3], data: Float32Array.of(0.5, -1.25, 3) },
      y: { dtype: 'float32', shape: [3], data: Float32Array.of(0.1, 0.2, 0.3) },
      color: { dtype: 'float64', shape: [3], data: Float64Array.of(0, 0.5, 1) },
    });
    expect(records[3].header.opts).toEqual({ x: 1 });
    expect(records[3].arrays.y.data).toEqual(Float64Array.of(0.25, -0.1));
  });

  it('reads the exact values the logger wrote', async () => {
    const path = join(dir, 'from-node.svlog');
    const logger = new DataLogger('node-run');
    await logger.initWriteLog(path);
    logger.setLayout({ a: [0, 0, 1, 1], b: [0, 1, 1, 1] });
    const f32 = Float32Array.of(0.1, 0.2, 1 / 3, 4, -5.5, 1e-7);
    logger.scatter('a', ndarray(f32, [3, 2]), { spatialDim: 1, append: false, color: new ColorSpec('Turbo256', 0) });
    logger.tandemLines('b', 7, [0.1, Math.PI, -1e300]);
    logger.tandemLines('b', 8, [1, 2, 3]); // refers to the declaration the step before made
    await logger.shutdown();

    const lines = execFileSync('python3', [script, 'read', path], { encoding: 'utf8' }).trim().split('\n');
    const read = lines.map((line) => JSON.parse(line) as { header: Record<string, unknown>; arrays: Record<string, { dtype: string; shape: number[]; data: number[] }> });
    expect(read.map((r) => [r.header.seq, r.header.kind, r.header.logger])).toEqual([
      [0, 'layout', logger.id],
      [1, 'scatter', logger.id],
      [2, 'lines', logger.id],
      [3, 'lines', logger.id],
    ]);
    expect(read[0].header.opts).toEqual({ cells: { a: [0, 0, 1, 1], b: [0, 1, 1, 1] } });
    expect(read[1].arrays).toEqual({
      x: { dtype: 'float32', shape: [3], data: [f32[0], f32[2], f32[4]] },
      y: { dtype: 'float32', shape: [3], data: [f32[1], f32[3], f32[5]] },
      color: { dtype: 'float32', shape: [3], data: [0, 0.5, 1] },
    });
    expect(read[2].header.opts).toEqual({ x: 7 });
    expect(read[2].arrays.y).toEqual({ dtype: 'float64', shape: [3], data: [0.1, Math.PI, -1e300] });
    expect([read[3].header.opts, read[3].arrays.y.data]).toEqual([{ x: 8 }, [1, 2, 3]]);
  });

  it('lets Python skip records whose checksums hold but whose header breaks a rule, and read those around them', () => {
    const path = join(dir, 'bad-headers.svlog');
    const header = (change: Record<string, unknown>) =>
      JSON.stringify({ v: 1, run: 'run', logger: 'bad', seq: 0, time: 0, kind: 'lines', plot: 'p', opts: { x: 0 }, arrays: [{ name: 'y', dtype: 'float64', shape: [1] }], ...change });
    const eight = new Uint8Array(8);
    writeFileSync(path, Buffer.concat([
      linesFrame('p', 0, [0]),
      rawFrame('[1, 2]'),
      rawFrame('{"v": 1,', eight),
      rawFrame(header({ v: 2 }), eight),
      rawFrame(header({ arrays: [{ name: 'y', dtype: 'float16', shape: [1] }] }), eight),
      rawFrame(header({ arrays: [{ name: 'y', dtype: 'float64', shape: [3] }] }), eight),
      rawFrame(Buffer.from([0x7b, 0xff, 0x7d])),
      linesFrame('p', 1, [1]),
    ]));
    const lines = execFileSync('python3', [script, 'read', path], { encoding: 'utf8' }).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { header: { opts: unknown } }).header.opts)).toEqual([{ x: 0 }, { x: 1 }]);
  });
});
