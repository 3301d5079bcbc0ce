/**
 * The pages' entry point (bundled to /static/client.js). A run's page (<body data-run>)
 * follows the run's change stream and keeps its grid of plots and status bar current; the
 * compare page (<body data-compare>) lists every run and shows the chosen ones together.
 */
import { ComparePage } from './compare/compare-page.js';
import { connect } from './connection.js';
import { LivePage } from './live-page.js';
import { StatusBar } from './status.js';
import { followSystemTheme } from './theme.js';
import { UrlState } from './view-options.js';

followSystemTheme();
if (document.body.dataset.compare !== undefined) showComparison();
else showRun(document.body.dataset.run ?? '');

function showRun(run: string): void {
  const runPath = `/api/runs/${encodeURIComponent(run)}`;
  const url = new UrlState();
  const page = new LivePage(required('#grid'), runPath, url);
  const status = new StatusBar(required('#status'), () => page.waitingFor());
  followHeaderControls(page, status, url);
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
}

/** The header's pause button and linked-x switch. */
function followHeaderControls(page: LivePage, status: StatusBar, url: UrlState): void {
  const pause = required('#pause') as HTMLButtonElement;
  let paused = false;
  let counting: ReturnType<typeof setInterval> | undefined;
  pause.addEventListener('click', () => {
    paused = !paused;
    page.setPaused(paused);
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    clearInterval(counting);
    const tell = () => status.setPaused(paused ? page.waitingUpdates : undefined);
    tell();
    if (paused) counting = setInterval(tell, 250);
  });
  const linkX = required('#linkx') as HTMLInputElement;
  linkX.checked = url.linkX;
  linkX.addEventListener('change', () => (url.linkX = linkX.checked));
}

function showComparison(): void {
  // The status bar asks the page how far behind it is; the page reports to the status bar.
  const page: { current?: ComparePage } = {};
  const status = new StatusBar(required('#status'), () => page.current?.waitingFor() ?? 0);
  page.current = new ComparePage(required('#runs'), required('#grid'), status);
}

function required(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`streamvis: the page lacks ${selector}`);
  return element;
}
