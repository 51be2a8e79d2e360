#!/usr/bin/env python3
"""Tests of the rulebook command-line tool.

Usage: test_cli.py PATH-TO-rulebook [unittest arguments]
(or set RULEBOOK_CLI). Standard library only.
"""
import csv
import hashlib
import io
import json
import os
import pty
import select
import subprocess
import sys
import tempfile
import time
import unicodedata
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
EXE = os.environ.get("RULEBOOK_CLI", "")
DATE = "2023-06-30"


def fx(name):
    return os.path.join(FIX, name)


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run(*args, stdin=None, env=None):
    """Run the tool; returns (status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([EXE] + list(args), input=stdin, capture_output=True,
                       env=full_env, timeout=120)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


class Case(unittest.TestCase):
    def assertStatus(self, result, status):
        code, out, err = result
        self.assertEqual(code, status, "stdout:\n%s\nstderr:\n%s" % (out, err))

    def assertOneLineError(self, err):
        lines = [l for l in err.splitlines() if l]
        self.assertEqual(len(lines), 1, err)


class TopLevel(Case):
    def test_help(self):
        for args in (["--help"], ["-h"], ["help"]):
            code, out, err = run(*args)
            self.assertStatus((code, out, err), 0)
            self.assertIn("Usage: rulebook COMMAND", out)
            for cmd in ("check", "test", "eval", "explain", "diff", "monitor"):
                self.assertIn("  " + cmd, out)
            self.assertEqual(err, "")

    def test_no_arguments_is_usage_error(self):
        code, out, err = run()
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("Usage:", err)

    def test_version(self):
        code, out, err = run("--version")
        self.assertStatus((code, out, err), 0)
        self.assertRegex(out, r"^rulebook \d+\.\d+\.\d+\n$")

    def test_unknown_command(self):
        code, out, err = run("frobnicate")
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("rulebook: unknown command 'frobnicate'", err)
        self.assertIn("rulebook --help", err)

    def test_monitor_needs_arguments(self):
        code, out, err = run("monitor")
        self.assertEqual(code, 2)
        self.assertIn("a rulebook and progress data are needed", err)

    def test_unknown_option(self):
        code, out, err = run("--frob")
        self.assertEqual(code, 2)
        self.assertIn("unknown option '--frob'", err)

    def test_every_command_has_help(self):
        for cmd in ("check", "test", "eval", "explain", "diff", "monitor"):
            for args in ([cmd, "--help"], ["help", cmd]):
                with self.subTest(args=args):
                    code, out, err = run(*args)
                    self.assertStatus((code, out, err), 0)
                    self.assertTrue(out.startswith("Usage: rulebook " + cmd), out)
                    self.assertIn("Exit status", out)
                    self.assertEqual(err, "")

    def test_help_for_unknown_command(self):
        self.assertEqual(run("help", "nope")[0], 2)

    def test_bad_options_of_commands(self):
        cases = [
            (["check", "--frob", fx("clean.yaml")], "unknown option '--frob'"),
            (["check", "-x", fx("clean.yaml")], "unknown option '-x'"),
            (["eval", "--as-of"], "needs a value"),
            (["eval", "--as-of", "2023-02-30", fx("clean.yaml"), fx("firms.csv")],
             "'2023-02-30' is not a date"),
            (["eval", "--format", "xml", fx("clean.yaml"), fx("firms.csv")],
             "unknown format 'xml'"),
            (["eval", "--lang", "fr", fx("clean.yaml"), fx("firms.csv")],
             "unknown language 'fr'"),
            (["eval", "--only", "pass,maybe", fx("clean.yaml"), fx("firms.csv")],
             "unknown verdict"),
            (["eval", "--input-format", "xls", fx("clean.yaml"), fx("firms.csv")],
             "unknown input format 'xls'"),
            (["eval", fx("clean.yaml")], "no data file given"),
            (["eval"], "a rulebook and a data file are needed"),
            (["check"], "no rulebook given"),
            (["test"], "no rulebook given"),
            (["explain", fx("enterprise.yaml"), fx("firms.csv")], "--record"),
            (["explain", "--record", "#x", fx("enterprise.yaml"), fx("firms.csv")],
             "no record position"),
            (["diff", fx("enterprise.yaml"), fx("firms.csv")],
             "two rulebooks and a data file"),
            (["monitor", fx("targets.yaml"), fx("progress.json")], "--as-of DATE is needed"),
            (["monitor", "-d", DATE, fx("targets.yaml")], "no progress data given"),
            (["monitor", "-d", DATE, "--fail-on", "late", fx("targets.yaml"),
              fx("progress.json")], "unknown status in 'late'"),
            (["monitor", "-d", DATE, "-f", "xml", fx("targets.yaml"), fx("progress.json")],
             "unknown format 'xml'"),
            (["check", "-I", fx("nope-dir"), fx("clean.yaml")],
             "search path '%s' is not a directory" % fx("nope-dir")),
            (["eval", "--search-path", fx("clean.yaml"), fx("clean.yaml"), fx("firms.csv")],
             "is not a directory"),
            (["test", "--boundaries=x", fx("clean.yaml")], "option '--boundaries' takes no value"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                code, out, err = run(*args)
                self.assertEqual(code, 2, err)
                self.assertIn(message, err)
                self.assertIn("Try 'rulebook", err)
                self.assertEqual(out, "")


class Check(Case):
    def test_clean_rulebook(self):
        code, out, err = run("check", fx("clean.yaml"))
        self.assertStatus((code, out, err), 0)
        self.assertEqual(out, "")
        self.assertEqual(err, "")

    def test_compile_errors_with_positions(self):
        code, out, err = run("check", fx("broken.yaml"))
        self.assertEqual(code, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertRegex(lines[0], r"^.*broken\.yaml:12:18: error: .*money.*area")
        self.assertRegex(lines[1], r"^.*broken\.yaml:15:14: error: unknown name 'undefined_name'")

    def test_notes_do_not_fail(self):
        """The illustrative-parameter count is a note: printed, status 0."""
        code, out, err = run("check", fx("notes.yaml"))
        self.assertStatus((code, out, err), 0)
        self.assertEqual(out, fx("notes.yaml") + ":2:5: note: 1 illustrative parameter: "
                         "results that use them are marked, they are not official values\n")
        code, out, _ = run("check", fx("enterprise.yaml"))
        self.assertEqual(code, 1)  # the unused input is a warning
        self.assertIn("enterprise.yaml:17:10: warning: input 'name' is not used", out)
        self.assertIn("enterprise.yaml:2:5: note: 1 illustrative parameter", out)
        self.assertNotIn("warning: 1 illustrative", out)

    def test_search_path(self):
        code, out, _ = run("check", fx("child.yaml"))
        self.assertEqual(code, 1)
        self.assertIn("child.yaml:6:10: error: extends 'demo.base': no such rulebook file", out)
        for args in (["-I", fx("parents")], ["--search-path", fx("parents")],
                     ["-I", FIX, "--search-path=" + fx("parents")]):
            with self.subTest(args=args):
                self.assertStatus(run("check", *args, fx("child.yaml")), 0)

    def test_lint_findings_are_warnings(self):
        code, out, err = run("check", fx("lint.yaml"))
        self.assertEqual(code, 1)
        self.assertIn("lint.yaml:8:10: warning: input 'unused' is not used by any rule", out)
        self.assertRegex(out, r"lint\.yaml:12:\d+: warning: rule 'R1' can never apply")
        self.assertNotIn("error:", out)

    def test_test_cases_naming_nothing(self):
        """check reads the test cases too: each name they use must exist."""
        code, out, err = run("check", fx("bad-test-names.yaml"))
        self.assertEqual(code, 1, err)
        name = fx("bad-test-names.yaml")
        # line 13 "    facts: {taxx: 120}": taxx at byte 13; line 14
        # "    expect: {verdicts: {R2: pass}, values: {tax_total: 120}}": R2 at
        # byte 25, tax_total at 45
        self.assertEqual(out.splitlines(), [
            name + ":13:13: warning: test 'typos': 'taxx' is not an input of the rulebook",
            name + ":14:25: warning: test 'typos' expects a verdict of 'R2', which is not a rule",
            name + ":14:45: warning: test 'typos' expects a value of 'tax_total', which is not "
            "an input, parameter or indicator"])
        # and test reports the case at the fact, with its column
        code, out, err = run("test", fx("bad-test-names.yaml"))
        self.assertEqual(code, 1, err)
        self.assertEqual(out.splitlines(), [
            name + ":13:13: case 'typos': fact taxx: expected an input of the rulebook, "
            "got not an input", "0 passed, 1 failed"])

    def test_as_of_adds_date_checks(self):
        code, out, _ = run("check", fx("enterprise.yaml"))
        self.assertNotIn("no longer in force", out)
        code, out, _ = run("check", "--as-of", "2025-01-01", fx("enterprise.yaml"))
        self.assertEqual(code, 1)
        self.assertIn("warning: the rulebook is no longer in force", out)

    def test_missing_file(self):
        code, out, err = run("check", fx("does-not-exist.yaml"))
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertOneLineError(err)
        self.assertIn("does-not-exist.yaml: cannot open: No such file or directory", err)

    def test_directory(self):
        code, out, err = run("check", FIX)
        self.assertEqual(code, 2)
        self.assertOneLineError(err)
        self.assertIn("Is a directory", err)

    def test_worst_status_wins(self):
        self.assertEqual(run("check", fx("clean.yaml"), fx("lint.yaml"))[0], 1)
        code, out, err = run("check", fx("lint.yaml"), fx("nope.yaml"), fx("clean.yaml"))
        self.assertEqual(code, 2)
        self.assertIn("warning:", out)

    def test_stdin(self):
        with open(fx("broken.yaml"), "rb") as f:
            code, out, _ = run("check", "-", stdin=f.read())
        self.assertEqual(code, 1)
        self.assertIn("<stdin>:12:18: error:", out)


class Test(Case):
    def test_all_pass(self):
        code, out, err = run("test", fx("clean.yaml"), fx("enterprise.yaml"))
        self.assertStatus((code, out, err), 0)
        self.assertEqual(out, "10 passed, 0 failed\n")

    def test_failures(self):
        code, out, err = run("test", fx("failing-tests.yaml"))
        self.assertEqual(code, 1)
        lines = out.splitlines()
        self.assertEqual(lines[-1], "1 passed, 2 failed")
        self.assertEqual(len(lines), 3)
        # line 20 "    expect: {verdicts: {R1: pass}, values: {tax: 6}}": the
        # expected "pass" starts at byte 29, the expected 6 at byte 50
        self.assertTrue(lines[0].endswith(
            "failing-tests.yaml:20:29: case 'wrong expectation': verdict of R1: "
            "expected pass, got fail"), lines[0])
        self.assertTrue(lines[1].endswith(
            "failing-tests.yaml:20:50: case 'wrong expectation': value of tax: "
            "expected 6, got 5"), lines[1])

    def test_rulebook_that_does_not_compile(self):
        code, out, _ = run("test", fx("broken.yaml"), fx("clean.yaml"))
        self.assertEqual(code, 1)
        self.assertIn("broken.yaml:12:18: error:", out)
        self.assertEqual(out.splitlines()[-1], "3 passed, 0 failed")

    def test_search_path(self):
        self.assertEqual(run("test", fx("child.yaml"))[0], 1)
        code, out, err = run("test", "-I", fx("parents"), fx("child.yaml"))
        self.assertStatus((code, out, err), 0)
        self.assertEqual(out, "2 passed, 0 failed\n")

    def test_boundaries_hold(self):
        code, out, err = run("test", "--boundaries", fx("boundaries.yaml"))
        self.assertStatus((code, out, err), 0)
        name = fx("boundaries.yaml")
        # FILE:LINE:COLUMN of each rule's id ("  - {id: R1...": byte 10)
        self.assertEqual(out.splitlines(), [
            name + ":18:10: rule 'R1.employees': boundary OK "
            "(employees >= min_employees = 10 人, step 1 人)",
            # 20000 m² = 30 亩 (1 亩 = 10000/15 m²); 30 has no decimals: 0.01
            name + ":19:10: rule 'R2.land': boundary OK "
            "(land_area >= min_land = 30 亩, step 0.01 亩)",
            # 2.3% = 0.023: three decimals, a step of 0.001
            name + ":20:10: rule 'R3.rd_share': boundary OK "
            "(rd_share > min_rd_share = 0.023, step 0.001)",
            name + ":21:10: rule 'R4.energy': boundary OK "
            "(energy <= max_energy = 5000 tce(等价值), step 0.01 tce(等价值))",
            # a literal, and the case the rule applies to (the second)
            name + ":22:10: rule 'R5.chemical_land': boundary OK "
            "(land_area < 100 亩, step 0.01 亩)",
            "12 passed, 0 failed"])
        # without the option only the embedded checks count
        self.assertEqual(run("test", fx("boundaries.yaml"))[1], "7 passed, 0 failed\n")

    def test_boundaries_wrong_condition(self):
        code, out, err = run("test", "-b", fx("boundaries-wrong.yaml"), fx("clean.yaml"))
        self.assertEqual(code, 1, err)
        name = fx("boundaries-wrong.yaml")
        lines = out.splitlines()
        self.assertIn(name + ":13:10: rule 'R1.employees': boundary OK "
                      "(employees >= min_employees = 10 人, step 1 人)", lines)
        # `when: land_area > min_land`: below and at 30 亩 the rule does not
        # apply, where its requirement says fail and pass
        self.assertIn(name + ":16:10: rule 'R2.land': boundary land_area >= min_land = 30 亩: "
                      "land_area = 29.99 亩: expected fail, got not_applicable "
                      "(other inputs from case 'a large parcel')", lines)
        self.assertIn(name + ":16:10: rule 'R2.land': boundary land_area >= min_land = 30 亩: "
                      "land_area = 30 亩: expected pass, got not_applicable "
                      "(other inputs from case 'a large parcel')", lines)
        self.assertFalse(any("R2.land': boundary OK" in l for l in lines))
        # clean.yaml compares an indicator, output per mu, with 300 万元/亩:
        # its case has 20000 m² = 30 亩, so output_value = 300 × 30 = 9000
        self.assertIn(fx("clean.yaml") + ":15:9: rule 'C1.mu_output': boundary OK "
                      "(mu_output >= min_mu_output = 300 万元/亩 at output_value = 9000 万元, "
                      "step 0.01 万元)", lines)
        self.assertEqual(lines[-1], "7 passed, 1 failed")

    def test_boundaries_not_tested(self):
        code, out, err = run("test", "-b", fx("boundaries-untested.yaml"))
        self.assertStatus((code, out, err), 0)
        name = fx("boundaries-untested.yaml")
        self.assertEqual(out.splitlines(), [
            # tax / land_area >= 37 with land_area 40: tax = 37 × 40 = 1480
            name + ":17:10: rule 'U1.per_mu': boundary OK "
            "(mu_tax >= 37 万元/亩 at tax = 1480 万元, step 0.01 万元)",
            # employees × 3 = 10 at 10/3 = 3.333…: no whole number of people
            name + ":19:10: rule 'U2.teams': not boundary-tested: its left side >= 10 人: "
            "the threshold lies between two whole values of employees "
            "(near 3.33333333333333333)",
            # employees = 3 < 10 fails the 'and' whatever land_area is
            name + ":21:10: rule 'U3.both': not boundary-tested: land_area >= 30 亩: "
            "the verdict does not follow it in the test case "
            "(another part of the requirement decides)",
            name + ":21:10: rule 'U3.both': boundary OK "
            "(employees >= min_employees = 10 人, step 1 人)",
            # rd_share is missing: below 30 亩 the 'or' would be unknown
            name + ":23:10: rule 'U4.either': not boundary-tested: land_area >= 30 亩: "
            "another part of the requirement is unknown or not reached in the test case",
            name + ":23:10: rule 'U4.either': not boundary-tested: rd_share >= its right "
            "side: not computed in the test case (a part not reached, or missing)",
            # 100 / land_area: doubling land_area does not double the change
            name + ":25:10: rule 'U6.spread': not boundary-tested: its left side >= "
            "2 万元/亩: not linear in land_area",
            name + ":27:10: rule 'U5.untried': not boundary-tested: no test case in which "
            "it passes or fails (1 comparison)",
            "8 passed, 0 failed"])

    def test_boundaries_of_shipped_rulebooks(self):
        root = os.path.dirname(os.path.dirname(HERE))
        books = [os.path.join(root, "rules", "linan", n)
                 for n in ("enterprise.yaml", "project.yaml", "district.yaml")]
        code, out, err = run("test", "--boundaries", *books)
        self.assertStatus((code, out, err), 0)
        # The line of the rule (the first of the two items with this id; the
        # second is its target); "  - id: T14…": the id at byte 9.
        with open(books[2], encoding="utf-8") as f:
            line = next(n for n, text in enumerate(f, 1)
                        if text.rstrip() == "  - id: T14.idle_land_vacated")
        self.assertIn(f"district.yaml:{line}:9: rule 'T14.idle_land_vacated': boundary OK "
                      "(idle_land_vacated_cum >= target_idle_land_vacated = 4000 亩, "
                      "step 0.01 亩)", out)
        # the plan's headline rule, 亩均税收 >= 37 万元/亩, through its
        # indicator: the case's 31.3 亩 need tax = 37 × 31.3 = 1158.1 万元
        with open(books[0], encoding="utf-8") as f:
            line = next(n for n, text in enumerate(f, 1) if text.rstrip() == "  - id: T1.mu_tax")
        self.assertIn(f"enterprise.yaml:{line}:9: rule 'T1.mu_tax': boundary OK "
                      "(mu_tax >= min_mu_tax = 37 万元/亩 at tax = 1158.1 万元, step 0.01 万元)",
                      out)
        self.assertGreater(out.count("boundary OK"), 50)

    def test_missing_file(self):
        code, out, err = run("test", fx("nope.yaml"))
        self.assertEqual(code, 2)
        self.assertOneLineError(err)
        self.assertEqual(out, "0 passed, 0 failed\n")


class Eval(Case):
    def eval(self, *args, **kw):
        return run("eval", "--as-of", DATE, *args, **kw)

    def test_table(self):
        code, out, err = self.eval("--lang", "en", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertStatus((code, out, err), 3)  # two rows are refused
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^RECORD +RULE +CITE +VERDICT +GAP +MESSAGE$")
        row = [l for l in lines if l.startswith("A002") and "T1.mu_tax" in l][0]
        self.assertRegex(row, r"^A002 +T1\.mu_tax +二 +fail +\+10\.333\d* 万元/亩 +tax per mu")
        self.assertTrue(any(l.startswith("A001") and "pass" in l for l in lines))
        self.assertTrue(any("exempt by key_project" in l for l in lines))
        self.assertTrue(any("missing: tax, land_area, is_key_project" in l for l in lines))
        self.assertFalse(any(l != l.rstrip() for l in lines), "trailing spaces")
        # The columns line up on a terminal: the verdict starts at the same
        # display column in every row (CJK characters take two columns).
        rows = [l for l in lines[:13] if l.startswith(("A0", "RECORD"))]
        starts = set()
        for l in rows:
            for word in ("VERDICT", "pass", "fail", "exempt", "unknown", "not_applicable"):
                at = l.find("  " + word)
                if at >= 0:
                    starts.add(display_width(l[:at]))
                    break
        self.assertEqual(len(starts), 1, starts)

    def test_summary_in_table(self):
        code, out, _ = self.eval("--lang", "en", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertIn("4 records evaluated, 2 malformed records skipped", out)
        self.assertIn("pass 3, fail 2, not_applicable 3, exempt 1, unknown 3, "
                      "not_in_force 0, error 0", out)
        self.assertIn("Failures by responsible unit", out)
        units = {l.split()[0]: l.split()[1:] for l in out.splitlines()
                 if l.startswith("  区")}
        self.assertEqual(units["区经信局"], ["1", "1", "1"])
        self.assertEqual(units["区人社局"], ["1", "1", "1"])

    def test_summary_in_chinese(self):
        _, out, _ = self.eval(fx("enterprise.yaml"), fx("firms.csv"))
        self.assertIn("评价对象 4 个，跳过格式错误的记录 2 条", out)
        self.assertIn("督办清单", out)
        self.assertIn("亩均税收 37 万元/亩，目标 37 万元/亩", out)

    def test_bad_rows_are_reported_and_skipped(self):
        code, out, err = self.eval("--no-summary", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertEqual(code, 3)
        self.assertIn("rulebook eval: 2 records were refused (exit status 3; --skip-bad "
                      "ignores them)", err)
        code, out, err = self.eval("--no-summary", "--skip-bad", fx("enterprise.yaml"),
                                   fx("firms.csv"))
        self.assertEqual(code, 0)
        self.assertIn("rulebook eval: 2 records were refused\n", err)
        name = fx("firms.csv")
        self.assertIn(name + ":5: column tax: 'abc' is not a decimal number", err)
        self.assertIn(name + ":7: column employees: '2.5' is not a whole number", err)
        self.assertIn(name + ":7: column sector: '皮革' is not one of the values", err)
        self.assertIn(name + ":7: column is_key_project: 'maybe' is not a boolean", err)
        self.assertNotIn("A004", out)
        self.assertNotIn("A006", out)
        self.assertIn("A005", out)  # every cell empty but the id: all missing

    def test_strict_stops(self):
        code, out, err = self.eval("--strict", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn(":5: column tax:", err)
        self.assertNotIn(":7:", err)
        self.assertIn("--strict", err)
        self.assertNotIn("A005", out)

    def test_json(self):
        code, out, err = self.eval("-f", "json", fx("enterprise.yaml"), fx("firms.json"))
        self.assertStatus((code, out, err), 3)
        data = json.loads(out)
        self.assertEqual([r["record"] for r in data], ["A001", "A002", "A004"])
        self.assertEqual(data[0]["rules"][0]["verdict"], "pass")
        self.assertRegex(data[1]["rules"][0]["gap"]["text"], r"^\+10\.333\d* 万元/亩$")
        self.assertIn("评价对象 3 个", err)  # summary on stderr for machine formats
        name = fx("firms.json")
        self.assertIn(name + ":4:26: 'x' is not a decimal number for input 'tax'", err)
        self.assertIn(name + ":4:48: 'colour' is not an input", err)

    def test_json_of_csv_has_record_ids(self):
        _, out, _ = self.eval("-f", "json", "--lang", "en", fx("enterprise.yaml"),
                              fx("firms.csv"))
        data = json.loads(out)
        self.assertEqual([r["record"] for r in data], ["A001", "A002", "A003", "A005"])
        self.assertTrue(data[0]["rules"][0]["message"].startswith("tax per mu"))

    def test_empty_json_array(self):
        code, out, _ = self.eval("-f", "json", fx("enterprise.yaml"), "-", stdin=b"[]")
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out), [])

    def test_jsonl(self):
        code, out, err = self.eval("-f", "jsonl", "--no-summary", fx("enterprise.yaml"),
                                   fx("firms.jsonl"))
        self.assertStatus((code, out, err), 3)
        records = [json.loads(l) for l in out.splitlines()]
        self.assertEqual([r["record"] for r in records], ["B1", "B2"])
        self.assertEqual(err.count("\n"), 3, err)  # two refused records and the count
        self.assertIn("firms.jsonl:4:34: unit 'kg' of input 'land_area'", err)
        self.assertIn("firms.jsonl:5:22:", err)

    def test_csv_output(self):
        code, out, _ = self.eval("-f", "csv", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertEqual(code, 3)
        rows = [r[:6] for r in csv.reader(io.StringIO(out))]
        self.assertEqual(rows[0], ["record", "rule", "cite", "verdict", "gap", "message"])
        self.assertEqual(len(rows), 1 + 4 * 3)
        self.assertIn(["A002", "T2.employees", "三（一）2", "fail", "+5 人",
                       "从业人员 5 人（差距 +5 人）"], rows)
        self.assertIn(["A005", "T2.employees", "三（一）2", "unknown", "",
                       "缺少数据：sector, employees"], rows)

    def test_provenance_in_every_format(self):
        """Every format names the rulebook, its hash, the as-of date and the
        library version; the hash of a file without parents is its SHA-256."""
        with open(fx("enterprise.yaml"), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        args = ["-d", "2023-06-30", "--no-summary", fx("enterprise.yaml"), fx("firms.csv")]
        _, out, _ = self.eval("-f", "csv", *args)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0][6:], ["rulebook", "rulebook_hash", "as_of", "library_version"])
        self.assertGreater(len(rows), 1)
        for row in rows[1:]:
            self.assertEqual(row[6:9], ["demo.enterprise", digest, "2023-06-30"])
            self.assertRegex(row[9], r"^\d+\.\d+\.\d+$")
        _, out, _ = self.eval("-l", "en", *args)
        self.assertRegex(out, r"\nrulebook demo\.enterprise  hash %s  as of 2023-06-30  "
                              r"rulebook \d+\.\d+\.\d+\n$" % digest)
        _, out, _ = self.eval("-f", "markdown", "-l", "en", *args)
        self.assertIn("\nRulebook `demo.enterprise`, hash `%s`, as of 2023-06-30, rulebook "
                      % digest, out)
        _, out, _ = self.eval("-f", "jsonl", *args)
        first = json.loads(out.splitlines()[0])
        self.assertEqual(first["rulebook"]["hash"], digest)
        self.assertEqual(first["rulebook"]["parents"], [])
        self.assertEqual(first["as_of"], "2023-06-30")
        self.assertRegex(first["library_version"], r"^\d+\.\d+\.\d+$")

    def test_markdown(self):
        code, out, _ = self.eval("-f", "markdown", "--lang", "en", fx("enterprise.yaml"),
                                 fx("firms.csv"))
        self.assertEqual(code, 3)
        lines = out.splitlines()
        self.assertEqual(lines[0], "| RECORD | RULE | CITE | VERDICT | GAP | MESSAGE |")
        self.assertEqual(lines[1], "|---|---|---|---|---|---|")
        self.assertIn("| A003 | T3.chemical | 三（二） | pass |  | chemical land 30 亩 |", lines)
        self.assertIn("## Summary", lines)
        self.assertIn("| fail | 2 |", lines)

    def test_only(self):
        _, out, _ = self.eval("-f", "csv", "--only", "fail,exempt", fx("enterprise.yaml"),
                              fx("firms.csv"))
        verdicts = {r[3] for r in list(csv.reader(io.StringIO(out)))[1:]}
        self.assertEqual(verdicts, {"fail", "exempt"})
        _, out, _ = self.eval("-f", "jsonl", "--only", "fail", fx("enterprise.yaml"),
                              fx("firms.csv"))
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["A002"])

    def test_fail_on(self):
        args = [fx("enterprise.yaml"), fx("firms.csv")]
        # Refused records (status 3) outweigh a --fail-on verdict (1).
        self.assertEqual(self.eval("--fail-on", "fail", *args)[0], 3)
        self.assertEqual(self.eval("--skip-bad", "--fail-on", "fail", *args)[0], 1)
        self.assertEqual(self.eval("--skip-bad", "--fail-on", "error", *args)[0], 0)
        self.assertEqual(self.eval("--skip-bad", *args)[0], 0)

    def test_no_summary(self):
        _, out, err = self.eval("--no-summary", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertNotIn("评价对象", out + err)
        _, out, err = self.eval("-f", "json", "--no-summary", fx("enterprise.yaml"),
                                fx("firms.json"))
        self.assertNotIn("评价对象", out + err)

    def test_error_verdict(self):
        data = b'{"_id":"Z","tax":1,"land_area":0,"is_key_project":false}'
        code, out, _ = self.eval("-f", "csv", "--only", "error", "--fail-on", "error",
                                 fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 1)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[1][:4], ["Z", "T1.mu_tax", "二", "error"])

    def test_units_in_headers_and_cells(self):
        data = "_id,tax[亿元],land_area[公顷]\nU1,0.111,2\nU2,1110 万元,20000 m2\n"
        _, out, err = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-",
                                stdin=data.encode())
        values = {}
        for line in out.splitlines():
            rec = json.loads(line)
            rule = rec["rules"][0]
            values[rec["record"]] = (rule["values"]["tax"]["value"],
                                     rule["values"]["land_area"]["value"])
        self.assertEqual(values["U1"], ("1110", "30"))
        self.assertEqual(values["U2"], ("1110", "30"))  # a cell's own unit wins
        self.assertEqual(err.count(":"), 0, err)

    def test_unknown_column(self):
        # Named once, in a warning, and left out of every record.
        data = b"_id,tax,colour,size\nA,1,red,L\nB,2,blue,M\n"
        code, out, err = self.eval("--no-summary", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 0)
        self.assertEqual(err, "<stdin>:1: warning: 2 columns match no input and are ignored: "
                              "colour, size (--ignore-unknown silences this)\n")
        self.assertIn("A ", out)
        # No column at all that is an input: the wrong delimiter, most likely.
        code, out, err = self.eval(fx("enterprise.yaml"), "-", stdin=b"a;b\n1;2\n")
        self.assertEqual(code, 2)

    def test_ignored_columns(self):
        data = b"_id,_note,tax\nA,hello,1\n"
        code, out, err = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["record"], "A")

    def test_bad_header_unit(self):
        code, _, err = self.eval(fx("enterprise.yaml"), "-", stdin=b"tax[kg]\n1\n")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 1 (tax): unit 'kg' of input 'tax'", err)
        code, _, err = self.eval(fx("enterprise.yaml"), "-", stdin=b"sector[m2]\n1\n")
        self.assertEqual(code, 2)
        self.assertIn("only allowed for number inputs", err)

    def test_header_problems(self):
        cases = [(b"tax[]\n1\n", "column 1 (tax): the brackets after the name hold no unit"),
                 (b"_id,,tax\nA,1,2\n", "column 2: the column has no name"),
                 (b"_id[m2],tax\nA,1\n", "column 1 (_id): only input columns may have a unit"),
                 (b'"ta"x,y\n1,2\n', "<stdin>:1: malformed CSV header")]
        for data, message in cases:
            with self.subTest(data=data):
                code, out, err = self.eval(fx("enterprise.yaml"), "-", stdin=data)
                self.assertEqual(code, 2)
                self.assertOneLineError(err)
                self.assertIn(message, err)

    def test_text_that_is_not_utf8(self):
        data = "_id,sector\nG1,纺织\n".encode("gbk")
        code, _, err = self.eval("--no-summary", "--encoding", "utf-8", fx("enterprise.yaml"),
                                 "-", stdin=data)
        self.assertEqual(code, 3)
        self.assertIn("<stdin>:2: column sector: the value is not valid UTF-8 (name the file's "
                      "encoding with --encoding, e.g. --encoding gb18030)", err)
        code, _, err = self.eval("--encoding", "utf8", fx("enterprise.yaml"), "-",
                                 stdin=b"_id,\xff\n")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 2 (?): the name is not valid UTF-8", err)
        # Detected, the same bytes are no GB18030 either: 0xFF starts no character.
        code, _, err = self.eval(fx("enterprise.yaml"), "-", stdin=b"_id,\xff\n")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: byte 5 is not valid GB18030: name the file's encoding with "
                      "--encoding", err)

    def test_duplicate_column(self):
        code, _, err = self.eval(fx("enterprise.yaml"), "-", stdin=b"tax,tax\n1,2\n")
        self.assertEqual(code, 2)
        self.assertIn("column 2 (tax): the column appears twice", err)

    def test_wrong_number_of_fields(self):
        data = b"_id,tax\nA,1,2\nB,3\n"
        code, out, err = self.eval("-f", "jsonl", "--no-summary", fx("enterprise.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 3)
        self.assertIn("<stdin>:2: the row has 3 fields, the header has 2", err)
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["B"])

    def test_csv_quoting_and_line_numbers(self):
        data = ('_id,tax,name\n'
                '"Q1",1,"multi\nline, name"\n'
                '"Q2",x,"y"\n'
                '\n'
                'Q3,"a""b",z\n'
                'Q4,"unterminated\n').encode()
        code, out, err = self.eval("-f", "jsonl", "--no-summary", fx("enterprise.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 3)
        self.assertIn("<stdin>:4: column tax: 'x' is not a decimal number", err)
        self.assertIn("<stdin>:6: column tax: 'a\"b' is not a decimal number", err)
        self.assertIn("<stdin>:7: malformed CSV row", err)
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["Q1"])

    def test_byte_order_mark_and_crlf(self):
        data = b"\xef\xbb\xbf_id,tax\r\nA,1\r\nB,x\r\n"
        code, out, err = self.eval("-f", "jsonl", "--no-summary", fx("enterprise.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 3)
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["A"])
        self.assertIn("<stdin>:3: column tax:", err)

    def test_records_without_id_are_numbered(self):
        data = b"tax,land_area\n1,1\n2,x\n3,1\n"
        _, out, _ = self.eval("-f", "csv", "--no-summary", "--only", "fail",
                              fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual({r[0] for r in list(csv.reader(io.StringIO(out)))[1:]}, set())
        _, out, _ = self.eval("--no-summary", "--lang", "en", fx("enterprise.yaml"), "-",
                              stdin=data)
        self.assertIn("#1 ", out)
        self.assertIn("#3 ", out)
        self.assertNotIn("#2 ", out)

    def test_input_format_and_sniffing(self):
        with open(fx("firms.jsonl"), "rb") as f:
            jsonl = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "data.txt")
            with open(path, "wb") as f:
                f.write(jsonl)
            _, out, _ = self.eval("-f", "jsonl", fx("enterprise.yaml"), path)
            self.assertEqual(len(out.splitlines()), 2)
            _, out, _ = self.eval("-f", "jsonl", "-i", "jsonl", fx("enterprise.yaml"), path)
            self.assertEqual(len(out.splitlines()), 2)
            code, _, err = self.eval("-i", "csv", fx("enterprise.yaml"), path)
            self.assertEqual(code, 2)
            self.assertIn("data.txt:1: malformed CSV header", err)

    def test_json_object_and_concatenated_objects(self):
        data = b'{"_id": "O1", "tax": 1}\n{"_id": "O2",\n "tax": 2}'
        _, out, _ = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["O1", "O2"])

    def test_json_array_elements_that_are_not_objects(self):
        data = b'[{"_id": "J1"}, 42, "text", [1], {"_id": "J2"}]'
        code, out, err = self.eval("-f", "jsonl", "--no-summary", fx("enterprise.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 3)
        self.assertEqual([json.loads(l)["record"] for l in out.splitlines()], ["J1", "J2"])
        self.assertEqual(err.count("a record must be a JSON object"), 3, err)

    def test_json_structure_errors(self):
        cases = [(b'[{"a": "abc', "<stdin>:1:12: unexpected end of data in a string"),
                 (b'[{"_id": "x"} {"_id": "y"}]', "<stdin>:1:15: expected ',' or ']'"),
                 (b'[{"_id": "x"}', "the array is not closed"),
                 (b'hello', "<stdin>:1:1: expected a JSON object or an array of objects")]
        for data, message in cases:
            with self.subTest(data=data):
                code, _, err = self.eval("-i", "json", fx("enterprise.yaml"), "-", stdin=data)
                self.assertEqual(code, 2)
                self.assertIn(message, err)

    def test_invisible_characters_escaped_for_people(self):
        # a record id with U+202E (right-to-left override) and U+200B
        data = '[{"_id": "evil\\u202egnp.exe\\u200b", "tax": 1}]'.encode()
        for fmt in ("table", "markdown"):
            code, out, err = self.eval("-f", fmt, "--no-summary", fx("enterprise.yaml"), "-",
                                       stdin=data)
            self.assertEqual(code, 0, err)
            self.assertIn("evil<U+202E>gnp.exe<U+200B>", out, fmt)
            self.assertNotIn("\u202e", out, fmt)
            self.assertNotIn("\u200b", out, fmt)
        # machine formats keep the text as it is
        code, out, err = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(json.loads(out)["record"], "evil\u202egnp.exe\u200b")

    def test_json_escapes_and_astral_characters(self):
        data = '[{"_id": "\\ud83d\\ude00 \\u4e2d\\/\\"", "tax": 1}]'.encode()
        code, out, err = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["record"], "\U0001F600 中/\"")

    def test_positions_after_rewritten_escapes(self):
        data = ('[{"_id":"\\ud83d\\ude00\\ud83d\\ude00", "tax": "x"},\n'
                ' {"a":\n  1, "tax": 1, "\\ud83d\\ude00":2}]').encode()
        code, _, err = self.eval("--no-summary", "--skip-bad", fx("enterprise.yaml"), "-",
                                 stdin=data)
        self.assertEqual(code, 0)
        self.assertEqual(err.splitlines(), [
            "<stdin>:1:44: 'x' is not a decimal number for input 'tax'",
            "<stdin>:2:3: 'a' is not an input of rulebook 'demo.enterprise'",
            "<stdin>:3:16: '\U0001F600' is not an input of rulebook 'demo.enterprise'",
            "rulebook eval: 2 records were refused"])

    def test_multiple_data_files(self):
        code, out, err = self.eval("-f", "json", fx("enterprise.yaml"), fx("firms.csv"),
                                   fx("firms.jsonl"))
        self.assertEqual(code, 3)
        self.assertIn("rulebook eval: 4 records were refused", err)
        self.assertEqual([r["record"] for r in json.loads(out)],
                         ["A001", "A002", "A003", "A005", "B1", "B2"])

    def test_missing_data_file(self):
        code, out, err = self.eval(fx("enterprise.yaml"), fx("nope.csv"))
        self.assertEqual(code, 2)
        self.assertOneLineError(err)
        self.assertIn("nope.csv: cannot open: No such file or directory", err)

    def test_missing_rulebook(self):
        code, out, err = self.eval(fx("nope.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertOneLineError(err)
        self.assertEqual(out, "")

    def test_rulebook_with_errors(self):
        code, out, err = self.eval(fx("broken.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn("broken.yaml:12:18: error:", err)
        self.assertEqual(out, "")

    def test_default_date_is_today_and_warns_out_of_force(self):
        code, out, err = run("eval", "-f", "csv", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertEqual(code, 3)
        self.assertIn("warning: the rulebook is not in force on", err)
        verdicts = {r[3] for r in list(csv.reader(io.StringIO(out)))[1:]}
        self.assertEqual(verdicts, {"not_in_force"})
        code, _, err = run("eval", "-f", "csv", fx("clean.yaml"), "-",
                           stdin=b"output_value,land_area\n1,1\n")
        self.assertEqual(code, 0)
        self.assertNotIn("warning", err)

    def test_options_after_arguments(self):
        code, out, _ = run("eval", fx("enterprise.yaml"), fx("firms.csv"), "--as-of", DATE,
                           "-f", "csv", "--skip-bad")
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith("record,rule,cite"))

    def test_terminal_escapes_are_removed(self):
        data = b"_id,tax\n\x1b[31mRED,1\n"
        _, out, _ = self.eval("--no-summary", fx("enterprise.yaml"), "-", stdin=data)
        self.assertNotIn("\x1b", out)
        self.assertIn("?[31mRED", out)


class Instruments(Case):
    """eval with scorecards, targets and populations."""

    def eval(self, *args, **kw):
        return run("eval", "--as-of", DATE, *args, **kw)

    def test_scorecard_rows(self):
        code, out, err = self.eval("-l", "en", fx("instruments.yaml"), fx("instruments.csv"))
        self.assertStatus((code, out, err), 0)
        rows = [l.split(None, 4) for l in out.splitlines() if " mujun " in l]
        self.assertEqual([r[:4] for r in rows], [
            ["F1", "mujun", "四（四）", "class"], ["F2", "mujun", "四（四）", "class"],
            ["F3", "mujun", "四（四）", "class"], ["F4", "mujun", "四（四）", "not_rated"]])
        self.assertRegex(out, r"\nF1 +mujun +四（四） +class A +score 100\n")
        self.assertRegex(out, r"\nF2 +mujun +四（四） +class D +score 25; consequences: "
                              r"surcharge 0\.1 元/kWh\n")
        self.assertRegex(out, r"\nF3 +mujun +四（四） +class D +score 100; veto: safety; "
                              r"consequences: surcharge 0\.1 元/kWh\n")
        self.assertFalse(any(l != l.rstrip() for l in out.splitlines()), "trailing spaces")

    def test_unknown_class_names_what_is_missing(self):
        data = b"_id,tax,land_area,safety_violation\nU1,,10,false\nU2,200,10,\n"
        _, out, _ = self.eval("-l", "en", "-i", "csv", fx("instruments.yaml"), "-", stdin=data)
        self.assertRegex(out, r"\nU1 +mujun +四（四） +unknown +missing: component:tax: tax\n")
        # the score is known; the veto's condition is not
        self.assertRegex(out, r"\nU2 +mujun +四（四） +unknown +score 100; "
                              r"missing: veto:safety: safety_violation\n")
        _, out, _ = self.eval("-i", "csv", fx("instruments.yaml"), "-", stdin=data)
        self.assertRegex(out, r"\nU1 +mujun +四（四） +unknown +缺少数据：component:tax: tax\n")

    def test_scorecard_csv_and_markdown(self):
        _, out, _ = self.eval("-f", "csv", fx("instruments.yaml"), fx("instruments.csv"))
        rows = [r[:6] for r in csv.reader(io.StringIO(out))]
        self.assertIn(["F2", "mujun", "四（四）", "class D", "",
                       "得分 25；后果：surcharge 0.1 元/kWh"], rows)
        self.assertIn(["F4", "mujun", "四（四）", "not_rated", "", ""], rows)
        _, out, _ = self.eval("-f", "markdown", "-l", "en", fx("instruments.yaml"),
                              fx("instruments.csv"))
        self.assertIn("| F1 | mujun | 四（四） | class A |  | score 100 |", out)
        self.assertIn("### Scorecard mujun", out)
        self.assertIn("| D | 2 |", out)
        self.assertIn("### Targets against time progress", out)
        self.assertIn("| behind_pace | 1 |", out)
        # --only keeps to the rules' verdicts
        _, out, _ = self.eval("-f", "csv", "--only", "fail", fx("instruments.yaml"),
                              fx("instruments.csv"))
        self.assertEqual([r[1] for r in list(csv.reader(io.StringIO(out)))[1:]], ["R1.mu_tax"])

    def test_summary_counts_classes_and_targets(self):
        _, out, _ = self.eval("-l", "en", fx("instruments.yaml"), fx("instruments.csv"))
        self.assertIn("scorecard mujun: A 1, B 0, C 0, D 2, not_rated 1, not_in_force 0, "
                      "unknown 0\n", out)
        # rd_projects 3, 1, missing, 4 of 4 in 2023 by 2023-06-30 (181/365)
        self.assertIn("targets: met 1, on_pace 1, behind_pace 1, missed 0, not_started 0, "
                      "unknown 1, not_in_force 0\n", out)
        _, out, _ = self.eval(fx("instruments.yaml"), fx("instruments.csv"))
        self.assertIn("评分卡 mujun： A 1, B 0, C 0, D 2, not_rated 1", out)
        self.assertIn("目标： met 1, on_pace 1, behind_pace 1", out)
        _, out, _ = self.eval("-l", "en", fx("enterprise.yaml"), fx("firms.csv"))
        self.assertNotIn("scorecard", out)
        self.assertNotIn("targets:", out)

    def test_json_has_scorecards_and_targets(self):
        _, out, err = self.eval("-f", "json", fx("instruments.yaml"), fx("instruments.csv"))
        data = json.loads(out)
        self.assertEqual([r["scorecards"][0]["class"] for r in data], ["A", "D", "D", "not_rated"])
        self.assertEqual(data[2]["scorecards"][0]["veto"], "safety")
        self.assertEqual(data[0]["targets"][0]["status"], "on_pace")
        self.assertIn("scorecard", err.replace("评分卡", "scorecard"))

    def test_population_table(self):
        code, out, err = self.eval("--population", "-l", "en", fx("population.yaml"),
                                   fx("parcels.json"))
        self.assertStatus((code, out, err), 0)
        lines = out.splitlines()
        # five scored records: A takes floor(20 % × 5) = 1, B up to 3, C up to 4
        classes = {l.split()[0]: l.split()[4] for l in lines
                   if len(l.split()) > 4 and l.split()[1] == "rank"}
        self.assertEqual(classes, {"L1": "A", "L2": "B", "L3": "B", "L4": "C", "L5": "D"})
        self.assertIn("score 10; class by rank in the population", out)
        # the aggregates come after the records: 40 of 150 亩 industrial
        agg = [l for l in lines if l.startswith("(population)")]
        self.assertEqual(len(agg), 2)
        self.assertRegex(agg[0], r"^\(population\) +P4\.industrial_share +四（二） +fail +"
                                 r"\+0\.1333 +value 0\.2667 \(40 / 150\), threshold 0\.4, "
                                 r"5 counted$")
        self.assertRegex(agg[1], r"^\(population\) +total_area +四（二） +pass +value 150, "
                                 r"5 counted$")
        self.assertGreater(lines.index(agg[0]), max(i for i, l in enumerate(lines)
                                                    if l.startswith("L5")))
        self.assertIn("aggregates over the 5 records:", out)
        self.assertRegex(out, r"P4\.industrial_share +fail: value 0\.2667 \(40 / 150\), "
                              r"threshold 0\.4, gap \+0\.1333, 5 counted")
        self.assertIn("scorecard rank: A 1, B 2, C 1, D 1, not_rated 0", out)
        # without --population, classes by rank cannot be decided
        _, out, _ = self.eval("-l", "en", fx("population.yaml"), fx("parcels.json"))
        self.assertIn("scorecard rank: A 0, B 0, C 0, D 0, not_rated 0, not_in_force 0, "
                      "unknown 5", out)
        self.assertNotIn("(population)", out)

    def test_population_fail_on_aggregates(self):
        args = ["--population", fx("population.yaml"), fx("parcels.json")]
        self.assertEqual(self.eval("--fail-on", "fail", *args)[0], 1)
        self.assertEqual(self.eval("--fail-on", "fail", *args[1:])[0], 0)

    def test_failed_aggregate_in_follow_up_list(self):
        """P4.industrial_share fails (40 of 150 亩 industrial is under 40 %):
        its responsible unit gets one failure and one rule in the 督办清单,
        and the population's JSON names the unit."""
        with open(fx("population.yaml"), encoding="utf-8") as f:
            text = f.read()
        req = "    require: value >= min_industrial_share\n"
        self.assertIn(req, text)
        text = text.replace(req, req + "    responsible: [区自然资源局]\n")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "population.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            code, out, err = self.eval("--population", "-l", "en", path, fx("parcels.json"))
            self.assertEqual(code, 0, err)
            self.assertRegex(out, r"\n  区自然资源局 +1 +1 +0\n")
            code, out, err = self.eval("--population", "-f", "json", path, fx("parcels.json"))
            self.assertEqual(code, 0, err)
            aggs = json.loads(out)["population"]["aggregates"]
            self.assertEqual(aggs[0]["responsible"], ["区自然资源局"])
            self.assertEqual(aggs[1]["responsible"], [])

    def test_population_csv_and_json(self):
        _, out, _ = self.eval("--population", "-f", "csv", fx("population.yaml"),
                              fx("parcels.json"))
        rows = [r[:6] for r in csv.reader(io.StringIO(out))]
        self.assertIn(["L1", "rank", "四（四）", "class A", "", "得分 10；按总体排名定类"], rows)
        self.assertIn(["(population)", "P4.industrial_share", "四（二）", "fail", "+0.1333",
                       "值 0.2667（40 / 150），阈值 0.4，计入 5 条"], rows)
        code, out, err = self.eval("--population", "-f", "json", fx("population.yaml"),
                                   fx("parcels.json"))
        self.assertEqual(code, 0, err)
        data = json.loads(out)
        self.assertEqual([r["record"] for r in data["records"]], ["L1", "L2", "L3", "L4", "L5"])
        share = data["population"]["aggregates"][0]
        self.assertEqual((share["id"], share["verdict"], share["numerator"],
                          share["denominator"]), ("P4.industrial_share", "fail", "40", "150"))
        self.assertEqual(data["classes"][0], {"record": "L1", "scorecard": "rank",
                                              "class": "A", "score": "10", "veto": None,
                                              "consequences": []})
        self.assertIn("总体指标（5 条记录）", err)
        _, out, _ = self.eval("--population", "-f", "jsonl", fx("population.yaml"),
                              fx("parcels.json"))
        lines = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines[-1]["population"]["records"], 5)
        self.assertEqual(len(lines[-1]["classes"]), 5)

    def test_population_rank_consequences(self):
        """A D by rank carries the consequences of D; an unknown aggregate
        names the records it could not count and what they lacked."""
        with open(fx("population.yaml"), encoding="utf-8") as f:
            text = f.read()
        text += ("    consequences:\n"
                 "      - {id: surcharge, class: D, value: 0.1, unit: 元/kWh, cite: 四（四）}\n")
        data = (b'[{"_id": "a", "area": 10, "industrial": true, "score_in": 9},'
                b' {"_id": "b", "area": 10, "industrial": true, "score_in": 8},'
                b' {"_id": "c", "industrial": true, "score_in": 1}]')
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "population.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            code, out, err = self.eval("--population", "-f", "json", path, "-", stdin=data)
            self.assertEqual(code, 0, err)
            js = json.loads(out)
            # N = 3: A below floor(0.6) = 0, B below floor(1.8) = 1, C below
            # floor(2.85) = 2: a B, b C, c D
            classes = {c["record"]: c for c in js["classes"]}
            self.assertEqual([classes[r]["class"] for r in "abc"], ["B", "C", "D"])
            self.assertEqual(classes["c"]["consequences"],
                             [{"id": "surcharge", "value": "0.1", "unit": "元/kWh"}])
            self.assertEqual(classes["a"]["consequences"], [])
            self.assertEqual(js["population"]["consequences"], {"rank": {"surcharge": 1}})
            share = js["population"]["aggregates"][0]
            self.assertEqual(share["verdict"], "unknown")
            self.assertEqual(share["undecided"], ["c"])
            self.assertEqual(share["missing"], ["area"])
            _, out, _ = self.eval("--population", "-l", "en", path, "-", stdin=data)
            self.assertRegex(out, r"\nc +rank +四（四） +class D +score 1; class by rank in the "
                                  r"population; consequences: surcharge 0\.1 元/kWh\n")
            self.assertRegex(out, r"P4\.industrial_share +四（二） +unknown +.*1 undecided "
                                  r"\(missing: area\)")

    def test_population_empty_and_stopped(self):
        code, out, _ = self.eval("--population", "-f", "json", fx("population.yaml"), "-",
                                 stdin=b"[]")
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["records"], [])
        code, out, _ = self.eval("--population", "--strict", "-f", "json",
                                 fx("population.yaml"), "-", stdin=b'[{"area": "x"}]')
        self.assertEqual(code, 2)
        self.assertEqual(json.loads(out), {"records": []})

    def test_shipped_parcels(self):
        root = os.path.dirname(os.path.dirname(HERE))
        code, out, err = run("eval", "-d", "2023-12-31", "--population", "-l", "en",
                             "--only", "fail", os.path.join(root, "rules", "linan", "project.yaml"),
                             os.path.join(root, "examples", "data", "parcels.json"))
        self.assertStatus((code, out, err), 0)
        self.assertRegex(out, r"\(population\) +K5\.standard_land_share +三（一）2 +fail")
        self.assertRegex(out, r"P4\.industrial_land_share +pass: value 0\.4666 "
                              r"\(785\.1 / 1682\.5\), threshold 0\.4, 40 counted")

    def test_ignore_unknown(self):
        data = b"_id,tax,colour\nA,1,red\n"
        code, _, err = self.eval(fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("warning: 1 column matches no input", err)
        code, out, err = self.eval("--ignore-unknown", "-f", "jsonl", fx("enterprise.yaml"),
                                   "-", stdin=data)
        self.assertEqual(code, 0, err)
        self.assertNotIn("warning", err)
        self.assertEqual(json.loads(out)["record"], "A")
        data = b'{"_id": "J", "tax": 1, "colour": "red"}'
        self.assertEqual(self.eval("-i", "json", fx("enterprise.yaml"), "-", stdin=data)[0], 3)
        code, out, err = self.eval("--ignore-unknown", "-f", "jsonl", "--no-summary",
                                   fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(json.loads(out)["record"], "J")
        code, out, _ = run("explain", "-d", DATE, "--ignore-unknown", fx("enterprise.yaml"),
                           "-", "-r", "J", stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("对象 J", out)

    def test_csv_ids_with_quotes_and_commas(self):
        data = '_id,tax\n"丙,""公司""",1\n'.encode()
        _, out, _ = self.eval("-f", "jsonl", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(json.loads(out)["record"], '丙,"公司"')

    def test_search_path_everywhere(self):
        inc = ["-I", fx("parents")]
        data = b"_id,tax,land_area\nS,300,10\n"
        self.assertEqual(self.eval(fx("child.yaml"), "-", stdin=data)[0], 2)
        code, out, _ = self.eval(*inc, "-f", "csv", fx("child.yaml"), "-", stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("S,mu_tax,一,fail,+7 万元/亩,", out)
        code, out, _ = run("explain", "-d", DATE, *inc, fx("child.yaml"), "-", "-r", "S",
                           stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("[未达标] mu_tax", out)
        code, out, _ = run("diff", "-d", DATE, *inc, fx("child.yaml"),
                           fx("parents/demo/base.yaml"), "-", stdin=data)
        self.assertEqual(code, 1)
        self.assertIn("parameter min_mu_tax 37 万元/亩 → 30 万元/亩", out)
        self.assertEqual(run("monitor", "-d", DATE, *inc, fx("child.yaml"), "-",
                             stdin=data)[0], 2)  # no targets: nothing to monitor


class Monitor(Case):
    def monitor(self, *args, **kw):
        return run("monitor", "--as-of", "2022-06-30", *args, **kw)

    def test_table_sorted_most_behind_first(self):
        code, out, err = self.monitor("-l", "en", fx("targets.yaml"), fx("progress.json"))
        self.assertStatus((code, out, err), 0)
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^ +RECORD +TARGET +CITE +STATUS +ACHIEVED +GOAL +"
                                   r"COMPLETION +TIME PROGRESS +SHORTFALL +NEEDED/MONTH +"
                                   r"RESPONSIBLE$")
        rows = [l.split() for l in lines[1:10]]
        order = [(r[1], r[2]) if r[0] == "!" else (r[0], r[1]) for r in rows]
        # completion − time progress: 0.30 − 0.4986, 0.475 − 0.4986, 0.52 − 0.4986,
        # 0.52 − 0.4959, 0.525 − 0.4986, 0.60 − 0.4986, 1 − 0.4959; unknown last
        self.assertEqual(order, [
            ("west", "T2.upgraded_firms"), ("east", "T1.freed_land"),
            ("north", "T2.upgraded_firms"), ("east", "T3.training"),
            ("west", "T1.freed_land"), ("east", "T2.upgraded_firms"),
            ("west", "T3.training"), ("north", "T1.freed_land"), ("north", "T3.training")])
        self.assertEqual(lines[2].split()[:5], ["!", "east", "T1.freed_land", "二",
                                                "behind_pace"])
        self.assertRegex(lines[2], r"1900 亩 +4000 亩 +47\.5% +49\.86% +2100 亩 +116\.3479 亩 +"
                                   r"区规划资源分局, 区经信局$")
        self.assertFalse(lines[3].startswith("!"))
        # an unknown status names what is missing
        self.assertRegex(lines[8], r"north +T1\.freed_land +二 +unknown \(missing: freed_land\) +"
                                   r"- +4000 亩 +- +49\.86%")
        self.assertRegex(lines[9], r"north +T3\.training +四（五） +unknown \(missing: trained\) ")
        self.assertFalse(any(l != l.rstrip() for l in lines), "trailing spaces")

    def test_unknown_names_missing_inputs(self):
        _, out, _ = self.monitor("-f", "json", fx("targets.yaml"), fx("progress.json"))
        rows = {(r["record"], r["target"]): r for r in json.loads(out)}
        self.assertEqual(rows[("north", "T1.freed_land")]["status"], "unknown")
        self.assertEqual(rows[("north", "T1.freed_land")]["missing"], ["freed_land"])
        self.assertEqual(rows[("north", "T2.upgraded_firms")]["missing"], [])
        _, out, _ = self.monitor("--no-summary", fx("targets.yaml"), fx("progress.json"))
        self.assertIn("unknown（缺少数据：trained）", out)

    def test_just_behind_sorts_before_on_pace(self):
        """1994.52 / 4000 = 0.49863 is behind 546 / 1095 = 0.498630…; both
        show as 49.86 %, and the flagged row still comes first."""
        data = b'[{"_id": "a", "freed_land": 2000}, {"_id": "b", "freed_land": 1994.52}]'
        _, out, _ = self.monitor("-l", "en", "--no-summary", fx("targets.yaml"), "-",
                                 stdin=data)
        lines = out.splitlines()
        self.assertRegex(lines[1], r"^! +b +T1\.freed_land +二 +behind_pace .* 49\.86% +49\.86% ")
        self.assertRegex(lines[2], r"^ +a +T1\.freed_land +二 +on_pace ")

    def test_summary(self):
        _, out, _ = self.monitor("-l", "en", fx("targets.yaml"), fx("progress.json"))
        self.assertIn("3 records monitored as of 2022-06-30, 3 targets each\n"
                      "  met 1, on_pace 4, behind_pace 2, missed 0, not_started 0, unknown 2, "
                      "not_in_force 0\n", out)
        self.assertIn("Flagged targets by responsible unit (behind pace or missed):", out)
        units = {l.split()[0]: l.split()[1:] for l in out.splitlines() if l.startswith("  区")}
        self.assertEqual(units, {"区经信局": ["2", "0"], "区规划资源分局": ["1", "0"]})
        _, out, _ = self.monitor(fx("targets.yaml"), fx("progress.json"))
        self.assertIn("监测对象 3 个（截至 2022-06-30），每个 3 项目标", out)
        self.assertIn("问效清单", out)
        _, out, _ = self.monitor("--no-summary", fx("targets.yaml"), fx("progress.json"))
        self.assertNotIn("监测对象", out)

    def test_fail_on(self):
        args = [fx("targets.yaml"), fx("progress.json")]
        self.assertEqual(self.monitor(*args)[0], 0)
        self.assertEqual(self.monitor("--fail-on", "behind_pace,missed", *args)[0], 1)
        self.assertEqual(self.monitor("--fail-on", "missed", *args)[0], 0)
        self.assertEqual(run("monitor", "-d", "2023-12-31", "--fail-on", "missed", *args)[0], 1)

    def test_missed_after_the_period(self):
        code, out, _ = run("monitor", "-d", "2023-12-31", "-f", "csv", fx("targets.yaml"),
                           fx("progress.json"))
        self.assertEqual(code, 0)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[1][:5], ["west", "T2.upgraded_firms", "二", "missed", "true"])

    def test_csv_and_json(self):
        code, out, err = self.monitor("-f", "csv", fx("targets.yaml"), fx("progress.json"))
        self.assertEqual(code, 0)
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["record", "target", "cite", "status", "flagged", "achieved",
                                   "goal", "unit", "completion", "time_progress", "lead",
                                   "shortfall", "needed_per_month", "responsible",
                                   "missing"])
        east = [r for r in rows if r[:2] == ["east", "T1.freed_land"]][0]
        self.assertEqual(east[3:8], ["behind_pace", "true", "1900", "4000", "亩"])
        self.assertEqual(east[8], "0.475")
        self.assertTrue(east[10].startswith("-0.02"), east)
        self.assertEqual(east[13], "区规划资源分局; 区经信局")
        self.assertEqual(east[14], "")  # known: nothing missing
        north = [r for r in rows if r[:2] == ["north", "T1.freed_land"]][0]
        self.assertEqual(north[3], "unknown")
        self.assertEqual(north[14], "freed_land")  # progress.json has no freed_land for north
        self.assertIn("监测对象 3 个", err)  # the summary goes to stderr
        code, out, _ = self.monitor("-f", "json", "--no-summary", fx("targets.yaml"),
                                    fx("progress.json"))
        data = json.loads(out)
        self.assertEqual(len(data), 9)
        self.assertEqual(data[0]["record"], "west")
        self.assertEqual(data[0]["flagged"], True)
        self.assertEqual(data[0]["responsible"], ["区经信局"])
        self.assertIsNone(data[-1]["completion"])
        self.assertEqual([d["status"] for d in data].count("behind_pace"), 2)
        _, out, _ = self.monitor("-f", "jsonl", "--no-summary", fx("targets.yaml"),
                                 fx("progress.json"))
        self.assertEqual([json.loads(l) for l in out.splitlines()], data)

    def test_markdown(self):
        _, out, _ = self.monitor("-f", "markdown", "-l", "en", fx("targets.yaml"),
                                 fx("progress.json"))
        self.assertIn("| ! | east | T1.freed_land | 二 | **behind_pace** | 1900 亩 | 4000 亩 | "
                      "47.5% | 49.86% | 2100 亩 | 116.3479 亩 | 区规划资源分局, 区经信局 |", out)
        self.assertIn("## Summary", out)
        self.assertIn("| behind_pace | 2 |", out)

    def test_shipped_district(self):
        root = os.path.dirname(os.path.dirname(HERE))
        book = os.path.join(root, "rules", "linan", "district.yaml")
        data = os.path.join(root, "examples", "data", "district-2022-06-30.json")
        code, out, err = self.monitor("-l", "en", "--fail-on", "behind_pace", book, data)
        self.assertEqual(code, 1, err)
        first = out.splitlines()[1].split()
        self.assertEqual(first[0], "!")
        self.assertEqual(first[5], "behind_pace")
        data = os.path.join(root, "examples", "data", "district-2023-12-31.json")
        code, out, _ = run("monitor", "-d", "2023-12-31", "-f", "csv", book, data)
        statuses = [r[3] for r in list(csv.reader(io.StringIO(out)))[1:]]
        self.assertEqual(statuses[:4], ["missed"] * 4)
        self.assertNotIn("missed", statuses[4:])

    def test_problems(self):
        code, _, err = self.monitor(fx("enterprise.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn("enterprise.yaml: the rulebook has no targets to monitor", err)
        code, out, err = self.monitor("--no-summary", fx("targets.yaml"), "-",
                                      stdin=b'[{"_id": "x", "freed_land": "many"}, {"_id": "y"}]')
        self.assertEqual(code, 3)
        self.assertIn("<stdin>:1:29: 'many' is not a decimal number", err)
        self.assertNotIn("\nx ", out)
        code, _, err = self.monitor("--strict", fx("targets.yaml"), "-",
                                    stdin=b'[{"_id": "x", "freed_land": "many"}]')
        self.assertEqual(code, 2)
        code, _, err = run("monitor", "-d", "2025-01-01", fx("targets.yaml"), fx("progress.json"))
        self.assertEqual(code, 0)
        self.assertIn("warning: the rulebook is not in force on 2025-01-01", err)


class Explain(Case):
    def explain(self, *args):
        return run("explain", "--as-of", DATE, *args)

    def test_by_id(self):
        code, out, err = self.explain("--lang", "en", fx("enterprise.yaml"), fx("firms.csv"),
                                      "--record", "A002")
        self.assertStatus((code, out, err), 0)
        self.assertIn("as of 2023-06-30, record A002", out)
        self.assertIn("[FAIL] T1.mu_tax (clause 二)", out)
        # The gap, rounded to 4 decimals for people, ends the message.
        self.assertIn("  tax per mu 26.6667 万元/亩, target 37 万元/亩 (gap: +10.3333 万元/亩)\n",
                      out)
        self.assertNotIn("gap to threshold", out)
        self.assertIn("values: tax = 800 万元; land_area = 30 亩", out)

    def test_by_position(self):
        for record in ("2", "#2"):
            with self.subTest(record=record):
                code, out, _ = self.explain(fx("enterprise.yaml"), fx("firms.json"),
                                            "--record", record)
                self.assertEqual(code, 0)
                self.assertIn("评价日期 2023-06-30，对象 A002", out)

    def test_id_wins_over_position(self):
        data = b'_id,tax\n2,1\nX,2\n'
        code, out, _ = run("explain", "-d", DATE, "-l", "en", fx("enterprise.yaml"), "-",
                           "-r", "2", "-i", "csv", stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("record 2\n", out)
        self.assertIn("tax = 1 万元", out)
        code, out, _ = run("explain", "-d", DATE, "-l", "en", fx("enterprise.yaml"), "-",
                           "-r", "#2", "-i", "csv", stdin=data)
        self.assertIn("record X\n", out)

    def test_no_such_record(self):
        code, out, err = self.explain(fx("enterprise.yaml"), fx("firms.csv"), "--record", "Z9")
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("firms.csv: no record has the _id Z9", err)
        code, _, err = self.explain(fx("enterprise.yaml"), fx("firms.csv"), "--record", "#99")
        self.assertEqual(code, 2)
        self.assertIn("there is no record at position #99", err)

    def test_malformed_record(self):
        code, out, err = self.explain(fx("enterprise.yaml"), fx("firms.csv"), "--record", "#4")
        self.assertEqual(code, 2)
        self.assertIn("record 4 is malformed", err)


class Diff(Case):
    def diff(self, *args, **kw):
        return run("diff", "--as-of", DATE, *args, **kw)

    def test_changes(self):
        code, out, err = self.diff(fx("enterprise.yaml"), fx("enterprise-v2.yaml"),
                                   fx("firms.csv"))
        self.assertEqual(code, 3, err)
        self.assertIn("rulebook diff: 2 records were refused", err)
        self.assertIn("Parameters that differ:\n", out)
        self.assertIn("  parameter min_mu_tax 37 万元/亩 → 40 万元/亩\n", out)
        self.assertIn("  parameter min_employees provenance illustrative → cited\n", out)
        self.assertIn("  parameter min_staff_placeholder_unused added (1 人)\n", out)
        self.assertIn("  rule T4.large: rule added in NEW\n", out)
        self.assertIn("  rule T5.rd: rule added in NEW\n", out)
        # A001: 1158.1 / 31.3 = 37 万元/亩 passes a floor of 37, fails one of 40
        self.assertRegex(out, r"\n  A001 +rule +T1\.mu_tax +pass +fail +parameter min_mu_tax "
                              r"37 万元/亩 → 40 万元/亩\n")
        self.assertIn("4 records compared, 1 change, 2 malformed skipped\n", out)
        self.assertRegex(out, r"old: demo\.enterprise  hash [0-9a-f]{64}\nnew: ")

    def test_no_differences(self):
        code, out, err = self.diff(fx("enterprise.yaml"), fx("enterprise.yaml"),
                                   fx("firms.jsonl"), "--skip-bad")
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("2 records compared, 0 changes, 2 malformed skipped\n"),
                        out)
        code, out, err = self.diff("-f", "csv", "--skip-bad", fx("enterprise.yaml"),
                                   fx("enterprise.yaml"), fx("firms.jsonl"))
        self.assertEqual((code, out), (0, "record,kind,item,old,new,cause,old_hash,new_hash,"
                                          "as_of,library_version\n"))

    def test_expression_and_removed_rule(self):
        """A changed expression and a removed rule are named as causes."""
        with open(fx("enterprise.yaml"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("require: employees >= min_employees", text)
        changed = text.replace("require: employees >= min_employees",
                               "require: employees > min_employees")
        with tempfile.TemporaryDirectory() as d:
            new = os.path.join(d, "new.yaml")
            with open(new, "w", encoding="utf-8") as f:
                f.write(changed)
            data = b"_id,employees,sector,tax,land_area,is_key_project\nE,10,\xe7\xba\xba\xe7\xbb\x87,370,10,false\n"
            code, out, err = self.diff("-f", "json", fx("enterprise.yaml"), new, "-", stdin=data)
        self.assertEqual(code, 1, err)
        doc = json.loads(out)
        # 10 employees: >= 10 passes, > 10 fails
        self.assertIn({"record": "E", "kind": "rule", "item": "T2.employees", "old": "pass",
                       "new": "fail",
                       "causes": ["require: employees >= min_employees → employees > min_employees"]},
                      doc["changes"])
        self.assertEqual(doc["old"]["hash"], doc["old"]["hash"].lower())
        self.assertNotEqual(doc["old"]["hash"], doc["new"]["hash"])
        self.assertEqual(doc["as_of"], DATE)

    def test_linan_benchmark_moves_class(self):
        """The example of docs/cli.md: Lin'an's tax-per-mu benchmark 37 → 45.
        E0002 has 1221 万元 on 33 亩 = 37 万元/亩: 30 points (weight 30 ×
        37/37) become 30 × 37/45 = 24.6667, its score falls by 5.3333 from
        114.8667 to 109.5333, below the A cut-off of 110: A → B."""
        root = os.environ.get("RULEBOOK_SOURCE_ROOT") or os.path.join(
            os.path.dirname(__file__), "..", "..")
        code, out, err = run("diff", "-d", "2023-12-31", os.path.join(root, "rules/linan/mujun.yaml"),
                             os.path.join(root, "examples/data/mujun-benchmark-45.yaml"),
                             os.path.join(root, "examples/data/enterprises-mujun.json"))
        self.assertEqual(code, 1, err)
        self.assertRegex(out, r"\n  E0002 +class +mujun +A +B +parameter bench_mu_tax "
                              r"37 万元/亩 → 45 万元/亩\n")
        self.assertRegex(out, r"\n  E0002 +score +mujun +114\.8667 +109\.5333 ")
        self.assertIn("Who moves class:\n  mujun A → B: 9 records (E0002, ", out)
        self.assertIn("210 records compared", out)
        code, out, err = run("diff", "-f", "csv", "-d", "2023-12-31",
                             os.path.join(root, "rules/linan/mujun.yaml"),
                             os.path.join(root, "examples/data/mujun-benchmark-45.yaml"),
                             os.path.join(root, "examples/data/enterprises-mujun.json"))
        rows = list(csv.reader(io.StringIO(out)))
        self.assertIn(["E0002", "class", "mujun", "A", "B",
                       "parameter bench_mu_tax 37 万元/亩 → 45 万元/亩"], [r[:6] for r in rows])

    def test_json_keys_of_either_rulebook(self):
        """rd_expense is an input of the new rulebook only."""
        data = (b'[{"_id": "K", "tax": 1140, "land_area": 30, "is_key_project": false,'
                b' "rd_expense": 12}, {"_id": "L", "rd_expense": 5, "bogus": 1}]')
        code, out, err = self.diff(fx("enterprise.yaml"), fx("enterprise-v2.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 3, err)
        self.assertRegex(out, r"\n  K +rule +T1\.mu_tax +pass +fail ")
        self.assertIn("<stdin>:1:119: 'bogus' is not an input", err)
        self.assertEqual(err.count("\n"), 2, err)  # the record, and the count

    def test_csv_columns_of_either_rulebook(self):
        data = b"_id,tax,land_area,is_key_project,rd_expense\nK,1140,30,false,12\n"
        code, out, err = self.diff(fx("enterprise.yaml"), fx("enterprise-v2.yaml"), "-",
                                   stdin=data)
        self.assertEqual(code, 1, err)
        self.assertRegex(out, r"\n  K +rule +T1\.mu_tax +pass +fail ")
        code, _, err = run("eval", fx("enterprise.yaml"), "-", stdin=data)
        self.assertEqual(code, 0)
        self.assertIn("<stdin>:1: warning: 1 column matches no input and is ignored: "
                      "rd_expense", err)

    def test_bad_format(self):
        code, _, err = self.diff("-f", "xml", fx("enterprise.yaml"), fx("enterprise.yaml"),
                                 fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn("unknown format 'xml': use table, json or csv", err)

    def test_strict(self):
        code, _, err = self.diff("--strict", fx("enterprise.yaml"), fx("enterprise-v2.yaml"),
                                 fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn("--strict", err)

    def test_bad_inputs(self):
        code, out, err = self.diff(fx("enterprise.yaml"), fx("nope.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertOneLineError(err)
        code, _, err = self.diff(fx("enterprise.yaml"), fx("broken.yaml"), fx("firms.csv"))
        self.assertEqual(code, 2)
        self.assertIn("error:", err)


class Hostile(Case):
    """Nothing may crash the tool: each run ends with status 0, 1, 2 or 3."""

    def inputs(self):
        junk = bytes((i * 7919 + 13) % 256 for i in range(100000))
        return {
            "empty": b"",
            "blank": b"\n\n  \n",
            "junk": junk,
            "nul": b"_id,tax\nx\x00y,1\n",
            "bad-utf8": b"_id,tax\n\xff\xfe,1\n",
            "long-line": b"_id,tax\nx," + b"9" * 1000000 + b"\n",
            "long-json": b'{"_id":"' + b"a" * 1000000 + b'"}\n',
            "deep-json": b"[" * 100000 + b"]" * 100000,
            "deep-record": b'[{"a":' + b"[" * 100000 + b"]" * 100000 + b"}]",
            "quotes": b'"""\n"a"b"c\n,,,"\n',
            "only-header": b"_id,tax\n",
            "cr-only": b"_id,tax\rA,1\rB,2\r",
            "lone-surrogate": b'[{"_id":"\\ud800"}]',
        }

    def check_status(self, result):
        code, out, err = result
        self.assertIn(code, (0, 1, 2, 3), err[-2000:])

    def test_data(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, data in self.inputs().items():
                for ext in (".csv", ".json", ".jsonl"):
                    path = os.path.join(tmp, name + ext)
                    with open(path, "wb") as f:
                        f.write(data)
                    with self.subTest(file=name + ext):
                        self.check_status(run("eval", "-d", DATE, "-f", "json",
                                              fx("enterprise.yaml"), path))
                        self.check_status(run("diff", "-d", DATE, fx("enterprise.yaml"),
                                              fx("enterprise-v2.yaml"), path))
                        self.check_status(run("monitor", "-d", DATE, fx("targets.yaml"), path))
                        self.check_status(run("eval", "-d", DATE, "--population", "-f",
                                              "jsonl", fx("population.yaml"), path))

    def test_rulebooks(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, data in self.inputs().items():
                path = os.path.join(tmp, name + ".yaml")
                with open(path, "wb") as f:
                    f.write(data)
                with self.subTest(file=name):
                    code, out, err = run("check", path)
                    self.assertEqual(code, 1, err)
                    self.assertIn("error:", out)
                    self.check_status(run("test", "--boundaries", path))

    def test_boundaries_on_odd_test_cases(self):
        """Test cases the generator cannot use are left alone."""
        with open(fx("boundaries.yaml"), encoding="utf-8") as f:
            text = f.read()
        odd = text.replace("tests:\n", """tests:
  - name: population
    as_of: 2023-06-30
    records: [{employees: 1}]
    expect: {}
  - name: anchors and nulls
    as_of: 2023-06-30
    facts: &f {employees: null, land_area: 1e3, rd_share: "2.3 %", energy: -1}
    expect: {}
  - name: a list as a value
    as_of: 2023-06-30
    facts: {employees: [1, 2]}
    expect: {}
""")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "odd.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(odd)
            self.check_status(run("test", "--boundaries", path))

    def test_empty_inputs_give_no_records(self):
        for fmt in ("csv", "json", "jsonl"):
            with self.subTest(fmt=fmt):
                code, out, err = run("eval", "-d", DATE, "-f", "json", "-i", fmt,
                                     fx("enterprise.yaml"), "-", stdin=b"")
                self.assertEqual(code, 0, err)
                self.assertEqual(json.loads(out), [])
                self.assertIn("评价对象 0 个", err)


class Environment(Case):
    def test_locale_does_not_change_output(self):
        args = ["eval", "-d", DATE, "-f", "csv", fx("enterprise.yaml"), fx("firms.csv")]
        base = run(*args, env={"LC_ALL": "C"})
        for loc in ("de_DE.UTF-8", "C.UTF-8", "fr_FR"):
            with self.subTest(locale=loc):
                self.assertEqual(run(*args, env={"LC_ALL": loc, "LANG": loc}), base)

    def test_no_progress_without_a_terminal(self):
        _, _, err = run("eval", "-d", DATE, "--no-summary", fx("enterprise.yaml"),
                        fx("firms.csv"))
        self.assertNotIn("\r", err)

    def test_progress_on_a_terminal(self):
        """Progress appears on a terminal once a run has lasted a second,
        and is erased before anything else is written there."""
        master, slave = pty.openpty()
        p = subprocess.Popen([EXE, "eval", "-d", DATE, "-f", "csv", "--no-summary",
                              "--only", "not_in_force", fx("enterprise.yaml"), "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        # Feed a few rows every half second until progress shows (it must
        # within a few seconds), then end the input.
        p.stdin.write(b"_id,tax,land_area\n")
        err = b""
        rows = 0
        for _ in range(40):
            p.stdin.write(b"".join(b"P%d,1,1\n" % (rows + i) for i in range(100)))
            p.stdin.flush()
            rows += 100
            while select.select([master], [], [], 0.5)[0]:
                err += os.read(master, 65536)
            if b"records" in err:
                break
        p.stdin.close()
        out = p.stdout.read()
        p.stdout.close()
        p.wait(timeout=60)
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
        os.close(master)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(out, b"record,rule,cite,verdict,gap,message,"
                              b"rulebook,rulebook_hash,as_of,library_version\n")
        self.assertIn(b"\rrulebook: <stdin>: ", err)
        self.assertIn(b" records\x1b[K", err)
        self.assertTrue(err.endswith(b"\r\x1b[K"), err)

if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        EXE = os.path.abspath(sys.argv.pop(1))
    if not EXE or not os.access(EXE, os.X_OK):
        sys.exit("usage: test_cli.py PATH-TO-rulebook (or set RULEBOOK_CLI)")
    unittest.main(verbosity=1)
