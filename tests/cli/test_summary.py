#!/usr/bin/env python3
"""The summary of `rulebook eval` for a rulebook that has no rules (only
scorecards): no verdict counts and no 督办清单, only what the rulebook has.

Usage: test_summary.py PATH-TO-rulebook [unittest arguments]
"""
import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXE = ""
MUJUN = os.path.join(ROOT, "rules", "linan", "mujun.yaml")
FIRMS = os.path.join(ROOT, "examples", "data", "enterprises-mujun.json")
ENTERPRISE = os.path.join(ROOT, "rules", "linan", "enterprise.yaml")
ENTERPRISES = os.path.join(ROOT, "examples", "data", "enterprises.json")


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
        self.assertEqual([l.split("：")[0] for l in lines[1:]], ["评分卡 mujun", "评分卡 mujun_rank"])
        for line in lines[1:]:
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


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_summary.py PATH-TO-rulebook")
    EXE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
