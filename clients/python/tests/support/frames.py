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


def torn_prefix() -> bytes:
    """The 20 bytes of a valid prefix announcing a 1 GiB body that never comes (a writer died, or lies)."""
    return raw_frame(b'', header_bytes=100, body_bytes=MAX_BODY_BYTES)[:20]


def nested_bad_frames(count: int, tail_bytes: int) -> bytes:
    """`count` valid prefixes, each announcing a frame that runs to the end of the region, none of whose payloads checks."""
    total = count * 20 + tail_bytes
    return b''.join(raw_frame(b'', header_bytes=0, body_bytes=total - (i + 1) * 20)[:20] for i in range(count)) + b'\x07' * tail_bytes


def comparable(reason: str) -> str:
    """
    A reason as both readers give it. The detail in `header: not JSON (...)` is the JSON
    parser's own words (Python's json module's, JavaScript's JSON.parse's), so that reason is
    compared up to its parenthesis; every other reason word for word.
    """
    prefix = 'header: not JSON ('
    return prefix if reason.startswith(prefix) else reason


def python_events(data: bytes, chunk: int | None = None) -> tuple[list[tuple], int]:
    """
    The events of the Python FrameReader given `data` in pushes of `chunk` bytes (one push by
    default), reasons as `comparable` gives them, and the bytes it holds back.
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
        return ('damage', event.offset, event.size, comparable(event.reason))
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
        return ('damage', event['offset'], event['size'], comparable(event['reason']))
    header = event['header']
    arrays = {d['name']: (d['dtype'], d['shape'], event['arrays'][d['name']]['values']) for d in header['arrays']}
    return ('record', header['run'], header['seq'], header.get('plot'), header['opts'], arrays)
