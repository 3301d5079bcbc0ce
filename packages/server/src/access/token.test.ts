import { describe, expect, it } from 'vitest';
import { generateToken, tokenMatches, tokenTag } from './token.js';

describe('tokens', () => {
  it('are new each time, 32 URL-safe characters', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('match only themselves, whatever the lengths', () => {
    const token = generateToken();
    expect(tokenMatches(token, token)).toBe(true);
    for (const other of ['', token.slice(1), `${token}x`, token.toUpperCase(), generateToken()]) expect(tokenMatches(other, token)).toBe(false);
  });

  it('have a stable tag that differs between tokens', () => {
    expect(tokenTag('a')).toBe(tokenTag('a'));
    expect(tokenTag('a')).not.toBe(tokenTag('b'));
    expect(tokenTag('a')).toMatch(/^[0-9a-f]{12}$/);
  });
});
