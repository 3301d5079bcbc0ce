import type { LogRecord } from '@streamvis/format';
import type { DeferredDelta } from '../state/plot-state.js';
import type { RunState } from '../state/run-state.js';

/** One open stream of a run's changes (a page, a script following the events). */
export interface RunListener {
  /** The set of plots or the layout changed. */
  layoutChanged(): void;
  /** Plot `plot`'s data changed; `delta` builds the change (shared by every listener, built once). */
  plotChanged(plot: string, delta: DeferredDelta): void;
  /** The run's counts changed without new data (an error). */
  statusChanged(): void;
  close(): void;
}

/** Applies records to one run's state and fans the resulting changes out to every listener of the run. */
export class UpdateHub {
  private readonly listeners = new Set<RunListener>();

  constructor(readonly state: RunState) {}

  apply(record: LogRecord): void {
    const outcome = this.state.apply(record);
    if (this.listeners.size === 0) return;
    if (outcome.type === 'snapshot') this.listeners.forEach((listener) => listener.layoutChanged());
    if (outcome.type === 'invalid') this.listeners.forEach((listener) => listener.statusChanged());
    if (outcome.type !== 'delta') return;
    const delta = once(outcome.delta);
    this.listeners.forEach((listener) => listener.plotChanged(outcome.plot, delta));
  }

  /** The run's counts changed without new data (a source reported an error or progress). */
  statusChanged(): void {
    this.listeners.forEach((listener) => listener.statusChanged());
  }

  /** Adds a listener; returns its removal. */
  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => {
      listener.close();
      this.listeners.delete(listener);
    };
  }
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
