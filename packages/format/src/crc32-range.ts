import { crc32 } from 'node:zlib';

/** Below this many bytes a table lookup per byte in JavaScript beats the cost of calling zlib. */
const SHORT_RANGE = 80;

/** The table of the byte-at-a-time CRC-32 (zlib's: reflected polynomial 0xEDB88320). */
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/**
 * zlib's CRC-32 of bytes [start, end) of `bytes`. Every frame has a 16-byte prefix and
 * small records have short payloads, so short ranges are summed here, without a view
 * object and a native call each.
 */
export function crc32Range(bytes: Uint8Array, start: number, end: number): number {
  if (end - start >= SHORT_RANGE) return crc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
