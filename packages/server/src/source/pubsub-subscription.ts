import { randomUUID } from 'node:crypto';
import type { PubSub } from '@google-cloud/pubsub';
import type { RunFilter } from '../live/run-directory.js';

/** gRPC status codes the source acts on. */
export const DEADLINE_EXCEEDED = 4;
export const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;

/**
 * The shortest deadline Pub/Sub allows: what a killed server had pulled and not acked is
 * delivered again this soon (the source extends it for what it is still working on).
 */
export const ACK_DEADLINE_SECONDS = 10;
/** The shortest expiry Pub/Sub allows: an ephemeral subscription left by a killed server goes away by itself. */
const EPHEMERAL_TTL_SECONDS = 24 * 60 * 60;

export interface SubscriptionSpec {
  topic: string;
  project: string;
  /** The runs whose records it delivers. */
  runs: RunFilter;
  /** A named subscription is kept; without one, an ephemeral one is made (and expires if left behind). */
  subscription?: string;
}

/**
 * The runs' subscription: filtered on the `run` attribute (none for every run), ordered
 * (a run is the ordering key). Makes the topic and the subscription when missing, and checks that a kept
 * subscription found is one for this run.
 */
export class PubsubSubscription {
  readonly name: string;
  readonly filter: string;

  constructor(
    private readonly client: PubSub,
    private readonly spec: SubscriptionSpec,
  ) {
    this.name = spec.subscription ?? ephemeralName(spec.runs === 'all' ? 'all-runs' : spec.runs.join('+'));
    this.filter = spec.runs === 'all' ? '' : spec.runs.map((run) => `attributes.run = ${quote(run)}`).join(' OR ');
  }

  /** `projects/P/subscriptions/NAME`, as the RPCs take it. */
  get path(): string {
    return this.client.subscription(this.name).name;
  }

  get ephemeral(): boolean {
    return this.spec.subscription === undefined;
  }

  /** Makes the topic and the subscription when missing; `timeout` bounds each call (with the client's retries). */
  async create(timeout: number): Promise<void> {
    const { topic, project } = this.spec;
    try {
      await this.client.createTopic(topic, { timeout });
    } catch (error) {
      // PERMISSION_DENIED: an account that may not create topics; the subscription tells whether it exists.
      const { code } = error as { code?: number };
      if (code !== ALREADY_EXISTS && code !== PERMISSION_DENIED) {
        throw new Error(`cannot create or find topic ${topic} in project ${project}: ${firstError(error as Error)}`);
      }
    }
    try {
      await this.client.topic(topic).createSubscription(this.name, {
        ...(this.filter === '' ? {} : { filter: this.filter }),
        enableMessageOrdering: true,
        ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
        ...(this.ephemeral ? { expirationPolicy: { ttl: { seconds: EPHEMERAL_TTL_SECONDS } } } : {}),
        gaxOpts: { timeout },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS || this.ephemeral) throw error;
      await this.checkExisting();
    }
  }

  async delete(): Promise<void> {
    await this.client.subscription(this.name).delete();
  }

  /** A kept subscription must be for these runs and ordered, or it would deliver the wrong records. */
  private async checkExisting(): Promise<void> {
    const [metadata] = await this.client.subscription(this.name).getMetadata();
    if ((metadata.filter ?? '') !== this.filter || !metadata.enableMessageOrdering) {
      const runs = this.spec.runs === 'all' ? 'every run' : `run ${this.spec.runs.join(', ')}`;
      throw new Error(
        `subscription ${this.name} exists with filter '${metadata.filter ?? ''}'` +
          `${metadata.enableMessageOrdering ? '' : ' and without message ordering'}; ${runs} needs '${this.filter}' with ordering`,
      );
    }
  }
}

/** An error's message without the list of earlier attempts' errors that the client appends. */
export function firstError(error: Error): string {
  return error.message.split(' : Previous errors')[0];
}

/** A Pub/Sub filter string literal: double quotes, with `\` and `"` escaped. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `streamvis-RUNS-xxxxxxxx`, within Pub/Sub's naming rules (letter first, [A-Za-z0-9-_.~+%], at most 255). */
function ephemeralName(runs: string): string {
  const safe = runs.replace(/[^A-Za-z0-9\-_.~+]/g, '-').slice(0, 200);
  return `streamvis-${safe}-${randomUUID().slice(0, 8)}`;
}
