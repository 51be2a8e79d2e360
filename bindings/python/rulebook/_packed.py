"""Packed records: Rulebook.evaluate crosses into the library once per
record (rulebook_eval_packed) instead of once per fact.

A record is packed into a per-thread buffer laid out as include/rulebook.h
describes: one 8-byte slot per input and one for "_id", a tag byte per
slot, then the text. The library writes the class codes and verdicts into
the bytes just before it. A result keeps a copy of those bytes (verdicts and
classes decode from them when read) and reads the exact score, values and
explanations from the thread's C result while no later record has replaced
it -- else it evaluates its packed record again into a C result of its own.
"""
from __future__ import annotations

import ctypes
import operator
import struct
import threading
import weakref
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ._errors import OutOfMemoryError
from ._handle import Handle
from ._lib import lib
from ._values import decimal_text

_DOUBLE, _TEXT, _DECIMAL, _BOOL = 1, 2, 3, 4
_CAPACITY = 1 << 16


def available() -> bool:
    return lib.rulebook_eval_packed is not None


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
    __slots__ = ("buf", "doubles", "words", "addr", "facts", "res", "gen", "lock", "cbuf")

    def __init__(self, rb_ptr: int, size: int):
        self.facts = lib.rulebook_facts_new(rb_ptr)
        self.res = lib.rulebook_result_new(rb_ptr) if self.facts else None
        if not self.res:
            if self.facts:
                lib.rulebook_facts_free(self.facts)
            raise OutOfMemoryError("out of memory")
        self.gen = 0
        self.lock = threading.Lock()
        self._grow(size)

    def _grow(self, size: int) -> None:
        self.buf = bytearray(size)
        self.cbuf = (ctypes.c_char * size).from_buffer(self.buf)
        self.addr = ctypes.addressof(self.cbuf)
        self.doubles = memoryview(self.buf).cast("d")
        self.words = memoryview(self.buf).cast("I")

    def free(self) -> None:
        lib.rulebook_result_free(self.res)
        lib.rulebook_facts_free(self.facts)
        self.res = self.facts = None


class Packer:
    """A rulebook's packed layout and its threads' states."""

    def __init__(self, rb_ptr: int, index: dict, handle: Handle, states: List[State]):
        self.n = len(index)
        self.index = index
        self.fixed = lib.rulebook_packed_record_size(rb_ptr)
        self.out = lib.rulebook_packed_result_size(rb_ptr)
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
            st = self.local.s = State(rb_ptr, _CAPACITY)
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
            if len(self.plans) < 64:
                self.plans[(keys, types)] = plan
        if plan is _UNSUPPORTED:
            return None
        buf = st.buf
        base = self.base
        tags = self.tags
        buf[tags:tags + self.n + 1] = plan.tags
        if plan.numbers is not None:
            # the struct's pad bytes zero the slots in between: texts come after
            plan.numbers.pack_into(buf, base + plan.first, *plan.take_numbers(vals))
        tp = base + self.fixed
        cap = len(buf)
        w = st.words
        ws = base >> 2
        for slot, j, conv in plan.texts:
            v = vals[j]
            try:
                b = v.encode() if conv is None else conv(v, keys[j]).encode()
            except UnicodeEncodeError:  # a lone surrogate: the typed setters say so
                return None
            n = len(b)
            if tp + n > cap:
                return None
            buf[tp:tp + n] = b
            w[ws + 2 * slot] = tp - base
            w[ws + 2 * slot + 1] = n
            tp += n
        return tp

    def _plan(self, keys: Tuple[Any, ...], types: Tuple[type, ...]) -> Any:
        """How records with these keys and value types are packed."""
        tags = bytearray(self.n + 1)
        numbers = []  # (slot, position in the record)
        texts = []    # (slot, position, conversion)
        for j, (name, t) in enumerate(zip(keys, types)):
            if not isinstance(name, str):
                raise KeyError(name)
            if name[:1] == "_":
                if name == "_id" and t is not type(None):
                    texts.append((self.n, j, _id_text))
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
                texts.append((i, j, _int_text))
                tags[i] = _DECIMAL
            elif t is Decimal:
                texts.append((i, j, decimal_text))
                tags[i] = _DECIMAL
            elif t is not type(None):
                return _UNSUPPORTED
        return _Plan(bytes(tags), numbers, texts)


def _id_text(v: Any, name: str) -> str:
    return str(v)


def _int_text(v: int, name: str) -> str:
    return str(v)


def _layout(slots: List[int], fmt: str) -> Optional[struct.Struct]:
    """A struct that writes one fmt value per slot (in slot order) at its
    place among 8-byte slots from the first one, skipping (zeroing) the
    others."""
    if not slots:
        return None
    out = "="
    at = slots[0]
    for s in slots:
        if s > at:
            out += f"{8 * (s - at)}x"
        out += fmt
        at = s + 1
    return struct.Struct(out)


class _Plan:
    __slots__ = ("tags", "numbers", "first", "take_numbers", "texts")

    def __init__(self, tags: bytes, numbers: List[Tuple[int, int]],
                 texts: List[Tuple[int, int, Any]]):
        self.tags = tags
        numbers.sort()
        texts.sort()
        self.numbers = _layout([s for s, _ in numbers], "d")
        self.first = 8 * numbers[0][0] if numbers else 0
        pos = [j for _, j in numbers]
        self.take_numbers = (operator.itemgetter(*pos) if len(pos) > 1 else
                             (lambda v, j=pos[0]: (v[j],)) if pos else None)
        self.texts = texts


_UNSUPPORTED = object()
