import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { allowedHostName, allowedOrigin, checkedToken, checkOption } from './access/access-options.js';
import { isLoopback, servedHostNames } from './access/exposure.js';
import { generateToken } from './access/token.js';
import { createApp, type AppAccess, type ServerMode } from './http/app.js';
import { RunDirectory, type RunFilter } from './live/run-directory.js';
import type { Ingest } from './source/ingest.js';
import type { RecordSource } from './source/source.js';

/** Time a client has to send a request's headers, then the whole request (body included). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ServerOptions {
  mode: ServerMode;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one run served; records of other runs are ignored. */
  run?: string;
  /** The runs served, when `run` is not given; default every run the source delivers. */
  runs?: RunFilter;
  source: RecordSource;
  /**
   * Resolve only once the history the source had at start (the log) is applied, so a
   * first request sees all of it (default). false: resolve once listening, and serve
   * while the history is read (`replayed` tells when it is in).
   */
  waitForHistory?: boolean;
  /** Host header names answered besides localhost, 127.0.0.1, [::1] and the bound host (any port); `*` answers any. */
  allowHosts?: readonly string[];
  /** Origins (`http://host:port`) whose pages may read the data routes (CORS); `*` for any. Default none. */
  allowOrigins?: readonly string[];
  /**
   * The token every request must carry. Default: none on a loopback address; a generated
   * one when bound beyond loopback. `false`: none even then (anyone who reaches it reads all).
   */
  token?: string | false;
  /**
   * Takes records over HTTP (POST /api/runs/:run/records) and hands them to this: an
   * IngestSource merged into `source`, or a LogIngest into the logs `source` tails. Beyond
   * loopback only with a token.
   */
  ingest?: Ingest;
  /** Time to receive a request's headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request; answers (event streams too) are not limited. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ (with ?token=T when the server asks for a token). */
  url: string;
  port: number;
  /** Resolves once the history the source had at start is applied; rejects if the source cannot start. */
  replayed: Promise<void>;
  /** The token every request must carry (`Authorization: Bearer T`), if the server asks for one. */
  token?: string;
  /** Whether the server listens beyond loopback (other machines may reach it). */
  exposed: boolean;
  /** Stops the source, ends open event streams and closes the listener. */
  close(): Promise<void>;
}

/** Starts listening, then starts the source (see ServerOptions.waitForHistory for when it resolves). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { mode, port, host = '127.0.0.1', run, runs = 'all', source, waitForHistory = true } = options;
  // Resolved here, as listen() would, so whether the server is exposed is known before it is.
  const { address: bindAddress } = await lookup(host);
  const exposed = !isLoopback(bindAddress);
  const access = accessOf(options, host, bindAddress, exposed);
  if (options.ingest && exposed && access.token === undefined) {
    throw new Error(`taking records over HTTP beyond loopback needs a token: drop --no-token (${host} is not a loopback address)`);
  }
  const directory = new RunDirectory(run === undefined ? runs : [run]);
  const { app, closeStreams } = createApp({ mode, directory, access, ...(options.ingest ? { ingest: options.ingest } : {}) });
  const server = await listen(app.fetch, port, bindAddress, {
    headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  });
  const address = server.address() as AddressInfo;
  const close = async () => {
    await source.stop();
    await options.ingest?.close?.();
    closeStreams();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  };
  const replayed = source.start(directory.handlers);
  const started = replayed.catch(async (error: unknown) => {
    await close();
    throw error;
  });
  if (waitForHistory) await started;
  else started.catch(() => undefined);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const query = access.token === undefined ? '' : `?token=${access.token}`;
  return { url: `http://${urlHost}:${address.port}/${query}`, port: address.port, replayed: started, token: access.token, exposed, close };
}

/** The options' access rules, checked; a token generated when one is needed and none given. */
function accessOf(options: ServerOptions, host: string, bindAddress: string, exposed: boolean): AppAccess {
  const { allowHosts = [], allowOrigins = [], token: option } = options;
  const given = typeof option === 'string' ? checkOption('token', () => checkedToken(option)) : undefined;
  return {
    hosts: new Set([...servedHostNames(host, bindAddress), ...allowHosts.map((name) => checkOption('allowHosts', () => allowedHostName(name)))]),
    allowOrigins: allowOrigins.map((origin) => checkOption('allowOrigins', () => allowedOrigin(origin))),
    token: given ?? (exposed && option !== false ? generateToken() : undefined),
  };
}

interface Timeouts {
  headersTimeout: number;
  requestTimeout: number;
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string, timeouts: Timeouts): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check
    // each second, so a stalled request is dropped close to its deadline.
    const serverOptions = { ...timeouts, connectionsCheckingInterval: 1_000 };
    const server = serve({ fetch, port, hostname, serverOptions }, () => resolve(server));
    server.once('error', reject);
  });
}
