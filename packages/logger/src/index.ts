export { ArgumentError, PALETTES, type GridCell } from '@streamvis/format';
export { ndarray, type DataInput, type NestedNumbers, type ShapedData } from './ndarray.js';
export { GridSpec } from './grid-spec.js';
export { ColorSpec } from './color-spec.js';
export {
  DataLogger,
  SinkError,
  type DataLoggerOptions,
  type WriteLogOptions,
  type ClusterCallOptions,
  type LoggerReport,
  type MultiLinesCallOptions,
  type HttpInitOptions,
  type PubsubInitOptions,
  type ScatterCallOptions,
  type TandemLinesCallOptions,
} from './data-logger.js';
export { openFileSink, type FileSinkOptions } from './sinks/file-sink.js';
export { RecordsDropped, type OnFull, type Sink, type SinkErrorHandler, type SinkReport } from './sinks/sink.js';
