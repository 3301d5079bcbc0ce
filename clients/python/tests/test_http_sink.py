"""Python logger -> HTTP ingest of the built `streamvis-server --ingest`: records wait out a server that is down, and a refusal is reported, never raised."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from typing import Any, Callable
from urllib.parse import urlsplit

import numpy as np
import pytest

from streamvis import ArgumentError, ColorSpec, DataLogger, SinkError, read_log
from support.emulator import free_port

STEPS = 300
TOKEN = 'the-right-token'


def get_with_token(port: int, path: str) -> Any:
    request = urllib.request.Request(f'http://127.0.0.1:{port}{path}', headers={'Authorization': f'Bearer {TOKEN}'})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def until(read: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not done(value := read()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def log_every_kind_while(logger: DataLogger, seconds: float) -> int:
    """A stream of lines spread over `seconds`, then a record of every other kind; the records logged."""
    for step in range(STEPS):
        logger.tandem_lines('loss', step, [step, -step])
        time.sleep(seconds / STEPS)
    logger.scatter('dots', [[0.5, 1], [2, 3]], 1, True, color=ColorSpec('Viridis256', 0))
    logger.multi_lines('paths', np.arange(12.0).reshape(3, 2, 2), [0], 2, True, color=ColorSpec('Turbo256', 0))
    logger.cluster('flow', [[0, 0], [0, 1], [5, 5]], ['a', 'b'], algorithm='meanshift', bandwidth=2, min_cluster_size=1)
    return STEPS + 3


def test_records_logged_while_the_server_is_down_arrive_in_order_once_it_is_up(serve, tmp_path):
    port = free_port()
    own_log, served_log = str(tmp_path / 'own.svlog'), str(tmp_path / 'served.svlog')
    errors: list[SinkError] = []
    logger = DataLogger('posted', on_error=errors.append)
    logger.init_write_log(own_log)
    logger.init_http(f'http://127.0.0.1:{port}/')
    records = log_every_kind_while(logger, 1.0)  # a second of records at ~300/s, none deliverable

    during = logger.flush(timeout=0.5).sinks[1]
    assert (during.sink, during.delivered, during.pending, during.dropped) == (f'http:http://127.0.0.1:{port}', 0, records, 0)
    # One outage, one report, when it started; the producer never saw an exception.
    assert len(errors) == 1 and during.errors == 1
    assert re.fullmatch(rf'http:http://127\.0\.0\.1:{port}: the server is unreachable: Connection refused \(\d+ records? waiting; retrying\)', str(errors[0]))

    server = serve('file', 'posted', served_log, '--ingest', port=port)
    after = logger.shutdown().sinks
    assert [(s.delivered, s.dropped, s.pending) for s in after] == [(records, 0, 0), (records, 0, 0)]
    assert len(errors) == 1
    health = server.wait_until(lambda h: h['records'] >= records)
    assert (health['records'], health['errors']) == (records, 0)
    assert server.columns('posted', 'loss') == {'x': list(range(STEPS)), 'y0': list(range(STEPS)), 'y1': [-s for s in range(STEPS)]}
    assert server.columns('posted', 'paths') == {'xs': [[0, 2], [4, 6], [8, 10]], 'ys': [[1, 3], [5, 7], [9, 11]], 'color': [0, 0.5, 1]}
    assert sorted(server.get('/api/runs/posted/plots/flow/clusters')['counts']) == [1, 2]
    # The server appended the very frames the file sink wrote, in order (beside an HTTP sink, every frame declares in itself).
    assert open(served_log, 'rb').read() == open(own_log, 'rb').read()
    assert [r.seq for r in read_log(served_log)] == list(range(records))


def test_a_server_idle_past_its_keep_alive_or_restarted_gets_every_record_once(serve, tmp_path):
    port, log = free_port(), str(tmp_path / 'restarted.svlog')
    server = serve('file', 'restarted', log, '--ingest', port=port)
    errors: list[SinkError] = []
    logger = DataLogger('restarted', on_error=errors.append)
    logger.init_http(f'http://127.0.0.1:{port}/')
    for step in range(10):
        logger.tandem_lines('loss', step, [step])
    assert logger.flush().sinks[0].delivered == 10
    # Longer than the server keeps an idle connection open (Node: its 5 s keep-alive, and a second's grace): the next
    # request fails on the closed connection and goes again on a new one, unreported.
    time.sleep(6.5)
    for step in range(10, 20):
        logger.tandem_lines('loss', step, [step])
    assert logger.flush().sinks[0].delivered == 20 and errors == []

    server.stop()
    for step in range(20, 50):
        logger.tandem_lines('loss', step, [step])
    assert logger.flush(timeout=0.5).sinks[0].pending == 30 and len(errors) == 1
    restarted = serve('file', 'restarted', log, '--ingest', port=port)
    report = logger.shutdown().sinks[0]
    assert (report.delivered, report.dropped, report.pending, report.errors) == (50, 0, 0, 1)
    restarted.wait_until(lambda h: h['records'] >= 50)
    assert restarted.columns('restarted', 'loss')['x'] == list(range(50))
    assert [r.seq for r in read_log(log)] == list(range(50))


def test_a_wrong_token_is_reported_and_its_records_dropped_while_the_producer_goes_on(serve, tmp_path):
    server = serve('file', 'guarded', str(tmp_path / 'guarded.svlog'), '--ingest', '--token', TOKEN)
    port = urlsplit(server.url).port
    errors: list[SinkError] = []
    wrong = DataLogger('guarded', on_error=errors.append)
    wrong.init_http(f'http://127.0.0.1:{port}/?token=not-this-one')
    for step in range(5):
        wrong.tandem_lines('loss', step, [step])
    refused = wrong.flush().sinks[0]
    assert (refused.delivered, refused.dropped, refused.pending) == (0, 5, 0)
    assert sum(error.dropped for error in errors) == 5
    assert all('the server refused' in str(error) and ': 401 ' in str(error) and "not this server's" in str(error) for error in errors)
    wrong.tandem_lines('loss', 5, [5])  # still logging: a refusal never raises into the producer
    assert wrong.shutdown().sinks[0].dropped == 6

    right = DataLogger('guarded')
    right.init_http(f'http://127.0.0.1:{port}/', token=TOKEN)
    for step in range(3):
        right.tandem_lines('loss', 10 + step, [step])
    assert right.shutdown().sinks[0].delivered == 3
    # The refused records never reached the run: it holds the 3 the right token sent.
    health = until(lambda: get_with_token(port, '/api/health'), lambda h: h['records'] >= 3)
    assert (health['records'], health['errors']) == (3, 0)
    assert get_with_token(port, '/api/runs/guarded/plots/loss')['columns'] == {'x': [10, 11, 12], 'y0': [0, 1, 2]}


def test_a_full_buffer_drops_the_oldest_records_and_says_how_many(serve, tmp_path):
    port = free_port()
    errors: list[SinkError] = []
    logger = DataLogger('bounded', on_error=errors.append)
    logger.init_http(f'http://127.0.0.1:{port}/', max_buffered_bytes=4_000)
    for step in range(100):
        logger.tandem_lines('loss', step, [step])
    waiting = logger.flush(timeout=0.2).sinks[0]
    dropped = sum(error.dropped for error in errors)
    assert dropped > 0 and waiting.dropped == dropped and waiting.pending == 100 - dropped

    server = serve('file', 'bounded', str(tmp_path / 'bounded.svlog'), '--ingest', port=port)
    report = logger.shutdown().sinks[0]
    assert (report.delivered, report.dropped, report.pending) == (100 - dropped, dropped, 0)
    server.wait_until(lambda h: h['records'] >= 100 - dropped)
    # The oldest went: the newest 100 - dropped steps arrived, in order.
    assert server.columns('bounded', 'loss')['x'] == list(range(dropped, 100))


@pytest.mark.parametrize(
    ('call', 'message'),
    [
        (lambda logger: logger.init_http('ftp://127.0.0.1/'), 'init_http(url): expected an http:// or https:// address, got "ftp://127.0.0.1/"'),
        (lambda logger: logger.init_http('http://'), 'init_http(url): expected an http:// or https:// address, got "http://"'),
        (lambda logger: logger.init_http('127.0.0.1:8080'), 'init_http(url): expected an http:// or https:// address, got "127.0.0.1:8080"'),
        (lambda logger: logger.init_http('http://127.0.0.1:99999/'), 'init_http(url): expected an http:// or https:// address, got "http://127.0.0.1:99999/"'),
        (lambda logger: logger.init_http(''), 'init_http(url): expected a non-empty string'),
        (lambda logger: logger.init_http('http://127.0.0.1/', token=''), 'init_http(token): expected a non-empty string'),
        (lambda logger: logger.init_http('http://127.0.0.1/', max_buffered_bytes=0), 'init_http(max_buffered_bytes): expected an integer >= 1, got 0'),
        (lambda logger: logger.init_http('http://127.0.0.1/', flush_timeout=0), 'init_http(flush_timeout): expected a number > 0, got 0'),
    ],
)
def test_init_http_names_a_bad_argument(call, message):
    with pytest.raises(ArgumentError) as raised:
        call(DataLogger('r'))
    assert str(raised.value).startswith(message)
