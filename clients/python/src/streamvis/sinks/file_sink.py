"""Appends frames to a log file from a writer thread of its own."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..checks import check_integer
from .frame_queue import FrameQueue
from .sink import ErrorHandler, RecordsDropped, SinkReport, check_on_full, register_open, report_safely, unregister_open

DEFAULT_MAX_BUFFERED_BYTES = 256 << 20
#: iovecs one writev may take (Linux IOV_MAX): a larger batch would no longer be one append.
MAX_BATCH_FRAMES = 1024
MAX_BATCH_BYTES = 16 << 20
#: The writer gathers frames until this many bytes wait or the oldest has waited GATHER_SECONDS:
#: each wake-up of the writer thread takes the GIL from the producer, so it should take many frames.
GATHER_BYTES = 1 << 20
GATHER_SECONDS = 0.01
FIRST_RETRY_SECONDS = 0.05
LAST_RETRY_SECONDS = 5.0

#: One append of the buffers, in order, to a descriptor; returns the bytes written (maybe only part: a short write).
AppendFunction = Callable[[int, Sequence[bytes | bytearray]], int]


class FileSink:
    """
    Hands each frame to a writer thread that appends batches of frames to the log, each batch
    with one `os.writev` on an O_APPEND descriptor: the kernel places a whole write at the end
    of the file, so records from several processes sharing a log never interleave (local file
    systems; not NFS). A failed open or write is reported and retried with backoff (50 ms
    doubling to 5 s), keeping every frame.

    The producer's calls only queue, so logging costs it the encoding, not the disk. When
    `max_buffered_bytes` are waiting, `on_full='block'` makes the call wait for room (nothing
    is lost; the producer slows to the disk's pace), `'drop-oldest'` drops the oldest waiting
    frames and reports it from that call.
    """

    def __init__(
        self,
        path: str,
        on_error: ErrorHandler,
        max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES,
        on_full: str = 'block',
        append: AppendFunction = os.writev,
    ) -> None:
        self.name = f'file:{path}'
        self._path = path
        self._on_error = on_error
        self._max_buffered_bytes = check_integer(max_buffered_bytes, 'FileSink(max_buffered_bytes)', 1)
        self._on_full = check_on_full(on_full, 'FileSink(on_full)')
        #: Blocking when full, the log gets every frame in order: frames may refer to earlier ones (see Sink).
        #: With 'drop-oldest' a dropped frame could be one that others refer to, so each is whole on its own.
        self.streamed = self._on_full == 'block'
        # A bound below GATHER_BYTES: gathered is when the bound is reached, as a blocked call then waits.
        self._gather_bytes = min(GATHER_BYTES, self._max_buffered_bytes)
        self._append = append
        self._changed = threading.Condition()
        # Unbounded itself: write() applies the bound the way on_full says.
        self._queue: FrameQueue[bytearray] = FrameQueue()
        # The batch the writer thread is appending now.
        self._writing_bytes = 0
        self._writing_count = 0
        self._accepted = 0
        self._delivered = 0
        self._refused = 0
        self._errors = 0
        self._last_error: str | None = None
        self._failed_attempts = 0
        self._retry_at = 0.0
        self._retry_delay = FIRST_RETRY_SECONDS
        #: A flush or close asks to write what waits now: no gathering, no backoff.
        self._write_now = False
        #: When the oldest frame waiting came (or, after a write, when the writer saw it).
        self._oldest_since = 0.0
        self._closing = False
        self._stopping = False
        self._closed_report: SinkReport | None = None
        self._fd: int | None = None
        # Opened now, so a log that cannot be opened is reported at init (and retried at the first write).
        try:
            self._fd = _open_log(path)
        except OSError as error:
            self._failed(error)
        self._thread = threading.Thread(target=self._run, name=f'streamvis {self.name}', daemon=True)
        self._thread.start()
        register_open(self)

    def write(self, frame: bytearray, header: dict[str, Any] | None = None) -> None:
        with self._changed:
            if self._closing:
                self._refused += 1
                return
            self._accepted += 1
            self._queue.push(frame)
            if len(self._queue) == 1:
                self._oldest_since = time.monotonic()
                self._changed.notify_all()  # the writer starts gathering
            elif self._queue.bytes - len(frame) < self._gather_bytes <= self._queue.bytes:
                self._changed.notify_all()  # enough gathered
            if self._unwritten() <= self._max_buffered_bytes:
                return
            if self._on_full == 'block':
                while self._unwritten() > self._max_buffered_bytes and not self._stopping:
                    self._changed.wait()
                return
            dropped = self._queue.drop_beyond(self._max_buffered_bytes - self._writing_bytes)
        if dropped > 0:
            plural = '' if dropped == 1 else 's'
            message = f"buffer full ({self._max_buffered_bytes} bytes not yet written): dropped the {dropped} oldest record{plural} (on_full='drop-oldest')"
            report_safely(self._on_error, RecordsDropped(message, dropped), self.name)

    def flush(self, timeout: float | None = None) -> SinkReport:
        """Returns once everything written so far is in the file, an attempt to write it has just failed, or `timeout` seconds passed."""
        with self._changed:
            target = self._accepted
            failures = self._failed_attempts
            # A flush is a reason to write now rather than gather more or wait out the backoff.
            self._write_now = True
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._settled() >= target or self._failed_attempts > failures or self._stopping, timeout)
            return self._report()

    def close(self) -> SinkReport:
        """Flushes (until written or an attempt fails), gives up on the rest, closes the log."""
        with self._changed:
            if self._closed_report is not None:
                return self._closed_report
            self._closing = True
        self.flush()
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()
        with self._changed:
            self._queue.clear()
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._closed_report = self._report()
        unregister_open(self)
        return self._closed_report

    def _unwritten(self) -> int:
        return self._queue.bytes + self._writing_bytes

    def _settled(self) -> int:
        return self._delivered + self._queue.dropped

    def _report(self) -> SinkReport:
        return SinkReport(
            sink=self.name,
            delivered=self._delivered,
            dropped=self._queue.dropped + self._refused,
            pending=len(self._queue) + self._writing_count,
            errors=self._errors,
            last_error=self._last_error,
        )

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping and not self._ready():
                    self._changed.wait(self._wait_seconds())
                if self._stopping:
                    return
                self._write_now = False
                batch = self._queue.take(MAX_BATCH_FRAMES, MAX_BATCH_BYTES)
                self._writing_bytes = sum(len(frame) for frame in batch)
                self._writing_count = len(batch)
            self._write_batch(batch)

    def _ready(self) -> bool:
        """Frames wait and it is time to write them: enough gathered, or asked to; and no backoff under way (unless asked)."""
        if not self._queue:
            return False
        if self._write_now:
            return True
        now = time.monotonic()
        gathered = self._queue.bytes >= self._gather_bytes or now - self._oldest_since >= GATHER_SECONDS
        return gathered and now >= self._retry_at

    def _wait_seconds(self) -> float | None:
        if not self._queue:
            return None
        now = time.monotonic()
        return max(0.0, self._retry_at - now, self._oldest_since + GATHER_SECONDS - now)

    def _write_batch(self, batch: list[bytearray]) -> None:
        written = 0
        error: OSError | None = None
        try:
            if self._fd is None:
                self._fd = _open_log(self._path)
            written = self._append(self._fd, batch)
        except OSError as failure:
            error = failure
        complete, torn = _complete_frames(batch, written)
        if error is None and complete < len(batch):
            total = sum(len(frame) for frame in batch)
            error = OSError(f'short write to {self._path}: {written} of {total} bytes written{self._remove_torn_frame(batch[complete], torn)}')
        with self._changed:
            self._delivered += complete
            self._writing_bytes = 0
            self._writing_count = 0
            if error is None:
                self._retry_delay = FIRST_RETRY_SECONDS
            else:
                self._queue.put_back(batch[complete:])
                self._failed(error)
            if self._queue:
                # Frames that came during the write gather from now: they wait at most that long again.
                self._oldest_since = time.monotonic()
            self._changed.notify_all()

    def _failed(self, error: OSError) -> None:
        """Counts and reports a failed open or write, and schedules the retry (holding the lock, or before the thread starts)."""
        self._errors += 1
        self._last_error = str(error)
        self._failed_attempts += 1
        self._retry_at = time.monotonic() + self._retry_delay
        self._retry_delay = min(self._retry_delay * 2, LAST_RETRY_SECONDS)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        report_safely(self._on_error, error, self.name)

    def _remove_torn_frame(self, frame: bytearray, torn: int) -> str:
        """
        A short write (the disk filled up mid-write) left the first `torn` bytes of `frame` at
        the end of the log. The frame goes again whole at the retry, so those bytes are cut off
        first, if they are still the log's last: O_APPEND writers share no lock, and bytes
        another process appended after them stay (readers skip the torn copy by its checksum).
        """
        if torn == 0 or self._fd is None:
            return ''
        try:
            size = os.fstat(self._fd).st_size
            if os.pread(self._fd, torn, size - torn) != frame[:torn]:
                return f"; the cut frame's {torn} bytes stay: another writer appended after them"
            os.ftruncate(self._fd, size - torn)
            return f"; the cut frame's {torn} bytes were removed, it goes again whole"
        except OSError as error:
            return f"; the cut frame's {torn} bytes stay: {error}"


def _open_log(path: str) -> int:
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    # Read as well as append: to check a torn frame's bytes before cutting them.
    return os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _complete_frames(frames: Sequence[bytearray], written: int) -> tuple[int, int]:
    """How many of `frames`, in order, lie entirely within the first `written` bytes, and the bytes of the next one written."""
    count = 0
    for frame in frames:
        if written < len(frame):
            break
        written -= len(frame)
        count += 1
    return count, written
