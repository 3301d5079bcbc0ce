"""Reads frames back into records, telling a complete record from a torn tail or damage.

The rules, in order, are docs/log-format.md's ("Reading, damage and resynchronisation"), as
the TypeScript reader (packages/format/src/codec.ts `readFrame`) applies them, with the same
reasons: a damaged log reads the same in both languages.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from .checks import ArgumentError, as_integer, is_number
from .encoding import DTYPES, FORMAT_VERSION, MAGIC, MAX_BODY_BYTES, MAX_HEADER_BYTES, PREFIX_BYTES, javascript_number
from .options import RECORD_KINDS, record_options

_PREFIX = struct.Struct('<4sIIII')
#: A header field that is not there (JavaScript's undefined, where JSON's null is None).
_ABSENT = object()


@dataclass(frozen=True)
class Record:
    """A decoded record: its header (a dict, as in the log) and its arrays by name (read-only numpy arrays, shaped)."""

    header: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def run(self) -> str:
        return self.header['run']

    @property
    def kind(self) -> str:
        return self.header['kind']

    @property
    def plot(self) -> str | None:
        return self.header.get('plot')

    @property
    def seq(self) -> int:
        return self.header['seq']

    @property
    def opts(self) -> dict[str, Any]:
        return self.header['opts']


@dataclass(frozen=True)
class Decoded:
    """A complete, valid frame: its record, and the offset just after it."""

    record: Record
    end: int


@dataclass(frozen=True)
class Incomplete:
    """The bytes end inside a frame, which may still be being written (at the end of a finished log: a torn tail)."""


@dataclass(frozen=True)
class Corrupt:
    """Damaged bytes: why, and the offset to go on reading from."""

    reason: str
    resume: int


FrameResult = Union[Decoded, Incomplete, Corrupt]


def read_frame(data: bytes, offset: int) -> FrameResult:
    """Reads the frame at `offset` of `data` (bytes, or anything with bytes' `find`)."""
    available = len(data) - offset
    if available < len(MAGIC):
        return Incomplete() if _is_magic_prefix(data, offset) else Corrupt('bad magic', _next_magic(data, offset + 1))
    if data[offset:offset + 4] != MAGIC:
        return Corrupt('bad magic', _next_magic(data, offset + 1))
    if available < PREFIX_BYTES:
        return Incomplete()
    _, header_bytes, body_bytes, payload_crc, prefix_crc = _PREFIX.unpack_from(data, offset)
    view = memoryview(data)
    if prefix_crc != zlib.crc32(view[offset:offset + 16]):
        return Corrupt('bad prefix checksum', _next_magic(data, offset + 1))
    if header_bytes > MAX_HEADER_BYTES or body_bytes > MAX_BODY_BYTES:
        return Corrupt('frame lengths out of range', _next_magic(data, offset + 1))
    start = offset + PREFIX_BYTES
    end = start + header_bytes + body_bytes
    if end > len(data):
        later = _next_complete_frame(data, offset + 1)
        return Incomplete() if later < 0 else Corrupt('torn record', later)
    if payload_crc != zlib.crc32(view[start:end]):
        return Corrupt('bad payload checksum', _next_magic(data, offset + 1))
    # The checksums hold, so the frame's extent is trusted: a bad header skips exactly this frame.
    decoded = _decode_payload(data, start, header_bytes, end)
    return Corrupt(decoded, end) if isinstance(decoded, str) else Decoded(decoded, end)


def _is_magic_prefix(data: bytes, offset: int) -> bool:
    return MAGIC.startswith(bytes(data[offset:]))


def _next_magic(data: bytes, start: int) -> int:
    """Offset of the next full magic at or after `start`, or of a magic prefix at the very end."""
    found = data.find(MAGIC, start)
    if found >= 0:
        return found
    for at in range(max(start, len(data) - len(MAGIC) + 1), len(data)):
        if _is_magic_prefix(data, at):
            return at
    return len(data)


def _next_complete_frame(data: bytes, start: int) -> int:
    at = _next_magic(data, start)
    while at < len(data):
        if isinstance(read_frame(data, at), Decoded):
            return at
        at = _next_magic(data, at + 1)
    return -1


def _reject_constant(name: str) -> Any:
    raise ValueError(f'{name} is not JSON')


def _decode_payload(data: bytes, start: int, header_bytes: int, end: int) -> Record | str:
    try:
        # As JavaScript reads it: bad UTF-8 becomes U+FFFD, NaN and Infinity are not JSON.
        parsed = json.loads(bytes(data[start:start + header_bytes]).decode('utf-8', errors='replace'), parse_constant=_reject_constant)
    except ValueError:
        return 'header is not JSON'
    header = _check_header(parsed, end - start - header_bytes)
    if isinstance(header, str):
        return header
    arrays = {}
    offset = start + header_bytes
    for descriptor in header['arrays']:
        dtype = DTYPES[descriptor['dtype']]
        count = math.prod(descriptor['shape'])
        arrays[descriptor['name']] = np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(descriptor['shape'])
        offset += count * dtype.itemsize
    return Record(header, arrays)


def _check_header(parsed: Any, body_bytes: int) -> dict[str, Any] | str:
    """Checks what decoding relies on and parses the kind's options; returns the header, or the problem."""
    if not isinstance(parsed, (dict, list)):
        return 'header is not an object'
    # A JSON array is an object to JavaScript, one without any of the fields.
    header = parsed if isinstance(parsed, dict) else {}
    version = header.get('v', _ABSENT)
    if not is_number(version) or version != FORMAT_VERSION:
        return f'unknown format version {_javascript_string(version)}'
    if not isinstance(header.get('run'), str) or not isinstance(header.get('logger'), str):
        return 'header lacks run or logger'
    if as_integer(header.get('seq')) is None or not is_number(header.get('time')):
        return 'header lacks seq or time'
    kind = header.get('kind', _ABSENT)
    if not isinstance(kind, str) or kind not in RECORD_KINDS:
        return f'unknown record kind {_javascript_string(kind)}'
    if kind != 'layout' and not isinstance(header.get('plot'), str):
        return 'header lacks plot'
    try:
        header['opts'] = RECORD_KINDS[kind](header.get('opts'), record_options(kind))
    except ArgumentError as error:
        return str(error)
    if not isinstance(header.get('arrays'), list):
        return 'header lacks arrays'
    total = 0
    for descriptor in header['arrays']:
        descriptor = descriptor if isinstance(descriptor, dict) else {}
        name, dtype, shape = descriptor.get('name'), descriptor.get('dtype'), descriptor.get('shape')
        dims = [as_integer(n) for n in shape] if isinstance(shape, list) else None
        if not isinstance(name, str) or dtype not in DTYPES or dims is None or any(n is None or n < 0 for n in dims):
            return 'bad array descriptor'
        descriptor['shape'] = dims
        total += math.prod(dims) * DTYPES[dtype].itemsize
    if total != body_bytes:
        return f'arrays need {total} body bytes, frame has {body_bytes}'
    return header


def _javascript_string(value: Any) -> str:
    """How JavaScript's String() writes a JSON value (or an absent one), as the TypeScript reader's reasons show it."""
    if value is _ABSENT:
        return 'undefined'
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        return javascript_number(value)
    if isinstance(value, dict):
        return '[object Object]'
    if isinstance(value, list):
        return ','.join('' if item is None else _javascript_string(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Damage:
    """A run of damaged bytes in a stream: where, how long, why (the first reason found in it)."""

    offset: int
    size: int
    reason: str


class FrameReader:
    """
    Turns a byte stream (a log read in chunks, in order) into records. A frame cut by the end
    of what was pushed stays buffered until more bytes arrive; damaged bytes are reported as one
    Damage per damaged run and skipped.
    """

    def __init__(self) -> None:
        self._buffer = b''
        self._base = 0  # stream offset of _buffer[0]

    def push(self, chunk: bytes) -> None:
        # Immutable bytes: the records' arrays are views into them and keep them alive.
        self._buffer = bytes(chunk) if not self._buffer else self._buffer + chunk

    def drain(self) -> list[Record | Damage]:
        """Decodes every complete frame buffered so far, in stream order."""
        events: list[Record | Damage] = []
        at = 0
        buffer = self._buffer
        while True:
            result = read_frame(buffer, at)
            if isinstance(result, Incomplete):
                break
            if isinstance(result, Decoded):
                events.append(result.record)
                at = result.end
                continue
            offset = self._base + at
            last = events[-1] if events else None
            if isinstance(last, Damage) and last.offset + last.size == offset:
                events[-1] = Damage(last.offset, last.size + result.resume - at, last.reason)
            else:
                events.append(Damage(offset, result.resume - at, result.reason))
            at = result.resume
            if at >= len(buffer):
                break
        self._buffer = buffer[at:]
        self._base += at
        return events

    @property
    def offset(self) -> int:
        """Stream offset up to which every byte has been decoded or reported."""
        return self._base

    @property
    def pending_bytes(self) -> int:
        """Bytes held back as a possibly torn frame."""
        return len(self._buffer)


_CHUNK_BYTES = 16 << 20


def read_log(path: str, run: str | None = None, on_damage: Callable[[Damage], None] | None = None) -> Iterator[Record]:
    """
    Yields the records of a log file in order (only `run`'s, when given). Damaged bytes are
    skipped, each damaged run passed to `on_damage`; so is a torn tail at the end (a frame
    its writer did not finish), with reason 'torn tail'.
    """
    reader = FrameReader()
    with open(path, 'rb') as log:
        while chunk := log.read(_CHUNK_BYTES):
            reader.push(chunk)
            for event in reader.drain():
                if isinstance(event, Damage):
                    if on_damage is not None:
                        on_damage(event)
                elif run is None or event.run == run:
                    yield event
    if reader.pending_bytes > 0 and on_damage is not None:
        on_damage(Damage(reader.offset, reader.pending_bytes, 'torn tail'))
