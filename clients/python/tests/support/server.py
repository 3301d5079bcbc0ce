"""The built `streamvis-server` CLI, started as users start it, on a port the OS picks."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
import urllib.request
from typing import Any, Callable

from .repo import SERVER_CLI, node

_SERVING = re.compile(r'serving .* at (http://\S+)')


class StreamvisServer:
    """`streamvis-server MODE PORT ARGS...` (PORT 0: one the OS picks): its URL once printed, its HTTP API, and its stop."""

    def __init__(self, mode: str, *args: str, env: dict[str, str] | None = None, port: int = 0) -> None:
        self._process = subprocess.Popen(
            [node(), str(SERVER_CLI), mode, str(port), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.output: list[str] = []
        self._history_read = threading.Event()
        self._url_printed = threading.Event()
        self.url = ''
        threading.Thread(target=self._read_stdout, daemon=True).start()
        self.stderr: list[str] = []
        threading.Thread(target=lambda: self.stderr.extend(self._process.stderr), daemon=True).start()
        if not self._url_printed.wait(30):
            self.stop()
            raise RuntimeError(f'streamvis-server printed no URL: {self.output} {self.stderr}')

    def _read_stdout(self) -> None:
        for line in self._process.stdout:
            self.output.append(line)
            match = _SERVING.search(line)
            if match:
                self.url = match.group(1)
                self._url_printed.set()
            if 'history read' in line:
                self._history_read.set()

    def wait_for_history(self, timeout: float = 60) -> None:
        """Until the source has started: the log's history read, or the Pub/Sub subscription made."""
        if not self._history_read.wait(timeout):
            raise RuntimeError(f'streamvis-server never read its history: {self.output} {self.stderr}')

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url.rstrip('/') + path, timeout=10) as response:
            return json.load(response)

    def columns(self, run: str, plot: str) -> dict[str, Any]:
        return self.get(f'/api/runs/{run}/plots/{plot}')['columns']

    def wait_until(self, done: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
        """Polls /api/health until `done(health)`; returns the last health."""
        deadline = time.monotonic() + timeout
        while True:
            health = self.get('/api/health')
            if done(health) or time.monotonic() > deadline:
                return health
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
