export { FlowSimulator, type SimulatorOptions, type PointsBatch } from './simulator.js';
export { evaluateFlow, type FlowEvaluation, type FlowEvaluationOptions } from './evaluate.js';
