import { describe, expect, it } from 'vitest';
import { Frame } from './frame.js';

const rows = (from: number, count: number) => ({ data: Float64Array.from({ length: count * 2 }, (_, i) => from + Math.floor(i / 2)), n: count, d: 2 });
const firstCoords = (f: Frame) => Array.from(f.view().data.filter((_, i) => i % 2 === 0)).sort((a, b) => a - b);

describe('Frame', () => {
  it('keeps exactly the last `capacity` points across wrap-arounds', () => {
    const f = new Frame(5);
    f.push(rows(0, 3));
    expect(firstCoords(f)).toEqual([0, 1, 2]);
    f.push(rows(3, 4));
    expect(firstCoords(f)).toEqual([2, 3, 4, 5, 6]);
    f.push(rows(7, 12));
    expect(firstCoords(f)).toEqual([14, 15, 16, 17, 18]);
    expect(f.view().n).toBe(5);
  });

  it('reports the slots each push wrote, wrapping at the capacity', () => {
    const f = new Frame(5);
    expect(f.push(rows(0, 3))).toEqual({ first: 0, count: 3 });
    expect(f.push(rows(3, 4))).toEqual({ first: 3, count: 4 });
    expect(f.push(rows(7, 12))).toEqual({ first: 2, count: 5 });
  });
});
