"""Every function the library exports is either wrapped by this binding or
listed as deliberately not wrapped, with a reason, in the table of
docs/bindings.md ("Coverage of the C API")."""
import re
import unittest

import support

from rulebook import _lib

SYMBOLS = support.SOURCE_ROOT / "debian" / "librulebook0.symbols"
DOC = support.SOURCE_ROOT / "docs" / "bindings.md"
PACKAGE = support.PACKAGE_ROOT / "rulebook"
ROW = re.compile(r"^\| `(rulebook_\w+)` \| (.*?) \| (.*?) \|$")


def exported():
    """The public functions, as the symbols file lists them."""
    names = []
    for line in SYMBOLS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^ (rulebook_\w+)@", line)
        if m:
            names.append(m.group(1))
    return names


def table():
    """{function: (python cell, node cell)} from the coverage table."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("\n## Coverage of the C API\n")
    end = text.index("\n## ", start + 1)
    rows = {}
    for line in text[start:end].splitlines():
        m = ROW.match(line)
        if m:
            if m.group(1) in rows:
                raise AssertionError(f"{m.group(1)} has two rows in {DOC}")
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def problems(names, rows, column, uses, declared):
    """What is wrong with one binding's column: a list of sentences."""
    out = []
    for name in names:
        if name not in rows:
            out.append(f"{name} is exported but has no row in the table of {DOC.name}: "
                       "wrap it or say why not")
            continue
        cell = rows[name][column]
        if cell.startswith("yes"):
            if not declared(name):
                out.append(f"{name}: the table says yes, but the binding does not declare it "
                           "(or the library lacks it)")
            elif uses(name) < 2:
                out.append(f"{name}: the table says yes, but the binding only declares it")
        elif cell.startswith("no: ") and len(cell) > len("no: "):
            if uses(name) >= 2:
                out.append(f"{name}: the table says no, but the binding calls it: "
                           "say yes and what wraps it")
        else:
            out.append(f"{name}: the cell must be 'yes...' or 'no: <reason>', not {cell!r}")
    for name in rows:
        if name not in names:
            out.append(f"{name} is in the table but not exported")
    return out


class CoverageTest(unittest.TestCase):
    def test_table_parses(self):
        # a check that cannot pass vacuously: the table is there and full
        self.assertGreater(len(table()), 200)
        self.assertIn("rulebook_document_title", table())

    def test_every_export_wrapped_or_explained(self):
        source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py")))
        declared_names = set(_lib._PROTOTYPES) | set(_lib._OPTIONAL)

        def uses(name):
            return len(re.findall(r"\b" + name + r"\b", source))

        def declared(name):
            return name in declared_names and getattr(_lib.lib, name, None) is not None

        found = problems(exported(), table(), 0, uses, declared)
        self.assertEqual(found, [], "\n".join(found))

    def test_the_check_catches_a_gap(self):
        # an exported function without a row, a yes the binding does not
        # call, a no without a reason, a no the binding calls, a row for
        # nothing exported
        rows = {"rulebook_a": ("yes", "yes"), "rulebook_b": ("no: ", "no: x"),
                "rulebook_c": ("no: why", "no: why"), "rulebook_e": ("no: why", "no: why"),
                "rulebook_z": ("yes", "yes")}
        found = problems(["rulebook_a", "rulebook_b", "rulebook_c", "rulebook_d", "rulebook_e"],
                         rows, 0, lambda n: 2 if n == "rulebook_e" else 1, lambda n: True)
        self.assertEqual(len(found), 5, found)
        self.assertIn("rulebook_e: the table says no, but the binding calls it: "
                      "say yes and what wraps it", found)
        self.assertIn("rulebook_a: the table says yes, but the binding only declares it", found)
        self.assertTrue(any(f.startswith("rulebook_b: the cell must be") for f in found))
        self.assertTrue(any(f.startswith("rulebook_d is exported but has no row") for f in found))
        self.assertIn("rulebook_z is in the table but not exported", found)


if __name__ == "__main__":
    unittest.main()
