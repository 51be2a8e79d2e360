"""Population.__arrow_c_stream__: a population's results as an Arrow
stream in a PyCapsule, read back here through the C Data Interface
buffers (standard library only: any Arrow reader takes the same capsule)."""
import ctypes
import unittest

import support  # noqa: F401  (puts the package on sys.path)
from support import SOURCE_ROOT

from rulebook import Rulebook, _arrow

COLUMNS = SOURCE_ROOT / "tests" / "api" / "fixtures" / "columns.yaml"


def _valid(a, i):
    if not a.buffers[0]:
        return True
    bits = ctypes.cast(a.buffers[0], ctypes.POINTER(ctypes.c_uint8))
    return bool(bits[(a.offset + i) // 8] >> ((a.offset + i) % 8) & 1)


def _utf8(a, i):
    if not _valid(a, i):
        return None
    off = ctypes.cast(a.buffers[1], ctypes.POINTER(ctypes.c_int32))
    start, end = off[a.offset + i], off[a.offset + i + 1]
    return ctypes.string_at(a.buffers[2] + start, end - start).decode()


def _dict(a, fmt, i):
    if not _valid(a, i):
        return None
    kind = ctypes.c_int8 if fmt == "c" else ctypes.c_int16
    idx = ctypes.cast(a.buffers[1], ctypes.POINTER(kind))[a.offset + i]
    return _utf8(a.dictionary.contents, idx)


def _dec(a, i):
    if not _valid(a, i):
        return None
    raw = ctypes.string_at(a.buffers[1] + 16 * (a.offset + i), 16)
    return int.from_bytes(raw, "little", signed=True)


def read(capsule_owner):
    """{column name: (format, [values])} of every batch of the stream."""
    out = {}
    for schema, array in _arrow.capsule_batches(capsule_owner):
        s, a = schema.contents, array.contents
        assert s.format == b"+s"
        for c in range(s.n_children):
            cs, ca = s.children[c].contents, a.children[c].contents
            fmt = cs.format.decode()
            if fmt == "u":
                vals = [_utf8(ca, i) for i in range(ca.length)]
            elif fmt in ("c", "s"):
                vals = [_dict(ca, fmt, i) for i in range(ca.length)]
            else:
                vals = [_dec(ca, i) for i in range(ca.length)]
            name = cs.name.decode()
            out.setdefault(name, (fmt, []))[1].extend(vals)
    return out


class ResultsArrow(unittest.TestCase):
    @unittest.skipUnless(COLUMNS.is_file(), "fixture missing")
    def test_every_column(self):
        recs = [
            {"_id": "甲", "n": "150.25", "area": "12.5", "k": 3, "ok": True, "name": "临安",
             "sector": "化工", "opened": "2021-01-01"},
            {"n": -3, "area": "0.125", "k": 0, "ok": False, "name": "杭州", "sector": "纺织",
             "opened": "2019-12-31"},
            {"_id": "C3"},
        ]
        with Rulebook.load(COLUMNS) as rb:
            pop = rb.population(recs, "2023-06-30")
            owner = _Owner(pop)
            pop.close()  # the stream is a copy
        got = read(owner)
        self.assertEqual(list(got), ["_id", "N", "K", "B", "T", "E", "D", "sn.class",
                                     "sn.score", "sa.class", "sa.score", "sk.class",
                                     "sk.score"])
        self.assertEqual(got["_id"], ("u", ["甲", None, "C3"]))
        for rule in "NKBTED":
            self.assertEqual(got[rule], ("c", ["pass", "fail", "unknown"]))
        self.assertEqual(got["sn.class"], ("s", ["high", "low", None]))
        self.assertEqual(got["sa.class"], ("s", ["low", "low", None]))
        # 150.25 and -3 at scale 2, 12.5 and 0.125 at 3, 3 and 0 at 0
        self.assertEqual(got["sn.score"], ("d:38,2", [15025, -300, None]))
        self.assertEqual(got["sa.score"], ("d:38,3", [12500, 125, None]))
        self.assertEqual(got["sk.score"], ("d:38,0", [3, 0, None]))

    def test_capsule_released_unread(self):
        with Rulebook.load(COLUMNS) as rb, rb.population([{"n": 1}], "2023-06-30") as pop:
            cap = pop.__arrow_c_stream__()
            self.assertEqual(len(_arrow._streams), 1)
            del cap  # the destructor releases the stream nobody read
            self.assertEqual(len(_arrow._streams), 0)


class _Owner:
    """A stream taken once, as a reader takes it."""

    def __init__(self, pop):
        self.capsule = pop.__arrow_c_stream__()

    def __arrow_c_stream__(self, requested_schema=None):
        return self.capsule


if __name__ == "__main__":
    unittest.main()
