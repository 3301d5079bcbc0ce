import type { GridCell } from '@streamvis/format';

/**
 * How the user asked to see a plot: kept across live updates and reconnects, and in the
 * page's URL (`?logy=loss&smooth=loss:0.6&last=loss:1000&full=loss&linkx`), so a view can
 * be shared and survives a reload.
 */
export interface ViewOptions {
  /** A log y axis. */
  logY: boolean;
  /** Lines: the weight of the exponential moving average drawn over the raw line (0: none), as TensorBoard's slider. */
  smoothing: number;
  /** Lines: follow the last `last` steps. */
  last?: number;
}

export const PLAIN_VIEW: ViewOptions = { logY: false, smoothing: 0 };

/** Most smoothing the slider gives: 0.999 would take thousands of steps to follow a change. */
export const MAX_SMOOTHING = 0.99;

/** Reads and writes the view of every plot, and the page's own choices, in the URL's query. */
export class UrlState {
  private readonly params = new URLSearchParams(location.search);

  /** The view the URL asks of `plot`; its y axis is log unless the URL says, when the producer asked for one (`logByDefault`). */
  viewOf(plot: string, logByDefault = false): ViewOptions {
    const smoothing = Number(this.valueOf('smooth', plot) ?? 0);
    const last = Number(this.valueOf('last', plot));
    return {
      logY: this.params.getAll('logy').includes(plot) || (logByDefault && !this.params.getAll('liny').includes(plot)),
      smoothing: Number.isFinite(smoothing) ? Math.min(MAX_SMOOTHING, Math.max(0, smoothing)) : 0,
      ...(Number.isFinite(last) && last > 0 ? { last } : {}),
    };
  }

  /** Writes `plot`'s view; its y axis only where it differs from the producer's (`logByDefault`): `logy=` or `liny=`. */
  setView(plot: string, view: ViewOptions, logByDefault = false): void {
    this.setListed('logy', plot, view.logY && !logByDefault ? plot : undefined);
    this.setListed('liny', plot, !view.logY && logByDefault ? plot : undefined);
    this.setListed('smooth', plot, view.smoothing > 0 ? `${plot}:${view.smoothing}` : undefined);
    this.setListed('last', plot, view.last === undefined ? undefined : `${plot}:${view.last}`);
    this.write();
  }

  /** The plot shown on the whole page, if any. */
  get full(): string | undefined {
    return this.params.get('full') ?? undefined;
  }

  set full(plot: string | undefined) {
    if (plot === undefined) this.params.delete('full');
    else this.params.set('full', plot);
    this.write();
  }

  /** Whether zooming a lines plot's x zooms every lines plot. */
  get linkX(): boolean {
    return this.params.has('linkx');
  }

  set linkX(linked: boolean) {
    if (linked) this.params.set('linkx', '');
    else this.params.delete('linkx');
    this.write();
  }

  /**
   * The layout this tab asks for, whatever the producer's: `?rows=a,b;c` (a and b side by
   * side, c below them, as wide as both) or `?cols=a,b;c` (a above b, c beside them).
   * Only these plots are shown. `&height=PX` sets each row's height, `&width=PX` the width
   * of a plot in the fullest row (rows) or of each column (cols).
   */
  tabLayout(): TabLayout | undefined {
    const rows = this.params.get('rows');
    const cols = this.params.get('cols');
    const spec = rows ?? cols;
    if (spec === null) return undefined;
    const groups = spec.split(';').map((group) => group.split(',').filter((name) => name !== '')).filter((group) => group.length > 0);
    const span = groups.reduce((l, group) => lcm(l, group.length), 1);
    const cells = new Map<string, GridCell>();
    groups.forEach((group, g) => {
      const size = span / group.length;
      group.forEach((name, i) => cells.set(name, rows !== null ? [g, i * size, 1, size] : [i * size, g, size, 1]));
    });
    const pixels = (key: string) => {
      const value = Number(this.params.get(key));
      return Number.isFinite(value) && value > 0 ? value : undefined;
    };
    const widest = Math.max(1, ...groups.map((group) => group.length));
    const width = pixels('width');
    const height = pixels('height');
    return {
      cells,
      ...(width === undefined ? {} : { width: rows !== null ? width * widest : width * groups.length }),
      ...(height === undefined ? {} : { rowHeight: rows !== null ? height : height / Math.max(1, span / widest) }),
    };
  }

  /** `key=PLOT:VALUE` entries: the value of `plot` (plot names may hold ':'; the value is after the last). */
  private valueOf(key: string, plot: string): string | undefined {
    const entry = this.params.getAll(key).find((item) => item.slice(0, item.lastIndexOf(':')) === plot);
    return entry?.slice(entry.lastIndexOf(':') + 1);
  }

  private setListed(key: string, plot: string, entry: string | undefined): void {
    const listsNames = key === 'logy' || key === 'liny';
    const others = this.params.getAll(key).filter((item) => (listsNames ? item !== plot : item.slice(0, item.lastIndexOf(':')) !== plot));
    this.params.delete(key);
    for (const item of [...others, ...(entry === undefined ? [] : [entry])]) this.params.append(key, item);
  }

  private write(): void {
    const query = this.params.toString().replace(/linkx=(&|$)/, 'linkx$1');
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
}

/** The plots a tab shows and where, and the grid's size in pixels when the URL gives one. */
export interface TabLayout {
  cells: Map<string, GridCell>;
  /** The grid's width. */
  width?: number;
  /** Each grid row's height. */
  rowHeight?: number;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a * b) / gcd(a, b);
}

/**
 * The exponential moving average TensorBoard draws ("smoothing"), debiased so the start
 * is not pulled towards 0: s_i = (w s_{i-1} + (1 - w) v_i) / (1 - w^(i+1)), skipping
 * values that are not finite (they stay as they are).
 */
export function smoothed(values: Float64Array, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  let average = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = value;
      continue;
    }
    average = weight * average + (1 - weight) * value;
    seen++;
    out[i] = average / (1 - weight ** seen);
  }
  return out;
}
