import { PubSub, type Topic } from '@google-cloud/pubsub';
import type { RecordHeader } from '@streamvis/format';
import { FlushWaiters } from './flush-waiters.js';
import { FrameQueue } from './frame-queue.js';
import { RecordsDropped, type Sink, type SinkErrorHandler, type SinkReport } from './sink.js';

export interface PubsubSinkOptions {
  project: string;
  topic: string;
  /** The run's name: every record's ordering key and `run` attribute. */
  run: string;
  onError: SinkErrorHandler;
  /** `host:port` of an emulator; without it the client honours PUBSUB_EMULATOR_HOST. */
  apiEndpoint?: string;
  /**
   * Records waiting for Pub/Sub beyond this many bytes are dropped, oldest first, each drop
   * reported at once with its count. Whatever the logger's onFull: publishing runs on the
   * producer's event loop, which a logging call waiting for room would hold.
   */
  maxBufferedBytes?: number;
  /** How long `flush()` waits for acks before it reports what is still pending. */
  flushTimeoutMs?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 128 * 2 ** 20;
const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;
/** The client's largest publish batch; a bigger message can never be sent. */
export const MAX_MESSAGE_BYTES = 9 * 2 ** 20;
/** Bytes handed to the client at once; the rest waits in our queue, where it can be dropped or retried. */
const MAX_IN_FLIGHT_BYTES = 32 * 2 ** 20;
/**
 * One attempt per RPC, bounded: the sink retries on its own schedule, so a failure is seen (and
 * reported) at once rather than after the client's own retries (10 minutes for publish).
 */
const ONE_ATTEMPT = { timeout: 15_000, maxRetries: 1 };
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
/** gRPC's reconnect backoff grows to 2 minutes by default: capped, recovery follows our retries. */
const GRPC_CHANNEL_OPTIONS = { 'grpc.max_reconnect_backoff_ms': MAX_RETRY_MS };

/**
 * Opens a sink that publishes each record's frame as one Pub/Sub message, ordered by run.
 * Resolves at once: the topic is created (when missing) in the background, with retries,
 * so an unreachable Pub/Sub never slows the producer; records wait in a bounded buffer.
 */
export async function openPubsubSink(options: PubsubSinkOptions): Promise<Sink> {
  return new PubsubSink(options);
}

/** gRPC status codes the sink acts on. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;

class PubsubSink implements Sink {
  readonly name: string;
  private readonly client: PubSub;
  private readonly topic: Topic;
  private readonly flushTimeoutMs: number;

  /** Written, not yet handed to the client: bounded, dropping the oldest. */
  private readonly waiting: FrameQueue;
  /** Handed to the client and not yet acked, in publish order (acks arrive in that order). */
  private readonly inFlight = new FrameQueue(Infinity);
  /** Each frame's message attributes, for as long as the frame lives. */
  private readonly attributes = new WeakMap<Buffer, Record<string, string>>();
  private accepted = 0;
  private delivered = 0;
  private errors = 0;
  private lastError: string | undefined;

  private topicReady = false;
  private creatingTopic = false;
  /** Bumped on each publish failure: callbacks of messages published before it are stale. */
  private generation = 0;
  /** After a failure, one message at a time until one is acked. */
  private probing = false;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly flushes = new FlushWaiters(() => this.settled());

  constructor(private readonly options: PubsubSinkOptions) {
    this.name = `pubsub:${options.project}/${options.topic}`;
    this.waiting = new FrameQueue(options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.flushTimeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
    // With an emulator, google-auth-library would still probe the cloud metadata server first.
    if (options.apiEndpoint || process.env.PUBSUB_EMULATOR_HOST) process.env.METADATA_SERVER_DETECTION ??= 'none';
    this.client = new PubSub({
      projectId: options.project,
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...GRPC_CHANNEL_OPTIONS,
    });
    this.topic = this.client.topic(options.topic, { messageOrdering: true, gaxOpts: ONE_ATTEMPT });
    this.pump();
  }

  write(frame: Buffer, header: RecordHeader): void {
    this.accepted++;
    if (this.closed || frame.length > MAX_MESSAGE_BYTES) {
      this.waiting.dropped++;
      const why = this.closed ? 'the sink is closed' : `it is ${frame.length} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`;
      this.fail(new RecordsDropped(`dropped record ${header.seq} because ${why}`, 1));
      return;
    }
    const attributes: Record<string, string> = { run: header.run, kind: header.kind, logger: header.logger, seq: String(header.seq) };
    if ('plot' in header) attributes.plot = header.plot;
    this.attributes.set(frame, attributes);
    const droppedBefore = this.waiting.dropped;
    this.waiting.push(frame);
    if (this.waiting.dropped > droppedBefore) this.overflowed(this.waiting.dropped - droppedBefore);
    this.pump();
  }

  async flush(): Promise<SinkReport> {
    const target = this.accepted;
    if (this.settled() < target && this.retryTimer !== undefined) {
      // A flush is a reason to try again now rather than wait out the backoff.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.resume();
    }
    await this.flushes.wait(target, this.flushTimeoutMs);
    return this.report();
  }

  async close(): Promise<SinkReport> {
    if (this.closed) return this.report();
    await this.flush();
    this.closed = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    const givenUp = this.waiting.clear() + this.inFlight.clear();
    if (givenUp > 0) this.fail(new RecordsDropped(`gave up on ${givenUp} records at close`, givenUp));
    await this.client.close().catch((error: Error) => this.fail(error));
    return this.report();
  }

  private report(): SinkReport {
    return {
      sink: this.name,
      delivered: this.delivered,
      dropped: this.waiting.dropped + this.inFlight.dropped,
      pending: this.waiting.length + this.inFlight.length,
      errors: this.errors,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Hands waiting records to the client as far as the in-flight window allows. */
  private pump(): void {
    if (this.closed || this.retryTimer !== undefined || this.creatingTopic) return;
    if (!this.topicReady) {
      void this.createTopic();
      return;
    }
    while (this.waiting.length > 0 && (this.probing ? this.inFlight.length === 0 : this.inFlight.bytes < MAX_IN_FLIGHT_BYTES)) {
      const [frame] = this.waiting.take(1, Infinity);
      this.inFlight.push(frame);
      const generation = this.generation;
      this.topic.publishMessage({ data: frame, attributes: this.attributes.get(frame), orderingKey: this.options.run }).then(
        () => this.acked(generation),
        (error: Error & { code?: number }) => this.publishFailed(error, generation),
      );
    }
  }

  private async createTopic(): Promise<void> {
    this.creatingTopic = true;
    try {
      await this.topic.get({ autoCreate: true, ...ONE_ATTEMPT });
      this.topicReady = true;
    } catch (error) {
      const { code } = error as { code?: number };
      // ALREADY_EXISTS: another producer just made it. PERMISSION_DENIED: a publisher-only
      // account may not look topics up; publishing tells whether the topic is there.
      if (code === ALREADY_EXISTS || code === PERMISSION_DENIED) this.topicReady = true;
      else this.retryLater(`cannot find or create the topic: ${(error as Error).message}`);
    } finally {
      this.creatingTopic = false;
    }
    this.pump();
  }

  private acked(generation: number): void {
    // A success reported after a failure is for a frame already put back: it goes out again (readers drop the copy).
    if (generation !== this.generation || this.closed) return;
    this.inFlight.take(1, Infinity);
    this.delivered++;
    this.probing = false;
    this.retryDelayMs = 0;
    this.flushes.settle();
    this.pump();
  }

  /**
   * With an ordering key, one failed batch makes the client reject every later message of
   * the key until `resumePublishing`: so everything not acked goes back to the queue's front.
   */
  private publishFailed(error: Error & { code?: number }, generation: number): void {
    if (generation !== this.generation || this.closed) return;
    this.generation++;
    this.waiting.putBack(this.inFlight.take(Infinity, Infinity));
    if (error.code === NOT_FOUND) this.topicReady = false; // deleted under us: create it again
    this.probing = true;
    this.retryLater(`publish failed: ${error.message}`);
  }

  private retryLater(problem: string): void {
    if (this.closed) return;
    this.retryDelayMs = Math.min(MAX_RETRY_MS, Math.max(FIRST_RETRY_MS, this.retryDelayMs * 2));
    this.fail(new Error(`${problem} (${this.waiting.length + this.inFlight.length} records waiting; retrying in ${this.retryDelayMs} ms)`));
    // unref: a producer that exits without shutdown() is not held alive by an unreachable Pub/Sub.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.resume();
    }, this.retryDelayMs).unref();
  }

  private resume(): void {
    this.topic.resumePublishing(this.options.run);
    this.pump();
  }

  /** Reported from the write that dropped, so even a producer that never yields hears of each drop. */
  private overflowed(dropped: number): void {
    this.fail(new RecordsDropped(`buffer full (${this.waiting.maxBytes} bytes waiting): dropped the ${dropped} oldest record${dropped === 1 ? '' : 's'}`, dropped));
    this.flushes.settle();
  }

  /** Records delivered or given up on (acks come in write order; drops take the oldest waiting). */
  private settled(): number {
    return this.delivered + this.waiting.dropped + this.inFlight.dropped;
  }


  private fail(error: Error): void {
    this.errors++;
    this.lastError = error.message;
    const message = `Pub/Sub topic ${this.options.topic}: ${error.message}`;
    try {
      this.options.onError(error instanceof RecordsDropped ? new RecordsDropped(message, error.dropped) : new Error(message), this.name);
    } catch {
      // a throwing error handler must not break the sink
    }
  }
}
