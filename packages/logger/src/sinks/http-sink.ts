import type { RecordHeader } from '@streamvis/format';
import { FlushWaiters } from './flush-waiters.js';
import { FrameQueue } from './frame-queue.js';
import { RecordsDropped, type Sink, type SinkErrorHandler, type SinkReport } from './sink.js';

export interface HttpSinkOptions {
  /** The server's address, e.g. http://127.0.0.1:8080/ (a `?token=` in it is used as the token). */
  url: string;
  run: string;
  /** Sent as `Authorization: Bearer TOKEN` (a server beyond loopback asks for one). */
  token?: string;
  onError: SinkErrorHandler;
  /** Records waiting for the server beyond this many bytes are dropped, oldest first, each drop reported at once. */
  maxBufferedBytes?: number;
  /** How long `flush()` waits for the server before it reports what is still pending. */
  flushTimeoutMs?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 128 * 2 ** 20;
const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;
/** One request's records: what piled up while the last one was out, up to these bounds (the server takes 64 MiB). */
const MAX_BATCH_RECORDS = 10_000;
const MAX_BATCH_BYTES = 16 * 2 ** 20;
const REQUEST_TIMEOUT_MS = 30_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
const FRAMES_CONTENT_TYPE = 'application/x-streamvis';

/**
 * POSTs records to a streamvis server started with `--ingest`
 * (POST /api/runs/:run/records, the frames back to back), one request at a time, so the
 * server gets them in order; what is written while a request is out goes in the next.
 * A server that is down or answers 5xx is retried with backoff (100 ms doubling to 5 s),
 * the records kept in a bounded buffer; one that refuses a request (another 4xx) will
 * refuse it again: those records are dropped and reported. The server drops copies (a
 * request retried after its answer was lost), so nothing is applied twice.
 */
export function openHttpSink(options: HttpSinkOptions): Sink {
  return new HttpSink(options);
}

class HttpSink implements Sink {
  readonly name: string;
  private readonly endpoint: URL;
  private readonly headers: Record<string, string>;
  private readonly flushTimeoutMs: number;
  private readonly waiting: FrameQueue;
  /** The batch being sent (and re-sent after a failure). */
  private batch: Buffer[] = [];
  private sending = false;
  private accepted = 0;
  private delivered = 0;
  private refused = 0;
  private errors = 0;
  private lastError: string | undefined;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private failing = false;
  private closed = false;
  private readonly flushes = new FlushWaiters(() => this.settled());

  constructor(private readonly options: HttpSinkOptions) {
    const base = new URL(options.url);
    const token = options.token ?? base.searchParams.get('token') ?? undefined;
    this.endpoint = new URL(`/api/runs/${encodeURIComponent(options.run)}/records`, base);
    this.name = `http:${base.origin}`;
    this.headers = { 'Content-Type': FRAMES_CONTENT_TYPE, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    this.waiting = new FrameQueue(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.flushTimeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  }

  write(frame: Buffer, header: RecordHeader): void {
    this.accepted++;
    if (this.closed) {
      this.waiting.dropped++;
      this.fail(new RecordsDropped(`dropped record ${header.seq} because the sink is closed`, 1));
      return;
    }
    const droppedBefore = this.waiting.dropped;
    this.waiting.push(frame);
    const dropped = this.waiting.dropped - droppedBefore;
    if (dropped > 0) {
      this.fail(new RecordsDropped(`buffer full (${this.waiting.maxBytes} bytes waiting): dropped the ${dropped} oldest record${dropped === 1 ? '' : 's'}`, dropped));
      this.flushes.settle();
    }
    this.pump();
  }

  async flush(): Promise<SinkReport> {
    const target = this.accepted;
    if (this.settled() < target && this.retryTimer !== undefined) {
      // A flush is a reason to try again now rather than wait out the backoff.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.pump();
    }
    await this.flushes.wait(target, this.flushTimeoutMs);
    return this.report();
  }

  async close(): Promise<SinkReport> {
    if (this.closed) return this.report();
    await this.flush();
    this.closed = true;
    clearTimeout(this.retryTimer);
    const givenUp = this.batch.length + this.waiting.clear();
    this.batch = [];
    if (givenUp > 0) {
      this.refused += givenUp;
      this.fail(new RecordsDropped(`gave up on ${givenUp} records at close`, givenUp));
    }
    return this.report();
  }

  private report(): SinkReport {
    return {
      sink: this.name,
      delivered: this.delivered,
      dropped: this.waiting.dropped + this.refused,
      pending: this.waiting.length + this.batch.length,
      errors: this.errors,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private pump(): void {
    if (this.closed || this.sending || this.retryTimer !== undefined) return;
    if (this.batch.length === 0) {
      if (this.waiting.length === 0) return;
      this.batch = this.waiting.take(MAX_BATCH_RECORDS, MAX_BATCH_BYTES);
    }
    this.sending = true;
    void this.send().finally(() => {
      this.sending = false;
      this.pump();
    });
  }

  private async send(): Promise<void> {
    const count = this.batch.length;
    let response: Response;
    try {
      response = await fetch(this.endpoint, { method: 'POST', headers: this.headers, body: Buffer.concat(this.batch), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      this.retryLater(`cannot reach ${this.endpoint.origin}: ${causeOf(error)}`);
      return;
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) {
      this.delivered += count;
      this.batch = [];
      if (this.failing) this.failing = false;
      this.retryDelayMs = 0;
      this.flushes.settle();
      return;
    }
    const reason = `${response.status} ${errorOf(answer)}`;
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      this.retryLater(`the server answered ${reason}`);
      return;
    }
    // Refused as it is (a bad record, no such run, no token): sending it again would be refused again.
    this.refused += count;
    this.batch = [];
    this.fail(new RecordsDropped(`the server refused ${count} record${count === 1 ? '' : 's'}: ${reason}`, count));
    this.flushes.settle();
  }

  private retryLater(problem: string): void {
    if (this.closed) return;
    this.retryDelayMs = Math.min(MAX_RETRY_MS, Math.max(FIRST_RETRY_MS, this.retryDelayMs * 2));
    // Told once per outage, when it starts: a server down for minutes is one error, not hundreds.
    if (!this.failing) this.fail(new Error(`${problem} (${this.waiting.length + this.batch.length} records waiting; retrying)`));
    this.failing = true;
    // unref: a producer that exits without shutdown() is not held alive by an unreachable server.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.retryDelayMs).unref();
  }

  private settled(): number {
    return this.delivered + this.waiting.dropped + this.refused;
  }


  private fail(error: Error): void {
    this.errors++;
    this.lastError = error.message;
    const message = `${this.endpoint.origin}: ${error.message}`;
    try {
      this.options.onError(error instanceof RecordsDropped ? new RecordsDropped(message, error.dropped) : new Error(message), this.name);
    } catch {
      // a throwing error handler must not break the sink
    }
  }
}

/** The server's `{error}` message, or the start of its answer. */
function errorOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON
  }
  return answer.slice(0, 200);
}

/** fetch's "fetch failed" says little: its cause (ECONNREFUSED, ...) says what happened. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
