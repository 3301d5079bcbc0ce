import { solveAssignment } from './hungarian.js';

/**
 * Optimal partial matching under a distance gate. Given squared distances
 * (rows × cols, row-major) between new and known centers, picks the matching
 * that minimises Σ over matched pairs of (d² − gate²): the padded square
 * assignment in which leaving a center unmatched costs gate²/2 on either side,
 * reduced to a rectangular one with costs min(d² − gate², 0), where a pair at
 * cost 0 is no match. So no pair at or beyond the gate is ever matched.
 * Returns, per row, the matched column or -1. An infinite gate matches as many
 * pairs as possible.
 */
export function matchWithinGate(dist2: Float64Array, rows: number, cols: number, gate: number): Int32Array {
  const colOf = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return colOf;
  let gate2 = gate * gate;
  if (!Number.isFinite(gate2)) {
    // Any gate beyond every distance means "always match".
    let max = 0;
    for (let i = 0; i < dist2.length; i++) if (dist2[i] > max && dist2[i] < Infinity) max = dist2[i];
    gate2 = 2 * max + 1;
  }
  // An infinite distance (a pair barred) is beyond any gate.
  const cost = new Float64Array(dist2.length);
  for (let i = 0; i < dist2.length; i++) cost[i] = dist2[i] < gate2 ? dist2[i] - gate2 : 0;
  const assigned = solveAssignment(cost, rows, cols);
  for (let i = 0; i < rows; i++) if (assigned[i] >= 0 && cost[i * cols + assigned[i]] < 0) colOf[i] = assigned[i];
  return colOf;
}
