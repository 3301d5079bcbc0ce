/**
 * The `Bokeh` global that /static/bokeh/bokeh*.min.js define, typed with BokehJS's own
 * declarations. The rest of the client imports `bokeh` from here instead of naming the global.
 */
import type * as Api from '@bokeh/bokehjs/build/js/lib/api/index.js';
import type * as NdArray from '@bokeh/bokehjs/build/js/lib/core/util/ndarray.js';
import type { documents } from '@bokeh/bokehjs/build/js/lib/document/index.js';

declare const Bokeh: typeof Api & {
  /** Every Document created on the page; the client removes the ones it disposes. */
  readonly documents: typeof documents;
  /** BokehJS's module loader, for what its API does not export: `ndarray` makes the typed 2-d arrays images take. */
  require(module: 'core/util/ndarray'): typeof NdArray;
};

export const bokeh = Bokeh;

export type { ColumnDataSource, GlyphRenderer } from '@bokeh/bokehjs/build/js/lib/api/index.js';
export type { Figure } from '@bokeh/bokehjs/build/js/lib/api/figure.js';
