import type { FlatPoints } from './points.js';

/** Points per leaf: below this, scanning the points beats descending further. */
const LEAF_SIZE = 16;

/**
 * A k-d tree (Bentley, "Multidimensional binary search trees used for
 * associative searching", CACM 1975) over flat points, split at the median of
 * the widest side. Every node keeps its bounding box, point count and
 * coordinate sum, so a ball query takes a node that lies wholly inside the
 * ball in one step: the cost of a mean-shift window is its boundary, not the
 * points in it.
 */
export class KdTree {
  readonly n: number;
  readonly d: number;
  /** The points in tree order (each node's points are contiguous); `order[r]` is the index of row r in the input. */
  readonly coords: Float64Array;
  readonly order: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Index of the left child, -1 for a leaf (the right child follows the left subtree's nodes). */
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly sums: Float64Array;
  private nodes = 0;
  private stack: Int32Array;

  constructor({ data, n, d }: FlatPoints) {
    this.n = n;
    this.d = d;
    const capacity = 4 * Math.ceil(n / LEAF_SIZE) + 3;
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.lo = new Float64Array(capacity * d);
    this.hi = new Float64Array(capacity * d);
    this.sums = new Float64Array(capacity * d);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.stack = new Int32Array(64);
    if (n > 0) this.build(data, 0, n);
    this.coords = new Float64Array(n * d);
    for (let r = 0; r < n; r++) this.coords.set(data.subarray(this.order[r] * d, this.order[r] * d + d), r * d);
  }

  /**
   * Points within `radius` of x (row `xi` of `xs`), the closed ball: adds
   * their coordinate sum into `sum` (length d) and returns their count.
   */
  sumWithin(xs: Float64Array, xi: number, radius: number, sum: Float64Array): number {
    if (this.n === 0) return 0;
    const { d, coords, lo, hi, sums } = this;
    const x = xi * d;
    const r2 = radius * radius;
    let count = 0;
    let top = 0;
    let stack = this.stack;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      let near = 0;
      let far = 0;
      for (let j = 0, b = node * d; j < d; j++) {
        const v = xs[x + j];
        const below = lo[b + j] - v;
        const above = v - hi[b + j];
        if (below > 0) near += below * below;
        else if (above > 0) near += above * above;
        const reach = Math.max(v - lo[b + j], hi[b + j] - v);
        far += reach * reach;
      }
      if (near > r2) continue;
      if (far <= r2) {
        count += this.end[node] - this.start[node];
        for (let j = 0; j < d; j++) sum[j] += sums[node * d + j];
        continue;
      }
      if (this.left[node] < 0) {
        for (let r = this.start[node], p = r * d; r < this.end[node]; r++, p += d) {
          let s = 0;
          for (let j = 0; j < d; j++) {
            const diff = coords[p + j] - xs[x + j];
            s += diff * diff;
          }
          if (s <= r2) {
            count++;
            for (let j = 0; j < d; j++) sum[j] += coords[p + j];
          }
        }
        continue;
      }
      if (top + 2 > stack.length) stack = this.stack = growStack(stack);
      stack[top++] = this.left[node];
      stack[top++] = this.right[node];
    }
    return count;
  }

  /** Tree row of the point nearest to x (row `xi` of `xs`) within `radius`, -1 when there is none. */
  nearestWithin(xs: Float64Array, xi: number, radius: number): number {
    if (this.n === 0) return -1;
    const { d, coords, lo, hi } = this;
    const x = xi * d;
    let best = -1;
    let bestD2 = radius * radius;
    let top = 0;
    this.stack[top++] = 0;
    while (top > 0) {
      const node = this.stack[--top];
      let near = 0;
      for (let j = 0, b = node * d; j < d; j++) {
        const v = xs[x + j];
        const below = lo[b + j] - v;
        const above = v - hi[b + j];
        if (below > 0) near += below * below;
        else if (above > 0) near += above * above;
      }
      if (near > bestD2) continue;
      if (this.left[node] < 0) {
        for (let r = this.start[node], p = r * d; r < this.end[node]; r++, p += d) {
          let s = 0;
          for (let j = 0; j < d && s <= bestD2; j++) {
            const diff = coords[p + j] - xs[x + j];
            s += diff * diff;
          }
          if (s <= bestD2) {
            bestD2 = s;
            best = r;
          }
        }
        continue;
      }
      if (top + 2 > this.stack.length) this.stack = growStack(this.stack);
      // The child on x's side of the split goes on top, so it is searched first and shrinks the bound.
      const l = this.left[node];
      const rt = this.right[node];
      const nearFirst = distanceToBox(this.lo, this.hi, l, xs, x, d) <= distanceToBox(this.lo, this.hi, rt, xs, x, d);
      this.stack[top++] = nearFirst ? rt : l;
      this.stack[top++] = nearFirst ? l : rt;
    }
    return best;
  }

  private build(data: Float64Array, from: number, to: number): void {
    const { d, order } = this;
    // Nodes still to split; a node is made (box, count, sums) before it is split.
    const pending: number[] = [this.newNode(data, from, to)];
    while (pending.length > 0) {
      const node = pending.pop()!;
      const a = this.start[node];
      const b = this.end[node];
      this.left[node] = -1;
      this.right[node] = -1;
      if (b - a <= LEAF_SIZE) continue;
      let axis = 0;
      let widest = -1;
      for (let j = 0; j < d; j++) {
        const w = this.hi[node * d + j] - this.lo[node * d + j];
        if (w > widest) [widest, axis] = [w, j];
      }
      if (!(widest > 0)) continue; // all points equal: a leaf, however many
      const mid = (a + b) >> 1;
      selectNth(order, data, d, axis, a, b - 1, mid);
      this.left[node] = this.newNode(data, a, mid);
      this.right[node] = this.newNode(data, mid, b);
      pending.push(this.right[node], this.left[node]);
    }
  }

  private newNode(data: Float64Array, from: number, to: number): number {
    const { d, order, lo, hi, sums } = this;
    const node = this.nodes++;
    this.start[node] = from;
    this.end[node] = to;
    const b = node * d;
    lo.fill(Infinity, b, b + d);
    hi.fill(-Infinity, b, b + d);
    for (let r = from; r < to; r++) {
      const p = order[r] * d;
      for (let j = 0; j < d; j++) {
        const v = data[p + j];
        if (v < lo[b + j]) lo[b + j] = v;
        if (v > hi[b + j]) hi[b + j] = v;
        sums[b + j] += v;
      }
    }
    return node;
  }
}

function distanceToBox(lo: Float64Array, hi: Float64Array, node: number, xs: Float64Array, x: number, d: number): number {
  let near = 0;
  for (let j = 0, b = node * d; j < d; j++) {
    const v = xs[x + j];
    const below = lo[b + j] - v;
    const above = v - hi[b + j];
    if (below > 0) near += below * below;
    else if (above > 0) near += above * above;
  }
  return near;
}

/** Hoare's quickselect on `order[a..b]` by coordinate `axis`: afterwards order[nth] holds the median's point, smaller ones before it. */
function selectNth(order: Int32Array, data: Float64Array, d: number, axis: number, a: number, b: number, nth: number): void {
  while (b > a) {
    const pivot = data[order[(a + b) >> 1] * d + axis];
    let i = a;
    let j = b;
    while (i <= j) {
      while (data[order[i] * d + axis] < pivot) i++;
      while (data[order[j] * d + axis] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) b = j;
    else if (nth >= i) a = i;
    else return;
  }
}

function growStack(stack: Int32Array): Int32Array {
  const grown = new Int32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}
