"""Publishes each record's frame as one Pub/Sub message, ordered by run, from a thread of its own."""

from __future__ import annotations

import threading
import time
from typing import Any

from ..checks import check_integer
from .frame_queue import FrameQueue
from .pubsub_transport import OutgoingMessage, PubsubError, PubsubTransport
from .sink import ErrorHandler, RecordsDropped, SinkReport, register_open, report_safely, unregister_open

DEFAULT_MAX_BUFFERED_BYTES = 128 << 20
DEFAULT_FLUSH_TIMEOUT_SECONDS = 30.0
#: Pub/Sub takes at most 1000 messages per publish call.
MAX_BATCH_MESSAGES = 1000
FIRST_RETRY_SECONDS = 0.1
LAST_RETRY_SECONDS = 5.0


class PubsubSink:
    """
    The message is the frame, byte for byte; its attributes are `run`, `kind`, `logger`, `seq`
    and `plot` (not on layout records) and its ordering key is the run, as the TypeScript
    logger publishes them, so `streamvis-server pubsub` takes either. One publish call is under
    way at a time, so messages go out in the order they were logged.

    The topic is created (when missing) by the publishing thread, so an unreachable Pub/Sub
    never slows the producer: records wait in a queue bounded by `max_buffered_bytes`, past
    which the oldest are dropped, each drop reported. (Never blocking: an outage of Pub/Sub
    may be long, and should not stop a training run.) A failed call is reported and retried,
    100 ms doubling to 5 s, one message at a time until one goes through, the failed batch
    first: a batch whose acknowledgement was lost goes again, and readers drop the copy.
    """

    def __init__(
        self,
        transport: PubsubTransport,
        run: str,
        on_error: ErrorHandler,
        max_buffered_bytes: int = DEFAULT_MAX_BUFFERED_BYTES,
        flush_timeout: float = DEFAULT_FLUSH_TIMEOUT_SECONDS,
    ) -> None:
        self.name = f'pubsub:{transport.project}/{transport.topic}'
        self._transport = transport
        self._run_name = run
        self._on_error = on_error
        self._flush_timeout = flush_timeout
        self._changed = threading.Condition()
        self._waiting: FrameQueue[OutgoingMessage] = FrameQueue(check_integer(max_buffered_bytes, 'init_pubsub(max_buffered_bytes)', 1))
        self._publishing = 0  # messages in the call under way
        self._accepted = 0
        self._delivered = 0
        self._refused = 0
        self._errors = 0
        self._last_error: str | None = None
        self._topic_ready = False
        #: After a failure, one message at a time until one is acknowledged.
        self._probing = False
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
            if self._closed or len(frame) > self._transport.max_message_bytes:
                self._refused += 1
                why = 'the sink is closed' if self._closed else f'it is {len(frame)} bytes, over the {self._transport.max_message_bytes}-byte message limit'
                problem = RecordsDropped(f"dropped record {header['seq']} because {why}", 1)
            else:
                attributes = {'run': header['run'], 'kind': header['kind'], 'logger': header['logger'], 'seq': str(header['seq'])}
                if 'plot' in header:
                    attributes['plot'] = header['plot']
                dropped = self._waiting.push(OutgoingMessage(frame, attributes))
                self._changed.notify_all()
                if dropped > 0:
                    plural = '' if dropped == 1 else 's'
                    problem = RecordsDropped(f'buffer full ({self._waiting.max_bytes} bytes waiting): dropped the {dropped} oldest record{plural}', dropped)
        if problem is not None:
            self._fail(problem)

    def flush(self, timeout: float | None = None) -> SinkReport:
        """Returns once every record written so far is acknowledged or dropped, or after `timeout` (default: the sink's flush timeout) with `pending > 0`."""
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
            given_up = self._waiting.clear()
        if given_up > 0:
            self._fail(RecordsDropped(f'gave up on {given_up} records at close', given_up))
        self._transport.close()
        with self._changed:
            self._closed_report = self._report()
        unregister_open(self)
        return self._closed_report

    def _settled(self) -> int:
        """Records acknowledged or given up on (acknowledgements come in write order; drops take the oldest waiting)."""
        return self._delivered + self._waiting.dropped + self._refused

    def _report(self) -> SinkReport:
        return SinkReport(
            sink=self.name,
            delivered=self._delivered,
            dropped=self._waiting.dropped + self._refused,
            pending=len(self._waiting) + self._publishing,
            errors=self._errors,
            last_error=self._last_error,
        )

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping and not (self._waiting and time.monotonic() >= self._retry_at):
                    self._changed.wait(max(0.0, self._retry_at - time.monotonic()) if self._waiting else None)
                if self._stopping:
                    return
                topic_ready = self._topic_ready
            if not topic_ready:
                self._create_topic()
                continue
            with self._changed:
                batch = self._waiting.take(1 if self._probing else MAX_BATCH_MESSAGES, self._transport.max_message_bytes)
                self._publishing = len(batch)
            try:
                self._transport.publish(batch, self._run_name)
            except PubsubError as error:
                with self._changed:
                    self._waiting.put_back(batch)
                    self._publishing = 0
                    if error.not_found:
                        self._topic_ready = False  # deleted under us: create it again
                    self._probing = True
                self._retry_later(f'publish failed: {error}')
                continue
            with self._changed:
                self._delivered += len(batch)
                self._publishing = 0
                self._probing = False
                self._retry_delay = 0.0
                self._changed.notify_all()

    def _create_topic(self) -> None:
        try:
            self._transport.create_topic()
        except PubsubError as error:
            self._retry_later(f'cannot find or create the topic: {error}')
            return
        with self._changed:
            self._topic_ready = True

    def _retry_later(self, problem: str) -> None:
        with self._changed:
            self._retry_delay = min(LAST_RETRY_SECONDS, max(FIRST_RETRY_SECONDS, self._retry_delay * 2))
            self._retry_at = time.monotonic() + self._retry_delay
            waiting = len(self._waiting)
            delay_ms = round(self._retry_delay * 1000)
        self._fail(Exception(f'{problem} ({waiting} records waiting; retrying in {delay_ms} ms)'))

    def _fail(self, error: Exception) -> None:
        message = f'Pub/Sub topic {self._transport.topic}: {error}'
        with self._changed:
            self._errors += 1
            self._last_error = str(error)
        reported = RecordsDropped(message, error.dropped) if isinstance(error, RecordsDropped) else Exception(message)
        report_safely(self._on_error, reported, self.name)
