import { setImmediate as nextTurn } from 'node:timers/promises';

/** Numbers encoded between two turns of the event loop (about a millisecond's work). */
const NUMBERS_PER_TURN = 32_768;

/**
 * JSON.stringify(value), as UTF-8 chunks, yielding to the event loop between runs of
 * numbers: a plot of a million rows is 15+ MB of JSON, and encoding it in one go would
 * hold every other request (health, the page's event streams) for a quarter second or more.
 */
export async function jsonChunks(value: unknown): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  let text = '';
  let budget = NUMBERS_PER_TURN;
  const emit = (part: string) => {
    text += part;
    if (text.length < 1 << 16) return;
    chunks.push(Buffer.from(text));
    text = '';
  };
  const walk = async (item: unknown): Promise<void> => {
    if (isNumbers(item)) {
      emit('[');
      for (let from = 0; from < item.length; from += NUMBERS_PER_TURN) {
        const part = JSON.stringify(item.slice(from, from + NUMBERS_PER_TURN));
        emit(from === 0 ? part.slice(1, -1) : `,${part.slice(1, -1)}`);
        budget -= NUMBERS_PER_TURN;
        if (budget <= 0) {
          budget = NUMBERS_PER_TURN;
          await nextTurn();
        }
      }
      emit(']');
    } else if (Array.isArray(item)) {
      emit('[');
      for (const [i, element] of item.entries()) {
        if (i > 0) emit(',');
        await walk(element === undefined ? null : element);
      }
      emit(']');
    } else if (item !== null && typeof item === 'object') {
      emit('{');
      let first = true;
      for (const [key, element] of Object.entries(item)) {
        if (element === undefined) continue;
        emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        await walk(element);
      }
      emit('}');
    } else {
      emit(JSON.stringify(item) ?? 'null');
    }
  };
  await walk(value);
  if (text) chunks.push(Buffer.from(text));
  return chunks;
}

/** A long array of numbers only (worth encoding in runs); short arrays take the general path. */
function isNumbers(item: unknown): item is number[] {
  return Array.isArray(item) && item.length > 256 && typeof item[0] === 'number' && typeof item[item.length - 1] === 'number';
}
