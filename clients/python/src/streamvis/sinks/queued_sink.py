"""A sink whose records wait in a bounded queue for a thread of its own to deliver them (the HTTP and Pub/Sub sinks)."""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from typing import Any, Generic

from .frame_queue import FrameQueue, Item
from .sink import ErrorHandler, RecordsDropped, SinkReport, register_open, report_safely, unregister_open

FIRST_RETRY_SECONDS = 0.1
LAST_RETRY_SECONDS = 5.0


class QueuedSink(ABC, Generic[Item]):
    """
    `write` only queues, so a destination that is slow or down never holds up the producer:
    past `max_buffered_bytes` the oldest records are dropped, each drop reported (an outage may
    be long, and should not stop a training run). The sink's thread takes records from the
    queue and delivers them (`_deliver_some`), one call at a time so they arrive in order; a
    failed call is retried with backoff, 100 ms doubling to 5 s (`_back_off`), or sooner when
    the producer flushes.

    A subclass sets up its own state before calling `__init__` here, which starts the thread.
    """

    def __init__(self, name: str, on_error: ErrorHandler, max_buffered_bytes: int, flush_timeout: float) -> None:
        self.name = name
        self._on_error = on_error
        self._flush_timeout = flush_timeout
        #: Guards everything below; notified whenever records arrive or settle.
        self._changed = threading.Condition()
        self._waiting: FrameQueue[Item] = FrameQueue(max_buffered_bytes)
        #: Records taken from the queue and not yet delivered or given up on.
        self._in_flight: list[Item] = []
        self._accepted = 0
        self._delivered = 0
        self._refused = 0
        self._errors = 0
        self._last_error: str | None = None
        self._retry_at = 0.0
        self._retry_delay = 0.0
        self._closed = False
        self._stopping = False
        self._closed_report: SinkReport | None = None
        self._thread = threading.Thread(target=self._run, name=f'streamvis {name}', daemon=True)
        self._thread.start()
        register_open(self)

    def write(self, frame: bytearray, header: dict[str, Any]) -> None:
        problem = None
        with self._changed:
            self._accepted += 1
            why = 'the sink is closed' if self._closed else self._refusal(frame)
            if why is not None:
                self._refused += 1
                problem = RecordsDropped(f"dropped record {header['seq']} because {why}", 1)
            else:
                dropped = self._waiting.push(self._queued(frame, header))
                self._changed.notify_all()
                if dropped > 0:
                    plural = '' if dropped == 1 else 's'
                    problem = RecordsDropped(f'buffer full ({self._waiting.max_bytes} bytes waiting): dropped the {dropped} oldest record{plural}', dropped)
        if problem is not None:
            self._fail(problem)

    def flush(self, timeout: float | None = None) -> SinkReport:
        """Returns once every record written so far is delivered or dropped, or after `timeout` (default: the sink's flush timeout) with `pending > 0`."""
        with self._changed:
            target = self._accepted
            # A flush is a reason to try again now rather than wait out the backoff.
            self._retry_at = 0.0
            self._changed.notify_all()
            wait = self._flush_timeout if timeout is None else timeout
            self._changed.wait_for(lambda: self._settled() >= target or self._stopping, wait)
            return self._report()

    def close(self) -> SinkReport:
        """Flushes, then gives up on (and counts as dropped) whatever is still pending."""
        with self._changed:
            if self._closed_report is not None:
                return self._closed_report
        self.flush()
        with self._changed:
            self._closed = True
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()
        with self._changed:
            in_flight = len(self._in_flight)
            self._refused += in_flight
            self._in_flight = []
            given_up = in_flight + self._waiting.clear()
        if given_up > 0:
            self._fail(RecordsDropped(f'gave up on {given_up} records at close', given_up))
        self._release()
        with self._changed:
            self._closed_report = self._report()
        unregister_open(self)
        return self._closed_report

    def _refusal(self, frame: bytearray) -> str | None:
        """Why the destination could never take this frame (it is dropped at once), or None."""
        return None

    @abstractmethod
    def _queued(self, frame: bytearray, header: dict[str, Any]) -> Item:
        """What waits in the queue for a record: its frame, and whatever the destination wants beside it."""

    @abstractmethod
    def _deliver_some(self) -> None:
        """
        One step of the thread's work, called without the lock when records are pending and
        no retry is due: takes records into `_in_flight` and settles them (`_delivered_all`),
        or calls `_back_off` so the step is tried again later.
        """

    @abstractmethod
    def _release(self) -> None:
        """Closes what the thread delivered through (a connection, a client), once it has stopped."""

    def _reported(self, error: Exception) -> Exception:
        """
        The failure as the error handler gets it, which is told the sink's name beside it (the
        logger's SinkError names the sink, and so the destination); the report's `last_error`
        keeps `error`'s own message.
        """
        return error

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping and not (self._pending() and time.monotonic() >= self._retry_at):
                    self._changed.wait(max(0.0, self._retry_at - time.monotonic()) if self._pending() else None)
                if self._stopping:
                    return
            self._deliver_some()

    def _pending(self) -> int:
        """Records written and neither delivered nor given up on yet."""
        return len(self._waiting) + len(self._in_flight)

    def _delivered_all(self) -> None:
        """The records in flight got there: the next call goes at once. Called with the lock held."""
        self._delivered += len(self._in_flight)
        self._in_flight = []
        self._retry_delay = 0.0
        self._changed.notify_all()

    def _back_off(self) -> None:
        """Puts the next try off, twice as long as the last time. Called with the lock held."""
        self._retry_delay = min(LAST_RETRY_SECONDS, max(FIRST_RETRY_SECONDS, self._retry_delay * 2))
        self._retry_at = time.monotonic() + self._retry_delay

    def _settled(self) -> int:
        """Records delivered or given up on (delivery goes in write order; drops take the oldest waiting)."""
        return self._delivered + self._waiting.dropped + self._refused

    def _report(self) -> SinkReport:
        return SinkReport(
            sink=self.name,
            delivered=self._delivered,
            dropped=self._waiting.dropped + self._refused,
            pending=self._pending(),
            errors=self._errors,
            last_error=self._last_error,
        )

    def _fail(self, error: Exception) -> None:
        with self._changed:
            self._errors += 1
            self._last_error = str(error)
        report_safely(self._on_error, self._reported(error), self.name)
