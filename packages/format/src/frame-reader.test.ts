import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rawFrame, tornPrefix } from '../../../test/support/raw-frame.js';
import { encodeRecord, recordHeader, type RecordFields } from './codec.js';
import { RecordEncoder } from './record-encoder.js';
import { FrameReader, type ReaderCost, type ReaderEvent } from './frame-reader.js';

// Cost bounds (docs/log-format.md, "Reading"): each byte is searched for the magic at most
// twice (plus the 3 bytes after each magic found, and the last 3 bytes again at each read
// that waits), checksummed at most twice, plus the 16 prefix bytes at each magic (checked
// by the rules and by the checksum frontier; magics are at least 4 bytes apart); each
// header is parsed at most once; the buffer copies each byte a bounded number of times.
const SEARCHED_PER_BYTE = 2 + 2 * (3 / 4) + 3;
const CHECKSUMMED_PER_BYTE = 2 + 2 * (16 / 4);
const COPIED_PER_BYTE = 3;

const good = (seq: number) =>
  encodeRecord({ run: 'r', logger: 'L', seq, time: 0, kind: 'lines', plot: 'p', opts: { x: seq } } as RecordFields, [{ name: 'y', shape: [2], data: Float64Array.of(seq, -seq) }]);

function readInChunks(bytes: Uint8Array, chunk: number): { events: ReaderEvent[]; reader: FrameReader; maxCapacity: number } {
  const reader = new FrameReader();
  const events: ReaderEvent[] = [];
  let maxCapacity = 0;
  for (let i = 0; i < bytes.length; i += chunk) {
    reader.push(bytes.subarray(i, i + chunk));
    maxCapacity = Math.max(maxCapacity, reader.cost.capacity);
    events.push(...reader.drain());
  }
  return { events, reader, maxCapacity };
}

/** A stream of version 2 frames: plots declared, referred to, declared again with other options. */
const V2_FRAMES = (() => {
  const encoder = new RecordEncoder('0123456789abcdef');
  return Array.from({ length: 40 }, (_, seq) => {
    const fields = { run: 'r', logger: '0123456789abcdef', seq, time: seq, kind: 'lines', plot: `p${seq % 3}`, opts: { x: seq, ...(seq % 7 === 0 ? { title: `t${seq}` } : {}) } } as RecordFields;
    const arrays = [{ name: 'y', shape: [2], data: Float64Array.of(seq, -seq) }];
    return encoder.encode(recordHeader(fields, arrays), (body) => body[0].set(arrays[0].data), { streamed: true, selfContained: false }).streamed!;
  });
})();

const summary = (events: ReaderEvent[]) => events.map((e) => (e.type === 'record' ? e.record.header.seq : e.reason));

function expectLinearCost(cost: ReaderCost, bytes: number): void {
  expect(cost.searched).toBeLessThanOrEqual(SEARCHED_PER_BYTE * bytes + 8);
  expect(cost.checksummed).toBeLessThanOrEqual(CHECKSUMMED_PER_BYTE * bytes + 32);
  expect(cost.parsed).toBeLessThanOrEqual(bytes);
  expect(cost.copied).toBeLessThanOrEqual(COPIED_PER_BYTE * bytes);
}

describe('FrameReader cost', () => {
  it('reads a torn-prefix chain of k = 64 in linear time, and the frames around it', () => {
    const chain = Array.from({ length: 64 }, tornPrefix);
    const log = Buffer.concat([good(0), good(1), ...chain, good(2), good(3)]);
    for (const chunk of [log.length, 7]) {
      const { events, reader } = readInChunks(log, chunk);
      expect(summary(events)).toEqual([0, 1, 'torn record', 2, 3]);
      expectLinearCost(reader.cost, log.length);
    }
  });

  it('waits at a torn-prefix chain at the end of the log, and reads the frame appended after it', () => {
    const reader = new FrameReader();
    reader.push(Buffer.concat([good(0), good(1), ...Array.from({ length: 64 }, tornPrefix)]));
    expect(summary(reader.drain())).toEqual([0, 1]);
    expect(reader.pendingBytes).toBe(64 * 20);
    // A live writer appends, one small write at a time: each costs its own bytes, not the chain's again.
    const later = good(2);
    const before = reader.cost.checksummed + reader.cost.searched;
    for (let i = 0; i < later.length; i++) {
      reader.push(later.subarray(i, i + 1));
      const events = reader.drain();
      if (i < later.length - 1) expect(events).toEqual([]);
      else expect(summary(events)).toEqual(['torn record', 2]);
    }
    expect(reader.cost.checksummed + reader.cost.searched - before).toBeLessThanOrEqual(16 * later.length);
  });

  it('checksums nested frames with bad payloads once, not once per frame (each resumes inside the last)', () => {
    // 2000 valid prefixes, each announcing a frame that runs to the end of the log, none of whose payloads checks.
    const count = 2000;
    const tail = Buffer.alloc(100_000, 7);
    const total = count * 20 + tail.length;
    const prefixes = Array.from({ length: count }, (_, i) => rawFrame('', new Uint8Array(0), { headerBytes: 0, bodyBytes: total - (i + 1) * 20 }).subarray(0, 20));
    const log = Buffer.concat([...prefixes, tail, good(9)]);
    const { events, reader } = readInChunks(log, log.length);
    expect(summary(events)).toEqual(['bad payload checksum', 9]);
    expectLinearCost(reader.cost, log.length);
  });

  it('copies a frame spread over many small pushes a bounded number of times, holding about twice its size', () => {
    const frame = encodeRecord({ run: 'r', logger: 'L', seq: 0, time: 0, kind: 'lines', plot: 'p', opts: { x: 0 } } as RecordFields, [{ name: 'y', shape: [5000], data: new Float64Array(5000) }]);
    const { events, reader, maxCapacity } = readInChunks(frame, 64);
    expect(summary(events)).toEqual([0]);
    expectLinearCost(reader.cost, frame.length);
    expect(maxCapacity).toBeLessThanOrEqual(2 * frame.length + 64);
  });

  it('reads a log of large frames in large chunks in place, copying only the frame that straddles each chunk start', () => {
    const frame = (seq: number) =>
      encodeRecord({ run: 'r', logger: 'L', seq, time: 0, kind: 'lines', plot: 'p', opts: { x: seq } } as RecordFields, [{ name: 'y', shape: [10_000], data: new Float64Array(10_000).fill(seq) }]);
    const log = Buffer.concat(Array.from({ length: 60 }, (_, i) => frame(i)));
    const chunk = 1 << 20;
    const { events, reader } = readInChunks(log, chunk);
    expect(summary(events)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(events.every((e) => e.type === 'record' && e.record.arrays.y.data[9_999] === e.record.header.seq)).toBe(true);
    const chunks = Math.ceil(log.length / chunk);
    expect(reader.cost.copied).toBeLessThanOrEqual(chunks * frame(0).length);
  });

  it('holds a torn tail in a buffer of its own size, not the chunk it came in', () => {
    const frames = Array.from({ length: 2000 }, (_, i) => good(i));
    const tail = good(2000).subarray(0, 100);
    const reader = new FrameReader();
    reader.push(Buffer.concat([...frames, tail]));
    expect(reader.drain()).toHaveLength(2000);
    expect(reader.pendingBytes).toBe(100);
    expect(reader.cost.capacity).toBeLessThanOrEqual(2 * 100);
  });

  it('costs at most C x bytes for random checksum-valid frames with random headers (JSON and binary), damage and chunking', () => {
    const jsonValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.nat(4), { maxLength: 5 }));
    const header = fc.oneof(
      // A valid record of some kind, with a random field or two replaced.
      fc.record({ kind: fc.constantFrom('layout', 'scatter', 'lines', 'multilines', 'cluster', 'histogram'), field: fc.constantFrom('v', 'run', 'seq', 'time', 'plot', 'opts', 'arrays', 'none'), value: jsonValue }).map(({ kind, field, value }) => {
        const fields: Record<string, unknown> = { v: 1, run: 'r', logger: 'L', seq: 1, time: 0, kind, plot: 'p', opts: { append: true, x: 1, columns: ['a'], cells: { p: [0, 0, 1, 1] } }, arrays: [] };
        if (field !== 'none') fields[field] = value;
        return JSON.stringify(fields);
      }),
      fc.json(),
      fc.string(),
    );
    const piece = fc.oneof(
      fc.record({ header, body: fc.uint8Array({ maxLength: 64 }) }).map(({ header: h, body }) => rawFrame(h, body)),
      fc.nat(2000).map((seq) => good(seq)),
      fc.nat(64).map(() => tornPrefix()),
      fc.record({ bodyBytes: fc.nat(400) }).map(({ bodyBytes }) => rawFrame('', new Uint8Array(0), { headerBytes: 0, bodyBytes }).subarray(0, 20)),
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
      // Version 2: a logger's declaring or referring frame, a few header bytes replaced (checksums made to hold).
      fc.record({ seq: fc.nat(3000), edits: fc.array(fc.record({ at: fc.nat(80), byte: fc.nat(255) }), { maxLength: 3 }) }).map(({ seq, edits }) => {
        const frame = V2_FRAMES[seq % V2_FRAMES.length];
        const headerBytes = frame.readUInt32LE(4);
        const header = Buffer.from(frame.subarray(20, 20 + headerBytes));
        for (const { at, byte } of edits) header[at % headerBytes] = byte;
        return rawFrame(header, frame.subarray(20 + headerBytes));
      }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 300 }), (pieces, chunk) => {
        const log = Buffer.concat(pieces);
        const { reader, maxCapacity } = readInChunks(log, chunk);
        expectLinearCost(reader.cost, log.length);
        expect(maxCapacity).toBeLessThanOrEqual(2 * log.length + chunk);
      }),
      { numRuns: 300 },
    );
  });
});
