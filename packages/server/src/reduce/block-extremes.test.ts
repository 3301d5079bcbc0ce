import { describe, expect, it } from 'vitest';
import { BLOCK_ROWS, BlockExtremes } from './block-extremes.js';
import { scanExtremes } from './m4.js';

describe('BlockExtremes', () => {
  // A noisy series with gaps (NaN), ties and a long NaN run spanning whole blocks.
  const n = 20 * BLOCK_ROWS + 17;
  const values = Float64Array.from({ length: n }, (_, i) => (i % 37 === 0 ? NaN : ((i * 7919) % 101) - 50));
  values.fill(NaN, 3 * BLOCK_ROWS, 6 * BLOCK_ROWS + 5);

  it('finds the same extremes as a scan, for every kind of range', () => {
    const blocks = new BlockExtremes();
    values.forEach((value, row) => blocks.push(row, value));
    const ranges: Array<[number, number]> = [[0, n], [1, 2], [5, 5 + BLOCK_ROWS], [BLOCK_ROWS, 3 * BLOCK_ROWS], [3 * BLOCK_ROWS, 6 * BLOCK_ROWS], [3 * BLOCK_ROWS + 1, 7 * BLOCK_ROWS - 1], [n - 20, n]];
    for (const [from, to] of ranges) {
      const [min, max] = blocks.extremes(from, to, 0, values);
      const [scanMin, scanMax] = scanExtremes(values, from, to);
      expect({ from, to, min: values[min], max: values[max] }).toEqual({ from, to, min: values[scanMin], max: values[scanMax] });
    }
  });

  it('stays right after the oldest rows are dropped (rollover): a partly dropped block is scanned', () => {
    const blocks = new BlockExtremes();
    values.forEach((value, row) => blocks.push(row, value));
    const held = 2 * BLOCK_ROWS + 10;
    blocks.dropBefore(held);
    const kept = values.subarray(held);
    const [min, max] = blocks.extremes(held, n, held, kept);
    const [scanMin, scanMax] = scanExtremes(kept, 0, kept.length);
    expect([kept[min - held], kept[max - held]]).toEqual([kept[scanMin], kept[scanMax]]);
  });
});
