export { startServer, type RunningServer, type ServerOptions } from './server.js';
export type { ServerMode } from './http/app.js';
export { FileSource, type FileSourceOptions } from './source/file-source.js';
export type { CorruptionReport, RecordSource, SourceHandlers } from './source/source.js';
export { DEFAULT_ROLLOVER } from './state/plot-state.js';
export type * from './protocol.js';
export { decodeFrame, encodeFrame, FRAME_CONTENT_TYPE } from './live/frame-codec.js';
