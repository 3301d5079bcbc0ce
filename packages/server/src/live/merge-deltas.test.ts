import { describe, expect, it } from 'vitest';
import type { PlotDelta } from '../protocol.js';
import { mergeDeltas } from './merge-deltas.js';

const append = (plot: string, x: number[], rollover?: number): PlotDelta => ({ plot, op: 'append', columns: { x, y: x.map((v) => -v) }, rollover });

describe('mergeDeltas', () => {
  it('joins consecutive appends to a plot, keeping order', () => {
    expect(mergeDeltas([append('a', [1, 2]), append('b', [9]), append('a', [3])])).toEqual([
      { plot: 'a', op: 'append', columns: { x: [1, 2, 3], y: [-1, -2, -3] } },
      append('b', [9]),
    ]);
  });

  it('keeps only the newest rollover rows of joined appends', () => {
    expect(mergeDeltas([append('a', [1, 2], 3), append('a', [3, 4], 3)])[0].columns.x).toEqual([2, 3, 4]);
  });

  it('a replace drops the plot\'s earlier deltas and later appends stay separate', () => {
    const replace: PlotDelta = { plot: 'a', op: 'replace', columns: { x: [5], y: [5] } };
    expect(mergeDeltas([append('a', [1]), replace, append('a', [6])])).toEqual([replace, append('a', [6])]);
  });

  it('joins multilines appends line by line', () => {
    const lines = (xs: number[][]): PlotDelta => ({ plot: 'm', op: 'append', columns: { xs, ys: xs } });
    expect(mergeDeltas([lines([[1], [2]]), lines([[3], [4], [5]])])[0].columns.xs).toEqual([[1, 3], [2, 4], [5]]);
  });

  it('joins coloured multilines appends: each line keeps its newest colour value', () => {
    const lines = (xs: number[][], color: number[]): PlotDelta => ({ plot: 'm', op: 'append', columns: { xs, ys: xs, color } });
    const [merged] = mergeDeltas([lines([[1], [2], [3]], [0, 0.5, 1]), lines([[4], [5]], [0.25, 0.75])]);
    expect(merged.columns).toEqual({ xs: [[1, 4], [2, 5], [3]], ys: [[1, 4], [2, 5], [3]], color: [0.25, 0.75, 1] });
  });
});
