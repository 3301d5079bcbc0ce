"""The reader tells complete records from torn and damaged bytes as docs/log-format.md says, and as the TypeScript reader does."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest

from streamvis import ColorSpec, DataLogger, Damage, FrameReader, Record, read_log
from support.frames import lines_frame, nested_bad_frames, python_events, raw_frame, torn_prefix, typescript_events
from support.repo import SVLOG_FIXTURE


def damaged_pieces() -> list[tuple[bytes, str]]:
    """Damaged bytes, each with the reason a reader gives for it."""
    bad_payload = bytearray(lines_frame(100, [1.0]))
    bad_payload[-1] ^= 0xFF
    bad_prefix = bytearray(lines_frame(101, [1.0]))
    bad_prefix[5] ^= 0x01
    header = b'"run":"r","logger":"L","seq":0,"time":0,"plot":"p"'
    return [
        (b'garbage', 'bad magic'),
        # A writer died mid-frame, another appended after it: the frame's length runs into the next frames.
        (lines_frame(102, [1.0] * 10)[:50], 'bad payload checksum'),
        (bytes(bad_payload), 'bad payload checksum'),
        (bytes(bad_prefix), 'bad prefix checksum'),
        (raw_frame(b'{not json'), 'header: not JSON ('),
        (raw_frame(b'"text"'), 'header: expected a JSON object, got "text"'),
        (raw_frame(b'[1]'), 'header: expected a JSON object, got [1]'),
        (raw_frame(b'{"v":2,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[]}'), 'header.v: expected 1 (the format version this reader reads), got 2'),
        (raw_frame(b'{"v":1,"run":"r","seq":0,"time":0,"kind":"lines","plot":"p","opts":{"x":1},"arrays":[]}'),
         'header.logger: expected a non-empty string of at most 1024 characters, got undefined'),
        (raw_frame(b'{"v":1,' + header + b',"kind":"histogram","opts":{},"arrays":[]}'), 'header.kind: expected one of layout, clear, scatter, lines, multilines, cluster, got "histogram"'),
        (raw_frame(b'{"v":1,' + header + b',"kind":"scatter","opts":{"append":true,"rollover":0},"arrays":[]}'), 'scatter opts.rollover: expected an integer >= 1, got 0'),
        (raw_frame(b'{"v":1,' + header + b',"kind":"cluster","opts":{"columns":["a"],"k":2,"kMax":3},"arrays":[]}'), 'cluster opts.k: give either k or kMin/kMax, not both'),
        (raw_frame(b'{"v":1,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[{"name":"y","dtype":"float64","shape":[2]}]}', b'\0' * 8),
         "header.arrays: the arrays take more than 8 body bytes, the frame's body has 8"),
        (raw_frame(b'{"v":1,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[{"name":"y","dtype":"int64","shape":[1]}]}', b'\0' * 8),
         'header.arrays[0].dtype: expected one of float32, float64, int8, uint8, int16, uint16, int32, uint32, got "int64"'),
        (b'SV', 'bad magic'),  # a magic's first bytes, then a frame
    ]


def damaged_log() -> bytes:
    """Each damaged piece between two good frames; then a frame cut short with a good one after it, and a torn tail."""
    pieces = [piece for piece, _ in damaged_pieces()]
    good = [lines_frame(seq, [seq, -seq]) for seq in range(len(pieces) + 3)]
    body = b''.join(good[i] + piece for i, piece in enumerate(pieces))
    torn = lines_frame(200, [0.0] * 1000)[:100]
    return body + good[len(pieces)] + torn + good[len(pieces) + 1] + good[len(pieces) + 2][:-3]


def test_a_damaged_log_reads_as_the_typescript_reader_reads_it():
    data = damaged_log()
    # Every reason word for word, but `header: not JSON (...)` up to its parenthesis (see `comparable`).
    [(expected, pending), (expected_chunked, pending_chunked)] = typescript_events([(data, None), (data, 7)])
    assert python_events(data) == (expected, pending)
    assert python_events(data, 7) == (expected_chunked, pending_chunked)
    assert pending > 0
    pieces = damaged_pieces()
    assert [e[2] for e in expected if e[0] == 'record'] == list(range(len(pieces) + 2))
    assert [e[3] for e in expected if e[0] == 'damage'] == [reason for _, reason in pieces] + ['torn record']


def test_a_log_pushed_in_small_chunks_reads_the_same():
    data = damaged_log()
    whole = FrameReader()
    whole.push(data)
    chunked = FrameReader()
    events = []
    for start in range(0, len(data), 7):
        chunked.push(data[start:start + 7])
        events += chunked.drain()
    # A damaged run may be reported in pieces as it arrives; the records are the same.
    assert [e.seq for e in events if isinstance(e, Record)] == [e.seq for e in whole.drain() if isinstance(e, Record)]
    assert chunked.pending_bytes == whole.pending_bytes


def test_read_log_yields_the_records_and_reports_damage_and_the_torn_tail(tmp_path):
    path = tmp_path / 'damaged.svlog'
    path.write_bytes(damaged_log())
    damage: list[Damage] = []
    records = list(read_log(str(path), on_damage=damage.append))
    assert [r.seq for r in records] == list(range(len(damaged_pieces()) + 2))
    assert records[3].arrays['y'].tolist() == [3.0, -3.0]
    assert records[2].arrays['y'].dtype == np.float64
    assert damage[-1].reason == 'torn tail' and damage[-1].offset + damage[-1].size == len(damaged_log())
    assert list(read_log(str(path), run='another run')) == []


@pytest.mark.parametrize('cut', [1, 3, 19, 20, 60])
def test_a_frame_cut_anywhere_waits_for_the_rest(cut):
    frame = lines_frame(0, [1.0, 2.0])
    reader = FrameReader()
    reader.push(frame[:cut])
    assert reader.drain() == []
    reader.push(frame[cut:])
    [record] = reader.drain()
    assert record.arrays['y'].tolist() == [1.0, 2.0]


def test_the_format_documents_standard_library_reader_reads_the_packages_logs(tmp_path):
    # test/fixtures/svlog.py: 50 lines of standard-library Python written from docs/log-format.md alone.
    path = str(tmp_path / 'package.svlog')
    with DataLogger('stdlib') as logger:
        logger.init_write_log(path)
        logger.set_layout({'a': [0, 0, 1, 1], 'b': [0, 1, 1, 1]})
        logger.scatter('a', np.array([[0.1, 0.2, 0.5], [3, 4, 1]], np.float32), 1, False, color=ColorSpec('Viridis256'))
        logger.tandem_lines('b', 2.5, [1e-7, -3])
    printed = subprocess.run([sys.executable, str(SVLOG_FIXTURE), 'read', path], capture_output=True, text=True, check=True).stdout
    theirs = [json.loads(line) for line in printed.splitlines()]
    ours = list(read_log(path))
    assert [r['header'] for r in theirs] == [r.header for r in ours]
    assert [{n: a['data'] for n, a in r['arrays'].items()} for r in theirs] == [{n: a.tolist() for n, a in r.arrays.items()} for r in ours]


# Cost bounds (docs/log-format.md, "Reading"), as packages/format/src/frame-reader.test.ts has
# them: each byte is searched for the magic at most twice (plus the 3 bytes after each magic
# found, and the last 3 bytes again at each read that waits), checksummed at most twice, plus
# the 16 prefix bytes at each magic (magics are at least 4 bytes apart); each header is parsed
# at most once.
SEARCHED_PER_BYTE = 2 + 2 * (3 / 4) + 3
CHECKSUMMED_PER_BYTE = 2 + 2 * (16 / 4)


def assert_linear_cost(reader: FrameReader, size: int) -> None:
    cost = reader.cost
    assert cost.searched <= SEARCHED_PER_BYTE * size + 8
    assert cost.checksummed <= CHECKSUMMED_PER_BYTE * size + 32
    assert cost.parsed <= size


def read_in_chunks(data: bytes, chunk: int) -> tuple[list, FrameReader]:
    reader = FrameReader()
    summary = []
    for start in range(0, len(data), chunk):
        reader.push(data[start:start + chunk])
        summary += [e.seq if isinstance(e, Record) else e.reason for e in reader.drain()]
    return summary, reader


def good(seq: int) -> bytes:
    return lines_frame(seq, [seq, -seq])


def test_a_torn_prefix_chain_of_64_reads_in_linear_time_with_the_frames_around_it():
    # Deciding rule 5 by reading each later frame, which decides rule 5 in turn, took about 1.9^k steps.
    log = good(0) + good(1) + torn_prefix() * 64 + good(2) + good(3)
    for chunk in (len(log), 7):
        summary, reader = read_in_chunks(log, chunk)
        assert summary == [0, 1, 'torn record', 2, 3]
        assert_linear_cost(reader, len(log))


def test_a_torn_prefix_chain_at_the_end_waits_and_each_byte_appended_costs_its_own_bytes():
    reader = FrameReader()
    reader.push(good(0) + good(1) + torn_prefix() * 64)
    assert [e.seq for e in reader.drain()] == [0, 1]
    assert reader.pending_bytes == 64 * 20
    later = good(2)
    before = reader.cost.checksummed + reader.cost.searched
    for i in range(len(later)):
        reader.push(later[i:i + 1])
        events = reader.drain()
        assert [e.seq if isinstance(e, Record) else e.reason for e in events] == ([] if i < len(later) - 1 else ['torn record', 2])
    assert reader.cost.checksummed + reader.cost.searched - before <= 16 * len(later)


def test_nested_frames_with_bad_payloads_are_checksummed_once_not_once_each():
    # 2000 valid prefixes, each announcing a frame that runs to the end of the log, none of whose payloads checks.
    log = nested_bad_frames(2000, 100_000) + good(9)
    summary, reader = read_in_chunks(log, len(log))
    assert summary == ['bad payload checksum', 9]
    assert_linear_cost(reader, len(log))


def test_a_frame_over_many_small_pushes_costs_its_bytes():
    frame = lines_frame(0, [0.0] * 5000)
    summary, reader = read_in_chunks(frame, 64)
    assert summary == [0]
    assert_linear_cost(reader, len(frame))


def random_json(generator: random.Random) -> object:
    choice = generator.randrange(6)
    if choice == 0:
        return ''.join(chr(generator.choice([generator.randrange(32, 127), generator.randrange(0xD800, 0xE000), generator.randrange(0x1F600, 0x1F650)])) for _ in range(generator.randrange(8)))
    if choice == 1:
        return generator.randrange(-2**60, 2**60) >> generator.randrange(61)
    if choice == 2:
        return generator.uniform(-1, 1) * 10.0 ** generator.randrange(-30, 30)
    return [True, None, [generator.randrange(5) for _ in range(generator.randrange(6))]][choice - 3]


def random_piece(generator: random.Random) -> bytes:
    """A piece of a log: a record with a random field replaced, random JSON, random text, a good record, a torn or lying prefix, random bytes."""
    choice = generator.randrange(7)
    if choice == 0:
        fields = {'v': 1, 'run': 'r', 'logger': 'L', 'seq': 1, 'time': 0, 'kind': generator.choice(['layout', 'clear', 'scatter', 'lines', 'multilines', 'cluster', 'histogram']), 'plot': 'p',
                  'opts': {'append': True, 'x': 1, 'columns': ['a'], 'cells': {'p': [0, 0, 1, 1]}, 'plots': ['p']}, 'arrays': []}
        field = generator.choice(['v', 'run', 'seq', 'time', 'plot', 'opts', 'arrays', 'none'])
        if field != 'none':
            fields[field] = random_json(generator)
        return raw_frame(json.dumps(fields), bytes(generator.choice([0, 0, generator.randrange(64)])))
    if choice == 1:
        return raw_frame(json.dumps(random_json(generator)), bytes(generator.randrange(8)))
    if choice == 2:
        return raw_frame(str(random_json(generator)).encode('utf-8', 'surrogatepass'))
    if choice == 3:
        return good(generator.randrange(2000))
    if choice == 4:
        return torn_prefix()
    if choice == 5:
        return raw_frame(b'', header_bytes=0, body_bytes=generator.randrange(400))[:20]
    return generator.randbytes(generator.randrange(40))


def test_random_logs_of_hostile_pieces_read_as_the_typescript_reader_reads_them_in_linear_time():
    generator = random.Random(12)
    logs = [(b''.join(random_piece(generator) for _ in range(generator.randrange(60))), generator.randrange(1, 300)) for _ in range(200)]
    for (data, chunk), expected in zip(logs, typescript_events(logs), strict=True):
        assert python_events(data, chunk) == expected
        _, reader = read_in_chunks(data, chunk)
        assert_linear_cost(reader, len(data))
