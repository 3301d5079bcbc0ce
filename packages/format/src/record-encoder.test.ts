import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { encodeFrame, recordHeader, type ArrayInput, type RecordFields } from './codec.js';
import { FrameReader } from './frame-reader.js';
import { readFrame } from './frame-scanner.js';
import { RecordEncoder, REDECLARE_EVERY, type FrameForms } from './record-encoder.js';
import type { LogRecord } from './record.js';
import { PREFIX_BYTES } from './prefix.js';
import { rawFrame } from '../../../test/support/raw-frame.js';

const LOGGER = '0123456789abcdef';
const STREAMED: FrameForms = { streamed: true, selfContained: false };

interface Input {
  fields: RecordFields;
  arrays: ArrayInput[];
}

const lines = (seq: number, x: number, ys: number[], opts: Record<string, unknown> = {}): Input => ({
  fields: { run: 'run', logger: LOGGER, seq, time: 1_700_000_000_000 + seq, kind: 'lines', plot: 'train/loss', opts: { x, ...opts } } as RecordFields,
  arrays: [{ name: 'y', shape: [ys.length], data: Float64Array.from(ys) }],
});

const EVERY_KIND: Input[] = [
  { fields: { run: 'run', logger: LOGGER, seq: 0, time: 5, kind: 'layout', opts: { cells: { a: [0, 0, 1, 2], b: [1, 0, 1, 1] } } }, arrays: [] },
  { fields: { run: 'run', logger: LOGGER, seq: 1, time: 6, kind: 'clear', opts: { plots: ['a'] } }, arrays: [] },
  {
    fields: { run: 'run', logger: LOGGER, seq: 2, time: 7.5, kind: 'scatter', plot: 'a', opts: { append: false, palette: 'Viridis256', title: 'émbed ✓' } },
    arrays: ['x', 'y', 'color'].map((name, i) => ({ name, shape: [3], data: Float32Array.of(i, i + 0.5, -i) })),
  },
  lines(3, 10, [1, 2, 3], { names: ['a', 'b', 'c'], yScale: 'log' }),
  {
    fields: { run: 'run', logger: LOGGER, seq: 4, time: 8, kind: 'multilines', plot: 'm', opts: { append: true, rollover: 100 } },
    arrays: ['x', 'y'].map((name) => ({ name, shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) })),
  },
  {
    fields: { run: 'run', logger: LOGGER, seq: 5, time: 9, kind: 'cluster', plot: 'c', opts: { columns: ['u', 'v'], k: 3 } },
    arrays: [{ name: 'points', shape: [2, 2], data: Float64Array.of(0, 1, 2, 3) }],
  },
];

/** What a record says, whatever its format version. */
function content({ header, arrays }: LogRecord) {
  const { v: _v, ...rest } = header;
  return { header: rest, arrays: Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, { dtype: a.dtype, shape: a.shape, data: Array.from(a.data) }])) };
}

function encodeV2(encoder: RecordEncoder, { fields, arrays }: Input, forms = STREAMED) {
  return encoder.encode(recordHeader(fields, arrays), (body) => arrays.forEach(({ data }, i) => body[i].set(data)), forms);
}

function read(bytes: Buffer) {
  const reader = new FrameReader();
  reader.push(bytes);
  return reader.drain();
}

function records(bytes: Buffer): LogRecord[] {
  return read(bytes).map((event) => {
    if (event.type !== 'record') throw new Error(`unexpected ${event.type}: ${event.reason}`);
    return event.record;
  });
}

describe('format version 2 (RecordEncoder)', () => {
  it('reads back every kind exactly as the same record in version 1 reads', () => {
    const encoder = new RecordEncoder(LOGGER);
    const v2 = Buffer.concat(EVERY_KIND.map((input) => encodeV2(encoder, input).streamed!));
    const v1 = Buffer.concat(EVERY_KIND.map(({ fields, arrays }) => encodeFrame(recordHeader(fields, arrays), arrays)));
    const read2 = records(v2);
    expect(read2.map((r) => r.header.v)).toEqual(EVERY_KIND.map(() => 2));
    expect(read2.map(content)).toEqual(records(v1).map(content));
  });

  it('writes a step of three float64 scalars in 80 bytes once the plot is declared, 224 in version 1', () => {
    const encoder = new RecordEncoder(LOGGER);
    const first = encodeV2(encoder, lines(0, 0, [1, 2, 3])).streamed!;
    const next = encodeV2(encoder, lines(1, 1, [1, 2, 3])).streamed!;
    expect(next.length).toBe(80);
    expect(first.length).toBeGreaterThan(next.length);
    const v1 = lines(1, 1, [1, 2, 3]);
    expect(encodeFrame(recordHeader(v1.fields, v1.arrays), v1.arrays).length).toBe(224);
    // Bodies start 8-byte aligned, so readers view the arrays in place.
    expect((next.length - 24) % 8).toBe(0);
  });

  it('refers to the declaration in a stream and declares in every self-contained frame', () => {
    const encoder = new RecordEncoder(LOGGER);
    const both = { streamed: true, selfContained: true };
    const a = encodeV2(encoder, lines(0, 0, [1]), both);
    expect(a.selfContained).toBe(a.streamed);
    const b = encodeV2(encoder, lines(1, 1, [2]), both);
    expect(b.selfContained!.length).toBeGreaterThan(b.streamed!.length);
    // A self-contained frame reads alone (a Pub/Sub message); a referring one does not, and says why.
    const alone = readFrame(b.selfContained!, 0);
    expect(alone.status === 'record' && content(alone.record)).toEqual(content(records(Buffer.concat([a.streamed!, b.streamed!]))[1]));
    const referring = readFrame(b.streamed!, 0);
    expect(referring).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(/header\.declaration: logger 0123456789abcdef has not declared 0 earlier in this stream/) });
  });

  it('declares a plot again every REDECLARE_EVERY streamed records, so a damaged declaration loses at most that many', () => {
    const encoder = new RecordEncoder(LOGGER);
    const frames = Array.from({ length: 2 * REDECLARE_EVERY + 1 }, (_, i) => encodeV2(encoder, lines(i, i, [i])).streamed!);
    const declaring = frames.map((frame, i) => [frame, i] as const).filter(([frame]) => frame[PREFIX_BYTES + 1] === 0).map(([, i]) => i);
    expect(declaring).toEqual([0, REDECLARE_EVERY, 2 * REDECLARE_EVERY]);
    frames[0][PREFIX_BYTES + 30] ^= 0xff; // damage the first declaration's payload
    const events = read(Buffer.concat(frames));
    const lost = events.filter((e) => e.type === 'corrupt');
    expect(lost).toHaveLength(REDECLARE_EVERY);
    expect(lost[0]).toMatchObject({ reason: 'bad payload checksum' });
    expect(lost[1]).toMatchObject({ reason: expect.stringContaining('has not declared 0') });
    expect(events.filter((e) => e.type === 'record')).toHaveLength(REDECLARE_EVERY + 1);
  });

  it('declares anew when a record changes what is declared (options, arrays, dtypes)', () => {
    const encoder = new RecordEncoder(LOGGER);
    const inputs = [lines(0, 0, [1]), lines(1, 1, [1], { title: 'T' }), lines(2, 2, [1, 2]), lines(3, 3, [1])];
    inputs[2].arrays[0].data = Float32Array.of(1, 2);
    const frames = inputs.map((input) => encodeV2(encoder, input).streamed!);
    expect(frames.map((frame) => frame[PREFIX_BYTES + 1])).toEqual([0, 0, 0, 1]);
    expect(records(Buffer.concat(frames)).map((r) => [r.header.opts, r.arrays.y.dtype])).toEqual([
      [{ x: 0 }, 'float64'],
      [{ x: 1, title: 'T' }, 'float64'],
      [{ x: 2 }, 'float32'],
      [{ x: 3 }, 'float64'],
    ]);
  });

  it('tells options apart value by value: a list differing in one name, a field dropped, another plot between', () => {
    const encoder = new RecordEncoder(LOGGER);
    const other = (seq: number): Input => ({ ...lines(seq, seq, [1]), fields: { ...lines(seq, seq, [1]).fields, plot: 'other' } as RecordFields });
    const inputs = [
      lines(0, 0, [1, 2], { names: ['a', 'b'], title: 'T' }),
      lines(1, 1, [1, 2], { names: ['a', 'c'], title: 'T' }),
      other(2),
      lines(3, 3, [1, 2], { names: ['a', 'c'] }),
      lines(4, 4, [1, 2], { names: ['a', 'c'] }),
      lines(5, 5, [1, 2], { names: ['a', 'b'], title: 'T' }),
    ];
    const frames = inputs.map((input) => encodeV2(encoder, input).streamed!);
    // Form 0 declares, 1 refers. Records 4 and 5 declare what an earlier one did: 4 as its plot's last record, 5 as record 0.
    expect(frames.map((frame) => frame[PREFIX_BYTES + 1])).toEqual([0, 0, 0, 0, 1, 1]);
    expect(records(Buffer.concat(frames)).map((r) => r.header.opts)).toEqual([
      { x: 0, names: ['a', 'b'], title: 'T' },
      { x: 1, names: ['a', 'c'], title: 'T' },
      { x: 2 },
      { x: 3, names: ['a', 'c'] },
      { x: 4, names: ['a', 'c'] },
      { x: 5, names: ['a', 'b'], title: 'T' },
    ]);
  });

  it('keeps the declarations of several loggers in one stream apart', () => {
    const other = 'fedcba9876543210';
    const [a, b] = [new RecordEncoder(LOGGER), new RecordEncoder(other)];
    const bInput = (seq: number) => ({ ...lines(seq, seq, [100 - seq]), fields: { ...lines(seq, seq, [100 - seq]).fields, logger: other, plot: 'other' } as RecordFields });
    const frames = [encodeV2(a, lines(0, 0, [0])), encodeV2(b, bInput(0)), encodeV2(a, lines(1, 1, [1])), encodeV2(b, bInput(1))].map((f) => f.streamed!);
    expect(records(Buffer.concat(frames)).map((r) => [r.header.logger, 'plot' in r.header && r.header.plot, r.arrays.y.data[0]])).toEqual([
      [LOGGER, 'train/loss', 0],
      [other, 'other', 100],
      [LOGGER, 'train/loss', 1],
      [other, 'other', 99],
    ]);
  });

  it('reads the same records whatever the chunks a stream of version 1 and 2 frames arrives in', () => {
    const encoder = new RecordEncoder(LOGGER);
    const mixed = Buffer.concat(
      Array.from({ length: 40 }, (_, i) => {
        const input = lines(i, i, [i, i * 2]);
        return i % 3 === 0 ? encodeFrame(recordHeader(input.fields, input.arrays), input.arrays) : encodeV2(encoder, input).streamed!;
      }),
    );
    const whole = records(mixed).map(content);
    expect(whole).toHaveLength(40);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (chunk) => {
        const reader = new FrameReader();
        const events = [];
        for (let i = 0; i < mixed.length; i += chunk) {
          reader.push(mixed.subarray(i, i + chunk));
          events.push(...reader.drain());
        }
        expect(events.map((e) => (e.type === 'record' ? content(e.record) : e))).toEqual(whole);
      }),
    );
  });

  it('reports a binary header that breaks a rule, naming the field, and reads on', () => {
    const encoder = new RecordEncoder(LOGGER);
    const good = encodeV2(encoder, lines(0, 0, [1])).streamed!;
    const bad = (edit: (frame: Buffer) => void) => {
      const frame = Buffer.from(encodeV2(new RecordEncoder(LOGGER), lines(0, 0, [1])).streamed!);
      edit(frame);
      return refreshChecksums(frame);
    };
    const cases: [Buffer, RegExp][] = [
      [bad((f) => (f[PREFIX_BYTES + 1] = 7)), /^header\.form: expected 0 \(declaring\) or 1 \(referring\), got 7$/],
      [bad((f) => f.writeDoubleLE(Number.NaN, PREFIX_BYTES + 11)), /^header\.time: expected a finite number, got NaN$/],
      // The kind code follows the run's length and 3 bytes.
      [bad((f) => (f[PREFIX_BYTES + 24] = 9)), /^header\.kind: expected a kind code 0\.\.5 \(layout, clear, scatter, lines, multilines, cluster\), got 9$/],
      [bad((f) => (f[PREFIX_BYTES + 20] = 0)), /^header\.run: expected a non-empty string/],
    ];
    for (const [frame, reason] of cases) {
      const events = read(Buffer.concat([frame, good]));
      expect(events[0]).toMatchObject({ type: 'corrupt', reason: expect.stringMatching(reason) });
      expect(events[1]).toMatchObject({ type: 'record' });
    }
  });

  it('reads an empty header as version 1 (not JSON) whatever the body starts with', () => {
    // A version 2 header's mark, but as the body's first byte.
    expect(read(rawFrame('', Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0)))).toMatchObject([{ type: 'corrupt', invalid: true, reason: expect.stringMatching(/^header: not JSON \(/) }]);
  });

  it('refuses a run, plot or array name UTF-8 cannot hold (a lone surrogate) rather than write another name', () => {
    const withPlot = (plot: string) => ({ ...lines(0, 0, [1]), fields: { ...lines(0, 0, [1]).fields, plot } as RecordFields });
    expect(() => encodeV2(new RecordEncoder(LOGGER), withPlot('half \ud800 pair'))).toThrow(
      new RangeError('the plot name "half \\ud800 pair" holds a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot hold'),
    );
    // A surrogate pair is one character, and reads back as written; in the options a lone surrogate is escaped JSON.
    const paired = withPlot('smile \u{1F600}');
    (paired.fields.opts as Record<string, unknown>).title = 'half \ud800';
    const [record] = records(encodeV2(new RecordEncoder(LOGGER), paired).streamed!);
    expect(record.header).toMatchObject({ plot: 'smile \u{1F600}', opts: { title: 'half \ud800' } });
  });
});

/** Recomputes a frame's checksums after an edit, so only the header's rules can reject it. */
function refreshChecksums(frame: Buffer): Buffer {
  frame.writeUInt32LE(crc32(frame.subarray(PREFIX_BYTES)), 12);
  frame.writeUInt32LE(crc32(frame.subarray(0, 16)), 16);
  return frame;
}
