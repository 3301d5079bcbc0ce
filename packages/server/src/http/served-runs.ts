import type { Context } from 'hono';
import { FrameCache } from '../live/frame-cache.js';
import type { RunDirectory } from '../live/run-directory.js';
import type { UpdateHub } from '../live/update-hub.js';
import type { RunState } from '../state/run-state.js';
import { refuse } from './api-error.js';
import { PlotJsonCache } from './plot-json-cache.js';

/** A run as the routes serve it: its state and listeners, and the encodings shared by its readers. */
export interface ServedRun {
  hub: UpdateHub;
  state: RunState;
  frames: FrameCache;
  plotJson: PlotJsonCache;
}

/** The run named by a request's `:run`, or a 404: a lookup shared by every /runs/:run route. */
export type RunOf = (c: Context) => ServedRun;

export function servedRuns(directory: RunDirectory): RunOf {
  const served = new Map<string, ServedRun>();
  return (c) => {
    const run = c.req.param('run')!;
    const known = served.get(run);
    if (known) return known;
    const hub = directory.hub(run) ?? refuse(404, `no such run: ${run.slice(0, 200)}`);
    const made = { hub, state: hub.state, frames: new FrameCache(hub.state), plotJson: new PlotJsonCache(hub.state) };
    served.set(run, made);
    return made;
  };
}
