import type { FrameRequest } from '../protocol.js';
import type { RunState } from '../state/run-state.js';
import { encodeFrame } from './frame-codec.js';

/**
 * The newest encoded frame of each plot, per request: pages that show a plot the same way
 * (all of them, until one zooms) share one reduction and one encoding per plot version.
 */
export class FrameCache {
  private readonly frames = new Map<string, { version: number; key: string; bytes: Uint8Array<ArrayBuffer> }>();

  constructor(private readonly state: RunState) {}

  /** The encoded frame, or undefined when there is no such plot. */
  get(plot: string, request: FrameRequest): Uint8Array<ArrayBuffer> | undefined {
    const version = this.state.versionOf(plot);
    const key = JSON.stringify(request);
    const cached = this.frames.get(plot);
    if (cached && cached.version === version && cached.key === key) return cached.bytes;
    const frame = this.state.frame(plot, request);
    if (!frame) return undefined;
    const bytes = encodeFrame(frame);
    this.frames.set(plot, { version, key, bytes });
    return bytes;
  }
}
