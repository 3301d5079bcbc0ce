import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FromWriter, ToWriter, WriterSettings } from './file-writer-messages.js';
import { FrameOutbox } from './frame-outbox.js';
import type { Sink, SinkErrorHandler, SinkReport } from './sink.js';

export interface FileSinkOptions {
  path: string;
  onError: SinkErrorHandler;
  /** Frames kept while the file cannot be written; past this the oldest are dropped. */
  maxBufferedBytes?: number;
}

/** Small frames are copied into chunks of this size to move to the writer thread. */
const CHUNK_BYTES = 64 << 10;
/** Frames are posted to the writer thread once this many bytes wait... */
const POST_BYTES = 1 << 20;
/** ...or at the first write after the oldest has waited this long, or whenever the producer yields. */
const MAX_WAIT_MS = 10;

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
 * The writer thread does not keep the process alive, except while a flush or close waits;
 * a producer that ends without shutdown() still gets its records written (see `unflushed`).
 */
class FileSink implements Sink {
  readonly name: string;
  private readonly onError: SinkErrorHandler;
  private readonly worker: Worker;
  /** Buffers of written frames, handed back by the writer (see WriterSettings.spent). */
  private readonly spent: MessagePort;
  private readonly outbox = new FrameOutbox(CHUNK_BYTES);
  private posting?: NodeJS.Immediate;
  private readonly requests = new Map<number, (report: SinkReport) => void>();
  private nextRequest = 0;
  private accepted = 0;
  /** Frames refused because the sink is closed or its writer thread died. */
  private refused = 0;
  private lastReport: SinkReport;
  private closing?: Promise<SinkReport>;
  /** Why the writer thread died, if it did. */
  private failure?: Error;

  constructor({ path, onError, maxBufferedBytes = 256 << 20 }: FileSinkOptions) {
    this.name = `file:${path}`;
    this.onError = onError;
    this.lastReport = { sink: this.name, delivered: 0, dropped: 0, pending: 0, errors: 0 };
    const { port1, port2 } = new MessageChannel();
    this.spent = port1;
    this.spent.unref();
    const settings: WriterSettings = { name: this.name, path, maxBufferedBytes, spent: port2 };
    // No execArgv: the producer's Node flags are not the writer's business, and some (--input-type) would stop it loading.
    this.worker = new Worker(WRITER_URL, { workerData: settings, transferList: [port2], execArgv: [] });
    this.worker.unref();
    this.worker.on('message', this.onMessage);
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
    if (this.outbox.bytes >= POST_BYTES || performance.now() - this.outbox.since >= MAX_WAIT_MS) this.postFrames();
    else this.posting ??= setImmediate(this.postFramesNow);
  }

  /** Resolves once everything written so far is in the file, or an attempt to write it has just failed. */
  flush(): Promise<SinkReport> {
    if (this.closing) return this.closing.then(() => this.withRefused(this.lastReport));
    return this.request('flush');
  }

  close(): Promise<SinkReport> {
    this.closing ??= this.request('close').then(async (report) => {
      await this.worker.terminate();
      this.spent.close();
      return report;
    });
    return this.closing;
  }

  private request(type: 'flush' | 'close'): Promise<SinkReport> {
    unflushed.delete(this);
    if (this.failure) return Promise.resolve(this.failedReport());
    this.postFrames();
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
    this.answer(message.id, this.withRefused(message.report));
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

  private postFrames(): void {
    if (this.outbox.bytes === 0) return;
    this.post({ type: 'frames', parts: this.outbox.take() });
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

  private withRefused(report: SinkReport): SinkReport {
    return this.refused === 0 ? report : { ...report, dropped: report.dropped + this.refused };
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
