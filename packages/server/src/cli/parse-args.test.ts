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
    [['--no-token=1'], /'--no-token' does not take an argument/],
    [['--allow-host'], /'--allow-host <value>' argument missing/],
    [['--allow-host='], /'--allow-host' needs a value/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j, naming the option', (extra, message) => {
    expect(() => parseArgs(['file', '0', 'run', 'log', ...extra], {})).toThrow(UsageError);
    expect(() => parseArgs(['file', '0', 'run', 'log', ...extra], {})).toThrow(message);
  });

  it('refuses a bad STREAMVIS_TOKEN, naming it', () => {
    expect(() => parseArgs(['file', '0', 'run', 'log'], { STREAMVIS_TOKEN: 'a;b' })).toThrow(/^STREAMVIS_TOKEN: use only letters/);
  });
});

describe('parseArgs: which runs, from which source', () => {
  it('file RUN LOG serves that run from that log; several logs may be given', async () => {
    expect(serve(['file', '8080', 'run', 'a.svlog'])).toMatchObject({ port: 8080, runs: ['run'] });
    expect((await serve(['file', '0', 'run', 'a.svlog', 'b.svlog']).createSource(false)).source.constructor.name).toBe('MergedSource');
  });

  it('file --logdir serves every run, or those of --runs', () => {
    expect(serve(['file', '0', '--logdir', 'runs/']).runs).toBe('all');
    expect(serve(['file', '0', '--logdir', 'runs/', '--runs', 'a,b,a']).runs).toEqual(['a', 'b']);
  });

  it('pubsub takes RUN PROJECT TOPIC, or PROJECT TOPIC with --all-runs or --runs', () => {
    expect(serve(['pubsub', '0', 'run', 'proj', 'topic']).runs).toEqual(['run']);
    expect(serve(['pubsub', '0', 'proj', 'topic', '--all-runs']).runs).toBe('all');
    expect(serve(['pubsub', '0', 'proj', 'topic', '--runs', 'x,y']).runs).toEqual(['x', 'y']);
  });

  it.each([
    [['file', '0', '--logdir', 'd', 'extra'], /with --logdir takes only PORT/],
    [['file', '0', 'run'], /takes RUN_NAME LOG_FILE/],
    [['file', '0', 'run', 'log', '--runs', 'a'], /--runs goes with --logdir/],
    [['file', '0', '--logdir', 'd', '--runs', 'a,,b'], /--runs: expected run names/],
    [['pubsub', '0', 'proj', 'topic'], /takes RUN_NAME PROJECT TOPIC/],
    [['pubsub', '0', 'run', 'proj', 'topic', '--all-runs'], /takes PROJECT TOPIC; got 3/],
    [['pubsub', '0', 'p', 't', '--all-runs', '--runs', 'a'], /not both/],
    [['file', 'x', 'run', 'log'], /PORT must be an integer/],
  ])('refuses %j, saying what it takes', (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(message);
  });
});
