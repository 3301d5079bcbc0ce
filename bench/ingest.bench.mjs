// Records over HTTP: DataLogger.initHttp -> the server CLI (`file PORT RUN LOG --ingest`,
// in its own process) -> appended to its log, beside the logger's own file sink
// (initWriteLog) for the same records, in the same run. Timed from the first logging call
// until flush() resolves: every record delivered (the server answers once it is written).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLogger } from '../packages/logger/dist/index.js';
import { cases } from './logger-file.bench.mjs';

// The server as users run it: its bin, with the node settings its bin execs node with.
const serverBin = fileURLToPath(new URL('../packages/server/bin/streamvis-server.js', import.meta.url));
const ROUNDS = 3;

function startServer(log) {
  const child = spawn(serverBin, ['file', '0', 'bench', log, '--ingest'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const url = output.match(/http:\/\/127\.0\.0\.1:\d+\/\S*/)?.[0];
      if (url && /history read/.test(output)) resolve({ url, stop: () => new Promise((done) => child.once('exit', done).kill('SIGTERM')) });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
}

async function time(attach, { records, log }) {
  const logger = new DataLogger('bench');
  await attach(logger);
  const call = log(logger);
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) call();
  const report = await logger.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await logger.shutdown();
  if (report.sinks[0].delivered !== records) throw new Error(`delivered ${report.sinks[0].delivered} of ${records}`);
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'svbench-ingest-'));
  const rows = [];
  try {
    for (const c of cases) {
      const file = [];
      const http = [];
      let bytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const own = join(dir, `own-${round}-${Math.random()}.svlog`);
        file.push(await time((logger) => logger.initWriteLog(own), c));
        bytes = statSync(own).size;
        const served = join(dir, `served-${round}-${Math.random()}.svlog`);
        const server = await startServer(served);
        try {
          http.push(await time((logger) => logger.initHttp(server.url), c));
        } finally {
          await server.stop();
        }
        if (statSync(served).size !== bytes) throw new Error(`the server's log holds ${statSync(served).size} bytes, the logger's ${bytes}`);
      }
      const [fileS, httpS] = [median(file), median(http)];
      const rate = (s) => `${Math.round(c.records / s).toLocaleString('en-US')} records/s, ${(bytes / 2 ** 20 / s).toFixed(0)} MiB/s`;
      rows.push([c.name, c.records.toLocaleString('en-US'), rate(fileS), rate(httpS), `${(fileS / httpS).toFixed(2)}x`]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'HTTP ingest: DataLogger.initHttp -> streamvis-server --ingest -> its log, beside the file sink',
    columns: ['records', 'count', 'file sink (initWriteLog, baseline)', 'HTTP sink -> server --ingest', 'HTTP / file'],
    rows,
    notes: [
      `Median of ${ROUNDS} rounds; each from the first call until flush() resolves (HTTP: the server has appended every record to its log and answered). The server runs in its own process; the two logs hold the same bytes.`,
    ],
  };
}
