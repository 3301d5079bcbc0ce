import type { GridCell } from '@streamvis/format';
import { CellIndex, cellSize, gridExtent, rowsInBand, type GridGeometry } from './grid-geometry.js';

/** How far beyond the viewport, above and below, plots are kept drawn, in viewport heights: a scroll finds them ready. */
const MARGIN_VIEWPORTS = 1;

/** Which plots are in the window, and how the window changed. */
export type WindowChange = (entered: readonly string[], left: readonly string[]) => void;

/**
 * The plots near the viewport: the rows the viewport shows, and as many again above and
 * below. The grid's geometry is measured when it resizes (ResizeObserver); a scroll is
 * then arithmetic on it, never a read of the page's layout, and tells `onChange` which
 * plots came into the window and which left it.
 */
export class VisibleWindow {
  private cells = new Map<string, GridCell>();
  private extent = { rows: 1, columns: 1 };
  private index = new CellIndex(this.cells);
  private geometry: GridGeometry | undefined;
  private inWindow = new Set<string>();
  /** A plot kept in the window wherever it is (the one shown on the whole page). */
  private pinned: string | undefined;
  private frame: number | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly onChange: WindowChange,
  ) {
    new ResizeObserver(() => this.measure()).observe(container);
    const later = () => (this.frame ??= requestAnimationFrame(() => this.update()));
    addEventListener('scroll', later, { passive: true });
    addEventListener('resize', later);
  }

  /** The grid's cells as laid out now. Measures the grid again: its rows may have changed size without it resizing. */
  setCells(cells: ReadonlyMap<string, GridCell>): void {
    this.cells = new Map(cells);
    this.index = new CellIndex(this.cells);
    this.extent = gridExtent(cells);
    this.measure();
  }

  /** Keeps `plot` in the window wherever it is; undefined: none. */
  pin(plot: string | undefined): void {
    this.pinned = plot;
    this.update();
  }

  has(plot: string): boolean {
    return this.inWindow.has(plot);
  }

  /** The size of plot `plot`'s cell in CSS pixels, from the geometry; undefined until it is measured. */
  cellSize(plot: string): { width: number; height: number } | undefined {
    const cell = this.cells.get(plot);
    return cell && this.geometry ? cellSize(this.geometry, cell) : undefined;
  }

  private measure(): void {
    const box = this.container.getBoundingClientRect();
    const style = getComputedStyle(this.container);
    const px = (value: string) => parseFloat(value) || 0;
    const { rows, columns } = this.extent;
    const [rowGap, columnGap] = [px(style.rowGap), px(style.columnGap)];
    const inner = {
      width: box.width - px(style.paddingLeft) - px(style.paddingRight),
      height: box.height - px(style.paddingTop) - px(style.paddingBottom),
    };
    this.geometry = {
      top: box.top + scrollY + px(style.paddingTop),
      rows,
      rowHeight: (inner.height - (rows - 1) * rowGap) / rows,
      columnWidth: (inner.width - (columns - 1) * columnGap) / columns,
      rowGap,
      columnGap,
    };
    this.update();
  }

  private update(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const now = new Set<string>();
    const rows = this.geometry && rowsInBand(this.geometry, scrollY - MARGIN_VIEWPORTS * innerHeight, scrollY + (1 + MARGIN_VIEWPORTS) * innerHeight);
    if (rows) for (const name of this.index.inRows(...rows)) now.add(name);
    if (this.pinned !== undefined && this.cells.has(this.pinned)) now.add(this.pinned);
    const entered = [...now].filter((name) => !this.inWindow.has(name));
    const left = [...this.inWindow].filter((name) => !now.has(name));
    this.inWindow = now;
    if (entered.length > 0 || left.length > 0) this.onChange(entered, left);
  }
}
