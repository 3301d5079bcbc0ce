export { OnlineClusterer, type OnlineClustererOptions, type PushResult, type ClusterSnapshot } from './online-clusterer.js';
export { Assembly, type AssemblyOptions, type AssemblyStrategy, type Coalesced } from './assembly.js';
export { adjustedRandIndex, IdSwitchCounter } from './metrics.js';
export { solveAssignment } from './hungarian.js';
export { sphericalBic } from './bic.js';
export { assignNearest } from './nearest.js';
export { SeededRandom, mixSeed } from './random.js';
export type { PointsInput } from './points.js';
