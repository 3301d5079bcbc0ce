"""Unsigned LEB128 integers, as version 2 headers hold them (packages/format/src/varint.ts).

7 bits a byte, low bits first, the high bit set on every byte but the last; values up to
2^53 - 1 (8 bytes at most), the integers a JavaScript reader holds exactly.
"""

from __future__ import annotations

#: The most bytes a varint of at most 2^53 - 1 takes.
MAX_VARINT_BYTES = 8

#: The one-byte varints, made once: sizes, ids and short strings' lengths are mostly these.
_ONE_BYTE = [bytes((value,)) for value in range(0x80)]


def varint(value: int) -> bytes:
    """The bytes of `value` (an int >= 0)."""
    if value < 0x80:
        return _ONE_BYTE[value]
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
