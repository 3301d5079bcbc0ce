import type { LayoutEvent, RunsEvent, VersionsEvent } from '../../protocol.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface ConnectionHandlers {
  state(state: ConnectionState): void;
  layout(event: LayoutEvent): void;
  versions(event: VersionsEvent): void;
  /** The run list (GET /api/changes only). */
  runs?(event: RunsEvent): void;
}

const FIRST_RETRY_MS = 200;
/** Longest wait between tries while the page is visible: back within a second of the server. */
const MAX_RETRY_VISIBLE_MS = 1_000;
/** A hidden tab tries less often. */
const MAX_RETRY_HIDDEN_MS = 10_000;

/**
 * Follows a change stream (a run's, or the compare page's). EventSource retries on its own, but at a fixed pace and
 * not at all after some failures, so on any error we close it and reopen with a short
 * backoff. The server starts every stream with a layout event holding every plot's
 * version, so nothing is missed in between. Returns a function that closes it for good.
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
    source.addEventListener('layout', (event) => receive(event, on.layout));
    source.addEventListener('versions', (event) => receive(event, on.versions));
    const { runs } = on;
    if (runs) source.addEventListener('runs', (event) => receive(event, runs));
    source.addEventListener('error', () => {
      source?.close();
      on.state('reconnecting');
      retry = setTimeout(open, delay);
      delay = Math.min(2 * delay, document.hidden ? MAX_RETRY_HIDDEN_MS : MAX_RETRY_VISIBLE_MS);
    });
  };
  // A tab shown again retries at once instead of finishing a long hidden-tab wait.
  const shown = () => {
    if (document.hidden || retry === undefined) return;
    clearTimeout(retry);
    open();
  };
  document.addEventListener('visibilitychange', shown);

  on.state('connecting');
  open();
  return () => {
    document.removeEventListener('visibilitychange', shown);
    clearTimeout(retry);
    retry = undefined;
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
