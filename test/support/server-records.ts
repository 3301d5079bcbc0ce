// Test helper: encoded records of each kind, as a producer would append them to a log.
import { encodeRecord, type ArrayInput, type GridCell, type RecordFields } from '@streamvis/format';

let seq = 0;
const frame = (fields: Record<string, unknown>, arrays: ArrayInput[] = [], run = 'run'): Buffer =>
  encodeRecord({ run, logger: 'test', seq: seq++, time: Date.now(), ...fields } as RecordFields, arrays);
const vector = (name: string, values: number[]): ArrayInput => ({ name, shape: [values.length], data: Float64Array.from(values) });

export const scatterFrame = (plot: string, x: number[], y: number[], opts: Record<string, unknown> = { append: true }, run?: string) =>
  frame({ kind: 'scatter', plot, opts }, [vector('x', x), vector('y', y)], run);
export const linesFrame = (plot: string, step: number, ys: number[], opts: Record<string, unknown> = {}) =>
  frame({ kind: 'lines', plot, opts: { x: step, ...opts } }, [vector('y', ys)]);
export const layoutFrame = (cells: Record<string, GridCell>) => frame({ kind: 'layout', opts: { cells } });
