"""Frames for reader tests (good ones, and the damaged and hostile ones a writer can make), and the events both readers make of them."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from streamvis import Damage, FrameReader, Record
from streamvis.encoding import encode_frame, record_header
from streamvis.limits import MAX_BODY_BYTES
from support.repo import typescript


def lines_frame(seq: int, values: list[float], run: str = 'r', plot: str = 'p', **opts: object) -> bytes:
    header = record_header({'run': run, 'logger': 'L', 'seq': seq, 'time': 0, 'kind': 'lines', 'plot': plot, 'opts': {'x': seq, **opts}}, [('y', 'float64', [len(values)])])
    return bytes(encode_frame(header, [values]))


def raw_frame(header: str | bytes | dict[str, Any], body: bytes = b'', *, header_bytes: int | None = None, body_bytes: int | None = None) -> bytes:
    """A frame whose checksums hold around any header (JSON text, raw bytes, or a dict to write as JSON) and body; it may announce other lengths."""
    head = json.dumps(header).encode() if isinstance(header, dict) else header.encode() if isinstance(header, str) else header
    prefix = b'SVR1' + struct.pack('<III', len(head) if header_bytes is None else header_bytes, len(body) if body_bytes is None else body_bytes, zlib.crc32(head + body))
    return prefix + struct.pack('<I', zlib.crc32(prefix)) + head + body


def split_frames(data: bytes) -> list[bytes]:
    """The frames of a log of whole frames, by the lengths their prefixes announce (a version 2 frame may not read alone)."""
    frames, at = [], 0
    while at < len(data):
        header_bytes, body_bytes = struct.unpack_from('<II', data, at + 4)
        frames.append(data[at:at + 20 + header_bytes + body_bytes])
        at += len(frames[-1])
    return frames


def with_logger_and_time(frame: bytes, logger: str, time: float) -> bytes:
    """A version 2 frame with another logger id and time (and its checksums recomputed): the rest is what a logger's calls decide."""
    assert frame[20] == 2, 'a version 2 frame'
    at = 30  # after the mark, the form and the 8 bytes of the logger id: the seq, a varint
    while frame[at] >= 0x80:
        at += 1
    return refresh_checksums(frame[:22] + bytes.fromhex(logger) + frame[30:at + 1] + struct.pack('<d', time) + frame[at + 9:])


def torn_prefix() -> bytes:
    """The 20 bytes of a valid prefix announcing a 1 GiB body that never comes (a writer died, or lies)."""
    return raw_frame(b'', header_bytes=100, body_bytes=MAX_BODY_BYTES)[:20]


def nested_bad_frames(count: int, tail_bytes: int) -> bytes:
    """`count` valid prefixes, each announcing a frame that runs to the end of the region, none of whose payloads checks."""
    total = count * 20 + tail_bytes
    return b''.join(raw_frame(b'', header_bytes=0, body_bytes=total - (i + 1) * 20)[:20] for i in range(count)) + b'\x07' * tail_bytes


_NOT_JSON = ('header: not JSON (', 'header.opts: not JSON (')


def comparable(reason: str) -> str:
    """
    A reason as both readers give it. The detail in `header: not JSON (...)` (and a version 2
    header's `header.opts: not JSON (...)`) is the JSON parser's own words (Python's json
    module's, JavaScript's JSON.parse's), so that reason is compared up to its parenthesis;
    every other reason word for word.
    """
    return next((prefix for prefix in _NOT_JSON if reason.startswith(prefix)), reason)


def refresh_checksums(frame: bytes | bytearray) -> bytes:
    """A frame's bytes with both checksums recomputed after an edit, so only the header's rules can reject it."""
    edited = bytearray(frame)
    struct.pack_into('<I', edited, 12, zlib.crc32(edited[20:]))
    struct.pack_into('<I', edited, 16, zlib.crc32(edited[:16]))
    return bytes(edited)


def python_events(data: bytes, chunk: int | None = None) -> tuple[list[tuple], int]:
    """
    The events of the Python FrameReader given `data` in pushes of `chunk` bytes (one push by
    default), reasons as `comparable` gives them (and whether the damage is an invalid record),
    and the bytes it holds back.
    """
    reader = FrameReader()
    events: list[Record | Damage] = []
    step = chunk or max(len(data), 1)
    for start in range(0, len(data), step):
        reader.push(data[start:start + step])
        events += reader.drain()
    return [_python_event(e) for e in events], reader.pending_bytes


def _python_event(event: Record | Damage) -> tuple:
    if isinstance(event, Damage):
        return ('damage', event.offset, event.size, comparable(event.reason), event.invalid)
    arrays = {}
    for descriptor in event.header['arrays']:
        array = event.arrays[descriptor['name']]
        # numpy holds every shape but an empty one whose other sizes multiply past 2^63.
        assert array.shape == tuple(descriptor['shape']) or array.size == 0
        arrays[descriptor['name']] = (descriptor['dtype'], descriptor['shape'], array.reshape(-1).tolist())
    return ('record', event.run, event.seq, event.plot, event.opts, arrays)


def typescript_events(logs: list[tuple[bytes, int | None]]) -> list[tuple[list[tuple], int]]:
    """`python_events` of each (data, chunk) as the TypeScript FrameReader makes them (one node process for all)."""
    answer = typescript('read', {'logs': [{'hex': data.hex(), **({'chunk': chunk} if chunk else {})} for data, chunk in logs]})
    return [([_typescript_event(e) for e in read['events']], read['pending']) for read in answer['reads']]


def _typescript_event(event: dict[str, Any]) -> tuple:
    if event['type'] == 'corrupt':
        return ('damage', event['offset'], event['size'], comparable(event['reason']), event.get('invalid', False))
    header = event['header']
    arrays = {d['name']: (d['dtype'], d['shape'], event['arrays'][d['name']]['values']) for d in header['arrays']}
    return ('record', header['run'], header['seq'], header.get('plot'), header['opts'], arrays)
