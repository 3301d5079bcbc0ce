import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { solveAssignment } from './hungarian.js';

/** Minimum total cost over every injective map of the smaller side into the larger, by enumeration. */
function bruteForce(cost: number[], rows: number, cols: number): number {
  const at = (i: number, j: number) => (rows <= cols ? cost[i * cols + j] : cost[j * cols + i]);
  const small = Math.min(rows, cols);
  const large = Math.max(rows, cols);
  const used = new Array<boolean>(large).fill(false);
  const search = (i: number): number => {
    if (i === small) return 0;
    let best = Infinity;
    for (let j = 0; j < large; j++) {
      if (used[j]) continue;
      used[j] = true;
      best = Math.min(best, at(i, j) + search(i + 1));
      used[j] = false;
    }
    return best;
  };
  return search(0);
}

describe('solveAssignment', () => {
  it('matches brute force on random rectangular matrices', () => {
    const matrix = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .chain(([r, c]) => fc.tuple(fc.constant(r), fc.constant(c), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: r * c, maxLength: r * c })));
    fc.assert(
      fc.property(matrix, ([rows, cols, cost]) => {
        const rowToCol = solveAssignment(Float64Array.from(cost), rows, cols);
        const assigned = Array.from(rowToCol).filter((j) => j >= 0);
        expect(assigned.length).toBe(Math.min(rows, cols));
        expect(new Set(assigned).size).toBe(assigned.length);
        const total = Array.from(rowToCol).reduce((s, j, i) => (j >= 0 ? s + cost[i * cols + j] : s), 0);
        expect(total).toBeCloseTo(bruteForce(cost, rows, cols), 6);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('solves the textbook 3×3 case', () => {
    // Row 1's cheapest entry (0) is not in the unique optimum 1 + 2 + 2.
    const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    expect(Array.from(solveAssignment(cost, 3, 3))).toEqual([1, 0, 2]);
  });

  it('leaves the extra rows of a tall matrix unassigned', () => {
    const cost = Float64Array.from([5, 0, 0, 5, 9, 9]);
    expect(Array.from(solveAssignment(cost, 3, 2))).toEqual([1, 0, -1]);
  });
});
