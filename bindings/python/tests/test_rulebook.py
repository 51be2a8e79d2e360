"""Tests of the Python binding on small rulebooks."""
import datetime
import gc
import json
import random
import threading
import unittest
import weakref
from decimal import Decimal

import support  # noqa: F401  (puts the package on sys.path)
from support import BASIC, FIXTURES, RULES

import rulebook
from rulebook import (ClosedError, FactError, InvalidArgumentError, NotFoundError, ParseError,
                      NumberRangeError, Rulebook,
                      RulebookError, RulebookIOError, SchemaError)

D = datetime.date(2023, 6, 30)


def basic() -> Rulebook:
    return Rulebook.from_string(BASIC, name="basic.yaml")


class TestLibrary(unittest.TestCase):
    def test_version_and_path(self):
        self.assertEqual(rulebook.library_version.split(".")[0], "0")
        self.assertTrue(rulebook.library_path)

    def test_library_not_found_lists_what_was_tried(self):
        from rulebook import _lib
        e = _lib.LibraryNotFoundError([("$RULEBOOK_LIBRARY /nope.so", "cannot open")])
        self.assertIn("/nope.so", str(e))
        self.assertIn("RULEBOOK_LIBRARY", str(e))
        self.assertIsInstance(e, ImportError)


class TestLoading(unittest.TestCase):
    def test_header(self):
        with basic() as rb:
            self.assertEqual(rb.id, "test.binding")
            self.assertEqual(rb.title, "绑定测试")
            self.assertEqual(rb.title_in("en"), "binding test")
            self.assertEqual(rb.subject, "enterprise")
            self.assertRegex(rb.hash, r"^[0-9a-f]{64}$")
            self.assertEqual(rb.in_force, (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31)))
            self.assertEqual(rb.input_names[:3], ["tax", "land_area", "employees"])
            self.assertEqual(rb.inputs[2].type, "integer")
            self.assertEqual(rb.inputs[2].unit, "人")
            self.assertEqual(rb.rule_ids, ["T1", "P3", "D1", "E1"])
            self.assertEqual(rb.rules[0].responsible, ("区经信局", "区税务局"))
            self.assertEqual(rb.rules[3].severity, "minor")
            self.assertEqual(rb.rules[0].cite, "二")
            self.assertEqual([p.name for p in rb.parameters], ["min_mu_tax", "ratio"])
            self.assertEqual(rb.parameter_value("ratio", "2022-06-30"), Decimal("1.2"))
            self.assertEqual(rb.parameter_value("ratio", datetime.date(2023, 1, 1)), Decimal("1.5"))
            self.assertIsNone(rb.parameter_value("ratio", "2021-12-31"))
            with self.assertRaises(NotFoundError):
                rb.parameter_value("nope", D)

    def test_load_file_and_same_hash_as_buffer(self):
        path = FIXTURES / "scorecard.yaml"
        with Rulebook.load(path) as a, Rulebook.from_string(path.read_bytes()) as b:
            self.assertEqual(a.hash, b.hash)
            self.assertEqual(a.id, "test.scorecard")

    def test_schema_errors_carry_every_diagnostic(self):
        bad = "rulebook: 1\nid: x\ntitle: {zh: x}\nsubject: enterprise\nbogus: 1\n"
        with self.assertRaises(SchemaError) as cm:
            Rulebook.from_string(bad, name="bad.yaml")
        e = cm.exception
        self.assertIsInstance(e, RulebookError)
        self.assertEqual(e.file, "bad.yaml")
        self.assertGreaterEqual(len(e.diagnostics), 2)
        lines = {d.line for d in e.diagnostics}
        self.assertIn(5, lines)  # the unknown key
        for d in e.diagnostics:
            self.assertEqual(d.file, "bad.yaml")
            self.assertGreater(d.line, 0)
            self.assertGreater(d.column, 0)
        self.assertIn("bad.yaml:", str(e))

    def test_error_classes_by_status(self):
        head = ("rulebook: 1\nid: x\ntitle: {zh: x}\nsubject: enterprise\n"
                "source: {issuer: a, document: b, issued: 2022-01-01}\n")
        cases = [
            ("rulebook: [\n", ParseError),
            (head + "inputs:\n  - {id: a, type: number}\nrules:\n  - {id: r, cite: x, require: a >=}\n",
             rulebook.ExpressionError),
            (head + "inputs:\n  - {id: a, type: number, unit: 万元}\n  - {id: b, type: number, unit: 亩}\n"
             "rules:\n  - {id: r, cite: x, require: a >= b}\n", rulebook.UnitError),
            (head + "rules:\n  - {id: r, cite: x, require: nothing > 1}\n", rulebook.NamingError),
            (head + "indicators:\n  - {id: a, expr: b + 1}\n  - {id: b, expr: a + 1}\n",
             rulebook.CycleError),
        ]
        for text, cls in cases:
            with self.subTest(cls=cls.__name__):
                with self.assertRaises(cls) as cm:
                    Rulebook.from_string(text, name="t.yaml")
                self.assertEqual(cm.exception.status, cls.status)
                self.assertEqual(cm.exception.file, "t.yaml")
                self.assertGreater(cm.exception.line, 0)

    def test_io_error(self):
        with self.assertRaises(RulebookIOError) as cm:
            Rulebook.load("/nonexistent/rulebook.yaml")
        self.assertIsInstance(cm.exception, OSError)
        self.assertIn("/nonexistent/rulebook.yaml", str(cm.exception))

    def test_limits(self):
        with self.assertRaises(rulebook.LimitError):
            Rulebook.from_string(BASIC, limits={"file_size": 100})
        with self.assertRaises(rulebook.InvalidArgumentError):
            Rulebook.from_string(BASIC, limits={"nonsense": 1})

    def test_extends_with_search_path(self):
        child = (FIXTURES / "extends" / "district.yaml").read_text(encoding="utf-8")
        child = child.replace("extends: province.yaml", "extends: province")
        with self.assertRaises(RulebookError):
            Rulebook.from_string(child, name="child.yaml")
        with Rulebook.from_string(child, name="child.yaml",
                                  search_path=[FIXTURES / "extends"]) as rb:
            self.assertIn("mu_tax", rb.rule_ids)
            self.assertNotIn("land_reported", rb.rule_ids)
            self.assertEqual(rb.parameter_value("min_mu_tax", D), Decimal("37"))


class TestEvaluate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = basic()

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    def test_exact_threshold_with_every_number_type(self):
        for tax, area in [("1158.1", "31.3"), (Decimal("1158.1"), Decimal("31.3")),
                          (1158.1, 31.3), ("11581000 元", "31.3 亩")]:
            with self.subTest(tax=tax, area=area):
                r = self.rb.evaluate({"tax": tax, "land_area": area}, D)
                self.assertEqual(r.verdicts["T1"], "pass")
                self.assertEqual(r.value("mu_tax"), Decimal("37"))
                self.assertIsInstance(r.value("mu_tax"), Decimal)

    def test_nul_is_never_a_cut(self):
        # a name with NUL is not the input before it, and is named in full
        with self.assertRaises(NotFoundError) as cm:
            self.rb.evaluate({"tax\x00evil": 1}, D)
        self.assertIn("'tax\\x00evil' is not an input", str(cm.exception))
        # a text with NUL is refused, not cut at the NUL
        with self.assertRaises(FactError):
            self.rb.evaluate({"name": "a\x00b"}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"tax": "1\x002", "land_area": 1}, D)
        with self.assertRaises(RulebookError):
            self.rb.evaluate({"_id": "a\x00b", "tax": 1}, D)
        self.assertEqual(self.rb.evaluate({"name": "a b"}, D).verdicts["T1"], "unknown")

    def test_int_and_unit_conversion(self):
        r = self.rb.evaluate({"tax": 984, "land_area": "20000 m²"}, D)
        self.assertEqual(r.value("land_area"), Decimal("30"))
        self.assertEqual(r.value("mu_tax"), Decimal("32.8"))
        t1 = r["T1"]
        self.assertEqual(t1.verdict, "fail")
        self.assertEqual(t1.gap.text, "+4.2 万元/亩")
        self.assertEqual(t1.gap.value, Decimal("4.2"))
        self.assertEqual(t1.gap.actual, Decimal("32.8"))
        self.assertEqual(t1.gap.threshold, Decimal("37"))
        self.assertEqual(t1.gap.unit, "万元/亩")
        self.assertEqual(t1.cite, "二")
        self.assertEqual(t1.title, "亩均税收")
        self.assertEqual(t1.responsible, ("区经信局", "区税务局"))
        self.assertIn("32.8 万元/亩", t1.message())
        self.assertTrue(t1.message("en").startswith("tax per mu 32.8 万元/亩"))
        self.assertEqual(r.message("T1", "en"), t1.message("en"))
        self.assertEqual(t1.values["min_mu_tax"].value, Decimal("37"))
        self.assertEqual(t1.values["min_mu_tax"].kind, "parameter")
        self.assertEqual(t1.values["min_mu_tax"].provenance, "cited")
        self.assertEqual(r.rules_in("en")[0].title, "tax per mu")

    def test_floats_become_the_shortest_decimal(self):
        r = self.rb.evaluate({"tax": 0.1, "land_area": 3.0}, D)
        self.assertEqual(r.value("tax"), Decimal("0.1"))
        self.assertEqual(r.value("land_area"), Decimal("3"))
        with self.assertRaises(FactError):
            self.rb.evaluate({"tax": float("nan")}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"tax": float("inf")}, D)

    def test_float_paths_agree(self):
        # evaluate() hands floats to rulebook_facts_set_double; evaluate_many()
        # and population() send repr() text. Both are the shortest decimal
        # that reads back as the float, and for these values the same one.
        rnd = random.Random(7)
        values = [rnd.uniform(0, 1e6) for _ in range(150)] + \
            [rnd.random() * 10 ** rnd.randint(-6, 12) for _ in range(150)] + \
            [0.1, 0.3, 1e-7, 123456789.125, 2.5e-5, 1e16, 12345678.9]
        records = [{"tax": v, "land_area": 1} for v in values]
        many = self.rb.evaluate_many(records, D, details=True)  # values from the JSON
        for v, m in zip(values, many):
            one = self.rb.evaluate({"tax": v, "land_area": 1}, D)
            self.assertEqual(m.value("tax"), Decimal(repr(v)), v)
            self.assertEqual(float(one.value("tax")), v)
            self.assertEqual(len(one.value("tax").normalize().as_tuple().digits),
                             len(Decimal(repr(v)).normalize().as_tuple().digits), v)
            # the float path and the JSON path give the same decimal
            self.assertEqual(one.value("tax"), m.value("tax"), v)

    def test_set_double_picks_the_nearest_shortest_decimal(self):
        # 535882.0043066893 and ...892 both read back as this double; the
        # double is 535882.00430668925400..., so ...893 (what repr(), JS and
        # printf("%.16g") give) is the nearer.
        v = 535882.0043066893
        r = self.rb.evaluate({"tax": v}, D)
        self.assertEqual(r.value("tax"), Decimal(repr(v)))

    def test_exception_missing_and_obligations(self):
        r = self.rb.evaluate({"tax": 1, "land_area": 1, "key_project": True, "converted": 15}, D)
        t1 = r.rule("T1")
        self.assertEqual(t1.verdict, "exempt")
        self.assertEqual(t1.exception, "key")
        self.assertEqual(t1.exception_cite, "三（一）4")
        p3 = r.rule("P3")
        self.assertEqual(p3.verdict, "pass")
        self.assertEqual(p3.obligations, (rulebook.Obligation("compensating_land", Decimal("22.5"), "亩"),))
        e1 = r.rule("E1")
        self.assertEqual(e1.verdict, "unknown")
        self.assertEqual(e1.missing, ("employees",))
        self.assertEqual(r.verdicts["D1"], "unknown")
        self.assertEqual(r.counts["unknown"], 2)
        self.assertEqual(r.counts["pass"], 1)
        self.assertEqual(len(r.with_verdict("unknown")), 2)

    def test_value_types(self):
        r = self.rb.evaluate({"employees": 12, "key_project": False, "sector": "化工",
                              "name": "甲公司", "deadline": datetime.date(2023, 5, 1), "tax": None}, D)
        self.assertEqual(r.value("employees"), Decimal("12"))
        self.assertIs(r.value("key_project"), False)
        self.assertEqual(r.value("sector"), "化工")
        self.assertEqual(r.value("name"), "甲公司")
        self.assertEqual(r.value("deadline"), datetime.date(2023, 5, 1))
        self.assertIs(r.value("late"), True)
        self.assertIsNone(r.value("tax"))
        self.assertIsNone(r.value("no_such_name"))
        self.assertEqual(r.value("ratio"), Decimal("1.5"))
        self.assertEqual(r.verdicts["D1"], "fail")
        self.assertEqual(r.verdicts["E1"], "pass")
        # text forms are parsed for any input type
        r2 = self.rb.evaluate({"key_project": "true", "deadline": "2023-12-01", "sector": "化工"}, D)
        self.assertIs(r2.value("key_project"), True)
        self.assertEqual(r2.verdicts["D1"], "pass")

    def test_bad_facts(self):
        with self.assertRaises(NotFoundError) as cm:
            self.rb.evaluate({"taxx": 1}, D)
        self.assertEqual(cm.exception.subject, "taxx")
        with self.assertRaises(FactError) as cm:
            self.rb.evaluate({"tax": "abc"}, D)
        self.assertEqual(cm.exception.subject, "tax")
        self.assertIsInstance(cm.exception, ValueError)
        with self.assertRaises(FactError):
            self.rb.evaluate({"employees": Decimal("1.5")}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"sector": "金融"}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"deadline": datetime.datetime(2023, 1, 1, 12)}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"tax": [1]}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate({"key_project": 1.5}, D)
        with self.assertRaises(NumberRangeError):
            self.rb.evaluate({"tax": 10 ** 20 + 1}, D)
        with self.assertRaises(NumberRangeError):
            self.rb.evaluate({"tax": "1e999"}, D)
        with self.assertRaises(rulebook.InvalidArgumentError):
            self.rb.evaluate({}, "2023-02-30")
        with self.assertRaises(FactError):
            self.rb.evaluate({"name": "\ud800"}, D)
        with self.assertRaises(FactError):
            self.rb.evaluate_many([{"name": "\ud800"}], D)

    def test_ignore_unknown(self):
        rec = {"_id": "E1", "tax": 984, "land_area": 30, "not_an_input": 1}
        with self.assertRaises(NotFoundError):
            self.rb.evaluate(rec, D)
        with self.assertRaises(NotFoundError):
            self.rb.evaluate_many([rec], D)
        with self.assertRaises(NotFoundError):
            self.rb.population([rec], D)
        a = self.rb.evaluate(rec, D, ignore_unknown=True)
        b = self.rb.evaluate_many([rec], D, ignore_unknown=True)[0]
        with self.rb.population([rec], D, ignore_unknown=True) as pop:
            self.assertEqual(pop.verdicts(0), a.verdicts)
            self.assertEqual(pop.add(rec, ignore_unknown=True), 1)
        self.assertEqual(a.verdicts, b.verdicts)
        self.assertEqual(a.record_id, "E1")
        self.assertEqual(b.explain(), a.explain())

    def test_record_id_and_underscore_keys(self):
        r = self.rb.evaluate({"_id": "E7", "_note": "ignored", "tax": 1}, D)
        self.assertEqual(r.record_id, "E7")
        self.assertEqual(self.rb.evaluate({"tax": 1}, D).record_id, None)
        self.assertEqual(self.rb.evaluate({"_id": 12}, D).record_id, "12")
        # a library without rulebook_facts_set_id: the id goes through JSON
        from rulebook import _lib
        saved = _lib.lib.rulebook_facts_set_id
        _lib.lib.rulebook_facts_set_id = None
        try:
            self.assertEqual(self.rb.evaluate({"_id": "引\"号"}, D).record_id, "引\"号")
        finally:
            _lib.lib.rulebook_facts_set_id = saved

    def test_as_of_forms_and_not_in_force(self):
        a = self.rb.evaluate({"tax": 1}, "2023-06-30")
        b = self.rb.evaluate({"tax": 1}, 20230630)
        self.assertEqual(a.as_of, b.as_of)
        self.assertEqual(a.as_of, D)
        r = self.rb.evaluate({"tax": 1}, datetime.date(2024, 1, 1))
        self.assertEqual(set(r.verdicts.values()), {"not_in_force"})
        self.assertEqual(self.rb.evaluate({}).as_of, datetime.date.today())

    def test_json_dict_and_explain(self):
        r = self.rb.evaluate({"_id": "E1", "tax": 984, "land_area": 30, "converted": 15}, D)
        js = json.loads(r.to_json())
        self.assertEqual(js["record"], "E1")
        self.assertEqual(js["rules"][0]["gap"]["value"], "4.2")
        d = r.to_dict()
        self.assertEqual(d["rules"][0]["gap"]["value"], Decimal("4.2"))
        self.assertEqual(d["rules"][0]["values"]["tax"]["value"], Decimal("984"))
        self.assertEqual(d["rules"][1]["obligations"][0]["value"], Decimal("22.5"))  # 15 × 1.5
        self.assertEqual(d["as_of"], "2023-06-30")
        d["rules"].clear()  # a copy: the result is unchanged
        self.assertEqual(len(r.to_dict()["rules"]), 4)
        self.assertEqual(json.loads(r.to_json(lang="en"))["rules"][0]["title"], "tax per mu")
        self.assertIn("\n  ", r.to_json(pretty=True))
        self.assertNotIn("message", json.loads(r.to_json(verdicts_only=True))["rules"][0])
        zh, en = r.explain(), r.explain("en")
        self.assertIn("T1", zh)
        self.assertIn("亩均税收", zh)
        self.assertIn("tax per mu", en)
        with self.assertRaises(rulebook.InvalidArgumentError):
            r.explain("fr")

    def test_evaluate_many_matches_evaluate(self):
        records = [
            {"_id": "a", "tax": 984, "land_area": "20000 m²", "converted": 15},
            {"_id": "b", "tax": Decimal("1158.1"), "land_area": 31.3, "key_project": True},
            {"_id": "c", "employees": 3, "sector": "化工", "deadline": datetime.date(2023, 1, 1)},
            {"_id": "d", "name": "引号\"与\\反斜杠\n换行", "tax": None},
            {},
        ]
        many = self.rb.evaluate_many(records, D)
        full = self.rb.evaluate_many(records, D, details=True)
        self.assertEqual(len(many), len(records))
        for rec, m, f in zip(records, many, full):
            self.assertEqual(f.to_dict(), m.to_dict())
            self.assertEqual(f.verdicts, m.verdicts)
            one = self.rb.evaluate(rec, D)
            self.assertEqual(m.verdicts, one.verdicts)
            self.assertEqual(m.counts, one.counts)
            self.assertEqual(m.record_id, one.record_id)
            self.assertEqual(m.to_dict(), one.to_dict())
            self.assertEqual(m.to_dict("en"), one.to_dict("en"))
            for a, b in zip(m.rules, one.rules):
                self.assertEqual(a.message("en"), b.message("en"))
            self.assertEqual(m.explain("en"), one.explain("en"))
        self.assertEqual(many[3].value("name"), "引号\"与\\反斜杠\n换行")
        self.assertEqual(self.rb.evaluate_many([], D), [])

    def test_evaluate_many_names_the_bad_record(self):
        with self.assertRaises(FactError) as cm:
            self.rb.evaluate_many([{"tax": 1}, {"tax": 2}, {"tax": "x"}], D)
        self.assertEqual(cm.exception.record, 2)
        self.assertEqual(cm.exception.subject, "tax")
        self.assertIn("record 2", str(cm.exception))

    def test_evaluate_json(self):
        out = json.loads(self.rb.evaluate_json('[{"tax": 984, "land_area": 30}]', D))
        self.assertEqual(out[0]["rules"][0]["verdict"], "fail")
        with self.assertRaises(ParseError):
            self.rb.evaluate_json("[{", D)


class TestTargetsAndScorecards(unittest.TestCase):
    def test_targets(self):
        with Rulebook.load(FIXTURES / "targets.yaml") as rb:
            self.assertEqual([t.id for t in rb.targets], ["T14", "T12", "P8"])
            self.assertEqual(rb.targets[0].responsible, ("规划与自然资源局临安分局",))
            r = rb.evaluate({"freed_land": 1900, "intensity": "0.47", "intensity_base": "0.5",
                             "trained": 260}, "2022-06-30")
            t = r.targets
            self.assertEqual(t["T14"].status, "behind_pace")
            self.assertTrue(t["T14"].flagged)
            self.assertEqual(t["T14"].achieved, Decimal("1900"))
            self.assertEqual(t["T14"].target, Decimal("4000"))
            self.assertEqual(t["T14"].completion, Decimal("0.475"))
            self.assertEqual(t["T14"].shortfall, Decimal("2100"))
            self.assertEqual(round(t["T14"].time_progress, 4), Decimal("0.4986"))
            self.assertEqual(round(t["T14"].needed_per_month, 2), Decimal("116.35"))
            self.assertEqual(t["T14"].unit, "亩")
            self.assertEqual(t["T12"].status, "on_pace")
            self.assertFalse(t["T12"].flagged)
            self.assertEqual(t["P8"].status, "on_pace")
            self.assertEqual(r.to_dict()["targets"][0]["completion"], Decimal("0.475"))

    def test_scorecards(self):
        with Rulebook.load(FIXTURES / "scorecard.yaml") as rb:
            self.assertEqual(rb.scorecards[0].classes, ("A", "B", "C", "D"))
            self.assertEqual(rb.scorecards[0].components, ("tax", "va"))
            r = rb.evaluate({"tax": "120.485", "value_added": "340.4", "land_area": 10,
                             "safety_violation": False, "d_years_running": 1}, D)
            s = r.scorecards["mujun"]
            self.assertEqual(s.class_, "D")
            self.assertEqual(r.class_of(), "D")
            self.assertEqual(s.score, Decimal("40"))
            self.assertIsNone(s.veto)
            self.assertEqual([c.id for c in s.components], ["tax", "va"])
            self.assertEqual(s.components[0].points, Decimal("30"))
            self.assertEqual(s.components[0].ratio, Decimal("0.5"))
            self.assertEqual(s.consequences, (rulebook.Consequence("surcharge", Decimal("0.1"), "元/kWh",
                                                                   "四（四）", 0),))
            self.assertEqual(s.document, 0)
            v = rb.evaluate({"tax": 240.97, "value_added": 1361.6, "land_area": 10,
                             "safety_violation": True}, D)
            self.assertEqual(v.scorecards["mujun"].class_, "D")
            self.assertEqual(v.scorecards["mujun"].veto, "safety")
            u = rb.evaluate({"value_added": 1361.6, "land_area": 10, "safety_violation": False}, D)
            self.assertIsNone(u.class_of("mujun"))
            n = rb.evaluate({"land_area": 2.5}, D)
            self.assertEqual(n.class_of("mujun"), "not_rated")


class TestPopulation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(FIXTURES / "population.yaml")

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    def test_share_exactly_at_threshold_and_what_if(self):
        recs = [
            {"_id": "p1", "area": 40, "industrial": True, "standard_land": True, "year": 2022, "score_in": 1},
            {"_id": "p2", "area": 20, "industrial": True, "standard_land": True, "year": 2022, "score_in": 1},
            {"_id": "p3", "area": 90, "industrial": False, "standard_land": False, "year": 2022, "score_in": 1},
            {"_id": "p4", "area": 500, "industrial": False, "standard_land": False, "year": 2021, "score_in": 1},
        ]
        with self.rb.population(recs, D) as pop:
            self.assertEqual(len(pop), 4)
            self.assertEqual(pop.record_ids, ["p1", "p2", "p3", "p4"])
            a = pop.aggregates["P4.industrial_share"]
            self.assertEqual(a.verdict, "pass")
            self.assertEqual(a.value, Decimal("0.4"))
            self.assertEqual(a.numerator, Decimal("60"))
            self.assertEqual(a.denominator, Decimal("150"))
            self.assertEqual(a.counted, 3)
            self.assertEqual(a.records, (0, 1, 2))
            self.assertEqual(a.threshold, Decimal("0.4"))
            self.assertEqual(pop.aggregates["total_area"].value, Decimal("650"))
            self.assertEqual(pop.aggregates["K5.standard_land"].verdict, "pass")
            with pop.copy() as what_if:
                self.assertEqual(what_if.add({"area": 100, "industrial": False, "year": 2022}), 4)
                b = what_if.aggregates["P4.industrial_share"]
                self.assertEqual(b.verdict, "fail")
                self.assertEqual(b.value, Decimal("0.24"))
                self.assertIsNotNone(b.gap)
                self.assertEqual(len(what_if), 5)
            self.assertEqual(len(pop), 4)
            self.assertEqual(pop.aggregates["P4.industrial_share"].verdict, "pass")
            d = pop.to_dict()
            self.assertEqual(d["records"], 4)
            self.assertEqual(d["aggregates"][0]["value"], Decimal("0.4"))

    def test_records_do_not_leak_into_each_other(self):
        # The second record leaves area out: it must be missing, not 40.
        recs = [{"area": 30, "industrial": True, "standard_land": True, "year": 2022, "score_in": 1},
                {"industrial": True, "standard_land": True, "year": 2022, "score_in": 1}]
        with self.rb.population(recs, D) as pop:
            self.assertEqual(pop.aggregates["P4.industrial_share"].verdict, "unknown")
            self.assertEqual(pop.record_ids, [None, None])

    def test_rank_classes_and_ties(self):
        recs = [{"_id": f"e{i}", "score_in": s} for i, s in
                enumerate([10, 9, 9, 7, 6, 5, 4, 3, 2, 1], start=1)] + [{"_id": "e11"}]
        with self.rb.population(recs, D) as pop:
            # the fixture has two scorecards: "rank" (by rank) and "avg"
            with self.assertRaises(rulebook.InvalidArgumentError):
                pop.classes()
            classes = pop.classes("rank")
            self.assertEqual(classes[:4], ["A", "A", "A", "B"])
            self.assertIsNone(classes[10])
            self.assertEqual(pop.class_of(1, "rank"), "A")
            self.assertEqual(pop.class_of(-1, "rank"), None)
            self.assertEqual(pop.score(0, "rank"), Decimal("10"))
            self.assertEqual(pop.class_counts["rank"]["A"], 3)
            with self.assertRaises(IndexError):
                pop.class_of(11)
            with self.assertRaises(NotFoundError):
                pop.classes("nope")

    def test_bad_record_names_its_index(self):
        with self.assertRaises(FactError) as cm:
            self.rb.population([{"area": 1}, {"area": "lots"}], D)
        self.assertEqual(cm.exception.record, 1)
        self.assertEqual(cm.exception.subject, "area")

    def test_population_verdicts_match_evaluate(self):
        with Rulebook.from_string(BASIC) as rb:
            recs = [{"tax": 984, "land_area": 30}, {"tax": 1158.1, "land_area": 31.3, "employees": 5},
                    {"key_project": True, "tax": 1, "land_area": 1, "converted": 2}]
            with rb.population(recs, D) as pop:
                total = dict.fromkeys(pop.counts, 0)
                for i, rec in enumerate(recs):
                    r = rb.evaluate(rec, D)
                    self.assertEqual(pop.verdicts(i), r.verdicts)
                    self.assertEqual(pop.verdict(i, "T1"), r.verdicts["T1"])
                    for k, v in r.counts.items():
                        total[k] += v
                self.assertEqual(pop.counts, total)

    def test_report_html(self):
        with Rulebook.from_string(BASIC) as rb:
            # <x> and y fail T1 (30 and 20 万元/亩 < 37); z passes (40)
            recs = [{"_id": "<x>", "tax": 300, "land_area": 10},
                    {"_id": "y", "tax": 200, "land_area": 10},
                    {"_id": "z", "tax": 400, "land_area": 10}]
            with rb.population(recs, D) as pop:
                page = pop.report_html(recs, data="firms.csv")
                self.assertTrue(page.startswith("<!DOCTYPE html>"))
                self.assertIn('data-rule="T1" data-fail="2"', page)
                self.assertIn("&lt;x&gt;", page)
                self.assertNotIn("<x>", page)
                self.assertIn("<code>firms.csv</code>", page)
                self.assertIn("+7 万元/亩", page)          # the gap of <x>: 37 - 30
                self.assertIn('data-unit="区税务局" data-fail="2"', page)
                en = pop.report_html(recs, lang="en")
                self.assertIn('<html lang="en">', en)
                self.assertIn("tax per mu 20 万元/亩", en)
                bare = pop.report_html()
                self.assertIn('data-rule="T1" data-fail="2"', bare)
                self.assertNotIn("+7 万元/亩", bare)
                with self.assertRaises(InvalidArgumentError):
                    pop.report_html(lang="fr")
                with self.assertRaises(RulebookError) as cm:
                    pop.report_html(recs[:2])
                self.assertIn("2 results for a population of 3 records", str(cm.exception))
                with self.assertRaises(RulebookError) as cm:
                    pop.report_html(yellow_behind=40)
                self.assertIn("yellow_behind must not be larger than red_behind",
                              str(cm.exception))


class TestSelfTestsAndLint(unittest.TestCase):
    def test_run_tests(self):
        with basic() as rb:
            rep = rb.run_tests()
            self.assertTrue(rep.ok)
            self.assertEqual(rep.passed, 2)
            self.assertEqual(rep.failures, ())

    def test_failing_tests_are_reported(self):
        text = BASIC.replace("T1: pass}, values: {mu_tax: 37}", "T1: fail}, values: {mu_tax: 36}")
        with Rulebook.from_string(text) as rb:
            rep = rb.run_tests()
            self.assertFalse(rep.ok)
            self.assertEqual(rep.failed, 2)
            f = rep.failures[0]
            self.assertEqual(f.case, "at the threshold")
            self.assertEqual(f.expected, "fail")
            self.assertEqual(f.actual, "pass")
            self.assertGreater(f.line, 0)
            self.assertIn("expected", str(rep))

    def test_shipped_rulebooks_pass_their_tests(self):
        for path in sorted(RULES.glob("*/*.yaml")):
            with self.subTest(path=path.name), Rulebook.load(path) as rb:
                rep = rb.run_tests()
                self.assertTrue(rep.ok, str(rep))
                self.assertGreater(rep.passed, 0)

    def test_lint(self):
        with basic() as rb:
            found = rb.lint(D)
            self.assertTrue(all(d.status in (rulebook.Status.LINT, rulebook.Status.NOTE)
                                for d in found))
            unused = [d for d in found if d.subject == "name"]
            self.assertEqual(len(unused), 1, found)  # the text input no rule uses
            self.assertEqual(unused[0].file, "basic.yaml")
            self.assertGreater(unused[0].line, 0)
            late = rb.lint("2024-06-30")
            self.assertGreater(len(late), len(found))  # no longer in force


class TestLifetime(unittest.TestCase):
    def test_close_is_idempotent_and_closed_objects_refuse_use(self):
        rb = basic()
        rb.close()
        rb.close()
        self.assertTrue(rb.closed)
        with self.assertRaises(ClosedError):
            rb.evaluate({}, D)
        self.assertEqual(rb.id, "test.binding")  # the header was copied at load

    def test_result_keeps_rulebook_alive_after_close(self):
        with basic() as rb:
            r = rb.evaluate({"tax": 984, "land_area": 30}, D)
            pop = rb.population([{"tax": 1}], D)
        self.assertTrue(rb.closed)
        self.assertEqual(r.verdicts["T1"], "fail")
        self.assertIn("T1", r.explain())
        self.assertEqual(len(pop), 1)
        with pop.copy() as c:
            c.add({"tax": 2})
        r.close()
        r.close()
        with self.assertRaises(ClosedError):
            r.explain()
        pop.close()

    def test_any_order_and_garbage_collection(self):
        for order in range(6):
            rb = basic()
            r1 = rb.evaluate({"tax": 1}, D)
            many = rb.evaluate_many([{"tax": 1}, {"tax": 2}], D)
            pop = rb.population([{"tax": 1}], D)
            objs = [rb, r1, pop]
            rnd = random.Random(order)
            rnd.shuffle(objs)
            for o in objs:
                o.close()
            # results from JSON keep the rulebook alive too, so they can
            # evaluate their record again for what the JSON lacks
            self.assertEqual(many[1].verdicts["T1"], "unknown")
            self.assertIn("T1", many[0].explain())
            many[1].close()
            with self.assertRaises(ClosedError):
                many[1].explain()
            with self.assertRaises(ClosedError):
                many[1].verdicts
            del rb, r1, pop, objs, many
            gc.collect()

    def test_collected_without_close(self):
        rb = basic()
        ref = weakref.ref(rb)
        r = rb.evaluate({"tax": 1}, D)
        del rb
        gc.collect()
        self.assertIsNotNone(ref())  # the result holds it
        self.assertEqual(r.verdicts["T1"], "unknown")
        del r
        gc.collect()
        self.assertIsNone(ref())

    def test_cycles_are_collected(self):
        rb = basic()
        r = rb.evaluate({"tax": 1}, D)
        r.cycle = r  # type: ignore[attr-defined]
        rb.cycle = (rb, r)  # type: ignore[attr-defined]
        ref = weakref.ref(rb)
        del rb, r
        gc.collect()
        self.assertIsNone(ref())


class TestThreads(unittest.TestCase):
    def test_one_rulebook_many_threads(self):
        rb = basic()
        errors = []
        expected = rb.evaluate({"tax": 984, "land_area": 30}, D).verdicts

        def work(seed):
            try:
                rnd = random.Random(seed)
                for _ in range(200):
                    if rnd.random() < 0.5:
                        r = rb.evaluate({"tax": 984, "land_area": 30}, D)
                        assert r.verdicts == expected
                        assert r.value("mu_tax") == Decimal("32.8")
                    else:
                        with rb.population([{"tax": 984, "land_area": 30}] * 3, D) as p:
                            assert p.counts["fail"] == 3
                    if rnd.random() < 0.1:
                        try:
                            rb.evaluate({"tax": "bad"}, D)
                        except FactError as e:
                            assert e.subject == "tax"
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

        # One result read from many threads: it evaluates its record again
        # once, and concurrent reads are serialised.
        shared = rb.evaluate_many([{"tax": 984, "land_area": 30}], D)[0]
        texts = []

        def read():
            for _ in range(50):
                texts.append((shared.explain("en"), shared.value("mu_tax")))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rb.close()
        self.assertEqual(len(set(texts)), 1)
        self.assertEqual(texts[0][1], Decimal("32.8"))


LISTS = """\
rulebook: 1
id: test.lists
title: {zh: 列表}
subject: project
source: {issuer: 测试, document: 列表测试, issued: 2022-01-01}
units:
  - {id: m, base: true}
inputs:
  - {id: heights, type: list, of: number, unit: m}
  - {id: facilities, type: list, of: enum, values: [食堂, 宿舍]}
  - id: storeys
    type: list
    fields:
      - {id: height, type: number, unit: m}
      - {id: area, type: number, unit: m²}
  - {id: area, type: number, unit: m²}
indicators:
  - {id: tall, expr: 'count(h in heights where h > 8)'}
  - {id: floor_area, expr: 'sum(if s.height > 8 [m] then 2 * s.area else s.area for s in storeys)', unit: m²}
rules:
  - {id: T, cite: 一, require: 'tall <= 1'}
  - {id: C, cite: 二, require: 'any(f in facilities where f == "食堂")'}
  - {id: F, cite: 三, require: 'floor_area <= area'}
"""


class TestLists(unittest.TestCase):
    # heights 3.5, 9, 0.1 + 10: two over 8 m; storeys 9 m × 300 m² (twice:
    # 600) and 4 m × 500 m²: floor area 1100 m²
    REC = {"heights": [3.5, 9, Decimal("10.1")], "facilities": ("宿舍", "食堂"),
           "storeys": [{"height": 9, "area": 300}, {"height": 4.0, "area": Decimal("500")}],
           "area": 1100}

    def test_lists_and_tuples_every_path(self):
        with Rulebook.from_string(LISTS) as rb:
            r = rb.evaluate(self.REC, D)
            self.assertEqual(r.verdicts, {"T": "fail", "C": "pass", "F": "pass"})
            self.assertEqual(r.value("tall"), Decimal(2))
            self.assertEqual(r.value("floor_area"), Decimal(1100))
            self.assertEqual(r.value("heights"), "[3.5, 9, 10.1]")
            # the same through the JSON, batch and per-record paths
            out = json.loads(rb.evaluate_json(json.dumps({"heights": [3.5, 9, 10.1],
                                                          "facilities": ["食堂"]}), D))
            self.assertEqual(out["rules"][0]["verdict"], "fail")
            self.assertEqual(out["rules"][0]["values"]["heights"]["value"], "[3.5, 9, 10.1]")
            self.assertEqual(out["rules"][0]["values"]["count(h in heights where h > 8)"]["took"],
                             [2, 3])
            self.assertEqual([x.verdicts for x in rb.evaluate_many([self.REC], D)], [r.verdicts])
            other = dict(self.REC, heights="6、9；7", facilities=[])
            pop = rb.population([self.REC, other], D)
            self.assertEqual(pop.verdicts(0), r.verdicts)
            # 6, 9, 7: one over 8 m; no canteen
            self.assertEqual(pop.verdicts(1), {"T": "pass", "C": "fail", "F": "pass"})

    def test_list_errors(self):
        with Rulebook.from_string(LISTS) as rb:
            with self.assertRaises(FactError) as cm:
                rb.evaluate({"heights": [1, "x"]}, D)
            self.assertIn("element 2 of list 'heights'", str(cm.exception))
            with self.assertRaises(FactError):
                rb.evaluate({"heights": [1, float("inf")]}, D)
            with self.assertRaises(FactError):
                rb.evaluate({"area": [1]}, D)
            with self.assertRaises(FactError):
                rb.evaluate({"heights": [object()]}, D)
            with self.assertRaises(FactError) as cm:
                rb.evaluate({"area": [1]}, D)
            self.assertIn("input 'area' is a number, not a list", str(cm.exception))
            for path in (rb.evaluate, lambda rec, d: rb.population([rec], d)):
                with self.assertRaises(FactError):
                    path({"area": {"a": 1}}, D)


if __name__ == "__main__":
    unittest.main()


class TestLanguage(unittest.TestCase):
    """Tables, rules about rules and several documents through the binding."""

    def test_standard_land(self):
        facts = {"industry": 26, "platform": "省级以上开发区", "land_area": 30,
                 "fixed_investment": 9000,
                 "storeys": [{"height": 6, "area": 10000}, {"height": 8, "area": Decimal(10000)}],
                 "tax": 900, "value_added": 2000,
                 "energy_use": 2500, "emission_equivalent": 10, "rd_expenditure": 500,
                 "revenue": 20000}
        with Rulebook.load(RULES / "zhejiang" / "standard-land.yaml") as rb:
            r = rb.evaluate(facts, D)
            rules = {x.id: x for x in r.rules}
            far = rules["basic.far"]
            self.assertEqual(far.verdict, "pass")
            lookup = far.values["far_min[industry]"]
            self.assertEqual(lookup.kind, "table")
            self.assertEqual(lookup.key, "far_min[26]")
            self.assertEqual(lookup.value, Decimal("1"))
            self.assertEqual(lookup.provenance, "illustrative")
            self.assertEqual(far.document, 0)   # the provincial opinion
            self.assertEqual(rules["x.rd"].document, 1)   # the county table
            # 26 has no emission figure: unknown, naming the row
            self.assertEqual(rules["basic.emission"].missing, ("emission_va_min[26]",))
            basic = rules["basic"]
            self.assertEqual(basic.verdict, "unknown")
            self.assertEqual(basic.parts_mode, "all_of")
            self.assertEqual([p.rule for p in basic.parts],
                             ["basic.invest", "basic.far", "basic.tax", "basic.energy",
                              "basic.emission"])
            self.assertEqual(basic.parts[4].verdict, "unknown")
            x = rules["x"]
            self.assertEqual(x.parts_mode, "any_of")
            # 2000 / 30 = 66.6667 against 100: short by 33.3333
            self.assertEqual(x.parts[1], rulebook.RulePart("x.mu_value_added", "fail",
                                                          "控制性指标表 X", "+33.3333 万元/亩"))
            self.assertEqual(rules["basic.far"].parts, ())
            self.assertIsNone(rules["basic.far"].parts_mode)
