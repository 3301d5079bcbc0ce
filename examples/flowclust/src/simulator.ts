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
  /** Fraction of points drawn uniformly over the box, truth -1 (default 0). */
  noise?: number;
  /**
   * Axis ratio of every second cluster (odd indices): one axis, in a random direction,
   * longer by √ratio and the others shorter by √ratio (default 1: all round).
   */
  elongation?: number;
  /** Shortest and longest on/off cycle of a cluster, in minutes (default [3, 8]); a cluster is off for 20-40 % of its cycle. */
  cycleMinutes?: [number, number];
}

/** Points of one time window; `truth` (the generating cluster of each point, -1 for noise) is for evaluation only. */
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
  /** Elongated clusters: the unit direction of the long axis and the axis ratio (1: round). */
  axis: Float64Array;
  ratio: number;
}

const MINUTE_MS = 60_000;
/** Mixed into the seed of the noise points' generator. */
const NOISE_STREAM = 0x9015e;
/** Mixed into the seed of the elongated clusters' directions. */
const SHAPE_STREAM = 0x5ba9e;

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
  private readonly scale: number;
  private readonly noise: number;

  constructor(options: SimulatorOptions = {}) {
    const { seed = 1, columns = ['lorem', 'ipsum', 'dolor'], clusters = 8, alwaysOn = 3, pointsPerSecond = 50, scale = 100, noise = 0, elongation = 1, cycleMinutes = [3, 8] } = options;
    if (!Array.isArray(columns) || columns.length < 1) throw new RangeError('columns: expected at least one name');
    if (!Number.isInteger(clusters) || clusters < 1) throw new RangeError('clusters: expected a positive integer');
    if (!(pointsPerSecond > 0)) throw new RangeError('pointsPerSecond: expected a positive number');
    if (!(scale > 0)) throw new RangeError('scale: expected a positive number');
    if (!(noise >= 0 && noise < 1)) throw new RangeError('noise: expected a fraction in [0, 1)');
    if (!(elongation >= 1)) throw new RangeError('elongation: expected an axis ratio ≥ 1');
    if (!Array.isArray(cycleMinutes) || cycleMinutes.length !== 2 || !(cycleMinutes[0] > 0 && cycleMinutes[1] >= cycleMinutes[0])) {
      throw new RangeError('cycleMinutes: expected [shortest, longest] minutes, 0 < shortest ≤ longest');
    }
    this.columns = [...columns];
    this.seed = seed;
    this.pointsPerMinute = Math.round(pointsPerSecond * 60);
    this.scale = scale;
    this.noise = noise;
    this.world = buildWorld(seed, clusters, Math.min(alwaysOn, clusters), columns.length, scale, elongation, cycleMinutes);
  }

  /** Whether cluster c is drawn elongated (its axis ratio is above 1). */
  isElongated(c: number): boolean {
    return this.world[c].ratio > 1;
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
    // Noise has a generator of its own, so a flow without noise is the flow it always was.
    const noiseRng = new SeededRandom(mixSeed(this.seed, minute, NOISE_STREAM));
    const step = MINUTE_MS / this.pointsPerMinute;
    for (let i = 0; i < this.pointsPerMinute; i++) {
      // Draw everything for every point, kept or not, so the stream does not depend on the window.
      const t = minute * MINUTE_MS + (i + rng.next()) * step;
      const pick = rng.next();
      const z = this.columns.map(() => rng.normal());
      const uniform = this.noise > 0 ? this.columns.map(() => noiseRng.next()) : [];
      const isNoise = this.noise > 0 && noiseRng.next() < this.noise;
      if (t < startMs || t >= stopMs) continue;
      out.ts.push(t);
      if (isNoise) {
        out.points.push(uniform.map((u) => u * this.scale));
        out.truth.push(-1);
        continue;
      }
      const c = this.pickCluster(t, pick);
      out.points.push(this.pointOf(c, t, z));
      out.truth.push(c);
    }
  }

  /** Cluster c's point for standard normal draws z: σ z, the long axis stretched by √ratio and the others shrunk by it. */
  private pointOf(c: number, t: number, z: number[]): number[] {
    const { sigma, axis, ratio } = this.world[c];
    const center = this.centerAt(c, t);
    if (ratio === 1) return z.map((zj, j) => center[j] + sigma * zj);
    const along = z.reduce((s, zj, j) => s + zj * axis[j], 0);
    const short = sigma / Math.sqrt(ratio);
    const long = sigma * Math.sqrt(ratio);
    return z.map((zj, j) => center[j] + short * zj + (long - short) * along * axis[j]);
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

/** Cluster centers at least `minSeparation` apart (rejection sampling), each with its own spread, drift, cycle and shape. */
function buildWorld(seed: number, k: number, alwaysOn: number, d: number, scale: number, elongation: number, [shortest, longest]: [number, number]): WorldCluster[] {
  const rng = new SeededRandom(mixSeed(seed, 0x5eed));
  const shapes = new SeededRandom(mixSeed(seed, SHAPE_STREAM));
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
      cyclePeriodMs: MINUTE_MS * (shortest + (longest - shortest) * rng.next()),
      cyclePhase: rng.next(),
      duty: c < alwaysOn ? 1 : 0.6 + 0.2 * rng.next(),
      axis: unitVector(shapes, d),
      ratio: c % 2 === 1 ? elongation : 1,
    });
    c++;
  }
  return world;
}

function unitVector(rng: SeededRandom, d: number): Float64Array {
  const v = Float64Array.from({ length: d }, () => rng.normal());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
