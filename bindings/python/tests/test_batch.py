"""Populations through the batch calls: rulebook_population_add_table (text
cells) and rulebook_population_add_columns (numeric columns), one crossing
of the C boundary per batch. The reference is the per-record path (typed
setters and one rulebook_population_add per record), which the binding
uses only with a library that lacks the batch calls."""
import contextlib
import datetime
import json
import random
import unittest
from decimal import Decimal

import support  # noqa: F401  (puts the package on sys.path)
from support import BASIC, DATA, FIXTURES, RULES

from rulebook import FactError, NotFoundError, NumberRangeError, Rulebook, _batch, _lib

D = datetime.date(2023, 6, 30)
AS_OF = "2023-12-31"
ENTERPRISE = RULES / "linan" / "enterprise.yaml"
ENTERPRISES = DATA / "enterprises.json"
PROJECT = RULES / "linan" / "project.yaml"
PARCELS = DATA / "parcels.json"


@contextlib.contextmanager
def per_record_path():
    """population() as with a library without the batch calls."""
    lib = _lib.lib
    saved = lib.rulebook_population_add_table, lib.rulebook_population_add_columns
    lib.rulebook_population_add_table = lib.rulebook_population_add_columns = None
    try:
        yield
    finally:
        lib.rulebook_population_add_table, lib.rulebook_population_add_columns = saved


@contextlib.contextmanager
def counted():
    """Counts the calls population() makes into the library by name."""
    lib = _lib.lib
    names = ("rulebook_population_add_table", "rulebook_population_add_columns",
             "rulebook_population_add", "rulebook_facts_set_text", "rulebook_facts_set_decimal",
             "rulebook_facts_set_double")
    calls = dict.fromkeys(names, 0)
    saved = {n: getattr(lib, n) for n in names}

    def wrap(name, fn):
        def call(*args):
            calls[name] += 1
            return fn(*args)
        return call

    for n in names:
        setattr(lib, n, wrap(n, saved[n]))
    try:
        yield calls
    finally:
        for n in names:
            setattr(lib, n, saved[n])


def snapshot(rb, pop):
    """Everything a population answers, as plain data."""
    return {
        "size": len(pop),
        "ids": pop.record_ids,
        "counts": pop.counts,
        "verdicts": [pop.verdicts(i) for i in range(len(pop))],
        "aggregates": pop.aggregates,
        "classes": {s.id: pop.classes(s.id) for s in rb.scorecards},
        "scores": {s.id: [pop.score(i, s.id) for i in range(len(pop))] for s in rb.scorecards},
        "json": pop.to_dict(),
    }


class Reference:
    def same_as_per_record(self, rb, records, as_of, **kw):
        """The batch population, one built with Population.add record by
        record, and the per-record reference agree; returns the snapshot."""
        with rb.population(records, as_of, **kw) as pop:
            batch = snapshot(rb, pop)
        with rb.population([], as_of) as pop:
            for r in records:
                pop.add(r, **kw)
            one_by_one = snapshot(rb, pop)
        # the per-record path refuses NaN, which the batch path reads as missing
        plain = [{k: None if isinstance(v, float) and v != v else v for k, v in r.items()}
                 for r in records]
        with per_record_path(), rb.population(plain, as_of, **kw) as pop:
            reference = snapshot(rb, pop)
        self.assertEqual(batch, reference)
        self.assertEqual(one_by_one, reference)
        return batch


class TestSameResults(Reference, unittest.TestCase):
    def test_every_kind_of_value(self):
        recs = [
            {"_id": "a", "tax": Decimal("1158.1"), "land_area": "31.3", "employees": 12,
             "key_project": False, "sector": "化工", "name": "甲公司",
             "deadline": datetime.date(2023, 5, 1), "converted": 2.5},
            {"_id": 7, "tax": 984, "land_area": 30.0, "employees": "9", "key_project": "true",
             "sector": "纺织", "deadline": "2023-12-01", "converted": None},
            {"tax": "20000 万元", "land_area": "13.34 公顷", "name": ""},
            {},
            {"_id": None, "_note": "ignored", "tax": 1e-7, "land_area": 123456789.125},
        ]
        with Rulebook.from_string(BASIC) as rb:
            got = self.same_as_per_record(rb, recs, D)
            self.assertEqual(got["ids"], ["a", "7", None, None, None])
            for i, rec in enumerate(recs):
                self.assertEqual(got["verdicts"][i], rb.evaluate(rec, D).verdicts)

    def test_floats_as_in_evaluate(self):
        rnd = random.Random(11)
        values = [rnd.uniform(0, 1e6) for _ in range(100)] + \
            [rnd.random() * 10 ** rnd.randint(-6, 12) for _ in range(100)] + \
            [0.1, 0.3, 1e-7, 1e16, 535882.0043066893, 37.0]
        with Rulebook.from_string(BASIC) as rb:
            for with_id in (False, True):  # numeric columns, then text cells
                recs = [dict({"tax": v, "land_area": 1}, **({"_id": str(i)} if with_id else {}))
                        for i, v in enumerate(values)]
                self.same_as_per_record(rb, recs, D)
                with rb.population(recs, D) as pop:
                    for i, v in enumerate(values):
                        # tax / 1 against 37: the value itself decides
                        want = rb.evaluate({"tax": v, "land_area": 1}, D).verdicts["T1"]
                        self.assertEqual(pop.verdict(i, "T1"), want, v)

    def test_ranks_and_averages(self):
        rnd = random.Random(3)
        with Rulebook.load(FIXTURES / "population.yaml") as rb:
            recs = []
            for i in range(300):
                r = {"_id": f"e{i}", "score_in": rnd.choice([None, rnd.randint(0, 9),
                                                             round(rnd.random() * 9, 2)]),
                     "area": rnd.choice([None, rnd.randint(1, 90), Decimal("12.5")]),
                     "year": rnd.choice([2021, 2022]), "industrial": rnd.random() < 0.5}
                if rnd.random() < 0.3:
                    r["standard_land"] = rnd.random() < 0.5
                recs.append(r)
            got = self.same_as_per_record(rb, recs, D)
            self.assertEqual(len(got["classes"]["rank"]), 300)
            self.assertIn("A", got["classes"]["avg"])
            # numeric inputs only and no ids: the columns path
            nums = [{"score_in": r["score_in"], "area": r["area"]} for r in recs
                    if not isinstance(r["area"], Decimal)]
            self.same_as_per_record(rb, nums, D)

    @unittest.skipUnless(ENTERPRISES.is_file() and PARCELS.is_file(), "sample data missing")
    def test_sample_data(self):
        with Rulebook.load(ENTERPRISE) as rb:
            for parse_float in (Decimal, float):
                with open(ENTERPRISES, encoding="utf-8") as f:
                    recs = json.load(f, parse_float=parse_float)
                self.same_as_per_record(rb, recs, AS_OF)
        with open(PARCELS, encoding="utf-8") as f:
            parcels = json.load(f, parse_float=Decimal)
        with Rulebook.load(PROJECT) as rb:
            got = self.same_as_per_record(rb, parcels, AS_OF)
            share = got["aggregates"]["P4.industrial_land_share"]
            self.assertEqual((share.verdict, share.numerator, share.denominator),
                             ("pass", Decimal("785.1"), Decimal("1682.5")))

    def test_ignore_unknown(self):
        recs = [{"_id": "x", "tax": 1, "land_area": 1, "other": [1]}, {"nope": None, "tax": 2.5}]
        with Rulebook.from_string(BASIC) as rb:
            self.same_as_per_record(rb, recs, D, ignore_unknown=True)
            with self.assertRaises(NotFoundError) as cm:
                rb.population(recs, D)
            self.assertEqual((cm.exception.record, cm.exception.subject), (0, "other"))

    def test_mappings_and_iterators(self):
        with Rulebook.from_string(BASIC) as rb:
            class Rec(dict):
                pass
            recs = [Rec(tax=984, land_area=30), {"tax": 1158.1, "land_area": 31.3}]
            with rb.population(iter(recs), D) as pop:
                self.assertEqual(pop.verdicts(0)["T1"], "fail")
                self.assertEqual(pop.verdicts(1)["T1"], "pass")
            with rb.population((r for r in []), D) as pop:
                self.assertEqual(len(pop), 0)


class TestOneCrossing(Reference, unittest.TestCase):
    def test_one_call_per_population(self):
        recs = [{"_id": f"r{i}", "tax": i, "land_area": 10, "key_project": i % 2 == 0}
                for i in range(500)]
        with Rulebook.from_string(BASIC) as rb:
            with counted() as calls, rb.population(recs, D) as pop:
                self.assertEqual(len(pop), 500)
            self.assertEqual(calls["rulebook_population_add_table"], 1)
            self.assertEqual(calls["rulebook_population_add"], 0)
            self.assertEqual(calls["rulebook_facts_set_text"] + calls["rulebook_facts_set_decimal"]
                             + calls["rulebook_facts_set_double"], 0)
            # numbers only, no ids: one rulebook_population_add_columns call
            nums = [{"tax": float(i), "land_area": 10} for i in range(500)]
            with counted() as calls, rb.population(nums, D) as pop:
                self.assertEqual(len(pop), 500)
            self.assertEqual(calls["rulebook_population_add_columns"], 1)
            self.assertEqual(calls["rulebook_population_add_table"], 0)

    def test_batches_of_a_large_population(self):
        saved = _batch.BATCH
        _batch.BATCH = 64
        try:
            recs = [{"_id": f"r{i}", "tax": Decimal(i) / 4, "land_area": 2} for i in range(300)]
            with Rulebook.from_string(BASIC) as rb:
                with counted() as calls:
                    self.same_as_per_record(rb, recs, D)
                # 5 calls for population(), one per add(); the reference none
                self.assertEqual(calls["rulebook_population_add_table"], 5 + 300)
                bad = [dict(r) for r in recs]
                bad[10]["tax"] = "x"
                bad[200]["tax"] = "y"
                with rb.population(bad, D, skip_bad=True) as pop:
                    self.assertEqual(pop.bad_rows, (10, 200))
                    self.assertEqual(len(pop), 298)
        finally:
            _batch.BATCH = saved


class TestRefused(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.from_string(BASIC)

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    BAD = [
        # (record, class, subject, words in the message); the per-record
        # path passes text up to a NUL character, the batch path refuses it
        ({"tax": "lots"}, FactError, "tax", "not a decimal number"),
        ({"sector": "金融"}, FactError, "sector", "enum"),
        ({"employees": Decimal("1.5")}, FactError, "employees", "whole number"),
        ({"employees": 2.5}, FactError, "employees", "whole number"),
        ({"tax": 10 ** 20 + 1}, NumberRangeError, "tax", "18 significant digits"),
        ({"tax": "1e999"}, NumberRangeError, "tax", "decimal range"),
        ({"land_area": "3 kg"}, FactError, "land_area", "unit"),
        ({"deadline": "2023-02-30"}, FactError, "deadline", "date"),
        ({"tax": True}, FactError, "tax", "not a boolean"),
        ({"key_project": 1}, FactError, "key_project", "not a number"),
        ({"key_project": 1.5}, FactError, "key_project", "not a number"),
        ({"name": datetime.date(2023, 1, 1)}, FactError, "name", "not a date"),
        ({"deadline": datetime.datetime(2023, 1, 1, 12)}, FactError, "deadline", "datetime"),
        ({"tax": [1]}, FactError, "tax", "list"),
        ({"tax": float("inf")}, FactError, "tax", "inf"),
        ({"tax": Decimal("NaN")}, FactError, "tax", "NaN"),
        ({"name": "a\0b"}, FactError, "name", "NUL"),
        ({"name": "\ud800"}, FactError, "name", "UTF-8"),
    ]

    def test_each_bad_value_names_record_and_input(self):
        good = {"_id": "ok", "tax": 1158.1, "land_area": 31.3}
        for bad, cls, subject, words in self.BAD:
            with self.subTest(bad=bad):
                recs = [good, good, dict(bad, _id="bad"), good]
                with self.assertRaises(cls) as cm:
                    self.rb.population(recs, D)
                e = cm.exception
                self.assertEqual((e.record, e.subject), (2, subject))
                self.assertIn(words, str(e))
                self.assertTrue(str(e).startswith("record 2: "), str(e))
                # the same error from the per-record path and from add()
                if "\0" in str(bad.get("name")):
                    continue
                with per_record_path():
                    with self.assertRaises(cls) as ref:
                        self.rb.population(recs, D)
                self.assertEqual((ref.exception.record, ref.exception.subject), (2, subject))
                with self.rb.population([good], D) as pop:
                    with self.assertRaises(cls) as cm:
                        pop.add(bad)
                    self.assertEqual((cm.exception.record, cm.exception.subject), (1, subject))
                    self.assertEqual(len(pop), 1)  # left as it was

    def test_the_first_bad_record_is_reported(self):
        # refused by the library (row 1) before one refused here (row 3)
        recs = [{"tax": 1}, {"tax": "x"}, {"tax": 2}, {"tax": [3]}, {"taxx": 1}]
        with self.assertRaises(FactError) as cm:
            self.rb.population(recs, D)
        self.assertEqual(cm.exception.record, 1)
        with self.assertRaises(FactError) as cm:
            self.rb.population(recs[2:], D)
        self.assertEqual(cm.exception.record, 1)
        with self.assertRaises(NotFoundError) as cm:
            self.rb.population(recs[4:], D)
        self.assertEqual((cm.exception.record, cm.exception.subject), (0, "taxx"))

    def test_skip_bad_leaves_them_out_and_lists_them(self):
        recs = []
        for i in range(40):
            recs.append({"_id": f"r{i}", "tax": 37 * (i % 3), "land_area": 1})
        bad_at = {3: "lots", 7: [1], 8: True, 21: float("inf"), 39: "1e999"}
        for i, v in bad_at.items():
            recs[i]["tax"] = v
        with self.rb.population(recs, D, skip_bad=True) as pop:
            self.assertEqual(pop.bad_rows, tuple(sorted(bad_at)))
            self.assertEqual([e.record for e in pop.refused], sorted(bad_at))
            self.assertTrue(all(e.subject == "tax" for e in pop.refused))
            self.assertIsInstance(pop.refused[-1], NumberRangeError)
            self.assertEqual(len(pop), 40 - len(bad_at))
            good = [r for i, r in enumerate(recs) if i not in bad_at]
            self.assertEqual(pop.record_ids, [r["_id"] for r in good])
            with self.rb.population(good, D) as ref:
                self.assertEqual(snapshot(self.rb, pop), snapshot(self.rb, ref))
                self.assertEqual(ref.refused, ())
                self.assertEqual(ref.bad_rows, ())
        # an unknown key is not a bad value: it still raises
        with self.assertRaises(NotFoundError):
            self.rb.population(recs + [{"taxx": 1}], D, skip_bad=True)

    def test_bad_values_in_numeric_columns(self):
        # no ids, numbers only: the columns path, which goes on with the
        # text cells from the record the library refused
        recs = [{"employees": float(i)} for i in range(20)]
        recs[5]["employees"] = 2.5
        recs[12]["employees"] = float("inf")
        with self.assertRaises(FactError) as cm:
            self.rb.population(recs, D)
        self.assertEqual((cm.exception.record, cm.exception.subject), (5, "employees"))
        with self.rb.population(recs, D, skip_bad=True) as pop:
            self.assertEqual(pop.bad_rows, (5, 12))
            self.assertEqual(len(pop), 18)
            self.assertEqual(pop.counts["pass"], 18 - 10 + 1)  # E1: employees >= 10
        with self.rb.population([{"employees": 2.5}], D, skip_bad=True) as pop:
            self.assertEqual((len(pop), pop.bad_rows), (0, (0,)))


class TestMissing(Reference, unittest.TestCase):
    def test_none_nan_and_absent_are_missing(self):
        nan = float("nan")
        with Rulebook.from_string(BASIC) as rb:
            for with_id in (False, True):  # numeric columns, then text cells
                extra = {"_id": "x"} if with_id else {}
                forms = [dict(extra, tax=None, land_area=1, employees=None),
                         dict(extra, tax=nan, land_area=1, employees=nan),
                         dict(extra, land_area=1)]
                for rec in forms:
                    with rb.population([rec, dict(extra, tax=984, land_area=30)], D) as pop:
                        self.assertEqual(pop.verdicts(0)["T1"], "unknown")
                        self.assertEqual(pop.verdicts(0)["E1"], "unknown")
                        self.assertEqual(pop.verdicts(1)["T1"], "fail")
            # evaluate() refuses a NaN (one record is not a data frame)
            with self.assertRaises(FactError):
                rb.evaluate({"tax": nan}, D)

    def test_missing_values_in_aggregates(self):
        nan = float("nan")
        with Rulebook.load(FIXTURES / "population.yaml") as rb:
            base = [{"area": 40.0, "industrial": True, "year": 2022},
                    {"area": 20.0, "industrial": True, "year": 2022},
                    {"area": 90.0, "industrial": False, "year": 2022}]
            with rb.population(base, D) as pop:
                self.assertEqual(pop.aggregates["P4.industrial_share"].value, Decimal("0.4"))
            for gap in (None, nan):
                recs = base + [{"area": gap, "industrial": False, "year": 2022}]
                got = self.same_as_per_record(rb, recs, D)
                self.assertEqual(got["aggregates"]["P4.industrial_share"].verdict, "unknown")
                nums = [{"area": r["area"], "year": r["year"]} for r in recs]
                got = self.same_as_per_record(rb, nums, D)  # numeric columns
                self.assertIsNone(got["aggregates"]["total_area"].value)
                self.assertEqual(got["aggregates"]["total_area"].counted, 3)


if __name__ == "__main__":
    unittest.main()
