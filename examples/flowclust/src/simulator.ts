import { SeededRandom, mixSeed } from '@streamvis/clusterer';

export interface SimulatorOptions {
  /** World seed: the same seed gives the same flow, whatever windows it is read in (default 1). */
  seed?: number;
  /** One name per dimension (default lorem, ipsum, dolor). */
  columns?: string[];
  /** Clusters in the world; the first `alwaysOn` never vanish (default 8 and 3). */
  clusters?: number;
  alwaysOn?: number;
  /** Mean points per second of simulated time (default 50). */
  pointsPerSecond?: number;
  /** Size of the box the cluster centers live in, to exercise any data scale (default 100). */
  scale?: number;
}

/** Points of one time window; `truth` (the generating cluster of each point) is for evaluation only. */
export interface PointsBatch {
  ts: number[];
  points: number[][];
  columns: string[];
  truth: number[];
}

interface WorldCluster {
  base: Float64Array;
  sigma: number;
  weight: number;
  /** Per dimension: drift amplitude, period (ms) and phase of a slow sinusoid. */
  driftAmplitude: Float64Array;
  driftPeriodMs: Float64Array;
  driftPhase: Float64Array;
  /** On/off cycle: active while ((t / cyclePeriod) + phase) mod 1 < duty. */
  cyclePeriodMs: number;
  cyclePhase: number;
  duty: number;
}

const MINUTE_MS = 60_000;

/**
 * A deterministic data flow: clusters in D dimensions that drift smoothly,
 * vanish and come back on their own cycles. The points of each minute of
 * simulated time come from a generator seeded by (seed, minute), so any
 * window [start, stop) reads the same points however the time is cut.
 */
export class FlowSimulator {
  readonly columns: string[];
  private readonly world: WorldCluster[];
  private readonly seed: number;
  private readonly pointsPerMinute: number;

  constructor(options: SimulatorOptions = {}) {
    const { seed = 1, columns = ['lorem', 'ipsum', 'dolor'], clusters = 8, alwaysOn = 3, pointsPerSecond = 50, scale = 100 } = options;
    if (!Array.isArray(columns) || columns.length < 1) throw new RangeError('columns: expected at least one name');
    if (!Number.isInteger(clusters) || clusters < 1) throw new RangeError('clusters: expected a positive integer');
    if (!(pointsPerSecond > 0)) throw new RangeError('pointsPerSecond: expected a positive number');
    if (!(scale > 0)) throw new RangeError('scale: expected a positive number');
    this.columns = [...columns];
    this.seed = seed;
    this.pointsPerMinute = Math.round(pointsPerSecond * 60);
    this.world = buildWorld(seed, clusters, Math.min(alwaysOn, clusters), columns.length, scale);
  }

  /** Where cluster c is centered at time t (ms). */
  centerAt(c: number, t: number): Float64Array {
    const w = this.world[c];
    return w.base.map((x, j) => x + w.driftAmplitude[j] * Math.sin((2 * Math.PI * t) / w.driftPeriodMs[j] + w.driftPhase[j]));
  }

  /** Whether cluster c emits points at time t (ms). */
  isActive(c: number, t: number): boolean {
    const w = this.world[c];
    const cycle = t / w.cyclePeriodMs + w.cyclePhase;
    return cycle - Math.floor(cycle) < w.duty;
  }

  /** The points with startMs ≤ ts < stopMs, in time order. */
  pointsBetween(startMs: number, stopMs: number): PointsBatch {
    if (!Number.isFinite(startMs)) throw new RangeError('startMs: expected a finite time in ms');
    if (!Number.isFinite(stopMs) || stopMs < startMs) throw new RangeError('stopMs: expected a finite time ≥ startMs');
    const batch: PointsBatch = { ts: [], points: [], columns: [...this.columns], truth: [] };
    for (let minute = Math.floor(startMs / MINUTE_MS); minute * MINUTE_MS < stopMs; minute++) {
      this.emitMinute(minute, startMs, stopMs, batch);
    }
    return batch;
  }

  private emitMinute(minute: number, startMs: number, stopMs: number, out: PointsBatch): void {
    const rng = new SeededRandom(mixSeed(this.seed, minute));
    const step = MINUTE_MS / this.pointsPerMinute;
    for (let i = 0; i < this.pointsPerMinute; i++) {
      // Draw everything for every point, kept or not, so the stream does not depend on the window.
      const t = minute * MINUTE_MS + (i + rng.next()) * step;
      const pick = rng.next();
      const noise = this.columns.map(() => rng.normal());
      if (t < startMs || t >= stopMs) continue;
      const c = this.pickCluster(t, pick);
      const center = this.centerAt(c, t);
      const sigma = this.world[c].sigma;
      out.ts.push(t);
      out.points.push(noise.map((z, j) => center[j] + sigma * z));
      out.truth.push(c);
    }
  }

  /** The active cluster that the uniform draw `u` falls in, by weight. */
  private pickCluster(t: number, u: number): number {
    let total = 0;
    for (let c = 0; c < this.world.length; c++) if (this.isActive(c, t)) total += this.world[c].weight;
    let target = u * total;
    let last = 0;
    for (let c = 0; c < this.world.length; c++) {
      if (!this.isActive(c, t)) continue;
      last = c;
      target -= this.world[c].weight;
      if (target < 0) return c;
    }
    return last;
  }
}

/** Cluster centers at least `minSeparation` apart (rejection sampling), each with its own spread, drift and cycle. */
function buildWorld(seed: number, k: number, alwaysOn: number, d: number, scale: number): WorldCluster[] {
  const rng = new SeededRandom(mixSeed(seed, 0x5eed));
  // About the spacing of k points in a d-cube, so rejection terminates quickly.
  const minSeparation = (0.6 * scale) / Math.pow(k, 1 / d);
  const world: WorldCluster[] = [];
  for (let c = 0, tries = 0; c < k; tries++) {
    const base = Float64Array.from({ length: d }, () => rng.next() * scale);
    const farEnough = world.every((w) => Math.hypot(...w.base.map((x, j) => x - base[j])) >= minSeparation);
    if (!farEnough && tries < 10_000) continue;
    world.push({
      base,
      sigma: minSeparation * (0.06 + 0.04 * rng.next()),
      weight: 0.5 + rng.next(),
      driftAmplitude: Float64Array.from({ length: d }, () => minSeparation * 0.25 * rng.next()),
      driftPeriodMs: Float64Array.from({ length: d }, () => MINUTE_MS * (4 + 8 * rng.next())),
      driftPhase: Float64Array.from({ length: d }, () => 2 * Math.PI * rng.next()),
      cyclePeriodMs: MINUTE_MS * (3 + 5 * rng.next()),
      cyclePhase: rng.next(),
      duty: c < alwaysOn ? 1 : 0.6 + 0.2 * rng.next(),
    });
    c++;
  }
  return world;
}
