// Server replay throughput: a >= 500 MB log (mostly 10k-point scatters, many small lines
// records) replayed by the built server (FileSource + run state, until caught up), beside a
// raw fs read of the same file in the same run. Each side runs in its own process so peak
// RSS is the server's alone.
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, RecordEncoder, recordHeader } from '../packages/format/dist/index.js';
import { PEAK_RSS_MIB } from './peak-rss.mjs';

const TARGET_BYTES = 520 * 2 ** 20;
/** The log of small records only is smaller: it is bound by its record count (about 500k records). */
const SMALL_RECORDS_BYTES = 96 * 2 ** 20;
const SCATTER_POINTS = 10_000;
/** Small lines records written after each scatter: one log with many, one with none, one of small records only (no scatters). */
const MIXES = [20, 0, Infinity];
const serverDist = new URL('../packages/server/dist/index.js', import.meta.url).href;

const LOGGER = '0123456789abcdef';
const STREAMED = { streamed: true, selfContained: false };

/** The frame of a record in format `version` (2: as the logger writes a log file, each plot declared once). */
function encoderOf(version) {
  if (version === 1) return (fields, arrays) => encodeRecord(fields, arrays);
  const encoder = new RecordEncoder(LOGGER);
  return (fields, arrays) => encoder.encode(recordHeader(fields, arrays), (body) => arrays.forEach(({ data }, i) => body[i].set(data)), STREAMED).streamed;
}

/**
 * Writes the log in 16 MiB batches: rounds of a scatter and `linesPerScatter` small records,
 * until `targetBytes` (of version 1 frames, so that both versions hold the same records);
 * returns the record count.
 */
async function writeLog(path, linesPerScatter, version) {
  const encode = encoderOf(version);
  const countV1 = encoderOf(1);
  const file = await open(path, 'w');
  let seq = 0;
  let v1Bytes = 0;
  let batch = [];
  let batchBytes = 0;
  const x = new Float32Array(SCATTER_POINTS);
  const y = new Float32Array(SCATTER_POINTS);
  const add = (fields, arrays) => {
    const frame = encode(fields, arrays);
    batch.push(frame);
    batchBytes += frame.length;
    v1Bytes += version === 1 ? frame.length : countV1(fields, arrays).length;
  };
  const smallOnly = linesPerScatter === Infinity;
  while (v1Bytes < (smallOnly ? SMALL_RECORDS_BYTES : TARGET_BYTES)) {
    for (let i = 0; i < SCATTER_POINTS && !smallOnly; i++) {
      x[i] = Math.sin(seq + i);
      y[i] = Math.cos(seq * i);
    }
    if (!smallOnly) {
      add({ run: 'bench', logger: LOGGER, seq: seq++, time: 0, kind: 'scatter', plot: `cloud${seq % 4}`, opts: { append: false } }, [
        { name: 'x', shape: [SCATTER_POINTS], data: x },
        { name: 'y', shape: [SCATTER_POINTS], data: y },
      ]);
    }
    for (let i = 0; i < (smallOnly ? 1000 : linesPerScatter); i++) {
      add({ run: 'bench', logger: LOGGER, seq: seq++, time: 0, kind: 'lines', plot: 'loss', opts: { x: seq, rollover: 100_000 } }, [
        { name: 'y', shape: [3], data: Float64Array.of(seq, 1 / seq, -seq) },
      ]);
    }
    if (batchBytes > 16 * 2 ** 20) {
      await file.writev(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  await file.writev(batch);
  await file.close();
  return seq;
}

// Child programs: print {seconds, records, maxRssMiB} as JSON.
/** Reads the file in 4 MiB chunks; with `decode`, also turns every chunk into records. */
const readFile = (path, decode) => `
  const { FrameReader } = await import(${JSON.stringify(new URL('../packages/format/dist/index.js', import.meta.url).href)});
  const { open } = await import('node:fs/promises');
  const file = await open(${JSON.stringify(path)}, 'r');
  const started = performance.now();
  const reader = new FrameReader();
  let total = 0;
  let records = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(4 << 20);
    const { bytesRead } = await file.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (${decode}) {
      reader.push(chunk.subarray(0, bytesRead));
      for (let event = reader.next(); event; event = reader.next()) records++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await file.close();
  console.log(JSON.stringify({ seconds, records, maxRssMiB: ${PEAK_RSS_MIB} }));`;
const rawRead = (path) => readFile(path, false);
const decodeOnly = (path) => readFile(path, true);
const serverReplay = (path) => `
  const { FileSource, startServer } = await import(${JSON.stringify(serverDist)});
  const started = performance.now();
  const server = await startServer({ mode: 'file', port: 0, run: 'bench', source: new FileSource(${JSON.stringify(path)}) });
  const seconds = (performance.now() - started) / 1000;
  const health = await (await fetch(new URL('/api/health', server.url))).json();
  await server.close();
  console.log(JSON.stringify({ seconds, records: health.records, errors: health.errors, maxRssMiB: ${PEAK_RSS_MIB} }));`;

function runChild(program) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/** Replays one log three ways; returns its table rows. */
async function measure(dir, linesPerScatter, version) {
  const path = join(dir, `replay-${linesPerScatter}-v${version}.svlog`);
  try {
    const records = await writeLog(path, linesPerScatter, version);
    const { size } = await stat(path);
    const mb = size / 1e6;
    runChild(rawRead(path)); // warm the page cache, as both sides then read from memory
    const raw = runChild(rawRead(path));
    const decode = runChild(decodeOnly(path));
    const replay = runChild(serverReplay(path));
    if (replay.records !== records || replay.errors !== 0) throw new Error(`replay applied ${replay.records}/${records} records, ${replay.errors} errors`);
    const rawRate = mb / raw.seconds;
    const log = linesPerScatter === Infinity ? 'small lines records only' : linesPerScatter ? `scatters + ${linesPerScatter} lines records each` : 'scatters only';
    const row = (reader, count, { seconds, maxRssMiB }) => {
      const rate = mb / seconds;
      const perRecord = count === '-' ? '-' : ((seconds / Number(count)) * 1e6).toFixed(2);
      return [log, `v${version}`, reader, mb.toFixed(0), count, seconds.toFixed(2), rate.toFixed(0), perRecord, `${(rate / rawRate).toFixed(2)}x`, maxRssMiB.toFixed(0)];
    };
    return [
      row('raw fs read (4 MiB chunks)', '-', raw),
      row('record decoding only (FrameReader)', String(decode.records), decode),
      row('server: FileSource + run state', String(records), replay),
    ];
  } finally {
    await rm(path, { force: true });
  }
}

export default async function replayBench() {
  const dir = await mkdtemp(join(tmpdir(), 'svbench-'));
  try {
    const rows = [];
    // Version 1 beside version 2 where headers matter (small records); scatters alone only as the logger writes them now.
    for (const linesPerScatter of MIXES) {
      for (const version of linesPerScatter === 0 ? [2] : [1, 2]) rows.push(...(await measure(dir, linesPerScatter, version)));
    }
    return {
      title: 'Server replay of a log file',
      columns: ['log', 'format', 'reader', 'MB', 'records', 'seconds', 'MB/s', 'µs per record', 'vs raw read', 'peak RSS MiB'],
      rows,
      notes: [
        `logs: ${SCATTER_POINTS}-point float32 scatters (replace, 4 plots), alone or each followed by small 3-line lines records, and ${SMALL_RECORDS_BYTES / 2 ** 20} MiB of the small records alone; file in the page cache`,
        'the same records in both formats: v1 (JSON headers) as earlier loggers wrote them, v2 (binary headers, each plot declared once) as the loggers write them now; the v2 log of small records is a third of the size, so its raw read is faster too',
        'target: server replay >= 0.3x the raw read. The decoding row (CRC-32 of every byte, the header, arrays viewed in place) bounds what the server can reach; a log of many small records is bound by its record count, not its bytes',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
