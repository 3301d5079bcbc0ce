import type { GridCell } from '@streamvis/format';
import { describe, expect, it } from 'vitest';
import { CellIndex, cellSize, rowsInBand, type GridGeometry } from './grid-geometry.js';

const grid: GridGeometry = { top: 100, rows: 50, rowHeight: 280, columnWidth: 300, rowGap: 10, columnGap: 10 };

describe('rowsInBand', () => {
  it('gives the rows a band of the page touches, gaps counted with the row above', () => {
    expect(rowsInBand(grid, 0, 99)).toBeUndefined();
    expect(rowsInBand(grid, 0, 100)).toEqual([0, 0]);
    expect(rowsInBand(grid, 100 + 290 * 3 + 5, 100 + 290 * 5)).toEqual([3, 5]);
    expect(rowsInBand(grid, 100 + 290 * 48, 1e9)).toEqual([48, 49]);
    expect(rowsInBand(grid, 1e9, 2e9)).toBeUndefined();
    expect(rowsInBand({ ...grid, rows: 0 }, 0, 1e9)).toBeUndefined();
  });
});

describe('cellSize', () => {
  it('spans tracks and the gaps between them', () => {
    expect(cellSize(grid, [0, 0, 1, 1])).toEqual({ width: 300, height: 280 });
    expect(cellSize(grid, [2, 1, 2, 3])).toEqual({ width: 920, height: 570 });
  });
});

describe('CellIndex', () => {
  const cells = new Map<string, GridCell>([
    ['a', [0, 0, 1, 1]],
    ['b', [0, 1, 1, 1]],
    ['tall', [1, 0, 4, 1]],
    ['c', [2, 1, 1, 1]],
    ['wide', [5, 0, 1, 2]],
    ['last', [9, 1, 1, 1]],
  ]);
  const index = new CellIndex(cells);
  const sorted = (names: string[]) => [...names].sort();

  it('finds the cells that cover any row of the band, spanning cells by every row they cover', () => {
    expect(sorted(index.inRows(0, 0))).toEqual(['a', 'b']);
    expect(sorted(index.inRows(3, 4))).toEqual(['tall']);
    expect(sorted(index.inRows(4, 5))).toEqual(['tall', 'wide']);
    expect(sorted(index.inRows(6, 8))).toEqual([]);
    expect(sorted(index.inRows(0, 99))).toEqual(sorted([...cells.keys()]));
  });

  it('agrees with a scan of every cell on a grid of 10,000 cells', () => {
    const many = new Map<string, GridCell>();
    for (let i = 0; i < 10_000; i++) many.set(`p${i}`, [Math.floor(i / 4) * 2, i % 4, 1 + (i % 3), 1]);
    const big = new CellIndex(many);
    for (const [first, last] of [[0, 3], [777, 790], [5_000, 5_100], [19_990, 20_010]]) {
      const scanned = [...many].filter(([, [top, , height]]) => top <= last && top + height - 1 >= first).map(([name]) => name);
      expect(sorted(big.inRows(first, last))).toEqual(sorted(scanned));
    }
  });
});
