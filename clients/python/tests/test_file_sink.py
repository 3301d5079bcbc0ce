"""The file sink writes from its own thread, never raises into the producer, and loses nothing it does not report."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np

from streamvis import DataLogger, SinkError, read_log
from streamvis.encoding import encode_frame, record_header
from streamvis.sinks.file_sink import FileSink
from support.repo import python_env


def frame(seq: int, points: int = 10) -> bytearray:
    header = record_header({'run': 'r', 'logger': 'L', 'seq': seq, 'time': 0, 'kind': 'scatter', 'plot': 'p', 'opts': {'append': True}},
                           [('x', 'float64', [points]), ('y', 'float64', [points])])
    return encode_frame(header, [np.full(points, seq, float), np.zeros(points)])


class GatedAppend:
    """os.writev that waits while the gate is closed: a disk slower than the producer."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.calls = 0

    def __call__(self, fd: int, buffers: list) -> int:
        self.calls += 1
        self.entered.set()
        self.gate.wait(30)
        return os.writev(fd, buffers)


def test_a_logging_call_returns_before_its_record_is_written(tmp_path):
    append = GatedAppend()
    errors: list = []
    sink = FileSink(str(tmp_path / 'slow.svlog'), lambda e, s: errors.append(e), append=append)
    for seq in range(5):
        sink.write(frame(seq))
    assert sink.flush(timeout=0.2).pending == 5  # the writer thread waits on the disk, the producer does not
    append.gate.set()
    report = sink.close()
    assert (report.delivered, report.dropped, report.pending, errors) == (5, 0, 0, [])
    assert [r.seq for r in read_log(str(tmp_path / 'slow.svlog'))] == [0, 1, 2, 3, 4]


def test_on_full_block_waits_for_room_and_loses_nothing(tmp_path):
    append = GatedAppend()
    sink = FileSink(str(tmp_path / 'full.svlog'), lambda e, s: None, max_buffered_bytes=len(frame(0)) * 3, append=append)
    producer = threading.Thread(target=lambda: [sink.write(frame(seq)) for seq in range(20)])
    producer.start()
    producer.join(0.5)
    assert producer.is_alive()  # blocked: three frames wait and the disk takes none
    append.gate.set()
    producer.join(10)
    assert not producer.is_alive()
    assert sink.close().delivered == 20
    assert [r.seq for r in read_log(str(tmp_path / 'full.svlog'))] == list(range(20))


def test_on_full_drop_oldest_never_waits_and_reports_each_drop(tmp_path):
    append = GatedAppend()
    dropped: list[int] = []
    sink = FileSink(str(tmp_path / 'drop.svlog'), lambda e, s: dropped.append(getattr(e, 'dropped', 0)),
                    max_buffered_bytes=len(frame(0)) * 3, on_full='drop-oldest', append=append)
    for seq in range(20):
        sink.write(frame(seq))  # returns at once, dropping
    append.gate.set()
    report = sink.close()
    assert report.delivered + report.dropped == 20 and sum(dropped) == report.dropped > 0
    seqs = [r.seq for r in read_log(str(tmp_path / 'drop.svlog'))]
    assert seqs[-1] == 19 and seqs == sorted(seqs) and len(seqs) == report.delivered


def test_a_full_disk_never_raises_into_the_producer_and_is_reported():
    errors: list[SinkError] = []
    logger = DataLogger('full', on_error=errors.append)
    logger.init_write_log('/dev/full')  # every write fails: ENOSPC
    for step in range(50):
        logger.tandem_lines('loss', step, [step])
    flushed = logger.flush()
    assert flushed.sinks[0].errors > 0 and flushed.sinks[0].pending == 50
    assert 'No space left on device' in flushed.sinks[0].last_error
    assert errors and errors[0].sink == 'file:/dev/full' and 'No space left on device' in str(errors[0])
    report = logger.shutdown()
    assert (report.records, report.sinks[0].delivered, report.sinks[0].dropped) == (50, 0, 50)


def test_a_log_that_cannot_be_opened_is_reported_at_init(tmp_path):
    (tmp_path / 'a-file').write_text('')
    errors: list[SinkError] = []
    logger = DataLogger('r', on_error=errors.append)
    logger.init_write_log(str(tmp_path / 'a-file' / 'run.svlog'))
    assert len(errors) == 1 and 'a-file' in str(errors[0])
    logger.tandem_lines('loss', 0, [1])
    assert logger.shutdown().sinks[0].dropped == 1


def test_without_on_error_a_failure_is_logged_once_as_a_warning(caplog):
    logger = DataLogger('warned')
    logger.init_write_log('/dev/full')
    for step in range(5):
        logger.tandem_lines('loss', step, [step])
    logger.shutdown()
    warnings = [r for r in caplog.records if r.name == 'streamvis']
    assert len(warnings) == 1 and "streamvis logger 'warned': file:/dev/full:" in warnings[0].getMessage()


def test_a_short_write_is_cut_off_and_the_frame_written_again_whole(tmp_path):
    path = str(tmp_path / 'short.svlog')
    gate = GatedAppend()

    def append(fd: int, buffers: list) -> int:
        if gate.calls == 1:  # the second batch: the disk fills up 30 bytes into its second frame
            gate.calls += 1
            return os.write(fd, b''.join(buffers)[:len(buffers[0]) + 30])
        return gate(fd, buffers)

    errors: list[Exception] = []
    sink = FileSink(path, lambda e, s: errors.append(e), append=append)
    sink.write(frame(0))
    assert gate.entered.wait(10)  # the first batch waits at the gate, the others gather behind it
    for seq in range(1, 4):
        sink.write(frame(seq))
    gate.gate.set()
    assert sink.flush().errors == 1  # returns at the failed attempt...
    assert sink.flush().delivered == 4  # ...and the next flush retries at once
    assert len(errors) == 1 and "the cut frame's 30 bytes were removed, it goes again whole" in str(errors[0])
    sink.close()
    damage: list = []
    assert [r.seq for r in read_log(path, on_damage=damage.append)] == [0, 1, 2, 3] and damage == []


def test_a_producer_that_ends_without_shutdown_still_gets_its_records_written(tmp_path):
    path = str(tmp_path / 'unflushed.svlog')
    code = ('import sys; from streamvis import DataLogger\n'
            'logger = DataLogger("r"); logger.init_write_log(sys.argv[1])\n'
            'for step in range(1000): logger.tandem_lines("loss", step, [step, -step])\n')
    subprocess.run([sys.executable, '-c', code, path], env=python_env(), check=True, timeout=60)
    assert [r.opts['x'] for r in read_log(path)] == list(range(1000))


def test_an_error_handler_that_raises_changes_nothing(tmp_path):
    def handler(error: SinkError) -> None:
        raise RuntimeError('a bug in the handler')

    logger = DataLogger('r', on_error=handler, on_full='drop-oldest')
    logger.init_write_log('/dev/full')
    logger.init_write_log(str(tmp_path / 'ok.svlog'))
    for step in range(10):
        logger.tandem_lines('loss', step, [step])
    full, ok = logger.shutdown().sinks
    assert full.errors > 0 and full.dropped == 10
    assert ok.delivered == 10 and [r.opts['x'] for r in read_log(str(tmp_path / 'ok.svlog'))] == list(range(10))
