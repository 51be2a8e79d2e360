"""Data frames in and out: pandas columns as Arrow buffers, results as
categorical columns.

numpy and pandas are imported only when a frame is evaluated: the package
works without them. Numeric, boolean, datetime and categorical columns go
to the library as the frame holds them (numpy buffers described as Arrow
arrays, see _arrow.py) without per-cell Python work; object and string
columns (str, Decimal, int, date, ...) become exact text, one cell at a
time, as they must.
"""
from __future__ import annotations

import ctypes
import datetime
import os
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ._arrow import Batch, Column
from ._errors import FactError, InvalidArgumentError, Status, raise_status
from ._lib import lib, thread_error

_INT_FORMATS = {"int8": "c", "int16": "s", "int32": "i", "int64": "l", "uint8": "C",
                "uint16": "S", "uint32": "I", "uint64": "L"}
_IGNORE_UNKNOWN = 0x100


def _np() -> Any:
    import numpy
    return numpy


def _validity(np: Any, missing: Any) -> Any:
    """An Arrow validity bitmap (1 = present) from a boolean mask of
    missing values, or None when nothing is missing."""
    if not missing.any():
        return None
    return np.packbits(~missing, bitorder="little")


def _cell_text(v: Any) -> Optional[str]:
    """The exact text of one cell of an object column; None for missing."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return None if v.is_nan() else str(v)
    if isinstance(v, float):
        return None if v != v else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    try:  # numpy scalars, pandas NA and NaT
        import pandas
        if v is pandas.NA or v is pandas.NaT:
            return None
    except ImportError:
        pass
    if hasattr(v, "item"):
        return _cell_text(v.item())
    return str(v)


def _utf8(np: Any, name: str, values: Any) -> Column:
    """A utf8 column from any sequence of cells (exact text per cell)."""
    texts = [_cell_text(v) for v in values]
    missing = np.fromiter((t is None for t in texts), dtype=bool, count=len(texts))
    encoded = [t.encode("utf-8") if t is not None else b"" for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = b"".join(encoded)
    return Column(name, "U", len(texts), [_validity(np, missing), offsets, data or b"\0"])


def column_of(name: str, s: Any) -> Column:
    """The Arrow column of a pandas Series."""
    np = _np()
    import pandas
    dtype = s.dtype
    n = len(s)
    if isinstance(dtype, pandas.CategoricalDtype):
        codes = np.ascontiguousarray(s.cat.codes.to_numpy())
        missing = codes < 0
        cats = s.cat.categories
        dictionary = column_of("", pandas.Series(cats))
        fmt = _INT_FORMATS[str(codes.dtype)]
        return Column(name, fmt, n, [_validity(np, missing), codes], dictionary)
    kind = getattr(dtype, "kind", "O")
    if kind == "f" and dtype.itemsize == 8 and not pandas.api.types.is_extension_array_dtype(dtype):
        # NaN is missing, read by the library
        return Column(name, "g", n, [None, np.ascontiguousarray(s.to_numpy())])
    if kind in "iu" and not pandas.api.types.is_extension_array_dtype(dtype):
        return Column(name, _INT_FORMATS[str(dtype)], n, [None, np.ascontiguousarray(s.to_numpy())])
    if kind == "b" and not pandas.api.types.is_extension_array_dtype(dtype):
        return Column(name, "b", n, [None, np.packbits(s.to_numpy(), bitorder="little")])
    if pandas.api.types.is_extension_array_dtype(dtype) and kind in "iufb":
        # nullable Int64, Float64, boolean: values plus a mask
        missing = s.isna().to_numpy()
        if kind == "b":
            vals = s.to_numpy(dtype=bool, na_value=False)
            return Column(name, "b", n, [_validity(np, missing), np.packbits(vals, bitorder="little")])
        if kind == "f" and dtype.numpy_dtype.itemsize == 8:
            vals = s.to_numpy(dtype=np.float64, na_value=0.0)
            return Column(name, "g", n, [_validity(np, missing), np.ascontiguousarray(vals)])
        if kind in "iu":
            nd = dtype.numpy_dtype
            vals = np.ascontiguousarray(s.to_numpy(dtype=nd, na_value=0))
            return Column(name, _INT_FORMATS[str(nd)], n, [_validity(np, missing), vals])
    if kind == "M":
        # datetime64: calendar days; a time of day other than midnight is
        # not a date
        v = s.to_numpy()
        if getattr(s.dt, "tz", None) is not None:
            v = s.dt.tz_localize(None).to_numpy()
        missing = np.isnat(v)
        days = v.astype("datetime64[D]")
        if ((v - days.astype(v.dtype))[~missing] != np.timedelta64(0, "ns")).any():
            raise FactError(f"column '{name}' holds times of day, not dates",
                            status=Status.VALUE)
        return Column(name, "tdD", n,
                      [_validity(np, missing), np.ascontiguousarray(days.astype(np.int32))])
    if kind == "f":  # float32 and others: their shortest text
        return _utf8(np, name, [None if x != x else str(x) for x in s.to_numpy()])
    return _utf8(np, name, s.to_numpy(dtype=object))


def batch_of(frame: Any, ids: Optional[List[Optional[str]]]) -> Batch:
    """The record batch of a frame's columns (and ids, when given)."""
    cols = [column_of(str(c), frame[c]) for c in frame.columns if str(c) != "_id"]
    if ids is not None:
        np = _np()
        cols.append(_utf8(np, "_id", ids))
    elif "_id" in frame.columns:
        np = _np()
        cols.append(_utf8(np, "_id", frame["_id"].to_numpy(dtype=object)))
    return Batch(cols, len(frame))


def add_arrow(pop: int, schema: Any, array: Any, n: int, ignore_unknown: bool,
              skip_bad: bool, labels: Any = None, base: int = 0) -> List[int]:
    """One rulebook_population_add_arrow call; returns the bad rows (within
    this batch). Without skip_bad a bad row raises the library's
    diagnostic, naming the row by its label (or position base + row)."""
    np = _np()
    bad = np.zeros(max(n, 1), dtype=np.uintp)
    count = ctypes.c_size_t(0)
    err = thread_error()
    st = lib.rulebook_population_add_arrow(
        pop, schema, array, _IGNORE_UNKNOWN if ignore_unknown else 0, bad.ctypes.data,
        ctypes.byref(count), err)
    if st:
        raise_status(st, err)
    rows = [int(r) for r in bad[:count.value]]
    if rows and not skip_bad:
        label = labels[rows[0]] if labels is not None else base + rows[0]
        msg = lib.rulebook_error_message(err, 0).decode("utf-8")
        subject = lib.rulebook_error_subject(err, 0)
        e = FactError(f"record {label!r}: {msg}", status=Status.VALUE, record=base + rows[0])
        e.subject = subject.decode("utf-8") if subject else None
        raise e
    return rows


def add_batch(pop: int, batch: Batch, ignore_unknown: bool, skip_bad: bool,
              labels: Any = None) -> List[int]:
    return add_arrow(pop, ctypes.byref(batch.schema), ctypes.byref(batch.array),
                     batch.array.length, ignore_unknown, skip_bad, labels)


def threads_for(n: int, threads: Optional[int]) -> int:
    if threads is None:
        threads = min(os.cpu_count() or 1, 8)
    # below some tens of thousands of rows a thread costs more than it saves
    return max(1, min(threads, n // 20000 or 1))


def evaluate_batches(rb: Any, frame: Any, as_of: int, ids: Optional[List[Optional[str]]],
                     ignore_unknown: bool, skip_bad: bool, threads: Optional[int]
                     ) -> Tuple[Any, List[int]]:
    """Evaluate a frame into one Population on k threads: by the library
    (rulebook_population_set_threads) in one call, or, with a library
    without it, slices of the frame on Python threads (the library runs
    without the interpreter lock), merged in order. Returns the population
    and the bad rows (positions in the frame)."""
    from ._core import Population
    n = len(frame)
    k = threads_for(n, threads)
    labels = frame.index
    h = rb._h
    rbp = h.acquire()
    if lib.rulebook_population_set_threads is not None:
        # one batch, one call: the library evaluates it on k threads and
        # merges the slices in order
        try:
            p = lib.rulebook_population_new(rbp, as_of)
            if not p:
                raise MemoryError("out of memory")
            pop = Population._adopt(rb, as_of, p)
            try:
                lib.rulebook_population_set_threads(p, k)
                bad = add_batch(p, batch_of(frame, ids), ignore_unknown, skip_bad, labels)
            except BaseException:
                pop.close()
                raise
            return pop, bad
        finally:
            h.release()
    bounds = [n * i // k for i in range(k + 1)]
    try:
        pops = []
        try:
            for _ in range(k):
                p = lib.rulebook_population_new(rbp, as_of)
                if not p:
                    raise MemoryError("out of memory")
                pops.append(p)

            def run(i: int) -> List[int]:
                part = frame.iloc[bounds[i]:bounds[i + 1]]
                part_ids = ids[bounds[i]:bounds[i + 1]] if ids is not None else None
                batch = batch_of(part, part_ids)
                return [r + bounds[i] for r in
                        add_batch(pops[i], batch, ignore_unknown, skip_bad,
                                  labels[bounds[i]:bounds[i + 1]])]

            if k == 1:
                bad = run(0)
            else:
                with ThreadPoolExecutor(k) as ex:
                    parts = list(ex.map(run, range(k)))
                bad = [r for part in parts for r in part]
            err = thread_error()
            for p in pops[1:]:
                st = lib.rulebook_population_merge(pops[0], p, err)
                if st:
                    raise_status(st, err)
        finally:
            for p in pops[1:]:
                lib.rulebook_population_free(p)
        return Population._adopt(rb, as_of, pops[0]), bad
    except BaseException:
        if pops:
            lib.rulebook_population_free(pops[0])
        raise
    finally:
        h.release()


def result_frame(pop: Any, index: Any, bad: List[int], scores: str) -> Any:
    """The results of pop as a DataFrame indexed by index: a categorical
    column per rule, `<scorecard>.class` (categorical) and
    `<scorecard>.score` per scorecard. Rows in bad (left out) are empty."""
    np = _np()
    import pandas
    from ._core import VERDICTS
    rb = pop.rulebook
    n = len(index)
    keep = np.ones(n, dtype=bool)
    if bad:
        keep[np.asarray(bad, dtype=np.intp)] = False
    m = int(keep.sum())
    nr = len(rb.rules)
    verdicts = pop.verdict_matrix()
    assert verdicts.shape == (m, nr)
    names = [VERDICTS[v] for v in range(1, 8)]
    cols: Dict[str, Any] = {}

    def spread(codes: Any, fill: Any) -> Any:
        if m == n:
            return codes
        out = np.full(n, fill, dtype=codes.dtype)
        out[keep] = codes
        return out

    for r in rb.rules:
        codes = spread(verdicts[:, r.index].astype(np.int8) - 1, -1)
        cols[r.id] = pandas.Categorical.from_codes(codes, categories=names)
    for sc in rb.scorecards:
        classes = pop.class_codes(sc.id)
        ncls = len(sc.classes)
        codes = classes.astype(np.int16)
        codes = np.where(classes == -2, ncls, np.where(classes == -3, ncls + 1,
                                                       np.where(classes == -4, ncls + 2, codes)))
        codes = np.where(classes == -1, -1, codes).astype(np.int16)
        cols[f"{sc.id}.class"] = pandas.Categorical.from_codes(
            spread(codes, -1), categories=list(sc.classes) + ["not_rated", "not_in_force", "error"])
        if scores == "float":
            # one call; binary scores where their bound is tight, so no
            # exact score is computed for most records
            cols[f"{sc.id}.score"] = spread(pop.score_values(sc.id), np.nan)
        else:
            lines = pop.score_texts(sc.id)
            conv = Decimal if scores == "decimal" else str
            vals = np.array([conv(t) if t else None for t in lines], dtype=object)
            cols[f"{sc.id}.score"] = spread(vals, None)
    return pandas.DataFrame(cols, index=index)


def check_scores(scores: str) -> None:
    if scores not in ("decimal", "float", "text"):
        raise InvalidArgumentError(f"scores must be 'decimal', 'float' or 'text', not {scores!r}")
