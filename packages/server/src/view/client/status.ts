import type { RunStatus } from '../../protocol.js';
import type { ConnectionState } from './connection.js';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
};

/** The header's status indicator: connection state and the run's record and error counts. */
export class StatusBar {
  private readonly label: HTMLElement;
  private readonly records: HTMLElement;
  private readonly errors: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.label = part(root, 'label');
    this.records = part(root, 'records');
    this.errors = part(root, 'errors');
  }

  setState(state: ConnectionState): void {
    this.root.dataset.state = state;
    this.label.textContent = LABELS[state];
  }

  /** `lastError`, when known, shows on hovering the error count. */
  setCounts({ records, errors, lastError }: RunStatus): void {
    this.records.textContent = records.toLocaleString('en-US');
    this.errors.textContent = errors.toLocaleString('en-US');
    this.root.dataset.errors = errors > 0 ? 'some' : 'none';
    if (lastError !== undefined) this.errors.title = `latest error: ${lastError}`;
  }
}

function part(root: HTMLElement, name: string): HTMLElement {
  const element = root.querySelector<HTMLElement>(`[data-part="${name}"]`);
  if (!element) throw new Error(`streamvis: the status bar lacks its '${name}' element`);
  return element;
}
