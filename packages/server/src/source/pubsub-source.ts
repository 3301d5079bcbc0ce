import { PubSub, v1, type protos } from '@google-cloud/pubsub';
import { readFrame, type LogRecord } from '@streamvis/format';
import { ACK_DEADLINE_SECONDS, DEADLINE_EXCEEDED, firstError, NOT_FOUND, PubsubSubscription } from './pubsub-subscription.js';
import type { RunFilter } from '../live/run-directory.js';
import type { RecordSource, SourceHandlers } from './source.js';

export interface PubsubSourceOptions {
  project: string;
  topic: string;
  /** Only these runs' records are delivered (a subscription filter on the `run` attribute); 'all': every run's. */
  runs: RunFilter;
  /** A named subscription is kept at stop, so a restarted server gets what was published meanwhile; without one, an ephemeral subscription is made and deleted at stop. */
  subscription?: string;
  /** `host:port` of an emulator; without it the client honours PUBSUB_EMULATOR_HOST. */
  apiEndpoint?: string;
  /** Messages asked for per pull: at most this many are held unacknowledged at once. */
  maxMessages?: number;
  warn?: (message: string) => void;
}

type ReceivedMessage = protos.google.pubsub.v1.IReceivedMessage;

const DEFAULT_MAX_MESSAGES = 1000;
/** Bounds the client's retries of the setup calls, so an unreachable Pub/Sub fails the start. */
const START_TIMEOUT_MS = 15_000;
/**
 * A pull waits this long for messages, then the next one is sent. Short, because a stop
 * waits for the pull under way: a cancelled pull would go on taking messages in the
 * emulator (as would a killed server's), which then wait out their ack deadline.
 */
const PULL_TIMEOUT_MS = 2_000;
/** Calls other than the pull: one attempt each, the source retries on its own schedule. */
const CALL_TIMEOUT_MS = 5_000;
/** What the source still works on is kept leased by extending its deadline this often. */
const LEASE_RENEWAL_MS = (ACK_DEADLINE_SECONDS * 1000) / 2;
/** While Pub/Sub is unreachable: the wait between tries, doubling from the first to the last. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 4_000;
/** gRPC's reconnect backoff grows to 2 minutes by default: capped, recovery follows our retries. */
const GRPC_CHANNEL_OPTIONS = { 'grpc.max_reconnect_backoff_ms': 2_000 };
/** Tries of a failing record handler before its message is nacked: 0.1 + 0.2 + 0.4 + 0.8 s of waiting. */
const HANDLER_ATTEMPTS = 5;
const FIRST_HANDLER_RETRY_MS = 100;

/**
 * Receives runs' records from a Pub/Sub topic, in order per run (ordering key = run), by
 * unary pulls: one batch at a time, each message acknowledged after `handlers.record`
 * has resolved for it. (A streaming pull would leave a stream behind when the server is
 * killed, which the emulator keeps serving for its 30-minute deadline: the run's ordering
 * key stays bound to the dead stream and a restarted server receives nothing.) Copies
 * from at-least-once delivery are acked and passed on: the run state drops them. When Pub/Sub
 * cannot be reached, the source says so and retries with backoff; a subscription that
 * disappeared (an emulator restarted empty) is created again.
 */
export class PubsubSource implements RecordSource {
  private readonly client: PubSub;
  private readonly subscription: PubsubSubscription;
  private readonly served: ReadonlySet<string> | undefined;
  private readonly maxMessages: number;
  private readonly warn: (message: string) => void;
  private puller: v1.SubscriberClient | undefined;
  private handlers: SourceHandlers | undefined;
  private receiving: Promise<void> | undefined;
  private stopping = false;
  /** Since when (ms since the epoch) Pub/Sub has failed, while it does. */
  private failingSince: number | undefined;
  private retryMs = 0;
  /** Ends the wait before the next try, when stopping. */
  private wake: (() => void) | undefined;

  constructor(private readonly options: PubsubSourceOptions) {
    // With an emulator, google-auth-library would still probe the cloud metadata server first.
    if (options.apiEndpoint || process.env.PUBSUB_EMULATOR_HOST) process.env.METADATA_SERVER_DETECTION ??= 'none';
    this.client = new PubSub({ projectId: options.project, ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}), ...GRPC_CHANNEL_OPTIONS });
    this.subscription = new PubsubSubscription(this.client, options);
    this.served = options.runs === 'all' ? undefined : new Set(options.runs);
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    this.warn = options.warn ?? ((message) => console.warn(`streamvis-server: ${message}`));
  }

  /** The subscription's filter: only messages whose `run` attribute is this run. */
  get filter(): string {
    return this.subscription.filter;
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
    await this.subscription.create(START_TIMEOUT_MS);
    const { port, ...config } = await this.client.getClientConfig();
    this.puller = new v1.SubscriberClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }), ...GRPC_CHANNEL_OPTIONS });
    this.receiving = this.receive();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.receiving; // a pull under way ends within PULL_TIMEOUT_MS; what it brings is handed back
    if (this.subscription.ephemeral && this.puller) {
      await this.subscription.delete().catch((error: Error) => this.warn(`deleting ${this.subscription.name}: ${error.message}`));
    }
    await this.puller?.close();
    await this.client.close();
  }

  private async receive(): Promise<void> {
    while (!this.stopping) {
      let messages: ReceivedMessage[];
      try {
        messages = await this.pull();
      } catch (error) {
        if (!this.stopping) await this.troubled(error as Error & { code?: number });
        continue;
      }
      this.reachable();
      await this.handleBatch(messages);
    }
  }

  private async pull(): Promise<ReceivedMessage[]> {
    try {
      const [response] = await this.puller!.pull({ subscription: this.subscription.path, maxMessages: this.maxMessages }, { timeout: PULL_TIMEOUT_MS, retry: null });
      return response.receivedMessages ?? [];
    } catch (error) {
      if ((error as { code?: number }).code === DEADLINE_EXCEEDED) return []; // nothing came while it waited
      throw error;
    }
  }

  /**
   * Handles a batch in order and acknowledges what was handled. A record that cannot be
   * applied is nacked with everything after it, so the redelivery keeps the order.
   */
  private async handleBatch(messages: ReceivedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const ackIds = messages.map((m) => m.ackId!);
    let done = 0;
    const renewal = setInterval(() => void this.extend(ackIds.slice(done), ACK_DEADLINE_SECONDS), LEASE_RENEWAL_MS);
    try {
      while (done < messages.length && !this.stopping && (await this.handle(messages[done]))) done++;
    } finally {
      clearInterval(renewal);
    }
    await this.acknowledge(ackIds.slice(0, done));
    // For the next server on this subscription, or for the redelivery of a failed record.
    await this.extend(ackIds.slice(done), 0);
  }

  /** Whether the message is done with (applied, a copy, or not to be applied ever): false to nack it. */
  private async handle({ message }: ReceivedMessage): Promise<boolean> {
    const handlers = this.handlers!;
    const id = message?.messageId ?? '?';
    const run = message?.attributes?.run;
    if (this.served && (run === undefined || !this.served.has(run))) return true; // not ours: the emulator ignores subscription filters
    const frame = toBytes(message?.data);
    const read = readFrame(frame, 0);
    if (read.status !== 'record' || read.end !== frame.length) {
      const reason = read.status === 'corrupt' ? read.reason : read.status === 'incomplete' ? 'truncated record' : 'bytes after the record';
      handlers.corrupt({ size: frame.length, reason: `Pub/Sub message ${id}: ${reason}` });
      return true; // a redelivery would be just as bad
    }
    const { record } = read;
    const { header } = record;
    if (header.run !== run) {
      handlers.corrupt({ size: frame.length, reason: `Pub/Sub message ${id}: record for run ${header.run} in a message for run ${run ?? '(none)'}` });
      return true;
    }
    return this.apply(record, frame);
  }

  /**
   * Runs the record handler, retrying a failure (a full disk) in place first, so the records
   * behind it wait and the order holds. Returns false when it still fails (or the source
   * stops): the message is to be nacked.
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
        await sleep(FIRST_HANDLER_RETRY_MS * 2 ** (attempt - 1));
      }
    }
  }

  /** A lost acknowledgement only means a redelivery (whose copy is dropped): warned about, never thrown. */
  private async acknowledge(ackIds: string[]): Promise<void> {
    if (ackIds.length === 0) return;
    await this.puller!.acknowledge({ subscription: this.subscription.path, ackIds }, { timeout: CALL_TIMEOUT_MS, retry: null }).catch((error: Error) =>
      this.warn(`acknowledging ${ackIds.length} messages failed (they will be delivered again): ${firstError(error)}`),
    );
  }

  /** Sets the messages' deadline `seconds` from now; 0 hands them back at once. */
  private async extend(ackIds: string[], seconds: number): Promise<void> {
    if (ackIds.length === 0) return;
    await this.puller!.modifyAckDeadline({ subscription: this.subscription.path, ackIds, ackDeadlineSeconds: seconds }, { timeout: CALL_TIMEOUT_MS, retry: null }).catch(
      (error: Error) => this.warn(`${seconds === 0 ? 'handing back' : 'extending the lease of'} ${ackIds.length} messages failed: ${firstError(error)}`),
    );
  }

  /**
   * A pull failed. A subscription gone (an emulator restarted empty, a deletion) is made
   * again; anything else is an outage, told once when it starts, then retried with backoff.
   */
  private async troubled(error: Error & { code?: number }): Promise<void> {
    const name = this.subscription.name;
    if (error.code === NOT_FOUND) {
      try {
        await this.subscription.create(CALL_TIMEOUT_MS);
        this.retryMs = 0;
        this.report(`Pub/Sub subscription ${name} did not exist any more (${firstError(error)}): created it again; what was published while it was missing does not reach this server`);
        return;
      } catch (creation) {
        error = creation as Error & { code?: number };
      }
    }
    if (this.failingSince === undefined) {
      this.failingSince = Date.now();
      this.report(`cannot receive from Pub/Sub subscription ${name}: ${firstError(error)}; retrying`);
    }
    this.retryMs = Math.min(MAX_RETRY_MS, Math.max(FIRST_RETRY_MS, this.retryMs * 2));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.retryMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private reachable(): void {
    if (this.failingSince === undefined) return;
    this.warn(`receiving from Pub/Sub subscription ${this.subscription.name} again, after ${((Date.now() - this.failingSince) / 1000).toFixed(1)} s`);
    this.failingSince = undefined;
    this.retryMs = 0;
  }

  private report(failure: string): void {
    this.warn(failure);
    this.handlers!.failure(failure);
  }
}

function toBytes(data: Uint8Array | string | null | undefined): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return Buffer.from(data ?? '', 'base64');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
