"""The reader tells complete records from torn and damaged bytes as docs/log-format.md says, and as the TypeScript reader does."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

from streamvis import ColorSpec, DataLogger, Damage, FrameReader, Record, read_log
from streamvis.encoding import encode_frame, record_header
from support.repo import SVLOG_FIXTURE, typescript


def lines_frame(seq: int, values: list[float], **opts: object) -> bytes:
    header = record_header({'run': 'r', 'logger': 'L', 'seq': seq, 'time': 0, 'kind': 'lines', 'plot': 'p', 'opts': {'x': seq, **opts}}, [('y', 'float64', [len(values)])])
    return bytes(encode_frame(header, [values]))


def sealed(header_text: bytes, body: bytes = b'') -> bytes:
    """A frame with valid checksums around any header bytes."""
    payload = header_text + body
    prefix = b'SVR1' + struct.pack('<III', len(header_text), len(body), zlib.crc32(payload))
    return prefix + struct.pack('<I', zlib.crc32(prefix)) + payload


def damaged_pieces() -> list[tuple[bytes, str]]:
    """Damaged bytes, each with the reason a reader gives for it."""
    bad_payload = bytearray(lines_frame(100, [1.0]))
    bad_payload[-1] ^= 0xFF
    bad_prefix = bytearray(lines_frame(101, [1.0]))
    bad_prefix[5] ^= 0x01
    header = b'"run":"r","logger":"L","seq":0,"time":0,"plot":"p"'
    return [
        (b'garbage', 'bad magic'),
        (lines_frame(102, [1.0] * 10)[:50], 'bad payload checksum'),  # a writer died mid-frame, another appended after it
        (bytes(bad_payload), 'bad payload checksum'),
        (bytes(bad_prefix), 'bad prefix checksum'),
        (sealed(b'{not json'), 'header is not JSON'),
        (sealed(b'"text"'), 'header is not an object'),
        (sealed(b'[1]'), 'unknown format version undefined'),
        (sealed(b'{"v":2,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[]}'), 'unknown format version 2'),
        (sealed(b'{"v":1,"run":"r","seq":0,"time":0,"kind":"lines","plot":"p","opts":{"x":1},"arrays":[]}'), 'header lacks run or logger'),
        (sealed(b'{"v":1,' + header + b',"kind":"histogram","opts":{},"arrays":[]}'), 'unknown record kind histogram'),
        (sealed(b'{"v":1,' + header + b',"kind":"scatter","opts":{"append":true,"rollover":0},"arrays":[]}'), 'scatter opts.rollover: expected an integer >= 1, got 0'),
        (sealed(b'{"v":1,' + header + b',"kind":"cluster","opts":{"columns":["a"],"k":2,"kMax":3},"arrays":[]}'), 'cluster opts.k: give either k or kMin/kMax, not both'),
        (sealed(b'{"v":1,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[{"name":"y","dtype":"float64","shape":[2]}]}', b'\0' * 8), 'arrays need 16 body bytes, frame has 8'),
        (sealed(b'{"v":1,' + header + b',"kind":"lines","opts":{"x":1},"arrays":[{"name":"y","dtype":"int64","shape":[1]}]}', b'\0' * 8), 'bad array descriptor'),
        (b'SV', 'bad magic'),  # a magic's first bytes, then a frame
    ]


def damaged_log() -> bytes:
    """Each damaged piece between two good frames; then a frame cut short with a good one after it, and a torn tail."""
    pieces = [piece for piece, _ in damaged_pieces()]
    good = [lines_frame(seq, [seq, -seq]) for seq in range(len(pieces) + 3)]
    body = b''.join(good[i] + piece for i, piece in enumerate(pieces))
    torn = lines_frame(200, [0.0] * 1000)[:100]
    return body + good[len(pieces)] + torn + good[len(pieces) + 1] + good[len(pieces) + 2][:-3]


def as_events(events: list[Record | Damage]) -> list[tuple]:
    return [
        ('damage', e.offset, e.size, e.reason) if isinstance(e, Damage) else ('record', e.seq, e.opts, {n: a.tolist() for n, a in e.arrays.items()})
        for e in events
    ]


def test_a_damaged_log_reads_as_the_typescript_reader_reads_it():
    data = damaged_log()
    reader = FrameReader()
    reader.push(data)
    events = reader.drain()
    answer = typescript('read', {'hex': data.hex()})
    expected = [
        ('damage', e['offset'], e['size'], e['reason']) if e['type'] == 'corrupt'
        else ('record', e['header']['seq'], e['header']['opts'], {n: a['values'] for n, a in e['arrays'].items()})
        for e in answer['events']
    ]
    assert as_events(events) == expected
    assert reader.pending_bytes == answer['pending'] > 0
    pieces = damaged_pieces()
    assert [e[1] for e in expected if e[0] == 'record'] == list(range(len(pieces) + 2))
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
