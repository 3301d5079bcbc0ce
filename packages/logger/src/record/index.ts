export * from './dtype.js';
export * from './types.js';
export * from './codec.js';
export * from './frame-reader.js';
