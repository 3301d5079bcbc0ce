import { solveAssignment } from './hungarian.js';

/**
 * Adjusted Rand index (Hubert & Arabie, 1985) between two labellings of the
 * same points: 1 for identical partitions, about 0 for chance agreement.
 * Label values are arbitrary (ids, -1, ...); only the partition matters.
 */
export function adjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (predicted.length !== n) throw new RangeError(`predicted: expected ${n} labels, got ${predicted.length}`);
  const { table, rows, cols } = contingency(truth, predicted);
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  let index = 0;
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const m = table[i * cols + j];
      index += pairs(m);
      rowSums[i] += m;
      colSums[j] += m;
    }
  }
  const sumRows = rowSums.reduce((s, m) => s + pairs(m), 0);
  const sumCols = colSums.reduce((s, m) => s + pairs(m), 0);
  const expected = n < 2 ? 0 : (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  // Both partitions trivial (one cluster, or all singletons): they agree exactly.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/**
 * Identity switches as counted in multi-object tracking (CLEAR MOT,
 * Bernardin & Stiefelhagen, 2008): in each window every ground-truth cluster is
 * matched to a predicted id by maximal overlap (optimal assignment of the
 * contingency table); a switch is a ground-truth cluster whose matched id
 * differs from the id it was last matched to. Noise (-1, in either labelling)
 * is no cluster: it is matched to nothing.
 */
export class IdSwitchCounter {
  total = 0;
  private lastId = new Map<number, number>();

  /** Counts this window's switches, adds them to `total` and returns them. */
  update(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
    if (predicted.length !== truth.length) throw new RangeError(`predicted: expected ${truth.length} labels, got ${predicted.length}`);
    const { table, rows, cols, rowLabels, colLabels } = contingency(truth, predicted);
    // Noise (label -1, true or found) is no identity: a true cluster labelled noise is missed, not switched.
    const cost = table.map((m, e) => (rowLabels[Math.floor(e / cols)] < 0 || colLabels[e % cols] < 0 ? 0 : -m));
    const rowToCol = solveAssignment(cost, rows, cols);
    let switches = 0;
    for (let i = 0; i < rows; i++) {
      const j = rowToCol[i];
      if (j < 0 || cost[i * cols + j] === 0) continue;
      const previous = this.lastId.get(rowLabels[i]);
      if (previous !== undefined && previous !== colLabels[j]) switches++;
      this.lastId.set(rowLabels[i], colLabels[j]);
    }
    this.total += switches;
    return switches;
  }
}

function contingency(a: ArrayLike<number>, b: ArrayLike<number>) {
  const rowOf = new Map<number, number>();
  const colOf = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (!rowOf.has(a[i])) rowOf.set(a[i], rowOf.size);
    if (!colOf.has(b[i])) colOf.set(b[i], colOf.size);
  }
  const rows = rowOf.size;
  const cols = colOf.size;
  const table = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) table[rowOf.get(a[i])! * cols + colOf.get(b[i])!]++;
  return { table, rows, cols, rowLabels: [...rowOf.keys()], colLabels: [...colOf.keys()] };
}
