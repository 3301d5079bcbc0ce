// The Python that runs the Python client's tests and bench: the first of $STREAMVIS_PYTHON,
// python3 and /usr/bin/python3 that has numpy and pytest (Debian's python3-numpy and
// python3-pytest serve /usr/bin/python3; scripts/install-test-prerequisites.sh installs them).
import { spawnSync } from 'node:child_process';

const CANDIDATES = [process.env.STREAMVIS_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);

/** The interpreter's path, or undefined when none has numpy and pytest. */
export function findPython() {
  return CANDIDATES.find((python) => spawnSync(python, ['-c', 'import numpy, pytest'], { stdio: 'ignore' }).status === 0);
}

export const PYTHON_NEEDS = `python3 with numpy and pytest (tried ${CANDIDATES.join(', ')}; set STREAMVIS_PYTHON to use another)`;
