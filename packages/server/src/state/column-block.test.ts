import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColumnBlock } from './column-block.js';

const one = (limit: number) => new ColumnBlock(1, { limit });

describe('ColumnBlock', () => {
  it('keeps the newest `limit` values in order across many appends', () => {
    const block = one(5);
    for (let i = 0; i < 7; i++) block.append([[2 * i, 2 * i + 1]]);
    expect(block.toArray(0)).toEqual([9, 10, 11, 12, 13]);
  });

  it('replace holds exactly the given values, or their newest `limit`', () => {
    const block = one(3);
    block.append([[1, 2, 3]]);
    block.replace([[7, 8]]);
    expect(block.toArray(0)).toEqual([7, 8]);
    block.replace([Float32Array.of(1, 2, 3, 4, 5)]);
    expect(block.toArray(0)).toEqual([3, 4, 5]);
  });

  it('a lower limit drops the oldest rows at once, in every block sharing it, and for good once settled', () => {
    const rollover = { limit: 10 };
    const blocks = [new ColumnBlock(2, rollover), new ColumnBlock(2, rollover)];
    for (const block of blocks) block.append([[1, 2, 3, 4], [5, 6, 7, 8]]);
    rollover.limit = 2;
    for (const block of blocks) block.settle();
    rollover.limit = 3;
    for (const block of blocks) {
      expect(block.length).toBe(2);
      expect([block.toArray(0), block.toArray(1)]).toEqual([[3, 4], [7, 8]]);
    }
  });

  it('holds no array while empty, and room in proportion to the rows held', () => {
    const block = new ColumnBlock(3, { limit: 1_000_000 });
    expect(block.allocated).toBe(0);
    block.appendRow(0, [1, 2]);
    expect(block.allocated).toBe(3);
    for (let i = 1; i < 1000; i++) block.appendRow(i, [i, -i]);
    expect(block.allocated).toBeLessThanOrEqual(2 * 3 * 1000);
    block.replace([[1], [2], [3]]);
    expect(block.allocated).toBe(3);
  });

  it('matches a plain array model for any sequence of appends, rows, replaces and limits, with bounded room', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(
          fc.record({ op: fc.constantFrom('append', 'replace', 'row', 'limit'), values: fc.array(fc.integer(), { maxLength: 80 }), limit: fc.integer({ min: 1, max: 50 }) }),
          { maxLength: 40 },
        ),
        (initial, ops) => {
          const rollover = { limit: initial };
          const block = new ColumnBlock(2, rollover);
          let model: number[] = [];
          for (const { op, values, limit } of ops) {
            const negated = values.map((v) => -v);
            if (op === 'replace') block.replace([values, negated]);
            else if (op === 'append' && values.length > 0) block.append([values, negated]);
            else if (op === 'row') values.forEach((v) => block.appendRow(v, [-v]));
            else if (op === 'limit') {
              if (limit > rollover.limit) block.settle();
              rollover.limit = limit;
            }
            if (op !== 'limit') model = op === 'replace' ? values : [...model, ...values];
            model = model.slice(-rollover.limit);
            expect(block.toArray(0)).toEqual(model);
            expect(block.toArray(1)).toEqual(model.map((v) => -v));
            // Room after a write: at most twice the limit, or 4 times the rows held (a lower limit gives room back at the next write;
            // an append or rows of no values write nothing).
            const wrote = op === 'replace' || (op !== 'limit' && values.length > 0);
            if (wrote) expect(block.allocated).toBeLessThanOrEqual(2 * Math.max(16, 4 * model.length, 2 * rollover.limit));
          }
        },
      ),
    );
  });
});
