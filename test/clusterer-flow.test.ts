import { describe, expect, it } from 'vitest';
import { FlowSimulator } from '../examples/flowclust/src/simulator.js';
import { evaluateFlow } from '../examples/flowclust/src/evaluate.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('online clustering of the simulated flow (30 min in 10 s windows)', () => {
  for (const [seed, scale] of [[1, 100], [2, 0.001], [3, 1e6]] as const) {
    it(`keeps ids through drift, vanishing and return (seed ${seed}, scale ${scale})`, () => {
      const sim = new FlowSimulator({ seed, scale });
      const r = evaluateFlow(sim, { startMs: T0, windowMs: 10_000, windows: 180, clusterer: { seed } });
      const meanAri = r.ari.reduce((a, b) => a + b, 0) / r.ari.length;
      expect(meanAri).toBeGreaterThanOrEqual(0.95);
      // The baseline does switch on this flow; OT + gate must need at most a fifth as many.
      expect(r.baselineSwitches).toBeGreaterThanOrEqual(10);
      expect(r.switches * 5).toBeLessThanOrEqual(r.baselineSwitches);
      // 8 clusters in the world: a handful of extra ids at most (a return after maxAge).
      expect(r.ids).toBeLessThanOrEqual(10);
    });
  }
});
