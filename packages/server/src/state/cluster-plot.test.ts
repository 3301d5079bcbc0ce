import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@streamvis/clusterer';
import { encodeRecord, readFrame, type LogRecord, type RecordFields } from '@streamvis/format';
import type { PlotDelta } from '../protocol.js';
import { ClusterPlot } from './cluster-plot.js';
import { RunState, type ApplyOutcome } from './run-state.js';

// Records go through the real codec, exactly as the server receives them.
let seq = 0;
function clusterFrame(plot: string, rows: number[][], opts: Record<string, unknown>, time = 0): ReturnType<typeof readFrame> {
  const shape = [rows.length, rows[0]?.length ?? 0];
  const frame = encodeRecord({ run: 'run', logger: 'L', seq: seq++, time, kind: 'cluster', plot, opts } as unknown as RecordFields, [
    { name: 'points', shape, data: Float64Array.from(rows.flat()) },
  ]);
  return readFrame(frame, 0);
}

function clusterRecord(plot: string, rows: number[][], opts: Record<string, unknown>, time = 0): LogRecord {
  const result = clusterFrame(plot, rows, opts, time);
  if (result.status !== 'record') throw new Error('test record did not decode');
  return result.record;
}

function deltaOf(outcome: ApplyOutcome): PlotDelta {
  if (outcome.type !== 'delta') throw new Error(`expected a delta, got ${outcome.type}`);
  return outcome.delta();
}

/** `perBlob` points around each center, spread `sigma`. */
function blobs(centers: number[][], perBlob: number, sigma: number, rng: SeededRandom): number[][] {
  return centers.flatMap((center) => Array.from({ length: perBlob }, () => center.map((v) => v + sigma * (rng.next() * 2 - 1))));
}

/** Stable id of the row whose center is nearest `point`. */
function idNearest(plot: ClusterPlot, point: number[]): number {
  const { centers, ids } = plot.clusters();
  const dist = (c: number[]) => c.reduce((sum, v, j) => sum + (v - point[j]) ** 2, 0);
  let best = 0;
  centers.forEach((center, c) => (dist(center) < dist(centers[best]) ? (best = c) : undefined));
  return ids[best];
}

const OPTS = { columns: ['lorem', 'ipsum'], k: 3, frameSize: 300, seed: 7 };

describe('ClusterPlot', () => {
  it('keeps each drifting blob on the same stable id, with the right counts, one row per cluster', () => {
    const state = new RunState('run');
    const rng = new SeededRandom(3);
    const start = [[0, 0], [10, 0], [0, 10]];
    expect(state.apply(clusterRecord('flow', blobs(start, 100, 1, rng), OPTS)).type).toBe('snapshot');
    const plot = state.plot('flow') as ClusterPlot;
    const firstIds = start.map((center) => idNearest(plot, center));
    expect(new Set(firstIds).size).toBe(3);

    for (let step = 1; step <= 10; step++) {
      const moved = start.map(([x, y]) => [x + 0.4 * step, y + 0.3 * step]);
      const delta = deltaOf(state.apply(clusterRecord('flow', blobs(moved, 100, 1, rng), OPTS)));
      expect(delta.op).toBe('replace');
      expect(Object.keys(delta.columns)).toEqual(['id', 'count', 'lorem', 'ipsum']);
      expect(moved.map((center) => idNearest(plot, center))).toEqual(firstIds);
      // The frame holds the newest 300 points: this push's 100 per blob.
      expect(delta.columns.count).toEqual([100, 100, 100]);
      const row = (delta.columns.id as number[]).indexOf(firstIds[1]);
      expect(delta.columns.lorem[row]).toBeCloseTo(moved[1][0], 0);
      expect(delta.columns.ipsum[row]).toBeCloseTo(moved[1][1], 0);
    }
    expect(state.plotSnapshot('flow')).toMatchObject({ kind: 'cluster', opts: { columns: ['lorem', 'ipsum'] }, length: 3 });
  });

  it("remembers a vanished cluster for the record option maxAgeMs of the records' time, beyond maxAge pushes", () => {
    const idOfReturned = (maxAgeMs: number | undefined) => {
      const state = new RunState('run');
      const rng = new SeededRandom(5);
      const opts = { columns: ['lorem', 'ipsum'], kMin: 1, kMax: 4, frameSize: 300, seed: 7, maxAge: 1, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) };
      const all = [[0, 0], [20, 0], [0, 20]];
      let time = 0;
      const push = (centers: number[][]) => state.apply(clusterRecord('flow', blobs(centers, 100, 1, rng), opts, (time += 1000)));
      for (let i = 0; i < 4; i++) push(all);
      const plot = state.plot('flow') as ClusterPlot;
      const before = idNearest(plot, all[2]);
      // Away for 5 pushes (past maxAge), 5 s of record time.
      for (let i = 0; i < 5; i++) push(all.slice(0, 2));
      for (let i = 0; i < 4; i++) push(all);
      return { before, after: idNearest(plot, all[2]) };
    };
    const remembered = idOfReturned(undefined); // default: 10 minutes
    expect(remembered.after).toBe(remembered.before);
    const forgotten = idOfReturned(2000);
    expect(forgotten.after).not.toBe(forgotten.before);
  });

  it('counts points of the wrong dimension, non-finite points and bad options as invalid, leaving the clusters unchanged', () => {
    const state = new RunState('run');
    const rng = new SeededRandom(5);
    state.apply(clusterRecord('flow', blobs([[0, 0], [10, 10]], 50, 1, rng), { ...OPTS, k: 2 }));
    const before = state.plotSnapshot('flow');

    // The plot's columns come from its first record: a later record of 3 columns does not fit it.
    const threeD = state.apply(clusterRecord('flow', [[1, 2, 3]], { columns: ['a', 'b', 'c'] }));
    expect(threeD).toMatchObject({ type: 'invalid', reason: expect.stringMatching(/3 coordinates.*lorem, ipsum/) });
    expect(state.apply(clusterRecord('flow', [[1, NaN]], OPTS))).toMatchObject({ type: 'invalid', reason: expect.stringMatching(/not finite/) });
    expect(state.counts).toMatchObject({ records: 1, invalid: 2 });
    expect(state.plotSnapshot('flow')).toEqual(before);

    // A plot whose first record is bad does not exist afterwards.
    expect(state.apply(clusterRecord('bad', [[1, NaN]], OPTS)).type).toBe('invalid');
    expect(state.plot('bad')).toBeUndefined();
    expect(state.counts.invalid).toBe(3);
    // Bad options and arrays never reach the state: the decoder checks them with the logger's own schema.
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b', 'c'] })).toMatchObject({ status: 'corrupt', reason: "cluster array 'points': expected 3 coordinates per point (one per column of opts.columns), got 2" });
    expect(clusterFrame('bad', [[1, 2]], { columns: ['id', 'b'] })).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/cluster opts.columns: 'id' is reserved/) });
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b'], kMin: 3, kMax: 2 })).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/cluster opts.kMax: expected an integer >= 3/) });
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b'], frameSize: 1e12 })).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/cluster opts.frameSize: at most 1000000/) });
  });

  it('predicts the stable ids of the nearest clusters without changing them', () => {
    const state = new RunState('run');
    const rng = new SeededRandom(9);
    state.apply(clusterRecord('flow', blobs([[0, 0], [10, 10]], 50, 1, rng), { ...OPTS, k: 2 }));
    const plot = state.plot('flow') as ClusterPlot;
    const before = plot.columns();
    const labels = plot.predict([[0.2, -0.1], [9.8, 10.3], [0, 0]]);
    expect(labels).toEqual([idNearest(plot, [0, 0]), idNearest(plot, [10, 10]), idNearest(plot, [0, 0])]);
    expect(labels[0]).not.toBe(labels[1]);
    expect(plot.columns()).toEqual(before);
  });
});

describe('ClusterPlot with mean shift', () => {
  it("finds the blobs without a k when a record asks for algorithm: 'meanshift', and names a k given to it", () => {
    const rng = new SeededRandom(7);
    const centers = [[0, 0], [20, 0], [0, 20]];
    const state = new RunState('run');
    state.apply(clusterRecord('ms', blobs(centers, 120, 1, rng), { columns: ['a', 'b'], algorithm: 'meanshift', seed: 1 }));
    const plot = state.plot('ms') as ClusterPlot;
    expect(plot.clusters().ids).toHaveLength(3);
    const near = centers.map((center) => idNearest(plot, center));
    expect(new Set(near).size).toBe(3);
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b'], algorithm: 'meanshift', k: 3 })).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/^cluster opts\.k: not an option of meanshift/) });
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b'], bandwidth: 2 })).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/^cluster opts\.bandwidth: not an option of kmeans/) });
    expect(clusterFrame('bad', [[1, 2]], { columns: ['a', 'b'], space: 'manhattan' })).toMatchObject({ status: 'corrupt', reason: "cluster opts.space: expected 'euclidean' or 'cosine', got \"manhattan\"" });
  });
});
