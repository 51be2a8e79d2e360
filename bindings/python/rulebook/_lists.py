"""List facts through the library's list setters: a Python list or tuple
for an input of type list is set with ``rulebook_facts_set_list_double_at``
when every element is a float (each converted as rulebook_facts_set_double
does), else with ``rulebook_facts_set_list_text_at``, one text per element
(per field, for a list of records, in the order the rulebook declares the
fields); None is a missing element or field."""
from __future__ import annotations

import ctypes
import datetime
from decimal import Decimal
from typing import Any, List, Mapping, Optional, Sequence

from ._lib import lib
from ._values import decimal_text, fact_error, float_text

__all__ = ["set_list"]


def _text(name: str, k: int, v: Any) -> Optional[bytes]:
    """An element's (or a field's) value as the text the library parses."""
    if v is None:
        return None
    if v is True or v is False:
        return b"true" if v else b"false"
    if isinstance(v, int):
        return str(int(v)).encode()
    if isinstance(v, float):
        return float_text(v, name).encode()
    if isinstance(v, Decimal):
        return decimal_text(v, name).encode()
    if isinstance(v, datetime.datetime):
        raise fact_error(name, f"element {k} of list '{name}': a datetime is not a date; "
                               "pass its .date()")
    if isinstance(v, datetime.date):
        return b"%04d-%02d-%02d" % (v.year, v.month, v.day)
    if isinstance(v, str):
        try:
            return v.encode()
        except UnicodeEncodeError:
            raise fact_error(name, f"element {k} of list '{name}': the text is not valid "
                                   "Unicode (a lone surrogate)") from None
    raise fact_error(name, f"element {k} of list '{name}': cannot use a {type(v).__name__} "
                           "(use int, float, Decimal, str, bool, datetime.date or None)")


def _set_texts(fp: Any, index: int, texts: Sequence[Optional[bytes]], err: Any) -> int:
    n = len(texts)
    values = (ctypes.c_char_p * max(n, 1))(*texts)
    lens = (ctypes.c_size_t * max(n, 1))(*[0 if t is None else len(t) for t in texts])
    return lib.rulebook_facts_set_list_text_at(fp, index, values, lens, n, err)


def set_list(fp: Any, index: int, name: str, value: Sequence[Any], fields: Sequence[str],
             err: Any) -> int:
    """Set list input index (called name) of the facts fp from value; fields
    names the fields of a list of records (empty for scalars). Returns the
    library's status; raises FactError for a value it cannot send."""
    if fields:
        texts: List[Optional[bytes]] = []
        known = set(fields)
        for k, el in enumerate(value, 1):
            if not isinstance(el, Mapping):
                raise fact_error(name, f"element {k} of list '{name}': a record is a mapping "
                                       f"of its fields, not {type(el).__name__}")
            for key in el:
                if key not in known:
                    raise fact_error(name, f"element {k} of list '{name}': no field "
                                           f"'{key}' (fields: {', '.join(fields)})")
            texts.extend(_text(name, k, el.get(f)) for f in fields)
        return _set_texts(fp, index, texts, err)
    n = len(value)
    if n and all(type(x) is float for x in value):
        return lib.rulebook_facts_set_list_double_at(fp, index, (ctypes.c_double * n)(*value),
                                                     n, err)
    return _set_texts(fp, index, [_text(name, k, x) for k, x in enumerate(value, 1)], err)
