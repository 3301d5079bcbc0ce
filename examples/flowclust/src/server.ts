import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import type { FlowSimulator } from './simulator.js';

/** Longest window one request may ask for, so a response stays a few MB at most (default 15 min). */
const DEFAULT_MAX_WINDOW_MS = 15 * 60_000;

/** `GET /points?start=ISO&stop=ISO` → `{ts, points, columns}`: the simulator's points in [start, stop), without the truth. */
export function createPointsApp(simulator: FlowSimulator, maxWindowMs = DEFAULT_MAX_WINDOW_MS): Hono {
  const app = new Hono();
  app.get('/points', (c) => {
    const start = Date.parse(c.req.query('start') ?? '');
    const stop = Date.parse(c.req.query('stop') ?? '');
    if (Number.isNaN(start)) return c.json({ error: 'start: expected an ISO 8601 time' }, 400);
    if (Number.isNaN(stop)) return c.json({ error: 'stop: expected an ISO 8601 time' }, 400);
    if (stop < start) return c.json({ error: 'stop: expected a time not before start' }, 400);
    if (stop - start > maxWindowMs) return c.json({ error: `stop: at most ${maxWindowMs / 1000} s after start` }, 400);
    const { ts, points, columns } = simulator.pointsBetween(start, stop);
    return c.json({ ts, points, columns });
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  return app;
}

export interface RunningPointsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `createPointsApp` on host:port (port 0 picks a free one). */
export function startPointsServer(simulator: FlowSimulator, port: number, host = '127.0.0.1'): Promise<RunningPointsServer> {
  const app = createPointsApp(simulator);
  return new Promise((resolve, reject) => {
    const server: ServerType = serve({ fetch: app.fetch, port, hostname: host }, () => {
      const { address, family, port: bound } = server.address() as AddressInfo;
      const urlHost = family === 'IPv6' ? `[${address}]` : address;
      resolve({
        url: `http://${urlHost}:${bound}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
