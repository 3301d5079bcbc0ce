/**
 * CRC-32 (zlib's) of a span from two running values: if `before` is the CRC of bytes A and
 * `through` the CRC of A followed by B, the CRC of B alone is
 * `through ^ crc32Shift(before, B.length)`. This is zlib's crc32_combine solved for the
 * second part: CRC-32 is linear over GF(2), so appending n bytes to A multiplies A's part of
 * the value by x^(8n) modulo the CRC polynomial. It lets a reader checksum any number of
 * overlapping spans with one pass over the bytes (see frame-scanner.ts).
 */
export function crc32Shift(crc: number, byteCount: number): number {
  return crc === 0 ? 0 : multiplyModP(powerOfX(byteCount), crc);
}

/** The reflected CRC-32 polynomial. */
const POLY = 0xedb88320;

/** a * b modulo the polynomial (both reflected, bit 31 the x^0 coefficient). */
function multiplyModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial for k = 0..63: squaring its way up, as zlib's x2n_table. */
const X_POW_2K: Uint32Array = (() => {
  const table = new Uint32Array(64);
  let p = 0x40000000; // x^1
  for (let k = 0; k < 64; k++) {
    table[k] = p;
    p = multiplyModP(p, p);
  }
  return table;
})();

/** x^(8 n) modulo the polynomial: the factor that moves a CRC past n bytes. */
function powerOfX(byteCount: number): number {
  let p = 0x80000000; // x^0
  // n bytes are 8n bits: start at k = 3, i.e. x^(2^3) per unit of n.
  for (let n = byteCount, k = 3; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) p = multiplyModP(X_POW_2K[k], p);
  }
  return p;
}
