import { ColorSpec, GridSpec, ndarray, type DataLogger } from '@streamvis/logger';

// The original streamvis test app's four plots, as a function of the step number:
// the same step always logs the same data, so runs are reproducible and testable.

export const DEMO_LAYOUT: Record<string, [number, number, number, number]> = {
  top_left: [0, 0, 1, 1],
  top_right: [0, 1, 1, 1],
  bottom_left: [1, 0, 1, 1],
  bottom_right: [1, 1, 1, 1],
};

/** Layers of the top-right / bottom-left scatters, and points per layer. */
export const LAYERS = 10;
export const LAYER_POINTS = 50;
/** Points the bottom-right scatter adds per step. */
export const WALK_POINTS = 20;

export function startDemo(logger: DataLogger): void {
  logger.setLayout(DEMO_LAYOUT);
}

/** Logs one step: four records, one per plot. */
export function logDemoStep(logger: DataLogger, step: number): void {
  // Three sines in tandem, a third of a period apart.
  const phase = step / 10;
  logger.tandemLines('top_left', step, [0, 1, 2].map((k) => Math.sin(phase + (2 * Math.PI * k) / 3)), { palette: 'Category10_10' });

  // [LAYERS, LAYER_POINTS, 2]: a Gaussian cloud per layer, each stretched and turning at its own angle.
  const layers = layerClouds(step);
  logger.scatter('top_right', layers, { spatialDim: 2, append: false, grid: new GridSpec(0, 5, 1.2) });
  logger.scatter('bottom_left', layers, { spatialDim: 2, append: false, color: new ColorSpec('Viridis256', 0) });

  // [WALK_POINTS, 3]: points on a slowly opening spiral, the third entry their colour value in [0, 1].
  logger.scatter('bottom_right', spiral(step), { spatialDim: 1, append: true, rollover: 2000, color: new ColorSpec('Turbo256') });
}

function layerClouds(step: number) {
  const random = gaussian(step);
  const data = new Float32Array(LAYERS * LAYER_POINTS * 2);
  for (let layer = 0; layer < LAYERS; layer++) {
    const angle = step * 0.05 + layer * 0.3;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    for (let p = 0; p < LAYER_POINTS; p++) {
      const [u, v] = [random() * (1 + layer * 0.2), random() * 0.3];
      const at = (layer * LAYER_POINTS + p) * 2;
      data[at] = u * cos - v * sin;
      data[at + 1] = u * sin + v * cos;
    }
  }
  return ndarray(data, [LAYERS, LAYER_POINTS, 2]);
}

function spiral(step: number): number[][] {
  const random = gaussian(step + 1e6);
  return Array.from({ length: WALK_POINTS }, (_, i) => {
    const t = (step * WALK_POINTS + i) / 50;
    const r = 1 + t * 0.05;
    return [r * Math.cos(t) + random() * 0.1, r * Math.sin(t) + random() * 0.1, (t % 10) / 10];
  });
}

/** Standard normal draws from a generator seeded by `seed` (mulberry32 + Box-Muller). */
function gaussian(seed: number): () => number {
  let state = (seed * 0x9e3779b1) >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}
