import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Columns } from '../protocol.js';

/** Rows written between two turns of the event loop. */
const ROWS_PER_TURN = 16_384;

/**
 * A plot's columns as CSV, in chunks, yielding to the event loop between them (a million
 * rows is tens of MB). Columns of numbers become one column each, a row per index;
 * columns of point lists (multilines' xs, ys) a long form: `line,xs,ys`, a row per point,
 * where a column of numbers beside them holds a value per line (multilines' color), repeated
 * on each of the line's rows. Numbers are written as JSON writes them, so the CSV holds
 * exactly the JSON API's values.
 */
export async function* plotCsv(columns: Columns): AsyncGenerator<string> {
  const names = Object.keys(columns);
  const lists = names.filter((name) => Array.isArray(columns[name][0]));
  if (lists.length > 0) {
    const perLine = names.filter((name) => !lists.includes(name));
    yield `line,${[...lists, ...perLine].map(csvField).join(',')}\n`;
    const lines = columns[lists[0]] as number[][];
    for (let line = 0; line < lines.length; line++) {
      const of = lists.map((name) => (columns[name] as number[][])[line]);
      const values = perLine.map((name) => `,${(columns[name] as number[])[line]}`).join('');
      yield* rows(lines[line].length, (i) => `${line},${of.map((points) => points[i]).join(',')}${values}\n`);
    }
    return;
  }
  yield `${names.map(csvField).join(',')}\n`;
  const values = names.map((name) => columns[name] as number[]);
  yield* rows(values[0]?.length ?? 0, (i) => `${values.map((column) => column[i]).join(',')}\n`);
}

async function* rows(count: number, row: (index: number) => string): AsyncGenerator<string> {
  for (let from = 0; from < count; from += ROWS_PER_TURN) {
    let text = '';
    for (let i = from; i < Math.min(count, from + ROWS_PER_TURN); i++) text += row(i);
    yield text;
    await nextTurn();
  }
}

/** A CSV field, quoted when it holds a separator, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
