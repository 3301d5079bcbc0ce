import { typicalSeparation } from './gate.js';
import { matchWithinGate } from './gated-matching.js';
import { matchTrimmed } from './trimmed-matching.js';
import { toFlatPoints, type PointsInput } from './points.js';

/**
 * 'ot': exact optimal assignment of new centers to every remembered cluster,
 *   with a distance gate and memory of vanished clusters (the default).
 * 'trim': the original flowclus rule, kept as the baseline: trim the farthest
 *   centers of the longer side, then an optimal assignment of the square rest;
 *   no gate, no memory.
 */
export type AssemblyStrategy = 'ot' | 'trim';

export interface AssemblyOptions {
  /** Pushes a vanished cluster keeps its id and can reappear (default 20). */
  maxAge?: number;
  /**
   * Time (ms, in the clock of the `timeMs` given to `coalesce`) a vanished cluster keeps its id even after maxAge
   * pushes (default 10 minutes): pushes may come fast or slow, a cluster that went quiet for a few minutes is the same.
   */
  maxAgeMs?: number;
  /** Fixed gate distance. Default: adaptive, `gateFactor` × typical separation of the centers. */
  gate?: number;
  /** Fraction of the typical distance between neighbouring centers a cluster may move per push (default 0.5). */
  gateFactor?: number;
  strategy?: AssemblyStrategy;
}

/** What `coalesce` may know of a push besides its centers and counts. */
export interface PushContext {
  /** When the push happened (ms): vanished clusters are remembered for maxAgeMs of it. */
  timeMs?: number;
  /** Per center, its spread (root mean variance, in the centers' units): a returning cluster must have about the spread it left with. */
  spreads?: ArrayLike<number>;
}

export interface Coalesced {
  /** Stable id of each given center, in the given order. */
  ids: number[];
  /** Ids new in this push or back after vanishing. */
  appeared: number[];
  /** Ids seen in the previous push and not in this one. */
  disappeared: number[];
}

interface Track {
  id: number;
  center: Float64Array;
  count: number;
  /** Consecutive pushes this cluster has been absent. */
  age: number;
  /** When it was last seen, and its spread then (undefined: not given). */
  seenMs?: number;
  spread?: number;
}

/**
 * A vanished cluster comes back as a center of a spread within this factor of the one it left with (either way):
 * loose, because a cluster leaves and comes back with few points in the frame, when its spread is least sure.
 */
const RETURN_SPREAD_RATIO = 3;
/** Vanished clusters remembered at most, the longest gone forgotten first: each is a column of every matching. */
const MAX_REMEMBERED = 32;

/**
 * Gives clusters stable ids across refits: each push's centers are matched to
 * the known ones, unmatched new centers get fresh ids.
 */
export class Assembly {
  readonly maxAge: number;
  readonly maxAgeMs: number;
  readonly strategy: AssemblyStrategy;
  private readonly fixedGate: number | undefined;
  private readonly gateFactor: number;
  private tracks: Track[] = [];
  private nextId = 0;
  private d = -1;

  constructor(options: AssemblyOptions = {}) {
    const { maxAge = 20, maxAgeMs = 600_000, gate, gateFactor = 0.5, strategy = 'ot' } = options;
    if (!Number.isInteger(maxAge) || maxAge < 0) throw new RangeError('maxAge: expected a non-negative integer');
    if (!(maxAgeMs >= 0)) throw new RangeError('maxAgeMs: expected a non-negative number of ms');
    if (gate !== undefined && !(gate > 0)) throw new RangeError('gate: expected a positive distance');
    if (!(gateFactor > 0)) throw new RangeError('gateFactor: expected a positive number');
    if (strategy !== 'ot' && strategy !== 'trim') throw new RangeError(`strategy: expected 'ot' or 'trim', got ${String(strategy)}`);
    this.maxAge = maxAge;
    this.maxAgeMs = maxAgeMs;
    this.fixedGate = gate;
    this.gateFactor = gateFactor;
    this.strategy = strategy;
  }

  /** Centers of the clusters seen in the last push, in id order. */
  get points(): number[][] {
    return this.liveTracks().map((t) => Array.from(t.center));
  }

  /** Ids of `points`. */
  get ids(): number[] {
    return this.liveTracks().map((t) => t.id);
  }

  /** Counts of `points` (as last given to `coalesce`). */
  get counts(): number[] {
    return this.liveTracks().map((t) => t.count);
  }

  /**
   * Matches this push's centers to the known clusters and returns their stable ids. A vanished cluster is
   * matched only by a center within the gate of where it was last seen, and (spreads given) of about its spread.
   */
  coalesce(centers: PointsInput, counts?: ArrayLike<number>, { timeMs, spreads }: PushContext = {}): Coalesced {
    const flat = toFlatPoints(centers, 'centers', this.d >= 0 ? this.d : undefined);
    if (counts !== undefined && counts.length !== flat.n) throw new RangeError(`counts: expected ${flat.n} counts, got ${counts.length}`);
    if (spreads !== undefined && spreads.length !== flat.n) throw new RangeError(`spreads: expected ${flat.n} spreads, got ${spreads.length}`);
    if (timeMs !== undefined && !Number.isFinite(timeMs)) throw new RangeError('timeMs: expected a finite time in ms');
    if (flat.n > 0) this.d = flat.d;
    const known = this.strategy === 'trim' ? this.liveTracks() : this.tracks;
    const knownCenters = new Float64Array(known.length * flat.d);
    known.forEach((t, j) => knownCenters.set(t.center, j * flat.d));
    const dist2 = squaredDistances(flat.data, flat.n, knownCenters, known.length, flat.d);
    if (spreads !== undefined) barOtherSpreads(dist2, spreads, known);
    const trackOf =
      this.strategy === 'trim'
        ? matchTrimmed(dist2, flat.n, known.length)
        : matchWithinGate(dist2, flat.n, known.length, this.gate(flat.data, flat.n, knownCenters, known.length));

    const ids = new Array<number>(flat.n);
    const appeared: number[] = [];
    const matched = new Set<Track>();
    const fresh: number[] = [];
    for (let i = 0; i < flat.n; i++) {
      const t = trackOf[i] >= 0 ? known[trackOf[i]] : undefined;
      if (!t) {
        fresh.push(i);
        continue;
      }
      if (t.age > 0) appeared.push(t.id);
      t.center = flat.data.slice(i * flat.d, (i + 1) * flat.d);
      t.count = counts?.[i] ?? 0;
      t.age = 0;
      t.seenMs = timeMs;
      t.spread = spreads?.[i];
      ids[i] = t.id;
      matched.add(t);
    }
    const disappeared: number[] = [];
    const kept: Track[] = [];
    const remembered: Track[] = [];
    for (const t of this.tracks) {
      if (matched.has(t)) {
        kept.push(t);
        continue;
      }
      if (t.age === 0) disappeared.push(t.id);
      t.age++;
      if (this.strategy !== 'trim' && (t.age <= this.maxAge || this.awayMs(t, timeMs) <= this.maxAgeMs)) remembered.push(t);
    }
    // The longest gone first out (then the oldest id), when more are remembered than the cap.
    remembered.sort((a, b) => a.age - b.age || a.id - b.id);
    kept.push(...remembered.slice(0, MAX_REMEMBERED));
    // Fresh ids in coordinate order, so the ids do not depend on the order centers were given in.
    fresh.sort((a, b) => compareRows(flat.data, a, b, flat.d));
    for (const i of fresh) {
      const t: Track = { id: this.nextId++, center: flat.data.slice(i * flat.d, (i + 1) * flat.d), count: counts?.[i] ?? 0, age: 0, seenMs: timeMs, spread: spreads?.[i] };
      kept.push(t);
      ids[i] = t.id;
      appeared.push(t.id);
    }
    this.tracks = kept.sort((a, b) => a.id - b.id);
    return { ids, appeared: appeared.sort((a, b) => a - b), disappeared: disappeared.sort((a, b) => a - b) };
  }

  /** The fixed gate, or `gateFactor` × the typical separation of the new and the known centers (∞ when undefined). */
  private gate(centers: Float64Array, k: number, known: Float64Array, t: number): number {
    if (this.fixedGate !== undefined) return this.fixedGate;
    const separation = typicalSeparation([{ centers, k }, { centers: known, k: t }], this.d);
    return Number.isNaN(separation) ? Infinity : this.gateFactor * separation;
  }

  /** How long ago (ms) a track was last seen: infinite when either time is unknown. */
  private awayMs(t: Track, timeMs: number | undefined): number {
    return timeMs === undefined || t.seenMs === undefined ? Infinity : timeMs - t.seenMs;
  }

  private liveTracks(): Track[] {
    return this.tracks.filter((t) => t.age === 0);
  }
}

/**
 * Bars the matches of vanished clusters to centers of another spread (beyond RETURN_SPREAD_RATIO either way): at
 * its old place, a cluster of another size is another cluster. Live ones are not barred: a cluster may change
 * spread between two pushes (a merge, a split).
 */
function barOtherSpreads(dist2: Float64Array, spreads: ArrayLike<number>, known: Track[]): void {
  const m = known.length;
  for (let j = 0; j < m; j++) {
    const { age, spread } = known[j];
    if (age === 0 || spread === undefined) continue;
    for (let i = 0; i < spreads.length; i++) {
      const ratio = spreads[i] / spread;
      if (!(ratio <= RETURN_SPREAD_RATIO && ratio >= 1 / RETURN_SPREAD_RATIO)) dist2[i * m + j] = Infinity;
    }
  }
}

/** Squared Euclidean distances between the rows of a (n × d) and b (m × d), as an n × m matrix. */
function squaredDistances(a: Float64Array, n: number, b: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = a[i * d + c] - b[j * d + c];
        s += diff * diff;
      }
      out[i * m + j] = s;
    }
  }
  return out;
}

function compareRows(data: Float64Array, a: number, b: number, d: number): number {
  for (let j = 0; j < d; j++) {
    const diff = data[a * d + j] - data[b * d + j];
    if (diff !== 0) return diff;
  }
  return a - b;
}
