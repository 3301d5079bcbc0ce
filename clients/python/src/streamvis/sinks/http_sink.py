"""POSTs each record's frame to a streamvis server started with `--ingest`, from a thread of its own (packages/logger/src/sinks/http-sink.ts)."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from ..checks import ArgumentError, describe
from .queued_sink import QueuedSink
from .sink import ErrorHandler, RecordsDropped

DEFAULT_MAX_BUFFERED_BYTES = 128 << 20
DEFAULT_FLUSH_TIMEOUT_SECONDS = 30.0
#: One request's records: what piled up while the last one was out, up to these bounds (the server takes 64 MiB).
MAX_BATCH_RECORDS = 10_000
MAX_BATCH_BYTES = 16 << 20
REQUEST_TIMEOUT_SECONDS = 30.0
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


class HttpSink(QueuedSink[bytearray]):
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
        self._address = address
        self._headers = {'Content-Type': FRAMES_CONTENT_TYPE, **({'Authorization': f'Bearer {address.token}'} if address.token else {})}
        self._connection: http.client.HTTPConnection | None = None
        self._failing = False
        super().__init__(f'http:{address.origin}', on_error, max_buffered_bytes, flush_timeout)

    def _queued(self, frame: bytearray, header: dict[str, Any]) -> bytearray:
        return frame

    def _deliver_some(self) -> None:
        # A failed request's records stay in flight, to be sent again as they were.
        with self._changed:
            if not self._in_flight:
                self._in_flight = self._waiting.take(MAX_BATCH_RECORDS, MAX_BATCH_BYTES)
            batch = self._in_flight
        self._send(batch)

    def _release(self) -> None:
        self._disconnect()

    def _send(self, batch: list[bytearray]) -> None:
        try:
            status, answer = self._post(b''.join(batch))
        except (OSError, http.client.HTTPException) as error:
            self._retry_later(f'the server is unreachable: {_reason(error)}')
            return
        if 200 <= status < 300:
            with self._changed:
                self._delivered_all()
                self._failing = False
            return
        reason = f'{status} {_error_of(answer)}'
        if status >= 500 or status in _RETRIED_STATUSES:
            self._retry_later(f'the server answered {reason}')
            return
        with self._changed:
            self._refused += len(batch)
            self._in_flight = []
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
            self._back_off()
            # Told once per outage, when it starts: a server down for minutes is one error, not hundreds.
            starting = not self._failing
            self._failing = True
            waiting = self._pending()
        if starting:
            self._fail(Exception(f"{problem} ({waiting} record{'' if waiting == 1 else 's'} waiting; retrying)"))


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
