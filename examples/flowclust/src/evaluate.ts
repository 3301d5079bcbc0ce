import { Assembly, IdSwitchCounter, OnlineClusterer, adjustedRandIndex, type OnlineClustererOptions } from '@streamvis/clusterer';
import type { FlowSimulator, PointsBatch } from './simulator.js';
import { FLOW_FRAME_SIZE } from './client.js';
import { FlowScorer, type FlowScore } from './flow-score.js';

export interface FlowEvaluationOptions {
  startMs: number;
  windowMs: number;
  windows: number;
  clusterer?: OnlineClustererOptions;
}

export interface FlowEvaluation {
  /** Adjusted Rand index of each window's labels against the truth. */
  ari: number[];
  /** Identity switches of the clusterer's own (OT + gate) ids. */
  switches: number;
  /** Identity switches of the 'trim' baseline, given the very same centers each window. */
  baselineSwitches: number;
  /** Distinct stable ids handed out by the clusterer. */
  ids: number;
  /** Points pushed, and the time spent in pushPredict, for throughput. */
  points: number;
  clusterMs: number;
}

/**
 * Streams the simulator window by window into one OnlineClusterer and scores
 * it against the ground truth. The baseline assembly sees exactly the same
 * centers, so the two switch counts differ only by the id assignment.
 */
export function evaluateFlow(simulator: FlowSimulator, options: FlowEvaluationOptions): FlowEvaluation {
  const clusterer = new OnlineClusterer({ kMin: 1, kMax: 16, frameSize: FLOW_FRAME_SIZE, ...options.clusterer });
  const baseline = new Assembly({ strategy: 'trim' });
  const own = new IdSwitchCounter();
  const trimmed = new IdSwitchCounter();
  const ari: number[] = [];
  const seen = new Set<number>();
  let points = 0;
  let clusterMs = 0;
  for (let w = 0; w < options.windows; w++) {
    const start = options.startMs + w * options.windowMs;
    const batch = simulator.pointsBetween(start, start + options.windowMs);
    if (batch.points.length === 0) continue;
    const started = performance.now();
    const result = clusterer.pushPredict(batch.points, batch.columns);
    clusterMs += performance.now() - started;
    points += batch.points.length;
    const baselineIds = baseline.coalesce(result.centers, result.counts).ids;
    const toBaseline = new Map(result.ids.map((id, c) => [id, baselineIds[c]]));
    own.update(batch.truth, result.labels);
    trimmed.update(batch.truth, result.labels.map((id) => toBaseline.get(id)!));
    ari.push(adjustedRandIndex(batch.truth, result.labels));
    result.ids.forEach((id) => seen.add(id));
  }
  return { ari, switches: own.total, baselineSwitches: trimmed.total, ids: seen.size, points, clusterMs };
}

/** A clustering under test: takes a window's points, returns each point's label (-1: noise). The batch's truth is there for baselines given the true k. */
export type WindowClusterer = (points: number[][], batch: PointsBatch) => ArrayLike<number>;

export interface FlowScoreRun extends FlowScore {
  /** Points pushed and the time spent in the clusterer, for throughput. */
  points: number;
  clusterMs: number;
}

/**
 * Streams the simulator window by window into `cluster` and scores its labels
 * against the truth (k, noise, elongated splits, births, returns, ARI, id switches).
 */
export function scoreFlow(simulator: FlowSimulator, options: Omit<FlowEvaluationOptions, 'clusterer'>, cluster: WindowClusterer): FlowScoreRun {
  const scorer = new FlowScorer();
  let points = 0;
  let clusterMs = 0;
  for (let w = 0; w < options.windows; w++) {
    const start = options.startMs + w * options.windowMs;
    const batch = simulator.pointsBetween(start, start + options.windowMs);
    if (batch.points.length === 0) continue;
    const started = performance.now();
    const labels = cluster(batch.points, batch);
    clusterMs += performance.now() - started;
    points += batch.points.length;
    scorer.update(batch.truth, labels, (c) => simulator.isElongated(c));
  }
  return { ...scorer.result(), points, clusterMs };
}
