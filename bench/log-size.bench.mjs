// What a training loop's scalars cost: a DataLogger logs 1M steps of 3 float64 scalars
// (tandemLines) to a log file. Log bytes per step in format version 2 (as written) beside
// the same records in version 1 and the raw values; the producer's memory beside a bare
// node process doing the same loop without a logger, each in its own process.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, FrameReader } from '../packages/format/dist/index.js';

const STEPS = 1_000_000;
const loggerDist = new URL('../packages/logger/dist/index.js', import.meta.url).href;

// The child: the same loop with and without the logger; prints {seconds, maxRssMiB} as JSON.
const producer = (path, withLogger) => `
  const { DataLogger } = await import(${JSON.stringify(loggerDist)});
  const logger = ${withLogger} ? new DataLogger('train') : undefined;
  if (logger) await logger.initWriteLog(${JSON.stringify(path)});
  const started = performance.now();
  let sum = 0;
  for (let step = 0; step < ${STEPS}; step++) {
    const values = [Math.exp(-step / 1e5), 1 / (step + 1), Math.sin(step)];
    if (logger) logger.tandemLines('loss', step, values, { names: ['train', 'valid', 'lr'] });
    else sum += values[0] + values[1] + values[2];
    // A training step yields now and then (data loading, a GPU sync): let the writer's replies in.
    if (step % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (logger) await logger.shutdown();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, sum }));`;

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
    return {
      title: 'A training loop\'s scalars: log size and producer memory, 1M steps of 3 float64 scalars',
      columns: ['measure', 'streamvis (format v2)', 'baseline', 'ratio'],
      rows: [
        ['log bytes per step', perStep(v2Bytes), `${perStep(v1Bytes)} (the same records in format v1)`, `${(v2Bytes / v1Bytes).toFixed(2)}x`],
        ['log bytes per step', perStep(v2Bytes), `${perStep(rawBytes)} (the raw float64 values)`, `${(v2Bytes / rawBytes).toFixed(2)}x`],
        ['producer peak RSS, MiB', logged.maxRssMiB.toFixed(0), `${bare.maxRssMiB.toFixed(0)} (the same loop, no logger)`, `+${(logged.maxRssMiB - bare.maxRssMiB).toFixed(0)} MiB`],
        ['producer time, s (calls + shutdown)', logged.seconds.toFixed(2), `${bare.seconds.toFixed(2)} (the same loop, no logger)`, `${((logged.seconds * 1e6) / STEPS).toFixed(2)} µs per step`],
      ],
      notes: [
        'tandemLines(\'loss\', step, [3 values], {names}) per step into a log file (onFull: block); each side in its own process',
        'targets (issue 18): <= 100 bytes per step (tensorboardX writes 138 for the same work, measured outside this bench); the logger adds <= 25 MiB to a bare node process at 1M steps',
        'tensorboardX is not installed on this machine, so no peer row is measured here',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
