/**
 * The live page's entry point (bundled to /static/client.js): follows the run named in
 * <body data-run> over Server-Sent Events and keeps its grid of plots and status bar current.
 */
import type { Health } from '../../protocol.js';
import { connect } from './connection.js';
import { LivePage } from './live-page.js';
import { StatusBar } from './status.js';

/** How often the record and error counts are refreshed between snapshots. */
const COUNTS_EVERY_MS = 2_000;

const run = document.body.dataset.run ?? '';
const status = new StatusBar(required('#status'));
const page = new LivePage(required('#grid'));

connect(`/api/runs/${encodeURIComponent(run)}/events`, {
  state: (state) => status.setState(state),
  snapshot: (snapshot) => {
    status.setCounts(snapshot.records, snapshot.errors);
    page.showSnapshot(snapshot);
  },
  deltas: (batch) => page.receive(batch),
});

// Deltas carry no counts; the health endpoint has them.
setInterval(() => {
  fetch('/api/health')
    .then((response) => (response.ok ? (response.json() as Promise<Health>) : undefined))
    .then((health) => {
      if (health?.run === run) status.setCounts(health.records, health.errors, health.lastError);
    })
    .catch(() => {
      // The connection's state already shows that the server is unreachable.
    });
}, COUNTS_EVERY_MS);

function required(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`streamvis: the page lacks ${selector}`);
  return element;
}
