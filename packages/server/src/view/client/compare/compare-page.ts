import type { GridCell } from '@streamvis/format';
import type { LayoutEvent, PlotInfo, PlotKind, RunsEvent, VersionsEvent } from '../../../protocol.js';
import { connect, type ConnectionState } from '../connection.js';
import { GridLayout } from '../grid.js';
import type { StatusBar } from '../status.js';
import type { CompareCell } from './compare-cell.js';
import { OverlayCell } from './overlay-cell.js';
import { RunColors } from './run-colors.js';
import { RunPicker } from './run-picker.js';
import { SideBySideCell } from './side-by-side-cell.js';

/** Runs shown until the user picks: the newest ones. */
const DEFAULT_RUNS = 6;
/** Runs one page may show at once (the server's limit for one change stream). */
const MAX_RUNS = 64;
/** Columns of the grid when the runs' layouts disagree. */
const FALLBACK_COLUMNS = 2;

interface ComparedPlot {
  kind: PlotKind;
  cell: GridCell;
  /** Per chosen run that has the plot, in the order chosen. */
  infos: Map<string, PlotInfo>;
}

/**
 * The page that compares runs: the run list on the side, and for every plot of the chosen
 * runs one cell: lines overlaid in one figure (a colour per run), other kinds side by side.
 * It follows one change stream for the run list and the chosen runs; choosing runs opens it
 * anew. The choice lives in the URL (`?run=a&run=b`), so a comparison can be shared.
 */
export class ComparePage {
  private readonly colors = new RunColors();
  private readonly picker: RunPicker;
  private readonly grid: GridLayout;
  private readonly layouts = new Map<string, LayoutEvent>();
  private readonly cells = new Map<string, CompareCell>();
  /** Until the user picks, the newest runs are shown, new ones too. */
  private picked: boolean;
  private disconnect: (() => void) | undefined;
  private lastState: ConnectionState = 'connecting';

  constructor(
    sidebar: HTMLElement,
    container: HTMLElement,
    private readonly status: StatusBar,
  ) {
    this.grid = new GridLayout(container);
    this.picker = new RunPicker(sidebar, this.colors, (runs) => {
      this.picked = true;
      this.follow(runs);
    }, MAX_RUNS);
    const fromUrl = new URLSearchParams(location.search).getAll('run');
    this.picked = fromUrl.length > 0;
    this.picker.choose(fromUrl);
    this.follow(this.picker.runs);
  }

  /** How long (ms) the oldest update not yet drawn has waited; 0 when every plot is current. */
  waitingFor(now = performance.now()): number {
    let oldest = now;
    for (const cell of this.cells.values()) oldest = Math.min(oldest, cell.waitingSince() ?? now);
    return now - oldest;
  }

  /** Opens the change stream for these runs (closing the one before). */
  private follow(runs: readonly string[]): void {
    const query = new URLSearchParams(runs.map((run) => ['run', run]));
    history.replaceState(null, '', `${location.pathname}${runs.length > 0 ? `?${query}` : ''}`);
    for (const run of this.layouts.keys()) if (!runs.includes(run)) this.layouts.delete(run);
    this.rebuild();
    this.disconnect?.();
    this.disconnect = connect(`/api/changes?${query}`, {
      state: (state) => {
        this.status.setState(state);
        // After a lost connection the server may be a new one: every frame is fetched again.
        if (state === 'connected' && this.lastState === 'reconnecting') this.cells.forEach((cell) => cell.refresh());
        this.lastState = state;
      },
      runs: (event) => this.showRuns(event),
      layout: (event) => this.showLayout(event),
      versions: (event) => this.showVersions(event),
    });
  }

  private showRuns(event: RunsEvent): void {
    this.status.setCounts(event);
    this.status.setClock(event);
    this.picker.show(event.runs);
    if (this.picked) return;
    const withData = event.runs.filter((run) => run.records > 0);
    const recent = new Set([...withData].sort((a, b) => (b.lastTime ?? 0) - (a.lastTime ?? 0)).slice(0, DEFAULT_RUNS));
    // The newest runs, in the server's order (by name).
    const newest = withData.filter((run) => recent.has(run)).map((run) => run.run);
    const current = this.picker.runs;
    if (newest.length === current.length && newest.every((run) => current.includes(run))) return;
    // Keep the runs shown in place, add the new ones after them.
    const runs = [...current.filter((run) => newest.includes(run)), ...newest.filter((run) => !current.includes(run))];
    this.picker.choose(runs);
    this.follow(runs);
  }

  private showLayout(event: LayoutEvent): void {
    if (!this.picker.runs.includes(event.run)) return;
    this.layouts.set(event.run, event);
    this.rebuild();
  }

  private showVersions(event: VersionsEvent): void {
    for (const [plot, version] of Object.entries(event.versions)) this.cells.get(plot)?.announce(event.run, version);
  }

  /** Lays out one cell per plot of the chosen runs and hands each cell its runs. */
  private rebuild(): void {
    const plots = this.comparedPlots();
    const cells = placed(plots);
    // The runs compared have few plots between them: every cell is on the page.
    for (const name of this.grid.set(cells)) this.grid.attach(name, true);
    for (const [name, cell] of this.cells) {
      if (plots.get(name)?.kind === cell.kind) continue;
      cell.close();
      this.cells.delete(name);
    }
    for (const [name, plot] of plots) {
      const body = this.grid.body(name);
      if (!body) continue;
      let cell = this.cells.get(name);
      if (!cell) {
        const first = plot.infos.values().next().value!;
        cell = plot.kind === 'lines' ? new OverlayCell(first, body, this.colors) : new SideBySideCell(plot.kind, name, body, this.colors);
        this.cells.set(name, cell);
      }
      cell.setRuns(plot.infos);
      for (const [run, info] of plot.infos) cell.announce(run, info.version);
    }
  }

  /** Every plot of the chosen runs, in the order of the runs chosen; a plot's kind is its first run's. */
  private comparedPlots(): Map<string, ComparedPlot> {
    const plots = new Map<string, ComparedPlot>();
    for (const run of this.picker.runs) {
      const event = this.layouts.get(run);
      if (!event) continue;
      for (const info of event.plots) {
        let plot = plots.get(info.name);
        if (!plot) {
          plot = { kind: info.kind, cell: info.cell, infos: new Map() };
          plots.set(info.name, plot);
        }
        if (info.kind === plot.kind) plot.infos.set(run, info);
      }
    }
    return plots;
  }
}

/** The cells of the runs' layouts; when two plots' cells overlap (the runs disagree), a plain grid in order. */
function placed(plots: ReadonlyMap<string, ComparedPlot>): Map<string, GridCell> {
  const cells = [...plots.values()].map((plot) => plot.cell);
  const overlap = cells.some((a, i) => cells.slice(i + 1).some((b) => overlaps(a, b)));
  const names = [...plots.keys()];
  if (!overlap) return new Map(names.map((name, i) => [name, cells[i]]));
  return new Map(names.map((name, i): [string, GridCell] => [name, [Math.floor(i / FALLBACK_COLUMNS), i % FALLBACK_COLUMNS, 1, 1]]));
}

function overlaps([top, left, height, width]: GridCell, [top2, left2, height2, width2]: GridCell): boolean {
  return top < top2 + height2 && top2 < top + height && left < left2 + width2 && left2 < left + width;
}
