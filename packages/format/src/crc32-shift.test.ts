import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { crc32Shift } from './crc32-shift.js';

describe('crc32Shift', () => {
  it('gives the CRC-32 of any span from the running CRCs before and through it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        const before = crc32(a);
        const through = crc32(b, before);
        expect((through ^ crc32Shift(before, b.length)) >>> 0).toBe(crc32(b));
      }),
    );
  });

  it('moves a CRC past a megabyte as past its parts, and past any count up to 2^31 in steps', () => {
    const a = Buffer.from('SVR1 prefix');
    const zeros = Buffer.alloc(1 << 20);
    expect((crc32(zeros, crc32(a)) ^ crc32Shift(crc32(a), zeros.length)) >>> 0).toBe(crc32(zeros));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.nat(2 ** 30), fc.nat(2 ** 30), (crc, n, m) => {
        expect(crc32Shift(crc32Shift(crc, n), m)).toBe(crc32Shift(crc, n + m));
      }),
    );
  });
});
