"""Record batches through the Arrow C Data Interface, without pyarrow.

Two directions meet here:

* Building a batch: columns given as buffers (numpy arrays, bytes) are
  described by ``ArrowSchema`` / ``ArrowArray`` structures made with
  ctypes, pointing at those buffers -- no copy, no per-cell Python work --
  and handed to ``rulebook_population_add_arrow`` in one call. The
  structures live as long as the ``Batch`` object that holds them and its
  buffers.
* Reading a producer's batches: any object with ``__arrow_c_array__`` or
  ``__arrow_c_stream__`` (the Arrow PyCapsule interface: pyarrow, polars,
  DuckDB, nanoarrow, ...) gives capsules holding the structures; the
  library reads them, the capsules release them when they are collected.
"""
from __future__ import annotations

import ctypes
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_void_p)
from typing import Any, Iterator, List, Optional, Sequence, Tuple


class ArrowSchema(Structure):
    pass


ArrowSchema._fields_ = [
    ("format", c_char_p),
    ("name", c_char_p),
    ("metadata", c_char_p),
    ("flags", c_int64),
    ("n_children", c_int64),
    ("children", POINTER(POINTER(ArrowSchema))),
    ("dictionary", POINTER(ArrowSchema)),
    ("release", CFUNCTYPE(None, POINTER(ArrowSchema))),
    ("private_data", c_void_p),
]


class ArrowArray(Structure):
    pass


ArrowArray._fields_ = [
    ("length", c_int64),
    ("null_count", c_int64),
    ("offset", c_int64),
    ("n_buffers", c_int64),
    ("n_children", c_int64),
    ("buffers", POINTER(c_void_p)),
    ("children", POINTER(POINTER(ArrowArray))),
    ("dictionary", POINTER(ArrowArray)),
    ("release", CFUNCTYPE(None, POINTER(ArrowArray))),
    ("private_data", c_void_p),
]


class ArrowArrayStream(Structure):
    pass


ArrowArrayStream._fields_ = [
    ("get_schema", CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(ArrowSchema))),
    ("get_next", CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(ArrowArray))),
    ("get_last_error", CFUNCTYPE(c_char_p, POINTER(ArrowArrayStream))),
    ("release", CFUNCTYPE(None, POINTER(ArrowArrayStream))),
    ("private_data", c_void_p),
]

# Structures built here belong to their Batch: their release callbacks
# only mark them released (the library never calls them; a consumer that
# is handed one of our capsules may).
_release_schema = ArrowSchema._fields_[7][1](lambda s: setattr(s.contents, "release",
                                                                 ArrowSchema._fields_[7][1]()))
_release_array = ArrowArray._fields_[8][1](lambda a: setattr(a.contents, "release",
                                                               ArrowArray._fields_[8][1]()))


def _address(buf: Any) -> Optional[int]:
    """The address of a buffer: a numpy array, bytes or a ctypes object."""
    if buf is None:
        return None
    if isinstance(buf, bytes):
        return ctypes.cast(ctypes.c_char_p(buf), c_void_p).value
    iface = getattr(buf, "__array_interface__", None)
    if iface is not None:
        return iface["data"][0]
    return ctypes.addressof(buf)


class Column:
    """One column: an Arrow format, a length, up to three buffers
    (validity, data or offsets, characters) and optionally a dictionary
    (another Column) for dictionary-encoded columns."""

    __slots__ = ("name", "format", "length", "buffers", "dictionary", "null_count")

    def __init__(self, name: str, fmt: str, length: int, buffers: Sequence[Any],
                 dictionary: "Optional[Column]" = None, null_count: int = -1):
        self.name = name
        self.format = fmt
        self.length = length
        self.buffers = list(buffers)
        self.dictionary = dictionary
        self.null_count = null_count if self.buffers and self.buffers[0] is not None else 0


class Batch:
    """ArrowSchema + ArrowArray of a struct of columns, pointing at the
    columns' buffers (kept alive here)."""

    def __init__(self, columns: List[Column], length: int):
        self._keep: List[Any] = []
        self.schema, self.array = self._struct(columns, length)

    def _encode(self, s: str) -> bytes:
        b = s.encode("utf-8")
        self._keep.append(b)
        return b

    def _one(self, col: Column) -> Tuple[ArrowSchema, ArrowArray]:
        s = ArrowSchema()
        a = ArrowArray()
        s.format = self._encode(col.format)
        s.name = self._encode(col.name)
        s.flags = 2  # nullable
        s.release = _release_schema
        bufs = (c_void_p * max(len(col.buffers), 1))(*[_address(b) for b in col.buffers])
        self._keep.extend([bufs, col.buffers])
        a.length = col.length
        a.null_count = col.null_count
        a.n_buffers = len(col.buffers)
        a.buffers = bufs
        a.release = _release_array
        if col.dictionary is not None:
            ds, da = self._one(col.dictionary)
            s.dictionary = ctypes.pointer(ds)
            a.dictionary = ctypes.pointer(da)
        self._keep.extend([s, a])
        return s, a

    def _struct(self, columns: List[Column], length: int) -> Tuple[ArrowSchema, ArrowArray]:
        s = ArrowSchema()
        a = ArrowArray()
        s.format = b"+s"
        s.name = b""
        s.release = _release_schema
        parts = [self._one(c) for c in columns]
        n = len(parts)
        sch = (POINTER(ArrowSchema) * max(n, 1))(*[ctypes.pointer(p[0]) for p in parts])
        arr = (POINTER(ArrowArray) * max(n, 1))(*[ctypes.pointer(p[1]) for p in parts])
        bufs = (c_void_p * 1)(None)
        self._keep.extend([sch, arr, bufs])
        s.n_children = n
        s.children = sch
        a.length = length
        a.n_buffers = 1
        a.buffers = bufs
        a.n_children = n
        a.children = arr
        a.release = _release_array
        return s, a


# --- the PyCapsule interface -------------------------------------------------

_capsule_get = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_get.restype = c_void_p
_capsule_get.argtypes = [ctypes.py_object, c_char_p]


def _pointer(capsule: Any, name: bytes, kind: Any) -> Any:
    return ctypes.cast(_capsule_get(capsule, name), POINTER(kind))


# Streams this module hands out in capsules, by the capsule's address, kept
# alive until the capsule is collected; its destructor releases a stream
# the consumer did not take. The destructor gets the dying capsule as a
# plain address: touching it as a Python object would revive it.
_streams: dict = {}
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [c_void_p, c_void_p, c_void_p]
# the capsule keeps a pointer to its name: a buffer as long-lived as the module
_STREAM_NAME = ctypes.create_string_buffer(b"arrow_array_stream")


@CFUNCTYPE(None, c_void_p)
def _stream_capsule_free(capsule: int) -> None:
    stream = _streams.pop(capsule, None)
    if stream is not None and stream.release:
        stream.release(ctypes.byref(stream))


def stream_capsule(fill: Any) -> Any:
    """A PyCapsule "arrow_array_stream" holding a stream that fill(pointer)
    makes (fill raises on failure, leaving nothing to release)."""
    stream = ArrowArrayStream()
    fill(ctypes.byref(stream))
    try:
        cap = _capsule_new(ctypes.addressof(stream), ctypes.addressof(_STREAM_NAME),
                           ctypes.cast(_stream_capsule_free, c_void_p).value)
    except BaseException:
        stream.release(ctypes.byref(stream))
        raise
    _streams[id(cap)] = stream
    return cap


def capsule_batches(obj: Any) -> Iterator[Tuple[Any, Any]]:
    """(schema pointer, array pointer) for each record batch of an object
    with ``__arrow_c_stream__`` or ``__arrow_c_array__``. Each pair is valid
    until the next one is asked for; everything is released by the time the
    iteration ends."""
    if hasattr(obj, "__arrow_c_stream__"):
        cap = obj.__arrow_c_stream__()
        stream = _pointer(cap, b"arrow_array_stream", ArrowArrayStream)
        schema = ArrowSchema()
        if stream.contents.get_schema(stream, ctypes.byref(schema)) != 0:
            raise ValueError("the Arrow stream gave no schema: " + _last_error(stream))
        try:
            while True:
                arr = ArrowArray()
                if stream.contents.get_next(stream, ctypes.byref(arr)) != 0:
                    raise ValueError("the Arrow stream failed: " + _last_error(stream))
                if not arr.release:
                    break  # the end of the stream
                try:
                    yield ctypes.pointer(schema), ctypes.pointer(arr)
                finally:
                    if arr.release:
                        arr.release(ctypes.byref(arr))
        finally:
            if schema.release:
                schema.release(ctypes.byref(schema))
            del stream
            del cap  # its destructor releases the stream
        return
    if hasattr(obj, "__arrow_c_array__"):
        caps = obj.__arrow_c_array__()
        sc, ac = caps
        yield _pointer(sc, b"arrow_schema", ArrowSchema), _pointer(ac, b"arrow_array", ArrowArray)
        return
    raise TypeError(f"{type(obj).__name__} has neither __arrow_c_stream__ nor __arrow_c_array__")


def _last_error(stream: Any) -> str:
    try:
        msg = stream.contents.get_last_error(stream)
    except Exception:
        msg = None
    return msg.decode("utf-8", "replace") if msg else "no message"
