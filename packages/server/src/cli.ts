#!/usr/bin/env node
import { parseArgs, usage, UsageError, type Command } from './cli/parse-args.js';
import { startServer } from './server.js';

/** Commands that serve nothing: they run, print and exit. Each loaded when run: a server does not keep their code (and a CSV parser) in memory. */
const commands: Record<string, (args: readonly string[]) => Promise<number>> = {
  list: async (args) => (await import('./cli/list-command.js')).listCommand(args, (text) => process.stdout.write(text)),
  cluster: async (args) => (await import('./cli/cluster-command.js')).clusterCommand(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
};

async function main(argv: readonly string[]): Promise<void> {
  const run = Object.hasOwn(commands, argv[0] ?? '') ? commands[argv[0]] : undefined;
  if (run && !argv.includes('--help') && !argv.includes('-h')) {
    try {
      process.exitCode = await run(argv.slice(1));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`streamvis-server: ${error.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    return;
  }
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`streamvis-server: ${error.message}\n\n${usage()}\n`);
    process.exit(2);
  }
  if (command.type === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const { mode, port, host, runs, createSource, ingest: takesRecords, access } = command;
  const started = performance.now();
  const { source, ingest } = await createSource(takesRecords);
  // A log is served at once (a page opened during a long replay fills in); Pub/Sub once subscribed (see ModeSpec.ready).
  const server = await startServer({ mode: mode.name, port, host, runs, source, ...(ingest ? { ingest } : {}), ...access, waitForHistory: mode.ready === 'started' });
  const served = runs === 'all' ? 'every run' : runs.length === 1 ? `run '${runs[0]}'` : `runs ${runs.map((run) => `'${run}'`).join(', ')}`;
  if (server.exposed && server.token === undefined) {
    process.stderr.write(`streamvis-server: warning: --no-token: anyone who can reach ${host} port ${server.port} can read ${served}\n`);
  }
  process.stdout.write(`streamvis-server: serving ${served} at ${server.url}\n`);
  server.replayed.then(
    () => process.stdout.write(`streamvis-server: history read in ${((performance.now() - started) / 1000).toFixed(1)} s\n`),
    (error: unknown) => {
      process.stderr.write(`streamvis-server: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`streamvis-server: ${signal}, stopping\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`streamvis-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
