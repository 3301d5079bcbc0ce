import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError, type Command } from './parse-args.js';

const serve = (argv: string[], env: Record<string, string> = {}) => {
  const command: Command = parseArgs(argv, env);
  if (command.type !== 'serve') throw new Error('not a serve command');
  return command;
};

describe('parseArgs: who may reach the server', () => {
  it('collects --allow-host and --allow-origin, each repeatable, checked and in canonical form', () => {
    const { access, host } = serve(['file', '0', 'run', 'log', '--allow-host', 'A.example', '--allow-host=b.example', '--allow-origin', 'http://Dash.example:8080', '--host', '0.0.0.0']);
    expect(host).toBe('0.0.0.0');
    expect(access).toEqual({ allowHosts: ['a.example', 'b.example'], allowOrigins: ['http://dash.example:8080'], token: undefined });
  });

  it('takes the token from --token over STREAMVIS_TOKEN; --no-token over the environment', () => {
    expect(serve(['file', '0', 'run', 'log'], { STREAMVIS_TOKEN: 'from-env' }).access.token).toBe('from-env');
    expect(serve(['file', '0', 'run', 'log', '--token', 'given'], { STREAMVIS_TOKEN: 'from-env' }).access.token).toBe('given');
    expect(serve(['file', '0', 'run', 'log', '--no-token'], { STREAMVIS_TOKEN: 'from-env' }).access.token).toBe(false);
    expect(serve(['file', '0', 'run', 'log'], { STREAMVIS_TOKEN: '' }).access.token).toBeUndefined();
  });

  it.each([
    [['--allow-origin', 'dash.example'], /^--allow-origin: expected an origin/],
    [['--allow-host', 'a.example:80'], /^--allow-host: expected a host name/],
    [['--token', 'a b'], /^--token: use only letters/],
    [['--token', 'a', '--no-token'], /not both/],
    [['--no-token=1'], /takes no value/],
    [['--allow-host'], /needs a value/],
  ])('refuses %j, naming the option', (extra, message) => {
    expect(() => parseArgs(['file', '0', 'run', 'log', ...extra], {})).toThrow(UsageError);
    expect(() => parseArgs(['file', '0', 'run', 'log', ...extra], {})).toThrow(message);
  });

  it('refuses a bad STREAMVIS_TOKEN, naming it', () => {
    expect(() => parseArgs(['file', '0', 'run', 'log'], { STREAMVIS_TOKEN: 'a;b' })).toThrow(/^STREAMVIS_TOKEN: use only letters/);
  });
});
