import type { RunState } from '../state/run-state.js';
import { VersionCache } from '../live/version-cache.js';
import { jsonChunks } from './json-chunks.js';

/**
 * The JSON of each plot's newest snapshot (GET .../plots/:plot), encoded once per plot
 * version and shared by every reader: fifty scripts reading a million-row plot cost one
 * encoding, not fifty. Encoding runs in turns (see jsonChunks), so other requests are
 * answered meanwhile; readers that come during it wait on the same encoding.
 */
export class PlotJsonCache {
  private readonly encoded = new VersionCache<Promise<Buffer[]>>();

  constructor(private readonly state: RunState) {}

  /** The encoded snapshot, or undefined when there is no such plot. */
  get(plot: string): Promise<Buffer[]> | undefined {
    return this.encoded.get(plot, this.state.versionOf(plot), '', () => {
      // Taken now, in one piece: records applied while it is encoded do not tear it.
      const snapshot = this.state.plotSnapshot(plot);
      return snapshot && jsonChunks(snapshot);
    });
  }
}
