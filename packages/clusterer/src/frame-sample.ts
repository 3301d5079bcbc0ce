import type { FlatPoints } from './points.js';
import { mixSeed } from './random.js';

/**
 * A uniform sample of about `size` of a frame's points, by Bernoulli sampling
 * over its slots (each slot in with probability size/n, decided by a fixed
 * hash of the slot). A full frame is therefore always sampled at the same
 * slots: from one push to the next the sample changes only where the frame
 * did, so decisions taken on it do not flicker with the draw.
 */
export class FrameSample {
  private keys = new Uint32Array(0);

  constructor(readonly size: number, private readonly seed: number) {}

  /** The sampled points (a copy), or the frame itself when it holds no more than `size` points. */
  of(frame: FlatPoints): FlatPoints {
    const { data, n, d } = frame;
    if (n <= this.size) return frame;
    const keys = this.keysFor(n);
    const threshold = (this.size / n) * 2 ** 32;
    let m = 0;
    for (let i = 0; i < n; i++) if (keys[i] < threshold) m++;
    const sample = new Float64Array(m * d);
    for (let i = 0, out = 0; i < n; i++) {
      if (keys[i] < threshold) sample.set(data.subarray(i * d, i * d + d), out++ * d);
    }
    return { data: sample, n: m, d };
  }

  /** One 32-bit key per slot, extended as the frame grows. */
  private keysFor(n: number): Uint32Array {
    if (this.keys.length < n) {
      const keys = new Uint32Array(n);
      keys.set(this.keys);
      for (let i = this.keys.length; i < n; i++) keys[i] = mixSeed(this.seed, i);
      this.keys = keys;
    }
    return this.keys;
  }
}
