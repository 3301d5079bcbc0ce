import { IngestSource } from '../source/ingest.js';
import { LoggedSource } from '../source/logged-source.js';
import { MergedSource } from '../source/merged-source.js';
import type { ModeSpec } from './modes.js';
import { runListOf, stringOf, UsageError } from './parse-args.js';

const SHARED =
  '(the emulator at PUBSUB_EMULATOR_HOST when set); with --log_file, replay PATH first and append every record received to it; ' +
  'with --subscription, use and keep that subscription, so a restarted server also gets what was published while it was down';

export const pubsubMode: ModeSpec = {
  name: 'pubsub',
  ready: 'started',
  options: { log_file: { type: 'string' }, subscription: { type: 'string' }, 'all-runs': { type: 'boolean' }, runs: { type: 'string' } },
  forms: [
    { usage: 'RUN_NAME PROJECT TOPIC [--log_file PATH] [--subscription NAME]', description: `receive run RUN_NAME's records from Pub/Sub TOPIC in PROJECT ${SHARED}` },
    { usage: 'PROJECT TOPIC --all-runs|--runs A,B,... [--log_file PATH] [--subscription NAME]', description: `receive every run published on TOPIC (or those of --runs) ${SHARED}` },
  ],
  parse(positionals, values) {
    const listed = stringOf(values.runs);
    const allRuns = values['all-runs'] === true;
    if (allRuns && listed !== undefined) throw new UsageError("give '--all-runs' or '--runs', not both");
    const many = allRuns || listed !== undefined;
    const expected = many ? ['PROJECT', 'TOPIC'] : ['RUN_NAME', 'PROJECT', 'TOPIC'];
    if (positionals.length !== expected.length) throw new UsageError(`mode pubsub takes ${expected.join(' ')}${many ? '' : ' (or PROJECT TOPIC --all-runs)'}; got ${positionals.length} argument(s)`);
    const [run, project, topic] = (many ? [undefined, ...positionals] : positionals) as [string | undefined, string, string];
    if (run === '') throw new UsageError('RUN_NAME must not be empty');
    const runs = run !== undefined ? [run] : listed !== undefined ? runListOf(listed) : 'all';
    const logFile = stringOf(values.log_file);
    const subscription = stringOf(values.subscription);
    return {
      runs,
      createSource: async (ingest) => {
        // Loaded only here: the Pub/Sub client adds about 40 MiB to the server and most of a second to its start.
        const { PubsubSource } = await import('../source/pubsub-source.js');
        const pubsub = new PubsubSource({ project, topic, runs, ...(subscription === undefined ? {} : { subscription }) });
        // Records POSTed join those from Pub/Sub: into the log first when there is one.
        const posted = ingest ? new IngestSource() : undefined;
        const received = posted ? new MergedSource([pubsub, posted]) : pubsub;
        return { source: logFile === undefined ? received : new LoggedSource(received, logFile), ...(posted ? { ingest: posted } : {}) };
      },
    };
  },
};
