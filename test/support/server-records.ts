// Test helper: encoded records of each kind, as a producer would append them to a log.
import { encodeRecord, type ArrayInput, type GridCell, type RecordFields } from '@streamvis/format';

// One producer per run, numbering its records 0, 1, 2, ... as a DataLogger does (servers report jumps as gaps).
const nextSeq = new Map<string, number>();
function frame(fields: Record<string, unknown>, arrays: ArrayInput[] = [], run = 'run'): Buffer {
  const seq = nextSeq.get(run) ?? 0;
  nextSeq.set(run, seq + 1);
  return encodeRecord({ run, logger: 'test', seq, time: Date.now(), ...fields } as RecordFields, arrays);
}
const vector = (name: string, values: number[]): ArrayInput => ({ name, shape: [values.length], data: Float64Array.from(values) });

export const scatterFrame = (plot: string, x: number[], y: number[], opts: Record<string, unknown> = { append: true }, run?: string) =>
  frame({ kind: 'scatter', plot, opts }, [vector('x', x), vector('y', y)], run);
export const linesFrame = (plot: string, step: number, ys: number[], opts: Record<string, unknown> = {}) =>
  frame({ kind: 'lines', plot, opts: { x: step, ...opts } }, [vector('y', ys)]);
export const layoutFrame = (cells: Record<string, GridCell>) => frame({ kind: 'layout', opts: { cells } });
