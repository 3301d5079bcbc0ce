import { squaredDistance } from './nearest.js';
import { solveAssignment } from './hungarian.js';
import { typicalSeparation } from './gate.js';
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
  /** Fixed gate distance. Default: adaptive, `gateFactor` × typical separation of the centers. */
  gate?: number;
  /** Fraction of the typical distance between neighbouring centers a cluster may move per push (default 0.5). */
  gateFactor?: number;
  strategy?: AssemblyStrategy;
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
}

/**
 * Gives clusters stable ids across refits: each push's centers are matched to
 * the known ones, unmatched new centers get fresh ids.
 */
export class Assembly {
  readonly maxAge: number;
  readonly strategy: AssemblyStrategy;
  private readonly fixedGate: number | undefined;
  private readonly gateFactor: number;
  private tracks: Track[] = [];
  private nextId = 0;
  private d = -1;

  constructor(options: AssemblyOptions = {}) {
    const { maxAge = 20, gate, gateFactor = 0.5, strategy = 'ot' } = options;
    if (!Number.isInteger(maxAge) || maxAge < 0) throw new RangeError('maxAge: expected a non-negative integer');
    if (gate !== undefined && !(gate > 0)) throw new RangeError('gate: expected a positive distance');
    if (!(gateFactor > 0)) throw new RangeError('gateFactor: expected a positive number');
    if (strategy !== 'ot' && strategy !== 'trim') throw new RangeError(`strategy: expected 'ot' or 'trim', got ${String(strategy)}`);
    this.maxAge = maxAge;
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

  /** Matches this push's centers to the known clusters and returns their stable ids. */
  coalesce(centers: PointsInput, counts?: ArrayLike<number>): Coalesced {
    const flat = toFlatPoints(centers, 'centers', this.d >= 0 ? this.d : undefined);
    if (counts !== undefined && counts.length !== flat.n) throw new RangeError(`counts: expected ${flat.n} counts, got ${counts.length}`);
    if (flat.n > 0) this.d = flat.d;
    const known = this.strategy === 'trim' ? this.liveTracks() : this.tracks;
    const trackOf = this.strategy === 'trim' ? this.matchTrimmed(flat.data, flat.n, known) : this.matchGated(flat.data, flat.n, known);

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
      ids[i] = t.id;
      matched.add(t);
    }
    const disappeared: number[] = [];
    const kept: Track[] = [];
    for (const t of this.tracks) {
      if (!matched.has(t)) {
        if (t.age === 0) disappeared.push(t.id);
        t.age++;
        if (this.strategy === 'trim' || t.age > this.maxAge) continue;
      }
      kept.push(t);
    }
    // Fresh ids in coordinate order, so the ids do not depend on the order centers were given in.
    fresh.sort((a, b) => compareRows(flat.data, a, b, flat.d));
    for (const i of fresh) {
      const t: Track = { id: this.nextId++, center: flat.data.slice(i * flat.d, (i + 1) * flat.d), count: counts?.[i] ?? 0, age: 0 };
      kept.push(t);
      ids[i] = t.id;
      appeared.push(t.id);
    }
    this.tracks = kept.sort((a, b) => a.id - b.id);
    return { ids, appeared: appeared.sort((a, b) => a - b), disappeared: disappeared.sort((a, b) => a - b) };
  }

  /** The gate distance for matching `centers` against the known clusters. */
  gateFor(centers: Float64Array, k: number): number {
    if (this.fixedGate !== undefined) return this.fixedGate;
    const known = new Float64Array(this.tracks.length * Math.max(this.d, 0));
    this.tracks.forEach((t, j) => known.set(t.center, j * this.d));
    const separation = typicalSeparation([{ centers, k }, { centers: known, k: this.tracks.length }], this.d);
    return Number.isNaN(separation) ? Infinity : this.gateFactor * separation;
  }

  /**
   * Optimal partial matching: minimise Σ over matched pairs of (d² − gate²).
   * That is the padded square problem where leaving a center unmatched costs
   * gate²/2 on each side, reduced to a rectangular assignment with costs
   * min(d² − gate², 0); a pair at cost 0 is no match.
   */
  private matchGated(centers: Float64Array, k: number, known: Track[]): Int32Array {
    const d = this.d;
    const trackOf = new Int32Array(k).fill(-1);
    if (k === 0 || known.length === 0) return trackOf;
    const gate = this.gateFor(centers, k);
    const dist2 = new Float64Array(k * known.length);
    let maxD2 = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < known.length; j++) {
        const s = squaredDistance(centers, i, known[j].center, 0, d);
        dist2[i * known.length + j] = s;
        maxD2 = Math.max(maxD2, s);
      }
    }
    // An infinite gate means "always match": any gate above every distance does that.
    const gate2 = Number.isFinite(gate) ? gate * gate : 2 * maxD2 + 1;
    const cost = dist2.map((s) => Math.min(s - gate2, 0));
    const rowToCol = solveAssignment(cost, k, known.length);
    for (let i = 0; i < k; i++) if (rowToCol[i] >= 0 && cost[i * known.length + rowToCol[i]] < 0) trackOf[i] = rowToCol[i];
    return trackOf;
  }

  /** The baseline: equalise both sides by dropping their farthest centers, then match all of the rest. */
  private matchTrimmed(centers: Float64Array, k: number, known: Track[]): Int32Array {
    const d = this.d;
    const trackOf = new Int32Array(k).fill(-1);
    if (k === 0 || known.length === 0) return trackOf;
    const dist2 = new Float64Array(k * known.length);
    for (let i = 0; i < k; i++) for (let j = 0; j < known.length; j++) dist2[i * known.length + j] = squaredDistance(centers, i, known[j].center, 0, d);
    const nearestOther = (side: 'new' | 'known', a: number): number => {
      let best = Infinity;
      if (side === 'new') for (let j = 0; j < known.length; j++) best = Math.min(best, dist2[a * known.length + j]);
      else for (let i = 0; i < k; i++) best = Math.min(best, dist2[i * known.length + a]);
      return best;
    };
    const keepClosest = (side: 'new' | 'known', size: number, keep: number): number[] =>
      Array.from({ length: size }, (_, a) => a)
        .sort((a, b) => nearestOther(side, a) - nearestOther(side, b) || a - b)
        .slice(0, keep)
        .sort((a, b) => a - b);
    const square = Math.min(k, known.length);
    const rows = keepClosest('new', k, square);
    const cols = keepClosest('known', known.length, square);
    const cost = new Float64Array(square * square);
    rows.forEach((i, r) => cols.forEach((j, c) => (cost[r * square + c] = dist2[i * known.length + j])));
    const rowToCol = solveAssignment(cost, square, square);
    rows.forEach((i, r) => (trackOf[i] = cols[rowToCol[r]]));
    return trackOf;
  }

  private liveTracks(): Track[] {
    return this.tracks.filter((t) => t.age === 0);
  }
}

function compareRows(data: Float64Array, a: number, b: number, d: number): number {
  for (let j = 0; j < d; j++) {
    const diff = data[a * d + j] - data[b * d + j];
    if (diff !== 0) return diff;
  }
  return a - b;
}
