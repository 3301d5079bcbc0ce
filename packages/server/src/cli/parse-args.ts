import { parseArgs as parseOptions, type ParseArgsConfig } from 'node:util';
import { allowedHostName, allowedOrigin, checkedToken, checkOption } from '../access/access-options.js';
import type { RunFilter } from '../live/run-directory.js';
import type { Ingest } from '../source/ingest.js';
import type { RecordSource } from '../source/source.js';
import { modes, type ModeSpec } from './modes.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Who may reach the server, from --allow-host, --allow-origin, --token / STREAMVIS_TOKEN and --no-token. */
export interface AccessArgs {
  allowHosts: string[];
  allowOrigins: string[];
  /** A token given; `false` for --no-token; undefined to let the server decide. */
  token: string | false | undefined;
}

export type Command =
  | { type: 'help' }
  | {
      type: 'serve';
      mode: ModeSpec;
      port: number;
      host: string;
      runs: RunFilter;
      createSource(ingest: boolean): Promise<{ source: RecordSource; ingest?: Ingest }>;
      /** --ingest: take records over HTTP (POST /api/runs/:run/records). */
      ingest: boolean;
      access: AccessArgs;
    };

export const DEFAULT_HOST = '127.0.0.1';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
/** The values node:util's parseArgs reads for `OptionSpecs`. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Options every mode takes. */
const SERVER_OPTIONS: OptionSpecs = {
  host: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'allow-origin': { type: 'string', multiple: true },
  token: { type: 'string' },
  'no-token': { type: 'boolean' },
  ingest: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const usageError = (message: string) => new UsageError(message);

/** `streamvis-server list` (cli/list-command.ts), which serves nothing. */
const LIST_USAGE = `  streamvis-server list LOG_FILE... [--json]
      what each log holds: runs, their producers, plots with kind, records and steps, first and last time, damaged regions`;

/** `streamvis-server cluster` (cli/cluster-command.ts), which serves nothing either. */
const CLUSTER_USAGE = `  streamvis-server cluster INPUT [--algorithm kmeans|meanshift] [--k N | --k-min A --k-max B] [--bandwidth B]
        [--space euclidean|cosine] [--columns a,b,...] [--out LABELS.csv] [--clusters CLUSTERS.csv] [--seed S] [--strict]
      clusters the rows of INPUT (CSV with a header row, or NDJSON; - for stdin) once: LABELS.csv (default stdout) is
      the rows in order with a 'cluster' column (-1: noise), CLUSTERS.csv a row per cluster (id, count, center, spread,
      area for 2 columns). meanshift (default; kmeans with a --k option) finds k and its bandwidth from the data.
      Columns: default, those holding numbers in the first rows. Unreadable rows are listed on stderr, unlabelled;
      --strict exits 1 on any. See docs/clustering.md.`;

export function usage(): string {
  const lines = modes.flatMap((m) => m.forms.map((form) => `  streamvis-server ${m.name} PORT ${form.usage} [--host H]\n      ${form.description}`));
  return [
    'Usage:',
    ...lines,
    LIST_USAGE,
    CLUSTER_USAGE,
    '',
    'Serves the live pages on http://H:PORT/ (H defaults to 127.0.0.1; PORT 0 picks a free port).',
    'One run served: its page is at /. Several: / lists them and compares the chosen ones; /runs/NAME shows one.',
    'Who may reach it (every mode):',
    '  --allow-host NAME      also answer requests for host NAME (any port); repeatable; * for any.',
    '                         Answered anyway: localhost, 127.0.0.1, [::1] and H.',
    '  --allow-origin ORIGIN  let pages of ORIGIN (e.g. http://dashboard.example:8080) read the API; repeatable;',
    '                         * for any. Default: no other site may (predict is open to any).',
    '  --token T              the token every request must carry (default: $STREAMVIS_TOKEN; generated and',
    '                         printed in the URL when H is not a loopback address)',
    '  --no-token             ask no token even when H is not a loopback address (anyone who reaches it reads all)',
    '  --ingest               take records over HTTP: POST /api/runs/RUN/records (frames or JSON; see docs/http-api.md);',
    '                         beyond loopback only with a token',
    '  --help                 print this help',
  ].join('\n');
}

/** Reads `streamvis-server` arguments (without node and the script); throws UsageError. */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Command {
  if (argv.includes('--help') || argv.includes('-h')) return { type: 'help' };
  const [modeName, ...rest] = argv;
  const mode = modes.find((m) => m.name === modeName);
  if (!mode) throw new UsageError(modeName === undefined ? 'missing MODE' : `unknown mode '${modeName}'`);
  const { values, positionals } = readOptions(rest, { ...SERVER_OPTIONS, ...mode.options });
  const [portText, ...own] = positionals;
  if (portText === undefined) throw new UsageError(`mode ${mode.name} takes PORT first`);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`PORT must be an integer from 0 to 65535, got '${portText}'`);
  const served = mode.parse(own, values);
  return {
    type: 'serve',
    mode,
    port,
    host: stringOf(values.host) ?? DEFAULT_HOST,
    ...served,
    ingest: values.ingest === true,
    access: {
      allowHosts: listOf(values['allow-host']).map((name) => checkOption('--allow-host', () => allowedHostName(name), usageError)),
      allowOrigins: listOf(values['allow-origin']).map((origin) => checkOption('--allow-origin', () => allowedOrigin(origin), usageError)),
      token: tokenOf(stringOf(values.token), values['no-token'] === true, env.STREAMVIS_TOKEN),
    },
  };
}

/** node:util's parser, strict: an unknown option, a missing value or a value given to a flag is a UsageError. */
export function readOptions(args: readonly string[], options: OptionSpecs): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseOptions({ args: [...args], options, allowPositionals: true, strict: true });
    for (const [name, value] of Object.entries(values)) {
      if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`option '--${name}' needs a value`);
    }
    return { values, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

export function stringOf(value: OptionValues[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function listOf(value: OptionValues[string]): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `--runs a,b,c`: the run names, none empty. */
export function runListOf(text: string): string[] {
  const runs = text.split(',');
  if (runs.some((run) => run === '')) throw new UsageError(`--runs: expected run names separated by commas, got '${text}'`);
  return [...new Set(runs)];
}

/** --token over STREAMVIS_TOKEN; --no-token over the environment, but not beside --token. */
function tokenOf(option: string | undefined, none: boolean, fromEnv: string | undefined): string | false | undefined {
  if (none && option !== undefined) throw new UsageError("give '--token' or '--no-token', not both");
  if (none) return false;
  if (option !== undefined) return checkOption('--token', () => checkedToken(option), usageError);
  if (fromEnv !== undefined && fromEnv !== '') return checkOption('STREAMVIS_TOKEN', () => checkedToken(fromEnv), usageError);
  return undefined;
}
