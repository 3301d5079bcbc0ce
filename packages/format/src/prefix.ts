import { crc32Range } from './crc32-range.js';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES } from './limits.js';

/** "SVR1": marks the start of every frame, so a reader can find the next frame after damage. */
export const MAGIC = Buffer.from('SVR1', 'latin1');
/** magic, header length, body length, payload CRC-32, prefix CRC-32: five 4-byte fields. */
export const PREFIX_BYTES = 20;

/** What a prefix that does not check says is wrong with it. */
export const BAD_PREFIX_CHECKSUM = -1;
export const LENGTHS_OUT_OF_RANGE = -2;

/**
 * The length of the frame whose 20-byte prefix (magic already seen) starts at `index`:
 * 20 + H + B, or BAD_PREFIX_CHECKSUM / LENGTHS_OUT_OF_RANGE (rules 3 and 4).
 */
export function prefixFrameBytes(bytes: Buffer, index: number): number {
  if (bytes.readUInt32LE(index + 16) !== crc32Range(bytes, index, index + 16)) return BAD_PREFIX_CHECKSUM;
  const headerBytes = bytes.readUInt32LE(index + 4);
  const bodyBytes = bytes.readUInt32LE(index + 8);
  if (headerBytes > MAX_HEADER_BYTES || bodyBytes > MAX_BODY_BYTES) return LENGTHS_OUT_OF_RANGE;
  return PREFIX_BYTES + headerBytes + bodyBytes;
}

/** The payload CRC-32 the prefix at `index` announces. */
export function payloadCrcAt(bytes: Buffer, index: number): number {
  return bytes.readUInt32LE(index + 12);
}

export function hasMagicAt(bytes: Uint8Array, index: number): boolean {
  return bytes[index] === MAGIC[0] && bytes[index + 1] === MAGIC[1] && bytes[index + 2] === MAGIC[2] && bytes[index + 3] === MAGIC[3];
}

/** The bytes from `index` to the end are the start of a magic (maybe all of it). */
export function isMagicPrefix(bytes: Uint8Array, index: number): boolean {
  for (let i = index; i < bytes.length; i++) if (bytes[i] !== MAGIC[i - index]) return false;
  return true;
}
