"""Turns n-d arrays into plot columns: the spatial axis holds a point's coordinates, the other axes enumerate points in row-major order."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .checks import ArgumentError
from .color_spec import ColorSpec, color_by_slice
from .encoding import javascript_number
from .grid_spec import GridSpec, lay_out_on_grid


def write_scatter_columns(
    data: np.ndarray,
    spatial_dim: int,
    x: np.ndarray,
    y: np.ndarray,
    color: np.ndarray | None = None,
    grid: GridSpec | None = None,
    color_spec: ColorSpec | None = None,
) -> None:
    """
    Writes each point's x, y (and colour value, when `color` is given) into the 1-d arrays
    `x`, `y`, `color` of one element per point; `grid.dim` and `color_spec.dim` must not be `spatial_dim`.
    """
    before = (slice(None),) * spatial_dim
    points_shape = data.shape[:spatial_dim] + data.shape[spatial_dim + 1:]
    x.reshape(points_shape)[...] = data[before + (0,)]
    y.reshape(points_shape)[...] = data[before + (1,)]
    if color is not None and color_spec is not None and color_spec.dim is None:
        color.reshape(points_shape)[...] = data[before + (2,)]
    if grid is not None:
        lay_out_on_grid(grid, x, y, _slice_index(data.shape, spatial_dim, grid.dim))
    if color is not None and color_spec is not None and color_spec.dim is not None:
        color_by_slice(_slice_index(data.shape, spatial_dim, color_spec.dim), data.shape[color_spec.dim], color)


def write_multi_line_columns(
    data: np.ndarray,
    spatial_dim: int,
    line_dims: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
    grid: GridSpec | None = None,
    color: np.ndarray | None = None,
    color_spec: ColorSpec | None = None,
) -> None:
    """
    One line per index combination along `line_dims` (ascending axes, row-major); its points
    run over the remaining non-spatial axes. Writes x, y as [lines, points] row-major into the
    1-d `x`, `y` (of `multi_line_shape` elements). With `grid`, each point is shifted into the
    cell of its slice along `grid.dim` (not `spatial_dim`), as a scatter's points are. With
    `color_spec`, writes each line's one colour value into `color` (one element per line): from
    its index along `color_spec.dim` (one of `line_dims`), or, without a dim, the third spatial
    coordinate, which must then be the same at every point of the line.
    """
    lines_axes = sorted(line_dims)
    point_axes = [axis for axis in range(data.ndim) if axis != spatial_dim and axis not in lines_axes]
    order = [*lines_axes, *point_axes, spatial_dim]
    ordered = data.transpose(order)
    dims = ordered.shape[:-1]
    x.reshape(dims)[...] = ordered[..., 0]
    y.reshape(dims)[...] = ordered[..., 1]
    if grid is not None:
        # The slice of each point, in the order the points were written: grid.dim's axis moved as the data's were.
        slices = np.arange(data.shape[grid.dim]).reshape([-1 if axis == grid.dim else 1 for axis in order[:-1]])
        lay_out_on_grid(grid, x, y, np.broadcast_to(slices, dims).reshape(-1))
    if color is None or color_spec is None:
        return
    lines = color.shape[0]
    if color_spec.dim is not None:
        # Each line's index along the colour axis, lines running row-major over the ascending line axes.
        lines_shape = [data.shape[axis] for axis in lines_axes]
        along = np.arange(data.shape[color_spec.dim]).reshape([-1 if axis == color_spec.dim else 1 for axis in lines_axes])
        color_by_slice(np.broadcast_to(along, lines_shape).reshape(-1), data.shape[color_spec.dim], color)
    else:
        _line_values(ordered[..., 2].reshape(lines, math.prod(dims[len(lines_axes):])), color)


def _line_values(point_values: np.ndarray, out: np.ndarray) -> None:
    """Each line's one colour value from its points' values ([lines, points]); raises naming the data when a line's values differ."""
    lines, points = point_values.shape
    if lines > 0 and points == 0:
        raise ArgumentError('multi_lines(data): the lines have no points, so a ColorSpec without dim finds no colour value for them; give it the dim of a line axis')
    differs = point_values != point_values[:, :1]
    if differs.any():
        line, point = np.argwhere(differs)[0]
        first, value = (javascript_number(float(v)) for v in (point_values[line, 0], point_values[line, point]))
        raise ArgumentError(
            f'multi_lines(data): line {line} has colour values {first} (point 0) and {value} (point {point}); a line is drawn in one colour, '
            'so give each line one value at all its points, or a ColorSpec with the dim of a line axis'
        )
    out[...] = point_values[:, 0]


def multi_line_shape(shape: Sequence[int], spatial_dim: int, line_dims: Sequence[int]) -> tuple[int, int]:
    """(lines, points per line) of a multi_lines call."""
    lines = 1
    for axis in line_dims:
        lines *= shape[axis]
    points = 1
    for axis, size in enumerate(shape):
        if axis != spatial_dim and axis not in line_dims:
            points *= size
    return lines, points


def _slice_index(shape: Sequence[int], spatial_dim: int, axis: int) -> np.ndarray:
    """Index along `axis` of each point, points running row-major over the axes other than `spatial_dim`."""
    points_shape = [size for a, size in enumerate(shape) if a != spatial_dim]
    position = axis - (axis > spatial_dim)
    along = np.arange(shape[axis]).reshape([-1 if a == position else 1 for a in range(len(points_shape))])
    return np.broadcast_to(along, points_shape).reshape(-1)
