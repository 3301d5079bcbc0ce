import { PREFIX_BYTES } from '@streamvis/format';

/** Frames laid end to end in `buffer`, the first at `start`. */
export interface FramePart {
  buffer: ArrayBuffer;
  start: number;
  lengths: Uint32Array<ArrayBuffer>;
}

/**
 * Frames waiting to be moved to another thread in one message, as transferable buffers. A
 * frame spanning an ArrayBuffer of its own (as frames over 4 KiB are) moves without a copy;
 * smaller ones share Node's Buffer pool, so they are copied end to end into a chunk.
 */
export class FrameOutbox {
  private parts: FramePart[] = [];
  private chunk: Buffer;
  private chunkUsed = 0;
  /**
   * The lengths of the chunk's frames, in a typed array made once: a number[] growing to
   * thousands of entries would be live young memory at every scavenge, and in a producer
   * that logs a record per step V8 grows its young generation with what survives (to 32 MiB,
   * measured at 1M steps; 8 MiB with this).
   */
  private chunkLengths: Uint32Array<ArrayBuffer>;
  private chunkFrames = 0;
  /** Bytes of the frames waiting. */
  bytes = 0;
  /** performance.now() when the oldest waiting frame was added. */
  since = 0;

  constructor(private readonly chunkBytes: number) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
    // Room for a chunk of the smallest frames (a prefix and nothing else); grown if ever short.
    this.chunkLengths = new Uint32Array(Math.ceil(chunkBytes / PREFIX_BYTES));
  }

  add(frame: Buffer): void {
    if (this.bytes === 0) this.since = performance.now();
    this.bytes += frame.length;
    if (frame.length <= this.chunkBytes && !spansItsBuffer(frame)) {
      if (this.chunkUsed + frame.length > this.chunkBytes) this.closeChunk();
      this.chunk.set(frame, this.chunkUsed);
      this.chunkUsed += frame.length;
      if (this.chunkFrames === this.chunkLengths.length) this.chunkLengths = grown(this.chunkLengths);
      this.chunkLengths[this.chunkFrames++] = frame.length;
      return;
    }
    this.closeChunk();
    this.parts.push({ buffer: spansItsBuffer(frame) ? (frame.buffer as ArrayBuffer) : copyOf(frame), start: 0, lengths: Uint32Array.of(frame.length) });
  }

  /**
   * Takes the oldest waiting frames, in order, in buffers the caller now owns: whole parts
   * (a chunk of small frames, or a moved frame) up to `maxBytes`, at least one; all by default.
   */
  take(maxBytes = Infinity): FramePart[] {
    this.closeChunk();
    let count = 0;
    let bytes = 0;
    while (count < this.parts.length && (count === 0 || bytes + sum(this.parts[count].lengths) <= maxBytes)) bytes += sum(this.parts[count++].lengths);
    const taken = this.parts.splice(0, count);
    this.bytes -= bytes;
    return taken;
  }

  /** Drops the oldest waiting frames, as few as free at least `bytes` (or all); returns how many. */
  dropOldest(bytes: number): number {
    this.closeChunk();
    let dropped = 0;
    let freed = 0;
    while (freed < bytes && this.parts.length > 0) {
      const part = this.parts[0];
      let count = 0;
      while (count < part.lengths.length && freed < bytes) freed += part.lengths[count++];
      part.start += sum(part.lengths.subarray(0, count));
      part.lengths = part.lengths.subarray(count);
      if (part.lengths.length === 0) this.parts.shift();
      dropped += count;
    }
    this.bytes -= freed;
    return dropped;
  }

  private closeChunk(): void {
    if (this.chunkFrames === 0) return;
    let buffer: ArrayBuffer;
    if (this.chunkUsed * 2 < this.chunkBytes) {
      // Mostly empty: hand over a copy of the used part, so queued frames never pin much more memory than their own.
      buffer = (this.chunk.buffer as ArrayBuffer).slice(0, this.chunkUsed);
    } else {
      buffer = this.chunk.buffer as ArrayBuffer;
      this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
    }
    this.parts.push({ buffer, start: 0, lengths: this.chunkLengths.slice(0, this.chunkFrames) });
    this.chunkUsed = 0;
    this.chunkFrames = 0;
  }
}

function grown(lengths: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const more = new Uint32Array(2 * lengths.length);
  more.set(lengths);
  return more;
}

function sum(lengths: Uint32Array): number {
  return lengths.reduce((total, length) => total + length, 0);
}

/** A large frame sharing its memory (a view into a bigger buffer) moves as a copy of its own. */
function copyOf(frame: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(frame.length);
  frame.copy(new Uint8Array(copy));
  return copy;
}

/** Whether `frame` is all of its ArrayBuffer, so moving that buffer moves only the frame. */
export function spansItsBuffer(frame: Uint8Array): boolean {
  return frame.buffer instanceof ArrayBuffer && frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength;
}
