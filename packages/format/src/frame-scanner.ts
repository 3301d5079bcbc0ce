import { crc32Range } from './crc32-range.js';
import { ChecksumFrontier, type ScanCost, type StreamWindow } from './checksum-frontier.js';
import { Declarations } from './binary-header.js';
import { decodePayload } from './codec.js';
import { BAD_PREFIX_CHECKSUM, hasMagicAt, isMagicPrefix, MAGIC, payloadCrcAt, prefixFrameBytes, PREFIX_BYTES } from './prefix.js';
import type { LogRecord } from './record.js';

/** What one attempt to read a frame at a position found; positions are the scanner's stream positions. */
export type FrameResult =
  | { status: 'record'; record: LogRecord; end: number }
  | { status: 'incomplete' }
  /** `invalid`: a sound frame (its checksums hold) whose record breaks a rule (rule 7); else damaged bytes. */
  | { status: 'corrupt'; reason: string; resume: number; invalid?: true };

const INCOMPLETE: FrameResult = { status: 'incomplete' };

/**
 * Applies the reading rules of docs/log-format.md ("Reading, damage and resynchronisation")
 * at successive positions of a byte stream, of which it holds a window. Reading positions
 * that only move forward, its work is linear in the bytes whatever they hold: each byte is
 * searched for the magic at most twice and checksummed at most twice (plus 16 bytes per
 * magic, for its prefix), each header is parsed at most once (see ChecksumFrontier).
 */
export class FrameScanner {
  readonly cost: ScanCost = { checksummed: 0, searched: 0, parsed: 0 };
  /** What the stream's version 2 headers have declared so far. */
  private readonly declarations = new Declarations();
  private readonly window: StreamWindow = { bytes: Buffer.alloc(0), base: 0 };
  /** Follows frames that overlap (after damage, or a frame cut by the window's end); none while they do not. */
  private frontier: ChecksumFrontier | undefined;
  /** End of the last payload checksummed directly: a frame starting before it overlaps, so the frontier checks it. */
  private directEnd = 0;
  /** The frame last found running past the window's end, and its length: its prefix is not checked again at each read. */
  private waiting = { at: -1, frameBytes: 0 };

  /** The bytes held now: stream positions `base` to `base + bytes.length` (earlier ones are never read again). */
  hold(bytes: Buffer, base: number): void {
    this.window.bytes = bytes;
    this.window.base = base;
  }

  /** Reads the frame at stream position `at`: rules 1 to 7, in order. */
  read(at: number): FrameResult {
    const { bytes, base } = this.window;
    const index = at - base;
    // Positions only move forward: a frontier behind this one has nothing left to say.
    if (this.frontier && at >= this.frontier.position) this.frontier = undefined;
    const available = bytes.length - index;
    let frameBytes = this.waiting.frameBytes;
    if (at !== this.waiting.at) {
      if (available < MAGIC.length) return isMagicPrefix(bytes, index) ? INCOMPLETE : this.corrupt('bad magic', at);
      if (!hasMagicAt(bytes, index)) return this.corrupt('bad magic', at);
      if (available < PREFIX_BYTES) return INCOMPLETE;
      this.cost.checksummed += 16;
      frameBytes = prefixFrameBytes(bytes, index);
      if (frameBytes < 0) return this.corrupt(frameBytes === BAD_PREFIX_CHECKSUM ? 'bad prefix checksum' : 'frame lengths out of range', at);
    }
    const end = at + frameBytes;
    if (frameBytes > available) {
      this.waiting = { at, frameBytes };
      const later = this.frontierFrom(at).firstSoundAfter(at);
      return later === undefined ? INCOMPLETE : { status: 'corrupt', reason: 'torn record', resume: later };
    }
    if (!this.isSound(at, end)) return this.corrupt('bad payload checksum', at);

    // The checksums hold, so the frame's extent is trusted: a bad header skips exactly this frame.
    const headerBytes = bytes.readUInt32LE(index + 4);
    this.cost.parsed += headerBytes;
    const decoded = decodePayload(bytes, index + PREFIX_BYTES, headerBytes, end - base, this.declarations);
    if (typeof decoded === 'string') return { status: 'corrupt', reason: decoded, resume: end, invalid: true };
    return { status: 'record', record: decoded, end };
  }

  private isSound(at: number, end: number): boolean {
    if (this.frontier) return this.frontier.isSound(at, end);
    if (at < this.directEnd) return this.frontierFrom(at).isSound(at, end);
    // The common case: frames one after the other, each payload checksummed once as it is.
    const { bytes, base } = this.window;
    this.cost.checksummed += end - at - PREFIX_BYTES;
    this.directEnd = end;
    return crc32Range(bytes, at - base + PREFIX_BYTES, end - base) === payloadCrcAt(bytes, at - base);
  }

  private frontierFrom(at: number): ChecksumFrontier {
    this.frontier ??= new ChecksumFrontier(this.window, this.cost, at);
    return this.frontier;
  }

  /** Rules 2-4 and 6: resume at the next magic after `at` (or at a magic cut by the window's end). */
  private corrupt(reason: string, at: number): FrameResult {
    const { bytes, base } = this.window;
    const from = at + 1 - base;
    const found = bytes.indexOf(MAGIC, from);
    this.cost.searched += (found >= 0 ? found + MAGIC.length : bytes.length) - from;
    if (found >= 0) return { status: 'corrupt', reason, resume: base + found };
    for (let start = Math.max(from, bytes.length - MAGIC.length + 1); start < bytes.length; start++) {
      if (isMagicPrefix(bytes, start)) return { status: 'corrupt', reason, resume: base + start };
    }
    return { status: 'corrupt', reason, resume: base + bytes.length };
  }
}

/**
 * Reads the one frame at `offset` of `input` (a Pub/Sub message, say): rules 1 to 7. To
 * read a stream of frames, use FrameReader, whose cost stays linear across frames.
 */
export function readFrame(input: Uint8Array, offset: number): FrameResult {
  const scanner = new FrameScanner();
  scanner.hold(asBuffer(input), 0);
  return scanner.read(offset);
}

/** A Buffer over the same memory, so the hot path reads fields and text without wrapper objects per frame. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
