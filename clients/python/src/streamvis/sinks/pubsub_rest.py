"""Publishes through Pub/Sub's REST API with the standard library: what the emulator (PUBSUB_EMULATOR_HOST) speaks besides gRPC."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from .pubsub_transport import OutgoingMessage, PubsubError

#: A publish request is at most 10 MB, and base64 makes a frame a third longer.
MAX_REQUEST_FRAME_BYTES = 7 << 20
CALL_TIMEOUT_SECONDS = 15.0


class RestTransport:
    """One HTTP/1.1 connection, kept open between calls and opened again after a failure."""

    max_message_bytes = MAX_REQUEST_FRAME_BYTES

    def __init__(self, project: str, topic: str, endpoint: str) -> None:
        self.project = project
        self.topic = topic
        self._endpoint = endpoint.removeprefix('http://').rstrip('/')
        self._path = f'/v1/projects/{quote(project, safe="")}/topics/{quote(topic, safe="")}'
        self._connection: http.client.HTTPConnection | None = None

    def create_topic(self) -> None:
        status, answer = self._call('PUT', self._path, None)
        # 409: another producer just made it. 403: a publisher-only account may not create
        # topics; publishing tells whether the topic is there.
        if status not in (200, 409, 403):
            raise PubsubError(_problem(status, answer), not_found=status == 404)

    def publish(self, messages: Sequence[OutgoingMessage], ordering_key: str) -> None:
        body = {
            'messages': [
                {'data': base64.b64encode(m.frame).decode('ascii'), 'attributes': m.attributes, 'orderingKey': ordering_key}
                for m in messages
            ]
        }
        status, answer = self._call('POST', f'{self._path}:publish', body)
        if status != 200:
            raise PubsubError(_problem(status, answer), not_found=status == 404)
        if len(answer.get('messageIds', [])) != len(messages):
            raise PubsubError(f'published {len(messages)} messages, {len(answer.get("messageIds", []))} acknowledged')

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _call(self, method: str, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        payload = b'' if body is None else json.dumps(body, separators=(',', ':')).encode('ascii')
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._endpoint, timeout=CALL_TIMEOUT_SECONDS)
            self._connection.request(method, path, body=payload, headers={'Content-Type': 'application/json'})
            response = self._connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise PubsubError(f'cannot reach Pub/Sub at {self._endpoint}: {error}') from error
        try:
            answer = json.loads(text) if text else {}
        except ValueError:
            answer = {}
        return response.status, answer if isinstance(answer, dict) else {}


def _problem(status: int, answer: dict[str, Any]) -> str:
    error = answer.get('error', {}) if isinstance(answer.get('error'), dict) else {}
    return f"{status} {error.get('status', 'HTTP error')}: {error.get('message', '')}".rstrip(': ')
