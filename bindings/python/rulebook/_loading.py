"""Two loading options: whether ``extends`` may load other files
(``rulebook_options_allow_extends``), and a resolver that supplies the
parents' source text instead of the file system
(``rulebook_options_set_resolver``) -- rulebooks kept in a database, an
archive or memory."""
from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, c_int, c_size_t, c_void_p
from typing import Any, Callable, List, Optional, Union

from ._errors import Status, raise_status
from ._lib import lib

__all__ = ["Resolver", "Loading"]

#: resolver(name) -> the parent's source (str or bytes), or None when there
#: is no rulebook of that name
Resolver = Callable[[str], Optional[Union[str, bytes]]]

_RESOLVER_FN = CFUNCTYPE(c_int, c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t),
                         c_void_p)


class Loading:
    """The two options for one load: applies them to a rulebook_options and
    keeps the callback and the texts it returned alive until the load
    returns (the library copies what it keeps)."""

    def __init__(self, allow_extends: bool = True, resolver: Optional[Resolver] = None):
        if resolver is not None and not callable(resolver):
            raise TypeError(f"resolver must be callable, not {type(resolver).__name__}")
        self.allow_extends = bool(allow_extends)
        self.resolver = resolver
        self.error: Optional[BaseException] = None
        self._texts: List[Any] = []
        self._fn: Any = None

    @property
    def needed(self) -> bool:
        return not self.allow_extends or self.resolver is not None

    def apply(self, opts: int) -> None:
        if not self.allow_extends:
            st = lib.rulebook_options_allow_extends(opts, 0)
            if st:
                raise_status(st)
        if self.resolver is not None:
            self._fn = _RESOLVER_FN(self._resolve)
            st = lib.rulebook_options_set_resolver(opts, self._fn, None)
            if st:
                raise_status(st)

    def _resolve(self, name: int, name_len: int, data: Any, length: Any, payload: int) -> int:
        if self.error is not None:
            return int(Status.INVALID)
        try:
            got = self.resolver(ctypes.string_at(name, name_len).decode("utf-8"))  # type: ignore
            if got is None:
                return int(Status.NOT_FOUND)
            if isinstance(got, str):
                got = got.encode("utf-8")
            elif not isinstance(got, (bytes, bytearray, memoryview)):
                raise TypeError("a resolver returns the rulebook's source as str or bytes, "
                                f"or None, not {type(got).__name__}")
            b = bytes(got)
            buf = ctypes.create_string_buffer(b, max(len(b), 1))
            self._texts.append(buf)
            data[0] = ctypes.addressof(buf)
            length[0] = len(b)
            return int(Status.OK)
        except BaseException as e:  # raised again once the load returns
            self.error = e
            return int(Status.INVALID)

    def reraise(self) -> None:
        """Raise what the resolver raised, if it did."""
        if self.error is not None:
            e, self.error = self.error, None
            raise e
