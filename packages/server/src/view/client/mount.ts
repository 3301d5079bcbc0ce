import type { PlotSnapshot } from '../../protocol.js';
import { bokeh } from './bokeh.js';
import type { PlotView } from './plots/plot-view.js';
import { renderers } from './plots/registry.js';

/** A plot drawn in its grid cell; `view` is absent when no renderer knows the plot's kind. */
export interface MountedPlot {
  readonly plot: PlotSnapshot;
  readonly view: PlotView | undefined;
  /** The element the plot is drawn in; empty after `unmount`. */
  readonly element: HTMLElement;
  unmount(): void;
}

/** Draws `plot` into `element` as the single root of its own Bokeh document. */
export function mountPlot(plot: PlotSnapshot, element: HTMLElement): MountedPlot {
  const render = renderers[plot.kind];
  if (!render) {
    element.replaceChildren(message(`No renderer for plot kind '${plot.kind}'.`));
    return { plot, view: undefined, element, unmount: () => element.replaceChildren() };
  }
  const view = render(plot);
  const figureElement = view.controls ? belowControls(element, view.controls) : element;
  bokeh.Plotting.show(view.figure, figureElement).catch((error: unknown) => {
    console.error(`streamvis: cannot draw plot '${plot.name}'`, error);
    element.replaceChildren(message(`Cannot draw plot '${plot.name}': ${String(error)}`));
  });
  return {
    plot,
    view,
    element,
    unmount() {
      view.dispose?.();
      const document = view.figure.document;
      if (document) {
        document.clear();
        // Bokeh keeps every document ever made in this list; drop ours so it only holds live plots.
        const index = bokeh.documents.indexOf(document);
        if (index >= 0) bokeh.documents.splice(index, 1);
      }
      element.replaceChildren();
    },
  };
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

function message(text: string): HTMLElement {
  const paragraph = document.createElement('p');
  paragraph.className = 'notice';
  paragraph.textContent = text;
  return paragraph;
}
