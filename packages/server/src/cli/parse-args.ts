import { modes, type ModeArgs, type ModeSpec } from './modes.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Command =
  | { type: 'help' }
  | { type: 'serve'; mode: ModeSpec; port: number; host: string; run: string; args: ModeArgs };

export const DEFAULT_HOST = '127.0.0.1';

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
    '  --help   print this help',
  ].join('\n');
}

/** Reads `streamvis-server` arguments (without node and the script); throws UsageError. */
export function parseArgs(argv: readonly string[]): Command {
  if (argv.includes('--help') || argv.includes('-h')) return { type: 'help' };
  const [modeName, ...rest] = argv;
  const mode = modes.find((m) => m.name === modeName);
  if (!mode) throw new UsageError(modeName === undefined ? 'missing MODE' : `unknown mode '${modeName}'`);

  const positionals: string[] = [];
  const options: Record<string, string | undefined> = {};
  const allowed = new Set(['host', ...Object.keys(mode.options)]);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = splitOption(arg.slice(2));
    if (!allowed.has(name)) throw new UsageError(`unknown option '--${name}' for mode ${mode.name}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value`);
    options[name] = value;
  }

  const names = ['PORT', 'RUN_NAME', ...mode.positionals];
  if (positionals.length !== names.length) {
    throw new UsageError(`mode ${mode.name} takes ${names.join(' ')}; got ${positionals.length} argument(s)`);
  }
  const [portText, run, ...own] = positionals;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`PORT must be an integer from 0 to 65535, got '${portText}'`);
  if (run === '') throw new UsageError('RUN_NAME must not be empty');
  const { host = DEFAULT_HOST, ...modeOptions } = options;
  return {
    type: 'serve',
    mode,
    port,
    host,
    run,
    args: { positionals: Object.fromEntries(mode.positionals.map((name, i) => [name, own[i]])), options: modeOptions },
  };
}

function splitOption(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
