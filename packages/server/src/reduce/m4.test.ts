import { describe, expect, it } from 'vitest';
import { m4Rows, rowsInRange } from './m4.js';

/** The pixel a line through rows passes at each x bucket: its min and max y per bucket. */
function extremesPerBucket(x: Float64Array, y: Float64Array, rows: ArrayLike<number>, buckets: number): Array<[number, number]> {
  const span = x[x.length - 1] - x[0];
  const out = Array.from({ length: buckets }, () => [Infinity, -Infinity] as [number, number]);
  for (const i of Array.from(rows)) {
    const b = Math.min(buckets - 1, Math.floor(((x[i] - x[0]) * buckets) / span));
    out[b][0] = Math.min(out[b][0], y[i]);
    out[b][1] = Math.max(out[b][1], y[i]);
  }
  return out;
}

describe('m4Rows', () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  // A noisy sine with one spike the reduction must keep.
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000) + ((i * 7919) % 13) / 100);
  y[54_321] = 50;

  it('keeps every bucket\'s min and max, first and last row, in ascending order', () => {
    const buckets = 800;
    const rows = m4Rows(x, [y], 0, n, buckets, true);
    expect(rows.length).toBeLessThanOrEqual(4 * buckets);
    expect(rows.length).toBeGreaterThan(2 * buckets);
    expect(Array.from(rows)).toEqual(Array.from(rows).sort((a, b) => a - b));
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1]).toBe(n - 1);
    expect(Array.from(rows)).toContain(54_321);
    const all = Array.from({ length: n }, (_, i) => i);
    expect(extremesPerBucket(x, y, rows, buckets)).toEqual(extremesPerBucket(x, y, all, buckets));
  });

  it('keeps each series\' extremes when several share x', () => {
    const z = Float64Array.from(y, (v) => -v);
    const rows = m4Rows(x, [y, z], 0, n, 100, true);
    const all = Array.from({ length: n }, (_, i) => i);
    expect(extremesPerBucket(x, z, rows, 100)).toEqual(extremesPerBucket(x, z, all, 100));
    expect(extremesPerBucket(x, y, rows, 100)).toEqual(extremesPerBucket(x, y, all, 100));
  });

  it('never picks a NaN gap as an extreme while the bucket has numbers', () => {
    const gappy = Float64Array.from(y);
    gappy.fill(NaN, 10, 500);
    const rows = m4Rows(x, [gappy], 0, 1000, 2, true);
    // Buckets are rows 0-499 and 500-999; their first and last rows are kept whatever they hold, so the gap still shows.
    const extremes = Array.from(rows).filter((row) => ![0, 499, 500, 999].includes(row));
    expect(extremes.length).toBeGreaterThan(0);
    expect(extremes.some((row) => Number.isNaN(gappy[row]))).toBe(false);
    expect(Array.from(rows)).toContain(499);
  });

  it('reduces a sub-range of rows only', () => {
    const rows = m4Rows(x, [y], 1000, 2000, 10, true);
    expect(Math.min(...rows)).toBe(1000);
    expect(Math.max(...rows)).toBe(1999);
  });

  it('splits rows evenly when x does not ascend', () => {
    const shuffled = Float64Array.from(x, (v) => (v * 37) % n);
    const rows = m4Rows(shuffled, [y], 0, n, 10, false);
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1]).toBe(n - 1);
    expect(rows.length).toBeLessThanOrEqual(40);
  });

  it('gives nothing for an empty range', () => {
    expect(m4Rows(x, [y], 5, 5, 10, true).length).toBe(0);
  });
});

describe('rowsInRange', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  it('holds the rows inside plus one on each side', () => {
    expect(rowsInRange(x, 2.5, 5.5)).toEqual([2, 7]);
    expect(rowsInRange(x, 3, 5)).toEqual([2, 7]);
  });
  it('clips at the ends and stays empty-safe outside the data', () => {
    expect(rowsInRange(x, -10, 1)).toEqual([0, 3]);
    expect(rowsInRange(x, 20, 30)).toEqual([9, 10]);
    expect(rowsInRange(new Float64Array(0), 0, 1)).toEqual([0, 0]);
  });
});
