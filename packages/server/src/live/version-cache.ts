/**
 * The newest value made for each plot, reused while the plot's version (and the way it is
 * asked for) stays the same: readers of one plot version share one piece of work.
 */
export class VersionCache<T> {
  private readonly entries = new Map<string, { version: number; key: string; value: T }>();

  /** The value for `plot` at `version` asked as `key`; `make` runs on a miss (undefined: there is no such plot). */
  get(plot: string, version: number, key: string, make: () => T | undefined): T | undefined {
    const cached = this.entries.get(plot);
    if (cached && cached.version === version && cached.key === key) return cached.value;
    const value = make();
    if (value !== undefined) this.entries.set(plot, { version, key, value });
    return value;
  }
}
