import type { PlotFrame, PlotInfo } from '../../protocol.js';
import { bokeh } from './bokeh.js';
import { wheelZoomOnClick } from './plots/figure.js';
import type { PlotView, ZoomAxes } from './plots/plot-view.js';
import { viewOf } from './plots/registry.js';
import type { ViewRange } from './plot-feed.js';
import { PLAIN_VIEW, type ViewOptions } from './view-options.js';

/** Wait after the user's last pan or zoom step before the plot asks for the range it shows. */
const RANGE_SETTLE_MS = 120;

/** A plot drawn in its grid cell. */
export interface MountedPlot {
  readonly view: PlotView;
  /** Settles once the figure is on the page, could not be drawn, or is unmounted. */
  readonly ready: Promise<void>;
  /** Removes the figure from its element. */
  unmount(): void;
}

/**
 * Draws `plot` from its first frame into `element`, as the single root of its own Bokeh
 * document. `onRange` hears the ranges the user pans or zooms to (empty after Reset).
 */
export function mountPlot(plot: PlotInfo, frame: PlotFrame, element: HTMLElement, onRange: (range: ViewRange) => void, options: ViewOptions = PLAIN_VIEW): MountedPlot {
  const view = viewOf(plot, frame, options);
  // Bokeh appends to the element: clear the placeholder (or a notice) first.
  element.replaceChildren();
  const figureElement = view.controls ? belowControls(element, view.controls) : element;
  followZoom(view.figure, view.zoom, onRange);
  wheelZoomOnClick(view.figure, element);
  let unmounted = false;
  // Bokeh's promise waits for the document to go idle: one cleared before that never does.
  let gone = () => {};
  const ready = Promise.race([
    bokeh.Plotting.show(view.figure, figureElement).then(
      () => undefined,
      (error: unknown) => {
        if (unmounted) return;
        console.error(`streamvis: cannot draw plot '${plot.name}'`, error);
        element.replaceChildren(notice(`Cannot draw plot '${plot.name}': ${String(error)}`));
      },
    ),
    new Promise<void>((resolve) => (gone = resolve)),
  ]);
  return {
    view,
    ready,
    unmount() {
      unmounted = true;
      gone();
      view.dispose?.();
      disposeFigure(view.figure);
      element.replaceChildren();
    },
  };
}

/** Clears the figure's document and forgets it: Bokeh keeps every document ever made in a list, which should hold only live plots. */
export function disposeFigure(figure: PlotView['figure']): void {
  const document = figure.document;
  if (!document) return;
  document.clear();
  const index = bokeh.documents.indexOf(document);
  if (index >= 0) bokeh.documents.splice(index, 1);
}

/**
 * Draws `frame` in the plot mounted in `element`, or mounts it anew on its first frame or
 * one its view cannot take (a scatter gained colour). Returns what is mounted now.
 */
export function drawFrame(
  mounted: MountedPlot | undefined,
  plot: PlotInfo,
  frame: PlotFrame,
  element: HTMLElement,
  onRange: (range: ViewRange) => void,
  options: ViewOptions = PLAIN_VIEW,
): MountedPlot {
  if (mounted?.view.show(frame)) return mounted;
  mounted?.unmount();
  return mountPlot(plot, frame, element, onRange, options);
}

/**
 * Reports the ranges once a pan or zoom settles. Reset fires a ranges update too, just
 * before its own event: the pending report is then dropped and the whole plot asked for.
 */
export function followZoom(figure: PlotView['figure'], axes: ZoomAxes, onRange: (range: ViewRange) => void): void {
  if (axes === 'none') return;
  let pending: ReturnType<typeof setTimeout> | undefined;
  figure.on_event('rangesupdate', ({ x0, x1, y0, y1 }) => {
    clearTimeout(pending);
    pending = setTimeout(() => onRange({ x: [x0, x1], ...(axes === 'xy' ? { y: [y0, y1] as [number, number] } : {}) }), RANGE_SETTLE_MS);
  });
  figure.on_event('reset', () => {
    clearTimeout(pending);
    onRange({});
  });
}

/** Puts `controls` at the top of `element` and returns the element below them that the figure fills. */
function belowControls(element: HTMLElement, controls: HTMLElement): HTMLElement {
  const figureElement = document.createElement('div');
  figureElement.style.cssText = 'position: relative; flex: 1 1 auto; min-height: 0;';
  element.style.display = 'flex';
  element.style.flexDirection = 'column';
  element.replaceChildren(controls, figureElement);
  return figureElement;
}

export function notice(text: string, className = 'notice'): HTMLElement {
  const paragraph = document.createElement('p');
  paragraph.className = className;
  paragraph.textContent = text;
  return paragraph;
}
