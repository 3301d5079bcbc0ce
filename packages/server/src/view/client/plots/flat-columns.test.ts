import { describe, expect, it } from 'vitest';
import type { PlotDelta } from '../../../protocol.js';
import { flatColumns, flatUpdate } from './flat-columns.js';

const append = (columns: PlotDelta['columns'], rollover?: number): PlotDelta => ({ plot: 'p', op: 'append', columns, rollover });
const replace = (columns: PlotDelta['columns'], rollover?: number): PlotDelta => ({ plot: 'p', op: 'replace', columns, rollover });
const plain = (columns: Record<string, Float64Array>) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Array.from(v)]));

describe('flatColumns', () => {
  it('turns JSON nulls into NaN gaps and keeps only the named columns', () => {
    const columns = flatColumns({ x: [1, 2], y: [null as unknown as number, 4], extra: [9, 9] }, ['x', 'y']);
    expect(plain(columns)).toEqual({ x: [1, 2], y: [NaN, 4] });
    expect(columns.x).toBeInstanceOf(Float64Array);
  });

  it('fills a missing column with NaN so every column keeps the same length', () => {
    expect(plain(flatColumns({ x: [1, 2, 3] }, ['x', 'color']))).toEqual({ x: [1, 2, 3], color: [NaN, NaN, NaN] });
  });
});

describe('flatUpdate', () => {
  const names = ['x', 'y'];

  it('joins a frame of appends into one stream with the newest rollover', () => {
    const update = flatUpdate(names, [append({ x: [1], y: [10] }, 5), append({ x: [2, 3], y: [20, 30] }, 4)]);
    expect(update?.op).toBe('stream');
    expect(plain(update!.columns)).toEqual({ x: [1, 2, 3], y: [10, 20, 30] });
    expect(update).toMatchObject({ rollover: 4 });
  });

  it('lets the last replace supersede what came before and appends what came after, within rollover', () => {
    const update = flatUpdate(names, [
      append({ x: [0], y: [0] }),
      replace({ x: [1, 2], y: [10, 20] }),
      append({ x: [3, 4], y: [30, 40] }, 3),
    ]);
    expect(update?.op).toBe('replace');
    expect(plain(update!.columns)).toEqual({ x: [2, 3, 4], y: [20, 30, 40] });
  });

  it('has nothing to do for no deltas', () => {
    expect(flatUpdate(names, [])).toBeUndefined();
  });
});
