import { describe, expect, it } from 'vitest';
import { groupedDigits } from './grouped-digits.js';

describe('groupedDigits', () => {
  it('groups as en-US does, for every count a report can hold', () => {
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -4321, 2 ** 53 - 1, 1234.5]) {
      expect(groupedDigits(value)).toBe(value.toLocaleString('en-US', { maximumFractionDigits: 20 }));
    }
  });
});
