import { Hono, type Context } from 'hono';
import type { Health } from '../protocol.js';
import type { UpdateHub } from '../live/update-hub.js';
import { renderPage } from '../view/page.js';
import { refuse, renderError } from './api-error.js';
import { registerClusterRoutes } from './cluster-routes.js';
import { corsPolicy } from './cors-policy.js';
import { hostCheck } from './host-check.js';
import { registerLiveRoutes, type OpenStreams } from './live-routes.js';
import { PlotJsonCache, streamOf } from './plot-json-cache.js';
import { securityHeaders } from './security-headers.js';
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
  hub: UpdateHub;
  access: AppAccess;
}

export interface StreamvisApp {
  app: Hono;
  /** Ends every open event stream (the HTTP server cannot close while they are open). */
  closeStreams(): void;
}

/** The HTTP API of docs/http-api.md and the page, for the one run the hub holds. */
export function createApp({ mode, hub, access }: AppOptions): StreamvisApp {
  const { state } = hub;
  const openStreams: OpenStreams = new Set();
  const app = new Hono();

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
  // Every /runs/:run path is about the one run served.
  const checkRun = (c: Context): void => {
    if (c.req.param('run') !== state.run) refuse(404, `no such run: ${c.req.param('run')!.slice(0, 200)}`);
  };

  app.get('/', (c) => c.html(renderPage(state.run)));
  app.get('/runs/:run', (c) => {
    checkRun(c);
    return c.html(renderPage(state.run));
  });

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

  app.get('/api/health', (c) => {
    const { records, errors, ...latest } = state.status();
    return c.json<Health>({ status: 'ok', run: state.run, mode, records, errors, ignored: state.counts.ignored, ...latest });
  });
  app.get('/api/runs', (c) => c.json([state.summary()]));
  app.get('/api/runs/:run', (c) => {
    checkRun(c);
    return c.json(state.detail());
  });
  const plotJson = new PlotJsonCache(state);
  app.get('/api/runs/:run/plots/:plot', async (c) => {
    checkRun(c);
    const chunks = (await plotJson.get(c.req.param('plot'))) ?? refuse(404, `no such plot: ${c.req.param('plot').slice(0, 200)}`);
    return c.body(streamOf(chunks), 200, { 'Content-Type': 'application/json' });
  });
  registerClusterRoutes(app, state);

  registerLiveRoutes(app, hub, checkRun, openStreams);

  return {
    app,
    closeStreams: () => {
      openStreams.forEach((end) => end());
      openStreams.clear();
    },
  };
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
