/**
 * Unsigned LEB128 integers, as version 2 headers hold them: 7 bits a byte, low bits first,
 * the high bit set on every byte but the last. Values up to 2^53 - 1 (8 bytes at most), so
 * every one is exact as a JavaScript number.
 */

/** Bytes a value takes. */
export function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes++;
  }
  return bytes;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVarint(bytes: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    bytes[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  bytes[offset++] = value;
  return offset;
}

/** The most bytes a varint of at most 2^53 - 1 takes. */
export const MAX_VARINT_BYTES = 8;
