import { IdSwitchCounter, adjustedRandIndex } from '@streamvis/clusterer';

/** A cluster counts in a window when it holds at least this fraction of the window's points. */
export const COUNTED_FRACTION = 0.01;
/** A true cluster is split when a second found cluster holds at least this fraction of its points. */
export const SPLIT_FRACTION = 0.1;
/** A cluster back after at least this many windows away "returns" (and should get its old id). */
export const RETURN_GAP = 5;
/** A return after more than this many windows away is a long one: beyond the 20 pushes an id was once kept. */
export const LONG_RETURN_GAP = 20;
/** Windows after a change of the true k in which the found k may follow it (a birth may take 3 pushes to be labelled). */
export const RESPONSE_WINDOWS = 3;

/** What a clustering of a flow got right and wrong, window by window (labels -1: noise, in truth and found). */
export interface FlowScore {
  windows: number;
  /** Mean over windows of |found k − true k|, and of found k − true k, counting clusters of ≥ 1 % of the window. */
  kError: number;
  kBias: number;
  /** Mean true and found k (clusters of ≥ 1 % of the window). */
  trueK: number;
  foundK: number;
  /** Found clusters (≥ 1 % of the window) whose points are mostly noise, per window. */
  noiseMajority: number;
  /** Changes of the found k between consecutive windows with the same true k. */
  kChanges: number;
  /** Of those, the changes with the true k the same over the last RESPONSE_WINDOWS windows too: not a response to a change of the true k. */
  kChangesSettled: number;
  /**
   * Of those, the changes with the very same true clusters over the last RESPONSE_WINDOWS windows too: not a
   * response to a birth either, even one the same window's death hid from the true k.
   */
  kChangesTruthStable: number;
  /** Of the windows an elongated true cluster holds ≥ 1 % of (and ≥ 20 points), the share in which it is split. */
  elongatedSplit: number;
  elongatedChecks: number;
  /** Births (a true cluster of ≥ 1 % of a window after a window without): windows until it has its own label, 1 = at once. */
  birthDelays: number[];
  /** Returns after ≥ RETURN_GAP windows away, and how many got the id they had before. */
  returns: number;
  returnsWithOldId: number;
  /** Of those, the returns after more than LONG_RETURN_GAP windows away, and how many got their old id. */
  longReturns: number;
  longReturnsWithOldId: number;
  /** Mean adjusted Rand index per window, and identity switches (CLEAR MOT) over the flow. */
  ari: number;
  idSwitches: number;
  /** Of the true noise points, the share labelled -1; of the points labelled -1, the share that is true noise. */
  noiseRecall: number;
  noisePrecision: number;
}

/** Per true cluster: the found id that is its own (holds most of its points and has mostly its points), if any. */
function ownIds(truth: ArrayLike<number>, found: ArrayLike<number>): Map<number, number> {
  const joint = new Map<string, number>();
  const trueCount = new Map<number, number>();
  const foundCount = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    joint.set(`${truth[i]} ${found[i]}`, (joint.get(`${truth[i]} ${found[i]}`) ?? 0) + 1);
    trueCount.set(truth[i], (trueCount.get(truth[i]) ?? 0) + 1);
    foundCount.set(found[i], (foundCount.get(found[i]) ?? 0) + 1);
  }
  const own = new Map<number, number>();
  for (const [key, m] of joint) {
    const [t, f] = key.split(' ').map(Number);
    if (t < 0 || f < 0) continue;
    if (2 * m > trueCount.get(t)! && 2 * m > foundCount.get(f)!) own.set(t, f);
  }
  return own;
}

function countsOf(labels: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}

/** Scores a clustering window by window; `update` each window, then `result`. */
export class FlowScorer {
  private windows = 0;
  private kErrorSum = 0;
  private kBiasSum = 0;
  private trueKSum = 0;
  private foundKSum = 0;
  private noiseMajoritySum = 0;
  private kChanges = 0;
  private kChangesSettled = 0;
  private kChangesTruthStable = 0;
  private readonly trueKs: number[] = [];
  /** Per window, its counted true clusters, in label order. */
  private readonly trueSets: string[] = [];
  private splits = 0;
  private elongatedChecks = 0;
  private readonly birthDelays: number[] = [];
  private returns = 0;
  private returnsWithOldId = 0;
  private longReturns = 0;
  private longReturnsWithOldId = 0;
  private ariSum = 0;
  private readonly switches = new IdSwitchCounter();
  private noiseTrue = 0;
  private noiseFound = 0;
  private noiseBoth = 0;
  private last: { trueK: number; foundK: number } | undefined;
  /** Per true cluster: the window it was last counted in, its last own id, and a birth waiting for its own label. */
  private readonly clusters = new Map<number, { lastSeen: number; lastOwn?: number; bornAt?: number; returning?: number; long?: boolean }>();

  /** One window: the true cluster of each point, the found label of each, and which true clusters are elongated. */
  update(truth: ArrayLike<number>, found: ArrayLike<number>, isElongated: (c: number) => boolean = () => false): void {
    const n = truth.length;
    if (n === 0) return;
    const w = this.windows++;
    const min = COUNTED_FRACTION * n;
    const trueCounts = countsOf(truth);
    const foundCounts = countsOf(found);
    const counted = (counts: Map<number, number>) => [...counts].filter(([label, m]) => label >= 0 && m >= min).map(([label]) => label);
    const trueClusters = counted(trueCounts).sort((a, b) => a - b);
    const trueK = trueClusters.length;
    const foundClusters = counted(foundCounts);
    const foundK = foundClusters.length;
    this.kErrorSum += Math.abs(foundK - trueK);
    this.kBiasSum += foundK - trueK;
    this.trueKSum += trueK;
    this.foundKSum += foundK;
    this.trueKs.push(trueK);
    this.trueSets.push(trueClusters.join(' '));
    if (this.last && this.last.trueK === trueK && this.last.foundK !== foundK) {
      this.kChanges++;
      // This window and the RESPONSE_WINDOWS before it: a birth in the first of them was labelled by the last.
      const recent = -RESPONSE_WINDOWS - 1;
      if (this.trueKs.length > RESPONSE_WINDOWS && this.trueKs.slice(recent).every((t) => t === trueK)) this.kChangesSettled++;
      if (this.trueSets.length > RESPONSE_WINDOWS && this.trueSets.slice(recent).every((t) => t === this.trueSets[w])) this.kChangesTruthStable++;
    }
    this.last = { trueK, foundK };

    // Per found cluster, its noise points; per true cluster, its points per found label.
    const noiseIn = new Map<number, number>();
    const byTrue = new Map<number, Map<number, number>>();
    for (let i = 0; i < n; i++) {
      if (truth[i] < 0) {
        this.noiseTrue++;
        if (found[i] < 0) this.noiseBoth++;
        noiseIn.set(found[i], (noiseIn.get(found[i]) ?? 0) + 1);
      } else {
        const row = byTrue.get(truth[i]) ?? new Map<number, number>();
        row.set(found[i], (row.get(found[i]) ?? 0) + 1);
        byTrue.set(truth[i], row);
      }
      if (found[i] < 0) this.noiseFound++;
    }
    this.noiseMajoritySum += foundClusters.filter((f) => 2 * (noiseIn.get(f) ?? 0) > foundCounts.get(f)!).length;

    for (const [t, row] of byTrue) {
      const m = trueCounts.get(t)!;
      if (!isElongated(t) || m < min || m < 20) continue;
      this.elongatedChecks++;
      if ([...row].filter(([f, c]) => f >= 0 && c >= SPLIT_FRACTION * m).length >= 2) this.splits++;
    }

    const own = ownIds(truth, found);
    for (const t of counted(trueCounts)) {
      const state = this.clusters.get(t);
      if (!state || state.lastSeen < w - 1) {
        // Born (or back): it needs its own label again; a return after a long gap should bring its old id.
        const back = state && w - state.lastSeen > RETURN_GAP ? state.lastOwn : undefined;
        const long = back !== undefined && w - state!.lastSeen > LONG_RETURN_GAP;
        this.clusters.set(t, { lastSeen: w, lastOwn: state?.lastOwn, bornAt: w > 0 ? w : undefined, returning: back, long });
        if (back !== undefined) this.returns++;
        if (long) this.longReturns++;
      }
      const s = this.clusters.get(t)!;
      s.lastSeen = w;
      const id = own.get(t);
      if (id === undefined) continue;
      if (s.bornAt !== undefined) {
        this.birthDelays.push(w - s.bornAt + 1);
        s.bornAt = undefined;
      }
      if (s.returning !== undefined) {
        if (s.returning === id) this.returnsWithOldId++;
        if (s.returning === id && s.long) this.longReturnsWithOldId++;
        s.returning = undefined;
      }
      s.lastOwn = id;
    }

    this.ariSum += adjustedRandIndex(truth, found);
    this.switches.update(truth, found);
  }

  result(): FlowScore {
    const per = (sum: number) => sum / Math.max(1, this.windows);
    return {
      windows: this.windows,
      kError: per(this.kErrorSum),
      kBias: per(this.kBiasSum),
      trueK: per(this.trueKSum),
      foundK: per(this.foundKSum),
      noiseMajority: per(this.noiseMajoritySum),
      kChanges: this.kChanges,
      kChangesSettled: this.kChangesSettled,
      kChangesTruthStable: this.kChangesTruthStable,
      elongatedSplit: this.splits / Math.max(1, this.elongatedChecks),
      elongatedChecks: this.elongatedChecks,
      birthDelays: [...this.birthDelays],
      returns: this.returns,
      returnsWithOldId: this.returnsWithOldId,
      longReturns: this.longReturns,
      longReturnsWithOldId: this.longReturnsWithOldId,
      ari: per(this.ariSum),
      idSwitches: this.switches.total,
      noiseRecall: this.noiseTrue === 0 ? 1 : this.noiseBoth / this.noiseTrue,
      noisePrecision: this.noiseFound === 0 ? 1 : this.noiseBoth / this.noiseFound,
    };
  }
}
