/**
 * The live page's entry point (bundled to /static/client.js): follows the run named in
 * <body data-run> over Server-Sent Events and keeps its grid of plots and status bar current.
 */
import { connect } from './connection.js';
import { LivePage } from './live-page.js';
import { StatusBar } from './status.js';

const run = document.body.dataset.run ?? '';
const status = new StatusBar(required('#status'));
const page = new LivePage(required('#grid'));

connect(`/api/runs/${encodeURIComponent(run)}/events`, {
  state: (state) => status.setState(state),
  snapshot: (snapshot) => {
    status.setCounts(snapshot);
    page.showSnapshot(snapshot);
  },
  deltas: (batch) => {
    status.setCounts(batch);
    page.receive(batch);
  },
});

function required(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`streamvis: the page lacks ${selector}`);
  return element;
}
