"""Every record kind with its schema: the one list of kinds (packages/format/src/kinds.ts).

The reader accepts exactly these kinds and checks each record with its kind's schema; the
logger checks every record it writes with the same schema. `layout` and `clear` are control
kinds: about the run's plots, with no `plot` field of their own.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .array_rules import ArraysRule, cluster_arrays, layout_arrays, lines_arrays, multilines_arrays, scatter_arrays
from .options import FieldNamer, parse_append_options, parse_clear_options, parse_cluster_options, parse_layout_options, parse_lines_options


class KindSchema(NamedTuple):
    """What a record of one kind must hold: its options (parsed, fields the parser does not know dropped) and its arrays."""

    options: Callable[[Any, FieldNamer], dict[str, Any]]
    arrays: ArraysRule
    #: Numeric options that change with every record (a `lines` step): a version 2 header
    #: carries them as binary numbers in each record, the other options once per declaration.
    per_record: tuple[str, ...] = ()


RECORD_KINDS: dict[str, KindSchema] = {
    'layout': KindSchema(parse_layout_options, layout_arrays),
    'clear': KindSchema(parse_clear_options, layout_arrays),
    'scatter': KindSchema(parse_append_options, scatter_arrays),
    'lines': KindSchema(parse_lines_options, lines_arrays, ('x',)),
    'multilines': KindSchema(parse_append_options, multilines_arrays),
    'cluster': KindSchema(parse_cluster_options, cluster_arrays),
}

#: Kinds about the run's plots rather than one plot's data: `layout` places them, `clear` empties them.
CONTROL_KINDS = frozenset({'layout', 'clear'})
