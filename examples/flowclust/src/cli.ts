#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DataLogger } from '@streamvis/logger';
import { FlowSimulator } from './simulator.js';
import { startPointsServer, type RunningPointsServer } from './server.js';
import { streamClusters } from './client.js';

const USAGE = `Usage:
  streamvis-flowclust serve PORT [--host H] [--seed N]
      serve the simulated flow: GET /points?start=ISO&stop=ISO -> {ts, points, columns}
  streamvis-flowclust file RUN_NAME LOG_FILE [--points URL] [--seed N] [--start ISO] [--windows N] [--window-ms MS] [--interval MS]
      read the flow window by window (from --points, or from a simulator served in-process)
      and log each window with logger.cluster('flow', ...) to LOG_FILE

Defaults: --seed 1, --start now, --windows 360, --window-ms 10000, --interval 1000.`;

class UsageError extends Error {}

function integer(text: string | undefined, option: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${option} needs an integer >= ${min}, got '${text}'`);
  return value;
}

function parse(argv: string[]) {
  const [mode, ...rest] = argv;
  if (mode === '--help' || mode === '-h') return undefined;
  if (mode !== 'serve' && mode !== 'file') throw new UsageError(mode === undefined ? 'missing mode' : `unknown mode '${mode}'`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        seed: { type: 'string' },
        points: { type: 'string' },
        start: { type: 'string' },
        windows: { type: 'string' },
        'window-ms': { type: 'string' },
        interval: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const expected = mode === 'serve' ? ['PORT'] : ['RUN_NAME', 'LOG_FILE'];
  if (positionals.length !== expected.length) throw new UsageError(`${mode} takes ${expected.join(' ')}`);
  const start = values.start === undefined ? Date.now() : Date.parse(values.start);
  if (Number.isNaN(start)) throw new UsageError(`--start needs an ISO 8601 time, got '${values.start}'`);
  return {
    mode,
    positionals,
    host: values.host ?? '127.0.0.1',
    seed: integer(values.seed, '--seed', 1),
    points: values.points,
    start,
    windows: integer(values.windows, '--windows', 360, 1),
    windowMs: integer(values['window-ms'], '--window-ms', 10_000, 1),
    intervalMs: integer(values.interval, '--interval', 1000),
    port: mode === 'serve' ? integer(positionals[0], 'PORT', 0) : 0,
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`streamvis-flowclust: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const simulator = new FlowSimulator({ seed: args.seed });

  if (args.mode === 'serve') {
    const server = await startPointsServer(simulator, args.port, args.host);
    process.stdout.write(`${server.url}points\n`);
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve));
    await server.close();
    return 0;
  }

  const [run, logFile] = args.positionals;
  const logger = new DataLogger(run);
  logger.on('error', (error) => process.stderr.write(`streamvis-flowclust: ${error.message}\n`));
  let server: RunningPointsServer | undefined;
  let failed = false;
  try {
    await logger.initWriteLog(logFile);
    server = args.points ? undefined : await startPointsServer(simulator, 0);
    const pointsUrl = args.points ?? server!.url;
    const sent = await streamClusters({ pointsUrl, logger, plot: 'flow', startMs: args.start, windowMs: args.windowMs, windows: args.windows, intervalMs: args.intervalMs, signal: stop.signal });
    process.stderr.write(`streamvis-flowclust: ${sent} points sent to plot 'flow' of run '${run}'\n`);
  } catch (error) {
    // A stop signal aborts the fetch in flight: that is the normal way out.
    if (!stop.signal.aborted) {
      process.stderr.write(`streamvis-flowclust: ${(error as Error).message}\n`);
      failed = true;
    }
  } finally {
    await server?.close();
  }
  const report = await logger.shutdown();
  return failed || report.sinks.some((sink) => sink.dropped > 0) ? 1 : 0;
}

process.exitCode = await main();
