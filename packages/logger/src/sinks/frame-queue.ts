/**
 * FIFO of encoded frames waiting for a destination, bounded in bytes: past the bound
 * the oldest waiting frames are dropped (and counted), so a long outage cannot exhaust memory.
 */
export class FrameQueue {
  private frames: Buffer[] = [];
  /** Index of the oldest frame in `frames`; taking from the front just advances it. */
  private head = 0;
  private queuedBytes = 0;
  /** Frames dropped so far to stay within the bound. */
  dropped = 0;

  constructor(readonly maxBytes: number) {}

  get length(): number {
    return this.frames.length - this.head;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  push(frame: Buffer): void {
    this.frames.push(frame);
    this.queuedBytes += frame.length;
    while (this.queuedBytes > this.maxBytes && this.length > 1) {
      this.queuedBytes -= this.frames[this.head].length;
      this.frames[this.head++] = EMPTY;
      this.dropped++;
    }
    this.compact();
  }

  /** Removes and returns the oldest frames: at least one, then up to `maxFrames` and `maxBytes`. */
  take(maxFrames: number, maxBytes: number): Buffer[] {
    let end = this.head;
    let bytes = 0;
    while (end < this.frames.length && end - this.head < maxFrames && (end === this.head || bytes + this.frames[end].length <= maxBytes)) {
      bytes += this.frames[end++].length;
    }
    const taken = this.frames.slice(this.head, end);
    this.frames.fill(EMPTY, this.head, end);
    this.head = end;
    this.queuedBytes -= bytes;
    this.compact();
    return taken;
  }

  /** Puts frames taken but not delivered back at the front, oldest first. */
  putBack(frames: readonly Buffer[]): void {
    const bytes = frames.reduce((sum, f) => sum + f.length, 0);
    if (frames.length <= this.head) {
      this.head -= frames.length;
      frames.forEach((f, i) => (this.frames[this.head + i] = f));
    } else {
      this.frames = [...frames, ...this.frames.slice(this.head)];
      this.head = 0;
    }
    this.queuedBytes += bytes;
  }

  /** Gives up on every waiting frame; returns how many. */
  clear(): number {
    const count = this.length;
    this.dropped += count;
    this.frames = [];
    this.head = 0;
    this.queuedBytes = 0;
    return count;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }
}

const EMPTY = Buffer.alloc(0);
