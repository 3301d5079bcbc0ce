#!/usr/bin/env node
// Run by `npm test` before the tests: the end-to-end tests need headless Chromium and the
// Pub/Sub emulator, the Python client's tests a python3 with numpy and pytest. Missing ones are installed where that is possible (root on Debian,
// as .ci/run does); otherwise this stops at once with one message instead of many failures.
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findPython, PYTHON_NEEDS } from './python.mjs';

const needs = [
  { what: 'headless Chromium', path: process.env.CHROMIUM_BIN || '/usr/bin/chromium', variable: 'CHROMIUM_BIN' },
  {
    what: 'the Pub/Sub emulator',
    path: process.env.PUBSUB_EMULATOR_BIN || '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator',
    variable: 'PUBSUB_EMULATOR_BIN',
  },
];
const missing = () => [
  ...needs.filter(({ path }) => !executable(path)),
  ...(findPython() ? [] : [{ what: 'python3 with numpy and pytest', message: PYTHON_NEEDS }]),
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let absent = missing();
const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (absent.length > 0 && canInstall) {
  console.log(`npm test: installing ${absent.map((n) => n.what).join(' and ')} (scripts/install-test-prerequisites.sh)`);
  const script = fileURLToPath(new URL('./install-test-prerequisites.sh', import.meta.url));
  spawnSync('bash', [script], { stdio: 'inherit' });
  absent = missing();
}
if (absent.length > 0) {
  const list = absent.map(({ what, path, variable, message }) => `  ${message ?? `${what}: not found at ${path} (set ${variable} to use another path)`}`).join('\n');
  console.error(`npm test: the end-to-end tests need:\n${list}\nInstall them as the README's "Test prerequisites" says (as root on Debian: scripts/install-test-prerequisites.sh), then run npm test again.`);
  process.exit(1);
}
