import { bokeh, type Figure } from '../bokeh.js';
import { textColor } from '../theme.js';

/** A glyph's colour property: each row's colour from its `color` column through the palette. */
export interface ColorField {
  field: 'color';
  transform: InstanceType<typeof bokeh.LinearColorMapper>;
}

/**
 * Maps a `color` column of values in [0, 1] linearly onto `palette` (values outside take the
 * end colours) and shows the scale as a colour bar to the right of the data, titled `label`.
 */
export function colorScale(figure: Figure, palette: number[], label: string | undefined): ColorField {
  const mapper = new bokeh.LinearColorMapper({ palette, low: 0, high: 1 });
  const text = textColor();
  figure.add_layout(
    new bokeh.ColorBar({
      color_mapper: mapper,
      width: 10,
      background_fill_alpha: 0,
      ...(text ? { major_label_text_color: text, title_text_color: text } : {}),
      ...(label ? { title: label } : {}),
    }),
    'right',
  );
  return { field: 'color', transform: mapper };
}
