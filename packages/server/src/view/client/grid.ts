import type { GridCell } from '@streamvis/format';
import { gridExtent } from './grid-geometry.js';
import { notice } from './mount.js';

/**
 * The page's CSS grid of plot cells: a cell [top, left, height, width] spans `height` rows
 * and `width` columns from its top-left corner; the grid has as many rows and columns as
 * the cells reach. Cells are kept across layouts, so a plot that stays keeps its figure
 * (and the user's zoom) while others come, go or move. Only the cells near the viewport
 * are on the page (see attach): the grid's rows keep the others' places, so the page is
 * as long as its grid, and a layout of the page costs the same for 10 plots or 10,000.
 */
export class GridLayout {
  private readonly cells = new Map<string, Cell>();
  private chrome: { width: number; height: number } | undefined;
  private full: string | undefined;

  constructor(private readonly container: HTMLElement) {}

  /** Lays out exactly these cells; returns the plots whose cells are new. */
  set(cells: ReadonlyMap<string, GridCell>): string[] {
    const { rows, columns } = gridExtent(cells);
    this.container.style.setProperty('--rows', String(rows));
    this.container.style.setProperty('--columns', String(columns));

    for (const [name, { parts }] of this.cells) {
      if (cells.has(name)) continue;
      parts?.cell.remove();
      this.cells.delete(name);
    }
    const added: string[] = [];
    for (const [name, [top, left, height, width]] of cells) {
      let entry = this.cells.get(name);
      if (!entry) {
        entry = { area: '' };
        this.cells.set(name, entry);
        added.push(name);
      }
      entry.area = `${top + 1} / ${left + 1} / span ${Math.max(1, height)} / span ${Math.max(1, width)}`;
      if (entry.parts) entry.parts.cell.style.gridArea = entry.area;
    }
    this.container.querySelector(':scope > .empty')?.remove();
    if (this.cells.size === 0) this.container.replaceChildren(waiting());
    return added;
  }

  /** Puts plot `name`'s cell on the page (true) or takes it off, its place kept. A cell's elements are made when it is first on the page. */
  attach(name: string, attached: boolean): void {
    const entry = this.cells.get(name);
    if (!entry || (entry.parts?.cell.isConnected ?? false) === attached) return;
    if (!attached) {
      entry.parts?.cell.remove();
      return;
    }
    entry.parts ??= newCell(name);
    entry.parts.cell.style.gridArea = entry.area;
    entry.parts.cell.classList.toggle('full', name === this.full);
    this.container.append(entry.parts.cell);
  }

  /**
   * What a cell's box holds around its plot's drawing area (border, controls, margins), in
   * CSS pixels: the same for every cell, so measured once, on plot `name`'s cell on the page.
   */
  chromeOf(name: string): { width: number; height: number } | undefined {
    const parts = this.cells.get(name)?.parts;
    if (this.chrome || !parts?.cell.isConnected) return this.chrome;
    this.chrome = { width: parts.cell.offsetWidth - parts.body.clientWidth, height: parts.cell.offsetHeight - parts.body.clientHeight };
    return this.chrome;
  }

  /** Fixes the grid's width and each row's height in pixels (a tab's own layout); undefined: fill the window. */
  setSize(width: number | undefined, rowHeight: number | undefined): void {
    this.container.style.width = width === undefined ? '' : `${width}px`;
    if (rowHeight === undefined) this.container.style.removeProperty('--row-height');
    else this.container.style.setProperty('--row-height', `${rowHeight}px`);
  }

  /** A line under plot `name` telling what its figure shows (e.g. a sample of its points); empty hides it. */
  setDetail(name: string, text: string): void {
    const detail = this.cells.get(name)?.parts?.detail;
    if (!detail) return;
    detail.textContent = text;
    detail.hidden = text === '';
  }

  /** The element plot `name` is drawn in, once its cell has been on the page. */
  body(name: string): HTMLElement | undefined {
    return this.cells.get(name)?.parts?.body;
  }

  /** Puts `controls` in plot `name`'s cell, above its figure; undefined takes them out. */
  setControls(name: string, controls: HTMLElement | undefined): void {
    this.cells.get(name)?.parts?.tools.replaceChildren(...(controls ? [controls] : []));
  }

  /** Shows plot `name` alone on the whole page; undefined shows the grid again. */
  setFull(name: string | undefined): void {
    this.full = name;
    for (const [plot, { parts }] of this.cells) parts?.cell.classList.toggle('full', plot === name);
    this.container.classList.toggle('has-full', name !== undefined && this.cells.has(name));
  }
}

interface Cell {
  /** Its CSS grid-area. */
  area: string;
  /** Its elements, made when it is first on the page. */
  parts?: CellParts;
}

interface CellParts {
  cell: HTMLElement;
  tools: HTMLElement;
  body: HTMLElement;
  detail: HTMLElement;
}

/** A cell's elements; its plot's area says it waits for data until a figure takes it. */
function newCell(name: string): CellParts {
  const cell = document.createElement('section');
  cell.className = 'cell';
  cell.dataset.plot = name;
  const tools = document.createElement('div');
  tools.className = 'cell-tools';
  const body = document.createElement('div');
  body.className = 'plot';
  body.replaceChildren(notice(`${name}: waiting for data…`, 'notice placeholder'));
  const detail = document.createElement('p');
  detail.className = 'detail';
  detail.hidden = true;
  cell.append(tools, body, detail);
  return { cell, tools, body, detail };
}

function waiting(): HTMLElement {
  const notice = document.createElement('p');
  notice.className = 'empty';
  notice.textContent = 'Waiting for data…';
  return notice;
}
