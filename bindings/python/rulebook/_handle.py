"""Ownership of C objects.

Every C object is held by one ``Handle``. A handle is freed exactly once,
when its owner closed it (``close()``, the end of a ``with`` block, or the
owner being garbage collected) *and* no dependent still uses it: a result,
facts or population object keeps the rulebook it was made from alive by
counting as a user of the rulebook's handle. So objects may be closed or
collected in any order, and closing twice does nothing.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from ._errors import ClosedError


class Handle:
    __slots__ = ("ptr", "lock", "_free", "_refs", "_closed", "_parent", "_kind", "__weakref__")

    def __init__(self, ptr: int, free: Callable[[int], None], kind: str,
                 parent: "Optional[Handle]" = None):
        if parent is not None:
            parent.acquire(dependent=True)
        self.ptr: Optional[int] = ptr
        self.lock = threading.Lock()
        self._free = free
        self._refs = 0
        self._closed = False
        self._parent = parent
        self._kind = kind

    # A user (a dependent object, or a call in progress) keeps the C object
    # from being freed until it releases it.
    def acquire(self, dependent: bool = False) -> int:
        """Count one more user. A new call needs the handle open; a new
        dependent of a live dependent (a copy of a population, a result
        evaluated again) only needs the C object to exist."""
        with self.lock:
            if (self._closed and not dependent) or self.ptr is None:
                raise ClosedError(f"the {self._kind} is closed")
            self._refs += 1
            return self.ptr

    def release(self) -> None:
        with self.lock:
            self._refs -= 1
            now = self._closed and self._refs == 0 and self.ptr is not None
        if now:
            self._destroy()

    def close(self) -> None:
        with self.lock:
            if self._closed:
                return
            self._closed = True
            now = self._refs == 0 and self.ptr is not None
        if now:
            self._destroy()

    @property
    def closed(self) -> bool:
        return self._closed

    def _destroy(self) -> None:
        with self.lock:
            ptr, self.ptr = self.ptr, None
        if ptr is not None:
            self._free(ptr)
        parent, self._parent = self._parent, None
        if parent is not None:
            parent.release()
