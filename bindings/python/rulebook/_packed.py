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
import threading
import weakref
from decimal import Decimal
from typing import Any, List, Optional

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
        self.zeros = bytes(self.n + 1)
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
        Raises for a key that is not an input (the caller's message)."""
        buf = st.buf
        base = self.base
        tags = self.tags
        buf[tags:tags + self.n + 1] = self.zeros
        d = st.doubles
        w = st.words
        ds = base >> 3
        ws = base >> 2
        tp = base + self.fixed
        cap = len(buf)
        index = self.index
        rid = None
        for name, v in facts.items():
            if name[:1] == "_":
                if name == "_id" and v is not None:
                    rid = v
                continue
            i = index.get(name)
            if i is None:
                raise KeyError(name)
            t = type(v)
            if t is float:
                d[ds + i] = v
                buf[tags + i] = _DOUBLE
                continue
            if v is None:
                continue
            if t is str:
                try:
                    b = v.encode()
                except UnicodeEncodeError:
                    return None
                tag = _TEXT
            elif t is bool:
                d[ds + i] = 1.0 if v else 0.0
                buf[tags + i] = _BOOL
                continue
            elif t is int:
                b = str(v).encode()
                tag = _DECIMAL
            elif t is Decimal:
                b = decimal_text(v, name).encode()
                tag = _DECIMAL
            else:
                return None
            n = len(b)
            if tp + n > cap:
                return None
            buf[tp:tp + n] = b
            w[ws + 2 * i] = tp - base
            w[ws + 2 * i + 1] = n
            tp += n
            buf[tags + i] = tag
        if rid is not None:
            b = str(rid).encode()
            n = len(b)
            if tp + n > cap:
                return None
            buf[tp:tp + n] = b
            w[ws + 2 * self.n] = tp - base
            w[ws + 2 * self.n + 1] = n
            tp += n
            buf[tags + self.n] = _TEXT
        return tp
