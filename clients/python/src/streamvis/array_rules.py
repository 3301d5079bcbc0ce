"""Each record kind's arrays: which a record must carry and their shapes (packages/format/src/options/arrays.ts).

A rule gets the record's checked array descriptors (`{name, dtype, shape}` dicts) and options,
and a `name` function naming an array in error messages: the reader says `scatter array 'y'`,
the logger names the argument the array came from (`scatter(data)`), so one rule serves both.
Arrays a kind does not use are ignored, so the format can grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

from .checks import ArgumentError
from .limits import MAX_LINES
from .options import check_names_fit

#: Names array `name` in an error message.
ArrayNamer = Callable[[str], str]
Descriptors = Sequence[dict[str, Any]]
#: Checks a record's arrays given its checked options; raises an ArgumentError naming the array.
ArraysRule = Callable[[Descriptors, dict[str, Any], ArrayNamer], None]


def record_arrays(kind: str) -> ArrayNamer:
    """Names the arrays of a decoded record: `scatter array 'y'`."""
    return lambda name: f"{kind} array '{name}'"


def layout_arrays(arrays: Descriptors, opts: dict[str, Any], name: ArrayNamer) -> None:
    """`layout` and `clear` records carry no arrays."""


def scatter_arrays(arrays: Descriptors, opts: dict[str, Any], name: ArrayNamer) -> None:
    """`x`, `y` and optionally `color`, all of shape [N]."""
    x = _required(arrays, 'x', ['N'], name)
    _same_shape(arrays, 'y', x, name, needed=True)
    _same_shape(arrays, 'color', x, name, needed=False)


def lines_arrays(arrays: Descriptors, opts: dict[str, Any], name: ArrayNamer) -> None:
    """`y` of shape [M]: one new value for each of the plot's M lines, 1 <= M <= MAX_LINES."""
    [lines] = _required(arrays, 'y', ['M'], name)['shape']
    if lines < 1 or lines > MAX_LINES:
        raise ArgumentError(f'{name("y")}: expected 1 to {MAX_LINES} lines (values), got {lines}')
    check_names_fit(opts, lines, name('y'))


def multilines_arrays(arrays: Descriptors, opts: dict[str, Any], name: ArrayNamer) -> None:
    """
    `x` and `y` of shape [L, P]: row l holds line l's P new points, L <= MAX_LINES; optionally
    `color` of shape [L], line l's colour value (one per line: a line is drawn in one colour).
    """
    x = _required(arrays, 'x', ['L', 'P'], name)
    _same_shape(arrays, 'y', x, name, needed=True)
    lines = x['shape'][0]
    if lines > MAX_LINES:
        raise ArgumentError(f'{name("x")}: expected at most {MAX_LINES} lines, got shape {_shape(x)}')
    check_names_fit(opts, lines, name('x'))
    color = _find(arrays, 'color')
    if color is not None and list(color['shape']) != [lines]:
        raise ArgumentError(f"{name('color')}: expected shape [{lines}] (one colour value per line of 'x'), got {_shape(color)}")


def cluster_arrays(arrays: Descriptors, opts: dict[str, Any], name: ArrayNamer) -> None:
    """`points` of shape [N, D], D the number of `columns`."""
    [_, dimension] = _required(arrays, 'points', ['N', 'D'], name)['shape']
    if dimension != len(opts['columns']):
        raise ArgumentError(f"{name('points')}: expected {len(opts['columns'])} coordinates per point (one per column of opts.columns), got {dimension}")


def _shape(array: dict[str, Any]) -> str:
    return f"[{', '.join(map(str, array['shape']))}]"


def _find(arrays: Descriptors, wanted: str) -> dict[str, Any] | None:
    return next((array for array in arrays if array['name'] == wanted), None)


def _required(arrays: Descriptors, wanted: str, dims: list[str], name: ArrayNamer) -> dict[str, Any]:
    """Array `wanted`, present with as many dimensions as `dims` names."""
    array = _find(arrays, wanted)
    if array is None:
        raise ArgumentError(f"{name(wanted)}: required, of shape [{', '.join(dims)}]")
    if len(array['shape']) != len(dims):
        raise ArgumentError(f"{name(wanted)}: expected shape [{', '.join(dims)}], got {_shape(array)}")
    return array


def _same_shape(arrays: Descriptors, wanted: str, like: dict[str, Any], name: ArrayNamer, *, needed: bool) -> None:
    """Array `wanted` (when present, or when `needed`) has the shape of `like`."""
    array = _find(arrays, wanted)
    if array is None:
        if needed:
            raise ArgumentError(f"{name(wanted)}: required, of shape {_shape(like)} like '{like['name']}'")
        return
    if list(array['shape']) != list(like['shape']):
        raise ArgumentError(f"{name(wanted)}: expected shape {_shape(like)} like '{like['name']}', got {_shape(array)}")
