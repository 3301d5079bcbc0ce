import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeRecord, MAGIC, PREFIX_BYTES, type RecordFields } from './codec.js';
import { readFrame } from './frame-scanner.js';
import { rawFrame } from '../../../test/support/raw-frame.js';
import { FrameReader } from './frame-reader.js';

const fields = (seq: number): RecordFields => ({
  run: 'r', logger: 'L', seq, time: 1, kind: 'scatter', plot: 'p', opts: { append: true },
});
const frame = (seq: number, n = 3) =>
  encodeRecord(fields(seq), [
    { name: 'x', shape: [n], data: Float64Array.from({ length: n }, (_, i) => i + seq) },
    { name: 'y', shape: [n], data: Float32Array.from({ length: n }, (_, i) => 0.5 - i) },
  ]);

function readAll(bytes: Uint8Array, chunk = bytes.length) {
  const reader = new FrameReader();
  const events = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    reader.push(bytes.subarray(i, i + chunk));
    events.push(...reader.drain());
  }
  return { reader, events };
}

describe('record codec', () => {
  it('round-trips header and arrays with dtype and shape', () => {
    const { events } = readAll(frame(7));
    expect(events).toHaveLength(1);
    const e = events[0];
    if (e.type !== 'record') throw new Error('expected a record');
    expect(e.record.header).toMatchObject({ v: 1, run: 'r', seq: 7, kind: 'scatter', plot: 'p' });
    expect(e.record.arrays.x.dtype).toBe('float64');
    expect(Array.from(e.record.arrays.x.data)).toEqual([7, 8, 9]);
    expect(e.record.arrays.y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(e.record.arrays.y.data)).toEqual([0.5, -0.5, -1.5]);
  });

  it('round-trips an array that follows one of a smaller element type at an unaligned offset', () => {
    const f = encodeRecord(fields(0), [
      { name: 'x', shape: [3], data: Float32Array.of(1, 2, 3) },
      { name: 'y', shape: [3], data: Float64Array.of(0.1, -2.5, 7) },
    ]);
    const { events } = readAll(f);
    if (events[0]?.type !== 'record') throw new Error('expected a record');
    expect(Array.from(events[0].record.arrays.x.data)).toEqual([1, 2, 3]);
    expect(Array.from(events[0].record.arrays.y.data)).toEqual([0.1, -2.5, 7]);
  });

  it('rejects an array whose shape does not match its data', () => {
    expect(() => encodeRecord(fields(0), [{ name: 'x', shape: [2, 2], data: new Float64Array(3) }])).toThrow(/'x'/);
  });

  it('waits on a torn tail and reads the record once the rest arrives', () => {
    const f = frame(1);
    const reader = new FrameReader();
    reader.push(f.subarray(0, f.length - 5));
    expect(reader.drain()).toEqual([]);
    expect(reader.pendingBytes).toBe(f.length - 5);
    reader.push(f.subarray(f.length - 5));
    expect(reader.drain().map((e) => e.type)).toEqual(['record']);
  });

  it('reports a flipped body byte and keeps the records around it', () => {
    const bad = frame(2);
    bad[bad.length - 1] ^= 0xff;
    const { events } = readAll(Buffer.concat([frame(1), bad, frame(3)]));
    expect(events.map((e) => e.type)).toEqual(['record', 'corrupt', 'record']);
    expect(events[1]).toMatchObject({ reason: 'bad payload checksum', size: bad.length });
  });

  it('skips a torn record that another writer appended after', () => {
    const torn = frame(2, 1000).subarray(0, 500);
    const { events } = readAll(Buffer.concat([frame(1), torn, frame(3)]));
    expect(events.map((e) => (e.type === 'record' ? e.record.header.seq : e.reason))).toEqual([1, 'torn record', 3]);
  });

  it('never crashes and never loses an undamaged record under random damage', () => {
    const frames = Array.from({ length: 6 }, (_, i) => frame(i, 1 + i * 7));
    const log = Buffer.concat(frames);
    const starts = frames.map((_, i) => frames.slice(0, i).reduce((s, f) => s + f.length, 0));
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(log.length - 1), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 4 }),
        fc.nat(log.length),
        fc.integer({ min: 1, max: 97 }),
        (flips, cut, chunk) => {
          const damaged = Buffer.from(log.subarray(0, cut));
          for (const { at, xor } of flips) if (at < cut) damaged[at] ^= xor;
          const { events } = readAll(damaged, chunk);
          const seen = new Set(events.flatMap((e) => (e.type === 'record' ? [e.record.header.seq] : [])));
          frames.forEach((f, i) => {
            const end = starts[i] + f.length;
            const untouched = end <= cut && flips.every(({ at }) => at < starts[i] || at >= end);
            if (untouched) expect(seen.has(i)).toBe(true);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('starts every frame with the magic and a 20-byte prefix', () => {
    const f = frame(0);
    expect(f.subarray(0, 4)).toEqual(MAGIC);
    expect(f.readUInt32LE(8)).toBe(3 * 8 + 3 * 4);
    expect(f.length).toBe(PREFIX_BYTES + f.readUInt32LE(4) + f.readUInt32LE(8));
  });
});

describe('decoding a header nested too deep for a check', () => {
  it('reports the record as corrupt, naming the field, and never throws', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const header = Buffer.from(`{"v":1,"run":"r","logger":"L","seq":0,"time":0,"kind":"scatter","plot":"p","opts":{"append":true,"palette":${deep}},"arrays":[]}`);
    const frame = rawFrame(header);
    const read = readFrame(frame, 0);
    expect(read).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/^scatter opts\.palette: unknown palette \[|^header: a value nested too deep to check/) });
  });
});
