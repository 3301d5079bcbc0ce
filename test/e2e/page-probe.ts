import type { Page } from 'playwright-core';

/** What the e2e tests read of one plot on the live page, through BokehJS's own models. */
export interface PlotProbe {
  title: string;
  backend: string;
  /** Glyph type of each visible glyph renderer: 'Scatter', 'Line', 'MultiLine', 'ImageRGBA' (a scatter's density), ... */
  glyphs: string[];
  /** Rows of each visible glyph renderer's data source. */
  lengths: number[];
  /** Every column of the first visible renderer's source, as plain numbers (multilines: point counts per line; images: pixels). */
  columns: Record<string, number[]>;
  colorBars: number;
  legendItems: number;
  xRange: [number, number];
  yRange: [number, number];
  /** The plot's cell on the page, in CSS pixels. */
  box: { x: number; y: number; width: number; height: number };
}

/** Reads every plot on the page, sorted by title. Runs in the browser: no closures. */
export function probePlots(page: Page): Promise<PlotProbe[]> {
  return page.evaluate(() => {
    interface Model {
      type: string;
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[] } }).Bokeh;
    const plots = bokeh.documents.map((doc) => {
      const figure = doc.roots()[0];
      // What the user sees: a scatter hides its markers while it shows its density image, and the other way round.
      const renderers = (figure.renderers as Model[]).filter((r) => r.type === 'GlyphRenderer' && r.visible);
      const sources = renderers.map((r) => r.data_source as Model & { get_length(): number | null; data: Record<string, ArrayLike<unknown>> });
      const data = sources[0]?.data ?? {};
      const columns: Record<string, number[]> = {};
      for (const [name, values] of Object.entries(data)) {
        columns[name] = Array.from(values, (v) => (typeof v === 'number' ? v : (v as ArrayLike<number>).length));
      }
      const annotations = [...(figure.right as Model[]), ...(figure.center as Model[])];
      const legend = annotations.find((m) => m.type === 'Legend') as Model & { items: unknown[] } | undefined;
      const [x, y] = [figure.x_range, figure.y_range] as (Model & { start: number; end: number })[];
      const title = (figure.title as Model & { text: string }).text;
      const cell = document.querySelector(`[data-plot="${title}"]`)!.getBoundingClientRect();
      return {
        title,
        backend: figure.output_backend as string,
        glyphs: renderers.map((r) => (r.glyph as Model).type),
        lengths: sources.map((s) => s.get_length() ?? 0),
        columns,
        colorBars: annotations.filter((m) => m.type === 'ColorBar').length,
        legendItems: legend ? legend.items.length : 0,
        xRange: [x.start, x.end] as [number, number],
        yRange: [y.start, y.end] as [number, number],
        box: { x: cell.x, y: cell.y, width: cell.width, height: cell.height },
      };
    });
    return plots.sort((a, b) => a.title.localeCompare(b.title));
  });
}

/** Probes until `ready` holds (polling), then returns that probe; fails after `timeoutMs`. */
export async function probeUntil(page: Page, ready: (plots: PlotProbe[]) => boolean, timeoutMs = 20_000): Promise<PlotProbe[]> {
  const deadline = Date.now() + timeoutMs;
  let plots: PlotProbe[] = [];
  while (Date.now() < deadline) {
    plots = await probePlots(page).catch(() => []);
    if (ready(plots)) return plots;
    await page.waitForTimeout(100);
  }
  throw new Error(`the page did not reach the expected state within ${timeoutMs} ms; last probe:\n${JSON.stringify(summary(plots), null, 1)}`);
}

function summary(plots: PlotProbe[]) {
  return plots.map(({ title, glyphs, lengths, colorBars, legendItems }) => ({ title, glyphs, lengths, colorBars, legendItems }));
}

export function plotNamed(plots: PlotProbe[], title: string): PlotProbe {
  const plot = plots.find((p) => p.title === title);
  if (!plot) throw new Error(`no plot '${title}' on the page; plots: ${plots.map((p) => p.title).join(', ')}`);
  return plot;
}

/** Where point `index` of the first glyph of plot `title` is drawn, in page coordinates. */
export function pointOnScreen(page: Page, title: string, index: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ title, index }) => {
      interface Model {
        [key: string]: unknown;
      }
      interface Views {
        find_one(model: Model): (Model & { glyph: { sx: ArrayLike<number>; sy: ArrayLike<number> }; canvas_view: { el: HTMLElement } }) | null;
      }
      const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[]; index: Views } }).Bokeh;
      const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title)!;
      // The screen coordinates the glyph's view computed for drawing.
      const glyph = bokeh.index.find_one((figure.renderers as Model[])[0])!.glyph;
      const canvas = bokeh.index.find_one(figure)!.canvas_view.el.getBoundingClientRect();
      return { x: canvas.x + glyph.sx[index], y: canvas.y + glyph.sy[index] };
    },
    { title, index },
  );
}

/** Where the data points `points` ([x, y] each) of plot `title` are on the page, through the figure's own scales. */
export function dataOnScreen(page: Page, title: string, points: [number, number][]): Promise<{ x: number; y: number }[]> {
  return page.evaluate(
    ({ title, points }) => {
      interface Model {
        [key: string]: unknown;
      }
      interface Scale {
        compute(value: number): number;
      }
      interface PlotView {
        frame: { x_scale: Scale; y_scale: Scale };
        canvas_view: { el: HTMLElement };
      }
      const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[]; index: { find_one(model: Model): PlotView | null } } }).Bokeh;
      const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title)!;
      const view = bokeh.index.find_one(figure)!;
      const canvas = view.canvas_view.el.getBoundingClientRect();
      return points.map(([x, y]) => ({ x: canvas.x + view.frame.x_scale.compute(x), y: canvas.y + view.frame.y_scale.compute(y) }));
    },
    { title, points },
  );
}

/** A box on the page, in CSS pixels. */
export interface ScreenBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The mean colour of each box of `png` (a screenshot of the whole viewport): its ink (765 - r - g - b, 0 on white) and, over its inked pixels, r, g, b. */
export function boxColours(page: Page, png: Buffer, boxes: ScreenBox[]): Promise<{ ink: number; r: number; g: number; b: number }[]> {
  return page.evaluate(
    async ({ base64, boxes }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return boxes.map((box) => {
        const { data } = context.getImageData(Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height));
        let ink = 0;
        let inked = 0;
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) {
          const pixelInk = 765 - data[i] - data[i + 1] - data[i + 2];
          ink += pixelInk;
          if (pixelInk < 60) continue;
          inked++;
          for (let c = 0; c < 3; c++) sum[c] += data[i + c];
        }
        const [r, g, b] = sum.map((v) => (inked > 0 ? v / inked : 255));
        return { ink: ink / (data.length / 4), r, g, b };
      });
    },
    { base64: png.toString('base64'), boxes },
  );
}

/** Moves the mouse to `at` and returns the text of the tooltip that shows `hasText`. */
export async function hoverText(page: Page, at: { x: number; y: number }, hasText: string): Promise<string> {
  await page.mouse.move(at.x, at.y);
  const tooltip = page.locator('.bk-Tooltip').filter({ hasText }).first();
  await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
  // The tooltip draws its rows inside its shadow root.
  return tooltip.evaluate((element) => {
    const textOf = (node: Node): string =>
      node.nodeType === Node.TEXT_NODE ? ` ${node.textContent ?? ''}` : [...((node as Element).shadowRoot?.childNodes ?? []), ...node.childNodes].map(textOf).join('');
    return textOf(element).replace(/\s+/g, ' ');
  });
}

/**
 * The share of the pixels of plot `title`'s canvas that are strongly coloured (points,
 * lines: axes, grid and text are grey), read from a real screenshot of the page.
 */
export async function colouredShare(page: Page, title: string): Promise<number> {
  const box = await page.evaluate((title) => {
    interface Model {
      [key: string]: unknown;
    }
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[]; index: { find_one(model: Model): { canvas_view: { el: HTMLElement } } | null } } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title)!;
    const { x, y, width, height } = bokeh.index.find_one(figure)!.canvas_view.el.getBoundingClientRect();
    return { x, y, width, height };
  }, title);
  const png = await page.screenshot({ clip: box });
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    return coloured / (image.width * image.height);
  }, png.toString('base64'));
}

/** Reads until `ready` holds (polling every 100 ms) and returns that reading; fails after `timeoutMs`, showing the last one. */
export async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ready(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** One line of a multilines plot as drawn: the colour its renderer maps it to, and the screen's pixels along it. */
export interface DrawnLine {
  /** The line's colour value (the source's `color` column). */
  value: number;
  /** [r, g, b] the renderer's colour mapper gives the value (the palette colour). */
  mapped: [number, number, number];
  /** [r, g, b] of the screenshot pixel nearest to `mapped` within 3 px of the line's middle point. */
  drawn: [number, number, number];
}

/**
 * Each line of the multilines plot `title`: its colour value and mapped palette colour, read
 * from the BokehJS renderer, and the colour a real screenshot shows where the line is drawn.
 */
export async function drawnLines(page: Page, title: string): Promise<DrawnLine[]> {
  const drawn = await page.evaluate((title) => {
    interface Model {
      [key: string]: unknown;
    }
    interface Ragged {
      length: number;
      get(i: number): Float64Array;
    }
    interface GlyphView {
      sxs: Ragged;
      sys: Ragged;
    }
    type Views = { find_one(model: Model): (Model & { glyph: GlyphView; canvas_view: { el: HTMLElement } }) | null };
    const bokeh = (window as unknown as { Bokeh: { documents: { roots(): Model[] }[]; index: Views } }).Bokeh;
    const figure = bokeh.documents.map((doc) => doc.roots()[0]).find((root) => (root.title as { text: string }).text === title)!;
    const renderer = (figure.renderers as Model[]).find((r) => (r.glyph as Model & { type: string }).type === 'MultiLine')!;
    const values = Array.from((renderer.data_source as { data: { color: ArrayLike<number> } }).data.color);
    const lineColor = (renderer.glyph as { line_color: { transform: { rgba_mapper: { v_compute(values: number[]): Uint8ClampedArray } } } }).line_color;
    const rgba = lineColor.transform.rgba_mapper.v_compute(values);
    const glyph = bokeh.index.find_one(renderer)!.glyph;
    const canvas = bokeh.index.find_one(figure)!.canvas_view.el.getBoundingClientRect();
    const lines = values.map((value, i) => {
      const [sx, sy] = [glyph.sxs.get(i), glyph.sys.get(i)];
      const middle = Math.floor(sx.length / 2);
      return { value, mapped: [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]], at: { x: sx[middle], y: sy[middle] } };
    });
    return { lines, canvas: { x: canvas.x, y: canvas.y, width: canvas.width, height: canvas.height } };
  }, title);
  const png = await page.screenshot({ clip: drawn.canvas });
  return page.evaluate(
    async ({ base64, lines }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const context = new OffscreenCanvas(image.width, image.height).getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data, width } = context.getImageData(0, 0, image.width, image.height);
      return lines.map(({ value, mapped, at }) => {
        let best: [number, number, number] = [255, 255, 255];
        let bestDistance = Infinity;
        for (let dy = -3; dy <= 3; dy++) {
          for (let dx = -3; dx <= 3; dx++) {
            const i = 4 * (Math.round(at.y + dy) * width + Math.round(at.x + dx));
            const pixel: [number, number, number] = [data[i], data[i + 1], data[i + 2]];
            const distance = pixel.reduce((sum, c, k) => sum + Math.abs(c - mapped[k]), 0);
            if (distance < bestDistance) [best, bestDistance] = [pixel, distance];
          }
        }
        return { value, mapped: mapped as [number, number, number], drawn: best };
      });
    },
    { base64: png.toString('base64'), lines: drawn.lines },
  );
}
