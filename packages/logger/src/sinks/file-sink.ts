import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { checkInteger } from '@streamvis/format';
import type { FromWriter, ToWriter, WriterSettings } from './file-writer-messages.js';
import { FrameOutbox } from './frame-outbox.js';
import { PostedBacklog } from './posted-backlog.js';
import { checkOnFull, RecordsDropped, type OnFull, type Sink, type SinkErrorHandler, type SinkReport } from './sink.js';
import { WriterProgress } from './writer-progress.js';

export interface FileSinkOptions {
  path: string;
  onError: SinkErrorHandler;
  /** Bytes of records accepted and not yet written that the sink holds at most (default 256 MiB). */
  maxBufferedBytes?: number;
  /** What a logging call does when that bound is reached (default 'block': wait for room). */
  onFull?: OnFull;
}

/** Small frames are copied into chunks of this size to move to the writer thread. */
const CHUNK_BYTES = 64 << 10;
/** Frames are posted to the writer thread once this many bytes wait... */
const POST_BYTES = 1 << 20;
/** ...or at the first write after the oldest has waited this long, or whenever the producer yields. */
const MAX_WAIT_MS = 10;
/**
 * With `block`, a call also waits while a record logged this long ago is not yet written and
 * the writer is not failing: what a SIGKILL can lose on a healthy disk is then the last
 * ~this long of records (plus the write in progress), not a backlog of megabytes queued
 * ahead of a slower disk. (While the log cannot be written, only the byte bound holds: a
 * producer whose log is on a full disk goes on until maxBufferedBytes wait, then waits.)
 */
const MAX_UNWRITTEN_MS = 50;
/** A blocked call wakes this often even if nothing was written, to deliver the writer's error reports. */
const WAIT_SLICE_MS = 100;
/** With `drop-oldest`, frames handed to the writer at most: the rest wait here, where the oldest can be dropped. */
const DROP_WINDOW_BYTES = 8 << 20;
const DEFAULT_MAX_BUFFERED_BYTES = 256 << 20;

/**
 * The writer thread's compiled module. This module run from TypeScript source (as the tests
 * run it) has no compiled sibling, and a worker cannot load TypeScript: it then takes the
 * package build's (`tsc -b packages/logger`).
 */
const WRITER_URL = new URL(import.meta.url.endsWith('.ts') ? '../../dist/sinks/file-writer-worker.js' : './file-writer-worker.js', import.meta.url);

/**
 * Opens a log file for appending (creating its directory) and returns a sink writing to it.
 * Never rejects because of I/O: a log that cannot be opened is reported and retried like a failed write.
 */
export async function openFileSink(options: FileSinkOptions): Promise<Sink> {
  const sink = new FileSink(options);
  await sink.flush();
  return sink;
}

/**
 * Moves frames to a writer thread that appends them to the log (see FileAppender), so the
 * log grows while the producer runs, even in a loop that never yields. The producer thread
 * only posts frames, a few per message (see FrameOutbox).
 *
 * When the producer makes records faster than the disk takes them, the backlog is bounded
 * here, on the producer thread, inside the logging call, because only there can it be
 * bounded without losing records: the API is synchronous, so "waiting for room" means the
 * call blocks (Atomics.wait on the writer's progress counter, in shared memory) while the
 * writer thread, which needs nothing from this thread, writes. The writer keeps being the
 * log's only writer in this process, appending in posting order, so record order and the
 * one-append-per-batch discipline stay as they are. With `drop-oldest` the call never
 * waits: the oldest frames not yet handed to the writer are dropped, and the call reports
 * it before returning (the 'error' event reaches a producer that never yields).
 *
 * The writer thread does not keep the process alive, except while a flush or close waits;
 * a producer that ends without shutdown() still gets its records written (see `unflushed`).
 */
class FileSink implements Sink {
  readonly name: string;
  /** Blocking when full, the log gets every frame in order: frames may refer to earlier ones. With `drop-oldest` a dropped frame could be one that others refer to. */
  readonly streamed: boolean;
  private readonly onError: SinkErrorHandler;
  private readonly maxBufferedBytes: number;
  private readonly onFull: OnFull;
  private readonly worker: Worker;
  private readonly progress = new WriterProgress();
  private readonly backlog = new PostedBacklog();
  /** The writer's answers (FromWriter), on a port of their own so a blocked call can read them. */
  private readonly replies: MessagePort;
  /** Buffers of written frames, handed back by the writer (see WriterSettings.spent). */
  private readonly spent: MessagePort;
  private readonly outbox = new FrameOutbox(CHUNK_BYTES);
  private posting?: NodeJS.Immediate;
  /** With `drop-oldest`, the outbox waits for the writer to make room in its window. */
  private awaitingWriter = false;
  private readonly requests = new Map<number, (report: SinkReport) => void>();
  private nextRequest = 0;
  private accepted = 0;
  /** Frames refused because the sink is closed or its writer thread died. */
  private refused = 0;
  /** Frames dropped here with `drop-oldest`. */
  private dropped = 0;
  private lastReport: SinkReport;
  private closing?: Promise<SinkReport>;
  /** Why the writer thread died, if it did. */
  private failure?: Error;

  constructor({ path, onError, maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES, onFull = 'block' }: FileSinkOptions) {
    this.name = `file:${path}`;
    this.onError = onError;
    this.maxBufferedBytes = checkInteger(maxBufferedBytes, 'openFileSink(options.maxBufferedBytes)', 1);
    this.onFull = checkOnFull(onFull, 'openFileSink(options.onFull)');
    this.streamed = this.onFull === 'block';
    this.lastReport = { sink: this.name, delivered: 0, dropped: 0, pending: 0, errors: 0 };
    const replies = new MessageChannel();
    this.replies = replies.port1;
    this.replies.on('message', this.onMessage);
    this.replies.unref(); // after on('message'), which refs the port
    const spent = new MessageChannel();
    this.spent = spent.port1;
    this.spent.unref();
    const settings: WriterSettings = { name: this.name, path, progress: this.progress.buffer, replies: replies.port2, spent: spent.port2 };
    // No execArgv: the producer's Node flags are not the writer's business, and some (--input-type) would stop it loading.
    this.worker = new Worker(WRITER_URL, { workerData: settings, transferList: [replies.port2, spent.port2], execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    this.worker.unref();
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => {
      if (!this.closing || this.requests.size > 0) this.die(new Error(`the writer thread exited (code ${code})`));
    });
  }

  write(frame: Buffer): void {
    if (this.closing || this.failure) {
      this.refused++;
      return;
    }
    this.accepted++;
    unflushed.add(this);
    this.outbox.add(frame);
    const now = performance.now();
    if (this.outbox.bytes >= POST_BYTES || now - this.outbox.since >= MAX_WAIT_MS) this.postFrames();
    else this.posting ??= setImmediate(this.postFramesNow);
    if (this.onFull === 'block') this.waitForRoom(now);
    else this.dropOverflow();
  }

  /** Resolves once everything written so far is in the file, or an attempt to write it has just failed. */
  flush(): Promise<SinkReport> {
    if (this.closing) return this.closing.then(() => this.withOwnCounts(this.lastReport));
    return this.request('flush');
  }

  close(): Promise<SinkReport> {
    this.closing ??= this.request('close').then(async (report) => {
      await this.worker.terminate();
      this.replies.close();
      this.spent.close();
      return report;
    });
    return this.closing;
  }

  /** Bytes accepted and not yet written (the writer's share as of now). */
  private unwritten(): number {
    return this.backlog.unwritten(this.progress.written()) + this.outbox.bytes;
  }

  /** `block`: returns once the backlog is within its bounds, in bytes and (while the writer is not failing) in age. */
  private waitForRoom(now: number): void {
    const tooOld = (now: number) => now - (this.backlog.oldestSince() ?? Infinity) > MAX_UNWRITTEN_MS && !this.progress.failing();
    const full = (now = performance.now()) => this.unwritten() > this.maxBufferedBytes || tooOld(now);
    if (!full(now)) return;
    this.postAll(); // the writer can only make room by writing what waits here
    while (full() && !this.progress.gone()) {
      this.progress.waitBeyond(this.progress.written(), WAIT_SLICE_MS);
      // Errors the writer reports meanwhile (a full disk, say) reach the producer now, not after the wait.
      for (let reply; (reply = receiveMessageOnPort(this.replies)); ) this.onMessage(reply.message as FromWriter);
    }
  }

  /** `drop-oldest`: drops the oldest frames still here until the backlog is within its bound, and says so. */
  private dropOverflow(): void {
    const excess = this.unwritten() - this.maxBufferedBytes;
    if (excess <= 0) return;
    const dropped = this.outbox.dropOldest(excess);
    if (dropped === 0) return; // all of it is with the writer, within its window
    this.dropped += dropped;
    const message = `buffer full (${this.maxBufferedBytes} bytes not yet written): dropped the ${dropped} oldest record${dropped === 1 ? '' : 's'} (onFull: 'drop-oldest')`;
    this.onError(new RecordsDropped(message, dropped), this.name);
  }

  private request(type: 'flush' | 'close'): Promise<SinkReport> {
    unflushed.delete(this);
    if (this.failure) return Promise.resolve(this.failedReport());
    this.postAll();
    const id = this.nextRequest++;
    if (this.requests.size === 0) this.worker.ref();
    this.post({ type, id });
    return new Promise((resolve) => this.requests.set(id, resolve));
  }

  private readonly onMessage = (message: FromWriter): void => {
    if (message.type === 'error') {
      this.onError(Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }), this.name);
      return;
    }
    this.lastReport = message.report;
    this.answer(message.id, this.withOwnCounts(message.report));
  };

  private answer(id: number, report: SinkReport): void {
    this.requests.get(id)?.(report);
    this.requests.delete(id);
    if (this.requests.size === 0) this.worker.unref();
  }

  private readonly postFramesNow = (): void => {
    this.posting = undefined;
    this.postFrames();
  };

  /**
   * Posts the outbox; with `drop-oldest`, only as much as the writer's window has room for
   * (the rest stays here, where its oldest can be dropped), and the rest once the writer has written more.
   */
  private postFrames(): void {
    if (this.onFull === 'block') return this.postAll();
    const room = Math.min(DROP_WINDOW_BYTES, this.maxBufferedBytes / 2) - this.backlog.unwritten(this.progress.written());
    if (room > 0) this.postAll(room);
    if (this.outbox.bytes === 0 || this.awaitingWriter) return;
    this.awaitingWriter = true;
    void this.progress.beyond(this.progress.written()).then(() => {
      this.awaitingWriter = false;
      if (!this.closing && !this.failure) this.postFrames();
    });
  }

  /** Posts the outbox's oldest frames, up to `maxBytes` (at least one part; all by default), to the writer. */
  private postAll(maxBytes = Infinity): void {
    const { bytes, since } = this.outbox;
    const parts = this.outbox.take(maxBytes);
    if (parts.length === 0) return;
    this.backlog.add(bytes - this.outbox.bytes, since);
    this.post({ type: 'frames', parts });
    // Drop what the writer handed back: unreferenced here, it is freed by this thread's next collection.
    while (receiveMessageOnPort(this.spent) !== undefined);
  }

  private post(message: ToWriter): void {
    this.worker.postMessage(message, message.type === 'frames' ? message.parts.map((part) => part.buffer) : []);
  }

  /** The writer thread failed to start or crashed: reported once, and the sink takes no more frames. */
  private die(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    unflushed.delete(this);
    const report = this.failedReport();
    for (const id of [...this.requests.keys()]) this.answer(id, report);
    this.onError(error, this.name);
  }

  /** Everything not known to be written counts as dropped. */
  private failedReport(): SinkReport {
    const { delivered, errors } = this.lastReport;
    return { sink: this.name, delivered, dropped: this.accepted - delivered + this.refused, pending: 0, errors: errors + 1, lastError: this.failure!.message };
  }

  /** The writer's report, with the frames this side dropped or refused. */
  private withOwnCounts(report: SinkReport): SinkReport {
    const own = this.dropped + this.refused;
    return own === 0 ? report : { ...report, dropped: report.dropped + own };
  }
}

/**
 * Sinks with frames written since their last flush. Writer threads do not keep the process
 * alive, so when it is about to exit (nothing left to do: the producer ended without
 * shutdown()) these are flushed; a waiting flush keeps the process alive until it resolves.
 */
const unflushed = new Set<FileSink>();
process.on('beforeExit', () => {
  for (const sink of [...unflushed]) void sink.flush();
});
