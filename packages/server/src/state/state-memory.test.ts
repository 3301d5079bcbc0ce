import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeRecord, FrameReader, MAX_LINES, type ArrayInput, type RecordFields } from '@streamvis/format';
import { RunState } from './run-state.js';

// What the run state holds, measured for real: the heap and the typed arrays' memory after a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heldBytes = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

/**
 * Memory per byte of records the state may hold, and what measuring it can be off by (once
 * the code is warm). Random logs take 4 to 7 here; the worst shape is a multilines record
 * of one float32 point per line, about 40 (a line's block costs some 300 bytes).
 */
const BYTES_PER_RECORD_BYTE = 64;
const NOISE_BYTES = 1 << 20;

const plotName = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', 'toString');
const values = (count: number, float32: boolean) => (float32 ? new Float32Array(count).fill(0.5) : new Float64Array(count).fill(0.5));
const rollover = fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined });

interface RecordSample {
  fields: Record<string, unknown>;
  arrays: ArrayInput[];
}

/** A valid record of any plot kind and shape the schema allows (the decoder refuses the others). */
const record: fc.Arbitrary<RecordSample> = fc.oneof(
  fc.record({ plot: plotName, n: fc.nat(40), append: fc.boolean(), color: fc.boolean(), float32: fc.boolean(), rollover }).map(({ plot, n, append, color, float32, rollover: r }) => ({
    fields: { kind: 'scatter', plot: color ? `${plot}:coloured` : plot, opts: { append, ...(r ? { rollover: r } : {}) } },
    arrays: ['x', 'y', ...(color ? ['color'] : [])].map((name): ArrayInput => ({ name, shape: [n], data: values(n, float32) })),
  })),
  fc.record({ plot: plotName, m: fc.integer({ min: 1, max: 300 }), step: fc.double({ noNaN: true, noDefaultInfinity: true }), float32: fc.boolean(), rollover }).map(({ plot, m, step, float32, rollover: r }) => ({
    fields: { kind: 'lines', plot: `lines-${plot}-${m}`, opts: { x: step, ...(r ? { rollover: r } : {}) } },
    arrays: [{ name: 'y', shape: [m], data: values(m, float32) }],
  })),
  fc.record({ plot: plotName, lines: fc.nat(MAX_LINES), points: fc.nat(3), append: fc.boolean(), float32: fc.boolean(), rollover }).map(({ plot, lines, points, append, float32, rollover: r }) => {
    const count = Math.min(lines, Math.floor(2000 / Math.max(points, 1)));
    return {
      fields: { kind: 'multilines', plot: `paths-${plot}`, opts: { append, ...(r ? { rollover: r } : {}) } },
      arrays: ['x', 'y'].map((name): ArrayInput => ({ name, shape: [count, points], data: values(count * points, float32) })),
    };
  }),
  fc.record({ plot: plotName, n: fc.nat(30) }).map(({ plot, n }) => ({
    fields: { kind: 'cluster', plot: `cluster-${plot}`, opts: { columns: ['__proto__', 'b'], k: 2, frameSize: 100_000 } },
    arrays: [{ name: 'points', shape: [n, 2], data: Float64Array.from({ length: 2 * n }, (_, i) => i % 7) }],
  })),
);

const logOf = (records: RecordSample[]) =>
  Buffer.concat(records.map(({ fields, arrays }, seq) => encodeRecord({ run: 'run', logger: 'L', seq, time: 0, ...fields } as RecordFields, arrays)));

/** Applies the log's records to a new run state, as the server does; returns the state and the memory it holds. */
function apply(log: Buffer): { state: RunState; held: number } {
  const before = heldBytes();
  const state = new RunState('run');
  const reader = new FrameReader();
  reader.push(log);
  for (const event of reader.drain()) if (event.type === 'record') state.apply(event.record);
  return { state, held: heldBytes() - before };
}

describe('RunState memory', () => {
  it('holds at most C x the bytes of any sequence of records, whatever their shapes and options', () => {
    // The first records of each kind compile code, which the heap counts too.
    apply(logOf(fc.sample(fc.array(record, { minLength: 200, maxLength: 200 }), 3).flat()));
    fc.assert(
      fc.property(fc.array(record, { minLength: 100, maxLength: 400 }), (records) => {
        const log = logOf(records);
        const { state, held } = apply(log);
        expect(state.counts.records).toBe(records.length);
        expect(held).toBeLessThanOrEqual(BYTES_PER_RECORD_BYTE * log.length + NOISE_BYTES);
      }),
      { numRuns: 20 },
    );
  });

  it('holds little for records of many empty lines, or of many lines of one value', () => {
    const frames = Array.from({ length: 20 }, (_, i) => [
      encodeRecord({ run: 'run', logger: 'L', seq: 2 * i, time: 0, kind: 'multilines', plot: `empty${i}`, opts: { append: true } }, ['x', 'y'].map((name) => ({ name, shape: [MAX_LINES, 0], data: new Float64Array(0) }))),
      encodeRecord({ run: 'run', logger: 'L', seq: 2 * i + 1, time: 0, kind: 'lines', plot: `wide${i}`, opts: { x: i } }, [{ name: 'y', shape: [MAX_LINES], data: new Float32Array(MAX_LINES) }]),
    ]).flat();
    const log = Buffer.concat(frames);
    const { state, held } = apply(log);
    expect(state.counts.records).toBe(40);
    // 20 plots of 10000 empty lines (a hole each) and 20 of 10000 lines of one float32 (one float64 each).
    expect(held).toBeLessThanOrEqual(3 * log.length + NOISE_BYTES);
  });
});
