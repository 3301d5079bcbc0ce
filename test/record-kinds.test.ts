import { describe, expect, it } from 'vitest';
import { CONTROL_KINDS, encodeRecord, PLOT_KINDS, readFrame, RECORD_KINDS, type PlotKind, type RecordFields } from '@streamvis/format';
import { plotKinds } from '../packages/server/src/state/plot-kinds.js';
import type { PlotFactory } from '../packages/server/src/state/plot-state.js';
import type { renderers } from '../packages/server/src/view/client/plots/registry.js';
import type { PlotRenderer } from '../packages/server/src/view/client/plots/plot-view.js';

// The one list of kinds is the format's RECORD_KINDS; every registry is typed by it.
type WithHistogram = PlotKind | 'histogram';

// @ts-expect-error a server registry without an entry for a new kind does not compile
const serverMissingKind: { [K in WithHistogram]: PlotFactory } = plotKinds;
// @ts-expect-error a page registry without an entry for a new kind does not compile
const pageMissingKind: Record<WithHistogram, PlotRenderer> = {} as typeof renderers;

describe('record kinds', () => {
  it('the server has a plot state for every plot kind of the format, and nothing else', () => {
    expect(Object.keys(plotKinds).sort()).toEqual([...PLOT_KINDS].sort());
    expect(Object.keys(RECORD_KINDS).sort()).toEqual([...CONTROL_KINDS, ...PLOT_KINDS].sort());
    expect([serverMissingKind, pageMissingKind]).toHaveLength(2);
  });

  it('the decoder accepts exactly the listed kinds and names an unknown one', () => {
    const point = (name: string) => ({ name, shape: [1], data: Float64Array.of(1) });
    const frame = (kind: string) => encodeRecord({ run: 'r', logger: 'L', seq: 0, time: 0, kind, plot: 'p', opts: { append: true } } as unknown as RecordFields, [point('x'), point('y')]);
    expect(readFrame(frame('histogram'), 0)).toMatchObject({ status: 'corrupt', reason: 'header.kind: expected one of layout, clear, scatter, lines, multilines, cluster, got "histogram"' });
    expect(readFrame(frame('scatter'), 0)).toMatchObject({ status: 'record' });
  });
});
