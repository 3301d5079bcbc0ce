import type { PlotInfo } from '../../../protocol.js';
import { bokeh, type Figure, type GlyphRenderer } from '../bokeh.js';
import { textColor, themed } from '../theme.js';
import { PLAIN_VIEW, type ViewOptions } from '../view-options.js';

/**
 * A figure that fills its grid cell, with the standard tools. Its ranges are DataRange1d:
 * they follow the data as it arrives until the user pans or zooms, and `reset` makes them
 * follow again. `only_visible` rescales when a line is hidden from the legend. The wheel
 * zooms only once the plot is clicked (see wheelZoomOnClick): elsewhere it scrolls the page.
 */
export function plotFigure(plot: PlotInfo, options: ViewOptions = PLAIN_VIEW): Figure {
  const { title, xLabel, yLabel, xScale } = plot.opts;
  return themed(bokeh.Plotting.figure({
    x_axis_type: xScale === 'log' ? 'log' : 'linear',
    y_axis_type: options.logY ? 'log' : 'linear',
    ...(xLabel === undefined ? {} : { x_axis_label: xLabel }),
    ...(yLabel === undefined ? {} : { y_axis_label: yLabel }),
    title: title ?? plot.name,
    sizing_mode: 'stretch_both',
    tools: [new bokeh.PanTool(), new bokeh.WheelZoomTool(), new bokeh.BoxZoomTool(), new bokeh.ResetTool(), new bokeh.SaveTool()],
    active_scroll: null,
    toolbar_location: 'above',
    x_range: new bokeh.DataRange1d({ only_visible: true, range_padding: 0.05 }),
    y_range: new bokeh.DataRange1d({ only_visible: true, range_padding: 0.05 }),
    border_fill_color: null,
    min_border: 8,
  }));
}

/** Hover showing `tooltips` ([label, "@column" or "$x"] pairs) for the given renderers. */
export function addHover(
  figure: Figure,
  renderers: GlyphRenderer[],
  tooltips: [string, string][],
  mode: 'mouse' | 'vline' = 'mouse',
): void {
  figure.add_tools(new bokeh.HoverTool({ renderers, tooltips, mode }));
}

/**
 * Makes the wheel zoom `figure` after a click in `element`, until the pointer leaves it:
 * a page of many plots scrolls under the wheel instead of zooming whatever is beneath.
 */
export function wheelZoomOnClick(figure: Figure, element: HTMLElement): void {
  const wheel = figure.toolbar.tools.find((tool) => tool instanceof bokeh.WheelZoomTool);
  if (!wheel) return;
  element.addEventListener('pointerdown', () => (figure.toolbar.active_scroll = wheel));
  element.addEventListener('pointerleave', () => (figure.toolbar.active_scroll = null));
}

/** A legend to the right of the data, so it never covers a line; click an entry to hide its lines. */
export function legendOutside(figure: Figure): void {
  const color = textColor();
  figure.add_layout(new bokeh.Legend({ click_policy: 'hide', location: 'top_left', border_line_color: null, background_fill_alpha: 0, ...(color ? { label_text_color: color } : {}) }), 'right');
}

/** Steps read as 200k and 1.5m, not 2.000e+5. */
export function compactX(figure: Figure): void {
  figure.xaxis.formatter = new bokeh.NumeralTickFormatter({ format: '0.[00]a' });
}
