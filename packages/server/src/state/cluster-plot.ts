import { OnlineClusterer, type ClusterSnapshot, type PointsInput } from '@streamvis/clusterer';
import type { ClusterOptions } from '@streamvis/format';
import type { Columns, PlotOptions } from '../protocol.js';
import { InvalidRecordError } from './invalid-record.js';
import type { DeferredDelta, FrameData, PlotState, RecordOfKind } from './plot-state.js';

/**
 * Server-side online clustering: every record's points (array `points`, [N, D]) are
 * pushed into one OnlineClusterer, configured by the plot's first record. The plot's data
 * is one row per visible cluster (id, count and the center's coordinates by column name),
 * so every delta replaces the whole table.
 */
export class ClusterPlot implements PlotState<'cluster'> {
  readonly kind = 'cluster';
  private clusterer: OnlineClusterer | undefined;
  private dataColumns: string[] = [];
  /** Non-empty clusters in id order, as of the last push. */
  private current: ClusterSnapshot = { centers: [], counts: [], ids: [], columns: [], noise: 0 };

  constructor(private readonly plot: string) {}

  apply(record: RecordOfKind<'cluster'>): DeferredDelta {
    const { points } = record.arrays;
    const [n, d] = points.shape;
    const configured = this.clusterer ? { clusterer: this.clusterer, columns: this.dataColumns } : configure(record.header.opts);
    if (d !== configured.columns.length) {
      throw new InvalidRecordError(`points of plot '${this.plot}' have ${d} coordinates, its columns are ${configured.columns.join(', ')}`);
    }
    try {
      // The record's time, so a cluster that went quiet keeps its id for minutes, however often records come.
      configured.clusterer.pushPredict({ data: points.data, shape: [n, d] }, undefined, record.header.time);
    } catch (error) {
      // The clusterer checks points before it changes anything (e.g. non-finite coordinates).
      throw new InvalidRecordError(`points of plot '${this.plot}': ${error instanceof Error ? error.message : String(error)}`);
    }
    this.clusterer = configured.clusterer;
    this.dataColumns = configured.columns;
    this.current = visible(configured.clusterer.clusters);
    return () => ({ plot: this.plot, op: 'replace', columns: this.columns() });
  }

  options(): PlotOptions {
    return { columns: [...this.dataColumns] };
  }

  columns(): Columns {
    const { centers, counts, ids } = this.current;
    // Keyed by the producer's column names: no prototype, so '__proto__' is a column like any other.
    const columns = Object.assign(Object.create(null) as Columns, { id: [...ids], count: [...counts] });
    this.dataColumns.forEach((name, j) => (columns[name] = centers.map((center) => center[j])));
    return columns;
  }

  /** The whole table (clusters are few), and the frame's noise count. */
  frame(): FrameData<'cluster'> {
    const { centers, counts, ids, noise } = this.current;
    const data = {
      id: Float64Array.from(ids),
      count: Float64Array.from(counts),
      centers: this.dataColumns.map((_, j) => Float64Array.from(centers, (center) => center[j])),
      noise,
    };
    return { data, rows: ids.length, shown: ids.length, reduced: false };
  }

  length(): number {
    return this.current.ids.length;
  }

  /** The visible clusters (centers [k][D], counts, stable ids, column names), in id order. */
  clusters(): ClusterSnapshot {
    return this.current;
  }

  /** Number of coordinates a point has: the number of data columns. */
  get dimension(): number {
    return this.dataColumns.length;
  }

  /**
   * Stable id of the cluster of each point, or -1 for a point no cluster explains (noise); changes nothing. Throws
   * RangeError/TypeError naming `points` when they are not finite [N, dimension] points.
   */
  predict(points: PointsInput): number[] {
    if (!this.clusterer) return [];
    return this.clusterer.predict(points);
  }
}

/** The clusterer a plot's first record asks for (the decoder has checked the options). */
function configure(opts: ClusterOptions): { clusterer: OnlineClusterer; columns: string[] } {
  const { columns, k, kMin, kMax, frameSize, seed, gate, maxAge, maxAgeMs, algorithm, space, bandwidth, minClusterSize } = opts;
  try {
    const clusterer = new OnlineClusterer({ k, kMin, kMax, frameSize, seed, columns, algorithm, space, bandwidth, minClusterSize, assembly: { gate, maxAge, maxAgeMs } });
    return { clusterer, columns: [...columns] };
  } catch (error) {
    throw new InvalidRecordError(`cluster options: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The snapshot without empty clusters (they are not drawn and get no row). */
function visible(snapshot: ClusterSnapshot): ClusterSnapshot {
  const keep = snapshot.counts.flatMap((count, c) => (count > 0 ? [c] : []));
  return {
    centers: keep.map((c) => snapshot.centers[c]),
    counts: keep.map((c) => snapshot.counts[c]),
    ids: keep.map((c) => snapshot.ids[c]),
    columns: snapshot.columns,
    noise: snapshot.noise,
  };
}
