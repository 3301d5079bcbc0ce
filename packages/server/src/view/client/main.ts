/**
 * The live page's entry point (bundled to /static/client.js): follows the run named in
 * <body data-run> through its change stream and keeps its grid of plots and status bar current.
 */
import { connect } from './connection.js';
import { LivePage } from './live-page.js';
import { StatusBar } from './status.js';

const run = document.body.dataset.run ?? '';
const runPath = `/api/runs/${encodeURIComponent(run)}`;
const page = new LivePage(required('#grid'), runPath);
const status = new StatusBar(required('#status'), () => page.waitingFor());

connect(`${runPath}/changes`, {
  state: (state) => {
    status.setState(state);
    if (state === 'connected') page.connected();
  },
  layout: (event) => {
    status.setCounts(event);
    status.setClock(event);
    page.showLayout(event);
  },
  versions: (event) => {
    status.setCounts(event);
    status.setClock(event);
    page.showVersions(event);
  },
});

function required(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`streamvis: the page lacks ${selector}`);
  return element;
}
