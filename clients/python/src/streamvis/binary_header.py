"""Version 2 headers (docs/log-format.md, "Version 2 headers"), read as packages/format/src/binary-header.ts reads them, with the same reasons.

A version 2 header is binary, and what stays the same from one record of a plot to the next
(run, kind, plot, options, array names and dtypes) is declared once by a logger and referred
to by a small id afterwards. A reader keeps the declarations of the stream it reads.
"""

from __future__ import annotations

import re
from typing import Any

from .byte_cursor import ByteCursor
from .checks import MAX_SAFE_INTEGER, ArgumentError, Shown, check_finite, check_record_name
from .encoding import DTYPES
from .header import KIND_NAMERS, element_count
from .json_values import parse_json
from .kinds import CONTROL_KINDS, RECORD_KINDS
from .limits import MAX_BODY_BYTES, MAX_DECLARATIONS, MAX_DIMENSION_SIZE, MAX_DIMENSIONS, MAX_HEADER_BYTES

#: First byte of a version 2 header; a version 1 header is JSON text and starts with `{`.
BINARY_HEADER_MARK = 0x02
#: The header declares what its id stands for (and is whole on its own).
DECLARING = 0
#: The header refers to what an earlier header of the same logger declared.
REFERRING = 1
#: Kind codes: the index of the kind, fixed by the format.
KIND_CODES = ('layout', 'clear', 'scatter', 'lines', 'multilines', 'cluster')
#: Dtype codes: the index of the dtype.
DTYPE_CODES = ('float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32')
#: A logger id in a version 2 header: 8 bytes, written as their 16 lowercase hex digits elsewhere.
LOGGER_ID_BYTES = 8
LOGGER_ID = re.compile(r'[0-9a-f]{16}')

_KIND_CODE_NAMES = ', '.join(KIND_CODES)
_DTYPE_CODE_NAMES = ', '.join(DTYPE_CODES)
_ITEM_SIZES = {name: dtype.itemsize for name, dtype in DTYPES.items()}


class Declared:
    """What a declaring header said once for every record that refers to it."""

    __slots__ = ('run', 'kind', 'plot', 'opts', 'arrays', 'checked')

    def __init__(self, run: str, kind: str, plot: str | None, arrays: list[tuple[str, str]]) -> None:
        self.run = run
        self.kind = kind
        #: None for `layout` and `clear`.
        self.plot = plot
        #: The kind's options, parsed, without its per-record fields.
        self.opts: dict[str, Any] = {}
        #: Each array's name and dtype.
        self.arrays = arrays
        #: The shapes of the last record that used this declaration, already checked by the kind's arrays rule.
        self.checked: list[list[int]] | None = None


class Declarations:
    """
    The declarations a stream has made so far, by logger and id. A reader keeps one per stream
    (a log file, read from its start); a frame read alone (a Pub/Sub message) has an empty one,
    so only declaring headers read there.
    """

    def __init__(self) -> None:
        self._declared: dict[tuple[str, int], Declared] = {}

    def get(self, logger: str, id: int) -> Declared | None:
        return self._declared.get((logger, id))

    def set(self, logger: str, id: int, declared: Declared | None) -> None:
        if declared is None:
            self._declared.pop((logger, id), None)
        else:
            self._declared[(logger, id)] = declared


def parse_binary_header(data: bytes, start: int, end: int, body_bytes: int, declarations: Declarations) -> dict[str, Any]:
    """
    Checks the version 2 header `data[start:end]` (its mark at `start`) of a frame whose body is
    `body_bytes` long, with the declarations of the stream it is read from; a declaring header
    adds or replaces its declaration. Returns the header a version 1 record of the same content
    would have (with `v` 2); raises an ArgumentError naming the field.
    """
    cursor = ByteCursor(data, start + 1, end)
    form = cursor.u8('form')
    if form != DECLARING and form != REFERRING:
        raise ArgumentError(f'header.form: expected {DECLARING} (declaring) or {REFERRING} (referring), got {form}')
    logger = cursor.hex(LOGGER_ID_BYTES, 'logger')
    seq = cursor.varint('seq', MAX_SAFE_INTEGER)
    time = check_finite(cursor.f64('time'), 'header.time')
    id = cursor.varint('declaration', MAX_DECLARATIONS - 1)
    raw_opts: dict[str, Any] | None = None
    if form == DECLARING:
        # Whatever follows, the id no longer means what it meant: records referring to it must not get the old meaning.
        declarations.set(logger, id, None)
        declared, raw_opts = _read_declaration(cursor)
    else:
        found = declarations.get(logger, id)
        if found is None:
            raise ArgumentError(f'header.declaration: logger {logger} has not declared {id} earlier in this stream (its declaring record is missing or damaged)')
        declared = found
    schema = RECORD_KINDS[declared.kind]
    options_name, arrays_name = KIND_NAMERS[declared.kind]
    if raw_opts is not None:
        for field in schema.per_record:
            raw_opts[field] = cursor.f64(f'opts.{field}')
        opts = schema.options(raw_opts, options_name)
        declared.opts = without_fields(opts, schema.per_record)
    else:
        # The record's own options: a reader may change them without changing the declaration's.
        opts = dict(declared.opts)
        for field in schema.per_record:
            opts[field] = check_finite(cursor.f64(f'opts.{field}'), options_name(field))
    shapes, same = _read_shapes(cursor, declared, body_bytes)
    arrays = [{'name': name, 'dtype': dtype, 'shape': shape} for (name, dtype), shape in zip(declared.arrays, shapes)]
    if not same:
        schema.arrays(arrays, opts, arrays_name)
        declared.checked = shapes
    if form == DECLARING:
        declarations.set(logger, id, declared)
    header: dict[str, Any] = {'v': 2, 'run': declared.run, 'logger': logger, 'seq': seq, 'time': time, 'kind': declared.kind}
    if declared.plot is not None:
        header['plot'] = declared.plot
    header['opts'] = opts
    header['arrays'] = arrays
    return header


def _read_declaration(cursor: ByteCursor) -> tuple[Declared, dict[str, Any]]:
    """run, kind code, plot, options JSON, array count, then each array's name and dtype code."""
    run = check_record_name(cursor.string('run', MAX_HEADER_BYTES), 'header.run')
    code = cursor.u8('kind')
    if code >= len(KIND_CODES):
        raise ArgumentError(f'header.kind: expected a kind code 0..{len(KIND_CODES) - 1} ({_KIND_CODE_NAMES}), got {code}')
    kind = KIND_CODES[code]
    plot_text = cursor.string('plot', MAX_HEADER_BYTES)
    plot = None if kind in CONTROL_KINDS else check_record_name(plot_text, 'header.plot')
    opts_text = cursor.string('opts', MAX_HEADER_BYTES)
    try:
        raw_opts = parse_json(opts_text)
    except ValueError as error:
        # The detail in parentheses is Python's parser's, not JavaScript's.
        raise ArgumentError(f'header.opts: not JSON ({error})') from None
    if not isinstance(raw_opts, dict):
        raise ArgumentError('header.opts: expected a JSON object, got ', Shown(raw_opts))
    count = cursor.varint('arrays count', MAX_HEADER_BYTES)
    arrays: list[tuple[str, str]] = []
    names: set[str] = set()
    for i in range(count):
        name = check_record_name(cursor.string(f'arrays[{i}].name', MAX_HEADER_BYTES), f'header.arrays[{i}].name')
        if name in names:
            raise ArgumentError(f'header.arrays[{i}].name: ', Shown(name), ' names an earlier array too; names are unique in a record')
        names.add(name)
        dtype_code = cursor.u8(f'arrays[{i}].dtype')
        if dtype_code >= len(DTYPE_CODES):
            raise ArgumentError(f'header.arrays[{i}].dtype: expected a dtype code 0..{len(DTYPE_CODES) - 1} ({_DTYPE_CODE_NAMES}), got {dtype_code}')
        arrays.append((name, DTYPE_CODES[dtype_code]))
    return Declared(run, kind, plot, arrays), raw_opts


def _read_shapes(cursor: ByteCursor, declared: Declared, body_bytes: int) -> tuple[list[list[int]], bool]:
    """
    The record's shapes, and whether they are those last checked for the declaration (a plot's
    records usually have one shape, checked by the kind's arrays rule once).
    """
    checked = declared.checked
    same = checked is not None
    shapes = []
    total = 0
    for i, (_, dtype) in enumerate(declared.arrays):
        ndim = cursor.u8(f'arrays[{i}].shape')
        if ndim > MAX_DIMENSIONS:
            raise ArgumentError(f'header.arrays[{i}].shape: expected at most {MAX_DIMENSIONS} dimensions, got {ndim}')
        shape = [cursor.varint(f'arrays[{i}].shape[{d}]', MAX_DIMENSION_SIZE) for d in range(ndim)]
        if same and shape != checked[i]:
            same = False
        shapes.append(shape)
        # A sum of many large arrays stops growing past the limit, as the TypeScript reader's does.
        if total <= MAX_BODY_BYTES:
            total += element_count(shape) * _ITEM_SIZES[dtype]
    if total != body_bytes:
        need = f'more than {body_bytes}' if total > body_bytes else str(total)
        raise ArgumentError(f"header.arrays: the arrays take {need} body bytes, the frame's body has {body_bytes}")
    return shapes, same


def without_fields(opts: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """`opts` without the kind's per-record fields (a copy either way)."""
    return {key: value for key, value in opts.items() if key not in fields}
