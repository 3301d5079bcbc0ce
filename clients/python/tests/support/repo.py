"""Paths into the streamvis checkout, and how tests run its TypeScript builds and Python producers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[4]
PYTHON_SOURCE = REPO / 'clients' / 'python' / 'src'
SERVER_CLI = REPO / 'packages' / 'server' / 'dist' / 'cli.js'
TEST_APP_CLI = REPO / 'examples' / 'test-app' / 'dist' / 'cli.js'
TYPESCRIPT_HELPER = Path(__file__).with_name('typescript.mjs')
SVLOG_FIXTURE = REPO / 'test' / 'fixtures' / 'svlog.py'


def node() -> str:
    found = shutil.which('node')
    if found is None:
        raise RuntimeError('node is not on PATH: these tests run the TypeScript packages (npm test runs them)')
    if not SERVER_CLI.exists():
        raise RuntimeError(f'{SERVER_CLI} is missing: run `npm run build` first (npm test does)')
    return found


def typescript(command: str, request: dict[str, Any] | None = None) -> Any:
    """Asks the TypeScript packages (tests/support/typescript.mjs) and returns their JSON answer."""
    done = subprocess.run(
        [node(), str(TYPESCRIPT_HELPER), command], input=json.dumps(request or {}), capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise RuntimeError(f'typescript.mjs {command} failed: {done.stderr}')
    return json.loads(done.stdout)


def python_env(**extra: str) -> dict[str, str]:
    """Environment for a Python child process that imports this checkout's streamvis."""
    env = dict(os.environ, **extra)
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [str(PYTHON_SOURCE), env.get('PYTHONPATH')]))
    return env


def python_command(code: str, *args: str) -> list[str]:
    return [sys.executable, '-c', code, *args]
