"""
Version 2 headers read by the Python reader exactly as by the TypeScript one: every rule of
docs/log-format.md ("Version 2 headers") with the same reason, declarations kept per stream, and
logs in which old (version 1) and new (version 2) producers mix.
"""

from __future__ import annotations

import math
import random
import struct
import subprocess
import sys

import pytest

from streamvis import DataLogger, read_log
from streamvis.binary_header import DECLARING, DTYPE_CODES, REFERRING
from streamvis.encoding import DTYPES, encode_frame, record_header
from streamvis.record_encoder import FrameForms, RecordEncoder
from streamvis.varint import varint
from support.frames import python_events, raw_frame, refresh_checksums, split_frames, typescript_events
from support.repo import SVLOG_FIXTURE

LOGGER = '0123456789abcdef'
OTHER = 'fedcba9876543210'
LAYOUT, CLEAR, SCATTER, LINES, MULTILINES, CLUSTER = range(6)
FLOAT32, FLOAT64 = 0, 1
MISSING = 'has not declared {id} earlier in this stream (its declaring record is missing or damaged)'


def string(value: str | bytes) -> bytes:
    data = value if isinstance(value, bytes) else value.encode('utf-8', 'surrogatepass')
    return varint(len(data)) + data


def v2(
    *,
    form: int = DECLARING,
    logger: str = LOGGER,
    seq: int | bytes = 0,
    time: float = 1.5,
    id: int | bytes = 0,
    run: str | bytes = 'r',
    kind: int = LINES,
    plot: str | bytes = 'p',
    opts: str | bytes = '{}',
    arrays: list[tuple[str | bytes, int]] | None = None,
    x: list[float] | None = None,
    shapes: list[list[int]] | None = None,
    body: bytes | None = None,
    tail: bytes = b'',
) -> bytes:
    """A version 2 frame, field by field as docs/log-format.md lists them (bytes given as such are written as they are); checksums hold."""
    arrays = [('y', FLOAT64)] if arrays is None else arrays
    x = ([2.0] if kind == LINES else []) if x is None else x
    shapes = [[1]] * len(arrays) if shapes is None else shapes
    head = bytes((2, form)) + bytes.fromhex(logger) + (seq if isinstance(seq, bytes) else varint(seq)) + struct.pack('<d', time) + (id if isinstance(id, bytes) else varint(id))
    if form == DECLARING:
        head += string(run) + bytes((kind,)) + string(plot) + string(opts) + varint(len(arrays))
        head += b''.join(string(name) + bytes((code,)) for name, code in arrays)
    head += b''.join(struct.pack('<d', value) for value in x)
    head += b''.join(bytes((len(shape),)) + b''.join(map(varint, shape)) for shape in shapes) + tail
    if body is None:
        sizes = [DTYPES[DTYPE_CODES[code % len(DTYPE_CODES)]].itemsize for _, code in arrays]
        body = bytes(sum(size * math.prod(shape) for size, shape in zip(sizes, shapes)))
    return raw_frame(head, body)


def declare(**change: object) -> bytes:
    return v2(**change)


def refer(**change: object) -> bytes:
    return v2(form=REFERRING, **change)


#: (name, frames of a log, the reasons of its damage in order): each log read by both readers.
CLASSES: list[tuple[str, list[bytes], list[str]]] = [
    ('a record declared, then referred to', [declare(), refer(seq=1, x=[3.0])], []),
    ('form 7', [v2(form=7)], ['header.form: expected 0 (declaring) or 1 (referring), got 7']),
    ('only the mark', [raw_frame(b'\x02')], ['header.form: the header ends inside it (0 bytes left, 1 needed)']),
    ('a cut logger id', [raw_frame(b'\x02\x00\x01\x02')], ['header.logger: the header ends inside it (2 bytes left, 8 needed)']),
    ('a seq of 9 varint bytes', [declare(seq=b'\x80' * 9)], ['header.seq: not a varint of at most 8 bytes within the header']),
    ('a seq past 2^53', [declare(seq=b'\xff' * 7 + b'\x7f')], ['header.seq: expected an integer 0..9007199254740991, got 72057594037927940']),
    ('seq 2^53', [declare(seq=varint(2**53))], ['header.seq: expected an integer 0..9007199254740991, got 9007199254740992']),
    ('a varint cut by the header end', [raw_frame(b'\x02\x00' + bytes(8) + b'\x80')], ['header.seq: not a varint of at most 8 bytes within the header']),
    ('time NaN', [declare(time=float('nan'))], ['header.time: expected a finite number, got NaN']),
    ('time -Infinity', [declare(time=float('-inf'))], ['header.time: expected a finite number, got -Infinity']),
    ('declaration 1024', [declare(id=1024)], ['header.declaration: expected an integer 0..1023, got 1024']),
    ('kind code 9', [declare(kind=9)], ['header.kind: expected a kind code 0..5 (layout, clear, scatter, lines, multilines, cluster), got 9']),
    ('an empty run', [declare(run='')], ['header.run: expected a non-empty string of at most 1024 characters, got ""']),
    ('a run not UTF-8', [declare(run=b'r\xff')], ['header.run: not valid UTF-8']),
    ('a run encoded surrogate', [declare(run='r\ud800')], ['header.run: not valid UTF-8']),
    ('a run past the header', [raw_frame(b'\x02\x00' + bytes(8) + b'\x00' + bytes(8) + b'\x00\x64r')], ['header.run: the header ends inside it (1 bytes left, 100 needed)']),
    ('a run length past 1 MiB', [raw_frame(b'\x02\x00' + bytes(8) + b'\x00' + bytes(8) + b'\x00' + b'\x81\x80\x40')], ['header.run length: expected an integer 0..1048576, got 1048577']),
    ('a plot of 1025 characters', [declare(plot='p' * 1025)], ['header.plot: expected a non-empty string of at most 1024 characters, got "pppppppppppppppppppppppppppppppppppppppp..." (1025 characters)']),
    ('a layout with a plot (ignored)', [declare(kind=LAYOUT, plot='ignored', opts='{"cells":{"a":[0,0,1,1]}}', arrays=[])], []),
    ('opts not JSON', [declare(opts='{"rollover":')], ['header.opts: not JSON (']),
    ('opts a list', [declare(opts='[1]')], ['header.opts: expected a JSON object, got [1]']),
    ('opts breaking a rule', [declare(opts='{"rollover":0}')], ['lines opts.rollover: expected an integer >= 1, got 0']),
    ('opts holding x (the binary one counts)', [declare(opts='{"x":"seven","palette":"Viridis256"}')], []),
    ('two arrays named alike', [declare(kind=SCATTER, opts='{"append":true}', arrays=[('x', FLOAT64), ('x', FLOAT64)])],
     ['header.arrays[1].name: "x" names an earlier array too; names are unique in a record']),
    ('an empty array name', [declare(arrays=[('', FLOAT64)])], ['header.arrays[0].name: expected a non-empty string of at most 1024 characters, got ""']),
    ('dtype code 8', [declare(arrays=[('y', 8)], body=bytes(8))], ['header.arrays[0].dtype: expected a dtype code 0..7 (float32, float64, int8, uint8, int16, uint16, int32, uint32), got 8']),
    ('33 dimensions', [declare(shapes=[[1] * 33])], ['header.arrays[0].shape: expected at most 32 dimensions, got 33']),
    ('a size past 2^30', [declare(shapes=[[2**30 + 1]], body=bytes(8))], ['header.arrays[0].shape[0]: expected an integer 0..1073741824, got 1073741825']),
    ('a body too short', [declare(shapes=[[2]], body=bytes(8))], ["header.arrays: the arrays take more than 8 body bytes, the frame's body has 8"]),
    ('a body too long', [declare(body=bytes(16))], ["header.arrays: the arrays take 8 body bytes, the frame's body has 16"]),
    ('huge arrays beside an empty one', [declare(kind=SCATTER, opts='{"append":true}', arrays=[('x', FLOAT64), ('y', FLOAT64)], shapes=[[2**30, 2**30], [0]], body=b'')],
     ["header.arrays: the arrays take more than 0 body bytes, the frame's body has 0"]),
    ('step NaN, declaring', [declare(x=[float('nan')])], ['lines opts.x: expected a finite number, got NaN']),
    ('step Infinity, referring', [declare(), refer(seq=1, x=[float('inf')])], ['lines opts.x: expected a finite number, got Infinity']),
    ('no step', [declare(x=[])], ['header.opts.x: the header ends inside it (2 bytes left, 8 needed)']),
    ('no shape', [declare(shapes=[])], ['header.arrays[0].shape: the header ends inside it (0 bytes left, 1 needed)']),
    ('a referring record never declared', [refer(id=3)], [f'header.declaration: logger {LOGGER} ' + MISSING.format(id=3)]),
    ('declared by another logger', [declare(logger=OTHER), refer(seq=1)], [f'header.declaration: logger {LOGGER} ' + MISSING.format(id=0)]),
    ('no lines', [declare(shapes=[[0]])], ["lines array 'y': expected 1 to 10000 lines (values), got 0"]),
    ('names for fewer lines than a later shape', [declare(opts='{"names":["a"]}'), refer(seq=1), refer(seq=2, shapes=[[2]]), refer(seq=3)], ["lines array 'y': 1 names for 2 lines"]),
    ('cluster points of another D', [declare(kind=CLUSTER, plot='c', opts='{"columns":["u","v"]}', arrays=[('points', FLOAT64)], shapes=[[1, 2]]), refer(seq=1, kind=CLUSTER, shapes=[[1, 3]])],
     ["cluster array 'points': expected 2 coordinates per point (one per column of opts.columns), got 3"]),
    ('padding and more bytes in the header (ignored)', [declare(tail=b'\x00\x07\xff'), refer(seq=1, tail=b'\x01')], []),
    ('a declaring record that breaks a rule empties its id', [declare(), declare(seq=1, opts='{"rollover":0}'), refer(seq=2)],
     ['lines opts.rollover: expected an integer >= 1, got 0', f'header.declaration: logger {LOGGER} ' + MISSING.format(id=0)]),
    ('a declaration replaced', [declare(), declare(seq=1, plot='q', opts='{"title":"Q"}'), refer(seq=2)], []),
    ('an empty header is version 1', [raw_frame(b'', b'\x02' + bytes(7))], ['header: not JSON (']),
    ('a version 1 record between', [declare(), raw_frame(b'{"v":2}'), refer(seq=1)], ['header.v: expected 1 (the format version this reader reads), got 2']),
]


@pytest.fixture(scope='module')
def typescript_reads() -> list:
    return typescript_events([(b''.join(frames), None) for _, frames, _ in CLASSES])


@pytest.mark.parametrize('index', range(len(CLASSES)), ids=[name for name, _, _ in CLASSES])
def test_a_version_2_header_reads_as_the_typescript_reader_reads_it(index, typescript_reads):
    _, frames, reasons = CLASSES[index]
    data = b''.join(frames)
    events, pending = python_events(data)
    assert (events, pending) == typescript_reads[index]
    # Each frame is sound, so each bad one is one invalid record, reported on its own.
    assert [e[3:] for e in events if e[0] == 'damage'] == [(reason, True) for reason in reasons]
    assert len(events) == len(frames) and pending == 0


def test_the_records_of_version_2_classes_are_what_their_headers_say():
    by_name = {name: frames for name, frames, _ in CLASSES}
    [first, second] = python_events(b''.join(by_name['a record declared, then referred to']))[0]
    assert first == ('record', 'r', 0, 'p', {'x': 2.0}, {'y': ('float64', [1], [0.0])})
    assert second == ('record', 'r', 1, 'p', {'x': 3.0}, {'y': ('float64', [1], [0.0])})
    [layout] = python_events(by_name['a layout with a plot (ignored)'][0])[0]
    assert layout[3] is None and layout[4] == {'cells': {'a': [0, 0, 1, 1]}}
    [with_x] = python_events(by_name['opts holding x (the binary one counts)'][0])[0]
    assert with_x[4] == {'x': 2.0, 'palette': 'Viridis256'}
    replaced = python_events(b''.join(by_name['a declaration replaced']))[0]
    assert [(e[3], e[4]) for e in replaced] == [('p', {'x': 2.0}), ('q', {'x': 2.0, 'title': 'Q'}), ('q', {'x': 2.0, 'title': 'Q'})]


def test_a_referring_record_whose_declaration_is_missing_is_reported_with_the_typescript_reason(tmp_path):
    path = str(tmp_path / 'cut.svlog')
    with DataLogger('cut') as logger:
        logger.init_write_log(path)
        for step in range(5):
            logger.tandem_lines('loss', step, [step])
    frames = split_frames(open(path, 'rb').read())
    data = b''.join(frames[1:])  # the declaring record is gone (a log cut at its start, say)
    events, pending = python_events(data)
    assert (events, pending) == typescript_events([(data, None)])[0]
    reason = f'header.declaration: logger {logger.id} has not declared 0 earlier in this stream (its declaring record is missing or damaged)'
    assert events == [('damage', sum(map(len, frames[1:i])), len(frames[i]), reason, True) for i in range(1, 5)]
    cut = tmp_path / 'cut-at-its-start.svlog'
    cut.write_bytes(data)
    damage = []
    assert list(read_log(str(cut), on_damage=damage.append)) == []
    assert [(d.reason, d.invalid) for d in damage] == [(reason, True)] * 4


def test_a_log_mixing_old_and_new_producers_reads_whole_in_both_readers(tmp_path):
    path = tmp_path / 'mixed.svlog'
    # An old producer (svlog.py writes version 1), then two new ones and a version 1 record in between, appending to one log.
    subprocess.run([sys.executable, str(SVLOG_FIXTURE), 'write', str(path), 'mixed'], check=True)
    first, second = DataLogger('mixed'), DataLogger('mixed')
    first.init_write_log(str(path))
    second.init_write_log(str(path))
    for step in range(3):
        first.tandem_lines('waves', 10 + step, [step, -step])
        first.flush()
        second.tandem_lines('waves', 20 + step, [step, step])
        second.flush()
        with open(path, 'ab') as log:
            header = record_header({'run': 'mixed', 'logger': 'old', 'seq': step, 'time': 0, 'kind': 'lines', 'plot': 'waves', 'opts': {'x': 30 + step}}, [('y', 'float64', [2])])
            log.write(encode_frame(header, [[1.0, 2.0]]))
    first.scatter('dots', [[0.5, 1.0]], 1, True)
    first.shutdown()
    second.shutdown()
    data = path.read_bytes()
    versions = [frame[20] for frame in split_frames(data)]
    assert versions.count(2) == 7 and versions.count(ord('{')) == 4 + 3
    records = list(read_log(str(path)))
    assert [(r.header['v'], r.header['logger'], r.seq) for r in records[4:7]] == [(2, first.id, 0), (2, second.id, 0), (1, 'old', 0)]
    assert [r.opts['x'] for r in records if r.kind == 'lines'] == [0, 1, 10, 20, 30, 11, 21, 31, 12, 22, 32]
    assert len(records) == len(versions)
    logs = [(data, chunk) for chunk in (None, 7, 64)]
    for (log, chunk), expected in zip(logs, typescript_events(logs), strict=True):
        assert python_events(log, chunk) == expected


def random_stream(generator: random.Random) -> bytes:
    """Version 2 frames of two loggers (every kind, both forms), some with a header byte changed (and checksums that hold)."""
    encoders = {logger: RecordEncoder(logger) for logger in (LOGGER, OTHER)}
    frames = []
    for seq in range(generator.randrange(1, 40)):
        logger = generator.choice([LOGGER, OTHER])
        kind = generator.choice(['layout', 'clear', 'scatter', 'lines', 'lines', 'lines', 'multilines', 'cluster'])
        plot = generator.choice(['a', 'b'])
        fields, arrays = {
            'layout': ({'kind': 'layout', 'opts': {'cells': {'a': [0, 0, 1, 1]}}}, []),
            'clear': ({'kind': 'clear', 'opts': generator.choice([{}, {'plots': ['a']}])}, []),
            'scatter': ({'kind': 'scatter', 'plot': plot, 'opts': {'append': generator.random() < 0.5}}, [('x', [2]), ('y', [2])]),
            'lines': ({'kind': 'lines', 'plot': plot, 'opts': {'x': seq * 1.5, **generator.choice([{}, {'rollover': 5}, {'names': ['u']}])}}, [('y', [generator.choice([1, 1, 2])])]),
            'multilines': ({'kind': 'multilines', 'plot': plot, 'opts': {'append': True}}, [('x', [1, 2]), ('y', [1, 2])]),
            'cluster': ({'kind': 'cluster', 'plot': plot, 'opts': {'columns': ['u', 'v'], 'k': 2}}, [('points', [generator.randrange(3), 2])]),
        }[kind]
        header = record_header({'run': 'r', 'logger': logger, 'seq': seq, 'time': seq, **fields}, [(name, 'float64', shape) for name, shape in arrays])
        if header['kind'] == 'lines' and header['opts'].get('names') and header['arrays'][0]['shape'] != [1]:
            header['opts'].pop('names')
        forms = FrameForms(streamed=generator.random() < 0.8, self_contained=True)
        encoded = encoders[logger].encode(header, lambda columns: [column.fill(seq) for column in columns], forms)
        frame = bytearray(encoded.streamed if encoded.streamed is not None and generator.random() < 0.8 else encoded.self_contained)
        if generator.random() < 0.25:
            header_bytes = int.from_bytes(frame[4:8], 'little')
            frame[20 + generator.randrange(1, header_bytes)] = generator.choice([0, 1, 2, 0x7F, 0x80, 0xFF, generator.randrange(256)])
            frame = bytearray(refresh_checksums(frame))
        frames.append(bytes(frame))
    return b''.join(frames)


def test_random_version_2_streams_with_changed_header_bytes_read_as_the_typescript_reader_reads_them():
    generator = random.Random(2)
    logs = [(random_stream(generator), generator.choice([None, generator.randrange(1, 200)])) for _ in range(150)]
    expected = typescript_events(logs)
    for (data, chunk), theirs in zip(logs, expected, strict=True):
        assert python_events(data, chunk) == theirs
    reasons = {e[3] for events, _ in expected for e in events if e[0] == 'damage'}
    assert len(reasons) > 20 and any('has not declared' in reason for reason in reasons)
