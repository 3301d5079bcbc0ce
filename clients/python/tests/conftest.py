"""Fixtures: servers, emulators and child processes a test starts are stopped when it ends."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from support.emulator import PubsubEmulator
from support.server import StreamvisServer

# google-auth would otherwise probe the cloud metadata server whenever an emulator is used.
os.environ['METADATA_SERVER_DETECTION'] = 'none'


@pytest.fixture
def serve() -> Iterator[Callable[..., StreamvisServer]]:
    """Starts `streamvis-server MODE PORT ARGS...`, PORT 0 unless given (stopped at the test's end)."""
    servers: list[StreamvisServer] = []

    def start(mode: str, *args: str, env: dict[str, str] | None = None, port: int = 0) -> StreamvisServer:
        server = StreamvisServer(mode, *args, env=env, port=port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope='module')
def emulator() -> Iterator[PubsubEmulator]:
    started = PubsubEmulator()
    yield started
    started.stop()
