import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FrameReader } from '@streamvis/format';
import type { RecordSource, SourceHandlers } from './source.js';

/**
 * Work decoded and applied between two turns of the event loop, in bytes, each record
 * counting RECORD_WORK bytes besides its own (its header, the state's work): a turn after
 * about 500 small records or a megabyte of big ones, each about a millisecond of work (a
 * turn per 80 KB scatter would cost a tenth of the replay).
 */
const WORK_PER_TURN = 1 << 20;
const RECORD_WORK = 2 << 10;

export interface FileSourceOptions {
  /**
   * Bytes read per call while catching up. 1 MiB reads as fast as 4 MiB, and the two chunks
   * in flight (one read, one decoded) are 2 MiB, not 8, of buffers dead by the time the history is in.
   */
  chunkBytes?: number;
  /** How often the file is checked when no change notification arrives. */
  pollMs?: number;
  /** Told about a truncated or replaced file and about read errors. */
  warn?: (message: string) => void;
}

/**
 * Tails a log file: replays it from offset 0, then follows appends. Changes are noticed
 * through a watch on the file's directory (which also sees the file being created or
 * replaced) plus a polling fallback for file systems without notifications. A file
 * that shrinks or is replaced by another inode is read again from 0.
 */
export class FileSource implements RecordSource {
  private readonly chunkBytes: number;
  private readonly pollMs: number;
  private readonly warn: (message: string) => void;
  private handlers: SourceHandlers | undefined;
  private file: { handle: FileHandle; inode: number } | undefined;
  private reader = new FrameReader();
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  /** The read loop in progress, if any; `again` asks it for one more pass. */
  private reading: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Work done since decoding last gave the event loop a turn (see WORK_PER_TURN). */
  private workSinceTurn = 0;
  /** Told how far the file has been read; start() waits on it for the history. */
  private readUpTo: ((position: number) => void) | undefined;
  /** The last read failure warned about, so a lasting one is not repeated every poll. */
  private lastFailure: string | undefined;

  constructor(
    readonly path: string,
    options: FileSourceOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? 1 << 20;
    this.pollMs = options.pollMs ?? 250;
    this.warn = options.warn ?? ((message) => console.warn(`streamvis-server: ${message}`));
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
    // The history is what the file holds now: with a busy producer the end keeps moving.
    const historyEnd = await stat(this.path).then((s) => s.size, () => 0);
    const history = new Promise<void>((resolve) => {
      this.readUpTo = (position) => {
        handlers.progress?.(Math.min(position, historyEnd), historyEnd);
        if (position < historyEnd) return;
        this.readUpTo = undefined;
        resolve();
      };
    });
    handlers.progress?.(0, historyEnd);
    this.watchDirectory();
    this.poller = setInterval(() => this.wake(), this.pollMs);
    void this.wake();
    await history;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.poller);
    await this.reading;
    await this.file?.handle.close();
    this.file = undefined;
  }

  /** Reads whatever is new; resolves once the file has been read to its current end. */
  private wake(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          await this.readToEnd();
          this.lastFailure = undefined;
        } catch (error) {
          const failure = `reading ${this.path} failed: ${(error as Error).message}; retrying`;
          if (failure !== this.lastFailure) {
            this.warn(failure);
            this.handlers?.failure(failure);
          }
          this.lastFailure = failure;
        }
        // A pass has read to the end (or found no readable file): the history is in. A pass
        // cut short by stop() has not: the history is never told read.
        if (!this.stopped) this.readUpTo?.(Infinity);
      } while (this.again && !this.stopped);
      this.reading = undefined;
    })();
    return this.reading;
  }

  private async readToEnd(): Promise<void> {
    const file = await this.currentFile();
    if (!file) return;
    let size = (await file.handle.stat()).size;
    if (size < this.reader.offset + this.reader.pendingBytes) {
      this.warn(`${this.path} shrank to ${size} bytes; reading it again from the start`);
      this.reader = new FrameReader();
    }
    let position = this.reader.offset + this.reader.pendingBytes;
    // The next chunk is read (on libuv's thread pool) while this one is decoded and applied.
    let next = position < size ? readChunk(file.handle, position, Math.min(this.chunkBytes, size - position)) : undefined;
    while (next && !this.stopped) {
      const chunk = await next;
      if (chunk.length === 0) break;
      position += chunk.length;
      if (position >= size) size = (await file.handle.stat()).size;
      next = position < size ? readChunk(file.handle, position, Math.min(this.chunkBytes, size - position)) : undefined;
      await this.deliver(chunk);
      this.readUpTo?.(position);
    }
    // Stopped mid-way: let the read in flight settle before the handle is closed.
    await next?.catch(() => undefined);
  }

  /**
   * Decodes and applies `chunk` one record at a time, with a turn of the event loop every
   * WORK_PER_TURN (about 500 small records, a millisecond of work), and other
   * requests, the pages' streams and a signal to stop are served meanwhile. A stop ends it
   * between two records. (The chunk is pushed whole: a frame straddling its start is the only
   * one copied, see FrameReader.)
   */
  private async deliver(chunk: Buffer): Promise<void> {
    const handlers = this.handlers!;
    this.reader.push(chunk);
    for (let event = this.reader.next(); event && !this.stopped; event = this.reader.next()) {
      if (event.type === 'corrupt') {
        handlers.corrupt({ offset: event.offset, size: event.size, reason: event.reason, source: this.path });
      } else {
        const done = handlers.record(event.record, event.frame);
        if (done) await done;
      }
      this.workSinceTurn += event.size + RECORD_WORK;
      if (this.workSinceTurn < WORK_PER_TURN) continue;
      this.workSinceTurn = 0;
      await nextTurn();
    }
  }

  /** The open log file, reopened when the path now names another file; undefined while it does not exist. */
  private async currentFile(): Promise<{ handle: FileHandle; inode: number } | undefined> {
    let inode: number;
    try {
      inode = (await stat(this.path)).ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.file;
      throw error;
    }
    if (this.file?.inode === inode) return this.file;
    if (this.file) {
      this.warn(`${this.path} was replaced; reading the new file from the start`);
      await this.file.handle.close();
    }
    this.file = { handle: await open(this.path, 'r'), inode };
    this.reader = new FrameReader();
    return this.file;
  }

  private watchDirectory(): void {
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), (_event, changed) => {
        if (changed === null || changed === name) void this.wake();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No directory (yet) or no notifications here: polling alone still follows the file.
    }
  }
}

/**
 * Up to `length` bytes at `position` (fewer at the end of the file). Marked handled at
 * once: a read that fails while the previous chunk is being applied is not an unhandled
 * rejection; it still throws where it is awaited.
 */
function readChunk(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const chunk = Buffer.allocUnsafe(length);
  const read = handle.read(chunk, 0, length, position).then(({ bytesRead }) => (bytesRead === length ? chunk : chunk.subarray(0, bytesRead)));
  read.catch(() => undefined);
  return read;
}
