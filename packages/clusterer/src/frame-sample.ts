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
  private slots = new Int32Array(0);
  private slotsOfN = -1;

  constructor(readonly size: number, private readonly seed: number) {}

  /**
   * The sampled points (a copy) and the frame slot of each, or the frame
   * itself (slots undefined) when it holds no more than `size` points.
   */
  of(frame: FlatPoints): { points: FlatPoints; slots?: Int32Array } {
    const { data, n, d } = frame;
    if (n <= this.size) return { points: frame };
    const slots = this.slotsFor(n);
    const sample = new Float64Array(slots.length * d);
    for (let i = 0; i < slots.length; i++) sample.set(data.subarray(slots[i] * d, slots[i] * d + d), i * d);
    return { points: { data: sample, n: slots.length, d }, slots };
  }

  /** The sampled slots of a frame of n points (undefined: all of them, n is no more than `size`). */
  slotsOf(n: number): Int32Array | undefined {
    return n <= this.size ? undefined : this.slotsFor(n);
  }

  /** The sampled slots of a frame of n points: recomputed only while the frame grows. */
  private slotsFor(n: number): Int32Array {
    if (n === this.slotsOfN) return this.slots;
    if (this.keys.length < n) {
      const keys = new Uint32Array(n);
      keys.set(this.keys);
      for (let i = this.keys.length; i < n; i++) keys[i] = mixSeed(this.seed, i);
      this.keys = keys;
    }
    const threshold = (this.size / n) * 2 ** 32;
    const slots: number[] = [];
    for (let i = 0; i < n; i++) if (this.keys[i] < threshold) slots.push(i);
    this.slots = Int32Array.from(slots);
    this.slotsOfN = n;
    return this.slots;
  }
}
