"""Frames (docs/log-format.md), byte for byte as the TypeScript codec makes them, and version 1 headers.

A frame is a 20-byte prefix (magic, header length, body length, payload CRC-32, prefix CRC-32),
the header padded so the body starts 8-byte aligned, then the arrays' raw little-endian bytes.
A version 1 header is UTF-8 JSON (padded with spaces) written as JavaScript's JSON.stringify
writes it (no spaces, its number format); the logger writes version 2 headers
(record_encoder), whose options are such JSON too.
"""

from __future__ import annotations

import json
import math
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .limits import MAX_BODY_BYTES, MAX_HEADER_BYTES

#: Marks the start of every frame, so a reader can find the next frame after damage.
MAGIC = b'SVR1'
#: magic, header length, body length, payload CRC-32, prefix CRC-32: five 4-byte fields.
PREFIX_BYTES = 20
FORMAT_VERSION = 1

#: dtype names of the format -> numpy's little-endian dtypes.
DTYPES: dict[str, np.dtype] = {
    name: np.dtype(code)
    for name, code in [
        ('float32', '<f4'), ('float64', '<f8'), ('int8', 'i1'), ('uint8', 'u1'),
        ('int16', '<i2'), ('uint16', '<u2'), ('int32', '<i4'), ('uint32', '<u4'),
    ]
}

_PREFIX = struct.Struct('<4sIII')
_CRC = struct.Struct('<I')
#: A string as JSON, escaped as JSON.stringify escapes it (quotes, backslashes, control characters; nothing else).
_string_json = json.encoder.encode_basestring
#: JSON as JSON.stringify writes it for values without floats or array-index keys (C, fast).
_plain_json = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'), check_circular=False).encode


def to_json(value: Any) -> str:
    """
    JSON as JavaScript's JSON.stringify writes it: no spaces, its way of writing numbers (and
    null for NaN and infinities), its order of object keys. A string holding half of a surrogate
    pair keeps it here: `escape_lone_surrogates` writes it as JSON.stringify does.
    """
    kind = type(value)
    if kind is str:
        return _string_json(value)
    if kind is bool:
        return 'true' if value else 'false'
    if kind is int:
        return str(value)
    if kind is float:
        return javascript_number(value) if math.isfinite(value) else 'null'
    if kind is dict:
        return '{' + ','.join([_string_json(key) + ':' + to_json(value[key]) for key in javascript_key_order(value)]) + '}'
    if kind is list or kind is tuple:
        if all(type(item) is int for item in value):  # a shape: the common case, made cheap
            return '[' + ','.join(map(str, value)) + ']'
        return '[' + ','.join([to_json(item) for item in value]) + ']'
    if value is None:
        return 'null'
    raise TypeError(f'{value!r} ({kind.__name__}) has no place in a record header')


def header_json(header: dict[str, Any]) -> str:
    """
    `to_json(header)`, faster for headers laid out as `record_header` lays them out (`opts`
    then `arrays` last, the other fields strings and integers): the C JSON encoder writes those
    fields and the array descriptors (names, dtype names, integer shapes) as JavaScript does;
    only `opts` may hold floats or array-index keys.
    """
    keys = list(header)
    plain = {key: header[key] for key in keys[:-2]}
    if keys[-2:] != ['opts', 'arrays'] or not plain or not all(type(value) in (str, int) for value in plain.values()):
        return to_json(header)
    return f'{_plain_json(plain)[:-1]},"opts":{to_json(header["opts"])},"arrays":{_plain_json(header["arrays"])}}}'


_LONE_SURROGATE = re.compile('[\ud800-\udfff]')


def escape_lone_surrogates(text: str) -> str:
    """
    JSON text with each lone surrogate (half of a pair, which UTF-8 cannot encode) written as a
    \\uXXXX escape, as JSON.stringify writes it. A Python string holds a pair as one character, so a
    surrogate in one is lone (or one of a pair split in two, escaped too: it reads back the same).
    """
    return _LONE_SURROGATE.sub(lambda match: f'\\u{ord(match[0]):04x}', text)


def header_bytes(header: dict[str, Any]) -> bytes:
    """The header as UTF-8 JSON, padded with spaces so that the body starts 8-byte aligned in the frame."""
    json_text = header_json(header)
    try:
        text = json_text.encode('utf-8')
    except UnicodeEncodeError:
        text = escape_lone_surrogates(json_text).encode('utf-8')
    return text + b' ' * alignment_padding(len(text))


def javascript_key_order(keys: Iterable[str]) -> list[str]:
    """Keys in the order a JavaScript object holds them: those that are array indices ('0', '17') first, ascending, then the rest as given."""
    keys = list(keys)
    if not any(map(_starts_with_digit, keys)):
        return keys
    indices = sorted((key for key in keys if _is_array_index(key)), key=int)
    return indices + [key for key in keys if not _is_array_index(key)]


_starts_with_digit = re.compile(r'[0-9]').match


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def javascript_number(value: float) -> str:
    """A finite float as JavaScript writes it (ECMAScript Number::toString): 7, 0.1, 1e-7, 1e+21, -1.5e+300."""
    if not math.isfinite(value):
        raise ValueError(f'{value} has no JSON form')
    if value == 0:
        return '0'
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    # repr gives the shortest digits that read back as the same float, as JavaScript picks them.
    text = repr(abs(value))
    mantissa, _, exponent = text.partition('e')
    whole, _, fraction = mantissa.partition('.')
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)  # the decimal point's place within `digits`
    leading = len(digits) - len(digits.lstrip('0'))
    digits = digits.strip('0')
    point -= leading
    sign = '-' if value < 0 else ''
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + '0' * (point - count)
    if 0 < point <= 21:
        return sign + digits[:point] + '.' + digits[point:]
    if -6 < point <= 0:
        return sign + '0.' + '0' * -point + digits
    power = point - 1
    mantissa = digits if count == 1 else digits[0] + '.' + digits[1:]
    return f'{sign}{mantissa}e{"+" if power >= 0 else "-"}{abs(power)}'


def record_header(fields: dict[str, Any], arrays: Sequence[tuple[str, str, Sequence[int]]]) -> dict[str, Any]:
    """The complete header for `fields` (run, logger, seq, time, kind, plot, opts) and array descriptors (name, dtype, shape)."""
    return {'v': FORMAT_VERSION, **fields, 'arrays': [{'name': n, 'dtype': d, 'shape': list(s)} for n, d, s in arrays]}


class Unencodable(ValueError):
    """A record the format cannot hold (the TypeScript codec's RangeError): see FrameTooLarge, and names UTF-8 cannot hold."""


class FrameTooLarge(Unencodable):
    """A record's header or body is over the format's limits."""


def alignment_padding(length: int) -> int:
    """Bytes of padding after a header of `length` bytes so that the body starts 8-byte aligned in the frame."""
    return -(PREFIX_BYTES + length) % 8


def new_frame(header: dict[str, Any]) -> tuple[bytearray, list[np.ndarray]]:
    """
    Allocates the version 1 frame of `header` and writes all of it but the body and the
    checksums. Returns the frame and one writable 1-d array over the body per descriptor, in
    order: fill them, then `seal_frame`. Writing arrays in place saves building them elsewhere
    and copying them in.
    """
    return frame_around(header_bytes(header), header['arrays'])


def frame_around(header: bytes, descriptors: Sequence[dict[str, Any]]) -> tuple[bytearray, list[np.ndarray]]:
    """
    Allocates a frame of this header (its bytes, padded) and a body for arrays of these
    descriptors ({dtype, shape}), and writes its prefix (but the checksums) and header. Returns
    it and one writable 1-d array over the body per descriptor, in order (see `new_frame`).
    Raises FrameTooLarge past the format's length limits.
    """
    counts = [math.prod(d['shape']) for d in descriptors]
    body_bytes = sum(count * DTYPES[d['dtype']].itemsize for d, count in zip(descriptors, counts))
    if len(header) > MAX_HEADER_BYTES:
        raise FrameTooLarge(f'record header is {len(header)} bytes; the limit is {MAX_HEADER_BYTES}')
    if body_bytes > MAX_BODY_BYTES:
        raise FrameTooLarge(f'record body is {body_bytes} bytes; the limit is {MAX_BODY_BYTES}')
    frame = bytearray(PREFIX_BYTES + len(header) + body_bytes)
    _PREFIX.pack_into(frame, 0, MAGIC, len(header), body_bytes, 0)
    frame[PREFIX_BYTES:PREFIX_BYTES + len(header)] = header
    views = []
    offset = PREFIX_BYTES + len(header)
    for descriptor, count in zip(descriptors, counts):
        view = np.frombuffer(frame, dtype=DTYPES[descriptor['dtype']], count=count, offset=offset)
        views.append(view)
        offset += view.nbytes
    return frame, views


def seal_frame(frame: bytearray) -> bytearray:
    """Writes the payload and prefix checksums of a filled frame; returns it."""
    with memoryview(frame) as view:
        _CRC.pack_into(frame, 12, zlib.crc32(view[PREFIX_BYTES:]))
        _CRC.pack_into(frame, 16, zlib.crc32(view[:16]))
    return frame


def encode_frame(header: dict[str, Any], arrays: Sequence[Any] = ()) -> bytearray:
    """Encodes a complete frame: `header` from `record_header`, `arrays` its data in descriptor order (cast to each dtype)."""
    frame, views = new_frame(header)
    for view, descriptor, data in zip(views, header['arrays'], arrays):
        values = np.asarray(data)
        if values.size != view.size:
            raise ValueError(f"array '{descriptor['name']}': shape {descriptor['shape']} needs {view.size} values, got {values.size}")
        view[...] = values.reshape(-1)
    return seal_frame(frame)
