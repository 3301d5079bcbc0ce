// `streamvis-server cluster --algorithm meanshift` on CSV files of 10k, 100k and 1M 2-D points
// (six blobs of unequal size and spread), end to end through the built CLI, beside scikit-learn's
// MeanShift(bin_seeding=True) with estimate_bandwidth on the same points in the same run, where
// python3 with scikit-learn is installed (Debian: apt-get install python3-sklearn).
// Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom, adjustedRandIndex } from '../packages/clusterer/dist/index.js';

const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const SIZES = [10_000, 100_000, 1_000_000];
const SHARES = [0.3, 0.2, 0.15, 0.15, 0.1, 0.1];
const SPREADS = [1, 0.5, 2, 1, 0.7, 1.5];
/** scikit-learn runs longer than this are stopped and reported as such. */
const SKLEARN_TIMEOUT_S = 300;
/** estimate_bandwidth's n_samples: on all of 100k points it asks 30k neighbours of each, minutes and gigabytes. */
const SKLEARN_BANDWIDTH_SAMPLES = 10_000;

/** Six Gaussian blobs of unequal size and spread, centers at least 6 (σa + σb) apart; rows shuffled. */
function blobs(n, seed) {
  const rng = new SeededRandom(seed);
  const side = 12 * Math.max(...SPREADS) * Math.sqrt(3 * SHARES.length);
  const centers = [];
  while (centers.length < SHARES.length) {
    const c = [(rng.next() - 0.5) * side, (rng.next() - 0.5) * side];
    const i = centers.length;
    if (centers.every((o, j) => Math.hypot(o[0] - c[0], o[1] - c[1]) >= 6 * (SPREADS[i] + SPREADS[j]))) centers.push(c);
  }
  const truth = new Int32Array(n);
  let filled = 0;
  SHARES.forEach((share, c) => {
    const end = c === SHARES.length - 1 ? n : filled + Math.round(share * n);
    truth.fill(c, filled, end);
    filled = end;
  });
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [truth[i], truth[j]] = [truth[j], truth[i]];
  }
  const lines = ['x,y'];
  for (let i = 0; i < n; i++) {
    const c = truth[i];
    lines.push(`${(centers[c][0] + rng.normal() * SPREADS[c]).toFixed(5)},${(centers[c][1] + rng.normal() * SPREADS[c]).toFixed(5)}`);
  }
  return { text: `${lines.join('\n')}\n`, truth };
}

function findSklearn() {
  for (const python of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    const probe = spawnSync(python, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return undefined;
}

// argv: CSV, n_samples for estimate_bandwidth, labels out, and a bandwidth to use instead of estimating one.
const SKLEARN_SCRIPT = `
import sys, time, json, numpy as np
from sklearn.cluster import MeanShift, estimate_bandwidth
X = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
t = time.perf_counter()
h = float(sys.argv[4]) if len(sys.argv) > 4 else estimate_bandwidth(X, n_samples=min(len(X), int(sys.argv[2])), random_state=0)
t_h = time.perf_counter() - t
ms = MeanShift(bandwidth=h, bin_seeding=True, n_jobs=1).fit(X)
t_all = time.perf_counter() - t
np.savetxt(sys.argv[3], ms.labels_, fmt='%d')
print(json.dumps({"bandwidth": float(h), "k": int(len(ms.cluster_centers_)), "seconds": t_all, "bandwidth_seconds": t_h}))
`;

/** One scikit-learn run on the CSV: with its own estimate_bandwidth, or at `bandwidth`. */
async function runSklearn(sklearn, dir, input, n, truth, bandwidth) {
  const script = join(dir, 'sklearn_meanshift.py');
  await writeFile(script, SKLEARN_SCRIPT);
  const labelsPath = join(dir, `sklearn-${n}.txt`);
  const args = [script, input, String(SKLEARN_BANDWIDTH_SAMPLES), labelsPath, ...(bandwidth ? [bandwidth] : [])];
  const py = spawnSync(sklearn.python, args, { encoding: 'utf8', timeout: SKLEARN_TIMEOUT_S * 1000 });
  if (py.status !== 0) return { text: py.error?.code === 'ETIMEDOUT' ? `not finished in ${SKLEARN_TIMEOUT_S} s` : `failed: ${py.stderr.trim().split('\n').at(-1)}` };
  const result = JSON.parse(py.stdout);
  const labels = Int32Array.from((await readFile(labelsPath, 'utf8')).trimEnd().split('\n'), Number);
  const ari = adjustedRandIndex(truth, labels);
  return {
    seconds: result.seconds,
    text: `${fmt(n / result.seconds)} rows/s (${result.seconds.toFixed(2)} s), k=${result.k}, ARI ${ari.toFixed(3)}${bandwidth ? '' : `, bandwidth ${result.bandwidth.toPrecision(4)}`}`,
  };
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const labelsOf = (csv) => Int32Array.from(csv.trimEnd().split('\n').slice(1), (line) => Number(line.slice(line.lastIndexOf(',') + 1)));

export default async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'svbench-meanshift-'));
  const sklearn = findSklearn();
  const rows = [];
  const ours = [];
  const notes = [];
  try {
    for (const n of SIZES) {
      const { text, truth } = blobs(n, 17);
      const input = join(dir, `points-${n}.csv`);
      const out = join(dir, `labels-${n}.csv`);
      await writeFile(input, text);
      const started = performance.now();
      const run = spawnSync(process.execPath, [cli, 'cluster', input, '--algorithm', 'meanshift', '--out', out], { encoding: 'utf8' });
      const seconds = (performance.now() - started) / 1000;
      if (run.status !== 0) throw new Error(`cluster failed: ${run.stderr}`);
      const clustering = Number(run.stderr.match(/ in ([\d.]+) s:/)?.[1]);
      const k = Number(run.stderr.match(/: (\d+) clusters/)?.[1]);
      const bandwidth = run.stderr.match(/bandwidth ([\d.e+-]+)/)?.[1];
      const ari = adjustedRandIndex(truth, labelsOf(await readFile(out, 'utf8')));
      ours.push({ n, seconds });
      const theirs = sklearn ? await runSklearn(sklearn, dir, input, n, truth) : 'not installed';
      const same = sklearn ? await runSklearn(sklearn, dir, input, n, truth, bandwidth) : 'not installed';
      const ratio = sklearn && theirs.seconds ? `${(theirs.seconds / clustering).toFixed(1)}× (clustering)` : '';
      rows.push([
        `${n.toLocaleString('en-US')} points`,
        `${fmt(n / seconds)} rows/s end to end (${seconds.toFixed(2)} s; clustering ${clustering.toFixed(2)} s, ${fmt(n / clustering)} rows/s), k=${k}, ARI ${ari.toFixed(3)}, bandwidth ${bandwidth}`,
        theirs.text ?? theirs,
        ratio,
        same.text ?? same,
      ]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const growth = ours.slice(1).map((r, i) => `${(r.seconds / ours[i].seconds).toFixed(1)}× the time for 10× the rows (${ours[i].n.toLocaleString('en-US')} → ${r.n.toLocaleString('en-US')})`);
  rows.push(['time growth, streamvis end to end', growth.join('; '), '', '', '']);
  notes.push(
    'Six 2-D Gaussian blobs, 30/20/15/15/10/10 % of the rows, σ from 0.5 to 2, centers at least 6 (σa + σb) apart; true k = 6. ARI against the true blob of every row.',
    'streamvis: the built CLI with no bandwidth given (it is estimated), from CSV file to labels file: start-up, csv-parse, mean shift, writing. "clustering" is the mean shift alone (bandwidth estimate, k-d tree, seeds, modes, labels), as the CLI reports it.',
    sklearn
      ? `scikit-learn ${sklearn.version} (${sklearn.python}), one core: estimate_bandwidth(X, quantile=0.3, n_samples=${SKLEARN_BANDWIDTH_SAMPLES.toLocaleString('en-US')}) then MeanShift(bandwidth, bin_seeding=True).fit(X), timed without loading the CSV; the ratio is its time over streamvis's clustering time. The last column runs scikit-learn's MeanShift at the bandwidth streamvis estimated: the two implementations at equal work.`
      : 'scikit-learn: not measured, no python3 with sklearn here (Debian: apt-get install python3-sklearn).',
  );
  return { title: 'Mean shift: streamvis-server cluster vs scikit-learn MeanShift', columns: ['input', 'streamvis (meanshift, bandwidth estimated)', 'scikit-learn MeanShift(bin_seeding=True) + estimate_bandwidth', 'speed-up', "scikit-learn at streamvis's bandwidth"], rows, notes };
}
