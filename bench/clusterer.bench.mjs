// Online clustering: pushPredict and assignment throughput against ml-kmeans on the
// same frames, coalesce latency, and id stability on the simulated flow (OT + gate
// against the original 'trim' rule). Needs `npx tsc -b packages/clusterer examples/flowclust`.
import { kmeans } from 'ml-kmeans';
import { Assembly, OnlineClusterer, SeededRandom } from '../packages/clusterer/dist/index.js';
import { FlowSimulator, evaluateFlow } from '../examples/flowclust/dist/index.js';

const FRAME = 10_000;
const PUSH = 1_000;
const PUSHES = 30;

/** A stream of `pushes` batches of `PUSH` points from k slowly drifting Gaussian blobs in d dims. */
function blobStream(k, d, seed) {
  const rng = new SeededRandom(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.next() * 20 * k));
  return Array.from({ length: PUSHES }, (_, p) =>
    Array.from({ length: PUSH }, () => {
      const c = centers[rng.nextInt(k)];
      return c.map((x, j) => x + rng.normal() + 0.05 * p * (j % 2 ? 1 : -1));
    }),
  );
}

const rate = (points, ms) => points / (ms / 1000);
const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

/** Best of a few runs after a warm-up, in ms: both sides warm, and least disturbed by other load on the machine. */
function timed(run, repeats = 3) {
  run();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** pushPredict on the stream (after a first, seeding push) and ml-kmeans refitting the same frames from the previous centers. */
function pushThroughput(k, d) {
  const stream = blobStream(k, d, k * 100 + d);
  const points = PUSH * (PUSHES - 1);
  const ours = timed(() => {
    const clusterer = new OnlineClusterer({ k, frameSize: FRAME, seed: 1 });
    clusterer.pushPredict(stream[0]);
    for (const batch of stream.slice(1)) clusterer.pushPredict(batch);
  });
  const theirs = timed(() => {
    const frame = [...stream[0]];
    let centers = kmeans(frame, k, { seed: 1 }).centroids;
    for (const batch of stream.slice(1)) {
      frame.push(...batch);
      frame.splice(0, Math.max(0, frame.length - FRAME));
      centers = kmeans(frame, k, { initialization: centers, seed: 1 }).centroids;
    }
  });
  return { ours: rate(points, ours), theirs: rate(points, theirs) };
}

/** Labelling points with the clusters of a fit (predict: the classification step, noise included) against ml-kmeans' nearest-center lookup. */
function assignmentThroughput(k, d) {
  const rows = blobStream(k, d, 7).slice(0, 10).flat();
  const n = rows.length;
  const fit = kmeans(rows.slice(0, 2000), k, { seed: 1, maxIterations: 5 });
  const clusterer = new OnlineClusterer({ k, frameSize: 2000, seed: 1 });
  clusterer.pushPredict(rows.slice(0, 2000));
  const repeats = 10;
  const ours = rate(n * repeats, timed(() => {
    for (let r = 0; r < repeats; r++) clusterer.predict(rows);
  }));
  const theirs = rate(n * repeats, timed(() => {
    for (let r = 0; r < repeats; r++) fit.nearest(rows);
  }));
  return { ours, theirs };
}

/** Median time of coalescing k jittered, shuffled centers against k known ones. */
function coalesceMs(k, strategy) {
  const d = 3;
  const rng = new SeededRandom(k);
  const known = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.next() * 100));
  const times = [];
  const runs = k >= 1000 ? 5 : 50;
  for (let r = 0; r < runs; r++) {
    const a = new Assembly({ strategy });
    a.coalesce(known);
    const next = known.map((c) => c.map((x) => x + 0.01 * rng.normal()));
    for (let i = k - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [next[i], next[j]] = [next[j], next[i]];
    }
    const t = performance.now();
    a.coalesce(next);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  return times[times.length >> 1];
}

/** Mean milliseconds per pushPredict of `push` simulated points into a full frame, k chosen in 1..16 every push (or fixed). */
function pushLatencyMs(push, k = { kMin: 1, kMax: 16 }) {
  const sim = new FlowSimulator({ seed: 1 });
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  const clusterer = new OnlineClusterer({ ...k, frameSize: FRAME });
  clusterer.pushPredict(sim.pointsBetween(T0, T0 + 200_000).points);
  const spanMs = push * 20; // 50 points per simulated second
  const batches = Array.from({ length: 40 }, (_, i) => sim.pointsBetween(T0 + 200_000 + i * spanMs, T0 + 200_000 + (i + 1) * spanMs).points);
  for (const batch of batches.slice(0, 10)) clusterer.pushPredict(batch); // warm-up
  const t = performance.now();
  for (const batch of batches.slice(10)) clusterer.pushPredict(batch);
  return (performance.now() - t) / (batches.length - 10);
}

export default async function bench() {
  const rows = [];
  for (const [d, k] of [[3, 10], [16, 32]]) {
    const push = pushThroughput(k, d);
    rows.push([`pushPredict, d=${d}, k=${k} (frame ${FRAME}, pushes of ${PUSH})`, `${fmt(push.ours)} points/s`, `${fmt(push.theirs)} points/s (ml-kmeans refit)`, ratio(push.ours, push.theirs)]);
    const assign = assignmentThroughput(k, d);
    rows.push([`predict (labels of points), d=${d}, k=${k}`, `${fmt(assign.ours)} points/s`, `${fmt(assign.theirs)} points/s (ml-kmeans nearest)`, ratio(assign.ours, assign.theirs)]);
  }
  for (const push of [10, 1000]) {
    const fixed = pushLatencyMs(push, { k: 10 });
    const chosen = pushLatencyMs(push);
    rows.push([`pushPredict latency, pushes of ${push} simulated points into a full frame of ${FRAME}, k 1..16`, `${chosen.toFixed(2)} ms/push (mean of 30)`, `${fixed.toFixed(2)} ms/push (k fixed at 10)`, ratio(chosen, fixed)]);
  }
  for (const k of [10, 100, 1000]) {
    const ot = coalesceMs(k, 'ot');
    const trim = coalesceMs(k, 'trim');
    rows.push([`coalesce, k=${k} (median)`, `${ot.toFixed(3)} ms`, `${trim.toFixed(3)} ms ('trim')`, ratio(trim, ot)]);
  }
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  for (const seed of [1, 2, 3]) {
    const sim = new FlowSimulator({ seed });
    const r = evaluateFlow(sim, { startMs: T0, windowMs: 10_000, windows: 360, clusterer: { seed } });
    const mean = r.ari.reduce((a, b) => a + b, 0) / r.ari.length;
    rows.push([
      `id switches, simulated flow seed ${seed} (1 h, 10 s windows, k 1..16)`,
      `${r.switches} (ARI per window mean ${mean.toFixed(3)}, min ${Math.min(...r.ari).toFixed(3)})`,
      `${r.baselineSwitches} ('trim')`,
      r.switches === 0 ? `0 vs ${r.baselineSwitches}` : `1/${(r.baselineSwitches / r.switches).toFixed(1)}`,
    ]);
    rows.push([`pushPredict with k chosen by ICL-BIC, flow seed ${seed}`, `${fmt(rate(r.points, r.clusterMs))} points/s`, '', '']);
  }
  return {
    title: 'Online clustering (@streamvis/clusterer)',
    columns: ['measure', 'streamvis', 'baseline', 'ratio'],
    rows,
    notes: [
      'pushPredict: each push adds points to the frame, refits from the previous centers, assigns stable ids and labels the pushed points; the baseline refits the same frames with ml-kmeans from the same previous centers.',
      'Targets: coalesce k=100 under 1 ms; id switches ≤ 1/5 of the trim baseline. predict classifies each point by its clusters\' Gaussian densities and the noise density (a Euclidean bound spares most Mahalanobis distances); ml-kmeans only finds the nearest center.',
      'Id switches as in multi-object tracking: a true cluster whose max-overlap stable id changes between windows; both assemblies see the very same centers.',
    ],
  };
}
