import type { BubbleChoice } from './bubble-picker.js';

/** What the key tells of the bubbles now shown. */
export interface KeyContents {
  choice: BubbleChoice;
  /** Ids shown, in table order, with their colours (when colour is the id). */
  ids: ArrayLike<number>;
  colors: readonly string[];
  /** The range of the column behind size and behind colour, across the clusters shown. */
  sizeRange: [number, number];
  colorRange: [number, number];
  /** Points of the clusterer's frame labelled noise (-1): drawn as no bubble. */
  noise: number;
}

/**
 * The key under a bubble plot's pickers: the live ids with their colours when colour is
 * the id (else the colour column's range, beside the figure's colour bar), and what a
 * bubble's size stands for, with its range, and how many points of the frame are noise.
 */
export class BubbleKey {
  readonly element: HTMLElement;
  private readonly ids: HTMLElement;
  private readonly scale: HTMLElement;
  private readonly noise: HTMLElement;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'bubble-key';
    this.element.style.cssText = 'display: flex; flex-wrap: wrap; align-items: center; gap: 2px 10px; padding: 0 6px 4px; font-size: 11px; color: var(--muted, #666);';
    this.ids = document.createElement('span');
    this.ids.className = 'bubble-ids';
    this.ids.style.cssText = 'display: flex; flex-wrap: wrap; gap: 2px 8px;';
    this.scale = document.createElement('span');
    this.scale.className = 'bubble-scale';
    this.noise = document.createElement('span');
    this.noise.className = 'bubble-noise';
    this.element.append(this.ids, this.scale, this.noise);
  }

  show({ choice, ids, colors, sizeRange, colorRange, noise }: KeyContents): void {
    const number = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(3));
    if (choice.color === 'id') {
      this.ids.replaceChildren(...Array.from(ids, (id, row) => swatch(id, colors[row])));
    } else {
      this.ids.replaceChildren(text(`colour: ${choice.color} ${number(colorRange[0])} – ${number(colorRange[1])}`));
    }
    const size = choice.size === 'count' ? `size: area ∝ count, up to ${number(sizeRange[1])}` : `size: ${choice.size} ${number(sizeRange[0])} – ${number(sizeRange[1])}`;
    this.scale.textContent = size;
    this.noise.textContent = `noise: ${noise.toLocaleString('en-US')} point${noise === 1 ? '' : 's'}`;
  }
}

function swatch(id: number, color: string): HTMLElement {
  const item = document.createElement('span');
  item.dataset.id = String(id);
  item.style.cssText = 'display: inline-flex; align-items: center; gap: 3px;';
  const dot = document.createElement('span');
  dot.style.cssText = `width: 9px; height: 9px; border-radius: 50%; background: ${color};`;
  item.append(dot, text(String(id)));
  return item;
}

function text(content: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = content;
  return span;
}
