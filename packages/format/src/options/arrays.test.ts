import { describe, expect, it } from 'vitest';
import { encodeRecord, type ArrayInput, type RecordFields } from '../codec.js';
import { readFrame } from '../frame-scanner.js';
import { multilinesArrays, recordArrays } from './arrays.js';

const lines = (rows: number, points: number): ArrayInput[] =>
  ['x', 'y'].map((name) => ({ name, shape: [rows, points], data: new Float64Array(rows * points) }));
const color = (shape: number[]): ArrayInput => ({ name: 'color', shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
const descriptors = (arrays: ArrayInput[]) => arrays.map(({ name, shape }) => ({ name, dtype: 'float64' as const, shape: [...shape] }));

describe('multilines arrays: a colour value per line', () => {
  it('takes `color` of shape [L], or none', () => {
    expect(() => multilinesArrays(descriptors([...lines(3, 4), color([3])]), { append: true }, recordArrays('multilines'))).not.toThrow();
    expect(() => multilinesArrays(descriptors([...lines(0, 0), color([0])]), { append: false }, recordArrays('multilines'))).not.toThrow();
    expect(() => multilinesArrays(descriptors(lines(3, 4)), { append: true }, recordArrays('multilines'))).not.toThrow();
  });

  it.each([
    [[2], "multilines array 'color': expected shape [3] (one colour value per line of 'x'), got [2]"],
    [[3, 4], "multilines array 'color': expected shape [3] (one colour value per line of 'x'), got [3, 4]"],
    [[12], "multilines array 'color': expected shape [3] (one colour value per line of 'x'), got [12]"],
    [[], "multilines array 'color': expected shape [3] (one colour value per line of 'x'), got []"],
  ])('refuses `color` of shape %j, naming the array', (shape, message) => {
    expect(() => multilinesArrays(descriptors([...lines(3, 4), color(shape)]), { append: true }, recordArrays('multilines'))).toThrow(message);
    // The logger's own check names the argument the array came from.
    expect(() => multilinesArrays(descriptors([...lines(3, 4), color(shape)]), { append: true }, () => 'multiLines(data)')).toThrow(/^multiLines\(data\): expected shape \[3\]/);
  });

  it('a decoded record with a colour value per point instead of per line is corrupt, for that reason', () => {
    const fields = { run: 'r', logger: 'L', seq: 0, time: 0, kind: 'multilines', plot: 'm', opts: { append: true } } as RecordFields;
    expect(readFrame(encodeRecord(fields, [...lines(2, 5), color([2, 5])]), 0)).toMatchObject({
      status: 'corrupt',
      reason: "multilines array 'color': expected shape [2] (one colour value per line of 'x'), got [2, 5]",
    });
    expect(readFrame(encodeRecord(fields, [...lines(2, 5), color([2])]), 0)).toMatchObject({ status: 'record' });
  });
});
