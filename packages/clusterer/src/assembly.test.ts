import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Assembly } from './assembly.js';

/** Four well-separated centers on a square of side `s`. */
const square = (s: number, dx = 0, dy = 0): number[][] => [
  [0 + dx, 0 + dy],
  [s + dx, 0 + dy],
  [0 + dx, s + dy],
  [s + dx, s + dy],
];

/** The id each known center had, looked up by position. */
function idsAt(a: Assembly, centers: number[][]): number[] {
  const known = a.points;
  return centers.map((c) => a.ids[known.findIndex((k) => k.every((x, j) => Math.abs(x - c[j]) < 1e-9))]);
}

const dist = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** No two points of the set closer than `eps` (ties make "the" answer ambiguous). */
function spread(points: number[][], eps = 1e-3): boolean {
  return points.every((p, i) => points.every((q, j) => i === j || dist(p, q) > eps));
}

/** No two new–known distances equal up to `eps`, so the optimum is unique. */
function noTies(known: number[][], next: number[][], eps = 1e-6): boolean {
  const all = next.flatMap((p) => known.map((q) => dist(p, q))).sort((x, y) => x - y);
  return all.every((x, i) => i === 0 || x - all[i - 1] > eps);
}

describe('Assembly (OT + gate)', () => {
  it('keeps ids when the same clusters move a little, with equal counts', () => {
    const a = new Assembly();
    const first = a.coalesce(square(10), [5, 5, 5, 5]);
    expect(first.appeared).toEqual([0, 1, 2, 3]);
    const moved = square(10, 0.8, -0.6);
    const second = a.coalesce(moved, [5, 5, 5, 5]);
    expect(second.ids).toEqual(first.ids);
    expect(second.appeared).toEqual([]);
    expect(second.disappeared).toEqual([]);
  });

  it('gives a new center a fresh id and reports it as appeared', () => {
    const a = new Assembly();
    const first = a.coalesce(square(10));
    const second = a.coalesce([...square(10), [30, 30]]);
    expect(second.ids.slice(0, 4)).toEqual(first.ids);
    expect(second.ids[4]).toBe(4);
    expect(second.appeared).toEqual([4]);
  });

  it('reports a vanished cluster, and gives its id back when it reappears within maxAge', () => {
    const a = new Assembly({ maxAge: 3 });
    const first = a.coalesce(square(10));
    const without = a.coalesce(square(10).slice(0, 3));
    expect(without.disappeared).toEqual([first.ids[3]]);
    expect(a.ids).toEqual(first.ids.slice(0, 3).sort());
    a.coalesce(square(10).slice(0, 3));
    a.coalesce(square(10).slice(0, 3)); // absent for 3 pushes = maxAge
    const back = a.coalesce(square(10));
    expect(back.ids).toEqual(first.ids);
    expect(back.appeared).toEqual([first.ids[3]]);
  });

  it('remembers a vanished cluster for maxAgeMs of push time beyond maxAge pushes, then forgets it', () => {
    const a = new Assembly({ maxAge: 2, maxAgeMs: 60_000 });
    const first = a.coalesce(square(10), undefined, { timeMs: 0 });
    // 5 pushes away (more than maxAge) but 50 s: the same cluster.
    for (let t = 1; t <= 5; t++) a.coalesce(square(10).slice(0, 3), undefined, { timeMs: t * 10_000 });
    expect(a.coalesce(square(10), undefined, { timeMs: 60_000 }).ids).toEqual(first.ids);
    // 7 pushes and 70 s away: forgotten, a fresh id.
    for (let t = 7; t <= 13; t++) a.coalesce(square(10).slice(0, 3), undefined, { timeMs: t * 10_000 });
    expect(a.coalesce(square(10), undefined, { timeMs: 140_000 }).ids[3]).toBe(4);
  });

  it('gives a vanished cluster its id back only for a center of about its spread', () => {
    const spreads = [1, 1, 1, 1];
    const back = (spread: number) => {
      const a = new Assembly();
      const first = a.coalesce(square(10), undefined, { spreads });
      a.coalesce(square(10).slice(0, 3), undefined, { spreads: spreads.slice(0, 3) });
      return { first: first.ids, back: a.coalesce(square(10), undefined, { spreads: [1, 1, 1, spread] }).ids };
    };
    const same = back(1.5);
    expect(same.back).toEqual(same.first);
    // At its old place, a cluster four times as wide is another cluster.
    const wider = back(4);
    expect(wider.back.slice(0, 3)).toEqual(wider.first.slice(0, 3));
    expect(wider.back[3]).toBe(4);
  });

  it('forgets a cluster absent for more than maxAge pushes', () => {
    const a = new Assembly({ maxAge: 2 });
    const first = a.coalesce(square(10));
    for (let i = 0; i < 3; i++) a.coalesce(square(10).slice(0, 3));
    const back = a.coalesce(square(10));
    expect(back.ids.slice(0, 3)).toEqual(first.ids.slice(0, 3));
    expect(back.ids[3]).toBe(4);
  });

  it('treats a far jump as one cluster vanishing and another appearing, even with equal counts', () => {
    const a = new Assembly();
    const first = a.coalesce(square(10), [5, 5, 5, 5]);
    const jumped = [...square(10).slice(0, 3), [60, -40]];
    const second = a.coalesce(jumped, [5, 5, 5, 5]);
    expect(second.ids.slice(0, 3)).toEqual(first.ids.slice(0, 3));
    expect(second.ids[3]).not.toBe(first.ids[3]);
    expect(second.disappeared).toEqual([first.ids[3]]);
    expect(second.appeared).toEqual([second.ids[3]]);
  });

  it('works untuned at any scale', () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const a = new Assembly();
      const s = (c: number[][]) => c.map((p) => p.map((x) => x * scale));
      const first = a.coalesce(s(square(10)));
      expect(a.coalesce(s(square(10, 1, 1))).ids).toEqual(first.ids);
      const jumped = a.coalesce(s([...square(10, 1, 1).slice(0, 3), [60, -40]]));
      expect(jumped.ids[3]).toBe(4);
    }
  });

  it('does not depend on the order of the new centers', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true })), { minLength: 1, maxLength: 7, selector: (p) => p.join(',') }), fc.integer({ min: 0, max: 1000 }), (next, shift) => {
        const base = square(10);
        const a = new Assembly();
        const b = new Assembly();
        a.coalesce(base);
        b.coalesce(base);
        fc.pre(spread(next) && noTies(base, next));
        const shuffled = next.map((_, i) => (i * 7 + shift) % next.length).filter((v, i, all) => all.indexOf(v) === i);
        if (shuffled.length !== next.length) return; // the stride was not a permutation
        const idsA = a.coalesce(next).ids;
        const idsB = b.coalesce(shuffled.map((i) => next[i])).ids;
        expect(shuffled.map((i) => idsA[i])).toEqual(idsB);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('finds the optimal gated matching (checked by enumeration)', () => {
    const point = fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }));
    fc.assert(
      fc.property(fc.uniqueArray(point, { minLength: 1, maxLength: 5, selector: (p) => p.join(',') }), fc.array(point, { minLength: 1, maxLength: 5 }), fc.double({ min: 0.5, max: 8, noNaN: true }), (known, next, gate) => {
        fc.pre(spread(known));
        const a = new Assembly({ gate });
        a.coalesce(known);
        const knownIds = idsAt(a, known);
        const ids = a.coalesce(next).ids;
        const d2 = (p: number[], q: number[]) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
        let total = 0;
        ids.forEach((id, i) => {
          const j = knownIds.indexOf(id);
          if (j < 0) return;
          expect(Math.sqrt(d2(next[i], known[j]))).toBeLessThan(gate);
          total += d2(next[i], known[j]) - gate * gate;
        });
        // Every partial matching, by enumeration: the best total of (d² − gate²) over matched pairs.
        const used = new Array<boolean>(known.length).fill(false);
        const best = (i: number): number => {
          if (i === next.length) return 0;
          let b = best(i + 1);
          for (let j = 0; j < known.length; j++) {
            if (used[j]) continue;
            used[j] = true;
            b = Math.min(b, d2(next[i], known[j]) - gate * gate + best(i + 1));
            used[j] = false;
          }
          return b;
        };
        expect(total).toBeCloseTo(Math.min(0, best(0)), 6);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('rejects bad input naming the argument', () => {
    const a = new Assembly();
    a.coalesce(square(10));
    expect(() => a.coalesce([[1, 2, 3]])).toThrow(/centers/);
    expect(() => a.coalesce(square(10), [1, 2])).toThrow(/counts/);
    expect(() => new Assembly({ maxAge: -1 })).toThrow(/maxAge/);
    expect(() => new Assembly({ strategy: 'nope' as 'ot' })).toThrow(/strategy/);
  });
});

describe("Assembly strategy 'trim' (the original flowclus rule)", () => {
  it('drops the farthest new center when there are more new centers than known ones', () => {
    const a = new Assembly({ strategy: 'trim' });
    const first = a.coalesce(square(10));
    const second = a.coalesce([...square(10), [100, 100]]);
    expect(second.ids.slice(0, 4)).toEqual(first.ids);
    expect(second.appeared).toEqual([4]);
  });

  it('matches a far jump to an old id when the counts are equal, shuffling ids (what the gate fixes)', () => {
    const a = new Assembly({ strategy: 'trim' });
    const first = a.coalesce(square(10));
    const second = a.coalesce([...square(10).slice(0, 3), [60, -40]]);
    expect(second.appeared).toEqual([]);
    // Least squares prefers moving two ids a little over one id a lot: [10, 0] takes the id of [10, 10].
    expect(second.ids[1]).toBe(first.ids[3]);
  });

  it('has no memory: a cluster that comes back gets a fresh id', () => {
    const a = new Assembly({ strategy: 'trim' });
    const first = a.coalesce(square(10));
    a.coalesce(square(10).slice(0, 3));
    expect(a.coalesce(square(10)).ids[3]).not.toBe(first.ids[3]);
  });
});
