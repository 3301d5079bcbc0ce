import type { PlotKind } from '../../protocol.js';
import { MAX_SMOOTHING, type ViewOptions } from './view-options.js';

export interface ControlTarget {
  kind: PlotKind;
  view(): ViewOptions;
  setView(view: ViewOptions): void;
  toggleFull(): void;
  /** The plot's data as CSV and as JSON (the HTTP API). */
  csvUrl: string;
  jsonUrl: string;
}

/**
 * The row of controls above a plot: log y, smoothing and "last N steps" for lines, full
 * screen, and the plot's data as CSV or JSON. Each input shows the view it was made with;
 * a change asks for a new view.
 */
export function plotControls(target: ControlTarget): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'controls';
  const view = target.view();
  const change = (part: Partial<ViewOptions>) => target.setView({ ...target.view(), ...part });
  if (target.kind !== 'cluster') {
    const logY = input('checkbox', 'logy');
    logY.checked = view.logY;
    logY.addEventListener('change', () => change({ logY: logY.checked }));
    bar.append(labelled('log y', logY));
  }
  if (target.kind === 'lines') {
    const smooth = input('range', 'smooth');
    Object.assign(smooth, { min: '0', max: String(MAX_SMOOTHING), step: '0.01' });
    smooth.value = String(view.smoothing);
    const shown = document.createElement('output');
    shown.textContent = view.smoothing.toFixed(2);
    smooth.addEventListener('input', () => {
      shown.textContent = Number(smooth.value).toFixed(2);
      change({ smoothing: Number(smooth.value) });
    });
    bar.append(labelled('smooth', smooth, shown));

    const last = input('number', 'last');
    Object.assign(last, { min: '1', step: '1', placeholder: 'all' });
    if (view.last !== undefined) last.value = String(view.last);
    last.addEventListener('change', () => {
      const steps = Number(last.value);
      const { last: _, ...rest } = target.view();
      target.setView(last.value !== '' && steps > 0 ? { ...rest, last: steps } : rest);
    });
    bar.append(labelled('last', last, text(' steps')));
  }
  const full = document.createElement('button');
  full.type = 'button';
  full.dataset.control = 'full';
  full.title = 'Show this plot on the whole page (Esc: back)';
  full.textContent = '⤢';
  full.addEventListener('click', () => target.toggleFull());
  bar.append(full, link('CSV', target.csvUrl, 'csv', true), link('JSON', target.jsonUrl, 'json', false));
  return bar;
}

function input(type: string, control: string): HTMLInputElement {
  const element = document.createElement('input');
  element.type = type;
  element.dataset.control = control;
  return element;
}

function labelled(name: string, ...parts: HTMLElement[]): HTMLElement {
  const label = document.createElement('label');
  label.append(text(`${name} `), ...parts);
  return label;
}

function text(content: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = content;
  return span;
}

function link(name: string, href: string, control: string, download: boolean): HTMLAnchorElement {
  const anchor = document.createElement('a');
  anchor.textContent = name;
  anchor.href = href;
  anchor.dataset.control = control;
  if (download) anchor.download = '';
  else anchor.target = '_blank';
  return anchor;
}
