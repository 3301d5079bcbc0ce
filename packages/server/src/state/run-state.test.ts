import { describe, expect, it, vi } from 'vitest';
import { encodeRecord, MAX_PLOTS_PER_RUN, readFrame, type ArrayInput, type GridCell, type LogRecord, type RecordFields } from '@streamvis/format';
import type { PlotDelta } from '../protocol.js';
import { DEFAULT_ROLLOVER } from './plot-state.js';
import { LIVE_WITHIN_MS, RunState, type ApplyOutcome } from './run-state.js';
import { DENSITY_BIN_PX, DENSITY_POINTS } from './scatter-plot.js';

// Records go through the real codec, exactly as the server receives them.
let seq = 0;
function record(fields: Record<string, unknown>, arrays: ArrayInput[] = [], run = 'run'): LogRecord {
  const frame = encodeRecord({ run, logger: 'L', seq: seq++, time: 0, ...fields } as RecordFields, arrays);
  const result = readFrame(frame, 0);
  if (result.status !== 'record') throw new Error('test record did not decode');
  return result.record;
}
const vector = (name: string, values: number[]): ArrayInput => ({ name, shape: [values.length], data: Float64Array.from(values) });
const matrix = (name: string, rows: number[][]): ArrayInput => ({ name, shape: [rows.length, rows[0]?.length ?? 0], data: Float64Array.from(rows.flat()) });

const scatter = (plot: string, x: number[], y: number[], opts: Record<string, unknown> = { append: false }, color?: number[]) =>
  record({ kind: 'scatter', plot, opts }, [vector('x', x), vector('y', y), ...(color ? [vector('color', color)] : [])]);
const lines = (plot: string, step: number, ys: number[], opts: Record<string, unknown> = {}) =>
  record({ kind: 'lines', plot, opts: { x: step, ...opts } }, [vector('y', ys)]);
const multilines = (plot: string, xs: number[][], ys: number[][], opts: Record<string, unknown> = { append: true }, color?: number[]) =>
  record({ kind: 'multilines', plot, opts }, [matrix('x', xs), matrix('y', ys), ...(color ? [vector('color', color)] : [])]);
const layout = (cells: Record<string, GridCell>) => record({ kind: 'layout', opts: { cells } });

function deltaOf(outcome: ApplyOutcome): PlotDelta {
  if (outcome.type !== 'delta') throw new Error(`expected a delta, got ${outcome.type}`);
  return outcome.delta();
}

describe('RunState: scatter', () => {
  it('replace swaps the data; append adds rows in order', () => {
    const state = new RunState('run');
    expect(state.apply(scatter('s', [1, 2], [3, 4])).type).toBe('snapshot');
    expect(deltaOf(state.apply(scatter('s', [5], [6])))).toEqual({ plot: 's', op: 'replace', columns: { x: [5], y: [6] } });
    expect(deltaOf(state.apply(scatter('s', [7, 8], [9, 10], { append: true })))).toEqual({
      plot: 's', op: 'append', columns: { x: [7, 8], y: [9, 10] }, rollover: DEFAULT_ROLLOVER,
    });
    expect(state.plotSnapshot('s')).toMatchObject({ kind: 'scatter', columns: { x: [5, 7, 8], y: [6, 9, 10] }, length: 3 });
  });

  it('append with rollover keeps the newest points', () => {
    const state = new RunState('run');
    for (let i = 0; i < 5; i++) state.apply(scatter('s', [i, i + 0.5], [-i, -i - 0.5], { append: true, rollover: 3 }));
    expect(state.plotSnapshot('s')?.columns).toEqual({ x: [3.5, 4, 4.5], y: [-3.5, -4, -4.5] });
    expect(state.plotSnapshot('s')?.opts.rollover).toBe(3);
  });

  it('carries the colour column and palette', () => {
    const state = new RunState('run');
    state.apply(scatter('c', [1], [2], { append: true, palette: 'Viridis256' }, [0.25]));
    state.apply(scatter('c', [3], [4], { append: true, palette: 'Viridis256' }, [1]));
    expect(state.plotSnapshot('c')).toMatchObject({ opts: { palette: 'Viridis256' }, columns: { x: [1, 3], y: [2, 4], color: [0.25, 1] } });
  });

  it('an append that drops the colour column is invalid and changes nothing', () => {
    const state = new RunState('run');
    state.apply(scatter('c', [1], [2], { append: true }, [0.5]));
    expect(state.apply(scatter('c', [3], [4], { append: true })).type).toBe('invalid');
    expect(state.plotSnapshot('c')?.columns).toEqual({ x: [1], y: [2], color: [0.5] });
    expect(state.counts).toMatchObject({ records: 1, invalid: 1 });
    expect(state.errors).toBe(1);
  });

  it('x and y of different lengths never reach the state: the decoder names the array', () => {
    const frame = encodeRecord({ run: 'run', logger: 'L', seq: 0, time: 0, kind: 'scatter', plot: 's', opts: { append: false } }, [vector('x', [1, 2]), vector('y', [3])]);
    expect(readFrame(frame, 0)).toMatchObject({ status: 'corrupt', reason: "scatter array 'y': expected shape [2] like 'x', got [1]" });
  });
});

describe('RunState: lines', () => {
  it('appends one row per record: x and one column per line', () => {
    const state = new RunState('run');
    state.apply(lines('l', 0, [1, 10]));
    expect(deltaOf(state.apply(lines('l', 1, [2, 20])))).toEqual({
      plot: 'l', op: 'append', columns: { x: [1], y0: [2], y1: [20] }, rollover: DEFAULT_ROLLOVER,
    });
    state.apply(lines('l', 2, [3, 30]));
    expect(state.plotSnapshot('l')?.columns).toEqual({ x: [0, 1, 2], y0: [1, 2, 3], y1: [10, 20, 30] });
  });

  it('rolls over to the newest rows', () => {
    const state = new RunState('run');
    for (let step = 0; step < 10; step++) state.apply(lines('l', step, [step * 2], { rollover: 4 }));
    expect(state.plotSnapshot('l')?.columns).toEqual({ x: [6, 7, 8, 9], y0: [12, 14, 16, 18] });
  });

  it('a record with another number of lines is invalid', () => {
    const state = new RunState('run');
    state.apply(lines('l', 0, [1, 2]));
    expect(state.apply(lines('l', 1, [1, 2, 3]))).toMatchObject({ type: 'invalid', reason: expect.stringMatching(/2 lines/) });
    expect(state.plotSnapshot('l')?.columns).toEqual({ x: [0], y0: [1], y1: [2] });
  });
});

describe('RunState: multilines', () => {
  it('append extends line i by row i; new lines start empty', () => {
    const state = new RunState('run');
    state.apply(multilines('m', [[0, 1], [0, 1]], [[5, 6], [7, 8]]));
    expect(deltaOf(state.apply(multilines('m', [[2], [2], [0]], [[9], [10], [11]])))).toEqual({
      plot: 'm', op: 'append', columns: { xs: [[2], [2], [0]], ys: [[9], [10], [11]] }, rollover: DEFAULT_ROLLOVER,
    });
    expect(state.plotSnapshot('m')).toMatchObject({ length: 3, columns: { xs: [[0, 1, 2], [0, 1, 2], [0]], ys: [[5, 6, 9], [7, 8, 10], [11]] } });
  });

  it('replace swaps the whole set of lines', () => {
    const state = new RunState('run');
    state.apply(multilines('m', [[0], [1]], [[0], [1]]));
    const delta = deltaOf(state.apply(multilines('m', [[4, 5]], [[6, 7]], { append: false })));
    expect(delta).toEqual({ plot: 'm', op: 'replace', columns: { xs: [[4, 5]], ys: [[6, 7]] } });
    expect(state.plotSnapshot('m')?.columns).toEqual({ xs: [[4, 5]], ys: [[6, 7]] });
  });

  it('rollover bounds the points per line', () => {
    const state = new RunState('run');
    for (let i = 0; i < 4; i++) state.apply(multilines('m', [[i, i]], [[i, -i]], { append: true, rollover: 3 }));
    expect(state.plotSnapshot('m')?.columns).toEqual({ xs: [[2, 3, 3]], ys: [[-2, 3, -3]] });
  });

  it('a replace sets each line\'s colour value; an append sets those of the lines it holds, the others keep theirs', () => {
    const state = new RunState('run');
    state.apply(multilines('m', [[0], [0], [0]], [[1], [2], [3]], { append: false, palette: 'Viridis256' }, [0, 0.5, 1]));
    expect(state.plotSnapshot('m')).toMatchObject({ opts: { palette: 'Viridis256' }, columns: { color: [0, 0.5, 1] } });
    expect(state.frame('m', { width: 100, height: 300 })?.data).toMatchObject({ color: Float64Array.of(0, 0.5, 1) });
    const delta = deltaOf(state.apply(multilines('m', [[1], [1]], [[4], [5]], { append: true }, [0.25, 0.75])));
    expect(delta.columns).toEqual({ xs: [[1], [1]], ys: [[4], [5]], color: [0.25, 0.75] });
    expect(state.plotSnapshot('m')?.columns).toEqual({ xs: [[0, 1], [0, 1], [0]], ys: [[1, 4], [2, 5], [3]], color: [0.25, 0.75, 1] });
    // New lines take the values the append gives them.
    state.apply(multilines('m', [[2], [2], [2], [2]], [[6], [7], [8], [9]], { append: true }, [0, 0, 0, 0.125]));
    expect(state.plotSnapshot('m')?.columns.color).toEqual([0, 0, 0, 0.125]);
    // A replace without colour values takes them away.
    expect(deltaOf(state.apply(multilines('m', [[3]], [[3]], { append: false }))).columns).toEqual({ xs: [[3]], ys: [[3]] });
    expect(state.frame('m', { width: 100, height: 300 })?.data).not.toHaveProperty('color');
  });

  it('an append that adds or drops the lines\' colour values is invalid and changes nothing', () => {
    const state = new RunState('run');
    state.apply(multilines('m', [[0]], [[1]], { append: true }, [0.5]));
    expect(state.apply(multilines('m', [[1]], [[2]], { append: true })).type).toBe('invalid');
    expect(state.status().lastError).toMatch(/append to 'm' drops the lines' colour values/);
    state.apply(multilines('plain', [[0]], [[1]], { append: true }));
    expect(state.apply(multilines('plain', [[1]], [[2]], { append: true }, [1])).type).toBe('invalid');
    expect(state.plotSnapshot('m')?.columns).toEqual({ xs: [[0]], ys: [[1]], color: [0.5] });
    expect(state.plotSnapshot('plain')?.columns).toEqual({ xs: [[0]], ys: [[1]] });
  });
});

describe('RunState: run, layout and counts', () => {
  it('ignores and counts records of other runs', () => {
    const state = new RunState('run');
    state.apply(record({ kind: 'scatter', plot: 'other', opts: { append: false } }, [vector('x', [1]), vector('y', [1])], 'someone-else'));
    expect(state.counts).toMatchObject({ records: 0 });
    expect(state.health.ignored).toBe(1);
    expect(state.summary()).toEqual({ run: 'run', records: 0, plots: [], status: 'finished', errors: 0 });
  });

  it('sums up the run: its producer times, live while its latest record is recent, finished after', () => {
    const state = new RunState('run');
    const at = (time: number) => encodeRecord({ run: 'run', logger: 'L', seq: time, time, kind: 'lines', plot: 'p', opts: { x: time } } as RecordFields, [vector('y', [1])]);
    for (const time of [1_000, 2_000]) {
      const read = readFrame(at(time), 0);
      if (read.status === 'record') state.apply(read.record);
    }
    expect(state.summary(2_000 + LIVE_WITHIN_MS - 1)).toMatchObject({ records: 2, firstTime: 1_000, lastTime: 2_000, status: 'live' });
    expect(state.summary(2_000 + LIVE_WITHIN_MS)).toMatchObject({ status: 'finished' });
  });

  it('places plots without a layout on a 2-column grid in order of first use', () => {
    const state = new RunState('run');
    for (const plot of ['a', 'b', 'c']) state.apply(lines(plot, 0, [0]));
    expect(state.snapshot().layout).toEqual({ a: [0, 0, 1, 1], b: [0, 1, 1, 1], c: [1, 0, 1, 1] });
  });

  it('a layout record places plots, asks for a new snapshot; unlaid plots go below it', () => {
    const state = new RunState('run');
    state.apply(lines('free', 0, [0]));
    expect(state.apply(layout({ big: [0, 0, 2, 2], small: [2, 1, 1, 1] })).type).toBe('snapshot');
    expect(state.detail()).toMatchObject({
      layout: { big: [0, 0, 2, 2], small: [2, 1, 1, 1], free: [3, 0, 1, 1] },
      plots: [{ name: 'free', kind: 'lines', cell: [3, 0, 1, 1], length: 1 }],
    });
  });

  it('a malformed layout does not decode, naming the cell, and the old one stays', () => {
    const state = new RunState('run');
    state.apply(layout({ a: [0, 0, 1, 1] }));
    const frame = encodeRecord({ run: 'run', logger: 'L', seq: 99, time: 0, kind: 'layout', opts: { cells: { a: [0, 0, 0, 1] } } });
    expect(readFrame(frame, 0)).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/layout opts.cells: plot 'a' needs/) });
    expect(state.snapshot().layout).toEqual({ a: [0, 0, 1, 1] });
  });

  it('a bug hit while applying is counted apart from invalid records and logged with its stack', () => {
    const state = new RunState('run');
    state.apply(scatter('p', [1], [1]));
    const plot = state.plot('p')!;
    plot.apply = () => {
      throw new TypeError('x is undefined');
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(state.apply(scatter('p', [2], [2])).type).toBe('invalid');
      expect(state.counts).toMatchObject({ records: 1, invalid: 0, internal: 1 });
      expect(state.status()).toMatchObject({ errors: 1, lastError: expect.stringMatching(/internal error: TypeError: x is undefined/) });
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/applying record L#\d+ failed/), expect.objectContaining({ stack: expect.stringMatching(/TypeError: x is undefined/) }));
    } finally {
      logged.mockRestore();
    }
  });

  it('takes at most MAX_PLOTS_PER_RUN plots; a record for one more is invalid, naming the bound, and the plots it has keep taking data', () => {
    const state = new RunState('run');
    for (let i = 0; i < MAX_PLOTS_PER_RUN; i++) state.apply(lines(`p${i}`, 0, [i]));
    expect(state.apply(lines('one-too-many', 0, [1]))).toMatchObject({ type: 'invalid', reason: expect.stringMatching(/has 10000 plots, the most a run may have; record for another plot 'one-too-many'/) });
    expect(state.plot('one-too-many')).toBeUndefined();
    expect(state.apply(lines('p0', 1, [2])).type).toBe('delta');
  });

  it('a record of another kind for an existing plot is invalid', () => {
    const state = new RunState('run');
    state.apply(lines('p', 0, [1]));
    expect(state.apply(scatter('p', [1], [1])).type).toBe('invalid');
    expect(state.lastError).toMatch(/lines plot/);
  });

  it('counts corrupt regions as errors', () => {
    const state = new RunState('run');
    state.health.noteCorruption({ offset: 10, size: 5, reason: 'bad magic' });
    expect(state.errors).toBe(1);
    expect(state.lastError).toMatch(/byte 10.*bad magic/);
  });

  it('counts source failures as errors, and shows the latest in its status', () => {
    const state = new RunState('run');
    state.health.noteFailure('reading run.svlog failed: EACCES');
    expect(state.status()).toEqual({ records: 0, errors: 1, lastError: 'reading run.svlog failed: EACCES' });
    expect(state.snapshot()).toMatchObject({ errors: 1, lastError: 'reading run.svlog failed: EACCES' });
  });
});

describe('RunState: clear and restarted producers', () => {
  const clear = (plots?: string[]) => record({ kind: 'clear', opts: plots ? { plots } : {} });
  let clock = 0;
  const linesBy = (logger: string, seq: number, x: number, time = ++clock) => {
    const frame = encodeRecord({ run: 'run', logger, seq, time, kind: 'lines', plot: 'loss', opts: { x } } as RecordFields, [vector('y', [x])]);
    const result = readFrame(frame, 0);
    if (result.status !== 'record') throw new Error('test record did not decode');
    return result.record;
  };

  it('clear empties every plot (or those named); their cells stay; a cleared plot may come back as another kind', () => {
    const state = new RunState('run');
    state.apply(layout({ a: [0, 0, 1, 1] }));
    state.apply(lines('a', 0, [1]));
    state.apply(scatter('b', [1], [2]));
    expect(state.apply(clear(['a'])).type).toBe('snapshot');
    expect(state.plot('a')).toBeUndefined();
    expect(state.plotSnapshot('b')?.columns).toEqual({ x: [1], y: [2] });
    expect(state.detail().layout).toEqual({ a: [0, 0, 1, 1], b: [1, 0, 1, 1] });
    state.apply(scatter('a', [5], [6]));
    expect(state.plot('a')?.kind).toBe('scatter');
    state.apply(clear());
    expect(state.detail().plots).toEqual([]);
    expect(state.status()).toMatchObject({ errors: 0 });
  });

  it('a new producer starting before the newest step restarts the line there; one producer going back is kept', () => {
    const state = new RunState('run');
    for (let step = 0; step < 10; step++) state.apply(linesBy('first', step, step));
    const restart = state.apply(linesBy('second', 0, 3));
    expect(state.plotSnapshot('loss')?.columns.x).toEqual([0, 1, 2, 3]);
    expect(restart.type === 'delta' && restart.delta()).toMatchObject({ op: 'replace', columns: { x: [0, 1, 2, 3] } });
    state.apply(linesBy('second', 1, 4));
    state.apply(linesBy('second', 2, 2)); // the same producer going back: kept as written
    expect(state.plotSnapshot('loss')?.columns.x).toEqual([0, 1, 2, 3, 4, 2]);
    expect(state.frame('loss', { width: 100, height: 300 })).toMatchObject({ rows: 6 });
  });

  it('an older producer\'s rows read late (another log) restart nothing', () => {
    const state = new RunState('run');
    for (let step = 10; step < 15; step++) state.apply(linesBy('resumed', step - 10, step, 1_000 + step));
    for (let step = 0; step < 10; step++) state.apply(linesBy('original', step, step, 100 + step));
    expect(state.plotSnapshot('loss')?.length).toBe(15);
  });
});

describe('RunState: each logger\'s sequence', () => {
  const numbered = (logger: string, seq: number) => {
    const frame = encodeRecord({ run: 'run', logger, seq, time: 0, kind: 'lines', plot: 'p', opts: { x: seq } } as RecordFields, [vector('y', [seq])]);
    const result = readFrame(frame, 0);
    if (result.status !== 'record') throw new Error('test record did not decode');
    return result.record;
  };

  it('reports records that never arrived, once, and shrinks the gap as late ones come', () => {
    const state = new RunState('run');
    for (let seq = 0; seq < 2_859; seq++) state.apply(numbered('L', seq));
    expect(state.status()).toEqual({ records: 2_859, errors: 0 });
    state.apply(numbered('L', 8_001));
    expect(state.status()).toEqual({
      records: 2_860,
      errors: 1,
      lastError: 'records 2,859-8,000 of logger L never arrived',
      gaps: [{ logger: 'L', from: 2_859, to: 8_000 }],
    });
    state.apply(numbered('L', 2_859)); // late, out of order
    state.apply(numbered('L', 8_002));
    expect(state.status()).toMatchObject({ records: 2_862, errors: 1, gaps: [{ logger: 'L', from: 2_860, to: 8_000 }] });
    for (let seq = 2_860; seq <= 8_000; seq++) state.apply(numbered('L', seq));
    expect(state.status().gaps).toBeUndefined();
    expect(state.errors).toBe(1);
  });

  it('keeps loggers apart, takes a logger joined mid-way as no gap, and drops copies (a log read again)', () => {
    const state = new RunState('run');
    state.apply(numbered('A', 0));
    state.apply(numbered('B', 500)); // a server started after this producer
    state.apply(numbered('A', 1));
    state.apply(numbered('B', 501));
    expect(state.apply(numbered('A', 0)).type).toBe('duplicate'); // the log read again from the start
    expect(state.apply(numbered('B', 500)).type).toBe('duplicate');
    expect(state.status()).toEqual({ records: 4, errors: 0 });
    expect(state.counts.duplicates).toBe(2);
    expect(state.plotSnapshot('p')?.columns.x).toEqual([0, 500, 1, 501]);
  });
});

describe('RunState: frames for the page', () => {
  it('gives a long line as min/max per pixel, and every step once zoomed in', () => {
    const state = new RunState('run');
    const steps = 200_000;
    for (let step = 0; step < steps; step++) state.apply(lines('loss', step, [Math.sin(step / 500), step === 123_456 ? 99 : 0]));
    const whole = state.frame('loss', { width: 1000, height: 300 });
    if (whole?.kind !== 'lines') throw new Error('no lines frame');
    expect(whole).toMatchObject({ rows: steps, reduced: true, version: state.versionOf('loss') });
    expect(whole.shown).toBeLessThanOrEqual(4 * 1000 * 2);
    expect(Math.max(...whole.data.ys[1])).toBe(99);

    const zoomed = state.frame('loss', { width: 1000, height: 300, x: [100_000, 100_999] });
    if (zoomed?.kind !== 'lines') throw new Error('no lines frame');
    // 1,000 steps in view and half the view on each side, every one of them.
    expect(zoomed.reduced).toBe(false);
    expect(zoomed.data.x[0]).toBeLessThanOrEqual(99_500);
    expect(zoomed.data.x[zoomed.data.x.length - 1]).toBeGreaterThanOrEqual(101_499);
    expect(Array.from(zoomed.data.x.subarray(1), (x, i) => x - zoomed.data.x[i]).every((gap) => gap === 1)).toBe(true);
  });

  it('reduces the rows a rollover keeps, and only those', () => {
    const state = new RunState('run');
    for (let step = 0; step < 5000; step++) state.apply(lines('recent', step, [step === 4500 ? 99 : step === 100 ? -99 : 0], { rollover: 1000 }));
    const frame = state.frame('recent', { width: 20, height: 300 });
    if (frame?.kind !== 'lines') throw new Error('no lines frame');
    expect(frame).toMatchObject({ rows: 1000, reduced: true });
    expect(frame.data.x[0]).toBe(4000);
    expect(frame.data.x[frame.data.x.length - 1]).toBe(4999);
    expect(Math.max(...frame.data.ys[0])).toBe(99);
    expect(Math.min(...frame.data.ys[0])).toBe(0);
  });

  it('reduces each long line of a multilines plot on its own, and zooms to every point', () => {
    const state = new RunState('run');
    const n = 50_000;
    // Line 0: steps, with one spike; line 1: x runs backwards (not ascending).
    const xs = [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => n - 1 - i)];
    const ys = [Array.from({ length: n }, (_, i) => (i === 31_337 ? 7 : Math.sin(i / 100))), Array.from({ length: n }, (_, i) => Math.cos(i / 100))];
    state.apply(record({ kind: 'multilines', plot: 'paths', opts: { append: false } }, [matrix('x', xs), matrix('y', ys)]));
    const whole = state.frame('paths', { width: 500, height: 300 });
    if (whole?.kind !== 'multilines') throw new Error('no multilines frame');
    expect(whole).toMatchObject({ rows: 2 * n, reduced: true });
    expect(whole.data.xs[0].length).toBeLessThanOrEqual(4 * 500);
    expect(Math.max(...whole.data.ys[0])).toBe(7);
    // Reduced by rows, in order, from its first point to its last.
    expect([whole.data.xs[1][0], whole.data.xs[1].at(-1)]).toEqual([n - 1, 0]);

    const zoomed = state.frame('paths', { width: 500, height: 300, x: [1000, 1099] });
    if (zoomed?.kind !== 'multilines') throw new Error('no multilines frame');
    expect(Array.from(zoomed.data.xs[0])).toEqual(Array.from({ length: 200 }, (_, i) => 950 + i));
    // A line whose x does not ascend cannot be cut to the range: it stays whole, reduced.
    expect([zoomed.data.xs[1][0], zoomed.data.xs[1].at(-1)]).toEqual([n - 1, 0]);
  });

  it('sends a large scatter as its density over the points\' extent, one bin per DENSITY_BIN_PX pixels', () => {
    const state = new RunState('run');
    const n = 100_000;
    // A 1000 x 100 grid of points, one per integer (x, y).
    const x = Array.from({ length: n }, (_, i) => i % 1000);
    const y = Array.from({ length: n }, (_, i) => Math.floor(i / 1000));
    state.apply(scatter('cloud', x, y));
    const whole = state.frame('cloud', { width: 800, height: 400 });
    if (whole?.kind !== 'scatter' || !whole.data.density) throw new Error('no scatter density');
    expect(whole).toMatchObject({ rows: n, shown: n, reduced: true });
    expect(whole.data.density).toEqual({
      x: { range: [0, 999], bins: 800 / DENSITY_BIN_PX, scale: 'linear' },
      y: { range: [0, 99], bins: 400 / DENSITY_BIN_PX, scale: 'linear' },
    });
    const { counts } = whole.data;
    expect(counts.length).toBe(400 * 200);
    expect(counts.reduce((sum, c) => sum + c, 0)).toBe(n);
    // Bin (0, 0) holds x in [0, 2.4975), y in [0, 0.495): the points (0, 0), (1, 0), (2, 0).
    expect(counts[0]).toBe(3);
    expect(whole.data.color).toBeUndefined();
  });

  it('shows every point of a zoomed box of few points, and the density of a box of many', () => {
    const state = new RunState('run');
    const n = 100_000;
    const x = Array.from({ length: n }, (_, i) => i % 1000);
    const y = Array.from({ length: n }, (_, i) => Math.floor(i / 1000));
    state.apply(scatter('cloud', x, y, { append: false }, x.map((v) => v / 999)));
    const box = state.frame('cloud', { width: 800, height: 400, x: [10, 19], y: [10, 19] });
    if (box?.kind !== 'scatter' || box.data.density) throw new Error('no scatter points');
    // Widened by half the box on each side: x and y in [5.5, 23.5] -> 18 x 18 grid points.
    expect(box).toMatchObject({ shown: 18 * 18, reduced: false });
    expect(box.data.x.length).toBe(18 * 18);
    expect(box.data.color?.length).toBe(18 * 18);

    const wide = state.frame('cloud', { width: 800, height: 400, x: [100, 199], y: [10, 59] });
    if (wide?.kind !== 'scatter' || !wide.data.density) throw new Error('no scatter density');
    expect(DENSITY_POINTS).toBeLessThan(200 * 100);
    // The box and its margin (half the box on each side), in bins as wide on screen as unzoomed.
    expect(wide.data.density.x).toEqual({ range: [50.5, 248.5], bins: (2 * 800) / DENSITY_BIN_PX, scale: 'linear' });
    expect(wide.data.density.y).toEqual({ range: [-14.5, 83.5], bins: (2 * 400) / DENSITY_BIN_PX, scale: 'linear' });
    // x in [51, 248] and y in [0, 83]: 198 x 84 points, each bin's mean colour that of its points.
    expect(wide.shown).toBe(198 * 84);
    const { counts, color } = wide.data;
    const first = counts.findIndex((c) => c > 0);
    expect(color![first]).toBeCloseTo(51 / 999, 6);
  });

  it('bins evenly on screen on a log axis, and bounds the bins a request can ask for', () => {
    const state = new RunState('run');
    const n = 10_000;
    state.apply(scatter('cloud', Array.from({ length: n }, (_, i) => 10 ** (i / n) * 10), Array.from({ length: n }, (_, i) => i)));
    const log = state.frame('cloud', { width: 100, height: 100, xScale: 'log' });
    if (log?.kind !== 'scatter' || !log.data.density) throw new Error('no scatter density');
    expect(log.data.density.x.scale).toBe('log');
    // x from 10 to 100, evenly spread in log10: every column of bins holds about as many points.
    const { density, counts } = log.data;
    const columns = density.x.bins;
    const perColumn = Array.from({ length: columns }, (_, c) => counts.filter((_, bin) => bin % columns === c).reduce((sum, v) => sum + v, 0));
    expect(Math.min(...perColumn)).toBeGreaterThan(0.8 * (n / columns));

    const huge = state.frame('cloud', { width: 16_384, height: 16_384, x: [10, 50], y: [0, 9000] });
    if (huge?.kind !== 'scatter' || !huge.data.density) throw new Error('no scatter density');
    expect(huge.data.density.x.bins * huge.data.density.y.bins).toBeLessThanOrEqual(1 << 20);
  });

  it('moves a plot\'s version on each of its records only', () => {
    const state = new RunState('run');
    state.apply(lines('a', 0, [1]));
    state.apply(lines('b', 0, [1]));
    const a = state.versionOf('a');
    state.apply(lines('b', 1, [2]));
    expect(state.versionOf('a')).toBe(a);
    expect(state.versionOf('b')).toBeGreaterThan(a);
    expect(state.frame('nope', { width: 10, height: 300 })).toBeUndefined();
  });
});
