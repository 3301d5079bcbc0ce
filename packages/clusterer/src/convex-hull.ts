/**
 * Area of the convex hull of n points in the plane (xy: x0, y0, x1, y1, ...),
 * 0 for fewer than three points or points on a line. Akl & Toussaint's
 * throw-away (1978): points inside the octagon of the extreme points cannot be
 * on the hull and are dropped in one pass; Andrew's monotone chain (1979) on
 * the few left.
 */
export function convexHullArea(xy: Float64Array, n: number): number {
  if (n < 3) return 0;
  const octagon = extremes(xy, n);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (!strictlyInside(octagon, xy[2 * i], xy[2 * i + 1])) kept.push(i);
  kept.sort((a, b) => xy[2 * a] - xy[2 * b] || xy[2 * a + 1] - xy[2 * b + 1]);
  const hull = monotoneChain(xy, kept);
  let twice = 0;
  for (let h = 0; h < hull.length; h++) {
    const a = hull[h];
    const b = hull[(h + 1) % hull.length];
    twice += xy[2 * a] * xy[2 * b + 1] - xy[2 * b] * xy[2 * a + 1];
  }
  return Math.abs(twice) / 2;
}

/** The points extreme in x, x+y, y, y−x, −x, −x−y, −y, x−y: a convex polygon, counter-clockwise, as coordinates without repeats. */
function extremes(xy: Float64Array, n: number): number[][] {
  const directions = [[1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]];
  const best = directions.map(() => 0);
  for (let i = 1; i < n; i++) {
    for (let k = 0; k < directions.length; k++) {
      const [dx, dy] = directions[k];
      if (dx * xy[2 * i] + dy * xy[2 * i + 1] > dx * xy[2 * best[k]] + dy * xy[2 * best[k] + 1]) best[k] = i;
    }
  }
  const corners = best.map((i) => [xy[2 * i], xy[2 * i + 1]]);
  return corners.filter(([x, y], k) => {
    const [px, py] = corners[(k + corners.length - 1) % corners.length];
    return x !== px || y !== py;
  });
}

/** Strictly inside a convex counter-clockwise polygon: left of every edge (a point on an edge may be on the hull). */
function strictlyInside(polygon: number[][], x: number, y: number): boolean {
  if (polygon.length < 3) return false;
  for (let k = 0; k < polygon.length; k++) {
    const [ax, ay] = polygon[k];
    const [bx, by] = polygon[(k + 1) % polygon.length];
    if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) <= 0) return false;
  }
  return true;
}

/** Counter-clockwise hull of the points at `order` (sorted by x, then y), without collinear points. */
function monotoneChain(xy: Float64Array, order: number[]): number[] {
  const cross = (o: number, a: number, b: number) => (xy[2 * a] - xy[2 * o]) * (xy[2 * b + 1] - xy[2 * o + 1]) - (xy[2 * a + 1] - xy[2 * o + 1]) * (xy[2 * b] - xy[2 * o]);
  const lower: number[] = [];
  for (const p of order) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: number[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const p = order[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}
