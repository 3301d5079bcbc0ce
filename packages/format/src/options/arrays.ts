import { ArgumentError } from '../argument-error.js';
import { MAX_LINES } from '../limits.js';
import type { ArrayDescriptor } from '../record.js';
import type { AppendOptions } from './append.js';
import type { ClusterOptions } from './cluster.js';
import { checkNamesFit } from './common.js';
import type { LinesOptions } from './lines.js';

/**
 * Names array `name` in an error message: a decoder says `scatter array 'y'`, the logger
 * names the argument the array came from (`scatter(data)`), so one rule serves both.
 */
export type ArrayNamer = (name: string) => string;

/** Names the arrays of a decoded record: `scatter array 'y'`. */
export const recordArrays =
  (kind: string): ArrayNamer =>
  (name) =>
    `${kind} array '${name}'`;

/**
 * Checks the arrays a record of one kind carries (names and shapes, given its checked
 * options); throws an ArgumentError naming the array. Arrays a kind does not use are
 * ignored, so the format can grow.
 */
export type ArraysRule<O> = (arrays: readonly ArrayDescriptor[], opts: O, name: ArrayNamer) => void;

/** `layout` records carry no arrays. */
export const layoutArrays: ArraysRule<unknown> = () => undefined;

/** `x`, `y` and optionally `color`, all of shape [N]. */
export const scatterArrays: ArraysRule<AppendOptions> = (arrays, _opts, name) => {
  const x = required(arrays, 'x', ['N'], name);
  sameShape(arrays, 'y', x, name, true);
  sameShape(arrays, 'color', x, name, false);
};

/** `y` of shape [M]: one new value for each of the plot's M lines, 1 <= M <= MAX_LINES. */
export const linesArrays: ArraysRule<LinesOptions> = (arrays, opts, name) => {
  const [lines] = required(arrays, 'y', ['M'], name).shape;
  if (lines < 1 || lines > MAX_LINES) throw new ArgumentError(`${name('y')}: expected 1 to ${MAX_LINES} lines (values), got ${lines}`);
  checkNamesFit(opts, lines, name('y'));
};

/**
 * `x` and `y` of shape [L, P]: row l holds line l's P new points, L <= MAX_LINES; optionally
 * `color` of shape [L], line l's colour value (one per line: a line is drawn in one colour).
 */
export const multilinesArrays: ArraysRule<AppendOptions> = (arrays, opts, name) => {
  const x = required(arrays, 'x', ['L', 'P'], name);
  sameShape(arrays, 'y', x, name, true);
  const [lines] = x.shape;
  if (lines > MAX_LINES) throw new ArgumentError(`${name('x')}: expected at most ${MAX_LINES} lines, got shape [${x.shape.join(', ')}]`);
  checkNamesFit(opts, lines, name('x'));
  const color = find(arrays, 'color');
  if (color && (color.shape.length !== 1 || color.shape[0] !== lines)) {
    throw new ArgumentError(`${name('color')}: expected shape [${lines}] (one colour value per line of 'x'), got [${color.shape.join(', ')}]`);
  }
};

/** `points` of shape [N, D], D the number of `columns`. */
export const clusterArrays: ArraysRule<ClusterOptions> = (arrays, { columns }, name) => {
  const [, dimension] = required(arrays, 'points', ['N', 'D'], name).shape;
  if (dimension !== columns.length) {
    throw new ArgumentError(`${name('points')}: expected ${columns.length} coordinates per point (one per column of opts.columns), got ${dimension}`);
  }
};

function find(arrays: readonly ArrayDescriptor[], wanted: string): ArrayDescriptor | undefined {
  for (const array of arrays) if (array.name === wanted) return array;
  return undefined;
}

/** Array `wanted`, present with as many dimensions as `dims` names. */
function required(arrays: readonly ArrayDescriptor[], wanted: string, dims: readonly string[], name: ArrayNamer): ArrayDescriptor {
  const array = find(arrays, wanted);
  if (!array) throw new ArgumentError(`${name(wanted)}: required, of shape [${dims.join(', ')}]`);
  if (array.shape.length !== dims.length) throw new ArgumentError(`${name(wanted)}: expected shape [${dims.join(', ')}], got [${array.shape.join(', ')}]`);
  return array;
}

/** Array `wanted` (when present, or when `needed`) has the shape of `like`. */
function sameShape(arrays: readonly ArrayDescriptor[], wanted: string, like: ArrayDescriptor, name: ArrayNamer, needed: boolean): void {
  const array = find(arrays, wanted);
  if (!array) {
    if (needed) throw new ArgumentError(`${name(wanted)}: required, of shape [${like.shape.join(', ')}] like '${like.name}'`);
    return;
  }
  if (array.shape.length !== like.shape.length || array.shape.some((n, i) => n !== like.shape[i])) {
    throw new ArgumentError(`${name(wanted)}: expected shape [${like.shape.join(', ')}] like '${like.name}', got [${array.shape.join(', ')}]`);
  }
}
