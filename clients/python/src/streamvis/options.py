"""Each record kind's options (`opts` in the header): one parser per kind, for the logger and the reader.

The rules are packages/format/src/options/*.ts's. A parser gets a `name` function that names a
field in error messages: the logger says `scatter(rollover)`, the reader `scatter opts.rollover`.
A field that is not there is ABSENT (a record's null is a value, checked as such); the logger
passes only the options a call was given (`given`). Parsers return the options in the order
the TypeScript logger writes them, without absent ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Callable

from .checks import (
    ABSENT,
    ArgumentError,
    Shown,
    as_integer,
    check_boolean,
    check_finite,
    check_integer,
    check_options_object,
    check_optional,
    check_positive,
    check_record_name,
    check_rollover,
)
from .encoding import javascript_key_order
from .limits import MAX_LINES, MAX_PLOTS_PER_RUN
from .palettes import check_palette

#: Names a field (or, given None, the options as a whole) in an error message.
FieldNamer = Callable[[str | None], str]

#: The look options' names: how a plot is labelled and scaled on the page (the latest record that gives one sets it).
LOOK_OPTIONS = ('title', 'xLabel', 'yLabel', 'xScale', 'yScale', 'names', 'colorLabel')
#: An axis' scales on the page.
AXIS_SCALES = ('linear', 'log')
#: Columns every cluster row has besides the center's coordinates; data columns may not take these names.
CLUSTER_ROW_COLUMNS = ('id', 'count')
#: How the server's clusterer finds clusters, and the distance it uses.
CLUSTER_ALGORITHMS = ('kmeans', 'meanshift')
CLUSTER_SPACES = ('euclidean', 'cosine')
#: Bounds on what a record may ask of the server's clusterer (its frame is allocated up front).
MAX_FRAME_SIZE = 1_000_000
MAX_K = 100


def record_options(kind: str) -> FieldNamer:
    """Names the options of a decoded record: `scatter opts.rollover`, `scatter opts`."""
    return lambda field: f'{kind} opts' if field is None else f'{kind} opts.{field}'


def call_arguments(method: str, renamed: Mapping[str, str] | None = None) -> FieldNamer:
    """Names the arguments of a logger call: the option `kMin` is `cluster(k_min)`."""
    names: dict[str | None, str] = {None: f'{method}()'}

    def name(field: str | None) -> str:
        # Asked for every field of every call, named or not: made once each.
        if field not in names:
            names[field] = f'{method}({(renamed or {}).get(field) or _snake_case(field)})'
        return names[field]

    return name


def _snake_case(field: str) -> str:
    return re.sub(r'([A-Z])', r'_\1', field).lower()


def given(**fields: Any) -> dict[str, Any]:
    """
    The fields not None: the options a logger call was given (None is Python's "not given"), or
    the options checked (no check returns None), so headers carry only the options given.
    """
    return {key: value for key, value in fields.items() if value is not None}


def parse_series_options(fields: Mapping[str, Any], name: FieldNamer) -> dict[str, Any]:
    """Options every data kind but `cluster` may carry: rollover (points kept), palette, and the look options."""

    def field(key: str, check: Callable[[Any, str], Any]) -> Any:
        return check_optional(fields.get(key, ABSENT), name(key), check)

    # Checked, and written, in the TypeScript parser's order.
    return given(
        rollover=field('rollover', check_rollover),
        palette=field('palette', check_palette),
        title=field('title', check_record_name),
        xLabel=field('xLabel', check_record_name),
        yLabel=field('yLabel', check_record_name),
        colorLabel=field('colorLabel', check_record_name),
        xScale=field('xScale', _check_scale),
        yScale=field('yScale', _check_scale),
        names=check_optional(fields.get('names', ABSENT), name('names'), lambda value, where: _check_names(value, where, name)),
    )


def check_names_fit(opts: Mapping[str, Any], lines: int, where: str) -> None:
    """`names`, when given, name exactly the record's `lines` lines."""
    names = opts.get('names')
    if names is not None and len(names) != lines:
        raise ArgumentError(f"{where}: {len(names)} names for {lines} line{'' if lines == 1 else 's'}")


def _check_scale(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in AXIS_SCALES:
        raise ArgumentError(f"{where}: expected 'linear' or 'log', got ", Shown(value))
    return value


def _check_names(value: Any, where: str, name: FieldNamer) -> list[str]:
    if not isinstance(value, (list, tuple)) or len(value) == 0 or len(value) > MAX_LINES:
        raise ArgumentError(f'{where}: expected 1 to {MAX_LINES} line names, got ', Shown(value))
    return [check_record_name(item, name(f'names[{i}]')) for i, item in enumerate(value)]


def parse_append_options(opts: Any, name: FieldNamer) -> dict[str, Any]:
    """scatter and multilines: `append` adds the record's points, or replaces the plot's data."""
    fields = check_options_object(opts, name(None))
    return {'append': check_boolean(fields.get('append', ABSENT), name('append')), **parse_series_options(fields, name)}


def parse_lines_options(opts: Any, name: FieldNamer) -> dict[str, Any]:
    """lines: `x` is the step shared by the new point of every line."""
    fields = check_options_object(opts, name(None))
    return {'x': check_finite(fields.get('x', ABSENT), name('x')), **parse_series_options(fields, name)}


def parse_cluster_options(opts: Any, name: FieldNamer) -> dict[str, Any]:
    """cluster: the points' column names and how the server clusters them online."""
    fields = check_options_object(opts, name(None))
    k, k_min, k_max = (fields.get(field, ABSENT) for field in ('k', 'kMin', 'kMax'))
    if k is not ABSENT and (k_min is not ABSENT or k_max is not ABSENT):
        raise ArgumentError(f'{name("k")}: give either k or kMin/kMax, not both')
    algorithm = check_optional(fields.get('algorithm', ABSENT), name('algorithm'), lambda v, where: _one_of(v, CLUSTER_ALGORITHMS, where))
    # Each algorithm's own options only: a k given to mean shift (or a bandwidth to k-means) would be ignored in silence.
    mean_shift = algorithm == 'meanshift'
    foreign = ('k', 'kMin', 'kMax') if mean_shift else ('bandwidth', 'minClusterSize')
    for field in foreign:
        if fields.get(field, ABSENT) is not ABSENT:
            why = 'meanshift (it finds the number of clusters itself)' if mean_shift else "kmeans (give algorithm: 'meanshift')"
            raise ArgumentError(f'{name(field)}: not an option of {why}')

    def clusters(value: Any, field: str, minimum: int) -> int | None:
        return check_optional(value, name(field), lambda v, where: _at_most(check_integer(v, where, minimum), MAX_K, where))

    checked_min = clusters(k_min, 'kMin', 1)
    return given(
        columns=_check_columns(fields.get('columns', ABSENT), name),
        k=clusters(k, 'k', 1),
        kMin=checked_min,
        kMax=clusters(k_max, 'kMax', max(1, checked_min or 1)),
        frameSize=check_optional(fields.get('frameSize', ABSENT), name('frameSize'), lambda v, where: _at_most(check_integer(v, where, 1), MAX_FRAME_SIZE, where)),
        gate=check_optional(fields.get('gate', ABSENT), name('gate'), check_positive),
        maxAge=check_optional(fields.get('maxAge', ABSENT), name('maxAge'), lambda v, where: check_integer(v, where, 0)),
        maxAgeMs=check_optional(fields.get('maxAgeMs', ABSENT), name('maxAgeMs'), lambda v, where: check_integer(v, where, 0)),
        seed=check_optional(fields.get('seed', ABSENT), name('seed'), lambda v, where: check_integer(v, where, 0)),
        algorithm=algorithm,
        space=check_optional(fields.get('space', ABSENT), name('space'), lambda v, where: _one_of(v, CLUSTER_SPACES, where)),
        bandwidth=check_optional(fields.get('bandwidth', ABSENT), name('bandwidth'), check_positive),
        minClusterSize=check_optional(fields.get('minClusterSize', ABSENT), name('minClusterSize'), lambda v, where: check_integer(v, where, 1)),
    )


def _one_of(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        expected = ' or '.join(f"'{choice}'" for choice in allowed)
        raise ArgumentError(f'{where}: expected {expected}, got ', Shown(value))
    return value


def parse_clear_options(opts: Any, name: FieldNamer) -> dict[str, Any]:
    """clear: the plots named (distinct, at most MAX_PLOTS_PER_RUN) lose their data; every plot of the run when `plots` is absent."""
    plots = check_options_object(opts, name(None)).get('plots', ABSENT)
    if plots is ABSENT:
        return {}
    if not isinstance(plots, (list, tuple)) or len(plots) == 0 or len(plots) > MAX_PLOTS_PER_RUN:
        raise ArgumentError(f'{name("plots")}: expected 1 to {MAX_PLOTS_PER_RUN} plot names, got ', Shown(plots))
    seen: dict[str, None] = {}
    for i, plot in enumerate(plots):
        check_record_name(plot, name(f'plots[{i}]'))
        if plot in seen:
            raise ArgumentError(f'{name(f"plots[{i}]")}: ', Shown(plot), ' is named twice')
        seen[plot] = None
    return {'plots': list(seen)}


def parse_layout_options(opts: Any, name: FieldNamer) -> dict[str, Any]:
    """layout: where each plot sits on the page's grid."""
    return {'cells': check_layout(check_options_object(opts, name(None)).get('cells', ABSENT), name('cells'))}


def check_layout(cells: Any, where: str) -> dict[str, list[int]]:
    """
    A layout, plot -> [top, left, height, width] grid cells: 1 to MAX_PLOTS_PER_RUN plots,
    whole cells, none overlapping. Plots are checked in the order a JavaScript object holds
    them, so the first error is the TypeScript check's.
    """
    if not isinstance(cells, Mapping):
        raise ArgumentError(f'{where}: expected an object of plot -> [top, left, height, width], got ', Shown(cells))
    for key in cells:  # JSON's keys are strings; a Python mapping's need not be
        if not isinstance(key, str):
            raise ArgumentError(f'{where}: plot names must be strings, got ', Shown(key))
    plots = javascript_key_order(cells)
    if not plots:
        raise ArgumentError(f'{where}: the layout has no plots')
    if len(plots) > MAX_PLOTS_PER_RUN:
        raise ArgumentError(f'{where}: expected at most {MAX_PLOTS_PER_RUN} plots, got {len(plots)}')
    checked: dict[str, list[int]] = {}
    for plot in plots:
        check_record_name(plot, f'{where}: plot name')
        cell = cells[plot]
        whole = [as_integer(n) for n in cell] if isinstance(cell, (list, tuple)) and len(cell) == 4 else None
        if whole is None or None in whole or whole[0] < 0 or whole[1] < 0 or whole[2] < 1 or whole[3] < 1:
            raise ArgumentError(f"{where}: plot '{plot}' needs [top, left, height, width] with top, left >= 0 and height, width >= 1, got ", Shown(cell))
        checked[plot] = whole
    overlap = _first_overlap(checked)
    if overlap is not None:
        raise ArgumentError(f"{where}: plots '{overlap[0]}' and '{overlap[1]}' overlap")
    return checked


def _first_overlap(cells: dict[str, list[int]]) -> tuple[str, str] | None:
    """
    Two plots whose cells overlap, if any (the pair the TypeScript check names). Cells sorted by
    top are compared only with those starting above their bottom, so a grid of R rows costs
    about cells x cells / R.
    """
    by_top = sorted(cells.items(), key=lambda item: item[1][0])
    for i, (plot, (top, left, height, width)) in enumerate(by_top):
        for other, (other_top, other_left, _, other_width) in by_top[i + 1:]:
            if other_top >= top + height:
                break
            if other_left < left + width and left < other_left + other_width:
                return plot, other
    return None


def _check_columns(columns: Any, name: FieldNamer) -> list[str]:
    where = name('columns')
    if not isinstance(columns, (list, tuple)) or len(columns) == 0:
        raise ArgumentError(f'{where}: expected a non-empty list of column names, got ', Shown(columns))
    for i, column in enumerate(columns):
        check_record_name(column, name(f'columns[{i}]'))
    if len(set(columns)) != len(columns):
        raise ArgumentError(f'{where}: expected distinct column names, got ', Shown(columns))
    reserved = next((c for c in columns if c in CLUSTER_ROW_COLUMNS), None)
    if reserved is not None:
        raise ArgumentError(f"{where}: '{reserved}' is reserved (the bubble rows carry {' and '.join(CLUSTER_ROW_COLUMNS)})")
    return list(columns)


def _at_most(value: int, maximum: int, where: str) -> int:
    if value > maximum:
        raise ArgumentError(f'{where}: at most {maximum}, got {value}')
    return value
