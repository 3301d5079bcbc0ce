import { describe, expect, it } from 'vitest';
import { FrameSample } from './frame-sample.js';

/** n one-dimensional points valued 0..n-1, slot i holding i. */
const frame = (n: number) => ({ data: Float64Array.from({ length: n }, (_, i) => i), n, d: 1 });

describe('FrameSample', () => {
  it('is the frame itself up to its size', () => {
    const f = frame(100);
    expect(new FrameSample(100, 1).of(f)).toEqual({ points: f });
  });

  it('draws about `size` points, uniformly over the frame', () => {
    const { points: s, slots } = new FrameSample(2000, 1).of(frame(20_000));
    expect(Array.from(s.data)).toEqual(Array.from(slots!)); // slot i holds i
    expect(Math.abs(s.n - 2000)).toBeLessThan(150); // binomial, σ ≈ 42
    const mean = s.data.reduce((a, b) => a + b, 0) / s.n;
    expect(Math.abs(mean - 10_000)).toBeLessThan(500); // σ of the mean ≈ 130
  });

  it('samples a frame of the same size at the same slots, and other slots for another seed', () => {
    const one = new FrameSample(500, 1);
    const first = Array.from(one.of(frame(5000)).points.data);
    expect(Array.from(one.of(frame(5000)).points.data)).toEqual(first);
    expect(Array.from(new FrameSample(500, 2).of(frame(5000)).points.data)).not.toEqual(first);
  });
});
