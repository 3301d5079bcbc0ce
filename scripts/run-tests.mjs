// `npm test`'s last step: the TypeScript tests (vitest), then the Python client's (pytest,
// clients/python/tests), then ONE closing line counting both, `N passed, N failed`, which CI
// reads; exits non-zero when either failed. Arguments go to vitest, and then only vitest runs
// (`npm test -- test/server-cli.test.ts`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, PYTHON_NEEDS } from './python.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'streamvis-tests-'));
const only = process.argv.slice(2);

/** Runs a test command in `dir` of the checkout (output shown as it comes); returns its exit status. */
const run = (command, args, env = {}, dir = '.') =>
  spawnSync(command, args, { cwd: join(root, dir), stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const counts = { pass: 0, fail: 0, skip: 0 };

const vitestCounts = join(scratch, 'vitest.json');
const vitest = run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...only], { STREAMVIS_TEST_COUNTS: vitestCounts });
add(readJson(vitestCounts) ?? { pass: 0, fail: 1, skip: 0 }); // no counts: vitest itself failed
if (vitest !== 0 && counts.fail === 0) counts.fail = 1;

if (only.length === 0) {
  const python = findPython();
  if (!python) {
    console.error(`npm test: the Python client's tests need ${PYTHON_NEEDS}`);
    counts.fail++;
  } else {
    const report = join(scratch, 'pytest.xml');
    const status = run(python, ['-m', 'pytest', '-q', `--junitxml=${report}`], { PYTHONDONTWRITEBYTECODE: '1' }, 'clients/python');
    const found = pytestCounts(report);
    add(found ?? { pass: 0, fail: 1, skip: 0 });
    // pytest's exit 5 is "no tests ran": that is a failure here too.
    if (status !== 0 && (found?.fail ?? 0) === 0) counts.fail++;
  }
}

rmSync(scratch, { recursive: true, force: true });
process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed${counts.skip ? `, ${counts.skip} skipped` : ''}\n`);
process.exit(counts.fail > 0 ? 1 : 0);

function add({ pass, fail, skip }) {
  counts.pass += pass;
  counts.fail += fail;
  counts.skip += skip;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Counts from pytest's JUnit XML report (its <testsuite> element's attributes). */
function pytestCounts(path) {
  let xml;
  try {
    xml = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const suite = /<testsuite\b([^>]*)>/.exec(xml)?.[1] ?? '';
  const attribute = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const [tests, failures, errors, skipped] = ['tests', 'failures', 'errors', 'skipped'].map(attribute);
  return { pass: tests - failures - errors - skipped, fail: failures + errors, skip: skipped };
}
