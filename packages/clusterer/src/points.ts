/** Points as callers give them: rows of numbers, or a flat row-major array with its shape. */
export type PointsInput = ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly number[] };

/** n points of d coordinates, row-major: point i is data[i*d .. i*d+d). */
export interface FlatPoints {
  data: Float64Array;
  n: number;
  d: number;
}

/**
 * Copies `points` into one flat Float64Array. Throws naming `argName` when the
 * input is not a finite n×d array (or when d differs from `expectedD`).
 */
export function toFlatPoints(points: PointsInput, argName: string, expectedD?: number): FlatPoints {
  if (points === null || typeof points !== 'object') throw new TypeError(`${argName}: expected number[][] or {data, shape}`);
  let flat: FlatPoints;
  if ('shape' in points && 'data' in points) {
    const { data, shape } = points;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new TypeError(`${argName}.shape: expected [n, d] of non-negative integers`);
    }
    const [n, d] = shape;
    if (data.length !== n * d) throw new RangeError(`${argName}.data: length ${data.length} does not match shape [${n}, ${d}]`);
    flat = { data: Float64Array.from(data), n, d };
  } else {
    const rows = points as ArrayLike<ArrayLike<number>>;
    const n = rows.length;
    if (typeof n !== 'number') throw new TypeError(`${argName}: expected number[][] or {data, shape}`);
    const d = n > 0 ? rows[0].length : expectedD ?? 0;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!row || row.length !== d) throw new RangeError(`${argName}[${i}]: expected ${d} coordinates`);
      for (let j = 0; j < d; j++) data[i * d + j] = row[j];
    }
    flat = { data, n, d };
  }
  if (expectedD !== undefined && flat.n > 0 && flat.d !== expectedD) {
    throw new RangeError(`${argName}: expected points of ${expectedD} coordinates, got ${flat.d}`);
  }
  for (let i = 0; i < flat.data.length; i++) {
    if (!Number.isFinite(flat.data[i])) throw new RangeError(`${argName}: coordinate ${i % flat.d} of point ${Math.floor(i / flat.d)} is not finite`);
  }
  return flat;
}

/** Rows of a flat array, for APIs and results that speak number[][]. */
export function toRows(data: Float64Array, n: number, d: number): number[][] {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(data.subarray(i * d, i * d + d));
  return rows;
}
