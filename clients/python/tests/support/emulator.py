"""The official Pub/Sub emulator on 127.0.0.1, as test/support/pubsub-emulator.ts starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

DEFAULT_BIN = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator'


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it; released at once)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class PubsubEmulator:
    """Started in a process group of its own (the launcher is a script that starts java), so stop() ends both."""

    def __init__(self, port: int | None = None) -> None:
        binary = os.environ.get('PUBSUB_EMULATOR_BIN') or DEFAULT_BIN
        if not os.access(binary, os.X_OK):
            raise RuntimeError(f'the Pub/Sub emulator is not installed at {binary}: see the README (Test prerequisites)')
        self.port = port or free_port()
        self.host = f'127.0.0.1:{self.port}'
        self._process = subprocess.Popen(
            [binary, '--host=127.0.0.1', f'--port={self.port}'],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=dict(os.environ, METADATA_SERVER_DETECTION='none'),
        )
        deadline = time.monotonic() + 60
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'the Pub/Sub emulator did not start on {self.host}')
            time.sleep(0.1)

    def env(self) -> dict[str, str]:
        """Environment for a process that talks to this emulator."""
        return dict(os.environ, PUBSUB_EMULATOR_HOST=self.host, METADATA_SERVER_DETECTION='none')

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f'http://{self.host}/', timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self._process.pid, signal.SIGKILL)  # the JVM, if the script went first
        except ProcessLookupError:
            pass
        self._process.wait()
