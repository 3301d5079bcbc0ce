import type { Context, Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { FrameRequest } from '../protocol.js';
import { ChangeFeed } from '../live/change-feed.js';
import { FrameCache } from '../live/frame-cache.js';
import { FRAME_CONTENT_TYPE } from '../live/frame-codec.js';
import { LiveClient } from '../live/live-client.js';
import type { RunListener, UpdateHub } from '../live/update-hub.js';
import { refuse } from './api-error.js';

/** Comment line sent on idle event streams so proxies and browsers keep them open. */
export const HEARTBEAT_MS = 15_000;

/** Widest frame a page may ask for, in pixels. */
const MAX_FRAME_WIDTH = 16_384;
const DEFAULT_FRAME_WIDTH = 1_000;

/** Open event streams; the HTTP server cannot close while one is open. */
export type OpenStreams = Set<() => void>;

/**
 * The live routes of a run: the JSON event stream for scripts (snapshot, then deltas),
 * and what the page uses: a stream of changes and the binary frame of each plot.
 * `checkRun` refuses a request for a run the hub does not hold.
 */
export function registerLiveRoutes(app: Hono, hub: UpdateHub, checkRun: (c: Context) => void, openStreams: OpenStreams): void {
  const { state } = hub;
  const frames = new FrameCache(state);

  app.get('/api/runs/:run/events', (c) => {
    checkRun(c);
    return follow(c, hub, openStreams, (stream) => new LiveClient((event, data) => stream.writeSSE({ event, data }), () => state.snapshot(), () => state.status()));
  });

  app.get('/api/runs/:run/changes', (c) => {
    checkRun(c);
    return follow(c, hub, openStreams, (stream) => new ChangeFeed((event, data) => stream.writeSSE({ event, data }), state));
  });

  app.get('/api/runs/:run/plots/:plot/frame', (c) => {
    checkRun(c);
    const plot = c.req.param('plot');
    const bytes = frames.get(plot, frameRequest(c)) ?? refuse(404, `no such plot: ${plot.slice(0, 200)}`);
    return c.body(bytes, 200, { 'Content-Type': FRAME_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  });
}

/** An SSE response that feeds `listener` until the client goes or the server closes. */
function follow(c: Context, hub: UpdateHub, openStreams: OpenStreams, listener: (stream: SSEStreamingApi) => RunListener): Response {
  return streamSSE(c, async (stream) => {
    const unsubscribe = hub.subscribe(listener(stream));
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), HEARTBEAT_MS);
    await new Promise<void>((resolve) => {
      const end = () => {
        openStreams.delete(end);
        resolve();
      };
      stream.onAbort(end);
      openStreams.add(end);
    });
    clearInterval(heartbeat);
    unsubscribe();
  });
}

/** `?width=W&x0=&x1=&y0=&y1=`: a range is given as both its ends or not at all. */
function frameRequest(c: Context): FrameRequest {
  const width = c.req.query('width');
  const request: FrameRequest = { width: width === undefined ? DEFAULT_FRAME_WIDTH : integerIn(width, 'width', 1, MAX_FRAME_WIDTH) };
  for (const axis of ['x', 'y'] as const) {
    const [low, high] = [c.req.query(`${axis}0`), c.req.query(`${axis}1`)];
    if (low === undefined && high === undefined) continue;
    if (low === undefined || high === undefined) refuse(400, `${axis}0 and ${axis}1: give both ends of the range or neither`);
    const range: [number, number] = [finite(low, `${axis}0`), finite(high, `${axis}1`)];
    if (!(range[0] < range[1])) refuse(400, `${axis}0 must be less than ${axis}1, got ${low} and ${high}`);
    request[axis] = range;
  }
  return request;
}

function integerIn(text: string, name: string, low: number, high: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < low || value > high) refuse(400, `${name}: expected an integer from ${low} to ${high}, got '${text.slice(0, 50)}'`);
  return value;
}

function finite(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) refuse(400, `${name}: expected a finite number, got '${text.slice(0, 50)}'`);
  return value;
}
