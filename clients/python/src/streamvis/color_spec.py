"""ColorSpec: colours a scatter's points, or multi_lines' lines, from a Bokeh palette."""

from __future__ import annotations

import numpy as np

from .checks import check_integer
from .palettes import check_palette


class ColorSpec:
    """
    Without `dim`, the spatial axis holds x, y and a colour value in [0, 1]; with `dim = k`,
    every slice along axis k gets its own colour (for multi_lines, k is one of `line_dims`: a
    line is drawn in one colour).
    """

    def __init__(self, palette: str, dim: int | None = None) -> None:
        self.palette = check_palette(palette, 'ColorSpec(palette)')
        self.dim = None if dim is None else check_integer(dim, 'ColorSpec(dim)', 0)

    def __repr__(self) -> str:
        return f'ColorSpec({self.palette!r}, {self.dim})'


def color_by_slice(slice_index: np.ndarray, size: int, out: np.ndarray) -> None:
    """Colour value of each point from its slice index along an axis of `size` slices: index / (size - 1), 0 when size is 1."""
    scale = 1 / (size - 1) if size > 1 else 0.0
    out[...] = slice_index * scale
