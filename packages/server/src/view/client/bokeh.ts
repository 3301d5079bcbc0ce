/**
 * The `Bokeh` global that /static/bokeh/bokeh*.min.js define, typed with BokehJS's own
 * declarations. The rest of the client imports `bokeh` from here instead of naming the global.
 */
import type * as Api from '@bokeh/bokehjs/build/js/lib/api/index.js';
import type { documents } from '@bokeh/bokehjs/build/js/lib/document/index.js';

declare const Bokeh: typeof Api & {
  /** Every Document created on the page; the client removes the ones it disposes. */
  readonly documents: typeof documents;
};

export const bokeh = Bokeh;

export type { ColumnDataSource, GlyphRenderer } from '@bokeh/bokehjs/build/js/lib/api/index.js';
export type { Figure } from '@bokeh/bokehjs/build/js/lib/api/figure.js';
