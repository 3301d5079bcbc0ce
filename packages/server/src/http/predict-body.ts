import { refuse } from './api-error.js';
import { jsonPreview } from './json-preview.js';

/** Points one predict request may carry. */
export const MAX_PREDICT_POINTS = 100_000;

/** An id passed through from a request to its answer. */
export type PassedId = string | number;

/**
 * POST .../predict. `points` are arrays in the order of the plot's columns, or objects
 * keyed by column name (with an optional `_id` each); `ids` (one per point) or the
 * points' `_id`s come back beside the labels.
 */
export interface PredictRequest {
  points: (number[] | Record<string, number | PassedId>)[];
  ids?: PassedId[];
}
export interface PredictResponse {
  /** Stable id of the nearest cluster of each point. */
  labels: number[];
  ids?: PassedId[];
}
/** The user-clustering service's form: one point as `{"_id", "interests": {column: value}}`, answered `{"_id", "cluster"}`. */
export interface SingleRequest {
  _id?: PassedId;
  interests: Record<string, number>;
}
export interface SingleAnswer {
  _id?: PassedId;
  cluster: number;
}

export interface PredictBody {
  points: { data: Float64Array; shape: [number, number] };
  ids?: PassedId[];
  /** The body was the one-point form. */
  single?: { id?: PassedId };
}

/** Reads a predict body against the plot's columns; refuses (4xx naming the field) what it cannot use. */
export function parsePredictBody(body: string, columns: readonly string[]): PredictBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return refuse(400, 'the body is not JSON: expected {"points": [[...], ...]}');
  }
  if (!isObject(parsed)) return refuse(400, `expected {"points": [...]} or {"_id": ..., "interests": {...}}, got ${jsonPreview(parsed)}`);
  if ('interests' in parsed) {
    const id = parsed._id === undefined ? undefined : passedId(parsed._id, '_id');
    const data = pointOf(parsed.interests, 'interests', columns);
    return { points: { data, shape: [1, columns.length] }, single: id === undefined ? {} : { id } };
  }
  const { points } = parsed;
  if (!Array.isArray(points)) return refuse(400, 'points: expected an array of points, e.g. {"points": [[1, 2], [3, 4]]}');
  if (points.length > MAX_PREDICT_POINTS) return refuse(413, `points: at most ${MAX_PREDICT_POINTS} per request, got ${points.length}`);
  const d = columns.length;
  const data = new Float64Array(points.length * d);
  const fromPoints: PassedId[] = [];
  points.forEach((point: unknown, i) => {
    data.set(pointOf(point, `points[${i}]`, columns), i * d);
    if (isObject(point) && point._id !== undefined) fromPoints.push(passedId(point._id, `points[${i}]._id`));
  });
  const ids = parsed.ids === undefined ? (fromPoints.length > 0 ? fromPoints : undefined) : idsOf(parsed.ids, points.length);
  if (fromPoints.length > 0 && fromPoints.length !== points.length) refuse(400, `points: ${fromPoints.length} of ${points.length} points have an _id; give one to every point or to none`);
  return { points: { data, shape: [points.length, d] }, ...(ids ? { ids } : {}) };
}

/** One point: d finite numbers in column order, or an object with exactly the columns (and `_id`). */
function pointOf(point: unknown, where: string, columns: readonly string[]): Float64Array {
  const d = columns.length;
  const values = new Float64Array(d);
  if (Array.isArray(point)) {
    if (point.length !== d) return refuse(400, `${where}: expected ${d} numbers (one per column: ${columns.join(', ')}), got ${jsonPreview(point)}`);
    point.forEach((value: unknown, j) => (values[j] = finite(value, `${where}[${j}]`)));
    return values;
  }
  if (!isObject(point)) return refuse(400, `${where}: expected ${d} numbers or an object of the columns ${columns.join(', ')}, got ${jsonPreview(point)}`);
  const unknown = Object.keys(point).filter((key) => key !== '_id' && !columns.includes(key));
  if (unknown.length > 0) return refuse(400, `${where}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k.slice(0, 100)}'`).join(', ')} (the columns are ${columns.join(', ')})`);
  const missing = columns.filter((column) => !Object.hasOwn(point, column));
  if (missing.length > 0) return refuse(400, `${where}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')}`);
  columns.forEach((column, j) => (values[j] = finite(point[column], `${where}.${column}`)));
  return values;
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(400, `${where}: expected a finite number, got ${jsonPreview(value)}`);
  return value;
}

function passedId(value: unknown, where: string): PassedId {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return refuse(400, `${where}: expected a string or a number, got ${jsonPreview(value)}`);
}

function idsOf(value: unknown, count: number): PassedId[] {
  if (!Array.isArray(value) || value.length !== count) return refuse(400, `ids: expected an array of ${count} ids (one per point), got ${jsonPreview(value)}`);
  return value.map((id: unknown, i) => passedId(id, `ids[${i}]`));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
