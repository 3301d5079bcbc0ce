import { describe, expect, it } from 'vitest';
import { FlowSimulator } from './simulator.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

describe('FlowSimulator', () => {
  it('gives the same points however the time is cut into windows', () => {
    const sim = new FlowSimulator({ seed: 3 });
    const whole = sim.pointsBetween(T0 + 1234, T0 + 3 * MINUTE + 5678);
    const cut = T0 + MINUTE + 17_500;
    const a = sim.pointsBetween(T0 + 1234, cut);
    const b = new FlowSimulator({ seed: 3 }).pointsBetween(cut, T0 + 3 * MINUTE + 5678);
    expect(whole.points).toEqual([...a.points, ...b.points]);
    expect(whole.ts).toEqual([...a.ts, ...b.ts]);
    expect(whole.truth).toEqual([...a.truth, ...b.truth]);
    expect(whole.ts.every((t, i) => t >= T0 + 1234 && t < T0 + 3 * MINUTE + 5678 && (i === 0 || t > whole.ts[i - 1]))).toBe(true);
  });

  it('depends on the seed, and emits about pointsPerSecond in the given columns', () => {
    const a = new FlowSimulator({ seed: 1, pointsPerSecond: 20, columns: ['a', 'b'] }).pointsBetween(T0, T0 + MINUTE);
    const b = new FlowSimulator({ seed: 2, pointsPerSecond: 20, columns: ['a', 'b'] }).pointsBetween(T0, T0 + MINUTE);
    expect(a.points).toHaveLength(1200);
    expect(a.columns).toEqual(['a', 'b']);
    expect(a.points[0]).toHaveLength(2);
    expect(a.points).not.toEqual(b.points);
  });

  it('has clusters that drift, vanish and come back', () => {
    const sim = new FlowSimulator({ seed: 1 });
    const present = (w: number) => new Set(sim.pointsBetween(T0 + w * 10_000, T0 + (w + 1) * 10_000).truth);
    const windows = Array.from({ length: 180 }, (_, w) => present(w));
    const cycles = [...Array(8).keys()].filter((c) => {
      const on = windows.map((s) => s.has(c));
      const vanished = on.findIndex((x, w) => w > 0 && on[w - 1] && !x);
      return vanished > 0 && on.slice(vanished).includes(true);
    });
    expect(cycles.length).toBeGreaterThanOrEqual(3);
    const start = sim.centerAt(0, T0);
    const later = sim.centerAt(0, T0 + 3 * MINUTE);
    expect(Math.hypot(...start.map((x, j) => x - later[j]))).toBeGreaterThan(0.5);
  });

  it('draws each point around its cluster center', () => {
    const sim = new FlowSimulator({ seed: 4, scale: 1000 });
    const batch = sim.pointsBetween(T0, T0 + 2000);
    const c = batch.truth[0];
    const mine = batch.points.filter((_, i) => batch.truth[i] === c);
    const mean = mine[0].map((_, j) => mine.reduce((s, p) => s + p[j], 0) / mine.length);
    const center = sim.centerAt(c, T0 + 1000);
    expect(Math.hypot(...mean.map((x, j) => x - center[j]))).toBeLessThan(30);
  });

  it('rejects a bad window naming the argument', () => {
    const sim = new FlowSimulator();
    expect(() => sim.pointsBetween(NaN, 0)).toThrow(/startMs/);
    expect(() => sim.pointsBetween(10, 0)).toThrow(/stopMs/);
  });
});
