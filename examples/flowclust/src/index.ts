export { FlowSimulator, type SimulatorOptions, type PointsBatch } from './simulator.js';
export { evaluateFlow, scoreFlow, type FlowEvaluation, type FlowEvaluationOptions, type FlowScoreRun, type WindowClusterer } from './evaluate.js';
export { FlowScorer, type FlowScore } from './flow-score.js';
export { createPointsApp, startPointsServer, type RunningPointsServer } from './server.js';
export { streamClusters, type ClusterStreamOptions } from './client.js';
