"""Argument checks: each raises an ArgumentError naming the argument (`where`) or returns the checked value.

The same rules and messages as the TypeScript format package (packages/format/src/checks.ts),
so a Python producer and a TypeScript one are told the same thing about the same mistake.
Numbers follow JSON's (and JavaScript's) idea of an integer: 2.0 is the integer 2.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from typing import Any, Callable, TypeVar

import numpy as np

T = TypeVar('T')

#: The largest integer a JSON reader in JavaScript holds exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1


class ArgumentError(ValueError):
    """A logger call got a bad argument. The message starts with the call and argument, e.g. `scatter(data): ...`."""


def describe(value: Any) -> str:
    """A short description of a value for an error message (never the whole of a large one)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return '[' + ', '.join(describe(v) for v in value) + ']'
    if value is None or isinstance(value, (bool, numbers.Number)):
        return str(value)
    return type(value).__name__


def as_integer(value: Any) -> int | None:
    """`value` as an int when it is a whole number a JSON reader holds exactly (bools are not numbers), else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        whole = int(value)
    else:
        real = float(value)
        if not real.is_integer():
            return None
        whole = int(real)
    return whole if abs(whole) <= MAX_SAFE_INTEGER else None


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_integer(value: Any, where: str, minimum: int) -> int:
    whole = as_integer(value)
    if whole is None or whole < minimum:
        raise ArgumentError(f'{where}: expected an integer >= {minimum}, got {describe(value)}')
    return whole


def check_finite(value: Any, where: str) -> int | float:
    if not is_number(value) or not math.isfinite(value):
        raise ArgumentError(f'{where}: expected a finite number, got {describe(value)}')
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def check_positive(value: Any, where: str) -> int | float:
    number = check_finite(value, where)
    if number <= 0:
        raise ArgumentError(f'{where}: expected a number > 0, got {describe(value)}')
    return number


def check_boolean(value: Any, where: str) -> bool:
    # numpy's bool is not a Python bool, but is one to the user.
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f'{where}: expected True or False, got {describe(value)}')
    return bool(value)


def check_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or value == '':
        raise ArgumentError(f'{where}: expected a non-empty string, got {describe(value)}')
    return value


def check_axis(value: Any, ndim: int, where: str) -> int:
    """An axis of an array of `ndim` dimensions."""
    axis = as_integer(value)
    if axis is None or axis < 0 or axis >= ndim:
        raise ArgumentError(f'{where}: expected an axis 0..{ndim - 1} of the {ndim}-d data, got {describe(value)}')
    return axis


def check_rollover(value: Any, where: str) -> int:
    """Points a plot keeps: an integer >= 1."""
    return check_integer(value, where, 1)


def check_optional(value: Any, where: str, check: Callable[[Any, str], T]) -> T | None:
    """`check(value, where)` unless the value is absent (None)."""
    return None if value is None else check(value, where)


def check_options_object(options: Any, where: str) -> Mapping[str, Any]:
    """An options object, its fields still to be checked one by one."""
    if not isinstance(options, Mapping):
        raise ArgumentError(f'{where}: expected an options object, got {describe(options)}')
    return options
