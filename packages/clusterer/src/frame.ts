import type { FlatPoints } from './points.js';

/**
 * The last `capacity` points pushed, as one flat Float64Array ring buffer.
 * Order inside the frame does not matter to k-means, so the view is the
 * filled prefix of the buffer, no copy. The buffer grows with the points held (doubling,
 * up to the capacity): a large capacity costs nothing until points fill it.
 */
export class Frame {
  private data = new Float64Array(0);
  private size = 0;
  private next = 0;
  private d = -1;

  constructor(readonly capacity: number) {}

  get dimension(): number {
    return this.d;
  }

  /** Stores the points; returns the slots written: `count` slots from `first` on, wrapping at the capacity. */
  push({ data, n, d }: FlatPoints): { first: number; count: number } {
    if (this.d < 0) this.d = d;
    // Only the newest `capacity` points can survive this push.
    const skip = Math.max(0, n - this.capacity);
    this.makeRoom(Math.min(this.capacity, this.size + n - skip));
    const first = this.next;
    for (let i = skip; i < n; ) {
      const rows = Math.min(n - i, this.capacity - this.next);
      this.data.set(data.subarray(i * d, (i + rows) * d), this.next * d);
      i += rows;
      this.next = (this.next + rows) % this.capacity;
    }
    this.size = Math.min(this.capacity, this.size + n - skip);
    return { first, count: n - skip };
  }

  /** Room for `points` points; while the frame is not full, points are held in slots 0..size-1 and `next` is `size`. */
  private makeRoom(points: number): void {
    if (points * this.d <= this.data.length) return;
    const grown = new Float64Array(Math.min(this.capacity, Math.max(points, 2 * (this.data.length / Math.max(this.d, 1)))) * this.d);
    grown.set(this.data);
    this.data = grown;
  }

  view(): FlatPoints {
    return { data: this.data.subarray(0, this.size * this.d), n: this.size, d: Math.max(this.d, 0) };
  }
}
