import type { DeltaBatch, RunSnapshot } from '../../protocol.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface ConnectionHandlers {
  state(state: ConnectionState): void;
  snapshot(snapshot: RunSnapshot): void;
  deltas(batch: DeltaBatch): void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/**
 * Follows the run's event stream. EventSource retries on its own, but at a fixed pace and
 * not at all after some failures, so on any error we close it and reopen with exponential
 * backoff. The server starts every stream with a snapshot, so nothing is lost in between.
 * Returns a function that closes the connection for good.
 */
export function connect(url: string, on: ConnectionHandlers): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = FIRST_RETRY_MS;

  const open = (): void => {
    retry = undefined;
    source = new EventSource(url);
    source.addEventListener('open', () => {
      delay = FIRST_RETRY_MS;
      on.state('connected');
    });
    source.addEventListener('snapshot', (event) => receive(event, on.snapshot));
    source.addEventListener('delta', (event) => receive(event, on.deltas));
    source.addEventListener('error', () => {
      source?.close();
      on.state('reconnecting');
      retry = setTimeout(open, delay);
      delay = Math.min(2 * delay, MAX_RETRY_MS);
    });
  };

  on.state('connecting');
  open();
  return () => {
    clearTimeout(retry);
    source?.close();
  };
}

function receive<T>(event: Event, handle: (message: T) => void): void {
  let message: T;
  try {
    message = JSON.parse((event as MessageEvent<string>).data) as T;
  } catch (error) {
    console.error('streamvis: unreadable event from the server', error);
    return;
  }
  handle(message);
}
