import type { Columns, PlotDelta } from '../protocol.js';

/**
 * Shrinks a queue of deltas to what a page needs to reach the same state: per plot, a
 * replace drops everything before it, and consecutive appends become one (kept to the
 * newest `rollover` rows). Plots are independent, so grouping by plot keeps the meaning.
 */
export function mergeDeltas(deltas: readonly PlotDelta[]): PlotDelta[] {
  const byPlot = new Map<string, PlotDelta[]>();
  for (const delta of deltas) {
    const list = byPlot.get(delta.plot) ?? [];
    if (delta.op === 'replace') list.length = 0;
    const last = list.at(-1);
    if (last && delta.op === 'append' && last.op === 'append' && sameKeys(last.columns, delta.columns)) {
      list[list.length - 1] = appendBoth(last, delta);
    } else {
      list.push(delta);
    }
    byPlot.set(delta.plot, list);
  }
  return [...byPlot.values()].flat();
}

function sameKeys(a: Columns, b: Columns): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k));
}

function appendBoth(first: PlotDelta, second: PlotDelta): PlotDelta {
  const rollover = second.rollover ?? Infinity;
  const perLine = Object.values(first.columns).some(isLineList) || Object.values(second.columns).some(isLineList);
  const columns: Columns = {};
  for (const [name, values] of Object.entries(first.columns)) {
    const more = second.columns[name];
    if (isLineList(values) || isLineList(more)) columns[name] = joinLines(values as number[][], more as number[][], rollover);
    // Beside point lists, a column of numbers holds one value per line (multilines' color): the newer value of each line wins.
    else if (perLine) columns[name] = newerPerLine(values as number[], more as number[]);
    else columns[name] = newest([...(values as number[]), ...(more as number[])], rollover);
  }
  return { ...second, columns };
}

function newerPerLine(first: number[], second: number[]): number[] {
  return Array.from({ length: Math.max(first.length, second.length) }, (_, i) => (i < second.length ? second[i] : first[i]));
}

/** multilines columns (xs, ys) hold one point list per line. */
function isLineList(values: number[] | number[][]): values is number[][] {
  return Array.isArray(values[0]);
}

function joinLines(first: number[][], second: number[][], rollover: number): number[][] {
  const lines = Math.max(first.length, second.length);
  return Array.from({ length: lines }, (_, i) => newest([...(first[i] ?? []), ...(second[i] ?? [])], rollover));
}

function newest<T>(values: T[], rollover: number): T[] {
  return values.length > rollover ? values.slice(values.length - rollover) : values;
}
