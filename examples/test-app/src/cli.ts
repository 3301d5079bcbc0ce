#!/usr/bin/env node
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DataLogger } from '@streamvis/logger';
import { logDemoStep, startDemo } from './demo.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A way to send the demo's records: its positional arguments (RUN_NAME first), extra options, and how to attach sinks. */
interface Mode {
  args: string[];
  options: Options;
  usage: string;
  attach(logger: DataLogger, args: Record<string, string>, values: Values): Promise<void>;
}

const MODES: Record<string, Mode> = {
  file: {
    args: ['RUN_NAME', 'LOG_FILE'],
    options: {},
    usage: 'append records to LOG_FILE',
    attach: (logger, args) => logger.initWriteLog(args.LOG_FILE),
  },
  publish: {
    args: ['RUN_NAME', 'PROJECT', 'TOPIC'],
    options: { log_file: { type: 'string' } },
    usage: 'publish records to Pub/Sub TOPIC in PROJECT (the emulator at PUBSUB_EMULATOR_HOST when set); --log_file also appends them to a log',
    attach: async (logger, args, values) => {
      await logger.initPubsub(args.PROJECT, args.TOPIC);
      if (typeof values.log_file === 'string') await logger.initWriteLog(values.log_file);
    },
  },
};

const COMMON: Options = {
  steps: { type: 'string' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

function usage(): string {
  const modes = Object.entries(MODES).map(([name, mode]) => {
    const extra = Object.keys(mode.options).map((o) => ` [--${o} ${o.toUpperCase()}]`).join('');
    return `  streamvis-test-app ${name} ${mode.args.join(' ')}${extra} [--steps N] [--interval MS]\n      ${mode.usage}`;
  });
  return [
    'Usage:',
    ...modes,
    '',
    'Logs the four-plot demo (tandem sines, a grid of layers, layers coloured, a coloured spiral)',
    'every --interval milliseconds (default 100), for --steps steps or until SIGINT/SIGTERM.',
  ].join('\n');
}

class UsageError extends Error {}

function parse(argv: string[]) {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') return undefined;
  const mode = name === undefined ? undefined : MODES[name];
  if (!mode) throw new UsageError(name === undefined ? 'missing mode' : `unknown mode '${name}'`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...mode.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== mode.args.length) throw new UsageError(`${name} takes ${mode.args.join(' ')}`);
  const args = Object.fromEntries(mode.args.map((arg, i) => [arg, positionals[i]]));
  const steps = values.steps === undefined ? Infinity : count(values.steps, '--steps', 1);
  const interval = values.interval === undefined ? 100 : count(values.interval, '--interval', 0);
  return { mode, args, values, steps, interval };
}

function count(text: unknown, option: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${option} needs an integer >= ${min}, got '${String(text)}'`);
  return value;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`streamvis-test-app: ${error.message}\n\n${usage()}\n`);
    return 2;
  }
  if (!parsed) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const { mode, args, values, steps, interval } = parsed;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const logger = new DataLogger(args.RUN_NAME);
  logger.on('error', (error) => process.stderr.write(`streamvis-test-app: ${error.message}\n`));
  await mode.attach(logger, args, values);
  startDemo(logger);
  process.stderr.write(`streamvis-test-app: logging run '${args.RUN_NAME}' (logger ${logger.id})\n`);

  for (let step = 0; step < steps && !stop.signal.aborted; step++) {
    logDemoStep(logger, step);
    if (step + 1 < steps) await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
  }

  const report = await logger.shutdown();
  for (const sink of report.sinks) {
    const failed = sink.dropped > 0 ? `, ${sink.dropped} dropped (${sink.lastError ?? 'unknown error'})` : '';
    process.stderr.write(`streamvis-test-app: ${sink.sink}: ${sink.delivered} records delivered${failed}\n`);
  }
  return report.sinks.every((sink) => sink.dropped === 0) ? 0 : 1;
}

process.exitCode = await main();
