"""GridSpec: lays the slices of a scatter out side by side, as a grid of panels."""

from __future__ import annotations

import numpy as np

from .checks import check_integer, check_positive


class GridSpec:
    """
    Slice i along axis `dim` is shifted by (i % num_columns, -(i // num_columns)) times the
    data's x/y extent times `padding_factor`: left to right, then top to bottom.
    """

    def __init__(self, dim: int, num_columns: int, padding_factor: float = 1.2) -> None:
        self.dim = check_integer(dim, 'GridSpec(dim)', 0)
        self.num_columns = check_integer(num_columns, 'GridSpec(num_columns)', 1)
        self.padding_factor = check_positive(padding_factor, 'GridSpec(padding_factor)')

    def __repr__(self) -> str:
        return f'GridSpec({self.dim}, {self.num_columns}, {self.padding_factor})'


def lay_out_on_grid(spec: GridSpec, x: np.ndarray, y: np.ndarray, slice_index: np.ndarray) -> None:
    """Shifts each point (in place) into the cell of its slice; the extents are those of the unshifted points."""
    # In float64, rounded once when stored, as the TypeScript logger computes it.
    step_x = _extent(x) * spec.padding_factor
    step_y = _extent(y) * spec.padding_factor
    x[...] = x + (slice_index % spec.num_columns) * step_x
    y[...] = y - (slice_index // spec.num_columns) * step_y


def _extent(values: np.ndarray) -> float:
    return float(values.max()) - float(values.min()) if values.size else 0.0
