import { describe, expect, it } from 'vitest';
import { jsonChunks, jsonString, jsonText, VALUES_PER_TURN } from './json-chunks.js';

const text = async (value: unknown) => Buffer.concat(await jsonChunks(value)).toString('utf8');

/** What GET /api/runs/:run answers for a run of `plots` plots. */
function runDetail(plots: number) {
  const infos = Array.from({ length: plots }, (_, i) => ({ name: `p${i}`, kind: 'lines', cell: [i >> 1, i & 1, 1, 1], opts: { rollover: 1_000_000 }, length: 3, version: i + 1 }));
  const layout = Object.create(null) as Record<string, number[]>;
  for (const info of infos) layout[info.name] = info.cell;
  return { run: 'big', layout, records: 3 * plots, errors: 0, plots: infos };
}

describe('jsonChunks', () => {
  it('gives exactly what JSON.stringify gives, for every shape a plot snapshot has', async () => {
    const long = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? i / 7 : -i));
    const values: unknown[] = [
      { name: 'loss', kind: 'lines', cell: [0, 0, 1, 2], opts: { rollover: 1_000_000 }, columns: { x: long, y0: long.map((v) => v * 2) }, length: 100_000 },
      { columns: { xs: [long.slice(0, 300), [], [1, 2]], ys: [long.slice(0, 300), [], [3, 4]] } },
      { weird: [NaN, Infinity, -0, 1e-320, null, 'a"b\n\u2028é', true, undefined], missing: undefined, '__proto__': 1 },
      JSON.parse('{"__proto__": {"a": 1}, "b": 2}'),
      Array.from({ length: 1000 }, (_, i) => (i === 500 ? [1, 2] : i)),
      // Small objects around one bigger than a turn, deeper than one level.
      [{ a: 1 }, { big: [{ x: long }, { y: [long.slice(0, 20_000)] }] }, { b: undefined }, {}, [[]]],
      Object.fromEntries(Array.from({ length: 3 * VALUES_PER_TURN }, (_, i) => [i % 5 === 0 ? `k${i}` : String(i), i % 7 === 0 ? undefined : [i]])),
      runDetail(10_000),
      [],
      {},
      'plain',
      42,
      null,
    ];
    for (const value of values) expect(await text(value)).toBe(JSON.stringify(value));
  });

  it('yields to the event loop while it encodes a million numbers', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    await jsonChunks({ x: Array.from({ length: 1_000_000 }, (_, i) => i * 0.5) });
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(5);
  });

  it('gives other work a turn while it encodes the detail of 10,000 plots, a slice of values at a time', async () => {
    const detail = runDetail(10_000);
    // Queued before the encoding starts: runs at the first turn the encoder gives back.
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    const pieces: string[] = [];
    for await (const piece of jsonText(detail)) pieces.push(piece);
    order.push('encoded');

    expect(order).toEqual(['other work', 'encoded']);
    expect(pieces.join('')).toBe(JSON.stringify(detail));
    // About 13 values per plot (the info's entries, its cell, its options, the layout's entry): one piece per turn's worth.
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor((12 * 10_000) / VALUES_PER_TURN));
  });

  it('gives one string for an event stream', async () => {
    const detail = runDetail(100);
    expect(await jsonString(detail)).toBe(JSON.stringify(detail));
  });
});
