"""What every sink promises the logger, the reports it gives, and closing sinks left open at exit."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..checks import ArgumentError, describe


@dataclass(frozen=True)
class SinkReport:
    """Counts a sink reports at flush and shutdown."""

    sink: str
    #: Records the destination has confirmed (written to the file, acknowledged by Pub/Sub).
    delivered: int
    #: Records given up on (buffer bound exceeded, or still failing at shutdown).
    dropped: int
    #: Records still waiting when the report was made.
    pending: int
    errors: int
    last_error: str | None = None


class RecordsDropped(Exception):
    """A sink failure that gave up on `dropped` records just now (counted in the reports' `dropped` too)."""

    def __init__(self, message: str, dropped: int) -> None:
        super().__init__(message)
        self.dropped = dropped


#: Called with a sink's failure and the sink's name, from whichever thread saw it.
ErrorHandler = Callable[[Exception, str], None]


class Sink(Protocol):
    """
    `write` is called on the producer's hot path: it only queues (or, with on_full='block',
    waits for room) and never raises because of I/O; failures go to the error handler. A sink
    keeps the frame it is given: the caller must not change it afterwards.

    A sink with `streamed = True` is read in order from its first frame by one reader, and
    gives up on none while it runs (a log file, blocking when full): it gets frames that may
    refer to declarations in earlier ones (format version 2). Any other sink (no `streamed`,
    or False) gets frames each whole on its own (Pub/Sub, HTTP).
    """

    name: str

    def write(self, frame: bytearray, header: dict[str, Any]) -> None: ...

    def flush(self, timeout: float | None = None) -> SinkReport: ...

    def close(self) -> SinkReport: ...


ON_FULL = ('block', 'drop-oldest')


def check_on_full(value: Any, where: str) -> str:
    """What a call does when a sink's buffer is full: 'block' waits for room, 'drop-oldest' drops and says so."""
    if value not in ON_FULL:
        raise ArgumentError(f"{where}: expected 'block' or 'drop-oldest', got {describe(value)}")
    return value


def report_safely(on_error: ErrorHandler, error: Exception, sink: str) -> None:
    try:
        on_error(error, sink)
    except Exception:  # noqa: BLE001 - a failing error handler must not stop a sink
        pass


# Sinks write from daemon threads, which the interpreter stops at exit without waiting: sinks
# still open then are closed here, so a producer that ends without shutdown() loses nothing.
_open_sinks: set[Sink] = set()
_open_lock = threading.Lock()


def register_open(sink: Sink) -> None:
    with _open_lock:
        _open_sinks.add(sink)


def unregister_open(sink: Sink) -> None:
    with _open_lock:
        _open_sinks.discard(sink)


@atexit.register
def _close_open_sinks() -> None:
    with _open_lock:
        sinks = list(_open_sinks)
    for sink in sinks:
        sink.close()
