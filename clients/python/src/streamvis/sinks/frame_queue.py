"""A FIFO of frames waiting for a destination, bounded in bytes."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sized
from typing import Generic, TypeVar

Item = TypeVar('Item', bound=Sized)


class FrameQueue(Generic[Item]):
    """
    Frames (anything with a length in bytes) in arrival order. Past `max_bytes` the oldest
    waiting frames are dropped, and counted, so a long outage cannot exhaust memory; the
    newest frame always stays. Not thread-safe: its sink guards it.
    """

    def __init__(self, max_bytes: float = math.inf) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        #: Frames dropped so far, to stay within the bound or by `clear`.
        self.dropped = 0
        self._items: deque[Item] = deque()

    def __len__(self) -> int:
        return len(self._items)

    def push(self, item: Item) -> int:
        """Adds a frame; returns how many old ones were dropped to make room."""
        self._items.append(item)
        self.bytes += len(item)
        return self.drop_beyond(self.max_bytes)

    def drop_beyond(self, max_bytes: float) -> int:
        """Drops the oldest frames until at most `max_bytes` wait (keeping the newest); returns how many."""
        dropped = 0
        while self.bytes > max_bytes and len(self._items) > 1:
            self.bytes -= len(self._items.popleft())
            dropped += 1
        self.dropped += dropped
        return dropped

    def take(self, max_items: int, max_bytes: float) -> list[Item]:
        """Removes and returns the oldest frames: at least one (if any), then up to `max_items` and `max_bytes`."""
        taken: list[Item] = []
        size = 0
        while self._items and len(taken) < max_items and (not taken or size + len(self._items[0]) <= max_bytes):
            item = self._items.popleft()
            size += len(item)
            taken.append(item)
        self.bytes -= size
        return taken

    def put_back(self, items: list[Item]) -> None:
        """Puts frames taken but not delivered back at the front, oldest first."""
        self._items.extendleft(reversed(items))
        self.bytes += sum(len(item) for item in items)

    def clear(self) -> int:
        """Gives up on every waiting frame; returns how many."""
        count = len(self._items)
        self._items.clear()
        self.bytes = 0
        self.dropped += count
        return count
