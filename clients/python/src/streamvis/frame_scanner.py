"""The reading rules of docs/log-format.md ("Reading, damage and resynchronisation") at successive positions of a byte stream.

As packages/format/src/frame-scanner.ts applies them, with the same reasons. Reading positions
that only move forward, the work is linear in the bytes whatever they hold: each byte is
searched for the magic at most twice and checksummed at most twice (plus 16 bytes per magic,
for its prefix), each header is parsed at most once (see ChecksumFrontier).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Union

from .checksum_frontier import ChecksumFrontier, ScanCost, StreamWindow
from .encoding import MAGIC, PREFIX_BYTES
from .binary_header import Declarations
from .payload import decode_payload
from .prefix import BAD_PREFIX_CHECKSUM, header_bytes_at, is_magic_prefix, payload_crc_at, prefix_frame_bytes
from .record import Record


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
    """Damaged bytes, or (`invalid`) a sound frame whose record breaks a rule (rule 7): why, and the offset to go on reading from."""

    reason: str
    resume: int
    invalid: bool = False


FrameResult = Union[Decoded, Incomplete, Corrupt]
_INCOMPLETE = Incomplete()


class FrameScanner:
    """Applies the rules at stream positions of the window it holds (`hold`); positions only move forward."""

    def __init__(self) -> None:
        self.cost = ScanCost()
        #: What the stream's version 2 headers have declared so far.
        self._declarations = Declarations()
        self._window = StreamWindow()
        #: Follows frames that overlap (after damage, or a frame cut by the window's end); none while they do not.
        self._frontier: ChecksumFrontier | None = None
        #: End of the last payload checksummed directly: a frame starting before it overlaps, so the frontier checks it.
        self._direct_end = 0
        #: The frame last found running past the window's end, and its length: its prefix is not checked again at each read.
        self._waiting_at = -1
        self._waiting_bytes = 0

    def hold(self, data: bytes | bytearray, origin: int, base: int) -> None:
        """
        Reads `data`, which holds stream positions `origin` on, from `base` on (earlier ones are
        never read again). A bytearray is the caller's to change after `release`: records copy
        what they need from it.
        """
        window = self._window
        window.data, window.view, window.origin, window.base = data, memoryview(data), origin, base
        window.owned = isinstance(data, bytearray)

    def release(self) -> None:
        """Lets go of the bytes held (until the next `hold`)."""
        self._window.view.release()

    def read(self, at: int) -> FrameResult:
        """Reads the frame at stream position `at`: rules 1 to 7, in order."""
        window = self._window
        data = window.data
        index = at - window.origin
        # Positions only move forward: a frontier behind this one has nothing left to say.
        if self._frontier is not None and at >= self._frontier.position:
            self._frontier = None
        available = len(data) - index
        frame_bytes = self._waiting_bytes
        if at != self._waiting_at:
            if available < len(MAGIC):
                return _INCOMPLETE if is_magic_prefix(data, index) else self._corrupt('bad magic', at)
            if not data.startswith(MAGIC, index):
                return self._corrupt('bad magic', at)
            if available < PREFIX_BYTES:
                return _INCOMPLETE
            self.cost.checksummed += 16
            frame_bytes = prefix_frame_bytes(data, index)
            if frame_bytes < 0:
                return self._corrupt('bad prefix checksum' if frame_bytes == BAD_PREFIX_CHECKSUM else 'frame lengths out of range', at)
        end = at + frame_bytes
        if frame_bytes > available:
            self._waiting_at, self._waiting_bytes = at, frame_bytes
            later = self._frontier_from(at).first_sound_after(at)
            return _INCOMPLETE if later is None else Corrupt('torn record', later)
        if not self._is_sound(at, end):
            return self._corrupt('bad payload checksum', at)

        # The checksums hold, so the frame's extent is trusted: a bad header skips exactly this frame.
        header_bytes = header_bytes_at(data, index)
        self.cost.parsed += header_bytes
        if window.owned:
            decoded = decode_payload(bytes(window.view[index:index + frame_bytes]), PREFIX_BYTES, header_bytes, frame_bytes, self._declarations)
        else:
            decoded = decode_payload(data, index + PREFIX_BYTES, header_bytes, index + frame_bytes, self._declarations)
        return Corrupt(decoded, end, True) if isinstance(decoded, str) else Decoded(decoded, end)

    def _is_sound(self, at: int, end: int) -> bool:
        if self._frontier is not None:
            return self._frontier.is_sound(at, end)
        if at < self._direct_end:
            return self._frontier_from(at).is_sound(at, end)
        # The common case: frames one after the other, each payload checksummed once as it is.
        window = self._window
        index = at - window.origin
        self.cost.checksummed += end - at - PREFIX_BYTES
        self._direct_end = end
        return zlib.crc32(window.view[index + PREFIX_BYTES:end - window.origin]) == payload_crc_at(window.data, index)

    def _frontier_from(self, at: int) -> ChecksumFrontier:
        if self._frontier is None:
            self._frontier = ChecksumFrontier(self._window, self.cost, at)
        return self._frontier

    def _corrupt(self, reason: str, at: int) -> Corrupt:
        """Rules 2-4 and 6: resume at the next magic after `at` (or at a magic cut by the window's end)."""
        window = self._window
        data = window.data
        start = at + 1 - window.origin
        found = data.find(MAGIC, start)
        self.cost.searched += (found + len(MAGIC) if found >= 0 else len(data)) - start
        if found >= 0:
            return Corrupt(reason, window.origin + found)
        for cut in range(max(start, len(data) - len(MAGIC) + 1), len(data)):
            if is_magic_prefix(data, cut):
                return Corrupt(reason, window.origin + cut)
        return Corrupt(reason, window.origin + len(data))


def read_frame(data: bytes | bytearray, offset: int) -> FrameResult:
    """
    Reads the one frame at `offset` of `data` (a Pub/Sub message, say): rules 1 to 7. To read a
    stream of frames, use FrameReader, whose cost stays linear across frames.
    """
    scanner = FrameScanner()
    scanner.hold(data if isinstance(data, (bytes, bytearray)) else bytes(data), 0, 0)
    try:
        return scanner.read(offset)
    finally:
        scanner.release()
