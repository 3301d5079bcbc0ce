import { escapeHtml } from './escape-html.js';

/** The page answered (401) to a browser that has not given the server's token. */
export function renderTokenPage(reason: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <link rel="icon" href="data:,">
    <title>Token needed · streamvis</title>
  </head>
  <body>
    <h1>This streamvis server needs its token</h1>
    <p>${escapeHtml(reason)}</p>
    <p>Open the address the server printed when it started, <code>http://HOST:PORT/?token=…</code>,
      or the page with <code>?token=</code> and the token given with <code>--token</code> or
      <code>STREAMVIS_TOKEN</code>. If you just followed such a link from another site, reload this page.</p>
  </body>
</html>
`;
}
