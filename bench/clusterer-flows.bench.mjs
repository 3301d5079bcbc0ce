// Online clustering on flows with births, deaths, returns, 4:1 elongated clusters and (half of
// them) 5 % uniform noise, in 2, 3 and 8 dims: k, noise, shape, births, ids and throughput of
// today's clusterer beside the one before issue 13 (built from its commit) and ml-kmeans given
// the true k, in the same run. Needs `npx tsc -b packages/clusterer examples/flowclust`.
import { kmeans } from 'ml-kmeans';
import { Assembly, OnlineClusterer } from '../packages/clusterer/dist/index.js';
import { FlowSimulator, scoreFlow } from '../examples/flowclust/dist/index.js';
import { BASELINE_COMMIT, importBaselineClusterer } from './baseline-clusterer.mjs';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const WINDOWS = 300;
const WINDOW_MS = 10_000; // 500 points a window
const FRAME = 2000;
/** Runs of each online clusterer per flow; its time is the fastest. */
const TIMED_RUNS = 5;
const FLOWS = [2, 3, 8].flatMap((d) => [0, 0.05].map((noise) => ({ d, noise })));

/** Flows whose clusters are off for 14-38 windows at a time, for returns after long gaps. */
const LONG_GAP_FLOWS = [2, 3, 8].map((d) => ({ d, noise: 0.05, cycleMinutes: [12, 16] }));

function flowOf({ d, noise, cycleMinutes }) {
  return new FlowSimulator({ seed: d, columns: Array.from({ length: d }, (_, j) => `x${j}`), clusters: 10, alwaysOn: 4, elongation: 4, noise, cycleMinutes });
}

/** An OnlineClusterer (today's or the baseline's, which takes no time) as scoreFlow drives it, each push at its window's last point's time. */
function online(lib) {
  const clusterer = new lib.OnlineClusterer({ kMin: 1, kMax: 16, frameSize: FRAME, seed: 1 });
  return (points, { ts }) => clusterer.pushPredict(points, undefined, ts.at(-1)).labels;
}

/**
 * ml-kmeans refitted to the frame at every window with the true k (true clusters holding ≥ 1 %
 * of the frame), warm from the last centroids while k holds; stable ids by the same Assembly,
 * each point labelled with its nearest centroid's id. It has no noise label.
 */
function mlKMeansGivenTrueK() {
  const frame = [];
  const frameTruth = [];
  const assembly = new Assembly();
  let centroids;
  let window = 0;
  return (points, { truth }) => {
    window++;
    frame.push(...points);
    frameTruth.push(...truth);
    frame.splice(0, Math.max(0, frame.length - FRAME));
    frameTruth.splice(0, Math.max(0, frameTruth.length - FRAME));
    const counts = new Map();
    for (const t of frameTruth) if (t >= 0) counts.set(t, (counts.get(t) ?? 0) + 1);
    const k = Math.max(1, [...counts.values()].filter((m) => m >= 0.01 * frame.length).length);
    const initialization = centroids?.length === k ? centroids : 'kmeans++';
    const fit = kmeans(frame, k, { initialization, seed: window });
    centroids = fit.centroids;
    const { ids } = assembly.coalesce(centroids);
    return fit.nearest(points).map((c) => ids[c]);
  };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const f2 = (x) => x.toFixed(2);
const pct = (x) => `${(100 * x).toFixed(1)} %`;

export default async function bench() {
  const baseline = await importBaselineClusterer();
  const options = { startMs: T0, windowMs: WINDOW_MS, windows: WINDOWS };
  const runs = { ours: [], baseline: [], mlkmeans: [] };
  for (const flow of FLOWS) {
    // The online clusterers are deterministic: their runs score the same. They take turns, so a burst of other load
    // on the machine falls on both, and the fastest run of each is the least disturbed.
    const scored = { ours: [], baseline: [] };
    for (let run = 0; run < TIMED_RUNS; run++) {
      scored.ours.push(scoreFlow(flowOf(flow), options, online({ OnlineClusterer })));
      scored.baseline.push(scoreFlow(flowOf(flow), options, online(baseline)));
    }
    const fastest = (rs) => ({ ...rs[0], clusterMs: Math.min(...rs.map((r) => r.clusterMs)) });
    runs.ours.push({ flow, ...fastest(scored.ours) });
    runs.baseline.push({ flow, ...fastest(scored.baseline) });
    runs.mlkmeans.push({ flow, ...scoreFlow(flowOf(flow), options, mlKMeansGivenTrueK()) });
  }
  const longRuns = { ours: [], baseline: [], mlkmeans: [] };
  for (const flow of LONG_GAP_FLOWS) {
    longRuns.ours.push(scoreFlow(flowOf(flow), options, online({ OnlineClusterer })));
    longRuns.baseline.push(scoreFlow(flowOf(flow), options, online(baseline)));
    longRuns.mlkmeans.push(scoreFlow(flowOf(flow), options, mlKMeansGivenTrueK()));
  }
  const sum = (rs, pick) => rs.reduce((s, r) => s + pick(r), 0);
  const longReturns = Object.fromEntries(Object.entries(longRuns).map(([name, rs]) => [name, [sum(rs, (r) => r.longReturnsWithOldId) / Math.max(1, sum(rs, (r) => r.longReturns)), sum(rs, (r) => r.longReturns)]]));
  const over = (pick, filter = () => true) => Object.fromEntries(Object.entries(runs).map(([name, rs]) => [name, pick(rs.filter((r) => filter(r.flow)))]));
  const row = (measure, values, format, target = '') => [measure, format(values.ours), format(values.baseline), format(values.mlkmeans), target];
  const delays = (rs) => rs.flatMap((r) => r.birthDelays);
  /** Points per second of clusterer time over the flows `filter` keeps; today's beside its ratio to the clusterer before issue 13. */
  const throughputRow = (measure, filter, target = '') => {
    const rates = over((rs) => rs.reduce((s, r) => s + r.points, 0) / (rs.reduce((s, r) => s + r.clusterMs, 0) / 1000), filter);
    const k = (x) => `${(x / 1000).toFixed(0)} k`;
    return [measure, `${k(rates.ours)} (${(rates.ours / rates.baseline).toFixed(2)}×)`, k(rates.baseline), k(rates.mlkmeans), target];
  };
  const splitRate = (rs) => rs.reduce((s, r) => s + r.elongatedSplit * r.elongatedChecks, 0) / Math.max(1, rs.reduce((s, r) => s + r.elongatedChecks, 0));
  const rows = [
    row('\\|k error\\| per window (clusters ≥ 1 % of the window), mean', over((rs) => mean(rs.map((r) => r.kError))), f2, '≤ 0.3'),
    row('k found − true k per window, mean', over((rs) => mean(rs.map((r) => r.kBias))), (x) => (x >= 0 ? '+' : '') + f2(x)),
    row('noise-majority clusters per window (flows with noise)', over((rs) => mean(rs.map((r) => r.noiseMajority)), (f) => f.noise > 0), f2),
    row('k changes per 300 windows between two windows of the same true k (raw)', over((rs) => mean(rs.map((r) => r.kChanges))), (x) => x.toFixed(1)),
    row('… of them with the true k the same over the 3 windows before too: while the true k is constant', over((rs) => mean(rs.map((r) => r.kChangesSettled))), (x) => x.toFixed(1), '≤ 15'),
    row('… of them with the very same true clusters over those windows: while the truth is constant', over((rs) => mean(rs.map((r) => r.kChangesTruthStable))), (x) => x.toFixed(1)),
    row('elongated (4:1) clusters split, without noise', over(splitRate, (f) => f.noise === 0), pct, '≤ 10 %'),
    row('elongated (4:1) clusters split, with 5 % noise', over(splitRate, (f) => f.noise > 0), pct, '≤ 10 %'),
    row('birth delay: windows until a new cluster has its own label, mean', over((rs) => mean(delays(rs))), f2),
    row('births labelled within 3 windows', over((rs) => mean(delays(rs).map((x) => (x <= 3 ? 1 : 0)))), pct),
    row('returns after ≥ 5 windows away with their old id', over((rs) => rs.reduce((s, r) => s + r.returnsWithOldId, 0) / Math.max(1, rs.reduce((s, r) => s + r.returns, 0))), pct),
    row('returns after > 20 windows away with their old id (flows of 12-16 min cycles; returns)', longReturns, ([share, n]) => `${pct(share)} (${n})`),
    row('noise points labelled -1 / points labelled -1 that are noise (flows with noise)', over((rs) => [mean(rs.map((r) => r.noiseRecall)), mean(rs.map((r) => r.noisePrecision))], (f) => f.noise > 0), ([a, b]) => `${pct(a)} / ${pct(b)}`),
    row('ARI per window, mean', over((rs) => mean(rs.map((r) => r.ari))), (x) => x.toFixed(3), 'no worse'),
    row('id switches per flow, mean', over((rs) => mean(rs.map((r) => r.idSwitches))), (x) => x.toFixed(1), 'no worse'),
    throughputRow('points/s (time in the clusterer)', () => true),
  ];
  for (const d of [2, 3, 8]) rows.push(throughputRow(`d = ${d}: points/s (flows with and without noise)`, (f) => f.d === d, '≥ 1.0× before'));
  for (const d of [2, 3, 8]) {
    rows.push(row(`d = ${d}: ARI / id switches / \\|k error\\| (mean of the flows with and without noise)`, over((rs) => rs, (f) => f.d === d), (rs) => `${mean(rs.map((r) => r.ari)).toFixed(3)} / ${mean(rs.map((r) => r.idSwitches)).toFixed(0)} / ${f2(mean(rs.map((r) => r.kError)))}`));
  }
  return {
    title: 'Online clustering on flows: k, noise, shape, births (@streamvis/clusterer)',
    columns: ['measure', 'streamvis', `before issue 13 (${BASELINE_COMMIT})`, 'ml-kmeans, true k', 'target'],
    rows,
    notes: [
      `Flows: FlowSimulator with 10 clusters (4 always on, the others on their own on/off cycles), every second one 4:1 elongated in a random direction, drifting; d = 2, 3, 8, each without and with 5 % uniform noise; ${WINDOWS} windows of 10 s (about 500 points), frame ${FRAME}, k in 1..16 for both online clusterers. Rows are means over the 6 flows.`,
      'k error counts the clusters holding ≥ 1 % of a window (truth and found, noise not a cluster). A k change is counted between consecutive windows whose true k is the same (raw); the flows change their true clusters about every 3 windows, and a birth is labelled 1-2 windows after it appears (evidence over two pushes), so most raw changes are a birth catching up. The second row keeps the changes whose true k was also the same over the 3 windows before (the issue\'s "while the true k is constant": not the response to a birth, which may take up to 3 pushes); the third those with the very same true clusters over those windows, where a birth is not hidden from the true k by a death in the same window.',
      'Long returns: the same flows with 5 % noise but on/off cycles of 12-16 min (off 14-38 windows at a time); pushes carry the time of their window\'s last point, and a vanished cluster keeps its id for 10 min of it (before: 20 pushes).',
      'Split: a second found cluster holds ≥ 10 % of an elongated cluster\'s points in a window. Birth: a true cluster of ≥ 1 % of a window after a window without; its own label is a found id holding most of its points and mostly its points. Id switches as in multi-object tracking; noise is no identity.',
      `points/s: time in the clusterer, the fastest of ${TIMED_RUNS} runs of each online clusterer per flow, the two taking turns (one run for ml-kmeans); the ratio is to the clusterer before issue 13.`,
      'ml-kmeans is given the true k of the frame at every window and refitted to the frame (warm from the last centroids while k holds), ids by the same Assembly; it labels no noise.',
    ],
  };
}
