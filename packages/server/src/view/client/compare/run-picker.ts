import type { RunSummary } from '../../../protocol.js';
import type { RunColors } from './run-colors.js';

interface Entry {
  item: HTMLLIElement;
  box: HTMLInputElement;
  meta: HTMLElement;
}

/**
 * The list of runs beside the compare page's plots: a filter box, and per run a checkbox,
 * its colour, its name and its counts, in the server's order. New runs are added as the server lists them;
 * choices are the user's (the page's URL keeps them).
 */
export class RunPicker {
  private readonly list: HTMLUListElement;
  private readonly filter: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly entries = new Map<string, Entry>();
  private chosen: string[] = [];

  constructor(
    root: HTMLElement,
    private readonly colors: RunColors,
    /** Told the runs chosen, in the order they were chosen. */
    private readonly onChoose: (runs: string[]) => void,
    private readonly maxChosen: number,
  ) {
    this.filter = document.createElement('input');
    this.filter.type = 'search';
    this.filter.placeholder = 'Filter runs';
    this.filter.addEventListener('input', () => this.applyFilter());
    this.list = document.createElement('ul');
    this.count = document.createElement('p');
    this.count.className = 'run-count';
    root.replaceChildren(this.filter, this.count, this.list);
  }

  /** The runs the server serves now. */
  show(runs: readonly RunSummary[]): void {
    this.colors.know(runs.map((r) => r.run));
    for (const summary of runs) {
      const entry = this.entries.get(summary.run) ?? this.add(summary.run);
      entry.meta.textContent = `${summary.records.toLocaleString('en-US')} records · ${summary.status}`;
      entry.item.dataset.status = summary.status;
    }
    // In the server's order (by name), new runs among the others.
    this.list.append(...runs.map((summary) => this.entries.get(summary.run)!.item));
    this.applyFilter();
  }

  /** Checks exactly these runs (from the URL, or a default), without telling onChoose. */
  choose(runs: readonly string[]): void {
    this.chosen = runs.slice(0, this.maxChosen);
    for (const [run, entry] of this.entries) entry.box.checked = this.chosen.includes(run);
    this.render();
  }

  get runs(): readonly string[] {
    return this.chosen;
  }

  private add(run: string): Entry {
    const item = document.createElement('li');
    item.dataset.run = run;
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = this.chosen.includes(run);
    box.addEventListener('change', () => {
      this.chosen = box.checked ? [...this.chosen, run] : this.chosen.filter((r) => r !== run);
      this.render();
      this.onChoose(this.chosen);
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = this.colors.cssOf(run);
    const name = document.createElement('span');
    name.className = 'run-name';
    name.textContent = run;
    const meta = document.createElement('span');
    meta.className = 'run-meta';
    label.append(box, swatch, name, meta);
    item.append(label);
    this.list.append(item);
    const entry = { item, box, meta };
    this.entries.set(run, entry);
    return entry;
  }

  private applyFilter(): void {
    const text = this.filter.value.trim().toLowerCase();
    for (const [run, { item }] of this.entries) item.hidden = text !== '' && !run.toLowerCase().includes(text);
    this.render();
  }

  private render(): void {
    const full = this.chosen.length >= this.maxChosen;
    for (const { box } of this.entries.values()) box.disabled = full && !box.checked;
    const shown = [...this.entries.values()].filter((entry) => !entry.item.hidden).length;
    const listed = shown === this.entries.size ? `${this.entries.size} runs` : `${shown} of ${this.entries.size} runs`;
    this.count.textContent = `${listed} · ${this.chosen.length} shown${full ? ` (at most ${this.maxChosen})` : ''}`;
  }
}
