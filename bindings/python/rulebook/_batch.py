"""Adding records to a population with one call into the library per batch.

The records of a batch are turned into a row-major table of text cells
here, in Python (the forms rulebook_facts_set_text_at takes), and handed
over in one rulebook_population_add_table call. A batch whose values are
all floats or ints of numeric inputs, without "_id", goes as numeric
columns through rulebook_population_add_columns instead, which spares
formatting every number as text (docs/performance.md, "Bindings").

Values are checked against the input's type as the typed setters of
evaluate() check them (a bool only for a boolean input, a number only for a
number or integer input, a date only for a date input; text is parsed by
the library for any type), so a population holds the same values whichever
way its records came in. A float NaN is a missing value, as in data frames.

The table is built column by column with operations that run in C
(map, set, join, accumulate): per cell that is several times cheaper than
a Python loop. Anything unusual in a batch (a value that will be refused,
a type other than the common ones, a key that is not an input) sends the
batch through the record-by-record builder instead, which finds the
record at fault.
"""
from __future__ import annotations

import ctypes
import datetime
import math
from array import array
from decimal import Decimal
from itertools import accumulate, compress, count, islice, repeat
from operator import add, eq, is_
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._errors import (Diagnostic, FactError, NotFoundError, RulebookError, Status, _status,
                      diagnostics_of, error_class)
from ._lib import lib, thread_error
from ._values import decimal_text, fact_error, fact_json

#: Records per call into the library: a population of up to this many
#: records crosses once, a larger one once per this many records. Bounds
#: the memory of the table (8 bytes per cell and the text).
BATCH = 65536

# Input kinds, for checking Python values against an input's type.
_NUM, _BOOL, _DATE, _TEXT = 0, 1, 2, 3
_KINDS = {"number": _NUM, "integer": _NUM, "boolean": _BOOL, "date": _DATE, "text": _TEXT,
          "enum": _TEXT}
_WHAT = {_NUM: "number", _BOOL: "boolean", _DATE: "date"}
_INT_EXACT = 2 ** 53  # ints up to this size are exact as doubles
_NONE = type(None)
_NUM_TYPES = frozenset((float, int, Decimal, str, _NONE))
_BOOL_TYPES = frozenset((bool, str, _NONE))
_TEXT_TYPES = frozenset((str, _NONE))
_DATE_TYPES = frozenset((str, _NONE, datetime.date))
_COLUMN_TYPES = frozenset((float, int, _NONE))
# str() of numbers the library does not take: NaN (missing when a float)
# and the infinities (refused).
_NOT_FINITE = frozenset(("inf", "-inf", "NaN", "-NaN", "sNaN", "-sNaN", "Infinity",
                         "-Infinity"))
_BOOL_TEXT = {True: "true", False: "false"}


class Plan:
    """What the batch code needs to know about a rulebook's inputs."""

    __slots__ = ("rb_id", "col", "kinds", "types", "names", "ncols", "numeric", "num_pos")

    def __init__(self, rb_id: str, inputs: Sequence[Any]):
        self.rb_id = rb_id
        self.names: List[str] = [i.name for i in inputs]
        self.col: Dict[str, int] = {i.name: i.index for i in inputs}
        self.types: List[str] = [i.type for i in inputs]
        self.kinds: List[int] = [_KINDS.get(i.type, _TEXT) for i in inputs]
        self.ncols = len(inputs)
        self.numeric: List[int] = [i.index for i in inputs if self.kinds[i.index] == _NUM]
        # input name -> position among the numeric inputs
        self.num_pos: Dict[str, int] = {self.names[c]: p for p, c in enumerate(self.numeric)}


class Table:
    """A batch as text cells for rulebook_population_add_table."""

    __slots__ = ("n", "cols", "texts", "ptrs", "ids", "keep", "rows")

    def __init__(self, n: int, cols: List[int], texts: List[List[Optional[str]]],
                 ptrs: array, ids: Optional[array], keep: List[bytes], rows: Sequence[int]):
        self.n = n
        self.cols = cols      # input index of each column
        self.texts = texts    # per column, per row: the cell (None: missing)
        self.ptrs = ptrs      # row-major pointers into the buffers of keep (0: missing)
        self.ids = ids        # pointers to the record ids, or None
        self.keep = keep      # the buffers the pointers point into
        self.rows = rows      # table row -> index of the record in the caller's list

    def row(self, r: int) -> List[Tuple[int, str]]:
        return [(c, t[r]) for c, t in zip(self.cols, self.texts) if t[r] is not None]


# ---------------------------------------------------------------------------
# Pointers to C strings
# ---------------------------------------------------------------------------

def _address(buf: bytes) -> int:
    return ctypes.cast(buf, ctypes.c_void_p).value or 0


def _packed(texts: List[Optional[str]], keep: List[bytes]) -> Optional[array]:
    """Pointers to the strings of texts, NUL-terminated one after the other
    in one new buffer (appended to keep); 0 for None. None when a string
    holds a NUL character."""
    if not texts:
        return array("Q")
    nulls = None
    if None in texts:
        nulls = list(compress(count(), map(is_, texts, repeat(None))))
        texts = [s or "" for s in texts]
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return None
    # Lone surrogates pass as bytes that the library refuses as not UTF-8.
    buf = (joined + "\0").encode("utf-8", "surrogatepass")
    keep.append(buf)
    if len(buf) == len(joined) + 1:
        lens: Iterable[int] = map(len, texts)
    else:
        lens = [len(s.encode("utf-8", "surrogatepass")) for s in texts]
    ptrs = array("Q", accumulate(map(add, lens, repeat(1)), initial=_address(buf)))
    ptrs.pop()  # the end of the last string
    if nulls:
        for k in nulls:
            ptrs[k] = 0
    return ptrs


def _interned(texts: List[Optional[str]], keep: List[bytes]) -> Optional[array]:
    """As _packed, each distinct string stored once: for columns of few
    distinct values (booleans, enums, dates)."""
    uniq = [s for s in dict.fromkeys(texts) if s is not None]
    at = _packed(uniq, keep) if uniq else array("Q")
    if at is None:
        return None
    where: Dict[Optional[str], int] = dict(zip(uniq, at))
    where[None] = 0
    return array("Q", map(where.__getitem__, texts))


# ---------------------------------------------------------------------------
# The table, column by column
# ---------------------------------------------------------------------------

def _column_values(chunk: List[Mapping[str, Any]], dicts: bool, name: str) -> List[Any]:
    if dicts:
        return list(map(dict.get, chunk, repeat(name)))  # type: ignore[arg-type]
    return [r.get(name) for r in chunk]


def _date_cell(v: Any) -> Any:
    if type(v) is datetime.date:
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    return v


def _column_texts(kind: int, vals: List[Any], types: set) -> Optional[List[Optional[str]]]:
    """The cells of one column, or None when a value needs the careful path."""
    if kind == _NUM:
        if not types <= _NUM_TYPES:
            return None
        texts = list(map(str, vals))
        if _NONE in types:
            for k in compress(count(), map(is_, vals, repeat(None))):
                texts[k] = None  # type: ignore[call-overload]
        if float in types:
            for k in compress(count(), map(eq, texts, repeat("nan"))):
                if type(vals[k]) is float:
                    texts[k] = None  # type: ignore[call-overload]
        if not _NOT_FINITE.isdisjoint(texts):
            return None
        return texts  # type: ignore[return-value]
    if kind == _BOOL:
        if not types <= _BOOL_TYPES:
            return None
        return list(map(_BOOL_TEXT.get, vals, vals))
    if kind == _DATE:
        if types <= _TEXT_TYPES:
            return vals
        if not types <= _DATE_TYPES:
            return None
        return list(map(_date_cell, vals))
    if not types <= _TEXT_TYPES:
        return None
    return vals


def _record_ids(vals: List[Any], keep: List[bytes]) -> Optional[array]:
    if all(type(v) is str for v in vals):
        ids = vals
    else:
        ids = [None if v is None else str(v) for v in vals]
    joined = "".join(filter(None, ids))
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            return None
    return _packed(ids, keep)


def columnar_table(plan: Plan, chunk: List[Mapping[str, Any]], first: int,
                   ignore_unknown: bool) -> Optional[Table]:
    """The batch as a table, or None when the careful path must build it."""
    n = len(chunk)
    dicts = set(map(type, chunk)) == {dict}
    keys = set().union(*chunk)
    col = plan.col
    cols: List[int] = []
    for name in keys:
        c = col.get(name)
        if c is not None:
            cols.append(c)
        elif name[:1] != "_" and not ignore_unknown:
            return None  # not an input: the careful path names the record
    cols.sort()
    k = len(cols)
    keep: List[bytes] = []
    ptrs = array("Q", bytes(8 * n * k))
    texts_by_col: List[List[Optional[str]]] = []
    for j, c in enumerate(cols):
        vals = _column_values(chunk, dicts, plan.names[c])
        types = set(map(type, vals))
        kind = plan.kinds[c]
        texts = _column_texts(kind, vals, types)
        if texts is None:
            return None
        at = _packed(texts, keep) if kind == _NUM else _interned(texts, keep)
        if at is None:
            return None
        ptrs[j::k] = at
        texts_by_col.append(texts)
    ids = None
    if "_id" in keys:
        vals = _column_values(chunk, dicts, "_id")
        if any(v is not None for v in vals):
            ids = _record_ids(vals, keep)
            if ids is None:
                return None
    return Table(n, cols, texts_by_col, ptrs, ids, keep, range(first, first + n))


# ---------------------------------------------------------------------------
# The table, record by record (finds the record at fault)
# ---------------------------------------------------------------------------

def _mismatch(plan: Plan, c: int, want: int) -> FactError:
    name = plan.names[c]
    return fact_error(name, f"input '{name}' is a {plan.types[c]}, not a {_WHAT[want]}")


def _text_cell(name: str, v: str) -> str:
    if "\0" in v:
        raise fact_error(name, f"input '{name}': the text contains a NUL character")
    return v


def _cell(plan: Plan, c: int, v: Any) -> Optional[str]:
    """The text cell of a value for input c (None: missing); raises the
    FactError the typed setters would give."""
    name = plan.names[c]
    kind = plan.kinds[c]
    if isinstance(v, str):
        return _text_cell(name, str(v))
    if v is None:
        return None
    if isinstance(v, bool):
        if kind != _BOOL:
            raise _mismatch(plan, c, _BOOL)
        return "true" if v else "false"
    if isinstance(v, (int, float, Decimal)):
        if kind != _NUM:
            raise _mismatch(plan, c, _NUM)
        if isinstance(v, int):
            return str(int(v))
        if isinstance(v, float):
            x = float(v)
            if x != x:
                return None  # NaN: missing
            if x - x != 0:
                raise fact_error(name, f"{x} is not a usable number for input '{name}'")
            return repr(x)
        return decimal_text(Decimal(v), name)
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        if kind != _DATE:
            raise _mismatch(plan, c, _DATE)
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    if isinstance(v, (list, tuple)):
        # a list input reads a JSON array from its cell; others refuse it
        if plan.types[c] != "list":
            raise fact_error(name, f"input '{name}' is a {plan.types[c]}, not a list")
        return fact_json(name, v)
    fact_json(name, v)  # raises FactError with the reason
    raise fact_error(name, f"input '{name}': cannot use a {type(v).__name__} as a fact")


def _record_id(v: Any) -> str:
    rid = str(v)
    if "\0" in rid:
        raise fact_error("_id", "the record id contains a NUL character")
    if not rid.isascii():
        try:
            rid.encode("utf-8")
        except UnicodeEncodeError:
            raise fact_error("_id", "the record id is not valid Unicode (a lone surrogate)") \
                from None
    return rid


def careful_table(plan: Plan, records: Iterable[Mapping[str, Any]], first: int,
                  ignore_unknown: bool, skip_bad: bool
                  ) -> Tuple[Table, List[RulebookError], Optional[RulebookError]]:
    """The records as a table, converted one by one; the records refused
    here (when skip_bad) and, when not skip_bad, the error that ended the
    table at its record."""
    col = plan.col
    ncols = plan.ncols
    blank: List[Optional[str]] = [None] * ncols
    cells: List[Optional[str]] = []
    ids: List[Optional[str]] = []
    rows: List[int] = []
    refused: List[RulebookError] = []
    stop: Optional[RulebookError] = None
    i = first
    for rec in records:
        row = blank[:]
        rid = None
        try:
            for name, v in rec.items():
                c = col.get(name)
                if c is None:
                    if name[:1] == "_":
                        if name == "_id" and v is not None:
                            rid = _record_id(v)
                        continue
                    if ignore_unknown:
                        continue
                    raise NotFoundError("", [Diagnostic(
                        Status.NOT_FOUND, f"'{name}' is not an input of rulebook '{plan.rb_id}'",
                        subject=name)])
                row[c] = _cell(plan, c, v)
        except RulebookError as e:
            e.record = i
            if skip_bad and isinstance(e, FactError):
                refused.append(e)
                i += 1
                continue
            stop = e
            break
        cells += row
        ids.append(rid)
        rows.append(i)
        i += 1
    n = len(rows)
    keep: List[bytes] = []
    ptrs = _packed(cells, keep)
    assert ptrs is not None  # NUL characters were refused above
    id_ptrs = _packed(ids, keep) if any(x is not None for x in ids) else None
    texts = [cells[c::ncols] for c in range(ncols)]
    return Table(n, list(range(ncols)), texts, ptrs, id_ptrs, keep, rows), refused, stop


# ---------------------------------------------------------------------------
# Calls into the library
# ---------------------------------------------------------------------------

def _diagnose(rb: Any, t: Table, r: int) -> RulebookError:
    """Why the library refused table row r: its cells through
    rulebook_facts_set_text_at (what rulebook_population_add_table does)
    until one fails."""
    record = t.rows[r]
    f = rb._take_facts()
    err = thread_error()
    try:
        for c, s in t.row(r):
            b = s.encode("utf-8", "surrogatepass")
            st = lib.rulebook_facts_set_text_at(f, c, b, len(b), err)
            if st:
                return error_class(st)("", diagnostics_of(err), status=_status(st),
                                       record=record)
    finally:
        rb._give_facts(f)
    msg = "the library refused the record"
    return FactError(msg, [Diagnostic(Status.VALUE, msg)], record=record)


def add_table(rb: Any, pop: int, t: Table) -> List[RulebookError]:
    """One rulebook_population_add_table call; the records it refused, as
    errors naming them (record: the index in the caller's list)."""
    n = t.n
    if not n:
        return []
    inputs = (ctypes.c_size_t * max(1, len(t.cols)))(*t.cols)
    bad = (ctypes.c_size_t * n)()
    nbad = ctypes.c_size_t()
    err = thread_error()
    before = lib.rulebook_population_size(pop)
    st = lib.rulebook_population_add_table(
        pop, n, inputs, len(t.cols), t.ptrs.buffer_info()[0],
        t.ids.buffer_info()[0] if t.ids is not None else None, bad, ctypes.byref(nbad), err)
    if st:
        # The row it was adding: every row before it was added or refused.
        r = lib.rulebook_population_size(pop) - before + nbad.value
        raise error_class(st)("", diagnostics_of(err), status=_status(st),
                              record=t.rows[r] if r < n else None)
    return [_diagnose(rb, t, r) for r in bad[:nbad.value]]


def numeric_columns(plan: Plan, chunk: List[Mapping[str, Any]], ignore_unknown: bool
                    ) -> Optional[Tuple[List[int], array]]:
    """The batch as numeric columns (column-major doubles, NaN missing), or
    None when a record has anything but floats, ints of at most 2**53 and
    None for numeric inputs, or an "_id"."""
    if set(map(type, chunk)) != {dict}:
        return None
    keys = set().union(*chunk)
    pos = plan.num_pos
    cols: List[int] = []
    for name in keys:
        if name in pos:
            cols.append(plan.col[name])
        elif name == "_id" or (name[:1] != "_" and not (ignore_unknown and
                                                         name not in plan.col)):
            return None
    cols.sort()
    values = array("d")
    for c in cols:
        vals = list(map(dict.get, chunk, repeat(plan.names[c])))  # type: ignore[arg-type]
        types = set(map(type, vals))
        if not types <= _COLUMN_TYPES:
            return None
        if int in types:
            if any(type(v) is int and not -_INT_EXACT <= v <= _INT_EXACT for v in vals):
                return None
        if _NONE in types:
            for k in compress(count(), map(is_, vals, repeat(None))):
                vals[k] = math.nan
        values.extend(vals)
    return cols, values


def add_columns(pop: int, n: int, cols: List[int], values: array) -> int:
    """One rulebook_population_add_columns call; how many records it added:
    all n, unless a value was refused (the caller goes on from there)."""
    inputs = (ctypes.c_size_t * max(1, len(cols)))(*cols)
    err = thread_error()
    before = lib.rulebook_population_size(pop)
    st = lib.rulebook_population_add_columns(pop, n, inputs, len(cols),
                                             values.buffer_info()[0], None, err)
    if st and st not in (Status.VALUE, Status.RANGE):
        raise error_class(st)("", diagnostics_of(err), status=_status(st))
    return lib.rulebook_population_size(pop) - before


def add_records(rb: Any, plan: Plan, pop: int, records: Iterable[Mapping[str, Any]],
                first: int, ignore_unknown: bool, skip_bad: bool,
                path: Optional[str] = None) -> List[RulebookError]:
    """Add records, one call into the library per BATCH records. Returns
    the refused records (skip_bad); without skip_bad raises the error of
    the first refused record instead. path forces "table" or "columns"
    (for measuring); None chooses."""
    use_columns = lib.rulebook_population_add_columns is not None and path != "table"
    refused: List[RulebookError] = []
    it = iter(records)
    while True:
        chunk = list(islice(it, BATCH))
        if not chunk:
            break
        start = 0
        if use_columns:
            got = numeric_columns(plan, chunk, ignore_unknown)
            if got is not None:
                start = add_columns(pop, len(chunk), got[0], got[1])
        if start < len(chunk):
            rest = chunk[start:] if start else chunk
            stop = None
            t = columnar_table(plan, rest, first + start, ignore_unknown)
            host: List[RulebookError] = []
            if t is None:
                t, host, stop = careful_table(plan, rest, first + start, ignore_unknown,
                                              skip_bad)
            errors = sorted(host + add_table(rb, pop, t), key=lambda e: e.record or 0)
            if errors and not skip_bad:
                raise errors[0]
            if stop is not None:
                raise stop
            refused += errors
        first += len(chunk)
    return refused
