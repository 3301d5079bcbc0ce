import type { DType, TypedArray } from './dtype.js';

/** Format version written in every header; readers reject versions they do not know. */
export const FORMAT_VERSION = 1;

/** Grid cell of a plot on the page: [top, left, height, width] in grid units. */
export type GridCell = [top: number, left: number, height: number, width: number];

export type RecordKind = 'layout' | 'scatter' | 'lines' | 'multilines' | 'cluster';

export interface ArrayDescriptor {
  name: string;
  dtype: DType;
  shape: number[];
}

/** Options carried by each kind of record (see docs/log-format.md). */
export interface LayoutOptions {
  cells: Record<string, GridCell>;
}
export interface ScatterOptions {
  append: boolean;
  rollover?: number;
  /** Palette for the `color` column (values in [0, 1]); absent when there is no colour. */
  palette?: string;
}
export interface LinesOptions {
  /** The x value (step) shared by every line of the plot. */
  x: number;
  palette?: string;
  rollover?: number;
}
export interface MultiLinesOptions {
  append: boolean;
  rollover?: number;
  palette?: string;
}
export interface ClusterOptions {
  columns: string[];
  k?: number;
  kMin?: number;
  kMax?: number;
  frameSize?: number;
  gate?: number;
  maxAge?: number;
  seed?: number;
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

export type RecordHeader =
  | (HeaderBase & { kind: 'layout'; opts: LayoutOptions })
  | (HeaderBase & { kind: 'scatter'; plot: string; opts: ScatterOptions })
  | (HeaderBase & { kind: 'lines'; plot: string; opts: LinesOptions })
  | (HeaderBase & { kind: 'multilines'; plot: string; opts: MultiLinesOptions })
  | (HeaderBase & { kind: 'cluster'; plot: string; opts: ClusterOptions });

export interface NamedArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/**
 * A decoded record: its header and its arrays by name. The arrays may be views into the
 * bytes the record was decoded from: copy what you keep beyond the record's handling.
 */
export interface LogRecord {
  header: RecordHeader;
  arrays: Record<string, NamedArray>;
}
