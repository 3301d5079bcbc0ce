import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { PlotKind } from '../protocol.js';
import type { plotKinds } from '../state/plot-kinds.js';
import { refuse } from './api-error.js';
import { clusterRoutes } from './cluster-routes.js';
import type { RunOf } from './served-runs.js';

/** The state class of a plot kind. */
export type PlotOfKind<K extends PlotKind> = ReturnType<(typeof plotKinds)[K]>;

/** An endpoint under /api/runs/:run/plots/:plot/ that only plots of one kind answer. */
export interface PlotRoute<K extends PlotKind> {
  method: 'get' | 'post';
  /** The path after the plot, e.g. `clusters.csv`. */
  path: string;
  /** Run before the plot is looked up (e.g. a body limit). */
  before?: MiddlewareHandler[];
  handle(c: Context, plot: PlotOfKind<K>, name: string): Response | Promise<Response>;
}

/** The endpoints each kind adds: a kind's own routes live in its own module, listed here. */
const kindRoutes: { [K in PlotKind]?: PlotRoute<K>[] } = {
  cluster: clusterRoutes,
};

/**
 * Registers every kind's endpoints. A request for another kind's plot is a 409 naming both
 * kinds; a plot of the right kind is handed to the route typed as its kind's state.
 */
export function registerPlotRoutes(app: Hono, runOf: RunOf): void {
  for (const [kind, routes] of Object.entries(kindRoutes) as [PlotKind, PlotRoute<PlotKind>[]][]) {
    for (const route of routes) {
      const answer: MiddlewareHandler = async (c) => {
        const name = c.req.param('plot')!;
        const plot = runOf(c).state.plot(name) ?? refuse(404, `no such plot: ${name.slice(0, 200)}`);
        if (plot.kind !== kind) refuse(409, `plot '${name.slice(0, 200)}' is a ${plot.kind} plot, not a ${kind} plot`);
        return route.handle(c, plot as PlotOfKind<PlotKind>, name);
      };
      app.on(route.method.toUpperCase(), [`/api/runs/:run/plots/:plot/${route.path}`], ...(route.before ?? []), answer);
    }
  }
}
