import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColumnBuffer } from './column-buffer.js';

describe('ColumnBuffer', () => {
  it('keeps the newest `limit` values in order across many appends', () => {
    const buffer = new ColumnBuffer(5);
    for (let i = 0; i < 7; i++) buffer.append([2 * i, 2 * i + 1]);
    expect(buffer.toArray()).toEqual([9, 10, 11, 12, 13]);
  });

  it('replace holds exactly the given values, or their newest `limit`', () => {
    const buffer = new ColumnBuffer(3);
    buffer.append([1, 2, 3]);
    buffer.replace([7, 8]);
    expect(buffer.toArray()).toEqual([7, 8]);
    buffer.replace(Float32Array.of(1, 2, 3, 4, 5));
    expect(buffer.toArray()).toEqual([3, 4, 5]);
  });

  it('a lower limit drops the oldest values at once', () => {
    const buffer = new ColumnBuffer(10);
    buffer.append([1, 2, 3, 4]);
    buffer.setLimit(2);
    expect(buffer.toArray()).toEqual([3, 4]);
  });

  it('matches a plain array model for any sequence of appends, pushes and replaces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ op: fc.constantFrom('append', 'replace', 'push'), values: fc.array(fc.integer(), { maxLength: 80 }) }), { maxLength: 40 }),
        (limit, ops) => {
          const buffer = new ColumnBuffer(limit);
          let model: number[] = [];
          for (const { op, values } of ops) {
            if (op === 'replace') buffer.replace(values);
            else if (op === 'append') buffer.append(values);
            else values.forEach((v) => buffer.push(v));
            model = (op === 'replace' ? values : [...model, ...values]).slice(-limit);
            expect(buffer.toArray()).toEqual(model);
          }
        },
      ),
    );
  });
});
