"""`pip install ./clients/python`, as the README says, works without a network and gives a working package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamvis import read_log
from support.repo import REPO, python_env

SCRIPT = '''
import sys, numpy as np, streamvis
from streamvis import ColorSpec, DataLogger
assert streamvis.__file__.startswith(sys.prefix), streamvis.__file__
with DataLogger('installed') as logger:
    logger.init_write_log(sys.argv[1])
    logger.scatter('dots', np.random.rand(100, 3), 1, False, color=ColorSpec('Viridis256'))
'''


def test_pip_installs_the_package_offline_into_a_fresh_environment(tmp_path):
    venv = tmp_path / 'venv'
    # The base interpreter's numpy serves the environment: nothing is downloaded.
    subprocess.run([sys.executable, '-m', 'venv', '--system-site-packages', str(venv)], check=True, timeout=120)
    python = str(venv / 'bin' / 'python')
    installed = subprocess.run([python, '-m', 'pip', 'install', '--no-index', '--no-cache-dir', str(REPO / 'clients' / 'python')],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert 'Successfully installed streamvis-0.1.0' in installed.stdout

    log = str(tmp_path / 'installed.svlog')
    subprocess.run([python, '-c', SCRIPT, log], check=True, cwd=tmp_path, timeout=60)
    subprocess.run([python, '-m', 'streamvis.test_app', 'file', 'app', log, '--steps', '2', '--interval', '0'], check=True, cwd=tmp_path, capture_output=True, timeout=60)
    assert [(r.run, r.kind) for r in read_log(log)] == [('installed', 'scatter'), ('app', 'layout')] + [('app', k) for k in ['lines', 'scatter', 'scatter', 'scatter'] * 2]
    files = {p.name for p in Path(next((venv / 'lib').glob('python3*')), 'site-packages', 'streamvis').iterdir()}
    assert {'logger.py', 'encoding.py', 'reading.py', 'test_app.py', 'sinks'} <= files


def test_the_readmes_python_example_runs(tmp_path):
    readme = (REPO / 'README.md').read_text(encoding='utf-8')
    section = readme[readme.index('## Logging from Python'):]
    start = section.index('```python\n') + len('```python\n')
    example = section[start:section.index('```', start)]
    # The names the example leaves to the reader's program.
    prelude = ('import numpy as np\n'
               'train_loss, valid_loss = 0.5, 0.75\n'
               'points, activations, paths = np.random.rand(100, 3), np.random.rand(10, 50, 2), np.random.rand(4, 20, 2)\n')
    subprocess.run([sys.executable, '-c', prelude + example], check=True, cwd=tmp_path, env=python_env(), timeout=120)
    records = list(read_log(str(tmp_path / 'runs' / 'myapp.svlog')))
    assert [r.kind for r in records] == ['layout', 'clear'] + ['lines', 'scatter', 'scatter'] * 1000 + ['multilines']
    assert records[2].opts['names'] == ['train', 'valid'] and records[3].opts['colorLabel'] == 'epoch'
