import { asBuffer, readFrame } from './codec.js';
import type { LogRecord } from './record.js';

const EMPTY = Buffer.alloc(0);

export type ReaderEvent =
  /** `frame` is the record's bytes, a view valid until the next `push`. */
  | { type: 'record'; record: LogRecord; frame: Uint8Array; offset: number; size: number }
  | { type: 'corrupt'; offset: number; size: number; reason: string };

/**
 * Turns a byte stream (a log file read in chunks, in order) into records. A torn
 * frame at the end stays buffered until more bytes arrive; damaged bytes are reported
 * as one 'corrupt' event per damaged run and skipped.
 */
export class FrameReader {
  private buffer: Buffer = EMPTY;
  /** Stream offset of buffer[0]. */
  private base = 0;

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? asBuffer(chunk) : Buffer.concat([this.buffer, chunk]);
  }

  /** Decodes every complete frame buffered so far. */
  drain(): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    let at = 0;
    for (;;) {
      const result = readFrame(this.buffer, at);
      if (result.status === 'incomplete') break;
      if (result.status === 'record') {
        events.push({ type: 'record', record: result.record, frame: this.buffer.subarray(at, result.end), offset: this.base + at, size: result.end - at });
        at = result.end;
        continue;
      }
      const last = events.at(-1);
      const size = result.resume - at;
      if (last?.type === 'corrupt' && last.offset + last.size === this.base + at) last.size += size;
      else events.push({ type: 'corrupt', offset: this.base + at, size, reason: result.reason });
      at = result.resume;
      if (at >= this.buffer.length) break;
    }
    // A torn tail is copied out: a view would keep the whole chunk it came in alive (an
    // empty view too), and a server tailing a hundred logs would hold a chunk per log.
    this.buffer = at === this.buffer.length ? EMPTY : Buffer.from(this.buffer.subarray(at));
    this.base += at;
    return events;
  }

  /** Stream offset up to which every byte has been decoded or reported. */
  get offset(): number {
    return this.base;
  }

  /** Bytes held back as a possibly torn frame. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}
