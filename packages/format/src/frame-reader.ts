import type { ScanCost } from './checksum-frontier.js';
import { crc32Range } from './crc32-range.js';
import { asBuffer, FrameScanner } from './frame-scanner.js';
import { hasMagicAt, payloadCrcAt, prefixFrameBytes, PREFIX_BYTES } from './prefix.js';
import type { LogRecord } from './record.js';

/** A record read: `frame` is its bytes, a view valid until the next `push` (made when asked for). */
export class RecordEvent {
  readonly type = 'record';
  constructor(
    readonly record: LogRecord,
    private readonly bytes: Buffer,
    private readonly index: number,
    readonly offset: number,
    readonly size: number,
  ) {}

  get frame(): Uint8Array {
    return this.bytes.subarray(this.index, this.index + this.size);
  }
}

/** Damaged bytes (one event per damaged run), or one frame whose record is `invalid` (rule 7: one event per record). */
export interface CorruptEvent {
  type: 'corrupt';
  offset: number;
  size: number;
  reason: string;
  invalid?: true;
}

export type ReaderEvent = RecordEvent | CorruptEvent;

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
  /** An event found after a damaged run, returned by the next call. */
  private stashed: ReaderEvent | undefined;
  /** The rest of a chunk whose start completed a held frame (see `bridge`): read in place once that frame is. */
  private queued: Buffer | undefined;

  push(chunk: Uint8Array): void {
    if (this.queued) {
      // Pushed before all was read (FileSource always reads all): the rest joins the held bytes first.
      const rest = this.queued;
      this.queued = undefined;
      this.push(rest);
    }
    const pending = this.end - this.start;
    if (pending === 0) {
      // Nothing held back: read the chunk where it is.
      this.store = asBuffer(chunk);
      [this.owned, this.start, this.end] = [false, 0, chunk.length];
      this.scanner.hold(this.store, this.base);
      return;
    }
    if (this.bridge(asBuffer(chunk))) return;
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
    this.scanner.hold(this.store.subarray(this.start, this.end), this.base);
  }

  /**
   * The next record or damaged run in the bytes pushed so far, or undefined when what is
   * left is a frame not complete yet (or nothing). Pulled one at a time, each record can be
   * used and let go before the next is decoded: a chunk of many small records does not make
   * as many objects live at once.
   */
  next(): ReaderEvent | undefined {
    if (this.stashed) {
      const event = this.stashed;
      this.stashed = undefined;
      return event;
    }
    let damage: CorruptEvent | undefined;
    for (;;) {
      if (this.start === this.end && this.queued) {
        [this.store, this.owned, this.start, this.end] = [this.queued, false, 0, this.queued.length];
        this.queued = undefined;
        this.scanner.hold(this.store, this.base);
      }
      if (this.start === this.end) break;
      const at = this.base;
      const result = this.scanner.read(at);
      if (result.status === 'incomplete') break;
      const end = result.status === 'record' ? result.end : result.resume;
      const index = this.start;
      this.start += end - at;
      this.base = end;
      if (result.status === 'corrupt' && !result.invalid) {
        // Consecutive damaged regions are one damaged run, reported once with the first reason.
        if (damage) damage.size += end - at;
        else damage = { type: 'corrupt', offset: at, size: end - at, reason: result.reason };
        continue;
      }
      const event: ReaderEvent =
        result.status === 'record' ? new RecordEvent(result.record, this.store, index, at, end - at) : { type: 'corrupt', offset: at, size: end - at, reason: result.reason, invalid: true };
      if (!damage) return event;
      this.stashed = event;
      return damage;
    }
    if (!damage) this.compact();
    return damage;
  }

  /** Every event `next` has for the bytes pushed so far. */
  drain(): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    for (let event = this.next(); event; event = this.next()) events.push(event);
    return events;
  }

  /** Once every complete frame is read: lets go of what is decoded, keeps a torn tail small. */
  private compact(): void {
    if (this.start === this.end) this.release();
    // A torn tail is copied out when small: a view would keep the whole chunk it came in
    // alive, and a server tailing a hundred logs would hold a chunk per log. A frame growing
    // over many pushes is in a buffer at most 4 times its size, and stays there.
    else if (this.store.length > 4 * (this.end - this.start)) this.keepOnlyPending();
    this.scanner.hold(this.store.subarray(this.start, this.end), this.base);
  }

  /** Stream offset up to which every byte has been decoded or reported. */
  get offset(): number {
    return this.base;
  }

  /** Bytes held back as a possibly torn frame. */
  get pendingBytes(): number {
    return this.end - this.start + (this.queued?.length ?? 0);
  }

  get cost(): ReaderCost {
    return { ...this.scanner.cost, copied: this.copied, capacity: this.store.length };
  }

  /**
   * When the held bytes start a sound frame that the chunk completes, copies only that frame
   * (held bytes and the chunk's first bytes) and queues the rest of the chunk to be read in
   * place: a log read in large chunks is then not copied whole because a frame straddles
   * each chunk's start. Anything else (damage, a frame longer than the chunk) takes the
   * general path, where every rule applies to all the bytes available.
   */
  private bridge(chunk: Buffer): boolean {
    const pending = this.end - this.start;
    if (pending < PREFIX_BYTES || !hasMagicAt(this.store, this.start)) return false;
    const frameBytes = prefixFrameBytes(this.store, this.start);
    const needed = frameBytes - pending;
    if (frameBytes < 0 || needed <= 0 || chunk.length - needed < frameBytes) return false;
    const frame = Buffer.allocUnsafe(frameBytes);
    this.store.copy(frame, 0, this.start, this.end);
    chunk.copy(frame, pending, 0, needed);
    if (crc32Range(frame, PREFIX_BYTES, frameBytes) !== payloadCrcAt(frame, 0)) return false;
    this.copied += frameBytes;
    [this.store, this.owned, this.start, this.end] = [frame, false, 0, frameBytes];
    this.queued = chunk.subarray(needed);
    this.scanner.hold(frame, this.base);
    return true;
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
