import type { ServerMode } from '../http/app.js';
import type { RecordSource } from '../source/source.js';
import { fileMode } from './file-mode.js';
import { pubsubMode } from './pubsub-mode.js';

/** A mode's own command-line arguments, after PORT and RUN_NAME. */
export interface ModeArgs {
  /** By the names in `positionals`. */
  positionals: Record<string, string>;
  /** By option name without dashes; absent when not given. */
  options: Record<string, string | undefined>;
}

/** One `streamvis-server MODE ...` form: its arguments and how it makes its record source. */
export interface ModeSpec {
  name: ServerMode;
  /** Upper-case names of the positional arguments after PORT RUN_NAME. */
  positionals: string[];
  /** Value-taking options besides those of every mode (--host, ...: see parse-args), by name without dashes, with their placeholder. */
  options: Record<string, string>;
  description: string;
  createSource(run: string, args: ModeArgs): RecordSource;
}

/** Every mode the CLI knows: a new one (pubsub) is one module and one entry here. */
export const modes: ModeSpec[] = [fileMode, pubsubMode];
