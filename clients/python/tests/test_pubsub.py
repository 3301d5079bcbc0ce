"""Python logger -> Pub/Sub emulator -> `streamvis-server pubsub`: every record arrives, in order, through outages too."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from streamvis import DataLogger, SinkError, read_log
from support.forwarder import TcpForwarder
from support.repo import python_env

PROJECT = 'streamvis-python'


@pytest.fixture
def topic() -> str:
    return f'python-{uuid.uuid4().hex[:12]}'


def pubsub_server(serve, emulator, run: str, topic: str, *args: str):
    server = serve('pubsub', run, PROJECT, topic, *args, env=emulator.env())
    server.wait_for_history()  # the subscription exists: what is published from now on reaches it
    return server


def test_the_server_shows_what_the_python_logger_published_in_order(emulator, serve, topic, monkeypatch):
    server = pubsub_server(serve, emulator, 'published', topic)
    monkeypatch.setenv('PUBSUB_EMULATOR_HOST', emulator.host)
    with DataLogger('published') as logger:
        logger.init_pubsub(PROJECT, topic)
        logger.set_layout({'loss': [0, 0, 1, 2], 'dots': [1, 0, 1, 1], 'paths': [1, 1, 1, 1], 'flow': [2, 0, 1, 2]})
        for step in range(300):
            logger.tandem_lines('loss', step, [step, -step])
        logger.scatter('dots', [[0.5, 1], [2, 3]], 1, True)
        logger.multi_lines('paths', [[[0, 1], [1, 2]]], [0], 2, True)
        logger.cluster('flow', [[0, 0], [0, 1], [5, 5]], ['a', 'b'], k=2)
        report = logger.flush()
    assert report.sinks[0].sink == f'pubsub:{PROJECT}/{topic}'
    assert (report.sinks[0].delivered, report.sinks[0].dropped, report.sinks[0].errors) == (304, 0, 0)

    health = server.wait_until(lambda h: h['records'] >= 304)
    assert (health['records'], health['errors']) == (304, 0)
    loss = server.columns('published', 'loss')
    assert loss == {'x': list(range(300)), 'y0': list(range(300)), 'y1': [-s for s in range(300)]}
    assert server.columns('published', 'dots') == {'x': [0.5, 2], 'y': [1, 3]}
    assert server.columns('published', 'paths') == {'xs': [[0, 1]], 'ys': [[1, 2]]}
    assert sorted(server.get('/api/runs/published/plots/flow/clusters')['counts']) == [1, 2]


def test_records_logged_while_pubsub_is_unreachable_arrive_in_order_once_it_is_back(emulator, serve, topic, monkeypatch):
    server = pubsub_server(serve, emulator, 'outage', topic)
    forwarder = TcpForwarder(emulator.port)
    monkeypatch.setenv('PUBSUB_EMULATOR_HOST', f'127.0.0.1:{forwarder.port}')
    errors: list[SinkError] = []
    logger = DataLogger('outage', on_error=errors.append)
    logger.init_pubsub(PROJECT, topic)
    for step in range(20):
        logger.tandem_lines('loss', step, [step])
    assert logger.flush().sinks[0].delivered == 20

    forwarder.cut()
    for step in range(20, 50):
        logger.tandem_lines('loss', step, [step])  # never raises: the records wait
    during = logger.flush(timeout=1).sinks[0]
    assert during.pending == 30 and during.errors > 0
    assert errors and 'publish failed: cannot reach Pub/Sub' in str(errors[0]) and 'retrying in' in str(errors[0])

    forwarder.restore()
    after = logger.shutdown().sinks[0]
    assert (after.delivered, after.dropped, after.pending) == (50, 0, 0)
    server.wait_until(lambda h: h['records'] >= 50)
    assert server.columns('outage', 'loss')['x'] == list(range(50))
    forwarder.cut()


def test_the_python_test_app_publishes_and_keeps_a_log(emulator, serve, topic, tmp_path):
    server = pubsub_server(serve, emulator, 'app', topic)
    log = str(tmp_path / 'published.svlog')
    done = subprocess.run(
        [sys.executable, '-m', 'streamvis.test_app', 'publish', 'app', PROJECT, topic, '--log_file', log, '--steps', '3', '--interval', '0'],
        env=python_env(PUBSUB_EMULATOR_HOST=emulator.host), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f'pubsub:{PROJECT}/{topic}: 13 records delivered' in done.stderr
    assert server.wait_until(lambda h: h['records'] >= 13)['records'] == 13
    assert len(server.columns('app', 'bottom_right')['x']) == 60
    assert [r.seq for r in read_log(log)] == list(range(13))


def test_without_an_emulator_or_the_client_library_init_pubsub_says_what_to_install(monkeypatch):
    monkeypatch.delenv('PUBSUB_EMULATOR_HOST', raising=False)
    with pytest.raises(RuntimeError, match=r"google-cloud-pubsub is not installed \(pip install 'streamvis\[pubsub\]'\)"):
        DataLogger('r').init_pubsub(PROJECT, 'topic')
