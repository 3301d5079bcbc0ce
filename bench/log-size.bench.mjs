// What a training loop's scalars cost: a DataLogger logs 1M steps of 3 float64 scalars
// (tandemLines) to a log file. Log bytes per step in format version 2 (as written) beside
// the same records in version 1 and the raw values; the producer's memory beside a bare
// node process doing the same loop without a logger, each in its own process.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, FrameReader } from '../packages/format/dist/index.js';
import { PEAK_RSS_MIB, PEAK_RSS_MIB_PY } from './peak-rss.mjs';

const STEPS = 1_000_000;
const loggerDist = new URL('../packages/logger/dist/index.js', import.meta.url).href;

// The child: the same loop with and without the logger; prints {seconds, maxRssMiB} as JSON.
const producer = (path, withLogger, steps = STEPS) => `
  const { DataLogger } = await import(${JSON.stringify(loggerDist)});
  const logger = ${withLogger} ? new DataLogger('train') : undefined;
  if (logger) await logger.initWriteLog(${JSON.stringify(path)});
  const started = performance.now();
  let sum = 0;
  for (let step = 0; step < ${steps}; step++) {
    const values = [Math.exp(-step / 1e5), 1 / (step + 1), Math.sin(step)];
    if (logger) logger.tandemLines('loss', step, values, { names: ['train', 'valid', 'lr'] });
    else sum += values[0] + values[1] + values[2];
    // A training step yields now and then (data loading, a GPU sync): let the writer's replies in.
    if (step % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (logger) await logger.shutdown();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, maxRssMiB: ${PEAK_RSS_MIB}, sum }));`;

/** Steps of the side-by-side runs with tensorboardX (about 300 µs a step there: 1M would take 5 minutes). */
const PEER_STEPS = 50_000;

// The same loop in Python, through tensorboardX's SummaryWriter (3 add_scalar a step) or bare; exit 3 when tensorboardX cannot be imported.
const peerProducer = (dir, withWriter, steps) => `
import json, math, os, re, sys, time
try:
    from tensorboardX import SummaryWriter
except ImportError:
    sys.exit(3)
writer = SummaryWriter(${JSON.stringify(dir)}) if ${withWriter ? 'True' : 'False'} else None
start = time.perf_counter()
total = 0.0
for step in range(${steps}):
    values = (math.exp(-step / 1e5), 1 / (step + 1), math.sin(step))
    if writer:
        writer.add_scalar('loss/train', values[0], step)
        writer.add_scalar('loss/valid', values[1], step)
        writer.add_scalar('loss/lr', values[2], step)
    else:
        total += sum(values)
if writer:
    writer.close()
seconds = time.perf_counter() - start
size = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(${JSON.stringify(dir)}) for name in names)
print(json.dumps({'seconds': seconds, 'maxRssMiB': ${PEAK_RSS_MIB_PY}, 'bytes': size, 'total': total}))`;

/** tensorboardX and streamvis doing the same PEER_STEPS steps, in the order A B B A; undefined when python3 cannot import tensorboardX. */
async function peerRuns(dir) {
  const python = process.env.STREAMVIS_PYTHON ?? 'python3';
  const runPeer = (withWriter, i) => {
    const out = join(dir, `tbx-${i}`);
    const result = spawnSync(python, ['-c', peerProducer(out, withWriter, PEER_STEPS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (result.status === 3) return undefined;
    if (result.status !== 0) throw new Error(`tensorboardX child failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').at(-1));
  };
  const runOurs = async (i) => {
    const path = join(dir, `peer-${i}.svlog`);
    const run = runChild(producer(path, true, PEER_STEPS));
    return { ...run, bytes: (await stat(path)).size };
  };
  const first = runPeer(true, 0);
  if (!first) return undefined;
  const ours = [await runOurs(0), await runOurs(1)];
  const theirs = [first, runPeer(true, 1)];
  const bare = { python: runPeer(false, 2), node: runChild(producer(join(dir, 'unused.svlog'), false, PEER_STEPS)) };
  return { ours, theirs, bare };
}

function runChild(program) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** The log's records re-encoded with version 1 (JSON) headers. */
async function asVersion1(path) {
  const reader = new FrameReader();
  reader.push(await readFile(path));
  const frames = [];
  for (let event = reader.next(); event; event = reader.next()) {
    const { v: _v, arrays: descriptors, ...fields } = event.record.header;
    frames.push(encodeRecord(fields, descriptors.map(({ name, shape }) => ({ name, shape, data: event.record.arrays[name].data }))));
  }
  return Buffer.concat(frames);
}

export default async function logSizeBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svlogsize-'));
  try {
    const path = join(dir, 'train.svlog');
    const bare = runChild(producer(path, false));
    const logged = runChild(producer(path, true));
    const v2Bytes = (await stat(path)).size;
    const v1Path = join(dir, 'train-v1.svlog');
    await writeFile(v1Path, await asVersion1(path));
    const v1Bytes = (await stat(v1Path)).size;
    const perStep = (bytes) => (bytes / STEPS).toFixed(1);
    const rawBytes = STEPS * 3 * 8;
    const peers = await peerRuns(dir);
    const peerRows = [];
    if (peers) {
      const mean = (runs, field) => runs.reduce((sum, run) => sum + run[field], 0) / runs.length;
      const range = (runs, field, digits) => runs.map((run) => run[field].toFixed(digits)).join('-');
      const us = (runs) => runs.map((run) => ((run.seconds * 1e6) / PEER_STEPS).toFixed(1)).join('-');
      peerRows.push(
        [`peer, ${PEER_STEPS / 1000}k steps: log bytes per step`, (mean(peers.ours, 'bytes') / PEER_STEPS).toFixed(1), `${(mean(peers.theirs, 'bytes') / PEER_STEPS).toFixed(1)} (tensorboardX, 3 add_scalar a step)`, `${(mean(peers.ours, 'bytes') / mean(peers.theirs, 'bytes')).toFixed(2)}x`],
        [`peer, ${PEER_STEPS / 1000}k steps: µs per step (calls + close)`, us(peers.ours), `${us(peers.theirs)} (tensorboardX)`, `${(mean(peers.ours, 'seconds') / mean(peers.theirs, 'seconds')).toFixed(3)}x`],
        [
          `peer, ${PEER_STEPS / 1000}k steps: peak RSS over the same loop bare, MiB`,
          `+${(mean(peers.ours, 'maxRssMiB') - peers.bare.node.maxRssMiB).toFixed(0)} (${range(peers.ours, 'maxRssMiB', 0)} vs node ${peers.bare.node.maxRssMiB.toFixed(0)})`,
          `+${(mean(peers.theirs, 'maxRssMiB') - peers.bare.python.maxRssMiB).toFixed(0)} (tensorboardX ${range(peers.theirs, 'maxRssMiB', 0)} vs python ${peers.bare.python.maxRssMiB.toFixed(0)})`,
          '',
        ],
      );
    }
    return {
      title: 'A training loop\'s scalars: log size and producer memory, 1M steps of 3 float64 scalars',
      columns: ['measure', 'streamvis (format v2)', 'baseline', 'ratio'],
      rows: [
        ['log bytes per step', perStep(v2Bytes), `${perStep(v1Bytes)} (the same records in format v1)`, `${(v2Bytes / v1Bytes).toFixed(2)}x`],
        ['log bytes per step', perStep(v2Bytes), `${perStep(rawBytes)} (the raw float64 values)`, `${(v2Bytes / rawBytes).toFixed(2)}x`],
        ['producer peak RSS, MiB', logged.maxRssMiB.toFixed(0), `${bare.maxRssMiB.toFixed(0)} (the same loop, no logger)`, `+${(logged.maxRssMiB - bare.maxRssMiB).toFixed(0)} MiB`],
        ['producer time, s (calls + shutdown)', logged.seconds.toFixed(2), `${bare.seconds.toFixed(2)} (the same loop, no logger)`, `${((logged.seconds * 1e6) / STEPS).toFixed(2)} µs per step`],
        ...peerRows,
      ],
      notes: [
        'tandemLines(\'loss\', step, [3 values], {names}) per step into a log file (onFull: block); each side in its own process',
        'targets (issue 18): <= 100 bytes per step (tensorboardX writes 138 for the same work, measured outside this bench); the logger adds <= 25 MiB to a bare node process at 1M steps',
        peers
          ? `peer rows: tensorboardX and streamvis alternate (tensorboardX, streamvis, streamvis, tensorboardX), ${PEER_STEPS / 1000}k steps each, each in its own process; the same values per step; RSS over the same loop without a writer in the same language`
          : 'tensorboardX cannot be imported by python3 here (not on this machine\'s registries: no PyPI, no Debian package), so no peer row is measured; with its source and python3-protobuf on PYTHONPATH the rows appear',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
