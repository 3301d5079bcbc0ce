import { Hono, type Context } from 'hono';
import type { Health, RunDetail, RunSummary } from '../protocol.js';
import type { RunDirectory } from '../live/run-directory.js';
import type { Ingest } from '../source/ingest.js';
import { renderComparePage, renderRunPage } from '../view/page.js';
import { refuse, renderError } from './api-error.js';
import { corsPolicy } from './cors-policy.js';
import { hostCheck } from './host-check.js';
import { registerLiveRoutes, type OpenStreams } from './live-routes.js';
import { plotCsv } from './plot-csv.js';
import { jsonStream, streamOf, textStream } from './body-streams.js';
import { registerIngestRoute } from './ingest-route.js';
import { registerPlotRoutes } from './plot-routes.js';
import { securityHeaders } from './security-headers.js';
import { servedRuns } from './served-runs.js';
import { bokehFile, clientFile } from './static-files.js';
import { tokenAuth } from './token-auth.js';

export type ServerMode = Health['mode'];

/** Who may use the app (see docs/reliability.md, "Who can reach the server"). */
export interface AppAccess {
  /** Host header names answered (without port); `*` answers any. */
  hosts: ReadonlySet<string>;
  /** Origins whose pages may read the data routes; `*` for any. */
  allowOrigins: readonly string[];
  /** The token every request must carry; none asked when undefined. */
  token?: string;
}

export interface AppOptions {
  mode: ServerMode;
  directory: RunDirectory;
  access: AppAccess;
  /** Where POST /api/runs/:run/records puts records; without it the route does not exist. */
  ingest?: Ingest;
}

export interface StreamvisApp {
  app: Hono;
  /** Ends every open event stream (the HTTP server cannot close while they are open). */
  closeStreams(): void;
}

/** The HTTP API of docs/http-api.md and the pages, for every run the directory holds. */
export function createApp({ mode, directory, access, ingest }: AppOptions): StreamvisApp {
  const openStreams: OpenStreams = new Set();
  const app = new Hono();
  const runOf = servedRuns(directory);

  app.onError(renderError);
  app.notFound((c) => refuse(404, `no such path: ${c.req.path.slice(0, 200)}`));
  // In this order: every answer gets the security headers; a foreign Host is refused
  // before anything else; CORS answers preflights, which never carry a token.
  app.use('*', securityHeaders());
  app.use('*', hostCheck(access.hosts));
  app.use('/api/*', corsPolicy(access.allowOrigins));
  app.use('*', async (c, next) => {
    if (!isWellEncoded(new URL(c.req.url).pathname)) refuse(400, 'malformed percent-encoding in path');
    await next();
  });
  if (access.token !== undefined) app.use('*', tokenAuth(access.token));

  // One run served: its page is the home page. Several: the home page compares them.
  app.get('/', (c) => c.html(directory.single === undefined ? renderComparePage() : renderRunPage(directory.single)));
  app.get('/runs/:run', (c) => c.html(renderRunPage(runOf(c).state.run)));

  app.get('/static/bokeh/:file', async (c) => {
    const file = bokehFile(c.req.param('file'));
    if (!file) refuse(404, 'no such BokehJS file');
    const { body, type } = await file;
    return c.body(bytesOf(body), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  });
  app.get('/static/client.js', async (c) => {
    const file = await clientFile();
    if (!file) refuse(404, 'the page script is not built: run npm run build');
    return c.body(bytesOf(file.body), 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' });
  });

  app.get('/api/health', (c) => c.json<Health>(healthOf(directory, mode)));
  // Answers of O(plots) or O(runs) size, taken in one piece and encoded in turns (10,000 plots are a megabyte).
  app.get('/api/runs', (c) => jsonAnswer(c, directory.summaries() satisfies RunSummary[]));
  app.get('/api/runs/:run', (c) => jsonAnswer(c, runOf(c).state.detail() satisfies RunDetail));
  app.get('/api/runs/:run/plots/:plot', async (c) => {
    const plot = c.req.param('plot');
    const run = runOf(c);
    const chunks = await run.plotJson.get(plot);
    if (chunks) return c.body(streamOf(chunks), 200, { 'Content-Type': 'application/json' });
    // `NAME.csv`, unless a plot is called that: the plot's data as CSV.
    const snapshot = plot.endsWith('.csv') ? run.state.plotSnapshot(plot.slice(0, -4)) : undefined;
    if (!snapshot) refuse(404, `no such plot: ${plot.slice(0, 200)}`);
    const file = `${snapshot.name.replace(/[^\w.-]+/g, '_')}.csv`;
    return c.body(textStream(plotCsv(snapshot.columns)), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}"` });
  });
  registerPlotRoutes(app, runOf);
  if (ingest) registerIngestRoute(app, directory, ingest);
  registerLiveRoutes(app, directory, runOf, openStreams);

  return {
    app,
    closeStreams: () => {
      openStreams.forEach((end) => end());
      openStreams.clear();
    },
  };
}

/** The server's counts over every run it serves. */
function healthOf(directory: RunDirectory, mode: ServerMode): Health {
  const { lastRecordAt: _, ...status } = directory.status();
  return { status: 'ok', run: directory.single ?? null, runs: directory.size, mode, ignored: directory.health.ignored, ...status };
}

function jsonAnswer(c: Context, value: unknown): Response {
  return c.body(jsonStream(value), 200, { 'Content-Type': 'application/json' });
}

function isWellEncoded(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** The buffer's bytes without a copy (hono's body type wants a plain Uint8Array). */
function bytesOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.length);
}
