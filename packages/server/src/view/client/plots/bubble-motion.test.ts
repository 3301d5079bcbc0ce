import { describe, expect, it } from 'vitest';
import { byId, tween, type BubblePose } from './bubble-motion.js';

const pose = (id: number, x: number, y: number, size: number): BubblePose => ({ id, x, y, size, alpha: 0.7 });

describe('tween', () => {
  const from = byId([pose(1, 0, 0, 10), pose(2, 5, 5, 20), pose(9, 7, 7, 30)]);
  const to = [pose(2, 15, 5, 40), pose(1, 10, 10, 10), pose(4, 3, 3, 16)];

  it('starts where each id was drawn and ends on the new poses, in the new order', () => {
    expect(tween(from, to, 0)).toEqual([pose(2, 5, 5, 20), pose(1, 0, 0, 10), { ...pose(4, 3, 3, 0), alpha: 0 }]);
    expect(tween(from, to, 1)).toEqual(to);
    expect(tween(from, to, 7)).toEqual(to);
  });

  it('moves matched ids part of the way midway; a new id grows and fades in at its place; a gone id is dropped', () => {
    const [two, one, four] = tween(from, to, 0.5);
    expect(two.x).toBeCloseTo(10);
    expect(two.size).toBeCloseTo(30);
    expect(one).toMatchObject({ id: 1, x: 5, y: 5 });
    expect(four).toMatchObject({ id: 4, x: 3, y: 3, size: 8, alpha: 0.35 });
    expect(tween(from, to, 0.5).map((p) => p.id)).toEqual([2, 1, 4]);
  });
});
