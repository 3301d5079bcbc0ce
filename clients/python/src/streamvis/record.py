"""A decoded record: its header and its arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Record:
    """
    A decoded record: its header (a dict, as in the log, with the kind's options parsed) and its
    arrays by name (read-only numpy arrays, shaped as their descriptors say; an empty array whose
    shape numpy cannot hold, sizes multiplying past 2^63 beside a 0, is 1-d).
    """

    header: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def run(self) -> str:
        return self.header['run']

    @property
    def kind(self) -> str:
        return self.header['kind']

    @property
    def plot(self) -> str | None:
        return self.header.get('plot')

    @property
    def seq(self) -> int:
        return self.header['seq']

    @property
    def opts(self) -> dict[str, Any]:
        return self.header['opts']
