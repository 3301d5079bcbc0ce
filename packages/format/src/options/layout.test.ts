import { describe, expect, it } from 'vitest';
import { checkLayout } from './layout.js';

describe('checkLayout', () => {
  it('accepts a grid of whole, non-overlapping cells', () => {
    const cells = { a: [0, 0, 1, 2], b: [1, 0, 1, 1], c: [1, 1, 2, 1] };
    expect(checkLayout(cells, 'setLayout(cells)')).toEqual(cells);
  });

  it.each([
    [{ a: [0, 0, 2, 2], b: [1, 1, 1, 1] }, "plots 'a' and 'b' overlap"],
    [{ a: [-1, 0, 1, 1] }, "plot 'a' needs [top, left, height, width]"],
    [{ a: [0, 0, 0, 1] }, "plot 'a' needs"],
    [{ a: [0, 0, 1] }, "plot 'a' needs"],
    [{ a: [0, 0.5, 1, 1] }, "plot 'a' needs"],
    [{}, 'the layout has no plots'],
    [[[0, 0, 1, 1]], 'expected an object'],
  ])('rejects %j naming the argument', (cells, message) => {
    expect(() => checkLayout(cells, 'setLayout(cells)')).toThrow(`setLayout(cells): ${message}`);
  });
});
