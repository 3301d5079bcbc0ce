import { FileSource } from '../source/file-source.js';
import type { ModeSpec } from './modes.js';

export const fileMode: ModeSpec = {
  name: 'file',
  positionals: ['LOG_FILE'],
  options: {},
  description: 'replay LOG_FILE from its start, then follow what is appended (the file may not exist yet)',
  createSource: (_run, { positionals }) => new FileSource(positionals.LOG_FILE),
};
