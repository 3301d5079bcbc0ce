import { describe, expect, it } from 'vitest';
import type { PlotFrame } from '../protocol.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';

const roundTrip = (frame: PlotFrame) => decodeFrame(encodeFrame(frame).buffer);

describe('frame codec', () => {
  it('carries every float64 exactly, NaN and infinities included', () => {
    const x = Float64Array.from([0, 1e-320, -0, Math.PI, 2 ** 53 + 2, NaN, Infinity, -Infinity]);
    const frame: PlotFrame = { plot: 'loss', kind: 'lines', version: 7, rows: 8, shown: 8, reduced: false, data: { x, ys: [x.map((v) => v * 2), new Float64Array(8)] } };
    const back = roundTrip(frame);
    expect(back).toEqual(frame);
    if (back.kind !== 'lines') throw new Error('kind lost');
    expect(Object.is(back.data.x[2], -0)).toBe(true);
  });

  it('keeps the arrays 8-byte aligned whatever the header length', () => {
    for (const plot of ['a', 'ab', 'abc', 'abcd', 'é', 'plot/with "quotes"']) {
      const frame: PlotFrame = { plot, kind: 'scatter', version: 1, rows: 2, shown: 2, reduced: false, data: { x: Float64Array.from([1, 2]), y: Float64Array.from([3, 4]) } };
      expect(roundTrip(frame)).toEqual(frame);
    }
  });

  it('leaves out an absent optional array and keeps empty ones', () => {
    const frame: PlotFrame = { plot: 's', kind: 'scatter', version: 1, rows: 0, shown: 0, reduced: false, data: { x: new Float64Array(0), y: new Float64Array(0), color: undefined } };
    const back = roundTrip(frame);
    expect(back.data).toEqual({ x: new Float64Array(0), y: new Float64Array(0) });
  });

  it('carries lists of arrays of different lengths (multilines)', () => {
    const frame: PlotFrame = {
      plot: 'm', kind: 'multilines', version: 3, rows: 2, shown: 2, reduced: false,
      data: { xs: [Float64Array.from([1, 2, 3]), Float64Array.from([4])], ys: [Float64Array.from([5, 6, 7]), Float64Array.from([8])] },
    };
    expect(roundTrip(frame)).toEqual(frame);
  });

  it('carries a scatter\'s density: its grid as it is, its counts and mean colours as float32 arrays', () => {
    // 5 and 3 bins: float32 arrays of odd lengths, padded so what follows stays aligned.
    const frame: PlotFrame = {
      plot: 'cloud', kind: 'scatter', version: 4, rows: 100_000, shown: 99_998, reduced: true,
      data: {
        density: { x: { range: [-1.5, 2], bins: 5, scale: 'linear' }, y: { range: [1, 1000], bins: 1, scale: 'log' } },
        counts: Float32Array.from([0, 1, 2, 16_777_216, 99_988]),
        color: Float32Array.from([NaN, 0.5, 0.25, 1, 0]),
      },
    };
    const bytes = encodeFrame(frame);
    const back = decodeFrame(bytes.buffer);
    expect(back).toEqual(frame);
    if (back.kind !== 'scatter' || !back.data.density) throw new Error('density lost');
    expect(back.data.counts).toBeInstanceOf(Float32Array);
    expect(back.data.density.y.scale).toBe('log');
    // Half the bytes of float64 bins (each array padded to 8 bytes: 24 + 24).
    const headerEnd = Math.ceil((4 + new DataView(bytes.buffer).getUint32(0, true)) / 8) * 8;
    expect(bytes.length - headerEnd).toBe(48);
  });

  it('throws on a truncated frame instead of reading past it', () => {
    const bytes = encodeFrame({ plot: 's', kind: 'scatter', version: 1, rows: 2, shown: 2, reduced: false, data: { x: Float64Array.from([1, 2]), y: Float64Array.from([3, 4]) } });
    expect(() => decodeFrame(bytes.slice(0, bytes.length - 8).buffer)).toThrow(/past the end/);
    expect(() => decodeFrame(bytes.slice(0, 10).buffer)).toThrow(/past the end/);
    expect(() => decodeFrame(new ArrayBuffer(2))).toThrow(/too short/);
  });
});
