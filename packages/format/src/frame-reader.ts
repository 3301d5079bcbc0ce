import type { ScanCost } from './checksum-frontier.js';
import { asBuffer, FrameScanner } from './frame-scanner.js';
import type { LogRecord } from './record.js';

export type ReaderEvent =
  /** `frame` is the record's bytes, a view valid until the next `push`. */
  | { type: 'record'; record: LogRecord; frame: Uint8Array; offset: number; size: number }
  /** Damaged bytes (one event per damaged run), or one frame whose record is `invalid` (rule 7: one event per record). */
  | { type: 'corrupt'; offset: number; size: number; reason: string; invalid?: true };

/** What a reader did and holds, in bytes (see ScanCost); for tests and benchmarks. */
export interface ReaderCost extends ScanCost {
  /** Bytes copied to keep a frame whole across pushes. */
  copied: number;
  /** Bytes of the buffer held now, used or not. */
  capacity: number;
}

/**
 * Turns a byte stream (a log file read in chunks, in order) into records. A torn
 * frame at the end stays buffered until more bytes arrive; damaged bytes are reported
 * as one 'corrupt' event per damaged run (and per invalid record) and skipped. Time and memory are linear in the
 * bytes pushed, whatever they hold (see FrameScanner).
 */
export class FrameReader {
  private readonly scanner = new FrameScanner();
  /** Holds the bytes not decoded yet at [start, end); spare room after `end` only when `owned`. */
  private store: Buffer = Buffer.alloc(0);
  private owned = false;
  private start = 0;
  private end = 0;
  /** Stream offset of store[start]. */
  private base = 0;
  private copied = 0;

  push(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (pending === 0) {
      // Nothing held back: read the chunk where it is.
      this.store = asBuffer(chunk);
      [this.owned, this.start, this.end] = [false, 0, chunk.length];
      return;
    }
    if (!this.owned || this.end + chunk.length > this.store.length) {
      // Room for twice what is held when a frame grows over many pushes, so copies stay linear in the bytes.
      const grown = Buffer.allocUnsafe(Math.max(pending + chunk.length, 2 * pending));
      this.store.copy(grown, 0, this.start, this.end);
      this.copied += pending;
      [this.store, this.owned, this.start, this.end] = [grown, true, 0, pending];
    }
    this.store.set(chunk, this.end);
    this.copied += chunk.length;
    this.end += chunk.length;
  }

  /** Decodes every complete frame buffered so far. */
  drain(): ReaderEvent[] {
    const held = this.store.subarray(this.start, this.end);
    this.scanner.hold(held, this.base);
    const events: ReaderEvent[] = [];
    const limit = this.base + held.length;
    let at = this.base;
    while (at < limit) {
      const result = this.scanner.read(at);
      if (result.status === 'incomplete') break;
      if (result.status === 'record') {
        events.push({ type: 'record', record: result.record, frame: held.subarray(at - this.base, result.end - this.base), offset: at, size: result.end - at });
        at = result.end;
        continue;
      }
      const last = events.at(-1);
      const size = result.resume - at;
      if (result.invalid) events.push({ type: 'corrupt', offset: at, size, reason: result.reason, invalid: true });
      else if (last?.type === 'corrupt' && !last.invalid && last.offset + last.size === at) last.size += size;
      else events.push({ type: 'corrupt', offset: at, size, reason: result.reason });
      at = result.resume;
    }
    this.start += at - this.base;
    this.base = at;
    if (this.start === this.end) this.release();
    // A torn tail is copied out when small: a view would keep the whole chunk it came in
    // alive, and a server tailing a hundred logs would hold a chunk per log. A frame growing
    // over many pushes is in a buffer at most 4 times its size, and stays there.
    else if (this.store.length > 4 * (this.end - this.start)) this.keepOnlyPending();
    this.scanner.hold(this.store.subarray(this.start, this.end), this.base);
    return events;
  }

  /** Stream offset up to which every byte has been decoded or reported. */
  get offset(): number {
    return this.base;
  }

  /** Bytes held back as a possibly torn frame. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  get cost(): ReaderCost {
    return { ...this.scanner.cost, copied: this.copied, capacity: this.store.length };
  }

  /** Lets go of the buffer once every byte in it is decoded: the records' views keep what they need. */
  private release(): void {
    [this.store, this.owned, this.start, this.end] = [EMPTY, false, 0, 0];
  }

  /** Moves the pending bytes to a buffer of twice their size: room for the rest of the frame to come. */
  private keepOnlyPending(): void {
    const pending = this.end - this.start;
    const store = Buffer.allocUnsafe(2 * pending);
    this.store.copy(store, 0, this.start, this.end);
    this.copied += pending;
    [this.store, this.owned, this.start, this.end] = [store, true, 0, pending];
  }
}

const EMPTY = Buffer.alloc(0);
