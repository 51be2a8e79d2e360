"""A population's results as one Arrow record batch (``__arrow_c_array__``)
and its scores as decimal128, read back by a small consumer of the Arrow C
Data Interface written here with ctypes. Figures are worked out by hand
from tests/rules/declarations.yaml: mu_tax = tax / land_area, score =
mu_tax / 40 × 100, class A from 90."""
import ctypes
import gc
import sys
import unittest
from decimal import Decimal

import support

from rulebook import InvalidArgumentError, NumberRangeError, Rulebook
from rulebook._arrow import ArrowArray, ArrowSchema, capsule_batches

PATH = support.FIXTURES / "declarations.yaml"
AS_OF = "2023-06-30"
# a: 370 / 10 = 37 -> 92.5 points, A; b: 125 / 10 = 12.5 -> 31.25, B;
# c: no tax -> no score, T1.mu_tax unknown
RECORDS = [{"_id": "a", "tax": 370, "land_area": 10}, {"_id": "b", "tax": 125, "land_area": 10},
           {"_id": "c", "land_area": 10}]

_get = ctypes.pythonapi.PyCapsule_GetPointer
_get.restype = ctypes.c_void_p
_get.argtypes = [ctypes.py_object, ctypes.c_char_p]


def structure(capsule, name, kind):
    return ctypes.cast(_get(capsule, name), ctypes.POINTER(kind)).contents


def bit(array, i):
    """Whether row i is valid (no validity buffer: all are)."""
    if not array.buffers[0]:
        return True
    return bool(ctypes.string_at(array.buffers[0], i // 8 + 1)[i // 8] >> (i % 8) & 1)


def utf8(array):
    """The strings of a utf8 ("u") array, None where null."""
    offsets = (ctypes.c_int32 * (array.length + 1)).from_address(array.buffers[1])
    out = []
    for i in range(array.length):
        k = i + array.offset
        out.append(ctypes.string_at(array.buffers[2] + offsets[k], offsets[k + 1] - offsets[k])
                   .decode() if bit(array, i) else None)
    return out


def indices(array, ctype):
    vals = (ctype * (array.length + array.offset)).from_address(array.buffers[1])
    return [vals[i + array.offset] if bit(array, i) else None for i in range(array.length)]


def decimal128(array, scale):
    raw = ctypes.string_at(array.buffers[1], 16 * (array.length + array.offset))
    return [Decimal(int.from_bytes(raw[16 * (i + array.offset):16 * (i + array.offset) + 16],
                                   sys.byteorder, signed=True)).scaleb(-scale)
            if bit(array, i) else None for i in range(array.length)]


class ArrowArrayExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(PATH)
        cls.pop = cls.rb.population(RECORDS, AS_OF)

    @classmethod
    def tearDownClass(cls):
        cls.pop.close()
        cls.rb.close()

    def test_batch(self):
        sc, ac = self.pop.__arrow_c_array__()
        schema = structure(sc, b"arrow_schema", ArrowSchema)
        array = structure(ac, b"arrow_array", ArrowArray)
        self.assertEqual(schema.format, b"+s")
        names = [schema.children[i].contents.name.decode() for i in range(schema.n_children)]
        self.assertEqual(names, ["_id", "T1.mu_tax", "R.height", "R.warehouse", "mujun.class",
                                 "mujun.score"])
        formats = [schema.children[i].contents.format.decode()
                   for i in range(schema.n_children)]
        # 92.5 and 31.25: two decimal places hold both exactly
        self.assertEqual(formats, ["u", "c", "c", "c", "s", "d:38,2"])
        self.assertEqual((array.length, array.n_children), (3, 6))
        col = [array.children[i].contents for i in range(array.n_children)]
        self.assertEqual(utf8(col[0]), ["a", "b", "c"])
        # verdict index = rulebook_verdict - 1: pass 0, fail 1, unknown 4
        self.assertEqual(indices(col[1], ctypes.c_int8), [0, 1, 4])
        verdicts = utf8(col[1].dictionary.contents)
        self.assertEqual(verdicts[:5], ["pass", "fail", "not_applicable", "exempt", "unknown"])
        self.assertEqual(schema.children[1].contents.dictionary.contents.format, b"u")
        # classes: A (index 0), B (1), and null where the score is unknown
        self.assertEqual(indices(col[4], ctypes.c_int16), [0, 1, None])
        self.assertEqual(utf8(col[4].dictionary.contents)[:2], ["A", "B"])
        self.assertEqual(decimal128(col[5], 2), [Decimal("92.5"), Decimal("31.25"), None])
        # the stream (__arrow_c_stream__) gives the same columns
        for s, a in capsule_batches(self.pop):
            self.assertEqual([s.contents.children[i].contents.format.decode()
                              for i in range(s.contents.n_children)], formats)
            self.assertEqual(decimal128(a.contents.children[5].contents, 2),
                             decimal128(col[5], 2))
        del schema, array, col
        del sc, ac
        gc.collect()

    def test_outlives_population_and_moved_out(self):
        with self.rb.population(RECORDS[:1], AS_OF) as pop:
            sc, ac = pop.__arrow_c_array__()
        array = structure(ac, b"arrow_array", ArrowArray)
        self.assertEqual(array.length, 1)
        self.assertEqual(decimal128(array.children[5].contents, 1), [Decimal("92.5")])
        # a consumer that moves the array out takes over its release
        moved = ArrowArray.from_buffer_copy(array)
        array.release = type(array.release)()
        del array, ac, sc
        gc.collect()
        self.assertTrue(moved.release)
        moved.release(ctypes.byref(moved))
        self.assertFalse(moved.release)

    def test_empty_population(self):
        with self.rb.population([], AS_OF) as pop:
            sc, ac = pop.__arrow_c_array__()
            self.assertEqual(structure(ac, b"arrow_array", ArrowArray).length, 0)
            self.assertEqual(len(pop.scores_decimal128("mujun", 2)), 0)


class Decimal128Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(PATH)
        cls.pop = cls.rb.population(RECORDS, AS_OF)

    @classmethod
    def tearDownClass(cls):
        cls.pop.close()
        cls.rb.close()

    def test_scale_2(self):
        s = self.pop.scores_decimal128("mujun", 2)
        # 92.5 at scale 2 is 9250; 31.25 is 3125; c has none
        self.assertEqual(s.unscaled(), [9250, 3125, None])
        self.assertEqual(s.valid, b"\x01\x01\x00")
        self.assertEqual(s.values[:16], (9250).to_bytes(16, sys.byteorder, signed=True))
        self.assertEqual(s.values[32:], bytes(16))       # no score: 0
        self.assertEqual(s.decimals(), [Decimal("92.50"), Decimal("31.25"), None])

    def test_scale_4_and_default_scorecard(self):
        self.assertEqual(self.pop.scores_decimal128(scale=4).unscaled(), [925000, 312500, None])

    def test_not_exact_at_scale(self):
        # 31.25 has two decimal places: at scale 1 it cannot be held exactly
        with self.assertRaises(NumberRangeError) as cm:
            self.pop.scores_decimal128("mujun", 1)
        self.assertIn("mujun", str(cm.exception))
        with self.assertRaises(InvalidArgumentError):
            self.pop.scores_decimal128("mujun", 39)


if __name__ == "__main__":
    unittest.main()
