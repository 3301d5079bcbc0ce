"""Normalises a data argument (numpy arrays of any shape and dtype, nested lists, torch/jax arrays) to float32 or float64.

float32 data stays float32; every other real dtype becomes float64, as the TypeScript logger
writes Float32Array data as float32 and everything else as float64. Nothing is copied when
the data is already float32 or float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .checks import ArgumentError, describe


def read_ndarray(value: Any, where: str) -> np.ndarray:
    """The data as a float32 or float64 array of at least one dimension (see `float_name`); values are not checked (see `check_all_finite`)."""
    if value is None or isinstance(value, (str, bytes, dict)):
        raise ArgumentError(f'{where}: expected an array of numbers (numpy, nested lists, or anything with __array__), got {describe(value)}')
    try:
        # __array__ (torch, jax, ...) is honoured here; a CUDA tensor says to call .cpu() first.
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise ArgumentError(f'{where}: ragged nested array ({error})') from None
    if array.ndim == 0:
        raise ArgumentError(f'{where}: expected an array, got the single value {describe(value)}')
    if array.dtype.kind == 'f' and array.dtype.itemsize in (4, 8):
        return array  # float32 or float64, in either byte order: the frame's copy makes it little-endian
    if array.dtype.kind in 'iuf':
        return array.astype(np.float64)
    raise ArgumentError(f'{where}: expected numbers, got an array of {array.dtype}')


def to_ndarray(value: Any, where: str) -> np.ndarray:
    """`read_ndarray`, then every value checked finite."""
    array = read_ndarray(value, where)
    check_all_finite(array, where)
    return array


def check_all_finite(array: np.ndarray, where: str) -> None:
    """Raises naming the argument and the index of the first value that is not finite."""
    finite = np.isfinite(array)
    if finite.all():
        return
    index = np.unravel_index(int(np.argmin(finite)), array.shape)
    path = ''.join(f'[{i}]' for i in index)
    raise ArgumentError(f'{where}: non-finite value {array[index]} at {path}')


def float_name(array: np.ndarray) -> str:
    """The format's dtype of an array from `read_ndarray`: 'float32' or 'float64'."""
    return 'float32' if array.dtype.itemsize == 4 else 'float64'
