import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, type ServerMode } from './http/app.js';
import { UpdateHub } from './live/update-hub.js';
import type { RecordSource } from './source/source.js';
import { RunState } from './state/run-state.js';

export interface ServerOptions {
  mode: ServerMode;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The one run served; records of other runs are ignored. */
  run: string;
  source: RecordSource;
  /**
   * Resolve only once the history the source had at start (the log) is applied, so a
   * first request sees all of it (default). false: resolve once listening, and serve
   * while the history is read (`replayed` tells when it is in).
   */
  waitForHistory?: boolean;
}

export interface RunningServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  url: string;
  port: number;
  /** Resolves once the history the source had at start is applied; rejects if the source cannot start. */
  replayed: Promise<void>;
  /** Stops the source, ends open event streams and closes the listener. */
  close(): Promise<void>;
}

/** Starts listening, then starts the source (see ServerOptions.waitForHistory for when it resolves). */
export async function startServer({ mode, port, host = '127.0.0.1', run, source, waitForHistory = true }: ServerOptions): Promise<RunningServer> {
  const hub = new UpdateHub(new RunState(run));
  const { app, closeStreams } = createApp({ mode, hub });
  const server = await listen(app.fetch, port, host);
  const address = server.address() as AddressInfo;
  const close = async () => {
    await source.stop();
    closeStreams();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  };
  const replayed = source.start({
    record: (record) => hub.apply(record),
    corrupt: (report) => hub.noteCorruption(report),
    failure: (message) => hub.noteFailure(message),
    progress: (delivered, total) => hub.noteReplay(delivered, total),
  });
  const started = replayed.catch(async (error: unknown) => {
    await close();
    throw error;
  });
  if (waitForHistory) await started;
  else started.catch(() => undefined);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${urlHost}:${address.port}/`, port: address.port, replayed: started, close };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}
