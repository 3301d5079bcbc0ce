// Producer throughput at full speed, faster than the disk: a loop logging 10k-point float32
// scatters without yielding for a few seconds, with onFull 'block' (the default: the call
// waits for room, nothing is lost) and 'drop-oldest' (never waits; like the logger before
// backpressure, which dropped the oldest past 256 MiB), beside a raw fs append of the same
// number of encoded frames (one writeSync each on an O_APPEND descriptor) in the same run.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameReader } from '../packages/format/dist/index.js';
import { DataLogger, ndarray } from '../packages/logger/dist/index.js';

const SECONDS = 3;
const POINTS = 10_000;

async function timeProducer(dir, onFull) {
  const path = join(dir, `producer-${onFull}.svlog`);
  const logger = new DataLogger('bench', { onFull });
  let announced = 0;
  logger.on('error', (error) => (announced += error.dropped));
  await logger.initWriteLog(path);
  const data = ndarray(Float32Array.from({ length: 2 * POINTS }, () => Math.random()), [POINTS, 2]);
  const start = process.hrtime.bigint();
  const end = Date.now() + SECONDS * 1000;
  let records = 0;
  while (Date.now() < end) {
    logger.scatter('p', data, { spatialDim: 1, append: false });
    records++;
  }
  const callSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { sinks: [report] } = await logger.shutdown();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const frame = firstFrame(path);
  const bytes = statSync(path).size;
  rmSync(path); // before the next run: its dirty pages are dropped, not written back while that one runs
  return { onFull, records, callSeconds, seconds, report, announced, bytes, frame };
}

/** The log's first frame, to append again and again for the baseline. */
function firstFrame(path) {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(1 << 20);
  const read = readSync(fd, head);
  closeSync(fd);
  const reader = new FrameReader();
  reader.push(head.subarray(0, read));
  const [first] = reader.drain();
  return Buffer.from(head.subarray(first.offset, first.offset + first.size));
}

function timeRawAppend(dir, frame, count) {
  const path = join(dir, 'raw.svlog');
  const fd = openSync(path, 'a');
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) writeSync(fd, frame);
  closeSync(fd);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(path);
  return seconds;
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'svbench-bp-'));
  const rows = [];
  try {
    // Best of two rounds each, taken in turn.
    const best = new Map();
    for (let round = 0; round < 2; round++) {
      for (const onFull of ['block', 'drop-oldest']) {
        const run = await timeProducer(dir, onFull);
        if (run.announced !== run.report.dropped) throw new Error(`${onFull}: ${run.announced} drops announced, ${run.report.dropped} in the report`);
        if (onFull === 'block' && run.report.dropped + run.report.pending > 0) throw new Error(`block: ${run.report.dropped} records lost`);
        if (!best.has(onFull) || run.bytes / run.seconds > best.get(onFull).bytes / best.get(onFull).seconds) best.set(onFull, run);
      }
    }
    const { frame, report: { delivered: rawCount } } = best.get('block');
    const rawSeconds = Math.min(timeRawAppend(dir, frame, rawCount), timeRawAppend(dir, frame, rawCount));
    const rawMBs = (frame.length * rawCount) / 1e6 / rawSeconds;
    for (const { onFull, records, callSeconds, seconds, report, bytes } of best.values()) {
      const mbs = bytes / 1e6 / seconds;
      rows.push([
        `logger, onFull '${onFull}'`,
        String(records),
        (records / callSeconds).toFixed(0),
        (report.delivered / seconds).toFixed(0),
        mbs.toFixed(0),
        `${report.dropped} (${((100 * report.dropped) / records).toFixed(1)} %)`,
        `${(mbs / rawMBs).toFixed(2)}x`,
      ]);
    }
    rows.push(['raw append of the same frames (baseline)', String(rawCount), '-', (rawCount / rawSeconds).toFixed(0), rawMBs.toFixed(0), '-', '1.00x']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: `Logger at full speed, faster than the disk: ${SECONDS} s of 10k-point scatters, block vs drop-oldest vs raw append`,
    columns: ['producer', 'records logged', 'calls /s', 'written records/s', 'written MB/s', 'dropped', 'written / raw'],
    rows,
    notes: [
      `One loop logging a 10000-point float32 scatter (${(80_000 / 1e3).toFixed(0)} KB frame) per call for ${SECONDS} s without yielding, then shutdown(). "calls /s": records over the loop's time; "written": over the whole run, to the last record written by shutdown(). The default 256 MiB bound; best of 2 rounds each.`,
      "'block': a call waits (Atomics.wait on the writer thread's progress) while 256 MiB are unwritten or a record logged 50 ms ago is not yet written, so the producer runs at the disk's pace and a SIGKILL loses at most ~the last 100 ms. 'drop-oldest' never waits and drops the oldest frames not yet handed to the writer past the bound, each drop announced from the dropping call.",
      'raw append: the block run\'s number of frames, one writeSync each of an already encoded frame on an O_APPEND descriptor, no encoding: the disk\'s rate for this volume (the page cache, then dirty-page writeback).',
    ],
  };
}
