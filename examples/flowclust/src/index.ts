export { FlowSimulator, type SimulatorOptions, type PointsBatch } from './simulator.js';
export { evaluateFlow, type FlowEvaluation, type FlowEvaluationOptions } from './evaluate.js';
export { createPointsApp, startPointsServer, type RunningPointsServer } from './server.js';
export { streamClusters, type ClusterStreamOptions } from './client.js';
