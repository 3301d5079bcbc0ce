import { allowedHostName, allowedOrigin, checkedToken, checkOption } from '../access/access-options.js';
import { modes, type ModeArgs, type ModeSpec } from './modes.js';

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

const usageError = (message: string) => new UsageError(message);

export type Command =
  | { type: 'help' }
  | { type: 'serve'; mode: ModeSpec; port: number; host: string; run: string; args: ModeArgs; access: AccessArgs };

export const DEFAULT_HOST = '127.0.0.1';

/** Options every mode takes, by name without dashes: value-taking ones with their placeholder, `repeatable` ones collected. */
const SERVER_OPTIONS: Record<string, { value: string; repeatable?: true }> = {
  host: { value: 'H' },
  'allow-host': { value: 'NAME', repeatable: true },
  'allow-origin': { value: 'ORIGIN', repeatable: true },
  token: { value: 'T' },
};
/** Options that take no value. */
const SERVER_FLAGS = new Set(['no-token']);

export function usage(): string {
  const lines = modes.map((m) => {
    const options = Object.entries(m.options).map(([name, value]) => `[--${name} ${value}]`);
    return `  streamvis-server ${[m.name, 'PORT', 'RUN_NAME', ...m.positionals, ...options, '[--host H]'].join(' ')}\n      ${m.description}`;
  });
  return [
    'Usage:',
    ...lines,
    '',
    'Serves the live page of run RUN_NAME on http://H:PORT/ (H defaults to 127.0.0.1; PORT 0 picks a free port).',
    'Who may reach it (every mode):',
    '  --allow-host NAME      also answer requests for host NAME (any port); repeatable; * for any.',
    '                         Answered anyway: localhost, 127.0.0.1, [::1] and H.',
    '  --allow-origin ORIGIN  let pages of ORIGIN (e.g. http://dashboard.example:8080) read the API; repeatable;',
    '                         * for any. Default: no other site may (predict is open to any).',
    '  --token T              the token every request must carry (default: $STREAMVIS_TOKEN; generated and',
    '                         printed in the URL when H is not a loopback address)',
    '  --no-token             ask no token even when H is not a loopback address (anyone who reaches it reads all)',
    '  --help                 print this help',
  ].join('\n');
}

/** Reads `streamvis-server` arguments (without node and the script); throws UsageError. */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Command {
  if (argv.includes('--help') || argv.includes('-h')) return { type: 'help' };
  const [modeName, ...rest] = argv;
  const mode = modes.find((m) => m.name === modeName);
  if (!mode) throw new UsageError(modeName === undefined ? 'missing MODE' : `unknown mode '${modeName}'`);

  const positionals: string[] = [];
  const options: Record<string, string | undefined> = {};
  const repeated: Record<string, string[]> = {};
  const flags = new Set<string>();
  const valued = new Set([...Object.keys(SERVER_OPTIONS), ...Object.keys(mode.options)]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = splitOption(arg.slice(2));
    if (SERVER_FLAGS.has(name)) {
      if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
      flags.add(name);
      continue;
    }
    if (!valued.has(name)) throw new UsageError(`unknown option '--${name}' for mode ${mode.name}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value`);
    if (SERVER_OPTIONS[name]?.repeatable) (repeated[name] ??= []).push(value);
    else options[name] = value;
  }

  const names = ['PORT', 'RUN_NAME', ...mode.positionals];
  if (positionals.length !== names.length) {
    throw new UsageError(`mode ${mode.name} takes ${names.join(' ')}; got ${positionals.length} argument(s)`);
  }
  const [portText, run, ...own] = positionals;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`PORT must be an integer from 0 to 65535, got '${portText}'`);
  if (run === '') throw new UsageError('RUN_NAME must not be empty');
  const { host = DEFAULT_HOST, token, ...modeOptions } = options;
  return {
    type: 'serve',
    mode,
    port,
    host,
    run,
    args: { positionals: Object.fromEntries(mode.positionals.map((name, i) => [name, own[i]])), options: modeOptions },
    access: {
      allowHosts: (repeated['allow-host'] ?? []).map((name) => checkOption('--allow-host', () => allowedHostName(name), usageError)),
      allowOrigins: (repeated['allow-origin'] ?? []).map((origin) => checkOption('--allow-origin', () => allowedOrigin(origin), usageError)),
      token: tokenOf(token, flags.has('no-token'), env.STREAMVIS_TOKEN),
    },
  };
}

/** --token over STREAMVIS_TOKEN; --no-token over the environment, but not beside --token. */
function tokenOf(option: string | undefined, none: boolean, fromEnv: string | undefined): string | false | undefined {
  if (none && option !== undefined) throw new UsageError("give '--token' or '--no-token', not both");
  if (none) return false;
  if (option !== undefined) return checkOption('--token', () => checkedToken(option), usageError);
  if (fromEnv !== undefined && fromEnv !== '') return checkOption('STREAMVIS_TOKEN', () => checkedToken(fromEnv), usageError);
  return undefined;
}

function splitOption(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
