// The record reader (FrameReader, as the file source drives it: 4 MiB chunks) on logs that
// damage or a hostile writer can produce, beside a clean log of small records of about the
// same size: time, and the work counters the tests bound (bytes checksummed and searched
// for the magic, per byte of log).
import { crc32 } from 'node:zlib';
import { encodeRecord, FrameReader, MAX_BODY_BYTES } from '../packages/format/dist/index.js';

const SIZE = 16 << 20;
const CHUNK = 4 << 20;

/** A frame whose checksums hold, announcing `lengths` (the bytes that follow may be fewer). */
function prefix(headerBytes, bodyBytes, payload = Buffer.alloc(0)) {
  const bytes = Buffer.alloc(20);
  bytes.write('SVR1', 0, 'latin1');
  bytes.writeUInt32LE(headerBytes, 4);
  bytes.writeUInt32LE(bodyBytes, 8);
  bytes.writeUInt32LE(crc32(payload), 12);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 16)), 16);
  return bytes;
}

const good = (seq) =>
  encodeRecord({ run: 'bench', logger: 'b', seq, time: 0, kind: 'lines', plot: 'loss', opts: { x: seq } }, [{ name: 'y', shape: [3], data: Float64Array.of(seq, 1 / (seq + 1), -seq) }]);
const goods = (count, first = 0) => Array.from({ length: count }, (_, i) => good(first + i));

const LOGS = [
  ['clean: small lines records', () => Buffer.concat(goods(Math.floor(SIZE / good(0).length)))],
  ['torn-prefix chain, k = 64 (1.3 KB), between good records', () => Buffer.concat([...goods(2), ...Array.from({ length: 64 }, () => prefix(100, MAX_BODY_BYTES)), ...goods(2, 2)])],
  ['torn-prefix chain filling the log (k = 838k), then a good record', () => Buffer.concat([...Array.from({ length: SIZE / 20 }, () => prefix(100, MAX_BODY_BYTES)), good(0)])],
  [
    'nested frames, each to the log end, payloads not matching (100k), then a good record',
    () => {
      const count = 100_000;
      const tail = Buffer.alloc(SIZE - count * 20, 7);
      return Buffer.concat([...Array.from({ length: count }, (_, i) => prefix(0, SIZE - (i + 1) * 20)), tail, good(0)]);
    },
  ],
  ['random bytes', () => Buffer.from(Uint8Array.from({ length: SIZE }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 24) & 0xff))],
];

/** Reads `log` in 4 MiB chunks; returns ms, records and the reader's work counters. */
function read(log) {
  const started = performance.now();
  const reader = new FrameReader();
  let records = 0;
  for (let at = 0; at < log.length; at += CHUNK) {
    reader.push(log.subarray(at, at + CHUNK));
    for (const event of reader.drain()) if (event.type === 'record') records++;
  }
  return { ms: performance.now() - started, records, cost: reader.cost };
}

export default async function hostileReadsBench() {
  const rows = [];
  let cleanRate;
  for (const [name, make] of LOGS) {
    const log = make();
    read(log); // warm
    const { ms, records, cost } = [read(log), read(log)].sort((a, b) => a.ms - b.ms)[0];
    const rate = log.length / 1e6 / (ms / 1000);
    cleanRate ??= rate;
    const perByte = (n) => (n / log.length).toFixed(2);
    rows.push([name, (log.length / 1e6).toFixed(3), String(records), ms.toFixed(1), rate.toFixed(0), `${(rate / cleanRate).toFixed(2)}x`, perByte(cost.checksummed), perByte(cost.searched)]);
  }
  return {
    title: 'Record reader on hostile logs',
    columns: ['log', 'MB', 'records', 'ms', 'MB/s', 'vs clean log', 'checksummed B/B', 'searched B/B'],
    rows,
    notes: [
      'FrameReader in 4 MiB chunks, best of 2 after a warm-up. Before the checksum frontier (issue 12), rule 5 re-read every later frame at each magic: the k = 64 chain took about 1.9^k steps (k = 18: 0.35 s, k = 24: a minute), and nested frames cost the square of their length',
      'tests bound the counters: at most 2 checksummed bytes per byte plus 16 per magic (docs/log-format.md, "Reading")',
    ],
  };
}
