import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFrame, type LogRecord } from '@streamvis/format';
import { ColorSpec } from './color-spec.js';
import type { Sink } from './sinks/sink.js';
import { DataLogger, type SinkError } from './data-logger.js';
import { GridSpec } from './grid-spec.js';
import { ndarray } from './ndarray.js';
import { readCleanLog as readLog } from '../../../test/support/read-log.js';

const dir = mkdtempSync(join(tmpdir(), 'svlogger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let logs = 0;
const newLogPath = () => join(dir, 'sub', `log-${logs++}.svlog`);

describe('DataLogger', () => {
  it('writes every kind of record, numbered, with its arrays and options', async () => {
    const path = newLogPath();
    const logger = new DataLogger('demo');
    await logger.initWriteLog(path);
    logger.setLayout({ lines: [0, 0, 1, 2], dots: [1, 0, 1, 1], paths: [1, 1, 1, 1], flow: [2, 0, 1, 2] });
    logger.tandemLines('lines', 3, [0.5, -1], { palette: 'Category10_10', rollover: 100 });
    logger.scatter('dots', ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]), { spatialDim: 1, append: true, color: new ColorSpec('Viridis256', 0) });
    logger.multiLines('paths', [[[0, 1], [2, 3], [4, 5]]], { lineDims: [0], spatialDim: 2, append: false });
    logger.cluster('flow', [[1, 2, 3], [4, 5, 6]], { columns: ['a', 'b', 'c'], kMin: 1, kMax: 4 });
    const report = await logger.shutdown();
    expect(report).toMatchObject({ run: 'demo', logger: logger.id, records: 5 });
    expect(report.sinks).toEqual([{ sink: `file:${path}`, delivered: 5, dropped: 0, pending: 0, errors: 0 }]);

    const records = readLog(path);
    expect(records.map((r) => [r.header.seq, r.header.kind, r.header.logger, r.header.run])).toEqual(
      ['layout', 'lines', 'scatter', 'multilines', 'cluster'].map((kind, seq) => [seq, kind, logger.id, 'demo']),
    );
    const [layout, lines, scatter, multi, cluster] = records;
    expect(layout.header.opts).toEqual({ cells: { lines: [0, 0, 1, 2], dots: [1, 0, 1, 1], paths: [1, 1, 1, 1], flow: [2, 0, 1, 2] } });
    expect(lines.header.opts).toEqual({ x: 3, palette: 'Category10_10', rollover: 100 });
    expect(lines.arrays.y).toEqual({ dtype: 'float64', shape: [2], data: Float64Array.of(0.5, -1) });
    expect(scatter.header.opts).toEqual({ append: true, palette: 'Viridis256' });
    expect(scatter.arrays.x).toEqual({ dtype: 'float32', shape: [2], data: Float32Array.of(1, 3) });
    expect(scatter.arrays.color.data).toEqual(Float32Array.of(0, 1));
    expect(multi.arrays.y).toEqual({ dtype: 'float64', shape: [1, 3], data: Float64Array.of(1, 3, 5) });
    expect(cluster.header.opts).toEqual({ columns: ['a', 'b', 'c'], kMin: 1, kMax: 4 });
    expect(cluster.arrays.points).toEqual({ dtype: 'float64', shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) });
    expect(Math.abs(layout.header.time - Date.now())).toBeLessThan(60_000);
  });

  it('throws at a bad call naming the argument, and writes nothing for it', async () => {
    const path = newLogPath();
    const logger = new DataLogger('bad');
    await logger.initWriteLog(path);
    const xy = [[0, 1], [2, 3]];
    const calls: [string, () => void][] = [
      ['scatter(plot): expected a non-empty string', () => logger.scatter('', xy, { spatialDim: 1, append: true })],
      ['scatter(data): ragged nested array at [1]', () => logger.scatter('p', [[0, 1], [2]], { spatialDim: 1, append: true })],
      ['scatter(options.spatialDim): expected an axis 0..1', () => logger.scatter('p', xy, { spatialDim: 2, append: true })],
      ['scatter(data): axis spatialDim=1 has size 3, expected 2', () => logger.scatter('p', [[0, 1, 2]], { spatialDim: 1, append: true })],
      ['scatter(data): axis spatialDim=1 has size 2, expected 3', () => logger.scatter('p', xy, { spatialDim: 1, append: true, color: new ColorSpec('Viridis256') })],
      ['scatter(options.append): expected true or false', () => logger.scatter('p', xy, { spatialDim: 1 } as never)],
      ['scatter(options.rollover): expected an integer >= 1', () => logger.scatter('p', xy, { spatialDim: 1, append: true, rollover: 0 })],
      ['scatter(options.grid): dim 1 is the spatialDim', () => logger.scatter('p', xy, { spatialDim: 1, append: true, grid: new GridSpec(1, 2) })],
      ['scatter(options.grid.dim): expected an axis 0..1', () => logger.scatter('p', xy, { spatialDim: 1, append: true, grid: new GridSpec(2, 2) })],
      ['scatter(options.color): dim 1 is the spatialDim', () => logger.scatter('p', xy, { spatialDim: 1, append: true, color: new ColorSpec('Turbo256', 1) })],
      ['scatter(options.grid): expected a GridSpec', () => logger.scatter('p', xy, { spatialDim: 1, append: true, grid: { dim: 0 } as never })],
      ['scatter(data): non-finite value NaN at [1][1]', () => logger.scatter('p', [[0, 1], [2, NaN]], { spatialDim: 1, append: true })],
      ['tandemLines(step): expected a finite number', () => logger.tandemLines('l', NaN, [1])],
      ['tandemLines(ys): expected 1 to 10000 lines (values), got 0', () => logger.tandemLines('l', 0, [])],
      ['tandemLines(ys): expected shape [M], got [1, 2]', () => logger.tandemLines('l', 0, [[1, 2]])],
      ['tandemLines(ys): expected 1 to 10000 lines (values), got 10001', () => logger.tandemLines('l', 0, new Float64Array(10_001))],
      ['multiLines(data): expected at most 10000 lines, got shape [10001, 1]', () => logger.multiLines('m', { data: new Float64Array(20_002), shape: [10_001, 1, 2] }, { lineDims: [0], spatialDim: 2, append: true })],
      ['scatter(plot): expected a non-empty string of at most 1024 characters, got "ppp', () => logger.scatter('p'.repeat(1025), xy, { spatialDim: 1, append: true })],
      ['tandemLines(options.palette): unknown palette "Nope"', () => logger.tandemLines('l', 0, [1], { palette: 'Nope' })],
      ['multiLines(options.lineDims): axis 2 is the spatialDim', () => logger.multiLines('m', [[[0, 1]]], { lineDims: [2], spatialDim: 2, append: true })],
      ['multiLines(options.lineDims): axis 0 is listed twice', () => logger.multiLines('m', [[[0, 1]]], { lineDims: [0, 0], spatialDim: 2, append: true })],
      ['multiLines(data): axis spatialDim=1 has size 1, expected 2', () => logger.multiLines('m', [[0]], { lineDims: [0], spatialDim: 1, append: true })],
      ['cluster(points): expected [N, D] points', () => logger.cluster('c', [1, 2], { columns: ['a', 'b'] })],
      ['cluster(options.columns): 1 names for points with D = 2', () => logger.cluster('c', xy, { columns: ['a'] })],
      ['cluster(options.columns): expected distinct', () => logger.cluster('c', xy, { columns: ['a', 'a'] })],
      ["cluster(options.columns): 'count' is reserved", () => logger.cluster('c', xy, { columns: ['a', 'count'] })],
      ['cluster(options.k): give either k or kMin/kMax', () => logger.cluster('c', xy, { columns: ['a', 'b'], k: 2, kMax: 3 })],
      ['cluster(options.kMax): expected an integer >= 3', () => logger.cluster('c', xy, { columns: ['a', 'b'], kMin: 3, kMax: 2 })],
      ['cluster(options.gate): expected a number > 0', () => logger.cluster('c', xy, { columns: ['a', 'b'], gate: -1 })],
      ['setLayout(cells): plots', () => logger.setLayout({ a: [0, 0, 1, 1], b: [0, 0, 1, 1] })],
      ["tandemLines(options.yScale): expected 'linear' or 'log', got \"ln\"", () => logger.tandemLines('l', 0, [1], { yScale: 'ln' as never })],
      ['tandemLines(ys): 1 names for 2 lines', () => logger.tandemLines('l', 0, [1, 2], { names: ['only'] })],
      ['tandemLines(options.names[1]): expected a non-empty string', () => logger.tandemLines('l', 0, [1, 2], { names: ['a', ''] })],
      ['scatter(options.title): expected a non-empty string', () => logger.scatter('p', xy, { spatialDim: 1, append: true, title: 3 as never })],
      ['clear(plots): expected 1 to 10000 plot names, got "loss"', () => logger.clear('loss' as never)],
      ['clear(plots): expected 1 to 10000 plot names, got []', () => logger.clear([])],
      ['clear(plots[1]): "a" is named twice', () => logger.clear(['a', 'a'])],
      ['cluster(options.columns[0]): expected a non-empty string of at most 1024 characters', () => logger.cluster('c', [[1]], { columns: ['x'.repeat(1025)] })],
      ['cluster(): record header is', () => logger.cluster('c', [new Array(2000).fill(0)], { columns: Array.from({ length: 2000 }, (_, i) => `${i}`.padStart(1000, 'x')) })],
    ];
    for (const [message, call] of calls) expect(call, message).toThrow(message);

    logger.tandemLines('l', 0, [1, 2]);
    expect(() => logger.tandemLines('l', 1, [1, 2, 3])).toThrow("tandemLines(ys): plot 'l' has 2 lines, got 3 values");
    logger.setLayout({ l: [0, 0, 1, 1] });
    expect(() => logger.scatter('p', xy, { spatialDim: 1, append: true })).toThrow("scatter(plot): plot 'p' is not in the layout (l)");
    await logger.shutdown();
    expect(() => logger.tandemLines('l', 2, [1, 2])).toThrow('DataLogger.tandemLines(): the logger is shut down');
    expect(readLog(path).map((r) => [r.header.seq, r.header.kind])).toEqual([[0, 'lines'], [1, 'layout']]);
  });

  it('refuses a call with a wrong line count without losing the next record of its options to a declaration never written', async () => {
    const path = newLogPath();
    const logger = new DataLogger('refused');
    await logger.initWriteLog(path);
    logger.tandemLines('l', 0, [1, 2]);
    // New options: this record would declare them; refused, it is not written.
    expect(() => logger.tandemLines('l', 1, [1, 2, 3], { title: 'T' })).toThrow("tandemLines(ys): plot 'l' has 2 lines, got 3 values");
    logger.tandemLines('l', 2, [3, 4], { title: 'T' });
    await logger.shutdown();
    expect(readLog(path).map((r) => [r.header.seq, r.header.opts])).toEqual([
      [0, { x: 0 }],
      [1, { x: 2, title: 'T' }],
    ]);
  });

  it('writes a plot\'s title, labels, scales and line names in its record', async () => {
    const path = newLogPath();
    const logger = new DataLogger('look');
    await logger.initWriteLog(path);
    logger.tandemLines('loss', 0, [1, 2], { title: 'Loss', xLabel: 'step', yLabel: 'nats', names: ['train', 'valid'], xScale: 'linear', yScale: 'log' });
    logger.scatter('p', [[0, 1, 0.5]], { spatialDim: 1, append: false, color: new ColorSpec('Viridis256'), colorLabel: 'epoch' });
    await logger.shutdown();
    expect(readLog(path).map((r) => r.header.opts)).toEqual([
      { x: 0, title: 'Loss', xLabel: 'step', yLabel: 'nats', names: ['train', 'valid'], xScale: 'linear', yScale: 'log' },
      expect.objectContaining({ append: false, colorLabel: 'epoch' }),
    ]);
  });

  it('multiLines with a GridSpec lays each slice out in its grid cell, as scatter does', async () => {
    const path = newLogPath();
    const logger = new DataLogger('grid');
    await logger.initWriteLog(path);
    // Two panels (axis 0) of one line (axis 1) of three points: x 0..2 in each, y 0 and 1.
    const data = [[[[0, 1, 2], [0, 0, 0]]], [[[0, 1, 2], [1, 1, 1]]]];
    logger.multiLines('paths', data, { lineDims: [0, 1], spatialDim: 2, append: false, grid: new GridSpec(0, 2, 1) });
    expect(() => logger.multiLines('paths', data, { lineDims: [0, 1], spatialDim: 2, append: false, grid: new GridSpec(2, 2) })).toThrow('multiLines(options.grid): dim 2 is the spatialDim');
    await logger.shutdown();
    const [record] = readLog(path);
    // Panel 1 moves right by the x extent (2) times the padding (1), as a scatter's slice would.
    expect(Array.from(record.arrays.x.data)).toEqual([0, 1, 2, 2, 3, 4]);
    expect(Array.from(record.arrays.y.data)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('multiLines with a ColorSpec gives each line one colour value: by its index along a line axis, or its points\' third coordinate', async () => {
    const path = newLogPath();
    const logger = new DataLogger('colours');
    await logger.initWriteLog(path);
    // 2 panels (axis 0) x 3 lines (axis 1) x 2 points (axis 2) x (x, y) (axis 3).
    const shape = [2, 3, 2, 2];
    const data = ndarray(Float32Array.from({ length: 24 }, (_, i) => i), shape);
    logger.multiLines('by-line', data, { lineDims: [0, 1], spatialDim: 3, append: false, color: new ColorSpec('Turbo256', 1) });
    logger.multiLines('by-panel', data, { lineDims: [1, 0], spatialDim: 3, append: true, color: new ColorSpec('Viridis256', 0), colorLabel: 'panel' });
    // Each line's colour value repeated at its points: line l has value l / 2.
    const valued = [0, 1, 2].map((l) => [[0, l, l / 2], [1, l, l / 2]]);
    logger.multiLines('valued', valued, { lineDims: [0], spatialDim: 2, append: false, color: new ColorSpec('Inferno256') });
    await logger.shutdown();
    const [byLine, byPanel, byValue] = readLog(path);
    expect(byLine.header.opts).toEqual({ append: false, palette: 'Turbo256' });
    // Lines run row-major over axes 0, 1: (0,0), (0,1), (0,2), (1,0), ...: their index along axis 1 over 2.
    expect(byLine.arrays.color).toEqual({ dtype: 'float32', shape: [6], data: Float32Array.of(0, 0.5, 1, 0, 0.5, 1) });
    expect(byPanel.header.opts).toEqual({ append: true, palette: 'Viridis256', colorLabel: 'panel' });
    expect(Array.from(byPanel.arrays.color.data)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(byValue.arrays.color).toEqual({ dtype: 'float64', shape: [3], data: Float64Array.of(0, 0.5, 1) });
    expect(Array.from(byValue.arrays.y.data)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('multiLines refuses a ColorSpec a line cannot be drawn by, naming the argument', () => {
    const logger = new DataLogger('bad-colours');
    const paths = [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]; // 2 lines x 2 points x (x, y)
    const call = (options: object, data: unknown = paths) => () => logger.multiLines('m', data as number[], { lineDims: [0], spatialDim: 2, append: true, ...options });
    const cases: [string, () => void][] = [
      ['multiLines(options.color): expected a ColorSpec, got Object', call({ color: { palette: 'Viridis256' } })],
      ['multiLines(options.color): dim 2 is the spatialDim; it must be another axis', call({ color: new ColorSpec('Viridis256', 2) })],
      ['multiLines(options.color.dim): expected an axis 0..2 of the 3-d data, got 3', call({ color: new ColorSpec('Viridis256', 3) })],
      ["multiLines(options.color.dim): axis 1 enumerates the points of each line; a line is drawn in one colour, so give one of lineDims (0)", call({ color: new ColorSpec('Viridis256', 1) })],
      ['multiLines(options.palette): give the palette in the ColorSpec (options.color) or in options.palette, not both', call({ color: new ColorSpec('Viridis256', 0), palette: 'Turbo256' })],
      ['multiLines(data): axis spatialDim=2 has size 2, expected 3 (x, y, colour value: ColorSpec without dim)', call({ color: new ColorSpec('Viridis256') })],
      ['multiLines(data): line 1 has colour values 0.5 (point 0) and 0.25 (point 1); a line is drawn in one colour', call({ color: new ColorSpec('Viridis256') }, [[[0, 1, 0], [2, 3, 0]], [[4, 5, 0.5], [6, 7, 0.25]]])],
      ['multiLines(data): the lines have no points, so a ColorSpec without dim finds no colour value for them', call({ color: new ColorSpec('Viridis256') }, ndarray(new Float64Array(0), [2, 0, 3]))],
      ['ColorSpec(palette): unknown palette "Viridis"', () => new ColorSpec('Viridis', 0)],
    ];
    for (const [message, bad] of cases) expect(bad, message).toThrow(message);
  });

  it('clear() writes a clear record for every plot, or for those named', async () => {
    const path = newLogPath();
    const logger = new DataLogger('cleared');
    await logger.initWriteLog(path);
    logger.clear();
    logger.tandemLines('l', 0, [1]);
    logger.clear(['l']);
    await logger.shutdown();
    expect(readLog(path).map((r) => [r.header.seq, r.header.kind, r.header.opts])).toEqual([[0, 'clear', {}], [1, 'lines', { x: 0 }], [2, 'clear', { plots: ['l'] }]]);
  });

  it('takes a sink of the user\'s own through addSink: every record, decodable, then its report', async () => {
    const frames: Buffer[] = [];
    const sink: Sink = {
      name: 'memory',
      write: (frame) => void frames.push(frame),
      flush: async () => ({ sink: 'memory', delivered: frames.length, dropped: 0, pending: 0, errors: 0 }),
      close: async () => ({ sink: 'memory', delivered: frames.length, dropped: 0, pending: 0, errors: 0 }),
    };
    const logger = new DataLogger('own-sink');
    expect(() => logger.addSink({ name: 'x' } as unknown as Sink)).toThrow('addSink(sink): expected a Sink');
    logger.setLayout({ a: [0, 0, 1, 1] });
    logger.addSink(sink);
    logger.tandemLines('a', 0, [1, 2]);
    const report = await logger.shutdown();
    expect(frames.map((frame) => (readFrame(frame, 0) as { record: LogRecord }).record.header.kind)).toEqual(['layout', 'lines']);
    expect(report.sinks).toEqual([{ sink: 'memory', delivered: 2, dropped: 0, pending: 0, errors: 0 }]);
  });

  it('gives a sink attached after setLayout the layout first', async () => {
    const path = newLogPath();
    const logger = new DataLogger('late');
    logger.setLayout({ a: [0, 0, 1, 1] });
    logger.tandemLines('a', 0, [1]);
    await logger.initWriteLog(path);
    logger.tandemLines('a', 1, [2]);
    await logger.shutdown();
    expect(readLog(path).map((r) => [r.header.seq, r.header.kind])).toEqual([[0, 'layout'], [2, 'lines']]);
  });

  it('gives every sink a whole copy of each record, large or small', async () => {
    const paths = [newLogPath(), newLogPath()];
    const logger = new DataLogger('twice');
    await logger.initWriteLog(paths[0]);
    logger.setLayout({ dots: [0, 0, 1, 1], lines: [1, 0, 1, 1] });
    await logger.initWriteLog(paths[1]);
    const points = Float64Array.from({ length: 4000 }, (_, i) => i);
    logger.scatter('dots', ndarray(points, [2000, 2]), { spatialDim: 1, append: true });
    logger.tandemLines('lines', 0, [1]);
    await logger.shutdown();
    for (const path of paths) {
      const records = readLog(path);
      expect(records.map((r) => r.header.kind)).toEqual(['layout', 'scatter', 'lines']);
      expect(records[1].arrays.x.data).toEqual(points.filter((_, i) => i % 2 === 0));
    }
  });

  it('never throws when the log cannot be written: reports through the error event and shutdown', async () => {
    const logger = new DataLogger('broken');
    const errors: SinkError[] = [];
    logger.on('error', (e) => errors.push(e));
    await logger.initWriteLog(dir); // a directory, not a file
    for (let i = 0; i < 10; i++) logger.tandemLines('a', i, [i]);
    const flushed = await logger.flush();
    expect(flushed.sinks[0]).toMatchObject({ delivered: 0, pending: 10, lastError: expect.stringMatching(/EISDIR/) });
    const report = await logger.shutdown();
    expect(report.sinks[0]).toMatchObject({ sink: `file:${dir}`, delivered: 0, dropped: 10, pending: 0 });
    expect(report.sinks[0].errors).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBe(report.sinks[0].errors);
    expect(errors[0]).toMatchObject({ name: 'SinkError', sink: `file:${dir}`, message: expect.stringMatching(/EISDIR/) });
  });

  it('warns on stderr once when a sink fails and nobody listens for errors', async () => {
    const logger = new DataLogger('unheard');
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof write;
    try {
      await logger.initWriteLog(dir);
      logger.tandemLines('a', 0, [0]);
      await logger.flush();
      logger.tandemLines('a', 1, [0]);
      await logger.shutdown();
    } finally {
      process.stderr.write = write;
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/streamvis logger 'unheard': file:.*EISDIR/);
  });

  it('delivers what it kept once the log becomes writable', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where the log directory should be');
    const path = join(blocker, 'late.svlog');
    const logger = new DataLogger('recovers');
    const errors: SinkError[] = [];
    logger.on('error', (e) => errors.push(e));
    await logger.initWriteLog(path);
    logger.tandemLines('a', 0, [0]);
    expect((await logger.flush()).sinks[0]).toMatchObject({ delivered: 0, pending: 1 });
    rmSync(blocker);
    logger.tandemLines('a', 1, [1]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the sink retries on its own, with backoff
    expect((await logger.flush()).sinks[0]).toMatchObject({ delivered: 2, pending: 0, dropped: 0 });
    await logger.shutdown();
    expect(errors.length).toBeGreaterThan(0);
    expect(readLog(path).map((r) => r.header.seq)).toEqual([0, 1]);
  });

  it("onFull 'drop-oldest': each drop reaches the 'error' listener during the call that made it, with its count, and the report agrees", async () => {
    const blocker = join(dir, 'drop-blocker');
    writeFileSync(blocker, 'a file where the log directory should be');
    const path = join(blocker, 'dropping.svlog');
    const logger = new DataLogger('dropping', { onFull: 'drop-oldest' });
    const dropsSeen: number[] = [];
    logger.on('error', (e) => dropsSeen.push(e.dropped));
    const points = ndarray(new Float32Array(2000), [1000, 2]);
    const frameBytes = 8192; // a 1000-point float32 scatter is a little over 8 KB
    await logger.initWriteLog(path, { maxBufferedBytes: 10 * frameBytes });
    let droppedInCalls = 0;
    for (let i = 0; i < 50; i++) {
      const before = dropsSeen.length;
      logger.scatter('p', points, { spatialDim: 1, append: true });
      droppedInCalls += dropsSeen.slice(before).reduce((sum, n) => sum + n, 0);
    }
    expect(droppedInCalls).toBeGreaterThanOrEqual(40);
    rmSync(blocker);
    while ((await logger.flush()).sinks[0].pending > 0); // an attempt begun before the blocker went may still fail
    const report = await logger.shutdown();
    expect(report.sinks[0]).toMatchObject({ dropped: droppedInCalls, delivered: 50 - droppedInCalls, pending: 0 });
    // Kept: those handed to the writer thread before it fell behind, and the newest; the oldest of the rest were dropped.
    const seqs = readLog(path).map((r) => r.header.seq);
    expect(seqs).toHaveLength(50 - droppedInCalls);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    expect(seqs.at(-1)).toBe(49);
  });

  it('names a bad onFull or maxBufferedBytes', async () => {
    expect(() => new DataLogger('r', { onFull: 'drop' as never })).toThrow("DataLogger(options.onFull): expected 'block' or 'drop-oldest', got \"drop\"");
    expect(() => new DataLogger('r', 'block' as never)).toThrow('DataLogger(options): expected an options object, got "block"');
    const logger = new DataLogger('r');
    await expect(logger.initWriteLog(newLogPath(), { maxBufferedBytes: -1 })).rejects.toThrow('initWriteLog(options.maxBufferedBytes): expected an integer >= 1, got -1');
  });
});
