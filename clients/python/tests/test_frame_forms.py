"""Which version 2 frames each sink gets: a blocking log refers to what it declared; a frame that may be read alone or dropped declares."""

from __future__ import annotations

import pytest

from streamvis import ArgumentError, DataLogger, read_log
from streamvis.encoding import PREFIX_BYTES
from streamvis.reading import Decoded, read_frame
from support.frames import python_events, split_frames

DECLARING, REFERRING = 0, 1


def forms_of(path: str) -> list[int]:
    return [frame[PREFIX_BYTES + 1] for frame in split_frames(open(path, 'rb').read())]


def test_a_log_added_to_a_running_logger_gets_every_plot_declared_again_and_reads_from_its_start(tmp_path):
    first, later = str(tmp_path / 'first.svlog'), str(tmp_path / 'later.svlog')
    with DataLogger('added') as logger:
        logger.init_write_log(first)
        logger.set_layout({'loss': [0, 0, 1, 1]})
        for step in range(4):
            logger.tandem_lines('loss', step, [step, -step])
        logger.init_write_log(later)  # gets the layout, then the records from here on
        for step in range(4, 8):
            logger.tandem_lines('loss', step, [step, -step])
    assert forms_of(first) == [DECLARING, DECLARING, REFERRING, REFERRING, REFERRING, DECLARING, REFERRING, REFERRING, REFERRING]
    assert forms_of(later) == [DECLARING, DECLARING, REFERRING, REFERRING, REFERRING]
    for path, steps in [(first, range(8)), (later, range(4, 8))]:
        events, pending = python_events(open(path, 'rb').read())
        assert pending == 0 and [e[0] for e in events] == ['record'] * (1 + len(steps))
        assert [r.opts.get('x') for r in read_log(path)] == [None, *steps]


def test_a_drop_oldest_log_gets_frames_each_whole_on_its_own_where_a_blocking_one_refers(tmp_path):
    dropping, blocking = str(tmp_path / 'dropping.svlog'), str(tmp_path / 'blocking.svlog')
    with DataLogger('forms', on_full='drop-oldest') as logger:
        logger.init_write_log(dropping)  # a dropped frame could be one that others refer to
        for step in range(3):
            logger.tandem_lines('loss', step, [step])
    with DataLogger('forms') as logger:
        logger.init_write_log(blocking)
        for step in range(3):
            logger.tandem_lines('loss', step, [step])
    assert forms_of(dropping) == [DECLARING] * 3 and forms_of(blocking) == [DECLARING, REFERRING, REFERRING]
    # Each frame of the dropping log reads alone, as a Pub/Sub message does.
    assert all(isinstance(read_frame(frame, 0), Decoded) for frame in split_frames(open(dropping, 'rb').read()))
    assert [r.opts for r in read_log(dropping)] == [r.opts for r in read_log(blocking)] == [{'x': 0}, {'x': 1}, {'x': 2}]


def test_a_call_refused_after_its_record_is_made_loses_no_later_record_to_a_declaration_never_written(tmp_path):
    path = str(tmp_path / 'refused.svlog')
    with DataLogger('refused') as logger:
        logger.init_write_log(path)
        logger.tandem_lines('l', 0, [1, 2])
        # New options: this record would declare them; refused (a wrong line count), it is not written.
        with pytest.raises(ArgumentError, match=r"tandem_lines\(values\): plot 'l' has 2 lines, got 3 values"):
            logger.tandem_lines('l', 1, [1, 2, 3], title='T')
        logger.tandem_lines('l', 2, [3, 4], title='T')
    events, pending = python_events(open(path, 'rb').read())
    assert pending == 0 and [(e[0], e[2], e[4]) for e in events] == [('record', 0, {'x': 0}), ('record', 1, {'x': 2, 'title': 'T'})]
    assert forms_of(path) == [DECLARING, DECLARING]
