// The Python logger (clients/python) beside a raw os.write of the same bytes, in one run of
// clients/python/bench/logger_bench.py, which prints the table as JSON.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython, PYTHON_NEEDS } from '../scripts/python.mjs';

const script = fileURLToPath(new URL('../clients/python/bench/logger_bench.py', import.meta.url));

export default async function bench() {
  const python = findPython();
  if (!python) throw new Error(`python-logger bench: needs ${PYTHON_NEEDS}`);
  const done = spawnSync(python, [script], { encoding: 'utf8', timeout: 600_000 });
  if (done.status !== 0) throw new Error(`python-logger bench failed: ${done.stderr}`);
  return JSON.parse(done.stdout);
}
