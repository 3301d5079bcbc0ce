import type { Context, Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { FrameRequest } from '../protocol.js';
import { ChangeFeed } from '../live/change-feed.js';
import { FRAME_CONTENT_TYPE } from '../live/frame-codec.js';
import { LiveClient, type SendEvent } from '../live/live-client.js';
import type { RunDirectory } from '../live/run-directory.js';
import { RunsFeed } from '../live/runs-feed.js';
import { refuse } from './api-error.js';
import type { RunOf } from './served-runs.js';

/** Comment line sent on idle event streams so proxies and browsers keep them open. */
export const HEARTBEAT_MS = 15_000;

/** Widest (and tallest) frame a page may ask for, in pixels. */
const MAX_FRAME_PIXELS = 16_384;
const DEFAULT_FRAME_WIDTH = 1_000;
const DEFAULT_FRAME_HEIGHT = 600;

/** Open event streams; the HTTP server cannot close while one is open. */
export type OpenStreams = Set<() => void>;

/** Runs one multiplexed change stream may follow. */
export const MAX_FOLLOWED_RUNS = 64;

/**
 * The live routes: per run, the JSON event stream for scripts (snapshot, then deltas) and
 * what the run's page uses, a stream of changes and the binary frame of each plot; for
 * the page that compares runs, one stream of the run list and of the chosen runs' changes.
 */
export function registerLiveRoutes(app: Hono, directory: RunDirectory, runOf: RunOf, openStreams: OpenStreams): void {
  app.get('/api/runs/:run/events', (c) => {
    const { hub, state } = runOf(c);
    return follow(c, openStreams, (stream) => {
      const send: SendEvent = (event, data) => stream.writeSSE({ event, data });
      return hub.subscribe(new LiveClient(send, () => state.snapshot(), () => state.status()));
    });
  });

  app.get('/api/runs/:run/changes', (c) => {
    const { hub, state } = runOf(c);
    return follow(c, openStreams, (stream) => hub.subscribe(new ChangeFeed((event, data) => stream.writeSSE({ event, data }), state)));
  });

  app.get('/api/changes', (c) => {
    const runs = followedRuns(c.req.queries('run'));
    return follow(c, openStreams, (stream) => {
      const send = (event: string, data: string) => stream.writeSSE({ event, data });
      return followRuns(directory, runs, send);
    });
  });

  app.get('/api/runs/:run/plots/:plot/frame', (c) => {
    const plot = c.req.param('plot');
    const bytes = runOf(c).frames.get(plot, frameRequest(c)) ?? refuse(404, `no such plot: ${plot.slice(0, 200)}`);
    return c.body(bytes, 200, { 'Content-Type': FRAME_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  });
}

/**
 * The run list, then the changes of each of `runs` once it exists (a run may be chosen
 * before its first record). Returns what ends it all.
 */
function followRuns(directory: RunDirectory, runs: readonly string[], send: (event: string, data: string) => Promise<void>): () => void {
  const ends: (() => void)[] = [];
  const waiting = new Set(runs);
  const attach = () => {
    for (const run of waiting) {
      const hub = directory.hub(run);
      if (!hub) continue;
      waiting.delete(run);
      ends.push(hub.subscribe(new ChangeFeed(send, hub.state)));
    }
  };
  const list = new RunsFeed(send, directory);
  ends.push(
    directory.subscribe({
      runsChanged: () => {
        list.runsChanged();
        attach();
      },
    }),
    () => list.close(),
  );
  attach();
  return () => ends.forEach((end) => end());
}

/** `?run=a&run=b`: at most MAX_FOLLOWED_RUNS. */
function followedRuns(query: string[] | undefined): string[] {
  const runs = [...new Set(query ?? [])];
  if (runs.length > MAX_FOLLOWED_RUNS) refuse(400, `run: at most ${MAX_FOLLOWED_RUNS} runs per stream, got ${runs.length}`);
  return runs;
}

/** An SSE response that runs what `start` subscribes until the client goes or the server closes. */
function follow(c: Context, openStreams: OpenStreams, start: (stream: SSEStreamingApi) => () => void): Response {
  return streamSSE(c, async (stream) => {
    const unsubscribe = start(stream);
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

/** `?width=W&height=H&xscale=log&yscale=log&x0=&x1=&y0=&y1=&last=N`: a range is given as both its ends or not at all. */
function frameRequest(c: Context): FrameRequest {
  const [width, height] = [c.req.query('width'), c.req.query('height')];
  const request: FrameRequest = {
    width: width === undefined ? DEFAULT_FRAME_WIDTH : integerIn(width, 'width', 1, MAX_FRAME_PIXELS),
    height: height === undefined ? DEFAULT_FRAME_HEIGHT : integerIn(height, 'height', 1, MAX_FRAME_PIXELS),
  };
  for (const axis of ['x', 'y'] as const) {
    const scale = c.req.query(`${axis}scale`);
    if (scale === undefined || scale === 'linear') continue;
    if (scale !== 'log') refuse(400, `${axis}scale: expected linear or log, got '${scale.slice(0, 50)}'`);
    request[`${axis}Scale`] = scale;
  }
  const last = c.req.query('last');
  if (last !== undefined) {
    request.last = finite(last, 'last');
    if (!(request.last > 0)) refuse(400, `last: expected a number of steps above 0, got '${last.slice(0, 50)}'`);
  }
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
