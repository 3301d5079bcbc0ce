import type { DType, TypedArray } from './dtype.js';
import type { OptionsOf, PlotKind } from './kinds.js';

/** Format version written in every header; readers reject versions they do not know. */
export const FORMAT_VERSION = 1;

export interface ArrayDescriptor {
  name: string;
  dtype: DType;
  shape: number[];
}

interface HeaderBase {
  v: number;
  run: string;
  /** Random id of the DataLogger instance that wrote the record. */
  logger: string;
  /** 0, 1, 2, ... per logger: with `logger`, identifies a record for de-duplication. */
  seq: number;
  /** Wall-clock milliseconds since the Unix epoch when the record was made. */
  time: number;
  arrays: ArrayDescriptor[];
}

/** The header of a record of plot kind K: its plot and that kind's options. */
export type PlotRecordHeader<K extends PlotKind = PlotKind> = K extends PlotKind ? HeaderBase & { kind: K; plot: string; opts: OptionsOf<K> } : never;

export type RecordHeader =
  | (HeaderBase & { kind: 'layout'; opts: OptionsOf<'layout'> })
  | (HeaderBase & { kind: 'clear'; opts: OptionsOf<'clear'> })
  | PlotRecordHeader;

export interface NamedArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/**
 * The arrays the schema of each kind guarantees a decoded record holds (see
 * options/arrays.ts): scatter x, y (and color) of shape [N]; lines y [M]; multilines x, y
 * [L, P] (and color [L]); cluster points [N, D].
 */
export interface KindArrays {
  layout: Record<never, NamedArray>;
  scatter: { x: NamedArray; y: NamedArray; color?: NamedArray };
  lines: { y: NamedArray };
  multilines: { x: NamedArray; y: NamedArray; color?: NamedArray };
  cluster: { points: NamedArray };
}

/**
 * A decoded record: its header and its arrays by name (an object without a prototype). The arrays may be views into the
 * bytes the record was decoded from: copy what you keep beyond the record's handling.
 */
export interface LogRecord<H extends RecordHeader = RecordHeader> {
  header: H;
  arrays: Record<string, NamedArray>;
}
