"""Checks a version 1 (JSON) header against the format and its kind's schema.

The rules and their order are docs/log-format.md's rule 7 ("Header", "Arrays and the body",
"Kinds"), as packages/format/src/header.ts applies them, with the same reasons.
"""

from __future__ import annotations

from typing import Any

from .array_rules import record_arrays
from .checks import ABSENT, ArgumentError, Shown, check_finite, check_integer, check_record_name, is_number
from .encoding import DTYPES, FORMAT_VERSION
from .kinds import CONTROL_KINDS, RECORD_KINDS
from .limits import MAX_BODY_BYTES, MAX_DIMENSION_SIZE, MAX_DIMENSIONS
from .options import record_options

#: How the reasons name each kind's options and arrays, made once (every record is checked).
KIND_NAMERS = {kind: (record_options(kind), record_arrays(kind)) for kind in RECORD_KINDS}
_KIND_NAMES = ', '.join(RECORD_KINDS)
_DTYPE_NAMES = ', '.join(DTYPES)


def parse_header(parsed: Any, body_bytes: int) -> dict[str, Any]:
    """
    Checks a parsed header for a frame whose body is `body_bytes` long; raises an ArgumentError
    naming the field, its value and the rule it breaks. Returns the header with its options
    replaced by the kind's parsed options and its shapes as ints; fields a reader does not know
    stay in it, never looked into.
    """
    if not isinstance(parsed, dict):
        raise ArgumentError('header: expected a JSON object, got ', Shown(parsed))
    fields = parsed
    version = fields.get('v', ABSENT)
    if not is_number(version) or version != FORMAT_VERSION:
        raise ArgumentError(f'header.v: expected {FORMAT_VERSION} (the format version this reader reads), got ', Shown(version))
    check_record_name(fields.get('run', ABSENT), 'header.run')
    check_record_name(fields.get('logger', ABSENT), 'header.logger')
    check_integer(fields.get('seq', ABSENT), 'header.seq', 0)
    check_finite(fields.get('time', ABSENT), 'header.time')
    kind = fields.get('kind', ABSENT)
    if not isinstance(kind, str) or kind not in RECORD_KINDS:
        raise ArgumentError(f'header.kind: expected one of {_KIND_NAMES}, got ', Shown(kind))
    if kind not in CONTROL_KINDS:
        check_record_name(fields.get('plot', ABSENT), 'header.plot')
    arrays = _check_descriptors(fields.get('arrays', ABSENT), body_bytes)
    schema = RECORD_KINDS[kind]
    options_name, arrays_name = KIND_NAMERS[kind]
    fields['opts'] = schema.options(fields.get('opts', ABSENT), options_name)
    schema.arrays(arrays, fields['opts'], arrays_name)
    return fields


def _check_descriptors(value: Any, body_bytes: int) -> list[dict[str, Any]]:
    """The array descriptors: distinct names, known dtypes, shapes within the bounds, adding up to the body's length."""
    if not isinstance(value, list):
        raise ArgumentError('header.arrays: expected a list of {name, dtype, shape}, got ', Shown(value))
    seen: set[str] = set()
    total = 0
    for i, item in enumerate(value):
        if total > body_bytes:
            break  # as the TypeScript check stops: the later descriptors are not looked at
        if not isinstance(item, dict):
            raise ArgumentError(f'header.arrays[{i}]: expected {{name, dtype, shape}}, got ', Shown(item))
        name = check_record_name(item.get('name', ABSENT), f'header.arrays[{i}].name')
        if name in seen:
            raise ArgumentError(f'header.arrays[{i}].name: ', Shown(name), ' names an earlier array too; names are unique in a record')
        seen.add(name)
        dtype = item.get('dtype', ABSENT)
        if not isinstance(dtype, str) or dtype not in DTYPES:
            raise ArgumentError(f'header.arrays[{i}].dtype: expected one of {_DTYPE_NAMES}, got ', Shown(dtype))
        item['shape'] = _check_shape(item.get('shape', ABSENT), i)
        total += element_count(item['shape']) * DTYPES[dtype].itemsize
    if total != body_bytes:
        need = f'more than {body_bytes}' if total > body_bytes else str(total)
        raise ArgumentError(f"header.arrays: the arrays take {need} body bytes, the frame's body has {body_bytes}")
    return value


def _check_shape(shape: Any, descriptor: int) -> list[int]:
    where = f'header.arrays[{descriptor}].shape'
    if not isinstance(shape, list):
        raise ArgumentError(f'{where}: expected a list of sizes, got ', Shown(shape))
    if len(shape) > MAX_DIMENSIONS:
        raise ArgumentError(f'{where}: expected at most {MAX_DIMENSIONS} dimensions, got {len(shape)}')
    sizes = []
    for d, size in enumerate(shape):
        whole = type(size) is int or (type(size) is float and size.is_integer())
        if not whole or size < 0 or size > MAX_DIMENSION_SIZE:
            raise ArgumentError(f'{where}[{d}]: expected an integer 0..{MAX_DIMENSION_SIZE}, got ', Shown(size))
        sizes.append(int(size))
    return sizes


def element_count(shape: list[int]) -> int:
    """Elements of an array of this shape, or a number past MAX_BODY_BYTES when there are more than that."""
    if 0 in shape:
        return 0
    count = 1
    for size in shape:
        count *= size
        if count > MAX_BODY_BYTES:
            return MAX_BODY_BYTES + 1
    return count
