import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ClusterPlot } from '../state/cluster-plot.js';
import { refuse } from './api-error.js';
import { csvField } from './plot-csv.js';
import type { PlotRoute } from './plot-routes.js';
import { parsePredictBody, type PredictResponse, type SingleAnswer } from './predict-body.js';

/** Bytes of one predict body: room for MAX_PREDICT_POINTS points of a few coordinates in JSON. */
export const MAX_PREDICT_BYTES = 32 * 1024 * 1024;

/** GET .../clusters: the visible clusters in id order. */
export interface ClustersResponse {
  /** [k][D] center coordinates, one row per cluster, in the order of `columns`. */
  centers: number[][];
  counts: number[];
  ids: number[];
  columns: string[];
  /** Points of the frame labelled noise (-1), in no cluster's count. */
  noise: number;
}

export type { PredictRequest, PredictResponse } from './predict-body.js';

/**
 * The cluster endpoints of docs/http-api.md. CORS comes from the app's /api/* middleware,
 * which lets pages of other origins call predict.
 */
export const clusterRoutes: PlotRoute<'cluster'>[] = [
  {
    method: 'get',
    path: 'clusters',
    handle: (c, plot, name) => {
      const { centers, counts, ids, columns, noise } = clustersOf(plot, name);
      return c.json<ClustersResponse>({ centers, counts, ids, columns, noise });
    },
  },
  {
    method: 'get',
    path: 'clusters.csv',
    handle: (c, plot, name) => c.body(clustersCsv(clustersOf(plot, name)), 200, { 'Content-Type': 'text/csv; charset=utf-8' }),
  },
  {
    method: 'post',
    path: 'predict',
    before: [bodyLimit({ maxSize: MAX_PREDICT_BYTES, onError: () => refuse(413, `request body over ${MAX_PREDICT_BYTES} bytes`) })],
    handle: async (c, plot, name) => {
      requireJson(c);
      clustersOf(plot, name);
      const body = parsePredictBody(await c.req.text(), plot.options().columns ?? []);
      const labels = plot.predict(body.points);
      if (body.single) return c.json<SingleAnswer>({ ...(body.single.id === undefined ? {} : { _id: body.single.id }), cluster: labels[0] });
      return c.json<PredictResponse>({ labels, ...(body.ids ? { ids: body.ids } : {}) });
    },
  },
];

/** The plot's clusters, or a 409 while it has none. */
function clustersOf(plot: ClusterPlot, name: string): ReturnType<ClusterPlot['clusters']> {
  if (plot.length() === 0) refuse(409, `plot '${name.slice(0, 200)}' has no clusters yet`);
  return plot.clusters();
}

/**
 * Predict takes JSON only: a page of another site can send a form or text/plain POST
 * without asking first, but for JSON the browser asks the CORS preflight.
 */
function requireJson(c: Context): void {
  const type = c.req.header('content-type') ?? '';
  if (type.split(';')[0].trim().toLowerCase() !== 'application/json') {
    refuse(415, `Content-Type: expected application/json, got ${type === '' ? 'none' : `'${type.slice(0, 100)}'`}`);
  }
}

/** Header `id,count,<columns...>`, then one line per cluster, and one `-1,<noise>,` line without a center when the frame holds noise. */
export function clustersCsv({ centers, counts, ids, columns, noise }: ClustersResponse): string {
  const lines = [['id', 'count', ...columns].map(csvField).join(',')];
  ids.forEach((id, c) => lines.push([id, counts[c], ...centers[c]].join(',')));
  if (noise > 0) lines.push([-1, noise, ...columns.map(() => '')].join(','));
  return `${lines.join('\n')}\n`;
}
