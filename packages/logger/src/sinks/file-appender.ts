import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FrameQueue } from './frame-queue.js';
import type { SinkReport } from './sink.js';

export interface FileAppenderOptions {
  /** Names the appender in reports, e.g. `file:runs/a.svlog`. */
  name: string;
  path: string;
  onError: (error: Error) => void;
  /** Called with frames just written, which the appender holds no more. */
  onWritten?: (frames: Buffer[]) => void;
  /** Appends buffers to the log in one call: the handle's writev, unless a test wraps it. */
  writev?: AppendFunction;
}

/** One append of `buffers`, in order; may write only part of them (a short write). */
export type AppendFunction = (handle: FileHandle, buffers: Buffer[]) => Promise<{ bytesWritten: number }>;

/** iovecs one writev may take (Linux IOV_MAX): libuv splits larger calls, which would no longer be one append. */
const MAX_BATCH_FRAMES = 1024;
const MAX_BATCH_BYTES = 16 << 20;
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 5_000;

/**
 * Appends frames to a log in batches, each batch with one writev on an O_APPEND handle: the
 * kernel places a whole write at the end of the file, so records from several processes
 * sharing the log never interleave (local file systems; not NFS). The file is opened on
 * first use; a failed open or write is reported and retried with backoff, keeping every
 * frame (the producer thread bounds what it sends). Runs on the file sink's writer thread.
 */
export class FileAppender {
  readonly name: string;
  private readonly path: string;
  private readonly onError: (error: Error) => void;
  private readonly onWritten?: (frames: Buffer[]) => void;
  private readonly writev: AppendFunction;
  private readonly queue = new FrameQueue(Infinity);
  private handle?: FileHandle;
  private writing = false;
  private retry?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;
  private inFlight = 0;
  private accepted = 0;
  private delivered = 0;
  private errors = 0;
  private lastError?: string;
  private closed = false;
  private waiters: { target: number; resolve: (report: SinkReport) => void }[] = [];

  constructor({ name, path, onError, onWritten, writev = (handle, buffers) => handle.writev(buffers) }: FileAppenderOptions) {
    this.name = name;
    this.onWritten = onWritten;
    this.path = path;
    this.onError = onError;
    this.writev = writev;
  }

  write(frame: Buffer): void {
    if (this.closed) {
      this.queue.dropped++;
      return;
    }
    this.accepted++;
    this.queue.push(frame);
    if (!this.writing && !this.retry) void this.drain();
  }

  /** Resolves once everything written so far is in the file, or an attempt to write it has just failed. */
  flush(): Promise<SinkReport> {
    const target = this.accepted;
    if (this.settled() >= target && !this.writing) return Promise.resolve(this.report());
    return new Promise((resolve) => {
      this.waiters.push({ target, resolve });
      if (this.retry) {
        // A flush is a reason to try again now rather than wait out the backoff.
        clearTimeout(this.retry);
        this.retry = undefined;
      }
      if (!this.writing) void this.drain();
    });
  }

  async close(): Promise<SinkReport> {
    this.closed = true;
    await this.flush();
    clearTimeout(this.retry);
    this.retry = undefined;
    this.queue.clear();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    return this.report();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0 || !this.handle) {
      let unsent: Buffer[] = [];
      try {
        this.handle ??= await openLog(this.path);
        unsent = this.queue.take(MAX_BATCH_FRAMES, MAX_BATCH_BYTES);
        if (unsent.length === 0) break;
        this.inFlight = unsent.length;
        const { bytesWritten } = await this.writev(this.handle, unsent);
        this.inFlight = 0;
        const complete = completeFrames(unsent, bytesWritten);
        const written = unsent.slice(0, complete);
        this.delivered += complete;
        this.onWritten?.(written);
        unsent = unsent.slice(complete);
        if (unsent.length > 0) {
          const torn = bytesWritten - written.reduce((sum, frame) => sum + frame.length, 0);
          throw new Error(`short write to ${this.path}: ${bytesWritten} of ${bytesWritten + unsent.reduce((sum, frame) => sum + frame.length, 0) - torn} bytes written${await this.removeTornFrame(unsent[0], torn)}`);
        }
        this.retryMs = FIRST_RETRY_MS;
        this.settleWaiters(false);
      } catch (error) {
        this.inFlight = 0;
        this.queue.putBack(unsent);
        await this.fail(error instanceof Error ? error : new Error(String(error)));
        break;
      }
    }
    this.writing = false;
    this.settleWaiters(this.queue.length > 0);
  }

  /**
   * A short write (the disk filled up mid-write) left the first `torn` bytes of `frame` at the
   * end of the log. The frame goes again whole at the retry, so those bytes would stay as
   * garbage that readers report as corrupt: they are cut off first. O_APPEND writers share no
   * lock, so only bytes that are still the log's last are ours to cut (read back and compared
   * just before the truncate); bytes another process appended after them stay, and readers
   * skip the torn copy by its checksum. Runs within the appender's one write at a time.
   */
  private async removeTornFrame(frame: Buffer, torn: number): Promise<string> {
    if (torn === 0) return '';
    try {
      const handle = this.handle!;
      const { size } = await handle.stat();
      const tail = Buffer.alloc(torn);
      const { bytesRead } = await handle.read(tail, 0, torn, size - torn);
      if (bytesRead !== torn || !tail.equals(frame.subarray(0, torn))) {
        return `; the cut frame's ${torn} bytes stay: another writer appended after them`;
      }
      await handle.truncate(size - torn);
      return `; the cut frame's ${torn} bytes were removed, it goes again whole`;
    } catch (error) {
      return `; the cut frame's ${torn} bytes stay: ${(error as Error).message}`;
    }
  }

  private async fail(error: Error): Promise<void> {
    this.errors++;
    this.lastError = error.message;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    this.onError(error);
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.queue.length > 0) void this.drain();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  private settled(): number {
    return this.delivered + this.queue.dropped;
  }

  /** Resolves the flushes whose records are settled, or every flush when an attempt just failed. */
  private settleWaiters(failed: boolean): void {
    const done = this.waiters.filter((w) => failed || w.target <= this.settled());
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => !done.includes(w));
    const report = this.report();
    done.forEach((w) => w.resolve(report));
  }

  private report(): SinkReport {
    return {
      sink: this.name,
      delivered: this.delivered,
      dropped: this.queue.dropped,
      pending: this.queue.length + this.inFlight,
      errors: this.errors,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }
}

async function openLog(path: string): Promise<FileHandle> {
  await mkdir(dirname(path), { recursive: true });
  // Read as well as append: to check a torn frame's bytes before cutting them (removeTornFrame).
  return open(path, 'a+');
}

/** How many of `frames`, in order, lie entirely within the first `bytes` bytes. */
function completeFrames(frames: readonly Buffer[], bytes: number): number {
  let count = 0;
  for (const frame of frames) {
    if (bytes < frame.length) break;
    bytes -= frame.length;
    count++;
  }
  return count;
}
