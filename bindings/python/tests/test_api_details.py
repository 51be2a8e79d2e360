"""The binding's wrappers of the decimal functions, the test cases as data,
rule locations, comparisons, the values a rule used and the exact-only
switch. Expected figures are worked out by hand beside them."""
import datetime
import unittest
from decimal import Decimal

import support  # noqa: F401  (puts the package on sys.path)

import rulebook
from rulebook import (FactError, InvalidArgumentError, NumberRangeError, Rulebook,
                      decimal_calc, decimal_compare, decimal_format, decimal_parse)

D = datetime.date(2023, 6, 30)

# Lines: the header 1-5, inputs 6-8, parameters 9-10, indicators 11-12,
# rules 13-15, tests 16-.
BOOK = """\
rulebook: 1
id: t.details
title: {zh: 细节, en: details}
subject: enterprise
source: {issuer: 测试, document: 测试, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: T1, cite: 二, require: mu_tax >= min_mu_tax}
  - {id: T2, cite: 二, require: 'land_area > 10 and tax >= 500 [万元]'}
tests:
  - name: 'at "37"'
    as_of: 2023-06-30
    facts: {_id: 'q"x', tax: 1158.1, land_area: 31.3 亩}
    expect: {verdicts: {T1: pass}, values: {mu_tax: {value: 37.0, places: 1}}}
  - name: wrong
    as_of: 2023-06-30
    facts: {tax: 100, land_area: null}
    expect: {verdicts: {T2:  pass}}
"""


class TestDecimal(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(decimal_parse("37.00"), "37")
        self.assertEqual(decimal_parse("1.5e3"), "1500")
        self.assertEqual(decimal_parse("2.3%"), "0.023")
        self.assertEqual(decimal_parse(Decimal("-0.50")), "-0.5")
        self.assertEqual(decimal_parse(12), "12")
        with self.assertRaises(FactError) as cm:
            decimal_parse("12a4")
        self.assertEqual(cm.exception.diagnostics[0].column, 3)  # 'a' is the third byte
        with self.assertRaises(NumberRangeError):
            decimal_parse("1234567890123456789")  # 19 significant digits
        with self.assertRaises(TypeError):
            decimal_parse(1.5)  # a float is not exact

    def test_compare_and_calc(self):
        self.assertEqual(decimal_compare("1.20", "1.2"), 0)
        self.assertEqual(decimal_compare("36.99", "37"), -1)
        self.assertEqual(decimal_compare("7%", "0.069"), 1)
        self.assertEqual(decimal_calc("0.1", "+", "0.2"), "0.3")
        self.assertEqual(decimal_calc("37", "*", "31.3"), "1158.1")
        self.assertEqual(decimal_calc("1158.1", "/", "31.3"), "37")
        self.assertEqual(decimal_calc("1", "/", "3"), "0.333333333333333333")
        self.assertEqual(decimal_calc("0.62", "-", "0.75"), "-0.13")
        with self.assertRaises(FactError):
            decimal_calc("1", "/", "0")
        with self.assertRaises(InvalidArgumentError):
            decimal_calc("1", "%", "2")
        with self.assertRaises(FactError):
            decimal_compare("x", "1")

    def test_format(self):
        self.assertEqual(decimal_format("1158.149", 2), "1158.15")
        self.assertEqual(decimal_format("2.5", 0, rounding="half_even"), "2")
        self.assertEqual(decimal_format("-2.1", 0, rounding="floor"), "-3")
        self.assertEqual(decimal_format("1234567.5", 0, thousands=True), "1,234,568")
        self.assertEqual(decimal_format("37", 2, fixed=True), "37.00")
        self.assertEqual(decimal_format("4.2", sign=True), "+4.2")
        self.assertEqual(decimal_format("-0.000025"), "-0.000025")
        with self.assertRaises(InvalidArgumentError):
            decimal_format("1", 2, rounding="up")
        with self.assertRaises(InvalidArgumentError):
            decimal_format("1", fixed=True)  # fixed needs places


class TestCasesAsData(unittest.TestCase):
    def test_cases(self):
        with Rulebook.from_string(BOOK, name="t.yaml") as rb:
            cases = rb.test_cases()
            self.assertEqual(len(cases), 2)
            c = cases[0]
            self.assertEqual(c.name, 'at "37"')
            self.assertEqual(c.as_of, D)
            self.assertEqual((c.line, c.column), (17, 11))  # "  - name: 'at..." quote at 11
            self.assertFalse(c.population)
            self.assertEqual([(f.name, f.value) for f in c.facts],
                             [("_id", 'q"x'), ("tax", "1158.1"), ("land_area", "31.3 亩")])
            # "    facts: {_id: 'q\"x', tax: 1158.1, ...": tax at byte 25
            self.assertEqual((c.facts[1].line, c.facts[1].column), (19, 25))
            self.assertEqual([(e.kind, e.name, e.value, e.places) for e in c.expectations],
                             [("verdict", "T1", "pass", None), ("value", "mu_tax", "37.0", 1)])
            self.assertIsNone(cases[1].facts[1].value)  # land_area: null

    def test_report_columns(self):
        with Rulebook.from_string(BOOK, name="t.yaml") as rb:
            rep = rb.run_tests()
            # 1158.1 / 31.3 = 37: both checks of the first case pass; T2 of
            # the second fails (land_area is missing, but tax 100 < 500 fails
            # the 'and'), not pass
            self.assertEqual((rep.passed, rep.failed), (2, 1))
            f = rep.failures[0]
            # line 24 "    expect: {verdicts: {T2:  pass}}": pass at byte 30
            self.assertEqual((f.line, f.column), (24, 30))
            self.assertIn("line 24:30:", str(rep))

    def test_rule_location(self):
        with Rulebook.from_string(BOOK, name="t.yaml") as rb:
            loc = rb.rule_location("T2")
            self.assertEqual((loc.file, loc.line, loc.column), ("t.yaml", 15, 10))
            self.assertEqual(str(rb.rule_location(0)), "t.yaml:14:10")
            self.assertEqual(rb.comparison_count("T1"), 1)
            self.assertEqual(rb.comparison_count("T2"), 2)
            with self.assertRaises(rulebook.NotFoundError):
                rb.rule_location("T9")


class TestComparisons(unittest.TestCase):
    def test_comparisons_and_values_used(self):
        with Rulebook.from_string(BOOK, name="t.yaml") as rb:
            with rb.evaluate({"tax": "1147", "land_area": "31"}, D) as res:
                # 1147 / 31 = 37 exactly: the comparison holds with a gap of 0
                (c,) = res.comparisons("T1")
                self.assertEqual((c.gap, c.value, c.threshold), (Decimal(0), Decimal(37),
                                                                 Decimal(37)))
                self.assertEqual((c.operator, c.name, c.threshold_name, c.unit),
                                 (">=", "mu_tax", "min_mu_tax", "万元/亩"))
                self.assertTrue(c.holds)
                self.assertIsNone(c.text)
                # T2: land_area > 10 holds (10 - 31 = -21), tax >= 500 too
                a, b = res.comparisons("T2")
                self.assertEqual(a.gap, Decimal(-21))
                self.assertTrue(a.strict)
                self.assertEqual(b.name, "tax")  # "tax >= 500 [万元]": a name against a number
                self.assertIsNone(b.threshold_name)
                used = {u.name: u for u in res.values_used("T1")}
                self.assertEqual(set(used), {"mu_tax", "min_mu_tax", "tax", "land_area"})
                self.assertEqual((used["mu_tax"].kind, used["mu_tax"].value), ("indicator", "37"))
                self.assertEqual(used["tax"].unit, "万元")
            with rb.evaluate({"tax": "1100", "land_area": "31"}, D) as res:
                (c,) = res.comparisons("T1")
                self.assertFalse(c.holds)
                # 37 - 1100/31 (35.4838709677419355 to 18 digits)
                self.assertEqual(c.gap, Decimal("1.5161290322580645"))
                self.assertEqual(c.text, "+1.5161 万元/亩")

    def test_exact_only(self):
        with Rulebook.from_string(BOOK, name="t.yaml") as rb:
            # far from the threshold: the binary run decides
            with rb.evaluate({"tax": "5000", "land_area": "10"}, D) as res:
                self.assertIs(res.decided_exactly, False)
            # exactly at it: the exact route decides
            with rb.evaluate({"tax": "1158.1", "land_area": "31.3"}, D) as res:
                self.assertIs(res.decided_exactly, True)
                self.assertEqual(res.verdict("T1"), "pass")
            with rb.evaluate({"tax": "5000", "land_area": "10"}, D, exact_only=True) as res:
                self.assertIs(res.decided_exactly, True)
                self.assertEqual(res.verdict("T1"), "pass")


TARGETS = """\
rulebook: 1
id: t.targets
title: {zh: 目标, en: targets}
subject: district
source: {issuer: 测试, document: 测试, issued: 2022-01-01}
inputs:
  - {id: a, type: number, unit: 亩}
  - {id: b, type: number, unit: 亩}
  - {id: x, type: number, unit: 亩}
parameters:
  - {id: goal, unit: 亩, cite: 二, provenance: cited, values: [{from: 2023-01-01, value: 100}]}
  - {id: cap, cite: 二, provenance: illustrative, note: 示例, value: 5}
indicators:
  - {id: total, expr: a + b, unit: 亩}
rules:
  - {id: R1, cite: 二, require: 'a / x <= cap'}
  - {id: R2, cite: 二, require: 'a >= 50 and b >= 50'}
targets:
  - {id: T, cite: 四, measure: total, target: goal, unit: 亩, period: yearly}
"""


class TestMoreOfTheResult(unittest.TestCase):
    def test_gap_parts_errors_and_missing(self):
        with Rulebook.from_string(TARGETS, name="t.yaml") as rb:
            self.assertEqual(rb.parents, ())
            self.assertEqual(rb.file_hash, rb.hash)  # nothing extended
            with rb.evaluate({"a": 30, "b": 10, "x": 0}, D) as res:
                # a / 0: the rule cannot be computed
                self.assertEqual(res.verdict("R1"), "error")
                self.assertEqual(res.error("R1"), "division by zero")
                self.assertIsNone(res.error("R2"))
                # both parts of the 'and' fail: 50 - 30 = 20, 50 - 10 = 40
                parts = res.gap_parts("R2")
                self.assertEqual([(g.name, g.gap, g.holds) for g in parts],
                                 [("a", Decimal(20), False), ("b", Decimal(40), False)])
                self.assertEqual(res.target_missing("T"), ())  # total = 40 is known
            with rb.evaluate({"a": 30, "x": 10}, D) as res:
                # 30 / 10 = 3 <= 5, on an illustrative parameter
                self.assertEqual(res.verdict("R1"), "pass")
                self.assertIs(res.illustrative("R1"), True)
                self.assertIs(res.illustrative("R2"), False)
                self.assertEqual(res.gap_parts("R1"), ())  # it did not fail
                # total = a + b misses b
                self.assertEqual(res.targets["T"].status, "unknown")
                self.assertEqual(res.target_missing("T"), ("b",))
                with self.assertRaises(rulebook.NotFoundError):
                    res.target_missing("T9")

    def test_class_missing(self):
        path = support.SOURCE_ROOT / "tests" / "api" / "fixtures" / "mujun.yaml"
        with Rulebook.load(str(path)) as rb:
            # no land_area: the scope is unknown, and so are the tax
            # component's points (tax / land_area)
            with rb.evaluate({"tax": 60, "va_per_tce": 2.5, "rd_share": 0.01,
                              "accident": False}, D) as res:
                self.assertIsNone(res.class_of("mujun"))
                self.assertEqual(res.class_missing("mujun"),
                                 (("land_area", "scope"), ("land_area", "component:tax")))
                self.assertIsNone(res.class_error("mujun"))


class TestPopulationRecords(unittest.TestCase):
    def test_vetoes_and_consequences(self):
        path = support.SOURCE_ROOT / "tests" / "api" / "fixtures" / "mujun.yaml"
        with Rulebook.load(str(path)) as rb:
            records = [
                # mu_tax 200/10 = 20 = the benchmark: 50; energy 5/5: 30;
                # rd 0.02/0.02: 20; 100 >= 85 (cut_a in 2023): A
                {"_id": "A", "tax": 200, "land_area": 10, "va_per_tce": 5, "rd_share": 0.02,
                 "accident": False},
                # an accident: the veto forces D, three years of D add the repeat surcharge
                {"_id": "V", "tax": 200, "land_area": 10, "va_per_tce": 5, "rd_share": 0.02,
                 "accident": True, "d_years": 3},
                # 50 + 30 × 2.5/5 + 20 × 0.01/0.02 = 75: B, no consequence
                {"_id": "B", "tax": 200, "land_area": 10, "va_per_tce": 2.5, "rd_share": 0.01,
                 "accident": False},
            ]
            with rb.population(records, D) as pop:
                self.assertEqual([pop.class_of(i, "mujun") for i in range(3)], ["A", "D", "B"])
                self.assertIsNone(pop.veto(0, "mujun"))
                self.assertEqual(pop.veto(1, "mujun"), "safety")
                self.assertEqual([(c.id, c.value, c.unit) for c in pop.consequences(0, "mujun")],
                                 [("reward", Decimal(10), "万元")])
                self.assertEqual([(c.id, c.value, c.unit) for c in pop.consequences(1, "mujun")],
                                 [("surcharge", Decimal("0.3"), "元/kWh"),
                                  ("surcharge_repeat", Decimal("0.5"), "元/kWh")])
                self.assertEqual(pop.consequences(2, "mujun"), ())

    def test_aggregate_undecided(self):
        book = TARGETS + """aggregates:
  - {id: S, cite: 一, measure: sum, value: a, unit: 亩, require: 'value >= 100 [亩]'}
"""
        with Rulebook.from_string(book, name="t.yaml") as rb:
            with rb.population([{"a": 30, "x": 1}, {"b": 1, "x": 1}], D) as pop:
                # the second record has no a: the sum is unknown because of it
                self.assertEqual(pop.aggregates["S"].verdict, "unknown")
                self.assertEqual(pop.aggregate_undecided("S"), ((1,), ("a",)))
                with self.assertRaises(rulebook.NotFoundError):
                    pop.aggregate_undecided("S9")


if __name__ == "__main__":
    unittest.main()
