"""Rulebook.evaluate through rulebook_eval_packed: one crossing of the C
boundary per record. The reference is the typed-setter path (one call per
fact), which the binding uses with a library that lacks the packed calls:
both must give the same verdicts, classes, scores, values and errors."""
import contextlib
import datetime
import gc
import sys
import threading
import unittest
from decimal import Decimal

import support  # noqa: F401  (puts the package on sys.path)
from support import BASIC, CLASS_ERROR, SOURCE_ROOT

from rulebook import ClosedError, FactError, NotFoundError, Rulebook, _lib

sys.path.insert(0, str(SOURCE_ROOT / "bindings" / "bench"))
import workload  # noqa: E402

D = datetime.date(2023, 6, 30)


@contextlib.contextmanager
def setter_path():
    """Rulebooks loaded here act as with a library without the packed calls."""
    lib = _lib.lib
    saved = lib.rulebook_eval_packed
    lib.rulebook_eval_packed = None
    try:
        yield
    finally:
        lib.rulebook_eval_packed = saved


@contextlib.contextmanager
def unscored_path():
    """Rulebooks loaded here act as with a library that has
    rulebook_eval_packed but not rulebook_eval_packed_scored."""
    lib = _lib.lib
    saved = lib.rulebook_eval_packed_scored
    lib.rulebook_eval_packed_scored = None
    try:
        yield
    finally:
        lib.rulebook_eval_packed_scored = saved


def pair(load):
    rb = load()
    with setter_path():
        ref = load()
    assert rb._packer is not None and ref._packer is None
    assert rb._packer.scored == (_lib.lib.rulebook_eval_packed_scored is not None)
    return rb, ref


class PackedTest(unittest.TestCase):
    def same(self, a, b, what):
        self.assertEqual(a.verdicts, b.verdicts, what)
        self.assertEqual(a.counts, b.counts, what)
        self.assertEqual(a.record_id, b.record_id, what)
        for sc in a.rulebook.scorecards:
            self.assertEqual(a.class_of(sc.id), b.class_of(sc.id), what)
            self.assertEqual(a.score(sc.id), b.score(sc.id), what)
            self.assertEqual(a.scorecards[sc.id], b.scorecards[sc.id], what)
            # the float: within 2^-43 of the exact score (rulebook_result_score_double)
            exact = b.score(sc.id)
            x = a.score_float(sc.id)
            if exact is None:
                self.assertIsNone(x, what)
            else:
                self.assertIs(type(x), float, what)
                self.assertLessEqual(abs(x - float(exact)), abs(float(exact)) * 2.0 ** -43,
                                     f"{what}: {x} {exact}")

    def test_generated_enterprise_years(self):
        path = SOURCE_ROOT / workload.RULEBOOK
        rb, ref = pair(lambda: Rulebook.load(path))
        with unscored_path():
            unscored = Rulebook.load(path)
        self.assertFalse(unscored._packer.scored)
        records = workload.generate(2000, 7)
        for i, r in enumerate(records):
            # exact decimal text, units, Decimals, ints and ids beside the floats
            if i % 5 == 1 and r["tax"] is not None:
                r["tax"] = str(r["tax"])
            if i % 7 == 2 and r["land_area"] is not None:
                r["land_area"] = f"{Decimal(str(r['land_area'])) * 10000 / 15:.10f} m²"
            if i % 11 == 3 and r["employees"] is not None:
                r["employees"] = int(r["employees"])
            if i % 17 == 4 and r["revenue"] is not None:
                r["revenue"] = Decimal(str(r["revenue"]))
            if i % 3 == 0:
                r["_id"] = f"E{i}"
            if i % 13 == 4:
                del r["town"]
        for i, rec in enumerate(records):
            a = rb.evaluate(rec, workload.AS_OF)
            b = ref.evaluate(rec, workload.AS_OF)
            self.same(a, b, f"record {i}")
            self.same(unscored.evaluate(rec, workload.AS_OF), b,
                      f"record {i} (scores from the C result)")
            if i % 50 == 0:
                self.assertEqual(a.to_json(), b.to_json(), f"record {i}")
                self.assertEqual(a.value("tax"), b.value("tax"))
        rb.close()
        ref.close()
        unscored.close()

    def test_every_kind_of_value_read_later(self):
        rb, ref = pair(lambda: Rulebook.from_string(BASIC))
        records = [
            {"tax": "1158.1", "land_area": 31.3, "employees": 12, "key_project": True,
             "sector": "纺织", "name": "青山😀五金", "deadline": datetime.date(2023, 5, 1),
             "_id": "E1"},
            {"tax": 1158.1, "land_area": "20866.6666666666667 m²", "employees": 12.0,
             "key_project": "false", "sector": "化工", "deadline": "2023-07-01",
             "converted": None, "_id": 7},
            {"tax": Decimal("0.1"), "land_area": None, "_comment": "x"},
            {"tax": 370, "land_area": 10},
            {},
        ]
        a = [rb.evaluate(r, D) for r in records]
        b = [ref.evaluate(r, D) for r in records]
        # read only now: every packed result but the last evaluates again
        for i, (x, y) in enumerate(zip(a, b)):
            self.same(x, y, f"record {i}")
            self.assertEqual(x.explain("en"), y.explain("en"))
            self.assertEqual(x.to_dict(), y.to_dict())
            for n in ("tax", "land_area", "employees", "key_project", "sector", "name",
                      "deadline"):
                self.assertEqual(x.value(n), y.value(n), f"{n} of record {i}")
        self.assertEqual(a[0].value("name"), "青山😀五金")
        self.assertEqual(a[1].record_id, "7")
        self.assertEqual(a[3].verdicts["T1"], "pass")
        rb.close()
        ref.close()

    def test_one_crossing_per_record(self):
        rb = Rulebook.load(SOURCE_ROOT / workload.RULEBOOK)
        rec = workload.generate(1, 3)[0]
        rb.evaluate(rec, workload.AS_OF)  # the first call also makes the C facts and result
        # Objects of earlier tests that only the cycle collector frees would
        # otherwise be freed (rulebook_free, ...) inside the counted call.
        gc.collect()
        lib = _lib.lib
        calls = []
        names = [n for n in vars(lib) if n.startswith("rulebook_") and getattr(lib, n)]
        saved = {n: getattr(lib, n) for n in names}

        def spy(n):
            def call(*a):
                calls.append(n)
                return saved[n](*a)
            return call
        pk = rb._packer
        call = ("rulebook_eval_packed_scored" if lib.rulebook_eval_packed_scored
                else "rulebook_eval_packed")
        self.assertIs(pk.call, saved[call])
        try:
            for n in names:
                setattr(lib, n, spy(n))
            pk.call = spy(call)
            # the compiled accelerator calls the library itself, and counts
            fast = pk.state(rb._h.ptr).fast
            before = fast.calls if fast is not None else 0
            r = rb.evaluate(rec, workload.AS_OF)
            first = [] if fast is not None else [call]
            self.assertEqual(calls, first)
            if fast is not None:
                self.assertEqual(fast.calls, before + 1)
            r.verdicts
            r.verdict("R1.mu_tax")
            r.class_of("mujun")
            if pk.scored:
                r.score_float("mujun")
            self.assertEqual(calls, first)
            r.score("mujun")
            self.assertEqual(calls, first + ["rulebook_result_score"])
            if fast is not None:
                self.assertEqual(fast.calls, before + 1)
        finally:
            for n, f in saved.items():
                setattr(lib, n, f)
            pk.call = saved[call]
        rb.close()

    def test_same_errors(self):
        rb, ref = pair(lambda: Rulebook.from_string(BASIC))
        bad = [
            ({"tax": 1, "nope": 2}, NotFoundError),
            ({"tax\0x": 1}, NotFoundError),
            ({1: 2}, NotFoundError),
            ({"tax": float("nan")}, FactError),
            ({"tax": float("inf")}, FactError),
            ({"tax": "12,5"}, FactError),
            ({"tax": True}, FactError),
            ({"key_project": 1.0}, FactError),
            ({"key_project": "maybe"}, FactError),
            ({"employees": 2.5}, FactError),
            ({"sector": "农业"}, FactError),
            ({"name": "a\0b"}, FactError),
            ({"name": 12}, FactError),
            ({"name": "\ud800"}, FactError),
            ({"tax": Decimal("NaN")}, FactError),
            ({"tax": [1]}, FactError),
        ]
        for rec, cls in bad:
            errors = []
            for x in (rb, ref):
                with self.assertRaises(cls, msg=repr(rec)) as cm:
                    x.evaluate(rec, D)
                errors.append(cm.exception)
            e, f = errors
            self.assertIs(type(e), type(f), repr(rec))
            self.assertEqual(str(e), str(f), repr(rec))
            self.assertEqual(e.subject, f.subject, repr(rec))
        # a refused record leaves nothing behind for the next one
        self.assertEqual(rb.evaluate({"tax": 370, "land_area": 10}, D).verdicts["T1"], "pass")
        self.assertEqual(rb.evaluate({"land_area": 10}, D).verdicts["T1"], "unknown")
        rb.close()
        ref.close()

    def test_threads(self):
        path = SOURCE_ROOT / workload.RULEBOOK
        rb, ref = pair(lambda: Rulebook.load(path))
        records = workload.generate(400, 11)
        want = [ref.evaluate(r, workload.AS_OF) for r in records]
        got = [[None] * len(records) for _ in range(3)]

        def run(k):
            for i, r in enumerate(records):
                got[k][i] = rb.evaluate(r, workload.AS_OF)
        threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k in range(3):
            for i, r in enumerate(got[k]):
                self.same(r, want[i], f"thread {k} record {i}")
        rb.close()
        ref.close()

    def test_close_while_evaluating(self):
        """Another thread closing the rulebook: every call either gives the
        right result or raises ClosedError, and the C objects stay alive
        while a call uses them (run under ASan and valgrind)."""
        path = SOURCE_ROOT / workload.RULEBOOK
        rb, ref = pair(lambda: Rulebook.load(path))
        records = workload.generate(200, 5)
        want = [ref.evaluate(r, workload.AS_OF).verdicts for r in records]
        outcomes = []

        def run():
            n = 0
            try:
                while True:
                    r = rb.evaluate(records[n % len(records)], workload.AS_OF)
                    self.assertEqual(r.verdicts, want[n % len(records)])
                    n += 1
            except ClosedError:
                outcomes.append(n)
        t = threading.Thread(target=run)
        t.start()
        while not rb._packer.token:
            pass
        rb.close()
        t.join()
        self.assertEqual(len(outcomes), 1)
        with self.assertRaises(ClosedError):
            rb.evaluate(records[0], workload.AS_OF)
        ref.close()

    def test_lifetimes(self):
        rb = Rulebook.from_string(BASIC)
        r = rb.evaluate({"tax": 370, "land_area": 10}, D)
        s = rb.evaluate({"tax": 1, "land_area": 10}, D)
        rb.close()
        self.assertEqual(r.verdicts["T1"], "pass")
        self.assertIn("T1", r.explain())  # evaluated again: the rulebook is kept alive
        self.assertEqual(s.value("tax"), Decimal(1))
        r.close()
        with self.assertRaises(ClosedError):
            r.verdicts
        with self.assertRaises(ClosedError):
            r.counts
        with self.assertRaises(ClosedError):
            r.explain()
        with self.assertRaises(ClosedError):
            rb.evaluate({}, D)
        s.close()
        # the reads decoded from the packed bytes refuse a closed result too
        rb = Rulebook.load(SOURCE_ROOT / workload.RULEBOOK)
        r = rb.evaluate(workload.generate(1, 3)[0], workload.AS_OF)
        self.assertIn(r.class_of("mujun"), ("A", "B", "C", "D"))
        self.assertIs(type(r.score_float("mujun")), float)
        r.close()
        for read in (lambda: r.verdicts, lambda: r.verdict("R1.mu_tax"),
                     lambda: r.class_of("mujun"), lambda: r.score_float("mujun"),
                     lambda: r.score("mujun")):
            with self.assertRaises(ClosedError):
                read()
        with self.assertRaises(NotFoundError):
            rb.evaluate({}, workload.AS_OF).class_of("nope")
        rb.close()

    def test_class_error(self):
        """A class of error reads "error" from the packed bytes, as through
        the setters and in the result's JSON; in bulk its code is -4."""
        rb, ref = pair(lambda: Rulebook.from_string(CLASS_ERROR))
        for when, record, want in (("2022-06-30", {"x": 4}, "A"),
                                   ("2022-06-30", {}, None),
                                   ("2023-06-30", {"x": 4}, "error"),
                                   ("2023-06-30", {}, "error")):
            what = f"{when} {record}"
            a, b = rb.evaluate(record, when), ref.evaluate(record, when)
            self.assertEqual(a.class_of("s"), want, what)
            self.assertEqual(b.class_of("s"), want, what)
            self.assertEqual(a.scorecards["s"].class_, want, what)
            self.same(a, b, what)
        try:
            import numpy  # noqa: F401
        except ImportError:
            return
        with rb.population([{"x": 4}, {}], "2023-06-30") as pop:
            self.assertEqual(list(pop.class_codes("s")), [-4, -4])
        with rb.population([{"x": 4}, {}, {"x": 1}], "2022-06-30") as pop:
            self.assertEqual(list(pop.class_codes("s")), [0, -1, 1])


if __name__ == "__main__":
    unittest.main()
