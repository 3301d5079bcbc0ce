"""Encodes one logger's records in version 2 (docs/log-format.md, "Version 2 headers"), byte for byte as packages/format/src/record-encoder.ts does.

The run, kind, plot, options and array names and dtypes of a plot's records are declared once
and referred to by id after, so a step of a few scalars takes a few dozen bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, Callable, NamedTuple

import numpy as np

from .binary_header import BINARY_HEADER_MARK, DECLARING, DTYPE_CODES, KIND_CODES, LOGGER_ID, REFERRING, without_fields
from .checks import ArgumentError, describe
from .encoding import PREFIX_BYTES, Unencodable, alignment_padding, escape_lone_surrogates, frame_around, seal_frame, to_json
from .kinds import CONTROL_KINDS, RECORD_KINDS
from .limits import MAX_DECLARATIONS
from .varint import varint

#: A stream declares a plot again after this many records referring to it, so that damage to
#: one declaring record loses at most this many of the plot's records, not the rest of the stream.
REDECLARE_EVERY = 1000

#: Writes a record's arrays into the frame's, given one writable 1-d array per descriptor.
Fill = Callable[[list[np.ndarray]], None]

_F64 = struct.Struct('<d')
_KIND_CODE = {kind: bytes((code,)) for code, kind in enumerate(KIND_CODES)}
_DTYPE_CODE = {dtype: bytes((code,)) for code, dtype in enumerate(DTYPE_CODES)}
_FORM = {form: bytes((BINARY_HEADER_MARK, form)) for form in (DECLARING, REFERRING)}


class FrameForms(NamedTuple):
    """Which frames a record is wanted as."""

    #: For sinks whose frames one reader reads in order from the sink's first (a log file): may refer to earlier frames.
    streamed: bool
    #: For sinks whose frames are read alone or from anywhere (Pub/Sub, HTTP): whole on their own.
    self_contained: bool


class EncodedFrames(NamedTuple):
    streamed: bytearray | None
    #: The same bytearray as `streamed` when that one declares (is whole on its own) too.
    self_contained: bytearray | None


class _InUse:
    """A declaration in use: its id and its bytes in a declaring header, made once."""

    __slots__ = ('id', 'data', 'streamed_since_declared')

    def __init__(self, id: int, data: bytes) -> None:
        self.id = id
        self.data = data
        #: Streamed records made with it since it was last declared in the stream (REDECLARE_EVERY).
        self.streamed_since_declared = 0


class RecordEncoder:
    """The frames of one logger's records, its plots declared once per stream and referred to after."""

    def __init__(self, logger: str) -> None:
        if not isinstance(logger, str) or not LOGGER_ID.fullmatch(logger):
            raise ArgumentError(f"RecordEncoder(logger): expected 16 lowercase hex digits, got '{str(logger)[:40]}'")
        self._logger = bytes.fromhex(logger)
        self._in_use: dict[tuple[Any, ...], _InUse] = {}

    def restart(self) -> None:
        """
        Forgets every declaration: each plot's next streamed record declares again. For a sink
        that starts reading the stream from here (a log file added to a running logger).
        """
        self._in_use.clear()

    def encode(self, header: dict[str, Any], fill: Fill, forms: FrameForms) -> EncodedFrames:
        """
        The frames of a record whose header (from `record_header`, already checked) describes
        the arrays `fill` writes (given one writable 1-d array per descriptor, it must set every
        element). Raises an Unencodable past the length limits (FrameTooLarge) or for a name
        UTF-8 cannot hold; an exception from `fill` passes through and no frame is made.
        """
        kind = header['kind']
        per_record = RECORD_KINDS[kind].per_record
        declaration = self._declaration(header, per_record)
        declare_in_stream = declaration.streamed_since_declared % REDECLARE_EVERY == 0 or kind in CONTROL_KINDS
        first = DECLARING if not forms.streamed or declare_in_stream else REFERRING
        descriptors = header['arrays']
        # The fields before the declaration, and those after it.
        ids = self._logger + varint(header['seq']) + _F64.pack(header['time']) + varint(declaration.id)
        opts = header['opts']
        after = b''.join([_F64.pack(opts[field]) for field in per_record] + [_shape_bytes(d['shape']) for d in descriptors])
        frame, columns = frame_around(_header(first, ids, declaration, after), descriptors)
        fill(columns)
        seal_frame(frame)
        streamed = self_contained = None
        if forms.streamed:
            streamed = frame
            declaration.streamed_since_declared = 1 if first == DECLARING else declaration.streamed_since_declared + 1
        if forms.self_contained:
            self_contained = frame if first == DECLARING else _with_body_of(frame, _header(DECLARING, ids, declaration, after), descriptors)
        return EncodedFrames(streamed, self_contained)

    def _declaration(self, header: dict[str, Any], per_record: tuple[str, ...]) -> _InUse:
        """The declaration of this header's run, kind, plot, options (but the per-record ones) and arrays."""
        opts_json = to_json(without_fields(header['opts'], per_record) if per_record else header['opts'])
        plot = header.get('plot', '')
        arrays = tuple((d['name'], d['dtype']) for d in header['arrays'])
        key = (header['kind'], header['run'], plot, arrays, opts_json)
        found = self._in_use.get(key)
        if found is not None:
            return found
        # Bounded: past the limit the ids start over, and each is declared again before it is referred to.
        if len(self._in_use) == MAX_DECLARATIONS:
            self._in_use.clear()
        found = _InUse(len(self._in_use), _declaration_bytes(header, plot, opts_json, arrays))
        self._in_use[key] = found
        return found


def _header(form: int, ids: bytes, declaration: _InUse, after: bytes) -> bytes:
    """mark, form, logger, seq, time, declaration id, the declaration (declaring form), the per-record fields and shapes, zeros to align the body."""
    length = 2 + len(ids) + len(after) + (len(declaration.data) if form == DECLARING else 0)
    padding = bytes(alignment_padding(length))
    if form == DECLARING:
        return b''.join((_FORM[form], ids, declaration.data, after, padding))
    return b''.join((_FORM[form], ids, after, padding))


def _shape_bytes(shape: Sequence[int]) -> bytes:
    """Its number of dimensions, then each size."""
    return bytes((len(shape),)) + b''.join([varint(size) for size in shape])


def _with_body_of(frame: bytearray, header: bytes, descriptors: Sequence[dict[str, Any]]) -> bytearray:
    """A frame of this header and the body of `frame` (which has the same arrays)."""
    other, _ = frame_around(header, descriptors)
    body_start = len(frame) - (len(other) - PREFIX_BYTES - len(header))
    other[PREFIX_BYTES + len(header):] = memoryview(frame)[body_start:]
    return seal_frame(other)


def _declaration_bytes(header: dict[str, Any], plot: str, opts_json: str, arrays: tuple[tuple[str, str], ...]) -> bytes:
    """run, kind code, plot, options JSON, array count, then each array's name and dtype code."""
    parts = [_name(header['run'], 'run name'), _KIND_CODE[header['kind']], _name(plot, 'plot name'), _string(_json_utf8(opts_json)), varint(len(arrays))]
    for name, dtype in arrays:
        parts += [_name(name, 'array name'), _DTYPE_CODE[dtype]]
    return b''.join(parts)


def _string(data: bytes) -> bytes:
    """A varint byte length, then the bytes."""
    return varint(len(data)) + data


def _name(text: str, what: str) -> bytes:
    """A name as a string; one UTF-8 cannot hold (with a lone surrogate) is refused, not changed."""
    try:
        return _string(text.encode('utf-8'))
    except UnicodeEncodeError:
        pass
    # A Python string may hold a surrogate pair as two characters, as JavaScript holds every pair.
    try:
        return _string(text.encode('utf-16-le', 'surrogatepass').decode('utf-16-le').encode('utf-8'))
    except UnicodeDecodeError:
        raise Unencodable(f'the {what} {describe(text)} holds a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot hold') from None


def _json_utf8(text: str) -> bytes:
    """JSON text as UTF-8, a lone surrogate in it escaped as JSON.stringify escapes it."""
    try:
        return text.encode('utf-8')
    except UnicodeEncodeError:
        return escape_lone_surrogates(text).encode('utf-8')
