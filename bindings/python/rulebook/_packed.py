"""Packed records: Rulebook.evaluate crosses into the library once per
record (rulebook_eval_packed) instead of once per fact.

A record is packed into a per-thread buffer laid out as include/rulebook.h
describes: one 8-byte slot per input and one for "_id", a tag byte per
slot, then the text. The library writes the results into the bytes just
before it: with rulebook_eval_packed_scored a double per scorecard (its
score), the class codes, the verdicts and a flag byte per scorecard; with
an older library (rulebook_eval_packed) the class codes and verdicts only.
A result keeps a copy of those bytes (verdicts, classes and the float score
decode from them when read) and reads the exact score, values and
explanations from the thread's C result while no later record has replaced
it -- else it evaluates its packed record again into a C result of its own.

With the compiled accelerator (rulebook._speedups, bindings/python/speedups)
a dict is packed and evaluated by one call into it, which makes the
library call itself: the same bytes, checks and errors as below. Without
it (not built, or RULEBOOK_SPEEDUPS=off), packing a record costs a few
calls that run in C: a plan cached per key tuple and value types says where
each value goes, one struct writes every slot (doubles, and the offset and
length of each text) in one pack_into, and the texts are encoded and copied
as one bytes object.
"""
from __future__ import annotations

import ctypes
import importlib.machinery
import importlib.util
import itertools
import operator
import os
import struct
import threading
import weakref
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ._errors import OutOfMemoryError
from ._handle import Handle
from ._lib import lib, thread_error
from ._values import decimal_text

_DOUBLE, _TEXT, _DECIMAL, _BOOL = 1, 2, 3, 4
_CAPACITY = 1 << 16
SPEEDUPS_ENV = "RULEBOOK_SPEEDUPS"


def _load_speedups() -> Any:
    """The compiled accelerator, or None. RULEBOOK_SPEEDUPS=off (or 0)
    turns it off; a path loads that file (the build tree's, for the tests
    and benchmarks); else rulebook._speedups beside this file, if installed."""
    where = os.environ.get(SPEEDUPS_ENV, "")
    if where.lower() in ("off", "0"):
        return None
    if not where:
        try:
            from . import _speedups  # type: ignore[attr-defined]
        except ImportError:
            return None
        return _speedups
    if not where.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        raise ImportError(f"{SPEEDUPS_ENV}={where}: not an extension module of this Python "
                          f"(suffixes {', '.join(importlib.machinery.EXTENSION_SUFFIXES)})")
    spec = importlib.util.spec_from_file_location(__package__ + "._speedups", where)
    if spec is None or spec.loader is None:
        raise ImportError(f"{SPEEDUPS_ENV}={where}: cannot be loaded")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


speedups = _load_speedups()


def available() -> bool:
    return lib.rulebook_eval_packed is not None


def scored() -> bool:
    """Whether the library writes the scores with the verdicts."""
    return lib.rulebook_eval_packed_scored is not None


def _no_free(ptr: int) -> None:
    pass


class Token:
    """Held by every packed result: keeps the rulebook's C object alive
    (as a dependent of its handle) until the rulebook and its last packed
    result are gone."""
    __slots__ = ("__weakref__",)


class State:
    """One thread's buffer and C facts and result for packed evaluation.
    lock guards the C result: evaluating into it, and reading it."""
    __slots__ = ("buf", "addr", "facts", "res", "gen", "lock", "cbuf", "err", "fast")

    def __init__(self, rb_ptr: int, size: int):
        self.facts = lib.rulebook_facts_new(rb_ptr)
        self.res = lib.rulebook_result_new(rb_ptr) if self.facts else None
        if not self.res:
            if self.facts:
                lib.rulebook_facts_free(self.facts)
            raise OutOfMemoryError("out of memory")
        self.gen = 0
        self.lock = threading.Lock()
        self.err = thread_error()  # a State belongs to one thread
        self.buf = bytearray(size)
        self.cbuf = (ctypes.c_char * size).from_buffer(self.buf)
        self.addr = ctypes.addressof(self.cbuf)
        self.fast: Any = None  # the accelerator's Evaluator (Packer.state)

    def free(self) -> None:
        self.fast = None
        lib.rulebook_result_free(self.res)
        lib.rulebook_facts_free(self.facts)
        self.res = self.facts = None


class Packer:
    """A rulebook's packed layout and its threads' states."""

    def __init__(self, rb_ptr: int, index: dict, handle: Handle, states: List[State]):
        self.n = len(index)
        self.index = index
        self.fixed = lib.rulebook_packed_record_size(rb_ptr)
        nsc = lib.rulebook_scorecard_count(rb_ptr)
        # where in the results the scores, class codes, verdicts and score
        # flags are (include/rulebook.h)
        self.scored = scored()
        self.class_at = 8 * nsc if self.scored else 0
        self.verdict_at = self.class_at + 2 * nsc
        self.flag_at = self.verdict_at + lib.rulebook_rule_count(rb_ptr)
        self.verdicts = slice(self.verdict_at, self.flag_at)
        self.out = (lib.rulebook_packed_scored_size(rb_ptr) if self.scored
                    else lib.rulebook_packed_result_size(rb_ptr))
        self.call = lib.rulebook_eval_packed_scored if self.scored else lib.rulebook_eval_packed
        self.base = (self.out + 7) & ~7           # where the record starts
        self.tags = self.base + 8 * (self.n + 1)  # its tag bytes
        self.plans: Dict[Any, Any] = {}  # (keys, value types) -> _Plan
        # freed with the rulebook (its handle's free function holds the
        # list, not the packer: the token must not be reachable from it)
        self.states = states
        self.local = threading.local()
        self.handle = handle
        self.token: Optional[Token] = None
        self._token_lock = threading.Lock()

    def state(self, rb_ptr: int) -> State:
        st = getattr(self.local, "s", None)
        if st is None:
            st = State(rb_ptr, _CAPACITY)
            if speedups is not None:
                try:
                    st.fast = speedups.Evaluator(
                        ctypes.cast(self.call, ctypes.c_void_p).value, rb_ptr, st.facts,
                        st.res, st.err, st.buf, self.base, self.fixed, self.n, self.out,
                        self.index, Decimal, decimal_text)
                except Exception:
                    st.free()
                    raise
            self.local.s = st
            with self._token_lock:
                self.states.append(st)
        return st

    def current_token(self) -> Token:
        t = self.token
        if t is None:
            with self._token_lock:
                t = self.token
                if t is None:
                    t = Token()
                    weakref.finalize(t, Handle(1, _no_free, "result", parent=self.handle).close)
                    self.token = t
        return t

    def drop_token(self) -> None:
        """The rulebook is closed: its packed results alone keep it now."""
        self.token = None

    def pack(self, st: State, facts: Any) -> Optional[int]:
        """Pack facts into st.buf; the end of the record, or None when a
        value needs the typed setters (dates, subclasses, very long text).
        Raises KeyError for a key that is not an input."""
        keys = tuple(facts)
        vals = tuple(facts.values())
        types = tuple(map(type, vals))
        plan = self.plans.get((keys, types))
        if plan is None:
            plan = self._plan(keys, types)
            if len(self.plans) < 1024:
                self.plans[(keys, types)] = plan
        if plan is _UNSUPPORTED:
            return None
        buf = st.buf
        base = self.base
        tp = base + self.fixed
        if plan.take_texts is None:
            args = vals
            buf[self.tags:self.tags + self.n + 1] = plan.tags
        else:
            # Conversions first (str() of an "_id" may be the caller's code,
            # which may evaluate a record on this thread, in this buffer):
            # nothing is written to the buffer before they are done.
            texts = plan.take_texts(vals)
            if plan.convs is not None:
                texts = [v if c is None else c(v) for v, c in zip(texts, plan.convs)]
            try:
                encoded = list(map(str.encode, texts))
            except UnicodeEncodeError:  # a lone surrogate: the typed setters say so
                return None
            blob = b"".join(encoded)
            end = tp + len(blob)
            if end > len(buf):
                return None
            buf[self.tags:self.tags + self.n + 1] = plan.tags
            buf[tp:end] = blob
            lens = tuple(map(len, encoded))
            # the values, then each text's offset, then each text's length
            args = vals + tuple(itertools.accumulate(lens, initial=tp - base)) + lens
            tp = end
        if plan.slots is not None:
            # pad bytes zero the slots in between (missing inputs)
            plan.slots.pack_into(buf, base + plan.first, *plan.order(args))
        return tp

    def _plan(self, keys: Tuple[Any, ...], types: Tuple[type, ...]) -> Any:
        """How records with these keys and value types are packed."""
        tags = bytearray(self.n + 1)
        numbers = []  # (slot, position in the record)
        texts = []    # (slot, position, conversion to str or None)
        for j, (name, t) in enumerate(zip(keys, types)):
            if not isinstance(name, str):
                raise KeyError(name)
            if name[:1] == "_":
                if name == "_id" and t is not type(None):
                    texts.append((self.n, j, str))
                    tags[self.n] = _TEXT
                continue
            i = self.index.get(name)
            if i is None:
                raise KeyError(name)
            if t is float or t is bool:
                numbers.append((i, j))
                tags[i] = _DOUBLE if t is float else _BOOL
            elif t is str:
                texts.append((i, j, None))
                tags[i] = _TEXT
            elif t is int:
                texts.append((i, j, str))
                tags[i] = _DECIMAL
            elif t is Decimal:
                texts.append((i, j, lambda v, name=name: decimal_text(v, name)))
                tags[i] = _DECIMAL
            elif t is not type(None):
                return _UNSUPPORTED
        return _Plan(bytes(tags), numbers, texts, len(keys))


def _getter(positions: List[int]) -> Any:
    """A function of a tuple giving the tuple of its items at positions."""
    if not positions:
        return lambda v: ()
    if len(positions) == 1:
        j = positions[0]
        return lambda v: (v[j],)
    return operator.itemgetter(*positions)


class _Plan:
    """slots writes every slot of a record from first (a double, or the
    offset and length of a text; pad bytes for the others); order picks
    its arguments from the record's values followed by each text's offset
    (and one more) and each text's length."""
    __slots__ = ("tags", "slots", "first", "take_texts", "convs", "order")

    def __init__(self, tags: bytes, numbers: List[Tuple[int, int]],
                 texts: List[Tuple[int, int, Any]], nvals: int):
        self.tags = tags
        texts.sort()
        self.take_texts = _getter([j for _, j, _ in texts]) if texts else None
        convs = [c for _, _, c in texts]
        self.convs = convs if any(c is not None for c in convs) else None
        # slot -> (struct format, argument positions)
        at = {s: ("d", [j]) for s, j in numbers}
        for k, (s, _, _) in enumerate(texts):
            at[s] = ("II", [nvals + k, nvals + len(texts) + 1 + k])
        self.slots = None
        self.first = 0
        self.order = _getter([])
        if at:
            used = sorted(at)
            self.first = 8 * used[0]
            fmt = "="
            order: List[int] = []
            prev = used[0]
            for slot in used:
                if slot > prev:
                    fmt += f"{8 * (slot - prev)}x"
                fmt += at[slot][0]
                order += at[slot][1]
                prev = slot + 1
            self.slots = struct.Struct(fmt)
            self.order = _getter(order)


_UNSUPPORTED = object()
