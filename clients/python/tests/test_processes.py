"""Producer processes: one killed mid-stream leaves every complete record readable; four appending to one log lose nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import numpy as np

from streamvis import Damage, FrameReader, Record, read_log
from streamvis.encoding import encode_frame, record_header
from support.repo import python_env

# 1000 points per record, x counting up across records, about one record per millisecond.
KILLED_PRODUCER = '''
import sys
import time
import numpy as np
from streamvis import DataLogger
logger = DataLogger('killed')
logger.init_write_log(sys.argv[1])
print('ready', flush=True)
points = np.empty((1000, 2))
points[:, 1] = -np.arange(1000)
seq = 0
while True:
    points[:, 0] = seq * 1000 + np.arange(1000)
    logger.scatter('stream', points, 1, True, rollover=10_000_000)
    seq += 1
    time.sleep(0.001)
'''


def test_a_producer_killed_mid_stream_leaves_every_complete_record_readable(tmp_path, serve):
    log = str(tmp_path / 'killed.svlog')
    producer = subprocess.Popen([sys.executable, '-c', KILLED_PRODUCER, log], stdout=subprocess.PIPE, env=python_env(), text=True)
    try:
        assert producer.stdout.readline() == 'ready\n'
        time.sleep(0.5)
    finally:
        producer.send_signal(signal.SIGKILL)
        producer.wait()
    # The kill may have landed between two writes: make sure the log ends in a torn record.
    header = record_header({'run': 'killed', 'logger': 'x', 'seq': 0, 'time': 0, 'kind': 'scatter', 'plot': 'stream', 'opts': {'append': True}},
                           [('x', 'float64', [100]), ('y', 'float64', [100])])
    torn = encode_frame(header, [np.zeros(100), np.zeros(100)])
    with open(log, 'ab') as appended:
        appended.write(torn[:len(torn) // 2])

    reader = FrameReader()
    reader.push(open(log, 'rb').read())
    events = reader.drain()
    assert all(isinstance(e, Record) for e in events) and len(events) > 10
    assert reader.pending_bytes >= len(torn) // 2  # and the frame the kill cut, if it cut one
    assert [e.seq for e in events] == list(range(len(events)))

    server = serve('file', 'killed', log)
    server.wait_for_history()
    health = server.wait_until(lambda h: h['records'] >= len(events))
    assert (health['records'], health['errors']) == (len(events), 0)
    x = server.columns('killed', 'stream')['x']
    assert x == list(range(len(events) * 1000))


# Records of many sizes, so that appends of different lengths race.
APPENDING_PRODUCER = '''
import sys
import numpy as np
from streamvis import DataLogger
name, log, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
logger = DataLogger('shared')
logger.init_write_log(log)
for i in range(count):
    if i % 2:
        logger.tandem_lines(f'{name}-lines', i, [i, -i])
    else:
        logger.scatter(f'{name}-dots', np.full((1 + (i * 37) % 3000, 2), float(i)), 1, True, rollover=10_000_000)
report = logger.shutdown()
assert report.sinks[0].delivered == count, report
'''


def test_four_processes_appending_to_one_log_lose_nothing(tmp_path, serve):
    log = str(tmp_path / 'shared.svlog')
    count = 600
    producers = [
        subprocess.Popen([sys.executable, '-c', APPENDING_PRODUCER, f'p{n}', log, str(count)], env=python_env()) for n in range(4)
    ]
    assert [p.wait(120) for p in producers] == [0, 0, 0, 0]

    damage: list[Damage] = []
    records = list(read_log(log, on_damage=damage.append))
    assert damage == []
    by_logger: dict[str, list[Record]] = {}
    for record in records:
        by_logger.setdefault(record.header['logger'], []).append(record)
    assert len(by_logger) == 4
    for own in by_logger.values():
        assert [r.seq for r in own] == list(range(count))  # each logger's records whole and in order
        assert [(r.arrays['y'] if r.kind == 'lines' else r.arrays['x'])[0] for r in own] == list(range(count))

    server = serve('file', 'shared', log)
    server.wait_for_history()
    health = server.wait_until(lambda h: h['records'] >= 4 * count)
    assert (health['records'], health['errors']) == (4 * count, 0)
    for n in range(4):
        assert server.columns('shared', f'p{n}-lines')['x'] == list(range(1, count, 2))
        dots = server.columns('shared', f'p{n}-dots')['x']
        assert len(dots) == sum(1 + (i * 37) % 3000 for i in range(0, count, 2))
