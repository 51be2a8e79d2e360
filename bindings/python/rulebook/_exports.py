"""A population's results handed over in other tools' forms: one Arrow
record batch through the Arrow PyCapsule interface (``__arrow_c_array__``;
``__arrow_c_stream__`` is Population's own), and every score of a
scorecard as Arrow decimal128 values. :class:`PopulationExports` is a base
class of :class:`rulebook.Population`."""
from __future__ import annotations

import ctypes
import sys
from ctypes import CFUNCTYPE, c_void_p
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._arrow import ArrowArray, ArrowSchema
from ._details import need
from ._errors import raise_status
from ._lib import lib, thread_error

__all__ = ["Decimal128Scores", "PopulationExports"]


class Decimal128Scores:
    """Every record's score in one scorecard as Arrow decimal128 values:
    ``values`` holds 16 bytes per record, the unscaled value as a 128-bit
    two's complement integer in native byte order, and ``valid`` one byte
    per record, 1 where the record has a score (its value is 0 where not).
    A score is its unscaled value × 10^-scale, exactly."""

    __slots__ = ("scale", "values", "valid")

    def __init__(self, scale: int, values: bytes, valid: bytes):
        self.scale = scale
        self.values = values
        self.valid = valid

    def __len__(self) -> int:
        return len(self.valid)

    def unscaled(self) -> List[Optional[int]]:
        """The unscaled integers, None where a record has no score."""
        return [int.from_bytes(self.values[16 * i:16 * i + 16], sys.byteorder, signed=True)
                if self.valid[i] else None for i in range(len(self.valid))]

    def decimals(self) -> List[Optional[Decimal]]:
        """The scores as Decimal, None where a record has none."""
        return [None if u is None else Decimal(u).scaleb(-self.scale)
                for u in self.unscaled()]

    def __repr__(self) -> str:
        return f"<Decimal128Scores scale={self.scale} records={len(self)}>"


# --- capsules owning an ArrowSchema or an ArrowArray --------------------------
#
# A capsule's destructor calls the structure's release callback unless a
# consumer moved the structure out (release NULL), then lets it go. It is
# called with the dying capsule's address: touching the capsule as a Python
# object would revive it.

_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [c_void_p, c_void_p, c_void_p]
_NAMES = {name: ctypes.create_string_buffer(name) for name in (b"arrow_schema", b"arrow_array")}
_owned: Dict[int, Any] = {}


def _release(struct: Any) -> None:
    if struct.release:
        struct.release(ctypes.byref(struct))


@CFUNCTYPE(None, c_void_p)
def _capsule_free(capsule: int) -> None:
    struct = _owned.pop(capsule, None)
    if struct is not None:
        _release(struct)


def _capsule(struct: Any, name: bytes) -> Any:
    cap = _capsule_new(ctypes.addressof(struct), ctypes.addressof(_NAMES[name]),
                       ctypes.cast(_capsule_free, c_void_p).value)
    _owned[id(cap)] = struct
    return cap


class PopulationExports:
    """Methods of :class:`rulebook.Population` that hand results over in
    other tools' forms."""

    # Provided by Population.
    _call: Callable[..., Any]
    _scorecard: Callable[[Optional[str]], int]

    def __arrow_c_array__(self, requested_schema: Any = None) -> Tuple[Any, Any]:
        """The results of every record as one Arrow record batch (the Arrow
        PyCapsule interface: an "arrow_schema" and an "arrow_array"
        capsule), with the columns of ``__arrow_c_stream__``: ``_id``, one
        dictionary-encoded verdict column per rule, and per scorecard
        ``<id>.class`` (dictionary-encoded) and ``<id>.score`` (exact
        decimal128). A copy: it stays valid after the population is
        closed. requested_schema is not applied (the interface lets a
        producer decline it)."""
        need("rulebook_population_results_arrow")
        schema, array = ArrowSchema(), ArrowArray()
        err = thread_error()
        st = self._call(lib.rulebook_population_results_arrow, ctypes.byref(schema),
                        ctypes.byref(array), err)
        if st:
            raise_status(st, err)   # both release members are NULL: nothing to free
        try:
            sc = _capsule(schema, b"arrow_schema")
        except BaseException:
            _release(schema)
            _release(array)
            raise
        try:
            ac = _capsule(array, b"arrow_array")
        except BaseException:
            _release(array)
            raise
        return sc, ac

    def scores_decimal128(self, scorecard: Optional[str] = None, scale: int = 2
                          ) -> Decimal128Scores:
        """Every record's score in scorecard (optional when the rulebook has
        one) as Arrow decimal128 values at scale (0..38), exactly: a score
        with more decimal places than scale, or more than 38 digits at it,
        is a NumberRangeError naming the record and the scorecard; a scale
        out of range an InvalidArgumentError."""
        need("rulebook_population_scores_decimal128")
        k = self._scorecard(scorecard)

        def get(p: int) -> Decimal128Scores:
            n = lib.rulebook_population_size(p)
            values = ctypes.create_string_buffer(max(16 * n, 16))
            valid = ctypes.create_string_buffer(max(n, 1))
            err = thread_error()
            st = lib.rulebook_population_scores_decimal128(p, k, scale, values, valid, err)
            if st:
                raise_status(st, err)
            return Decimal128Scores(scale, values.raw[:16 * n], valid.raw[:n])
        return self._call(get)
