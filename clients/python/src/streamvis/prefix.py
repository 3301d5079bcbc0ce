"""A frame's 20-byte prefix: magic, header length, body length, payload CRC-32, prefix CRC-32 (packages/format/src/prefix.ts)."""

from __future__ import annotations

import struct
import zlib

from .encoding import MAGIC, PREFIX_BYTES
from .limits import MAX_BODY_BYTES, MAX_HEADER_BYTES

#: What a prefix that does not check says is wrong with it (rules 3 and 4).
BAD_PREFIX_CHECKSUM = -1
LENGTHS_OUT_OF_RANGE = -2

_FIELDS = struct.Struct('<IIII')
_UINT32 = struct.Struct('<I')


def prefix_frame_bytes(data: bytes | bytearray, index: int) -> int:
    """The length of the frame whose prefix (magic already seen) starts at `index`: 20 + H + B, or BAD_PREFIX_CHECKSUM / LENGTHS_OUT_OF_RANGE."""
    header_bytes, body_bytes, _, prefix_crc = _FIELDS.unpack_from(data, index + 4)
    if prefix_crc != zlib.crc32(data[index:index + 16]):
        return BAD_PREFIX_CHECKSUM
    if header_bytes > MAX_HEADER_BYTES or body_bytes > MAX_BODY_BYTES:
        return LENGTHS_OUT_OF_RANGE
    return PREFIX_BYTES + header_bytes + body_bytes


def header_bytes_at(data: bytes | bytearray, index: int) -> int:
    """The header length `H` the prefix at `index` announces."""
    return _UINT32.unpack_from(data, index + 4)[0]


def payload_crc_at(data: bytes | bytearray, index: int) -> int:
    """The payload CRC-32 the prefix at `index` announces."""
    return _UINT32.unpack_from(data, index + 12)[0]


def is_magic_prefix(data: bytes | bytearray, index: int) -> bool:
    """The bytes from `index` to the end are the start of a magic (maybe all of it)."""
    return len(data) - index <= len(MAGIC) and MAGIC.startswith(bytes(data[index:]))
