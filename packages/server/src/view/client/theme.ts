import type { Figure } from './bokeh.js';

/** The figure colours of the dark theme, matching the page's own (page.ts). */
const DARK = { background: '#171b21', grid: '#2d343c', axis: '#6b7784', text: '#c9d1da' };

const darkQuery = matchMedia('(prefers-color-scheme: dark)');

/** Whether the system asks for dark colours. */
export function isDark(): boolean {
  return darkQuery.matches;
}

/** Reloads the page when the system's setting changes: the figures are drawn in the colours of the theme they were made in. */
export function followSystemTheme(): void {
  darkQuery.addEventListener('change', () => location.reload());
}

/** Dark colours on a figure when the system asks for them (Bokeh's defaults are light). */
export function themed(figure: Figure): Figure {
  if (!isDark()) return figure;
  figure.background_fill_color = DARK.background;
  figure.border_fill_color = null;
  figure.outline_line_color = DARK.grid;
  const { title } = figure;
  if (title !== null && typeof title !== 'string') title.text_color = DARK.text;
  for (const grid of [...figure.xgrids, ...figure.ygrids]) grid.grid_line_color = DARK.grid;
  for (const axis of [...figure.xaxes, ...figure.yaxes]) {
    axis.axis_line_color = DARK.axis;
    axis.major_tick_line_color = DARK.axis;
    axis.minor_tick_line_color = DARK.axis;
    axis.major_label_text_color = DARK.text;
    axis.axis_label_text_color = DARK.text;
  }
  return figure;
}

/** The colour of text drawn on a figure (legends, colour bars): Bokeh's default in the light theme. */
export function textColor(): string | undefined {
  return isDark() ? DARK.text : undefined;
}
