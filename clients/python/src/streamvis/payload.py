"""Decodes a sound frame's payload (rule 7): its header, version 1 or 2, checked, then its arrays.

As packages/format/src/codec.ts decodes it, with the same reasons: a header whose first byte
is 0x02 is a version 2 header (binary_header), any other a version 1 (JSON) one (header).
"""

from __future__ import annotations

import numpy as np

from .binary_header import BINARY_HEADER_MARK, Declarations, parse_binary_header
from .checks import ArgumentError
from .encoding import DTYPES
from .header import element_count, parse_header
from .json_values import parse_json
from .record import Record


def decode_payload(data: bytes, start: int, header_bytes: int, end: int, declarations: Declarations) -> Record | str:
    """
    The record whose header is `data[start:start + header_bytes]` and whose body follows it up
    to `end`, or what is wrong with it (rule 7). A version 2 header is read with the
    declarations of its stream (and may add to them). The arrays are views into `data`, which
    must not change.
    """
    header_end = start + header_bytes
    try:
        if header_bytes > 0 and data[start] == BINARY_HEADER_MARK:
            header = parse_binary_header(data, start, header_end, end - header_end, declarations)
        else:
            header = parse_header(_json_header(data, start, header_end), end - header_end)
    except ArgumentError as error:
        return error.reason
    arrays = {}
    offset = header_end
    for descriptor in header['arrays']:
        dtype = DTYPES[descriptor['dtype']]
        count = element_count(descriptor['shape'])
        values = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
        arrays[descriptor['name']] = _shaped(values, descriptor['shape'])
        offset += count * dtype.itemsize
    return Record(header, arrays)


def _json_header(data: bytes, start: int, end: int) -> object:
    """A version 1 header: UTF-8 JSON text."""
    try:
        text = str(data[start:end], 'utf-8')
    except UnicodeDecodeError:
        raise ArgumentError('header: not valid UTF-8') from None
    try:
        return parse_json(text)
    except ValueError as error:
        # The detail in parentheses is Python's parser's, not JavaScript's.
        raise ArgumentError(f'header: not JSON ({error})') from None


def _shaped(values: np.ndarray, shape: list[int]) -> np.ndarray:
    try:
        return values.reshape(shape)
    except ValueError:  # empty, of a shape too big for numpy: [0, 2^30, 2^30, 2^30]
        return values
