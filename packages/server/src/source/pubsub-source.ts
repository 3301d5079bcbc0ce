import { randomUUID } from 'node:crypto';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { readFrame, type LogRecord } from '@streamvis/format';
import { SeenRecords } from './seen-records.js';
import type { RecordSource, SourceHandlers } from './source.js';

export interface PubsubSourceOptions {
  project: string;
  topic: string;
  /** Only this run's records are delivered (a subscription filter on the `run` attribute). */
  run: string;
  /** A named subscription is kept at stop, so a restarted server gets what was published meanwhile; without one, an ephemeral subscription is made and deleted at stop. */
  subscription?: string;
  /** `host:port` of an emulator; without it the client honours PUBSUB_EMULATOR_HOST. */
  apiEndpoint?: string;
  /** Records already applied (e.g. replayed from a log): their redelivered copies are dropped. */
  seen?: SeenRecords;
  /** Messages held unacknowledged at once (flow control). */
  maxMessages?: number;
  warn?: (message: string) => void;
}

const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const DEFAULT_MAX_MESSAGES = 1000;
const MAX_HELD_BYTES = 64 * 2 ** 20;
const ACK_DEADLINE_SECONDS = 60;
/** Bounds the client's retries of the setup calls, so an unreachable Pub/Sub fails the start. */
const START_TIMEOUT_MS = 15_000;
/** Tries of a failing record handler before its message is nacked: 0.1 + 0.2 + 0.4 + 0.8 s of waiting. */
const HANDLER_ATTEMPTS = 5;
const FIRST_HANDLER_RETRY_MS = 100;
/** The shortest expiry Pub/Sub allows: an ephemeral subscription left by a killed server goes away by itself. */
const EPHEMERAL_TTL_SECONDS = 24 * 60 * 60;

/**
 * Receives one run's records from a Pub/Sub topic, in order (ordering key = run). Each
 * message is one frame; it is acknowledged only after `handlers.record` has resolved; a
 * handler that keeps throwing gets the message redelivered. Copies from at-least-once
 * delivery are dropped by logger id + sequence number.
 */
export class PubsubSource implements RecordSource {
  private readonly client: PubSub;
  private readonly seen: SeenRecords;
  private readonly warn: (message: string) => void;
  private readonly subscriptionName: string;
  private subscription: Subscription | undefined;
  private handlers: SourceHandlers | undefined;
  /** Messages are handled one after another, in arrival order, on this chain. */
  private chain: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly options: PubsubSourceOptions) {
    // With an emulator, google-auth-library would still probe the cloud metadata server first.
    if (options.apiEndpoint || process.env.PUBSUB_EMULATOR_HOST) process.env.METADATA_SERVER_DETECTION ??= 'none';
    this.client = new PubSub({ projectId: options.project, ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}) });
    this.seen = options.seen ?? new SeenRecords();
    this.warn = options.warn ?? ((message) => console.warn(`streamvis-server: ${message}`));
    this.subscriptionName = options.subscription ?? ephemeralName(options.run);
  }

  /** The subscription's filter: only messages whose `run` attribute is this run. */
  get filter(): string {
    return `attributes.run = ${quote(this.options.run)}`;
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
    const topic = this.client.topic(this.options.topic);
    try {
      await this.client.createTopic(this.options.topic, { timeout: START_TIMEOUT_MS });
    } catch (error) {
      // PERMISSION_DENIED: an account that may not create topics; the subscription tells whether it exists.
      const { code } = error as { code?: number };
      if (code !== ALREADY_EXISTS && code !== PERMISSION_DENIED) {
        throw new Error(`cannot create or find topic ${this.options.topic} in project ${this.options.project}: ${firstError(error as Error)}`);
      }
    }
    const subscription = topic.subscription(this.subscriptionName, {
      flowControl: { maxMessages: this.options.maxMessages ?? DEFAULT_MAX_MESSAGES, maxBytes: MAX_HELD_BYTES, allowExcessMessages: false },
      // One stream: every message of the run (one ordering key) comes through it, in order.
      streamingOptions: { maxStreams: 1 },
    });
    try {
      await topic.createSubscription(this.subscriptionName, {
        filter: this.filter,
        enableMessageOrdering: true,
        ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
        ...(this.options.subscription ? {} : { expirationPolicy: { ttl: { seconds: EPHEMERAL_TTL_SECONDS } } }),
      });
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS || !this.options.subscription) throw error;
      await this.checkExisting(subscription);
    }
    subscription.on('message', (message: Message) => this.enqueue(message));
    subscription.on('error', (error: Error) => {
      const failure = `Pub/Sub subscription ${this.subscriptionName}: ${error.message}`;
      this.warn(failure);
      handlers.failure(failure);
    });
    this.subscription = subscription;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.chain;
    if (this.subscription) {
      await this.subscription.close(); // sends the acks still batched
      if (!this.options.subscription) await this.subscription.delete().catch((error: Error) => this.warn(`deleting ${this.subscriptionName}: ${error.message}`));
    }
    await this.client.close();
  }

  /** A kept subscription must be for this run and ordered, or it would deliver the wrong records. */
  private async checkExisting(subscription: Subscription): Promise<void> {
    const [metadata] = await subscription.getMetadata();
    if (metadata.filter !== this.filter || !metadata.enableMessageOrdering) {
      throw new Error(
        `subscription ${this.subscriptionName} exists with filter '${metadata.filter ?? ''}'` +
          `${metadata.enableMessageOrdering ? '' : ' and without message ordering'}; run ${this.options.run} needs '${this.filter}' with ordering`,
      );
    }
  }

  private enqueue(message: Message): void {
    this.chain = this.chain.then(() =>
      this.handle(message).catch((error: Error) => {
        // Whatever went wrong, the chain (and the server) must go on.
        this.warn(`Pub/Sub message ${message.id}: ${error.message}`);
        message.nack();
      }),
    );
  }

  private async handle(message: Message): Promise<void> {
    if (this.stopping) {
      message.nack(); // for the next server on this subscription
      return;
    }
    if (message.attributes.run !== this.options.run) {
      // Not ours: the emulator ignores subscription filters (Pub/Sub itself never sends these).
      message.ack();
      return;
    }
    const handlers = this.handlers!;
    const frame = message.data;
    const read = readFrame(frame, 0);
    if (read.status !== 'record' || read.end !== frame.length) {
      const reason = read.status === 'corrupt' ? read.reason : read.status === 'incomplete' ? 'truncated record' : 'bytes after the record';
      handlers.corrupt({ size: frame.length, reason: `Pub/Sub message ${message.id}: ${reason}` });
      message.ack(); // a redelivery would be just as bad
      return;
    }
    const { record } = read;
    const { header } = record;
    if (header.run !== this.options.run) {
      handlers.corrupt({ size: frame.length, reason: `Pub/Sub message ${message.id}: record for run ${header.run}` });
      message.ack();
      return;
    }
    if (this.seen.has(header)) {
      message.ack();
      return;
    }
    if (!(await this.apply(record, frame))) {
      message.nack();
      return;
    }
    this.seen.add(header);
    message.ack();
  }

  /**
   * Runs the record handler, retrying a failure (a full disk) here first: the records behind
   * it wait, so order holds; a redelivery after a nack may come after later records. Returns
   * false when the handler still fails (or the source stops): the message is to be nacked.
   */
  private async apply(record: LogRecord, frame: Uint8Array): Promise<boolean> {
    const { logger, seq } = record.header;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handlers!.record(record, frame);
        return true;
      } catch (error) {
        const giveUp = attempt === HANDLER_ATTEMPTS || this.stopping;
        const next = giveUp ? 'to be redelivered' : `retrying (attempt ${attempt + 1} of ${HANDLER_ATTEMPTS})`;
        this.warn(`record ${logger}#${seq} not applied, ${next}: ${(error as Error).message}`);
        if (giveUp) return false;
        await new Promise((resolve) => setTimeout(resolve, FIRST_HANDLER_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }
}

/** An error's message without the list of earlier attempts' errors that the client appends. */
function firstError(error: Error): string {
  return error.message.split(' : Previous errors')[0];
}

/** A Pub/Sub filter string literal: double quotes, with `\` and `"` escaped. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `streamvis-RUN-xxxxxxxx`, within Pub/Sub's naming rules (letter first, [A-Za-z0-9-_.~+%], at most 255). */
function ephemeralName(run: string): string {
  const safe = run.replace(/[^A-Za-z0-9\-_.~+]/g, '-').slice(0, 200);
  return `streamvis-${safe}-${randomUUID().slice(0, 8)}`;
}
