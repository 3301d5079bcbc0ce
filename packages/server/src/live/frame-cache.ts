import type { FrameRequest } from '../protocol.js';
import type { RunState } from '../state/run-state.js';
import { encodeFrame } from './frame-codec.js';
import { VersionCache } from './version-cache.js';

/**
 * The newest encoded frame of each plot, per request: pages that show a plot the same way
 * (all of them, until one zooms) share one reduction and one encoding per plot version.
 */
export class FrameCache {
  private readonly frames = new VersionCache<Uint8Array<ArrayBuffer>>();

  constructor(private readonly state: RunState) {}

  /** The encoded frame, or undefined when there is no such plot. */
  get(plot: string, request: FrameRequest): Uint8Array<ArrayBuffer> | undefined {
    return this.frames.get(plot, this.state.versionOf(plot), JSON.stringify(request), () => {
      const frame = this.state.frame(plot, request);
      return frame && encodeFrame(frame);
    });
  }
}
