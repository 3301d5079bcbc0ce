"""Argument and field checks: each raises an ArgumentError naming the argument or field (`where`) or returns the checked value.

The same rules and messages as the TypeScript format package (packages/format/src/checks.ts),
so a Python producer and a TypeScript one are told the same thing about the same mistake, and
the reader gives the TypeScript decoder's reasons word for word. Numbers follow JSON's (and
JavaScript's) idea of an integer: 2.0 is the integer 2. Lengths of strings are JavaScript's
too: UTF-16 code units, so a character outside the Basic Multilingual Plane counts 2.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, Callable, TypeVar, Union

import numpy as np

from .encoding import escape_lone_surrogates, javascript_number, to_json
from .limits import MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH

T = TypeVar('T')

#: The largest integer a JSON reader in JavaScript holds exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1
#: Characters of a string value, and items of a list, shown in a message: a value never makes a message long.
SHOWN_CHARS = 40
SHOWN_ITEMS = 6


class _Absent:
    """The value of a field a record does not have: JavaScript's undefined (JSON's null is None)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return 'ABSENT'


ABSENT: Any = _Absent()


class Shown:
    """A value an error message shows, described in the words of whoever reads the message (see ArgumentError)."""

    __slots__ = ('value',)

    def __init__(self, value: Any) -> None:
        self.value = value


MessagePart = Union[str, Shown]


class ArgumentError(ValueError):
    """
    A logger call got a bad argument, or a record a bad field. The message starts with the call
    and argument (`scatter(data): ...`) or the field (`header.seq: ...`), then says the rule and
    the value; it is cut to MAX_MESSAGE_LENGTH characters.

    The message describes the values it shows as Python writes them (None, True); `reason` is
    the same message with the values as the TypeScript decoder describes a record's JSON values
    (null, true, undefined for a field that is not there): its reason, word for word.
    """

    def __init__(self, *parts: MessagePart) -> None:
        self.parts = parts
        # Python prints no half of a surrogate pair: the message is cut before one.
        super().__init__(_cut(''.join(part if isinstance(part, str) else _python_text(part) for part in parts), whole_pairs=True))

    @property
    def reason(self) -> str:
        return _cut(''.join(part if isinstance(part, str) else _json_text(part) for part in self.parts))


def utf16_length(text: str) -> int:
    """A string's length as JavaScript counts it: UTF-16 code units."""
    return len(text) if text.isascii() else len(text.encode('utf-16-le', 'surrogatepass')) // 2


def utf16_prefix(text: str, units: int) -> str:
    """The first `units` UTF-16 code units of a string, as JavaScript's `slice` cuts it (maybe between the halves of a pair)."""
    if text.isascii():
        return text[:units]
    return text.encode('utf-16-le', 'surrogatepass')[:2 * units].decode('utf-16-le', 'surrogatepass')


def _cut(message: str, whole_pairs: bool = False) -> str:
    """A message cut to MAX_MESSAGE_LENGTH UTF-16 code units as JavaScript cuts it (maybe between the halves of a pair, unless `whole_pairs`)."""
    if len(message) <= MAX_MESSAGE_LENGTH // 2 or utf16_length(message) <= MAX_MESSAGE_LENGTH:
        return message
    kept = utf16_prefix(message, MAX_MESSAGE_LENGTH - 3)
    if whole_pairs and '\ud800' <= kept[-1:] <= '\udbff':
        kept = kept[:-1]
    return kept + '...'


def describe(value: Any) -> str:
    """
    A short description of a value for an error message, as Python writes it: strings quoted
    and cut, lists and tuples by their first items (nested ones as `[...]`, never walked), other
    objects by their type.
    """
    return _describe(value, _python_scalar)


def describe_json(value: Any) -> str:
    """`describe` in the TypeScript decoder's words, for a value of a record's JSON: null, true, 1e+21, Object; undefined for ABSENT."""
    return _describe(value, _json_scalar)


def _describe(value: Any, scalar: Callable[[Any], str]) -> str:
    if isinstance(value, (list, tuple)):
        shown = [('[]' if len(item) == 0 else '[...]') if isinstance(item, (list, tuple)) else scalar(item) for item in value[:SHOWN_ITEMS]]
        if len(value) > SHOWN_ITEMS:
            shown.append(f'... ({len(value)} items)')
        return f"[{', '.join(shown)}]"
    return scalar(value)


def _quoted(text: str) -> str:
    units = utf16_length(text)
    if units <= SHOWN_CHARS:
        return escape_lone_surrogates(to_json(text))
    return f'{escape_lone_surrogates(to_json(utf16_prefix(text, SHOWN_CHARS)))[:-1]}..." ({units} characters)'


def _python_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _quoted(value)
    if value is None or isinstance(value, (bool, numbers.Number)):
        return str(value)
    return type(value).__name__


def _json_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _quoted(value)
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)  # the reader holds integers past 2^53 as floats, as JavaScript does
    if isinstance(value, float):
        if math.isfinite(value):
            return javascript_number(value)
        return 'NaN' if math.isnan(value) else 'Infinity' if value > 0 else '-Infinity'
    if value is ABSENT:
        return 'undefined'
    return 'Object'


def _python_text(part: Shown) -> str:
    return describe(part.value)


def _json_text(part: Shown) -> str:
    return describe_json(part.value)


def as_integer(value: Any) -> int | None:
    """`value` as an int when it is a whole number a JSON reader holds exactly (bools are not numbers), else None."""
    if type(value) is int:  # the common case, without the abstract classes' slower checks
        return value if abs(value) <= MAX_SAFE_INTEGER else None
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
    return type(value) in (int, float) or (isinstance(value, numbers.Real) and not isinstance(value, bool))


def _is_finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int past the floats: JavaScript reads its digits as Infinity
        return False


def check_integer(value: Any, where: str, minimum: int) -> int:
    whole = as_integer(value)
    if whole is None or whole < minimum:
        raise ArgumentError(f'{where}: expected an integer >= {minimum}, got ', Shown(value))
    return whole


def check_finite(value: Any, where: str) -> int | float:
    if not is_number(value) or not _is_finite(value):
        raise ArgumentError(f'{where}: expected a finite number, got ', Shown(value))
    if type(value) in (int, float):
        return value
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def check_positive(value: Any, where: str) -> int | float:
    number = check_finite(value, where)
    if number <= 0:
        raise ArgumentError(f'{where}: expected a number > 0, got ', Shown(value))
    return number


def check_boolean(value: Any, where: str) -> bool:
    # numpy's bool is not a Python bool, but is one to the user.
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f'{where}: expected true or false, got ', Shown(value))
    return bool(value)


def check_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or value == '':
        raise ArgumentError(f'{where}: expected a non-empty string, got ', Shown(value))
    return value


def check_record_name(value: Any, where: str) -> str:
    """A name a record carries (run, logger, plot, array, cluster column): non-empty, at most MAX_NAME_LENGTH long."""
    # A string is at most twice as long in UTF-16 as in Python's characters.
    if not isinstance(value, str) or value == '' or (len(value) > MAX_NAME_LENGTH // 2 and utf16_length(value) > MAX_NAME_LENGTH):
        raise ArgumentError(f'{where}: expected a non-empty string of at most {MAX_NAME_LENGTH} characters, got ', Shown(value))
    return value


def check_axis(value: Any, ndim: int, where: str) -> int:
    """An axis of an array of `ndim` dimensions."""
    axis = as_integer(value)
    if axis is None or axis < 0 or axis >= ndim:
        raise ArgumentError(f'{where}: expected an axis 0..{ndim - 1} of the {ndim}-d data, got ', Shown(value))
    return axis


def check_rollover(value: Any, where: str) -> int:
    """Points a plot keeps: an integer >= 1."""
    return check_integer(value, where, 1)


def check_optional(value: Any, where: str, check: Callable[[Any, str], T]) -> T | None:
    """`check(value, where)` unless the field is absent (ABSENT; JSON's null is a value, and checked)."""
    return None if value is ABSENT else check(value, where)


def check_options_object(options: Any, where: str) -> Mapping[str, Any]:
    """An options object, its fields still to be checked one by one."""
    if type(options) is not dict and not isinstance(options, Mapping):
        raise ArgumentError(f'{where}: expected an options object, got ', Shown(options))
    return options
