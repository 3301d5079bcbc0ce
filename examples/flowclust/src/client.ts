import type { DataLogger } from '@streamvis/logger';

/**
 * Points in the server's clustering frame: 40 s of the simulated flow (50 points/s). The
 * frame must be short next to how fast clusters drift, or it smears a moving cluster
 * along its path; this is the frame evaluateFlow (and the bench's id-switch rows) use.
 */
export const FLOW_FRAME_SIZE = 2000;

export interface ClusterStreamOptions {
  /** Base URL of a points server (see server.ts). */
  pointsUrl: string;
  logger: DataLogger;
  /** The cluster plot the points go to. */
  plot: string;
  /** Simulated time of the first window, its length, and how many windows (Infinity: until aborted). */
  startMs: number;
  windowMs: number;
  windows: number;
  /** Real time between windows (default 0). */
  intervalMs?: number;
  /** Server-side clusterer settings sent with every call (default k in 1..16). */
  kMin?: number;
  kMax?: number;
  /** Default FLOW_FRAME_SIZE. */
  frameSize?: number;
  signal?: AbortSignal;
}

interface PointsResponse {
  ts: number[];
  points: number[][];
  columns: string[];
}

/**
 * The producer side of the flowclust example: reads the flow window by window
 * from a points server and hands each window to `logger.cluster`, so the
 * streamvis server clusters it. Returns the number of points sent.
 */
export async function streamClusters(options: ClusterStreamOptions): Promise<number> {
  const { pointsUrl, logger, plot, startMs, windowMs, windows, intervalMs = 0, kMin = 1, kMax = 16, frameSize = FLOW_FRAME_SIZE, signal } = options;
  let sent = 0;
  for (let w = 0; w < windows && !signal?.aborted; w++) {
    const start = startMs + w * windowMs;
    const url = new URL('points', pointsUrl);
    url.searchParams.set('start', new Date(start).toISOString());
    url.searchParams.set('stop', new Date(start + windowMs).toISOString());
    const response = await fetch(url, { signal });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    const { points, columns } = (await response.json()) as PointsResponse;
    if (points.length > 0) {
      logger.cluster(plot, points, { columns, kMin, kMax, frameSize });
      sent += points.length;
    }
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return sent;
}
