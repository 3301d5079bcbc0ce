"""How the Pub/Sub sink reaches Pub/Sub: the google-cloud-pubsub client when installed, else the REST API (an emulator)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from typing import Protocol



class OutgoingMessage:
    """A frame to publish with its attributes; its length is the frame's."""

    __slots__ = ('frame', 'attributes')

    def __init__(self, frame: bytearray, attributes: dict[str, str]) -> None:
        self.frame = frame
        self.attributes = attributes

    def __len__(self) -> int:
        return len(self.frame)


class PubsubError(Exception):
    """A Pub/Sub call failed; `not_found` when the topic is gone (it is then created again)."""

    def __init__(self, message: str, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


class PubsubTransport(Protocol):
    project: str
    topic: str
    #: The largest frame one message can carry, and the most frame bytes one publish call may take.
    max_message_bytes: int

    def create_topic(self) -> None:
        """Makes the topic unless it exists (or the account may not look; publishing then tells). Raises PubsubError."""

    def publish(self, messages: Sequence[OutgoingMessage], ordering_key: str) -> None:
        """Publishes the messages in order, all or none acknowledged. Raises PubsubError."""

    def close(self) -> None: ...


def open_transport(project: str, topic: str) -> PubsubTransport:
    """
    The google-cloud-pubsub client (`pip install 'streamvis[pubsub]'`) when it is installed;
    otherwise Pub/Sub's REST API over the standard library, which reaches the emulator named by
    PUBSUB_EMULATOR_HOST (the emulator answers REST on the same port) but cannot sign in to Google Cloud.
    """
    emulator = os.environ.get('PUBSUB_EMULATOR_HOST')
    if emulator:
        # google-auth would otherwise probe the cloud metadata server first, even for an emulator.
        os.environ.setdefault('METADATA_SERVER_DETECTION', 'none')
    if _client_library_installed():
        from .pubsub_client_library import ClientLibraryTransport

        return ClientLibraryTransport(project, topic)
    if emulator:
        from .pubsub_rest import RestTransport

        return RestTransport(project, topic, emulator)
    raise RuntimeError(
        "init_pubsub(): google-cloud-pubsub is not installed (pip install 'streamvis[pubsub]'); "
        'without it only a Pub/Sub emulator can be reached: set PUBSUB_EMULATOR_HOST=host:port'
    )


def _client_library_installed() -> bool:
    try:
        return importlib.util.find_spec('google.cloud.pubsub_v1') is not None
    except ModuleNotFoundError:
        return False
