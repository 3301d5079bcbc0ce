import type { GridCell } from '@streamvis/format';

/**
 * Lays the plots out as a CSS grid: a cell [top, left, height, width] spans `height` rows
 * and `width` columns from its top-left corner; the grid has as many rows and columns as
 * the cells reach. Returns each plot's element, in which its figure is drawn.
 */
export function layoutGrid(container: HTMLElement, cells: ReadonlyMap<string, GridCell>): Map<string, HTMLElement> {
  let rows = 1;
  let columns = 1;
  for (const [top, left, height, width] of cells.values()) {
    rows = Math.max(rows, top + height);
    columns = Math.max(columns, left + width);
  }
  container.style.setProperty('--rows', String(rows));
  container.style.setProperty('--columns', String(columns));

  const elements = new Map<string, HTMLElement>();
  const children: HTMLElement[] = [];
  for (const [name, [top, left, height, width]] of cells) {
    const cell = document.createElement('section');
    cell.className = 'cell';
    cell.dataset.plot = name;
    cell.style.gridArea = `${top + 1} / ${left + 1} / span ${Math.max(1, height)} / span ${Math.max(1, width)}`;
    const body = document.createElement('div');
    body.className = 'plot';
    cell.append(body);
    children.push(cell);
    elements.set(name, body);
  }
  if (children.length === 0) children.push(waiting());
  container.replaceChildren(...children);
  return elements;
}

function waiting(): HTMLElement {
  const notice = document.createElement('p');
  notice.className = 'empty';
  notice.textContent = 'Waiting for data…';
  return notice;
}
