"""Header JSON read as JavaScript's JSON.parse reads it, so the reader sees the values the TypeScript decoder sees.

Integers past 2^53 become the floats JavaScript makes of them (a 400-digit one is Infinity),
NaN and Infinity are not JSON, and any nesting parses: the C parser of Python's json module
recurses, so a header nested deeper than it goes is parsed again by a loop over a stack of the
containers open (docs/log-format.md: a reader must parse any nesting within H).
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Any


def _javascript_integer(text: str) -> int | float:
    # 15 digits are within 2^53, where JavaScript holds an integer exactly; past it, it rounds to a float.
    if len(text) <= 15:
        return int(text)
    value = float(text)
    return int(value) if abs(value) <= 2**53 else value


def _not_json(constant: str) -> Any:
    raise ValueError(f'{constant} is not JSON')


_decode = json.JSONDecoder(parse_int=_javascript_integer, parse_constant=_not_json).decode


def parse_json(text: str) -> Any:
    """The JSON value of `text`; raises ValueError saying why it is not JSON."""
    try:
        return _decode(text)
    except RecursionError:
        return _parse_nested(text)


_WHITESPACE = re.compile(r'[ \t\n\r]*')
_NUMBER = re.compile(r'-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?')
_LITERALS = {'true': True, 'false': False, 'null': None}


def _skip(text: str, at: int) -> int:
    return _WHITESPACE.match(text, at).end()


def _parse_nested(text: str) -> Any:
    """JSON of any nesting, by a loop: `filling` holds each container being filled, with the key its next value goes to."""
    filling: list[list[Any]] = []
    at = _skip(text, 0)
    while True:
        # A value starts at `at`.
        char = text[at:at + 1]
        if char in ('[', '{'):
            container: Any = [] if char == '[' else {}
            at = _skip(text, at + 1)
            if text[at:at + 1] != (']' if char == '[' else '}'):
                filling.append([container, None])
                if char == '{':
                    at = _key(text, at, filling[-1])
                continue
            value, at = container, at + 1
        elif char == '"':
            value, at = scanstring(text, at + 1)
        elif number := _NUMBER.match(text, at):
            value = float(number[0]) if number[1] or number[2] else _javascript_integer(number[0])
            at = number.end()
        else:
            literal = next((word for word in _LITERALS if text.startswith(word, at)), None)
            if literal is None:
                raise ValueError(f'expected a value at character {at}')
            value, at = _LITERALS[literal], at + len(literal)
        # The value ends at `at`: it goes into the innermost filling container, which may close in turn.
        while True:
            at = _skip(text, at)
            if not filling:
                if at != len(text):
                    raise ValueError(f'unexpected character {text[at]!r} at character {at} after the value')
                return value
            innermost = filling[-1]
            container = innermost[0]
            if isinstance(container, list):
                container.append(value)
            else:
                container[innermost[1]] = value
            char = text[at:at + 1]
            if char == ',':
                at = _skip(text, at + 1)
                if isinstance(container, dict):
                    at = _key(text, at, innermost)
                break
            if char != (']' if isinstance(container, list) else '}'):
                raise ValueError(f'expected , or a closing bracket at character {at}')
            filling.pop()
            value, at = container, at + 1


def _key(text: str, at: int, innermost: list[Any]) -> int:
    """Reads `"key":` at `at` into the filling object's entry; returns where its value starts."""
    if text[at:at + 1] != '"':
        raise ValueError(f'expected a property name at character {at}')
    innermost[1], at = scanstring(text, at + 1)
    at = _skip(text, at)
    if text[at:at + 1] != ':':
        raise ValueError(f"expected ':' at character {at}")
    return _skip(text, at + 1)
