"""POSTs each record's frame to a streamvis server started with `--ingest`, from a thread of its own (packages/logger/src/sinks/http-sink.ts)."""

from __future__ import annotations

import http.client
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from ..checks import ArgumentError, describe
from .frame_queue import FrameQueue
from .sink import ErrorHandler, RecordsDropped, SinkReport, register_open, report_safely, unregister_open

DEFAULT_MAX_BUFFERED_BYTES = 128 << 20
DEFAULT_FLUSH_TIMEOUT_SECONDS = 30.0
#: One request's records: what piled up while the last one was out, up to these bounds (the server takes 64 MiB).
MAX_BATCH_RECORDS = 10_000
MAX_BATCH_BYTES = 16 << 20
REQUEST_TIMEOUT_SECONDS = 30.0
FIRST_RETRY_SECONDS = 0.1
LAST_RETRY_SECONDS = 5.0
FRAMES_CONTENT_TYPE = 'application/x-streamvis'
#: Answers that say "try again later"; any other 4xx refuses the records as they are.
_RETRIED_STATUSES = (408, 429)


class HttpAddress:
    """Where a run's records go: the server's origin and `/api/runs/RUN/records`, with the token from `?token=` unless one is given."""

    def __init__(self, url: str, run: str, token: str | None, where: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise ArgumentError(f'{where}: expected an http:// or https:// address, got {describe(url)}')
        try:
            self.port = parts.port
        except ValueError:
            raise ArgumentError(f'{where}: expected an http:// or https:// address, got {describe(url)}') from None
        self.secure = parts.scheme == 'https'
        self.host = parts.hostname
        self.origin = f'{parts.scheme}://{parts.netloc.rpartition("@")[2]}'
        try:
            self.path = f'/api/runs/{quote(run, safe="")}/records'
        except UnicodeEncodeError:
            raise ArgumentError(f'{where}: the run name {describe(run)} holds a lone surrogate, which a URL cannot carry') from None
        self.token = token if token is not None else (parse_qs(parts.query).get('token') or [None])[0]


class HttpSink:
    """
    One request at a time, so the server gets the records in order; what is written while a
    request is out goes in the next (the frames back to back, as a log holds them). A server
    that is down or answers 5xx (or 408, 429) is retried with backoff, 100 ms doubling to 5 s,
    the outage reported once, when it starts; the records wait in a queue bounded by
    `max_buffered_bytes`, past which the oldest are dropped, each drop reported (never
    blocking: an outage may be long, and should not stop a training run). A server that
    refuses a request (another 4xx: a bad record, no such run, a wrong token) would refuse it
    again: those records are dropped and reported. The server drops copies (a request retried
    after its answer was lost), so nothing is applied twice.
    """

    def __init__(
        self,
        address: HttpAddress,
        on_error: ErrorHandler,
        max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES,
        flush_timeout: float = DEFAULT_FLUSH_TIMEOUT_SECONDS,
    ) -> None:
        self.name = f'http:{address.origin}'
        self._address = address
        self._headers = {'Content-Type': FRAMES_CONTENT_TYPE, **({'Authorization': f'Bearer {address.token}'} if address.token else {})}
        self._on_error = on_error
        self._flush_timeout = flush_timeout
        self._connection: http.client.HTTPConnection | None = None
        self._changed = threading.Condition()
        self._waiting: FrameQueue[bytearray] = FrameQueue(max_buffered_bytes)
        #: The request's records, being sent (and sent again after a failure).
        self._batch: list[bytearray] = []
        self._accepted = 0
        self._delivered = 0
        self._refused = 0
        self._errors = 0
        self._last_error: str | None = None
        self._failing = False
        self._retry_at = 0.0
        self._retry_delay = 0.0
        self._closed = False
        self._stopping = False
        self._closed_report: SinkReport | None = None
        self._thread = threading.Thread(target=self._run, name=f'streamvis {self.name}', daemon=True)
        self._thread.start()
        register_open(self)

    def write(self, frame: bytearray, header: dict[str, Any]) -> None:
        problem = None
        with self._changed:
            self._accepted += 1
            if self._closed:
                self._refused += 1
                problem = RecordsDropped(f"dropped record {header['seq']} because the sink is closed", 1)
            else:
                dropped = self._waiting.push(frame)
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
            in_batch = len(self._batch)
            self._refused += in_batch
            self._batch = []
            given_up = in_batch + self._waiting.clear()
        if given_up > 0:
            self._fail(RecordsDropped(f'gave up on {given_up} records at close', given_up))
        self._disconnect()
        with self._changed:
            self._closed_report = self._report()
        unregister_open(self)
        return self._closed_report

    def _settled(self) -> int:
        """Records delivered or given up on (requests go in write order; drops take the oldest waiting)."""
        return self._delivered + self._waiting.dropped + self._refused

    def _report(self) -> SinkReport:
        return SinkReport(
            sink=self.name,
            delivered=self._delivered,
            dropped=self._waiting.dropped + self._refused,
            pending=len(self._waiting) + len(self._batch),
            errors=self._errors,
            last_error=self._last_error,
        )

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping and not ((self._batch or self._waiting) and time.monotonic() >= self._retry_at):
                    self._changed.wait(max(0.0, self._retry_at - time.monotonic()) if self._batch or self._waiting else None)
                if self._stopping:
                    return
                if not self._batch:
                    self._batch = self._waiting.take(MAX_BATCH_RECORDS, MAX_BATCH_BYTES)
                batch = self._batch
            self._send(batch)

    def _send(self, batch: list[bytearray]) -> None:
        try:
            status, answer = self._post(b''.join(batch))
        except (OSError, http.client.HTTPException) as error:
            self._retry_later(f'the server is unreachable: {_reason(error)}')
            return
        if 200 <= status < 300:
            with self._changed:
                self._delivered += len(batch)
                self._batch = []
                self._failing = False
                self._retry_delay = 0.0
                self._changed.notify_all()
            return
        reason = f'{status} {_error_of(answer)}'
        if status >= 500 or status in _RETRIED_STATUSES:
            self._retry_later(f'the server answered {reason}')
            return
        with self._changed:
            self._refused += len(batch)
            self._batch = []
            self._changed.notify_all()
        plural = '' if len(batch) == 1 else 's'
        self._fail(RecordsDropped(f'the server refused {len(batch)} record{plural}: {reason}', len(batch)))

    def _post(self, body: bytes) -> tuple[int, bytes]:
        """
        POSTs on the kept connection; the status and the answer's bytes. A kept connection the
        server has since closed (idle past its keep-alive timeout) fails the request: it is sent
        once more on a new one before the server counts as unreachable (a copy the server did
        get is dropped by it).
        """
        while True:
            fresh = self._connection is None
            if self._connection is None:
                kind = http.client.HTTPSConnection if self._address.secure else http.client.HTTPConnection
                self._connection = kind(self._address.host, self._address.port, timeout=REQUEST_TIMEOUT_SECONDS)
            try:
                self._connection.request('POST', self._address.path, body=body, headers=self._headers)
                response = self._connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException):
                self._disconnect()
                if fresh:
                    raise

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _retry_later(self, problem: str) -> None:
        with self._changed:
            if self._closed:
                return
            self._retry_delay = min(LAST_RETRY_SECONDS, max(FIRST_RETRY_SECONDS, self._retry_delay * 2))
            self._retry_at = time.monotonic() + self._retry_delay
            # Told once per outage, when it starts: a server down for minutes is one error, not hundreds.
            starting = not self._failing
            self._failing = True
            waiting = len(self._waiting) + len(self._batch)
        if starting:
            self._fail(Exception(f"{problem} ({waiting} record{'' if waiting == 1 else 's'} waiting; retrying)"))

    def _fail(self, error: Exception) -> None:
        # The logger's SinkError names the sink, and so the server's address.
        with self._changed:
            self._errors += 1
            self._last_error = str(error)
        report_safely(self._on_error, error, self.name)


def _error_of(answer: bytes) -> str:
    """The server's `{error}` message, or the start of its answer."""
    text = answer.decode('utf-8', 'replace')
    try:
        parsed = json.loads(text)
    except ValueError:
        return text[:200]
    return parsed['error'] if isinstance(parsed, dict) and isinstance(parsed.get('error'), str) else text[:200]


def _reason(error: Exception) -> str:
    """What went wrong reaching the server: ConnectionRefusedError, timed out, ..."""
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error) or type(error).__name__
