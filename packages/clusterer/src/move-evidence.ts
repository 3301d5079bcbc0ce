/**
 * Hysteresis for changes of k: a change (a merge, a split, a birth, a cluster
 * dropped into the noise) is made only once the evidence for it has held over
 * `pushes` consecutive pushes, so one frame's fluctuation does not add a
 * cluster that the next frame takes away. Changes are named by keys that stay
 * the same from push to push (the clusters' own keys, not their positions).
 */
export class MoveEvidence {
  private held = new Map<string, number>();

  constructor(readonly pushes: number) {}

  /** Records the changes this push's evidence supports; returns those supported over the last `pushes` pushes. */
  update(keys: readonly string[]): Set<string> {
    const next = new Map<string, number>();
    for (const key of keys) next.set(key, (this.held.get(key) ?? 0) + 1);
    this.held = next;
    return new Set([...next].filter(([, count]) => count >= this.pushes).map(([key]) => key));
  }

  /** Forgets the evidence, after a change that makes it stale. */
  forget(key: string): void {
    this.held.delete(key);
  }
}
