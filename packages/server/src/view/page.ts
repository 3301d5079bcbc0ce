import { escapeHtml } from './escape-html.js';

/**
 * The live page's HTML. BokehJS comes from the server's own /static/bokeh (no CDN: the
 * page works offline), then /static/client.js draws the run named in <body data-run>.
 */

const BOKEH_SCRIPTS = ['bokeh.min.js', 'bokeh-api.min.js'];

const STYLE = `
  :root {
    --ink: #1f2933; --muted: #62707d; --line: #dde3e9; --paper: #f4f6f8; --card: #fff;
    --live: #1f9d55; --waiting: #d69e2e; --bad: #c53030;
    --header-height: 52px; --gap: 10px;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :root { --ink: #e3e8ee; --muted: #97a3af; --line: #2d343c; --paper: #0e1115; --card: #171b21; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--paper); }
  header {
    position: sticky; top: 0; z-index: 10; height: var(--header-height);
    display: flex; align-items: center; gap: 16px; padding: 0 18px;
    background: var(--card); border-bottom: 1px solid var(--line);
  }
  h1 { margin: 0; font-size: 17px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  h1 .brand { color: var(--muted); font-weight: 500; margin-right: 8px; }
  #status { margin-left: auto; display: flex; align-items: center; gap: 14px; font-size: 13px; color: var(--muted); }
  #status .dot { width: 10px; height: 10px; border-radius: 50%; background: var(--waiting); }
  #status[data-state="connected"] .dot { background: var(--live); box-shadow: 0 0 0 3px rgb(31 157 85 / 0.18); }
  #status[data-state="reconnecting"] .dot { background: var(--bad); animation: pulse 1s ease-in-out infinite alternate; }
  #status b { color: var(--ink); font-variant-numeric: tabular-nums; font-weight: 600; }
  #status[data-errors="some"] [data-part="errors"] { color: var(--bad); }
  #status[data-activity="behind"] [data-part="label"] { color: var(--bad); }
  @keyframes pulse { to { opacity: 0.3; } }
  #grid {
    display: grid; gap: var(--gap); padding: var(--gap);
    grid-template-columns: repeat(var(--columns, 1), minmax(0, 1fr));
    grid-template-rows: repeat(var(--rows, 1), var(--row-height, minmax(280px, 1fr)));
    min-height: calc(100vh - var(--header-height));
  }
  .cell { display: flex; flex-direction: column; min-width: 0; min-height: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
  .plot { position: relative; flex: 1 1 auto; min-height: 0; margin: 6px; }
  .detail { margin: -4px 10px 3px; text-align: right; font-size: 11px; color: var(--muted); }
  .notice { margin: 16px; color: var(--muted); font-size: 14px; }
  .empty { grid-column: 1 / -1; align-self: center; justify-self: center; color: var(--muted); }
  .compare { display: grid; grid-template-columns: 250px minmax(0, 1fr); }
  #runs {
    position: sticky; top: var(--header-height); height: calc(100vh - var(--header-height)); overflow: auto;
    padding: 10px; background: var(--card); border-right: 1px solid var(--line); font-size: 13px;
  }
  #runs input[type="search"] { width: 100%; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
  #runs .run-count { margin: 6px 2px; color: var(--muted); font-size: 12px; }
  #runs ul { list-style: none; margin: 0; padding: 0; }
  #runs label { display: grid; grid-template-columns: auto auto minmax(0, 1fr); gap: 1px 6px; align-items: center; padding: 4px; border-radius: 6px; cursor: pointer; }
  #runs label:hover { background: var(--paper); }
  #runs .swatch { width: 12px; height: 12px; border-radius: 3px; }
  #runs .run-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  #runs .run-meta { grid-column: 3; color: var(--muted); font-size: 11px; }
  #runs li[data-status="live"] .run-meta::before { content: "● "; color: var(--live); }
  .plot.side-by-side { display: flex; gap: 6px; }
  #page-controls { margin-left: auto; display: flex; align-items: center; gap: 12px; font-size: 13px; color: var(--muted); }
  #page-controls + #status { margin-left: 0; }
  #page-controls button, .controls button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--ink); cursor: pointer; }
  #pause[aria-pressed="true"] { background: var(--waiting); border-color: var(--waiting); color: #fff; }
  #status[data-activity="paused"] [data-part="label"] { color: var(--waiting); font-weight: 600; }
  .cell-tools { display: flex; justify-content: flex-end; padding: 4px 8px 0; min-height: 24px; }
  .controls { display: flex; align-items: center; gap: 10px; font-size: 12px; color: var(--muted); }
  .controls label { display: flex; align-items: center; gap: 3px; }
  .controls input[type="range"] { width: 80px; }
  .controls input[type="number"] { width: 70px; font: inherit; padding: 1px 4px; border: 1px solid var(--line); border-radius: 4px; }
  .controls button { padding: 0 6px; }
  .controls a { color: var(--muted); }
  #grid.has-full > .cell:not(.full) { display: none; }
  .cell.full { position: fixed; inset: var(--header-height) 0 0 0; z-index: 5; border-radius: 0; }
  .run-panel { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; border-top: 3px solid var(--line); }
  .run-panel-body { position: relative; flex: 1 1 auto; min-height: 0; }
`;

const GRID = '<main id="grid"><p class="empty">Waiting for data…</p></main>';
const RUN_CONTROLS = `<div id="page-controls">
        <label title="Zooming the steps of one lines plot zooms every lines plot"><input type="checkbox" id="linkx"> link x</label>
        <button type="button" id="pause" aria-pressed="false" title="Stop drawing updates (they keep arriving); Resume shows the newest">Pause</button>
      </div>`;

/** The page of one run: its grid of live plots. */
export function renderRunPage(run: string): string {
  return renderPage(escapeHtml(run), `data-run="${escapeHtml(run)}"`, GRID, RUN_CONTROLS);
}

/** The page that lists every run and shows the chosen ones side by side or overlaid. */
export function renderComparePage(): string {
  return renderPage('runs', 'data-compare', `<div class="compare"><aside id="runs"></aside>${GRID}</div>`, '');
}

function renderPage(name: string, bodyData: string, content: string, controls: string): string {
  const bokeh = BOKEH_SCRIPTS.map((file) => `<script src="/static/bokeh/${file}"></script>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="icon" href="data:,">
    <title>${name} · streamvis</title>
    <style>${STYLE}</style>
    ${bokeh}
  </head>
  <body ${bodyData}>
    <header>
      <h1><span class="brand">streamvis</span><span class="run">${name}</span></h1>
      ${controls}
      <div id="status" data-state="connecting" data-errors="none">
        <span class="dot"></span><span data-part="label">connecting…</span>
        <span>records <b data-part="records">0</b></span>
        <span>errors <b data-part="errors">0</b></span>
      </div>
    </header>
    ${content}
    <script src="/static/client.js"></script>
  </body>
</html>
`;
}
