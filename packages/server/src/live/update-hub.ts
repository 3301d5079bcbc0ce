import type { LogRecord } from '@streamvis/format';
import type { CorruptionReport } from '../source/source.js';
import type { RunState } from '../state/run-state.js';
import type { LiveClient } from './live-client.js';

/** Applies records to the run state and fans the resulting changes out to every open page. */
export class UpdateHub {
  private readonly clients = new Set<LiveClient>();

  constructor(readonly state: RunState) {}

  apply(record: LogRecord): void {
    const outcome = this.state.apply(record);
    if (this.clients.size === 0) return;
    if (outcome.type === 'snapshot') this.clients.forEach((client) => client.requestSnapshot());
    if (outcome.type === 'invalid') this.clients.forEach((client) => client.noteStatus());
    if (outcome.type !== 'delta') return;
    const delta = outcome.delta();
    this.clients.forEach((client) => client.pushDelta(delta));
  }

  noteCorruption(report: CorruptionReport): void {
    this.state.noteCorruption(report);
    this.clients.forEach((client) => client.noteStatus());
  }

  noteFailure(message: string): void {
    this.state.noteFailure(message);
    this.clients.forEach((client) => client.noteStatus());
  }

  /** Adds a client; returns its removal. */
  subscribe(client: LiveClient): () => void {
    this.clients.add(client);
    return () => {
      client.close();
      this.clients.delete(client);
    };
  }
}
