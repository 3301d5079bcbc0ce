// Test helper: frames whose checksums hold around any header bytes and body, as a buggy or
// hostile writer (another language's logger, a fuzzer) can make them.
import { crc32 } from 'node:zlib';
import { MAX_BODY_BYTES } from '@streamvis/format';

/** A frame of this header (JSON text, or raw bytes) and body; `lengths` may announce other lengths than the bytes given. */
export function rawFrame(header: string | Uint8Array, body: Uint8Array = new Uint8Array(0), lengths: { headerBytes?: number; bodyBytes?: number } = {}): Buffer {
  const head = typeof header === 'string' ? Buffer.from(header) : Buffer.from(header);
  const prefix = Buffer.alloc(20);
  prefix.write('SVR1', 0, 'latin1');
  prefix.writeUInt32LE(lengths.headerBytes ?? head.length, 4);
  prefix.writeUInt32LE(lengths.bodyBytes ?? body.length, 8);
  prefix.writeUInt32LE(crc32(Buffer.concat([head, body])), 12);
  prefix.writeUInt32LE(crc32(prefix.subarray(0, 16)), 16);
  return Buffer.concat([prefix, head, body]);
}

/** The 20 bytes of a valid prefix announcing a 1 GiB body that never comes (a writer died, or lies). */
export const tornPrefix = (): Buffer => rawFrame('', new Uint8Array(0), { headerBytes: 100, bodyBytes: MAX_BODY_BYTES }).subarray(0, 20);
