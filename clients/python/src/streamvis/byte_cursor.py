"""Reads a version 2 header's fields in order (packages/format/src/byte-cursor.ts), with the same reasons.

A field that would run past the header's end, or that is malformed, raises an ArgumentError
naming it.
"""

from __future__ import annotations

import struct

from .checks import ArgumentError
from .encoding import javascript_number
from .varint import MAX_VARINT_BYTES

_F64 = struct.Struct('<d')


class ByteCursor:
    """The fields of `data` from `at` up to `end`, read one after the other."""

    __slots__ = ('data', 'at', 'end')

    def __init__(self, data: bytes, at: int, end: int) -> None:
        self.data = data
        self.at = at
        self.end = end

    def _need(self, count: int, field: str) -> None:
        if self.at + count > self.end:
            raise ArgumentError(f'header.{field}: the header ends inside it ({self.end - self.at} bytes left, {count} needed)')

    def u8(self, field: str) -> int:
        self._need(1, field)
        self.at += 1
        return self.data[self.at - 1]

    def f64(self, field: str) -> float:
        self._need(8, field)
        [value] = _F64.unpack_from(self.data, self.at)
        self.at += 8
        return value

    def varint(self, field: str, maximum: int) -> int:
        """An unsigned LEB128 integer of at most `maximum`."""
        data, at, end = self.data, self.at, self.end
        start = at
        value = shift = 0
        for _ in range(MAX_VARINT_BYTES):
            if at >= end:
                break
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.at = at
                if value > maximum:
                    raise ArgumentError(f'header.{field}: expected an integer 0..{maximum}, got {_as_javascript_reads(data[start:at])}')
                return value
            shift += 7
        raise ArgumentError(f'header.{field}: not a varint of at most {MAX_VARINT_BYTES} bytes within the header')

    def hex(self, count: int, field: str) -> str:
        """`count` raw bytes as lowercase hex digits."""
        self._need(count, field)
        self.at += count
        return self.data[self.at - count:self.at].hex()

    def string(self, field: str, max_bytes: int) -> str:
        """A UTF-8 string after its byte length (a varint of at most `max_bytes`)."""
        length = self.varint(f'{field} length', max_bytes)
        self._need(length, field)
        start = self.at
        self.at += length
        try:
            return str(self.data[start:self.at], 'utf-8')
        except UnicodeDecodeError:
            raise ArgumentError(f'header.{field}: not valid UTF-8') from None


def _as_javascript_reads(varint: bytes) -> str:
    """A varint's value as the TypeScript reader sums it in floats and writes it (past 2^53 it rounds: 2^56 - 1 is 72057594037927940)."""
    value, scale = 0.0, 1.0
    for byte in varint:
        value += (byte & 0x7F) * scale
        scale *= 0x80
    return javascript_number(value)
