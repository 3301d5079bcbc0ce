"""Publishes each record's frame as one Pub/Sub message, ordered by run, from a thread of its own."""

from __future__ import annotations

from typing import Any

from ..checks import check_integer
from .pubsub_transport import OutgoingMessage, PubsubError, PubsubTransport
from .queued_sink import QueuedSink
from .sink import ErrorHandler, RecordsDropped

DEFAULT_MAX_BUFFERED_BYTES = 128 << 20
DEFAULT_FLUSH_TIMEOUT_SECONDS = 30.0
#: Pub/Sub takes at most 1000 messages per publish call.
MAX_BATCH_MESSAGES = 1000


class PubsubSink(QueuedSink[OutgoingMessage]):
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
        max_buffered_bytes = check_integer(max_buffered_bytes, 'init_pubsub(max_buffered_bytes)', 1)
        self._transport = transport
        self._run_name = run
        self._topic_ready = False
        #: After a failure, one message at a time until one is acknowledged.
        self._probing = False
        super().__init__(f'pubsub:{transport.project}/{transport.topic}', on_error, max_buffered_bytes, flush_timeout)

    def _refusal(self, frame: bytearray) -> str | None:
        limit = self._transport.max_message_bytes
        return f'it is {len(frame)} bytes, over the {limit}-byte message limit' if len(frame) > limit else None

    def _queued(self, frame: bytearray, header: dict[str, Any]) -> OutgoingMessage:
        attributes = {'run': header['run'], 'kind': header['kind'], 'logger': header['logger'], 'seq': str(header['seq'])}
        if 'plot' in header:
            attributes['plot'] = header['plot']
        return OutgoingMessage(frame, attributes)

    def _deliver_some(self) -> None:
        with self._changed:
            topic_ready = self._topic_ready
        if not topic_ready:
            self._create_topic()
            return
        with self._changed:
            batch = self._waiting.take(1 if self._probing else MAX_BATCH_MESSAGES, self._transport.max_message_bytes)
            self._in_flight = batch
        try:
            self._transport.publish(batch, self._run_name)
        except PubsubError as error:
            with self._changed:
                # Sent again first, before anything written since.
                self._waiting.put_back(batch)
                self._in_flight = []
                if error.not_found:
                    self._topic_ready = False  # deleted under us: create it again
                self._probing = True
            self._retry_later(f'publish failed: {error}')
            return
        with self._changed:
            self._delivered_all()
            self._probing = False

    def _release(self) -> None:
        self._transport.close()

    def _reported(self, error: Exception) -> Exception:
        message = f'Pub/Sub topic {self._transport.topic}: {error}'
        return RecordsDropped(message, error.dropped) if isinstance(error, RecordsDropped) else Exception(message)

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
            self._back_off()
            waiting = self._pending()
            delay_ms = round(self._retry_delay * 1000)
        self._fail(Exception(f'{problem} ({waiting} records waiting; retrying in {delay_ms} ms)'))
