"""`python -m streamvis.test_app` logs the TypeScript test app's demo, and the server shows it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from streamvis import read_log
from support.repo import TEST_APP_CLI, node, python_env

STEPS = 3


def run_python_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'streamvis.test_app', *args], env=python_env(), capture_output=True, text=True, timeout=60)


def test_the_python_test_app_logs_the_typescript_test_apps_records(tmp_path):
    python_log, typescript_log = str(tmp_path / 'python.svlog'), str(tmp_path / 'typescript.svlog')
    done = run_python_app('file', 'demo', python_log, '--steps', str(STEPS), '--interval', '0')
    assert done.returncode == 0, done.stderr
    assert "streamvis-test-app: logging run 'demo'" in done.stderr
    assert f'file:{python_log}: {1 + 4 * STEPS} records delivered' in done.stderr
    subprocess.run([node(), str(TEST_APP_CLI), 'file', 'demo', typescript_log, '--steps', str(STEPS), '--interval', '0'], check=True, capture_output=True, timeout=60)

    ours, theirs = list(read_log(python_log)), list(read_log(typescript_log))
    assert len(ours) == len(theirs) == 1 + 4 * STEPS
    for mine, other in zip(ours, theirs):
        assert {**mine.header, 'logger': other.header['logger'], 'time': other.header['time']} == other.header
        for name, array in mine.arrays.items():
            # The same generator and formulas: equal but for the last bits sin/cos/log may differ in between the languages.
            np.testing.assert_allclose(array, other.arrays[name], rtol=1e-6, atol=1e-6)


def test_the_server_shows_the_python_test_apps_four_plots(tmp_path, serve):
    log = str(tmp_path / 'demo.svlog')
    assert run_python_app('file', 'demo', log, '--steps', str(STEPS), '--interval', '0').returncode == 0
    server = serve('file', 'demo', log)
    server.wait_for_history()
    assert server.wait_until(lambda h: h['records'] >= 1 + 4 * STEPS)['errors'] == 0
    assert server.get('/api/runs/demo')['layout'] == {'top_left': [0, 0, 1, 1], 'top_right': [0, 1, 1, 1], 'bottom_left': [1, 0, 1, 1], 'bottom_right': [1, 1, 1, 1]}
    lines = server.columns('demo', 'top_left')
    assert lines['x'] == [0, 1, 2] and lines['y0'][0] == 0 and len(lines['y2']) == STEPS
    assert len(server.columns('demo', 'top_right')['x']) == 500  # replaced each step: the last step's 10 layers of 50
    assert len(server.columns('demo', 'bottom_left')['color']) == 500
    assert len(server.columns('demo', 'bottom_right')['x']) == 20 * STEPS  # appended


def test_a_wrong_argument_prints_usage_and_exits_2():
    for args in [[], ['serve', 'run', 'log'], ['file', 'run'], ['file', 'run', 'log', '--steps', '0'], ['publish', 'run', 'project']]:
        done = run_python_app(*args)
        assert done.returncode == 2, args
        assert 'usage: python -m streamvis.test_app' in done.stderr
    assert run_python_app('--help').returncode == 0
