import { bokeh, type Figure } from './bokeh.js';

/**
 * What the user did to a figure that its data does not say: the ranges zoomed or panned
 * to, and the legend entries clicked off. A plot that scrolls off screen releases its
 * figure and keeps this, so it comes back as the user left it.
 */
export interface FigureState {
  x?: [number, number];
  y?: [number, number];
  /** Indices of the legend entries whose lines are hidden (greyed out in the legend). */
  hiddenEntries: number[];
}

/** The state to keep of `figure`, or undefined when the user changed nothing. */
export function saveFigureState(figure: Figure): FigureState | undefined {
  const range = ({ start, end, have_updated_interactively }: Figure['x_range']): [number, number] | undefined =>
    have_updated_interactively ? [start, end] : undefined;
  const x = range(figure.x_range);
  const y = range(figure.y_range);
  // An entry's first renderer is its raw line: only a legend click hides it (smoothed lines come and go with the slider).
  const hiddenEntries = legendItems(figure).flatMap((item, i) => (item.renderers[0]?.visible === false ? [i] : []));
  if (!x && !y && hiddenEntries.length === 0) return undefined;
  return { ...(x ? { x } : {}), ...(y ? { y } : {}), hiddenEntries };
}

/** Puts `state` back on a new figure of the same plot, before or after it is shown. */
export function restoreFigureState(figure: Figure, state: FigureState): void {
  for (const [range, span] of [[figure.x_range, state.x], [figure.y_range, state.y]] as const) {
    if (!span) continue;
    // As a pan would: the range stops following the data until Reset.
    range.have_updated_interactively = true;
    range.setv({ start: span[0], end: span[1] });
  }
  const items = legendItems(figure);
  for (const i of state.hiddenEntries) for (const renderer of items[i]?.renderers ?? []) renderer.visible = false;
}

/** The figure's legend entries; reading `figure.legend` would add a legend to a figure without one. */
function legendItems(figure: Figure): InstanceType<typeof bokeh.LegendItem>[] {
  return figure.panels.flatMap((panel) => (panel instanceof bokeh.Legend ? panel.items : []));
}
