"""The compiled accelerator of Rulebook.evaluate (rulebook._speedups,
bindings/python/speedups): it packs a dict into the same bytes as the
pure-Python packing (rulebook/_packed.py), refuses the same records with
the same errors, and sends the same records to the typed setters. The
whole suite also runs without it (meson test python-pure,
RULEBOOK_SPEEDUPS=off); these tests skip when it is not loaded."""
import datetime
import sys
import threading
import unittest
from decimal import Decimal

import support  # noqa: F401  (puts the package on sys.path)
from support import BASIC, SOURCE_ROOT

from rulebook import FactError, NotFoundError, Rulebook, _packed
from test_packed import pair

sys.path.insert(0, str(SOURCE_ROOT / "bindings" / "bench"))
import workload  # noqa: E402

D = datetime.date(2023, 6, 30)
AS_OF = 20230630


class Subclassed(dict):
    pass


@unittest.skipIf(_packed.speedups is None, "rulebook._speedups is not loaded")
class SpeedupsTest(unittest.TestCase):
    def packed_both_ways(self, rb, rec):
        """The record as the accelerator packed it (evaluated) and as
        Packer.pack packs it, as bytes; None for a record either sends to
        the typed setters."""
        pk = rb._packer
        st = pk.state(rb._h.ptr)
        end = st.fast.run(rec, AS_OF)
        fast = None if end is None else bytes(st.buf[pk.base:end])
        self.assertFalse(end is not None and end < 0, f"{rec!r} refused")
        st.buf[pk.base:pk.base + pk.fixed] = bytes(pk.fixed)
        end = pk.pack(st, rec)
        slow = None if end is None else bytes(st.buf[pk.base:end])
        return fast, slow

    def test_same_bytes(self):
        rb = Rulebook.load(SOURCE_ROOT / workload.RULEBOOK)
        records = workload.generate(500, 13)
        for i, r in enumerate(records):
            if i % 4 == 1 and r["tax"] is not None:
                r["tax"] = str(r["tax"])
            if i % 5 == 2 and r["employees"] is not None:
                r["employees"] = int(r["employees"])
            if i % 6 == 3 and r["revenue"] is not None:
                r["revenue"] = Decimal(str(r["revenue"]))
            if i % 3 == 0:
                r["_id"] = f"企业{i}" if i % 2 else i
            if i % 7 == 0:
                r["_note"] = object()  # "_" keys other than "_id" are skipped
        for i, rec in enumerate(records):
            fast, slow = self.packed_both_ways(rb, rec)
            self.assertIsNotNone(fast, f"record {i}")
            self.assertEqual(fast, slow, f"record {i}")
        rb.close()

    def test_same_bytes_every_kind(self):
        rb = Rulebook.from_string(BASIC)
        for rec in [
            {},
            {"tax": None, "land_area": None, "_id": None},
            {"key_project": True, "tax": 1.5},
            {"key_project": False, "converted": -0.0, "land_area": 1e300},
            {"name": "青山😀五金", "sector": "纺织", "tax": "12 万元"},
            {"name": "", "_id": ""},
            {"employees": 10 ** 30, "tax": Decimal("-1.50E+3")},
            {"_id": 3.5, "_": 1, "__x": None},
        ]:
            fast, slow = self.packed_both_ways(rb, rec)
            self.assertIsNotNone(fast, repr(rec))
            self.assertEqual(fast, slow, repr(rec))
        rb.close()

    def test_typed_setters_for_the_same_records(self):
        """Records the buffer cannot carry go to the typed setters from
        both packings, and evaluate gives what the setters give."""
        rb, ref = pair(lambda: Rulebook.from_string(BASIC))
        for rec in [
            {"deadline": datetime.date(2023, 5, 1), "tax": 370, "land_area": 10},
            {"name": "x" * (1 << 17), "tax": 1.0},  # more text than the buffer holds
        ]:
            fast, slow = self.packed_both_ways(rb, rec)
            self.assertIsNone(fast, repr(rec)[:80])
            self.assertIsNone(slow, repr(rec)[:80])
            self.assertEqual(rb.evaluate(rec, D).verdicts, ref.evaluate(rec, D).verdicts)
        # a subclass of dict is packed by the pure-Python packing
        rec = Subclassed(tax=370, land_area=10)
        self.assertEqual(rb.evaluate(rec, D).verdicts, ref.evaluate(rec, D).verdicts)
        self.assertEqual(rb.evaluate(rec, D).verdicts["T1"], "pass")
        rb.close()
        ref.close()

    def test_same_errors_in_the_same_order(self):
        """As the pure-Python packing: the first key that is not an input
        is named even after a value the buffer cannot carry or convert;
        errors name the input."""
        rb = Rulebook.from_string(BASIC)
        ref = Rulebook.from_string(BASIC)
        ref._packer.state(ref._h.ptr).fast = None  # packed by _packed.Packer.pack
        cases = [
            ({"tax": 1, "nope": 2}, NotFoundError, "'nope' is not an input of rulebook"),
            ({"nope": 2, "tax": [1]}, NotFoundError, "'nope' is not an input of rulebook"),
            ({"tax": Decimal("NaN"), "nope": 1}, NotFoundError, "'nope'"),
            ({"name": "\ud800", "nope": 1}, NotFoundError, "'nope'"),
            ({1: 2}, NotFoundError, "'1' is not an input"),
            ({"tax": 1, ("a",): 2}, NotFoundError, "('a',)' is not an input of rulebook 'test.binding'"),
            # values are converted in the rulebook's order of inputs (tax first)
            ({"land_area": Decimal("sNaN"), "tax": Decimal("NaN")}, FactError,
             "NaN is not a usable number for input 'tax'"),
            ({"tax": Decimal("Infinity")}, FactError,
             "Infinity is not a usable number for input 'tax'"),
            ({"name": "\ud800"}, FactError, "name"),
            ({"key_project": 1.0}, FactError, "key_project"),
            ({"employees": 2.5}, FactError, "employees"),
        ]
        for rec, cls, text in cases:
            errors = []
            for x in (rb, ref):
                with self.assertRaises(cls, msg=repr(rec)) as cm:
                    x.evaluate(rec, D)
                errors.append(cm.exception)
            e, f = errors
            self.assertIn(text, str(e), repr(rec))
            self.assertEqual(str(e), str(f), repr(rec))
        # nothing is left behind for the next record
        self.assertEqual(rb.evaluate({"tax": 370, "land_area": 10}, D).verdicts["T1"], "pass")
        self.assertEqual(rb.evaluate({"land_area": 10}, D).verdicts["T1"], "unknown")
        rb.close()
        ref.close()

    def test_checks_its_arguments(self):
        ev = _packed.speedups.Evaluator
        with self.assertRaises(ValueError):
            ev(0, 1, 1, 1, None, bytearray(64), 8, 9, 0, 8, {}, Decimal, str)
        with self.assertRaises(ValueError):  # fixed is not 9 × (inputs + 1)
            ev(1, 1, 1, 1, None, bytearray(64), 8, 10, 0, 8, {}, Decimal, str)
        with self.assertRaises(TypeError):
            ev(1, 1, 1, 1, None, b"not a bytearray", 8, 9, 0, 8, {}, Decimal, str)
        rb = Rulebook.from_string(BASIC)
        fast = rb._packer.state(rb._h.ptr).fast
        with self.assertRaises(TypeError):
            fast.run([("tax", 1)], AS_OF)
        with self.assertRaises(OverflowError):
            fast.run({}, 1 << 40)
        rb.close()


class CallersCodeTest(unittest.TestCase):
    """Records whose keys or "_id" run the caller's Python code while they
    are packed, with and without the accelerator (these run in both
    suites): nothing crashes, leaks, hangs or mixes two records."""

    def test_keys_of_a_subclass_of_str(self):
        # Three keys of a dict that all find the input "tax": the record is
        # evaluated as if tax were given once, and nothing is kept.
        class Key(str):
            __hash__ = str.__hash__

            def __eq__(self, other):
                return self is other if isinstance(other, Key) else str.__eq__(self, other)

        rb = Rulebook.from_string(BASIC)
        value = 370.5
        rec = {Key("tax"): value, Key("tax"): value, Key("tax"): value, "land_area": 10.0}
        self.assertEqual(len(rec), 4)
        before = sys.getrefcount(value)
        for _ in range(200):
            r = rb.evaluate(rec, D)
            self.assertEqual(r.verdicts["T1"], "pass")
            self.assertEqual(r.value("mu_tax"), Decimal("37.05"))
        del r
        self.assertEqual(sys.getrefcount(value), before)
        rb.close()

    def test_an_id_whose_str_evaluates_on_the_same_thread(self):
        rb = Rulebook.from_string(BASIC)
        inner = []

        class Id:
            def __str__(self):
                inner.append(rb.evaluate({"tax": 2.0, "land_area": 1.0}, D))
                return "E-7"

        outer = []
        t = threading.Thread(daemon=True, target=lambda: outer.append(
            rb.evaluate({"tax": 370.0, "land_area": 10.0, "_id": Id()}, D)))
        t.start()
        t.join(60)
        self.assertFalse(t.is_alive(), "evaluate hung on its own thread's lock")
        self.assertEqual(len(outer), 1)
        self.assertEqual(len(inner), 1)
        # each record kept its own values (the inner one did not overwrite
        # the outer one's buffer)
        self.assertEqual(outer[0].record_id, "E-7")
        self.assertEqual(outer[0].verdicts["T1"], "pass")
        self.assertEqual(outer[0].value("mu_tax"), Decimal("37"))
        self.assertIsNone(inner[0].record_id)
        self.assertEqual(inner[0].verdicts["T1"], "fail")
        self.assertEqual(inner[0].value("mu_tax"), Decimal("2"))
        rb.close()


if __name__ == "__main__":
    unittest.main()
