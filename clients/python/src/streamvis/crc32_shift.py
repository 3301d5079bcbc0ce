"""CRC-32 (zlib's) of a span from two running values, as packages/format/src/crc32-shift.ts computes it.

If `before` is the CRC of bytes A and `through` the CRC of A followed by B, the CRC of B alone
is `through ^ crc32_shift(before, len(B))`: zlib's crc32_combine solved for the second part.
CRC-32 is linear over GF(2), so appending n bytes to A multiplies A's part of the value by
x^(8n) modulo the CRC polynomial. Multiplying by x^(8 * 2^k) is a linear map of 32 bits,
kept as four tables of 256 values (one per byte of the input); moving past n bytes applies
the maps of n's set bits, a few table lookups each.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np

#: Maps for 2^0 .. 2^30 bytes: frames are at most 20 + 2^20 + 2^30 bytes long.
_LEVELS = 31
_MASK = 0xFFFFFFFF


@cache
def _maps() -> list[tuple[list[int], list[int], list[int], list[int]]]:
    """For k = 0 .. _LEVELS - 1, the map multiplying by x^(8 * 2^k): four tables of 256 values."""
    # zlib's byte table, which moves a CRC register past one zero byte: r -> table[r & 255] ^ (r >> 8).
    table = np.array([~zlib.crc32(b'\0', b ^ _MASK) & _MASK for b in range(256)], dtype=np.uint32)
    # The values the maps are made of: each byte value in each of the four byte positions.
    basis = np.arange(256, dtype=np.uint32)[None, :] << (8 * np.arange(4, dtype=np.uint32))[:, None]
    level = table[basis & 255] ^ (basis >> 8)
    maps = []
    for _ in range(_LEVELS):
        maps.append(tuple(row.tolist() for row in level))
        # Twice as many bytes: this map applied twice.
        level = _apply(level, _apply(level, basis))
    return maps


def _apply(level: np.ndarray, values: np.ndarray) -> np.ndarray:
    return level[0][values & 255] ^ level[1][(values >> 8) & 255] ^ level[2][(values >> 16) & 255] ^ level[3][values >> 24]


def crc32_shift(crc: int, byte_count: int) -> int:
    """`crc` multiplied by x^(8 * byte_count) modulo the CRC-32 polynomial: its part in the CRC of byte_count more bytes."""
    maps = _maps()
    k = 0
    while byte_count and crc:
        if byte_count & 1:
            low, second, third, high = maps[k]
            crc = low[crc & 255] ^ second[(crc >> 8) & 255] ^ third[(crc >> 16) & 255] ^ high[crc >> 24]
        byte_count >>= 1
        k += 1
    return crc
