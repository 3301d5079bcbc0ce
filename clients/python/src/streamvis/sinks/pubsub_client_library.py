"""Publishes through the google-cloud-pubsub client (the `streamvis[pubsub]` extra): Google Cloud, with its sign-in, or the emulator."""

from __future__ import annotations

from collections.abc import Sequence

from google.api_core import exceptions
from google.cloud import pubsub_v1

from .pubsub_transport import OutgoingMessage, PubsubError

#: The client's largest publish batch is 10 MB: a bigger message can never be sent.
MAX_MESSAGE_BYTES = 9 << 20
CALL_TIMEOUT_SECONDS = 15.0


class ClientLibraryTransport:
    max_message_bytes = MAX_MESSAGE_BYTES

    def __init__(self, project: str, topic: str) -> None:
        self.project = project
        self.topic = topic
        options = pubsub_v1.types.PublisherOptions(enable_message_ordering=True)
        self._client = pubsub_v1.PublisherClient(publisher_options=options)
        self._path = self._client.topic_path(project, topic)

    def create_topic(self) -> None:
        try:
            self._client.create_topic(request={'name': self._path}, timeout=CALL_TIMEOUT_SECONDS)
        except (exceptions.AlreadyExists, exceptions.PermissionDenied):
            # Another producer just made it; or a publisher-only account, which publishing tells about.
            pass
        except exceptions.GoogleAPIError as error:
            raise PubsubError(str(error)) from error

    def publish(self, messages: Sequence[OutgoingMessage], ordering_key: str) -> None:
        futures = [self._client.publish(self._path, bytes(m.frame), ordering_key=ordering_key, **m.attributes) for m in messages]
        try:
            for future in futures:
                future.result(timeout=CALL_TIMEOUT_SECONDS)
        except Exception as error:  # noqa: BLE001 - any failure: the sink retries the whole batch
            # After a failure the client refuses the key's messages until told to resume.
            self._client.resume_publish(self._path, ordering_key)
            raise PubsubError(str(error), not_found=isinstance(error, exceptions.NotFound)) from error

    def close(self) -> None:
        self._client.stop()
