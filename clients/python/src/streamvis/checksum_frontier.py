"""Which frames of a stream are sound (both checksums hold), found with one pass over the bytes (packages/format/src/checksum-frontier.ts).

A damaged or hostile stream can hold a valid prefix every few bytes, each announcing a frame
that covers the rest: checksumming each of those on its own costs the square of the length,
and deciding rule 5 by reading each later frame (which decides rule 5 in turn) is exponential.

The frontier moves forward only. Passing a magic, it checks the prefix there (a candidate);
passing a candidate's payload start, it notes the running CRC-32; passing its end, the
payload's CRC is the running value then, minus the noted one moved past the payload
(crc32_shift). While no candidate is between its payload start and end, the running value
restarts from 0 and bytes are not checksummed at all.
"""

from __future__ import annotations

import heapq
import math
import zlib
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from .crc32_shift import crc32_shift
from .encoding import MAGIC, PREFIX_BYTES
from .prefix import payload_crc_at, prefix_frame_bytes


@dataclass
class ScanCost:
    """Work a reader did, in bytes: what its cost is measured by (tests)."""

    #: Bytes run through CRC-32 (prefixes and payloads).
    checksummed: int = 0
    #: Bytes searched for the magic.
    searched: int = 0
    #: Header bytes decoded (parsed as JSON, or read as a binary header).
    parsed: int = 0


class StreamWindow:
    """
    The bytes a reader holds: `data` holds stream positions `origin` to `origin + len(data)`,
    of which those before `base` are behind the reader. `view` is a memoryview of `data` while
    the reader reads it (released before the reader changes a bytearray `data`); `owned` says
    `data` is such a bytearray, so records must not keep views into it.
    """

    __slots__ = ('data', 'view', 'origin', 'base', 'owned')

    def __init__(self) -> None:
        self.data: bytes | bytearray = b''
        self.view = memoryview(b'')
        self.origin = 0
        self.base = 0
        self.owned = False

    @property
    def limit(self) -> int:
        return self.origin + len(self.data)


class _Candidate:
    """A stream position whose 20 bytes are a valid prefix: a frame may start there."""

    __slots__ = ('at', 'end', 'crc', 'before', 'sound')

    def __init__(self, at: int, end: int, crc: int) -> None:
        self.at = at
        self.end = end
        #: The payload CRC-32 the prefix announces.
        self.crc = crc
        #: The frontier's running CRC-32 where the payload starts, once passed.
        self.before = 0
        #: Whether the payload's CRC matches, once the frontier has passed the end.
        self.sound: bool | None = None


_AT = attrgetter('at')


class ChecksumFrontier:
    def __init__(self, window: StreamWindow, cost: ScanCost, start: int) -> None:
        self._window = window
        self._cost = cost
        self.position = start
        self._running = 0
        #: Candidates between their payload start and their end.
        self._open = 0
        #: Candidates in stream order; those before `_first` are behind the reader.
        self._candidates: list[_Candidate] = []
        self._first = 0
        #: Index of the first candidate whose payload start the frontier has not reached.
        self._next_payload = 0
        #: Heaps: (end, at, candidate) of the candidates not resolved yet; starts of the sound ones.
        self._ends: list[tuple[int, int, _Candidate]] = []
        self._sound: list[int] = []
        #: No magic starts in [start, clear_to) but the candidates discovered; one starts at clear_to when `_magic_ahead`.
        self._clear_to = start
        self._magic_ahead = False

    def is_sound(self, at: int, end: int) -> bool:
        """
        Whether the frame at `at`, a valid prefix ending at `end` within the window, is sound.
        The frontier must not be past `at` unless it saw `at` on the way.
        """
        self._advance_to(end)
        return self._candidate_at(at).sound is True

    def first_sound_after(self, at: int) -> int | None:
        """The first sound frame starting after `at` in the window, if any."""
        self._advance_to(math.inf)
        while self._sound and self._sound[0] <= at:
            heapq.heappop(self._sound)
        return self._sound[0] if self._sound else None

    def _advance_to(self, target: float) -> None:
        """Moves the frontier to `target` or as far toward it as the window allows."""
        stop_at = min(target, self._window.limit)
        candidates = self._candidates
        while self.position < stop_at:
            # A magic in the window's last 3 bytes is found once more bytes arrive, maybe just behind the frontier.
            magic = self._next_magic()
            payload = candidates[self._next_payload].at + PREFIX_BYTES if self._next_payload < len(candidates) else math.inf
            stop = min(max(magic, self.position), payload, self._ends[0][0] if self._ends else math.inf, stop_at)
            self._checksum_to(stop)
            while self._next_payload < len(candidates) and candidates[self._next_payload].at + PREFIX_BYTES == stop:
                candidates[self._next_payload].before = self._running
                self._next_payload += 1
                self._open += 1
            while self._ends and self._ends[0][0] == stop:
                self._resolve(heapq.heappop(self._ends)[2])
            # Nobody needs the bytes checksummed so far: restart from 0 (and skip bytes until someone does).
            if self._open == 0:
                self._running = 0
            # A magic at the target is left for later: the reader may be done with the frontier there.
            if magic <= stop and magic < stop_at and not self._discover(magic):
                return

    def _checksum_to(self, stop: int) -> None:
        """Moves the frontier forward to `stop` (never back), checksumming the bytes passed if a candidate needs them."""
        if stop <= self.position:
            return
        if self._open > 0:
            window = self._window
            self._running = zlib.crc32(window.view[self.position - window.origin:stop - window.origin], self._running)
            self._cost.checksummed += stop - self.position
        self.position = stop

    def _resolve(self, candidate: _Candidate) -> None:
        payload_bytes = candidate.end - candidate.at - PREFIX_BYTES
        candidate.sound = self._running ^ crc32_shift(candidate.before, payload_bytes) == candidate.crc
        self._open -= 1
        if candidate.sound:
            heapq.heappush(self._sound, candidate.at)

    def _discover(self, at: int) -> bool:
        """
        Notes the magic at `at` (at the frontier, or up to 3 bytes behind it) as a candidate if
        its prefix is valid; False when its prefix is not in the window yet.
        """
        window = self._window
        if at + PREFIX_BYTES > window.limit:
            return False
        self._cost.checksummed += 16
        frame_bytes = prefix_frame_bytes(window.data, at - window.origin)
        if frame_bytes >= 0:
            # Its payload starts past the frontier: the window held less than its prefix when the frontier went by.
            candidate = _Candidate(at, at + frame_bytes, payload_crc_at(window.data, at - window.origin))
            self._candidates.append(candidate)
            heapq.heappush(self._ends, (candidate.end, at, candidate))
        self._checksum_to(at + 1)
        self._magic_ahead = False
        self._clear_to = at + 1
        return True

    def _next_magic(self) -> float:
        """The next magic not yet discovered, or infinity when none can start in the window but its last 3 bytes."""
        if self._magic_ahead:
            return self._clear_to
        window = self._window
        # Bytes before the reader's base are behind it: a magic there no longer matters.
        self._clear_to = max(self._clear_to, window.base)
        found = window.data.find(MAGIC, self._clear_to - window.origin)
        self._cost.searched += (window.origin + found + len(MAGIC) if found >= 0 else window.limit) - self._clear_to
        if found >= 0:
            self._clear_to = window.origin + found
            self._magic_ahead = True
            return self._clear_to
        self._clear_to = max(self._clear_to, window.limit - len(MAGIC) + 1)
        return math.inf

    def _candidate_at(self, at: int) -> _Candidate:
        """The candidate at `at`, which the frontier has passed."""
        index = bisect_left(self._candidates, at, self._first, key=_AT)
        if index == len(self._candidates) or self._candidates[index].at != at:
            raise AssertionError(f'internal: no candidate at {at}')
        candidate = self._candidates[index]
        self._forget_before(index)
        return candidate

    def _forget_before(self, index: int) -> None:
        """Drops candidates the reader has moved past (their entries in the heaps go when popped)."""
        self._first = max(self._first, min(index, self._next_payload))
        if self._first > 1024 and self._first * 2 > len(self._candidates):
            del self._candidates[:self._first]
            self._next_payload -= self._first
            self._first = 0
