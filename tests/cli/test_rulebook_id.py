#!/usr/bin/env python3
"""A rulebook given by id instead of a file (linan.enterprise), looked up
in the -I directories and then in the installed rulebooks.

Usage: test_rulebook_id.py PATH-TO-rulebook [unittest arguments]; the
environment variable RULEBOOK_RULES_DIR names the directory the tool was
built to look in last (meson -Drules_dir).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
PARENTS = os.path.join(FIX, "parents")
EXE = ""
RULES_DIR = os.environ.get("RULEBOOK_RULES_DIR", "")


def run(*args, cwd=None):
    p = subprocess.run([EXE] + list(args), capture_output=True, cwd=cwd, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class RulebookById(unittest.TestCase):
    def test_dots_are_directories(self):
        code, out, err = run("check", "-I", PARENTS, "demo.base")
        self.assertEqual((code, err), (0, ""), out)
        # Diagnostics name the file that was found.
        code, out, err = run("test", "-I", PARENTS, "demo.base")
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"^\d+ passed, 0 failed$")

    def test_id_dot_yaml(self):
        code, out, err = run("check", "-I", FIX, "lint")
        self.assertEqual(code, 1)
        self.assertTrue(out.startswith(os.path.join(FIX, "lint.yaml") + ":"), out)

    def test_same_verdicts_as_the_file(self):
        data = os.path.join(FIX, "firms.csv")
        by_file = run("eval", "--as-of", "2023-06-30", os.path.join(FIX, "enterprise.yaml"), data)
        by_id = run("eval", "--as-of", "2023-06-30", "-I", FIX, "enterprise", data)
        self.assertEqual(by_file[0], by_id[0])
        self.assertEqual(by_file[1], by_id[1])
        self.assertIn("A001", by_id[1])

    def test_first_directory_wins(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            shutil.copy(os.path.join(FIX, "clean.yaml"), os.path.join(a, "book.yaml"))
            shutil.copy(os.path.join(FIX, "lint.yaml"), os.path.join(b, "book.yaml"))
            self.assertEqual(run("check", "-I", a, "-I", b, "book")[0], 0)
            code, out, _ = run("check", "-I", b, "-I", a, "book")
            self.assertEqual(code, 1)
            self.assertIn(os.path.join(b, "book.yaml") + ":", out)

    def test_a_file_comes_first(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(os.path.join(FIX, "lint.yaml"), os.path.join(d, "demo.base"))
            code, out, _ = run("check", "-I", PARENTS, "demo.base", cwd=d)
            self.assertEqual(code, 1)
            self.assertTrue(out.startswith("demo.base:"), out)

    def test_paths_are_not_ids(self):
        for arg in ("./demo.base", "demo.base.yaml", "demo/base"):
            code, out, err = run("check", "-I", PARENTS, arg)
            self.assertEqual(code, 2, arg)
            self.assertEqual(err, f"{arg}: cannot open: No such file or directory\n")

    def test_not_found(self):
        code, out, err = run("eval", "-I", PARENTS, "demo.nope", os.path.join(FIX, "firms.csv"))
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        where = RULES_DIR if RULES_DIR else "the installed rulebooks"
        self.assertEqual(err, "demo.nope: cannot open: no such file, and no rulebook with this "
                              "id (demo.nope.yaml or demo/nope.yaml) in the search path (-I) "
                              f"or in {where}\n")

    def test_without_search_path(self):
        # Without -I an id is only looked for in the installed rulebooks.
        if RULES_DIR and os.path.isdir(os.path.join(RULES_DIR, "linan")):
            self.skipTest("rulebooks are installed here")
        code, _, err = run("check", "linan.enterprise")
        self.assertEqual(code, 2)
        self.assertIn("linan/enterprise.yaml", err)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_rulebook_id.py PATH-TO-rulebook")
    EXE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
