import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.js';

const text = async (value: unknown) => Buffer.concat(await jsonChunks(value)).toString('utf8');

describe('jsonChunks', () => {
  it('gives exactly what JSON.stringify gives, for every shape a plot snapshot has', async () => {
    const long = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? i / 7 : -i));
    const values: unknown[] = [
      { name: 'loss', kind: 'lines', cell: [0, 0, 1, 2], opts: { rollover: 1_000_000 }, columns: { x: long, y0: long.map((v) => v * 2) }, length: 100_000 },
      { columns: { xs: [long.slice(0, 300), [], [1, 2]], ys: [long.slice(0, 300), [], [3, 4]] } },
      { weird: [NaN, Infinity, -0, 1e-320, null, 'a"b', true], missing: undefined, '__proto__': 1 },
      Array.from({ length: 1000 }, (_, i) => (i === 500 ? [1, 2] : i)),
      [],
      'plain',
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
});
