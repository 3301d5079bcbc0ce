import { FileSource } from '../source/file-source.js';
import { LogIngest } from '../source/ingest.js';
import { LogDirSource } from '../source/log-dir-source.js';
import { MergedSource } from '../source/merged-source.js';
import type { ModeSpec } from './modes.js';
import { listOf, runListOf, stringOf, UsageError } from './parse-args.js';

export const fileMode: ModeSpec = {
  name: 'file',
  ready: 'at once',
  options: { logdir: { type: 'string', multiple: true }, runs: { type: 'string' } },
  forms: [
    {
      usage: 'RUN_NAME LOG_FILE [LOG_FILE...]',
      description: 'replay each LOG_FILE from its start, then follow what is appended (a file may not exist yet); serve run RUN_NAME. With --ingest, records POSTed are appended to the first LOG_FILE',
    },
    {
      usage: '--logdir DIR [--logdir DIR...] [--runs A,B,...]',
      description: 'the same for every *.svlog under DIR, logs that appear later too; serve every run they hold (or those of --runs). With --ingest, records POSTed go to DIR/ingest/RUN.svlog',
    },
  ],
  parse(positionals, values) {
    const dirs = listOf(values.logdir);
    const runs = stringOf(values.runs);
    if (dirs.length > 0) {
      if (positionals.length > 0) throw new UsageError(`mode file with --logdir takes only PORT; got also ${positionals.join(' ')}`);
      return {
        runs: runs === undefined ? 'all' : runListOf(runs),
        createSource: async (ingest) => ({ source: merged(dirs.map((dir) => new LogDirSource(dir))), ...(ingest ? { ingest: LogIngest.intoDirectory(dirs[0]) } : {}) }),
      };
    }
    if (runs !== undefined) throw new UsageError('--runs goes with --logdir; without it, name the one run: RUN_NAME LOG_FILE');
    const [run, ...logs] = positionals;
    if (run === undefined || logs.length === 0) throw new UsageError(`mode file takes RUN_NAME LOG_FILE [LOG_FILE...] or --logdir DIR; got ${positionals.length} argument(s)`);
    if (run === '') throw new UsageError('RUN_NAME must not be empty');
    return { runs: [run], createSource: async (ingest) => ({ source: merged(logs.map((log) => new FileSource(log))), ...(ingest ? { ingest: LogIngest.intoLog(logs[0]) } : {}) }) };
  },
};

function merged<S extends FileSource | LogDirSource>(sources: S[]): S | MergedSource {
  return sources.length === 1 ? sources[0] : new MergedSource(sources);
}
