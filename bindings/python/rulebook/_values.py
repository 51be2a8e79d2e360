"""Conversions between Python values and the library's text forms."""
from __future__ import annotations

import datetime
import json
import math
import re
from decimal import Decimal
from typing import Any, Mapping, Optional, Union

from ._errors import Diagnostic, FactError, InvalidArgumentError, Status

DateLike = Union[datetime.date, str, int]
Value = Union[Decimal, bool, datetime.date, str]

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DEC_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def date_to_int(d: datetime.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def int_to_date(i: int) -> Optional[datetime.date]:
    if not i:
        return None
    return datetime.date(i // 10000, i // 100 % 100, i % 100)


def parse_date(s: str) -> Optional[datetime.date]:
    m = _DATE_RE.match(s)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def as_of_int(as_of: Optional[DateLike]) -> int:
    """An evaluation date as YYYYMMDD: a date, "YYYY-MM-DD", an int
    YYYYMMDD, or None for today."""
    if as_of is None:
        return date_to_int(datetime.date.today())
    if isinstance(as_of, datetime.date):  # datetime too: its calendar day
        return date_to_int(as_of)
    if isinstance(as_of, str):
        d = parse_date(as_of)
        if d is None or d.year < 1000:
            raise InvalidArgumentError(f"as_of {as_of!r} is not a YYYY-MM-DD date")
        return date_to_int(d)
    if isinstance(as_of, int) and not isinstance(as_of, bool):
        if int_to_date_safe(as_of) is None:
            raise InvalidArgumentError(f"as_of {as_of} is not a YYYYMMDD date")
        return as_of
    raise InvalidArgumentError(f"as_of must be a datetime.date, 'YYYY-MM-DD' or YYYYMMDD, "
                               f"not {type(as_of).__name__}")


def int_to_date_safe(i: int) -> Optional[datetime.date]:
    try:
        if not 10000101 <= i <= 99991231:
            return None
        return int_to_date(i)
    except ValueError:
        return None


def fact_error(name: str, message: str) -> FactError:
    return FactError(message, [Diagnostic(Status.VALUE, message, subject=name or None)])


def decimal_text(d: Decimal, name: str = "") -> str:
    if not d.is_finite():
        raise fact_error(name, f"{d} is not a usable number for input '{name}'")
    return str(d)


def float_text(x: float, name: str = "") -> str:
    """The shortest decimal that reads back as x -- the same digits
    rulebook_facts_set_double produces."""
    if not math.isfinite(x):
        raise fact_error(name, f"{x} is not a usable number for input '{name}'")
    return repr(x)


def fact_json(name: str, v: Any) -> str:
    """A fact value as JSON text for rulebook_facts_set_json / eval_json."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return float_text(v, name)
    if isinstance(v, Decimal):
        return decimal_text(v, name)
    if isinstance(v, datetime.datetime):
        raise fact_error(name, f"input '{name}': a datetime is not a date; pass its .date()")
    if isinstance(v, datetime.date):
        return '"%04d-%02d-%02d"' % (v.year, v.month, v.day)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        # a list input: a JSON array, whose numbers keep their exact text
        return "[" + ",".join(fact_json(name, x) for x in v) + "]"
    if isinstance(v, Mapping):
        # an element of a list of records: its fields by name
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + fact_json(name, x)
                              for k, x in v.items()) + "}"
    raise fact_error(name, f"input '{name}': cannot use a {type(v).__name__} as a fact "
                     "(use int, float, Decimal, str, bool, datetime.date, a list or None)")



def typed(text: Optional[str], kind: Optional[str] = None) -> Optional[Value]:
    """A value's text as Python: Decimal for numbers, bool, datetime.date,
    str for text and enum values. kind is the input type when known."""
    if text is None:
        return None
    if kind in ("number", "integer"):
        return Decimal(text)
    if kind == "boolean":
        return text == "true"
    if kind == "date":
        return parse_date(text) or text
    if kind in ("text", "enum"):
        return text
    if text == "true":
        return True
    if text == "false":
        return False
    if _DEC_RE.match(text):
        return Decimal(text)
    d = parse_date(text)
    return d if d is not None else text


def dec(text: Optional[str]) -> Optional[Decimal]:
    if text is None:
        return None
    try:
        return Decimal(text)
    except Exception:
        return None


def is_decimal_text(s: Any) -> bool:
    return isinstance(s, str) and bool(_DEC_RE.match(s))
