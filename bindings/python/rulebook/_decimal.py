"""Exact decimal text through the library (rulebook_decimal_*): the same
parsing, comparison, arithmetic and rounding the library applies to its
own figures, with no binary floating point and no locale."""
from __future__ import annotations

import ctypes
from decimal import Decimal
from typing import Optional, Union

from ._errors import InvalidArgumentError, Status, raise_status
from ._lib import lib, thread_error

__all__ = ["decimal_parse", "decimal_compare", "decimal_calc", "decimal_format"]

DecimalLike = Union[str, int, Decimal]

#: Rounding modes of decimal_format (rulebook_rounding).
ROUNDINGS = {"half_up": 0, "half_even": 1, "down": 2, "floor": 3, "ceiling": 4}
_OPS = {"+": 0, "-": 1, "*": 2, "/": 3}
_THOUSANDS, _FIXED, _SIGN = 0x1, 0x2, 0x4
_BUFSIZE = 1024  # RULEBOOK_DECIMAL_BUFSIZE


def _need(name: str) -> None:
    if getattr(lib, name, None) is None:
        raise NotImplementedError(f"the loaded librulebook has no {name}")


def _b(value: DecimalLike) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise TypeError(f"a decimal text, int or Decimal is needed, not {type(value).__name__}")
    if isinstance(value, Decimal):
        value = format(value, "f") if value.is_finite() else str(value)
    return str(value).encode("utf-8")


def decimal_parse(text: DecimalLike) -> str:
    """The plain form of a decimal text: "37.00" -> "37", "1.5e3" -> "1500",
    "2.3%" -> "0.023". FactError (with the column of the offending
    character) when it is not a decimal text, NumberRangeError beyond 18
    significant digits or the range."""
    _need("rulebook_decimal_parse")
    b = _b(text)
    buf = ctypes.create_string_buffer(_BUFSIZE)
    n = ctypes.c_size_t()
    err = thread_error()
    st = lib.rulebook_decimal_parse(b, len(b), buf, _BUFSIZE, ctypes.byref(n), err)
    if st:
        raise_status(st, err)
    return buf.raw[:n.value].decode("utf-8")


def decimal_compare(a: DecimalLike, b: DecimalLike) -> int:
    """-1, 0 or 1 as a < b, a == b, a > b, exactly ("1.20" equals "1.2")."""
    _need("rulebook_decimal_compare")
    x, y = _b(a), _b(b)
    out = ctypes.c_int()
    st = lib.rulebook_decimal_compare(x, len(x), y, len(y), ctypes.byref(out))
    if st:
        raise_status(st)
    return out.value


def decimal_calc(a: DecimalLike, op: str, b: DecimalLike) -> str:
    """a op b for op in "+", "-", "*", "/": exact within 18 significant
    digits, a quotient such as 1/3 rounded to 18 (ties to even). FactError
    for a division by zero, NumberRangeError out of range."""
    _need("rulebook_decimal_calc")
    if op not in _OPS:
        raise InvalidArgumentError(f"op must be one of + - * /, not {op!r}",
                                   status=Status.INVALID)
    x, y = _b(a), _b(b)
    buf = ctypes.create_string_buffer(_BUFSIZE)
    n = ctypes.c_size_t()
    st = lib.rulebook_decimal_calc(x, len(x), _OPS[op], y, len(y), buf, _BUFSIZE,
                                   ctypes.byref(n))
    if st:
        raise_status(st)
    return buf.raw[:n.value].decode("utf-8")


def decimal_format(value: DecimalLike, places: Optional[int] = None, *,
                   rounding: str = "half_up", thousands: bool = False, fixed: bool = False,
                   sign: bool = False) -> str:
    """A decimal for people: rounded to places digits (None keeps every
    digit) with rounding "half_up" (四舍五入), "half_even", "down", "floor"
    or "ceiling"; thousands puts ',' between groups of three digits, fixed
    writes exactly places digits ("37.00"), sign puts '+' before a positive
    number."""
    _need("rulebook_decimal_format")
    if rounding not in ROUNDINGS:
        raise InvalidArgumentError(f"unknown rounding {rounding!r}", status=Status.INVALID)
    b = _b(value)
    flags = (_THOUSANDS if thousands else 0) | (_FIXED if fixed else 0) | (_SIGN if sign else 0)
    buf = ctypes.create_string_buffer(_BUFSIZE)
    n = ctypes.c_size_t()
    st = lib.rulebook_decimal_format(b, len(b), -1 if places is None else places,
                                     ROUNDINGS[rounding], flags, buf, _BUFSIZE, ctypes.byref(n))
    if st:
        raise_status(st)
    return buf.raw[:n.value].decode("utf-8")
