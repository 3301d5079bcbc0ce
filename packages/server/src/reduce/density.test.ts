import { describe, expect, it } from 'vitest';
import type { DensityGrid } from '../protocol.js';
import { binDensity, extentOf, sparseBins } from './density.js';

const f64 = (values: number[]) => Float64Array.from(values);
/** A grid of `columns` x `rows` bins over [0, columns] x [0, rows]: bin edges on the integers. */
const unitGrid = (columns: number, rows: number): DensityGrid => ({
  x: { range: [0, columns], bins: columns, scale: 'linear' },
  y: { range: [0, rows], bins: rows, scale: 'linear' },
});

describe('binDensity', () => {
  it('counts every point in its bin, row by row from the lowest y', () => {
    // 3 x 2 bins; points at bin centres: (0,0) x1, (2,0) x2, (1,1) x3.
    const x = f64([0.5, 2.5, 2.5, 1.5, 1.5, 1.5]);
    const y = f64([0.5, 0.5, 0.5, 1.5, 1.5, 1.5]);
    const { counts, color, binned } = binDensity(x, y, undefined, unitGrid(3, 2));
    expect(Array.from(counts)).toEqual([1, 0, 2, 0, 3, 0]);
    expect(color).toBeUndefined();
    expect(binned).toBe(6);
  });

  it('puts a point on an inner edge in the bin above it, and one on the grid\'s upper edge in the last bin', () => {
    const x = f64([0, 1, 2, 3, 3]);
    const y = f64([0, 0, 1, 1, 2]);
    const { counts, binned } = binDensity(x, y, undefined, unitGrid(3, 2));
    // Row 0: x=0 -> col 0, x=1 -> col 1; row 1 (y=1 and y=2, the upper edge): x=2 -> col 2, x=3 (upper edge) -> col 2 twice.
    expect(Array.from(counts)).toEqual([1, 1, 0, 0, 0, 3]);
    expect(binned).toBe(5);
  });

  it('skips points with a NaN coordinate and points outside the grid', () => {
    const x = f64([NaN, 0.5, 0.5, -0.1, 3.1, 0.5, Infinity]);
    const y = f64([0.5, NaN, 0.5, 0.5, 0.5, 2.0001, 0.5]);
    const { counts, binned } = binDensity(x, y, undefined, unitGrid(3, 2));
    expect(Array.from(counts)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(binned).toBe(1);
  });

  it('gives each bin the mean colour of its points; NaN colours count the point, not the mean; an empty bin is NaN', () => {
    const x = f64([0.5, 0.5, 0.5, 1.5, 2.5]);
    const y = f64([0.5, 0.5, 0.5, 0.5, 0.5]);
    const color = f64([0.2, 0.6, NaN, NaN, 1]);
    const { counts, color: means } = binDensity(x, y, color, unitGrid(4, 1));
    expect(Array.from(counts)).toEqual([3, 1, 1, 0]);
    expect(means![0]).toBeCloseTo(0.4, 6);
    expect([means![1], means![2], means![3]]).toEqual([NaN, 1, NaN]);
  });

  it('gives zero counts for no points, or for points all outside the range', () => {
    expect(Array.from(binDensity(new Float64Array(0), new Float64Array(0), undefined, unitGrid(2, 2)).counts)).toEqual([0, 0, 0, 0]);
    const far = binDensity(f64([10, 20]), f64([10, 20]), f64([0.5, 0.5]), unitGrid(2, 1));
    expect(Array.from(far.counts)).toEqual([0, 0]);
    expect(Array.from(far.color!)).toEqual([NaN, NaN]);
    expect(far.binned).toBe(0);
  });

  it('bins evenly in log10 on a log axis, skipping values that are not positive', () => {
    const grid: DensityGrid = { x: { range: [1, 1000], bins: 3, scale: 'log' }, y: { range: [0, 1], bins: 1, scale: 'linear' } };
    const x = f64([1, 5, 10, 99, 100, 1000, 0, -5]);
    const y = f64([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(binDensity(x, y, undefined, grid).counts)).toEqual([2, 2, 2]);
  });

  it('refuses an empty range or a grid without bins, naming the axis', () => {
    const x = f64([1]);
    expect(() => binDensity(x, x, undefined, { ...unitGrid(1, 1), x: { range: [1, 1], bins: 1, scale: 'linear' } })).toThrow(/grid\.x\.range/);
    expect(() => binDensity(x, x, undefined, { ...unitGrid(1, 1), y: { range: [0, 1], bins: 0, scale: 'linear' } })).toThrow(/grid\.y\.bins/);
    expect(() => binDensity(x, x, undefined, { ...unitGrid(1, 1), x: { range: [0, 10], bins: 1, scale: 'log' } })).toThrow(/above 0/);
  });

  it('takes one pass over 1M points', () => {
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, (_, i) => (i * 0.618) % 1);
    const y = Float64Array.from({ length: n }, (_, i) => (i * 0.382) % 1);
    const grid: DensityGrid = { x: { range: [0, 1], bins: 800, scale: 'linear' }, y: { range: [0, 1], bins: 500, scale: 'linear' } };
    const started = performance.now();
    const { counts, binned } = binDensity(x, y, y, grid);
    const ms = performance.now() - started;
    expect(binned).toBe(n);
    expect(counts.reduce((sum, c) => sum + c, 0)).toBe(n);
    // About 10 ns a point here; a per-point object or a sort would take far longer.
    expect(ms).toBeLessThan(500);
  });
});

describe('extentOf', () => {
  it('spans the finite values (positive ones on a log axis), widening a single value', () => {
    expect(extentOf(f64([3, NaN, -2, Infinity, 7]), 'linear')).toEqual([-2, 7]);
    expect(extentOf(f64([3, -2, 0, 30]), 'log')).toEqual([3, 30]);
    expect(extentOf(f64([4, 4]), 'linear')).toEqual([3.5, 4.5]);
    const [low, high] = extentOf(f64([10]), 'log')!;
    expect(Math.log10(low)).toBeCloseTo(0.5, 12);
    expect(Math.log10(high)).toBeCloseTo(1.5, 12);
    expect(extentOf(f64([NaN]), 'linear')).toBeUndefined();
    expect(extentOf(f64([-1]), 'log')).toBeUndefined();
  });
});

describe('sparseBins', () => {
  it('lists the bins holding points, with their counts and colours, when they are fewer than half', () => {
    const x = f64([0.5, 0.5, 2.5]);
    const y = f64([0.5, 0.5, 2.5]);
    const dense = binDensity(x, y, f64([0.2, 0.4, 1]), unitGrid(3, 3));
    const sparse = sparseBins(dense)!;
    expect(Array.from(sparse.bins)).toEqual([0, 8]);
    expect(Array.from(sparse.counts)).toEqual([2, 1]);
    expect(sparse.color![0]).toBeCloseTo(0.3, 6);
    expect(sparse.color![1]).toBe(1);
  });

  it('leaves the bins dense when half of them or more hold points', () => {
    expect(sparseBins(binDensity(f64([0.5, 1.5]), f64([0.5, 0.5]), undefined, unitGrid(2, 2)))).toBeUndefined();
  });
});
