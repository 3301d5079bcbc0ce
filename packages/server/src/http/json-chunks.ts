import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Values encoded between two turns of the event loop (a millisecond or two of work):
 * each number, string, key, array element and object entry counts one.
 */
export const VALUES_PER_TURN = 8_192;

/**
 * JSON.stringify(value) as text pieces, giving the event loop a turn between pieces:
 * a run of 10,000 plots or a plot of a million rows is megabytes of JSON, and encoding it
 * in one go would hold every other request (health, the page's event streams) meanwhile.
 * Every value counts toward the turn's work, so many small objects are sliced as surely
 * as long arrays of numbers. For plain data (objects, arrays, primitives; no toJSON). The
 * value must not change while it is encoded: callers take it in one piece (a snapshot of
 * the state) and hand it over.
 */
export async function* jsonText(value: unknown): AsyncGenerator<string, void, undefined> {
  const out: JsonOutput = { text: '', budget: VALUES_PER_TURN };
  for (const _turn of write(value, out)) {
    yield take(out);
    await nextTurn();
  }
  if (out.text) yield take(out);
}

/** jsonText(value) whole, as one string (for an event stream's message). */
export async function jsonString(value: unknown): Promise<string> {
  let text = '';
  for await (const piece of jsonText(value)) text += piece;
  return text;
}

/** jsonText(value) as UTF-8 chunks, to be kept and sent to many readers. */
export async function jsonChunks(value: unknown): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const piece of jsonText(value)) chunks.push(Buffer.from(piece));
  return chunks;
}

interface JsonOutput {
  text: string;
  /** Values left to encode before the next turn. */
  budget: number;
}

function take(out: JsonOutput): string {
  const { text } = out;
  out.text = '';
  return text;
}

/** Appends `item`'s JSON to `out.text`; yields whenever a turn's budget is spent. */
function* write(item: unknown, out: JsonOutput): Generator<void, void, undefined> {
  if (Array.isArray(item)) yield* (isFlat(item) ? writeFlatArray(item, out) : writeArray(item, out));
  else if (isContainer(item)) yield* writeObject(item as Record<string, unknown>, out);
  else out.text += JSON.stringify(item) ?? 'null';
}

/** An array of primitives only (a long column of numbers, mostly): encoded in runs of the turn's budget. */
function* writeFlatArray(items: readonly unknown[], out: JsonOutput): Generator<void, void, undefined> {
  out.text += '[';
  for (let from = 0; from < items.length; ) {
    const to = Math.min(items.length, from + Math.max(1, out.budget));
    const run = JSON.stringify(items.slice(from, to));
    out.text += `${from === 0 ? '' : ','}${run.slice(1, -1)}`;
    out.budget -= to - from;
    from = to;
    if (spent(out)) yield;
  }
  out.text += ']';
}

function* writeArray(items: readonly unknown[], out: JsonOutput): Generator<void, void, undefined> {
  out.text += '[';
  for (let from = 0; from < items.length; ) {
    const to = fittingRun(items, from, out);
    if (to === undefined) {
      yield;
      continue;
    }
    const comma = from === 0 ? '' : ',';
    if (to > from) {
      out.text += `${comma}${JSON.stringify(items.slice(from, to)).slice(1, -1)}`;
    } else {
      out.text += comma;
      yield* write(items[from] ?? null, out);
    }
    from = Math.max(to, from + 1);
    if (spent(out)) yield;
  }
  out.text += ']';
}

function* writeObject(item: Record<string, unknown>, out: JsonOutput): Generator<void, void, undefined> {
  const keys = Object.keys(item);
  const values = keys.map((key) => item[key]);
  out.text += '{';
  let empty = true;
  for (let from = 0; from < keys.length; ) {
    const to = fittingRun(values, from, out);
    if (to === undefined) {
      yield;
      continue;
    }
    let text: string;
    if (to > from) {
      // Keyed by the object's own names: no prototype, so '__proto__' is a key like any other.
      const part = Object.create(null) as Record<string, unknown>;
      for (let i = from; i < to; i++) part[keys[i]] = values[i];
      text = JSON.stringify(part).slice(1, -1);
    } else {
      text = '';
      if (values[from] !== undefined) {
        out.text += `${empty ? '' : ','}${JSON.stringify(keys[from])}:`;
        empty = false;
        yield* write(values[from], out);
      }
    }
    if (text) out.text += `${empty ? '' : ','}${text}`;
    empty &&= !text;
    from = Math.max(to, from + 1);
    if (spent(out)) yield;
  }
  out.text += '}';
}

/**
 * The end of the run of `values` from `from` that fits in what is left of the turn, to be
 * encoded by one JSON.stringify (a slice of a run's plots, of a layout's cells), charged to
 * the budget. `from` itself when that value is bigger than a whole turn (it is walked);
 * undefined when it only needs a new turn: the budget is renewed, the caller yields and asks again.
 */
function fittingRun(values: readonly unknown[], from: number, out: JsonOutput): number | undefined {
  let to = from;
  let size = 0;
  for (; to < values.length; to++) {
    const next = sizeUpTo(values[to], out.budget - size);
    if (size + next > out.budget) break;
    size += next;
  }
  out.budget -= size;
  if (to > from || out.budget === VALUES_PER_TURN || sizeUpTo(values[from], VALUES_PER_TURN) > VALUES_PER_TURN) return to;
  out.budget = VALUES_PER_TURN;
  return undefined;
}

/** Whether the turn's budget is spent (then the caller yields, and the next turn gets a new one). */
function spent(out: JsonOutput): boolean {
  if (out.budget > 0) return false;
  out.budget = VALUES_PER_TURN;
  return true;
}

/** Values in `item` (itself, and everything it holds), counted only until they pass `limit`. */
function sizeUpTo(item: unknown, limit: number): number {
  if (!isContainer(item)) return 1;
  let size = 1;
  // Indexed and for-in loops: no array of values made per object (this runs for every value encoded).
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length && size <= limit; i++) size += isContainer(item[i]) ? sizeUpTo(item[i], limit - size) : 1;
    return size;
  }
  const entries = item as Record<string, unknown>;
  for (const key in entries) {
    size += isContainer(entries[key]) ? sizeUpTo(entries[key], limit - size) : 1;
    if (size > limit) break;
  }
  return size;
}

function isContainer(item: unknown): item is object {
  return item !== null && typeof item === 'object';
}

function isFlat(items: readonly unknown[]): boolean {
  for (const item of items) if (isContainer(item)) return false;
  return true;
}
