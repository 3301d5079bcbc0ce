import type { ServerMode } from '../http/app.js';
import type { RunFilter } from '../live/run-directory.js';
import type { Ingest } from '../source/ingest.js';
import type { RecordSource } from '../source/source.js';
import { fileMode } from './file-mode.js';
import type { OptionSpecs, OptionValues } from './parse-args.js';
import { pubsubMode } from './pubsub-mode.js';

/** What a mode's arguments ask to serve: which runs, from which source. */
export interface ServedSource {
  runs: RunFilter;
  /** The source; with `ingest`, also where records POSTed to the server go. (Async: a mode may load its client only when used.) */
  createSource(ingest: boolean): Promise<{ source: RecordSource; ingest?: Ingest }>;
}

/** One `streamvis-server MODE PORT ...` form, for the usage text. */
export interface ModeForm {
  /** The arguments after PORT, e.g. `RUN_NAME LOG_FILE [LOG_FILE...]`. */
  usage: string;
  description: string;
}

/** A mode: its options and how its arguments after PORT make the runs served and the source. */
export interface ModeSpec {
  name: ServerMode;
  /**
   * When the server says it is serving: `started`, once its source has started (Pub/Sub: the
   * subscription exists, so a producer started on the printed URL loses no record); `at once`,
   * the history read in the background (a page opened meanwhile fills in).
   */
  ready: 'started' | 'at once';
  /** Options besides those of every mode (--host, ...: see parse-args), for node:util's parseArgs. */
  options: OptionSpecs;
  forms: ModeForm[];
  /** Reads the positionals after PORT and the options; throws UsageError. */
  parse(positionals: string[], values: OptionValues): ServedSource;
}

/** Every mode the CLI knows: a new one is one module and one entry here. */
export const modes: ModeSpec[] = [fileMode, pubsubMode];
