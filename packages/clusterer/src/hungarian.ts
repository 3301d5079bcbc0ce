/**
 * Minimum-cost assignment (linear sum assignment) of a rows × cols cost matrix,
 * row-major in a Float64Array: each row of the smaller side gets a distinct
 * column of the other, minimising the total cost. Shortest augmenting paths
 * with dual potentials (Kuhn–Munkres in the Jonker–Volgenant form), O(r²c).
 * Costs must be finite. Returns, per row, its column (or -1 when rows > cols
 * and the row stays unassigned).
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) {
    const transposed = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) transposed[j * rows + i] = cost[i * cols + j];
    const colToRow = solveAssignment(transposed, cols, rows);
    const rowToCol = new Int32Array(rows).fill(-1);
    colToRow.forEach((i, j) => (rowToCol[i] = j));
    return rowToCol;
  }
  // 1-based as in the classic formulation: index 0 is the virtual root of each search.
  const u = new Float64Array(rows + 1); // row potentials
  const v = new Float64Array(cols + 1); // column potentials
  const rowOfCol = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  const minReduced = new Float64Array(cols + 1);
  const visited = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    minReduced.fill(Infinity);
    visited.fill(0);
    do {
      visited[j0] = 1;
      const i0 = rowOfCol[j0];
      const base = (i0 - 1) * cols - 1;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (visited[j]) continue;
        const reduced = cost[base + j] - u[i0] - v[j];
        if (reduced < minReduced[j]) {
          minReduced[j] = reduced;
          way[j] = j0;
        }
        if (minReduced[j] < delta) {
          delta = minReduced[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (visited[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minReduced[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    // Flip the augmenting path back to the root.
    do {
      const j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (rowOfCol[j] !== 0) rowToCol[rowOfCol[j] - 1] = j - 1;
  return rowToCol;
}
