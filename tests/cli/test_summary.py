#!/usr/bin/env python3
"""The summary of `rulebook eval`: for a rulebook that has no rules (only
scorecards), no verdict counts and no 督办清单, only what the rulebook has;
the consequences the records of each scorecard get, in the text, Markdown
and the workbook.

Usage: test_summary.py PATH-TO-rulebook [unittest arguments]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_input import read_sheets  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXE = ""
MUJUN = os.path.join(ROOT, "rules", "linan", "mujun.yaml")
FIRMS = os.path.join(ROOT, "examples", "data", "enterprises-mujun.json")
ENTERPRISE = os.path.join(ROOT, "rules", "linan", "enterprise.yaml")
ENTERPRISES = os.path.join(ROOT, "examples", "data", "enterprises.json")
FIX = os.path.join(ROOT, "tests", "cli", "fixtures")
CQ_BOOK = os.path.join(FIX, "consequences.yaml")
CQ_DATA = os.path.join(FIX, "consequences.json")


def summary(*args):
    p = subprocess.run([EXE, "eval", "--as-of", "2023-06-30", "--format", "jsonl"] + list(args),
                       capture_output=True, timeout=120)
    return p.returncode, p.stderr.decode()


class NoRules(unittest.TestCase):
    def test_only_the_classes(self):
        code, err = summary(MUJUN, FIRMS, "--population")
        self.assertEqual(code, 0, err)
        lines = err.splitlines()
        self.assertEqual(lines[0], "评价对象 210 个")
        # each class line is followed by the consequences, indented
        lines = [l for l in lines[1:] if not l.startswith("  ")]
        self.assertEqual([l.split("：")[0] for l in lines], ["评分卡 mujun", "评分卡 mujun_rank"])
        for line in lines:
            counts = [int(n) for n in re.findall(r" (\d+)", line.split("：")[1])]
            # Every record has exactly one class (or not_rated, not_in_force, unknown).
            self.assertEqual(sum(counts), 210, line)
        self.assertNotIn("pass", err)
        self.assertNotIn("无未达标项", err)
        self.assertNotIn("督办清单", err)

    def test_english(self):
        code, err = summary(MUJUN, FIRMS, "--lang", "en")
        self.assertEqual(code, 0, err)
        self.assertEqual(err.splitlines()[0], "210 records evaluated")
        self.assertNotIn("No rule failed", err)

    def test_rules_keep_their_counts(self):
        code, err = summary(ENTERPRISE, ENTERPRISES)
        lines = err.splitlines()
        self.assertEqual(lines[0], "评价对象 210 个")
        self.assertRegex(lines[1], r"^  pass \d+, fail \d+, not_applicable \d+, exempt \d+, "
                                   r"unknown \d+, not_in_force \d+, error \d+$")
        self.assertIn("督办清单（未达标，按责任单位）：", err)


class LinanResponsibleUnits(unittest.TestCase):
    """Every failure of the Lin'an rulebooks is listed under a unit, and a
    unit has one name (the plan also writes 税务局 and 经信局)."""

    def check(self, rulebook, data, *extra):
        code, err = summary(os.path.join(ROOT, "rules", "linan", rulebook),
                            os.path.join(ROOT, "examples", "data", data), *extra)
        self.assertIn("督办清单", err)
        units = [l.split()[0] for l in err.split("督办清单")[1].splitlines()[2:] if l.strip()]
        self.assertTrue(units, err)
        self.assertNotIn("（未指定）", units)
        self.assertNotIn("税务局", units)
        self.assertNotIn("经信局", units)
        return units

    def test_enterprise(self):
        units = self.check("enterprise.yaml", "enterprises.json")
        self.assertIn("区税务局", units)

    def test_district(self):
        self.check("district.yaml", "district-2022-06-30.json", "--as-of", "2022-06-30")

    def test_project(self):
        self.check("project.yaml", "projects.json")


def run_eval(*args):
    p = subprocess.run([EXE, "eval", "--as-of", "2023-06-30"] + list(args),
                       capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def consequence_rows(text, scorecard):
    """The consequence lines after a scorecard's class line, split into cells."""
    lines = text.splitlines()
    at = [i for i, l in enumerate(lines) if l.startswith(scorecard + "：")
          or l.startswith(scorecard + ":")]
    assert len(at) == 1, text
    rows = []
    for line in lines[at[0] + 1:]:
        if not line.startswith("  "):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


# fixtures/consequences.json as of 2023-06-30, worked out by hand. The score
# is score_in (weight 1, benchmark 1): E1 9 A, E2 8 A (at the cut-off), E8 7
# B, E3 5 C, E4 3 D, E5 2 D, E6 1 D, E9 0.5 D, E7 no score (unknown).
# Class A: land_tax_relief 100 % for E1 and E2. Class C: the 0.05 surcharge
# for E3. Class D: the 0.1 surcharge for E4, E5, E6, E9; the repeat
# surcharge when d_years >= 3 for E4 (3) and E6 (4), not E5 (1) or E9 (0);
# the water surcharge looked up by water_grade: E4 grade 1 -> 0.5, E5 and E6
# grade 2 -> 1, E9 no grade -> no amount: 4 records, 0.5 to 1, 1 without.
BY_SCORE = [
    ["land_tax_relief", "A", "100 %", "2", "四（四）1"],
    ["electricity_surcharge", "C", "0.05 元/kWh", "1", "四（四）2"],
    ["electricity_surcharge", "D", "0.1 元/kWh", "4", "四（四）2"],
    ["surcharge_repeat", "D", "0.1 元/kWh", "2", "四（四）3"],
    ["water_surcharge", "D", "0.5～1 元/立方米（因对象而异，1 个金额无法计算）", "4", "四（四）4"],
]
# By rank, the 8 scored records in 4 shares of 25 %: 2 each, by score
# E1 E2 | E8 E3 | E4 E5 | E6 E9. A: award 5 万元 for E1, E2. D: the 0.1
# surcharge for E6 and E9; the repeat one for E6 (d_years 4) only.
BY_RANK = [
    ["award", "A", "5 万元", "2", "四（五）1"],
    ["electricity_surcharge_d", "D", "0.1 元/kWh", "2", "四（五）2"],
    ["surcharge_repeat", "D", "0.1 元/kWh", "1", "四（五）2"],
]
HEAD = ["后果", "类别", "金额", "对象数", "条款"]


# Declarations added to the score scorecard of fixtures/consequences.yaml,
# after its surcharge_repeat.
REPEAT_BY_5 = ("      - {id: surcharge_repeat, class: D, when: d_years >= 5, value: 0.2, "
               "unit: 元/kWh, cite: 四（四）5}\n")
TIERS = ("      - {id: tier, class: D, when: d_years < 3, value: 0.3, unit: 元/kWh, "
         "cite: 四（四）6}\n"
         "      - {id: tier, class: D, when: d_years >= 3, value: 0.4, unit: 元/kWh, "
         "cite: 四（四）7}\n")
ONE_D6 = {"_id": "R1", "score_in": 2.5, "d_years": 6, "water_grade": 1}


def variant(tmp, declarations):
    """fixtures/consequences.yaml with declarations added; its path."""
    with open(CQ_BOOK, encoding="utf-8") as f:
        text = f.read()
    after = "when: d_years >= 3, value: 0.1, unit: 元/kWh, cite: 四（四）3}\n"
    assert text.count(after) == 1, text
    path = os.path.join(tmp, "consequences.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(after, after + declarations))
    return path


def fixture_records():
    with open(CQ_DATA, encoding="utf-8") as f:
        return json.load(f)


def records(tmp, name, rows):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)
    return path


class Consequences(unittest.TestCase):
    def test_by_score_one_at_a_time(self):
        code, out, err = run_eval(CQ_BOOK, CQ_DATA)
        self.assertEqual(code, 0, err)
        self.assertIn("评分卡 score： A 2, B 1, C 1, D 4, not_rated 0, not_in_force 0, "
                      "unknown 1\n", out)
        self.assertEqual(consequence_rows(out, "评分卡 score"), [HEAD] + BY_SCORE)
        # without --population no class by rank is decided, so no consequence
        self.assertEqual(consequence_rows(out, "评分卡 rank"), [["后果：无对象适用"]])

    def test_by_rank_in_a_population(self):
        code, out, err = run_eval("--population", CQ_BOOK, CQ_DATA)
        self.assertEqual(code, 0, err)
        # the population gives the same by score, each record its own water amount
        self.assertEqual(consequence_rows(out, "评分卡 score"), [HEAD] + BY_SCORE)
        self.assertIn("评分卡 rank： A 2, B 2, C 2, D 2, not_rated 0, not_in_force 0, "
                      "unknown 1\n", out)
        self.assertEqual(consequence_rows(out, "评分卡 rank"), [HEAD] + BY_RANK)
        # the machine formats send the same summary to stderr
        code, _, err = run_eval("--population", "-f", "jsonl", CQ_BOOK, CQ_DATA)
        self.assertEqual(consequence_rows(err, "评分卡 rank"), [HEAD] + BY_RANK)

    def test_english_and_markdown(self):
        code, out, err = run_eval("--lang", "en", CQ_BOOK, CQ_DATA)
        self.assertEqual(code, 0, err)
        rows = consequence_rows(out, "scorecard score")
        self.assertEqual(rows[0], ["consequence", "class", "amount", "records", "cite"])
        self.assertEqual(rows[5], ["water_surcharge", "D",
                                   "0.5–1 元/立方米 (varies by record, 1 not computable)", "4",
                                   "四（四）4"])
        self.assertEqual(consequence_rows(out, "scorecard rank"),
                         [["consequences: none applies"]])
        code, out, err = run_eval("--population", "-f", "markdown", CQ_BOOK, CQ_DATA)
        self.assertEqual(code, 0, err)
        self.assertIn("\n| 后果 | 类别 | 金额 | 对象数 | 条款 |\n|---|---|---|---:|---|\n"
                      "| award | A | 5 万元 | 2 | 四（五）1 |\n"
                      "| electricity_surcharge_d | D | 0.1 元/kWh | 2 | 四（五）2 |\n"
                      "| surcharge_repeat | D | 0.1 元/kWh | 1 | 四（五）2 |\n", out)
        self.assertIn("| surcharge_repeat | D | 0.1 元/kWh | 2 | 四（四）3 |\n", out)

    def test_workbook_sheet(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "consequences.xlsx")
            with open(path, "wb") as f:
                p = subprocess.run([EXE, "eval", "--as-of", "2023-06-30", "--population",
                                    "-f", "xlsx", CQ_BOOK, CQ_DATA],
                                   stdout=f, stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            sheets = read_sheets(path)
        self.assertEqual(list(sheets), ["评价结果", "督办清单", "后果", "来源"])
        self.assertEqual(sheets["后果"],
                         [["评分卡"] + HEAD] + [["score"] + r for r in BY_SCORE]
                         + [["rank"] + r for r in BY_RANK])

    def test_none_declared(self):
        # a scorecard without consequences: no consequence lines, no sheet
        code, out, err = run_eval("--population", os.path.join(FIX, "population.yaml"),
                                  os.path.join(FIX, "parcels.json"))
        self.assertEqual(code, 0, err)
        self.assertNotIn("后果", out)

    def test_one_id_declared_twice_for_a_class(self):
        # surcharge_repeat for D twice, under two conditions: 0.1 when
        # d_years >= 3 (四（四）3), 0.2 when d_years >= 5 (四（四）5). A record
        # of class D with d_years 6 gets both: each declaration keeps its
        # own line, amount and clause, and neither amount varies by record.
        with tempfile.TemporaryDirectory() as tmp:
            book = variant(tmp, REPEAT_BY_5)
            one = records(tmp, "one.json", [ONE_D6])
            code, out, err = run_eval(book, one)
            self.assertEqual(code, 0, err)
            self.assertIn("评分卡 score： A 0, B 0, C 0, D 1, not_rated 0, not_in_force 0, "
                          "unknown 0\n", out)
            self.assertEqual(consequence_rows(out, "评分卡 score"), [HEAD] + [
                ["electricity_surcharge", "D", "0.1 元/kWh", "1", "四（四）2"],
                ["surcharge_repeat", "D", "0.1 元/kWh", "1", "四（四）3"],
                ["surcharge_repeat", "D", "0.2 元/kWh", "1", "四（四）5"],
                ["water_surcharge", "D", "0.5 元/立方米", "1", "四（四）4"],
            ])
            code, out, err = run_eval("--lang", "en", book, one)
            self.assertEqual(code, 0, err)
            self.assertEqual(consequence_rows(out, "scorecard score"), [
                ["consequence", "class", "amount", "records", "cite"],
                ["electricity_surcharge", "D", "0.1 元/kWh", "1", "四（四）2"],
                ["surcharge_repeat", "D", "0.1 元/kWh", "1", "四（四）3"],
                ["surcharge_repeat", "D", "0.2 元/kWh", "1", "四（四）5"],
                ["water_surcharge", "D", "0.5 元/立方米", "1", "四（四）4"],
            ])
            self.assertNotIn("varies by record", out.split("water_surcharge")[0])
            # With the fixture's records besides: D is E4 (d_years 3), E5 (1),
            # E6 (4), E9 (0) and E10 (6); the first surcharge_repeat goes to
            # E4, E6 and E10, the second to E10 alone (E7, d_years 5, has no
            # score); E10's water grade 1 gives 0.5.
            more = records(tmp, "more.json", fixture_records() + [dict(ONE_D6, _id="E10")])
            want = [
                ["land_tax_relief", "A", "100 %", "2", "四（四）1"],
                ["electricity_surcharge", "C", "0.05 元/kWh", "1", "四（四）2"],
                ["electricity_surcharge", "D", "0.1 元/kWh", "5", "四（四）2"],
                ["surcharge_repeat", "D", "0.1 元/kWh", "3", "四（四）3"],
                ["surcharge_repeat", "D", "0.2 元/kWh", "1", "四（四）5"],
                ["water_surcharge", "D", "0.5～1 元/立方米（因对象而异，1 个金额无法计算）", "5",
                 "四（四）4"],
            ]
            for extra in ([], ["--population"]):
                code, out, err = run_eval(*extra, book, more)
                self.assertEqual(code, 0, err)
                self.assertEqual(consequence_rows(out, "评分卡 score"), [HEAD] + want, extra)
            code, out, err = run_eval("--lang", "en", book, more)
            self.assertEqual(code, 0, err)
            self.assertEqual(consequence_rows(out, "scorecard score")[4:6], [
                ["surcharge_repeat", "D", "0.1 元/kWh", "3", "四（四）3"],
                ["surcharge_repeat", "D", "0.2 元/kWh", "1", "四（四）5"],
            ])

    def test_one_id_under_exclusive_conditions(self):
        # tier for D twice, under conditions that exclude each other: 0.3
        # when d_years < 3 (四（四）6), 0.4 when d_years >= 3 (四（四）7). A
        # record gets one of them, not always the first declared: E5 (1) and
        # E9 (0) the first, E4 (3) and E6 (4) the second.
        with tempfile.TemporaryDirectory() as tmp:
            book = variant(tmp, TIERS)
            for extra in ([], ["--population"]):
                code, out, err = run_eval(*extra, book, CQ_DATA)
                self.assertEqual(code, 0, err)
                self.assertEqual(consequence_rows(out, "评分卡 score")[5:7], [
                    ["tier", "D", "0.3 元/kWh", "2", "四（四）6"],
                    ["tier", "D", "0.4 元/kWh", "2", "四（四）7"],
                ], extra)

    def test_linan_d_surcharge_follows_the_class_count(self):
        # the unconditional class D surcharge goes to every record of class D
        code, out, err = run_eval("--population", MUJUN, FIRMS)
        self.assertEqual(code, 0, err)
        for card in ("评分卡 mujun", "评分卡 mujun_rank"):
            line = [l for l in out.splitlines() if l.startswith(card + "：")][0]
            d = int(re.search(r" D (\d+),", line).group(1))
            rows = {r[0]: r for r in consequence_rows(out, card)[1:]}
            self.assertEqual(rows["electricity_surcharge_d"][1], "D")
            self.assertEqual(int(rows["electricity_surcharge_d"][3]), d)
            self.assertLessEqual(int(rows["electricity_surcharge_d_repeat"][3]), d)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_summary.py PATH-TO-rulebook")
    EXE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
