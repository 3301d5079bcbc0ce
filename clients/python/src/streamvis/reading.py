"""Reads frames back into records, telling a complete record from a torn tail or damage.

The rules, in order, are docs/log-format.md's ("Reading, damage and resynchronisation"), as
the TypeScript reader (packages/format/src/frame-reader.ts) applies them, with the same
reasons: a damaged log reads the same in both languages, in time linear in its bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .checksum_frontier import ScanCost
from .frame_scanner import Corrupt, Decoded, FrameResult, FrameScanner, Incomplete, read_frame
from .record import Record

__all__ = ['Corrupt', 'Damage', 'Decoded', 'FrameReader', 'FrameResult', 'Incomplete', 'Record', 'read_frame', 'read_log']


@dataclass(frozen=True)
class Damage:
    """
    A run of damaged bytes in a stream: where, how long, why (the first reason found in it); or,
    `invalid`, one sound frame whose record breaks a rule (rule 7), reported on its own so the
    count of records lost is exact.
    """

    offset: int
    size: int
    reason: str
    invalid: bool = False


class FrameReader:
    """
    Turns a byte stream (a log read in chunks, in order) into records. A frame cut by the end
    of what was pushed stays buffered until more bytes arrive; damaged bytes are reported as one
    Damage per damaged run (and per invalid record) and skipped. Time and memory are linear in the bytes pushed,
    whatever they hold.
    """

    def __init__(self) -> None:
        self._scanner = FrameScanner()
        # The bytes not decoded yet are _store[_start:]: a chunk as pushed (bytes, read in place:
        # records' arrays are views into it), or a bytearray gathering a frame over pushes (records copy out of it).
        self._store: bytes | bytearray = b''
        self._start = 0
        #: Stream offset of _store[_start].
        self._base = 0

    def push(self, chunk: bytes | bytearray | memoryview) -> None:
        if self._start == len(self._store):
            # Nothing held back: read the chunk where it is (a copy when the caller may change it).
            self._store, self._start = (chunk if type(chunk) is bytes else bytes(chunk)), 0
            return
        if not isinstance(self._store, bytearray):
            self._store, self._start = bytearray(memoryview(self._store)[self._start:]), 0
        # Grows in place, by a share of its size: copies stay linear in the bytes however small the chunks.
        self._store += chunk

    def drain(self) -> list[Record | Damage]:
        """Decodes every complete frame buffered so far, in stream order."""
        store = self._store
        origin = self._base - self._start
        events: list[Record | Damage] = []
        at = self._base
        limit = origin + len(store)
        self._scanner.hold(store, origin, self._base)
        try:
            while at < limit:
                result = self._scanner.read(at)
                if isinstance(result, Incomplete):
                    break
                if isinstance(result, Decoded):
                    events.append(result.record)
                    at = result.end
                    continue
                last = events[-1] if events else None
                if result.invalid:
                    events.append(Damage(at, result.resume - at, result.reason, True))
                elif isinstance(last, Damage) and not last.invalid and last.offset + last.size == at:
                    events[-1] = Damage(last.offset, last.size + result.resume - at, last.reason)
                else:
                    events.append(Damage(at, result.resume - at, result.reason))
                at = result.resume
        finally:
            self._scanner.release()
        self._start, self._base = at - origin, at
        pending = len(store) - self._start
        if pending == 0:
            self._store, self._start = b'', 0
        elif isinstance(store, bytearray):
            del store[:self._start]  # a bytearray drops its front without moving the rest
            self._start = 0
        elif len(store) > 4 * pending:
            # A small torn tail in a chunk of its own: a tail kept as a view would keep the whole chunk alive.
            self._store, self._start = bytearray(memoryview(store)[self._start:]), 0
        return events

    @property
    def offset(self) -> int:
        """Stream offset up to which every byte has been decoded or reported."""
        return self._base

    @property
    def pending_bytes(self) -> int:
        """Bytes held back as a possibly torn frame."""
        return len(self._store) - self._start

    @property
    def cost(self) -> ScanCost:
        """The work done so far, in bytes (for tests)."""
        return self._scanner.cost


_CHUNK_BYTES = 16 << 20


def read_log(path: str, run: str | None = None, on_damage: Callable[[Damage], None] | None = None) -> Iterator[Record]:
    """
    Yields the records of a log file in order (only `run`'s, when given). Damaged bytes are
    skipped, each damaged run (and each invalid record: `Damage.invalid`) passed to `on_damage`;
    so is a torn tail at the end (a frame its writer did not finish), with reason 'torn tail'.
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
