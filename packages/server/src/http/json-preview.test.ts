import { describe, expect, it } from 'vitest';
import { jsonPreview } from './json-preview.js';

describe('jsonPreview', () => {
  it('writes small values as JSON.stringify does', () => {
    for (const value of [[1, 2], { a: [1, 'x'], b: null }, 'text', 3.5, true, null, []]) expect(jsonPreview(value)).toBe(JSON.stringify(value));
  });

  it('cuts long values at the limit', () => {
    expect(jsonPreview(Array.from({ length: 1000 }, (_, i) => i), 20)).toBe(`${JSON.stringify(Array.from({ length: 1000 }, (_, i) => i)).slice(0, 20)}…`);
    expect(jsonPreview('x'.repeat(1_000_000), 10)).toBe('"xxxxxxxxx…');
  });

  it('previews a value nested a million levels deep without overflowing the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(jsonPreview(deep, 30)).toBe(`${'['.repeat(30)}…`);
  });
});
