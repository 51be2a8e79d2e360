"""The shipped Lin'an rulebooks on the sample data: the binding's own paths
(one record at a time, evaluate_many, population) must give the verdicts
the C library gives on its own.

The reference comes from the command-line tool (``rulebook eval --format
json``: the tool reads the data file itself) when it is available --
$RULEBOOK_CLI, or build*/cli/rulebook in the source tree -- and otherwise
from one raw rulebook_eval_json call on the file's bytes.
"""
import ctypes
import json
import os
import subprocess
import unittest
from collections import Counter
from decimal import Decimal

import support  # noqa: F401
from support import DATA, RULES, SOURCE_ROOT

from rulebook import Rulebook

AS_OF = "2023-12-31"
ENTERPRISE = RULES / "linan" / "enterprise.yaml"
ENTERPRISES = DATA / "enterprises.json"
PROJECT = RULES / "linan" / "project.yaml"
PARCELS = DATA / "parcels.json"
HAVE_DATA = ENTERPRISE.is_file() and ENTERPRISES.is_file()


def find_cli():
    exe = os.environ.get("RULEBOOK_CLI")
    if exe:
        return exe if os.access(exe, os.X_OK) else None
    found = sorted(SOURCE_ROOT.glob("build*/cli/rulebook"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    return str(found[0]) if found else None


def reference(rulebook_path, data_path, as_of):
    """[(record id, {rule: verdict})] computed by C without this binding's
    per-record code, and how it was computed."""
    cli = find_cli()
    if cli:
        p = subprocess.run([cli, "eval", "-d", as_of, "--format", "json", "--no-summary",
                            str(rulebook_path), str(data_path)],
                           capture_output=True, timeout=300)
        if p.returncode == 0:
            out = json.loads(p.stdout)
            return [(r["record"], {x["id"]: x["verdict"] for x in r["rules"]}) for r in out], "cli"
    # No tool: call rulebook_eval_json directly on the file's bytes.
    from rulebook._lib import lib
    raw = data_path.read_bytes()
    with Rulebook.load(rulebook_path) as rb:
        p = rb._h.acquire()
        try:
            out = ctypes.c_void_p()
            n = ctypes.c_size_t()
            y, m, d = (int(x) for x in as_of.split("-"))
            st = lib.rulebook_eval_json(p, raw, len(raw), y * 10000 + m * 100 + d, 0x4,
                                        ctypes.byref(out), ctypes.byref(n), None)
            assert st == 0, st
            text = ctypes.string_at(out.value, n.value).decode()
            lib.rulebook_mem_free(out)
        finally:
            rb._h.release()
    data = json.loads(text)
    return [(r["record"], {x["id"]: x["verdict"] for x in r["rules"]}) for r in data], \
        "rulebook_eval_json"


def totals(verdict_maps):
    c = Counter()
    for v in verdict_maps:
        c.update(v.values())
    return c


@unittest.skipUnless(HAVE_DATA, "rules/linan/enterprise.yaml or examples/data/enterprises.json "
                                "is missing")
class TestLinanEnterprises(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rb = Rulebook.load(ENTERPRISE)
        with open(ENTERPRISES, encoding="utf-8") as f:
            cls.records = json.load(f, parse_float=Decimal)  # exact decimal text
        with open(ENTERPRISES, encoding="utf-8") as f:
            cls.float_records = json.load(f)  # floats, as most programs read JSON
        cls.ref, cls.how = reference(ENTERPRISE, ENTERPRISES, AS_OF)
        cls.expected = totals(v for _, v in cls.ref)

    @classmethod
    def tearDownClass(cls):
        cls.rb.close()

    def test_reference_is_sane(self):
        self.assertEqual(len(self.ref), 210)
        self.assertEqual(sum(self.expected.values()), 210 * len(self.rb.rules))
        self.assertGreater(self.expected["pass"], 0)
        self.assertGreater(self.expected["fail"], 0)

    def test_one_record_at_a_time(self):
        for records in (self.records, self.float_records):
            got = []
            for rec, (rid, verdicts) in zip(records, self.ref):
                r = self.rb.evaluate(rec, AS_OF)
                self.assertEqual(r.record_id, rid)
                self.assertEqual(r.verdicts, verdicts, rid)
                got.append(r.verdicts)
                r.close()
            self.assertEqual(totals(got), self.expected, self.how)

    def test_evaluate_many(self):
        results = self.rb.evaluate_many(self.records, AS_OF)
        self.assertEqual([r.record_id for r in results], [rid for rid, _ in self.ref])
        self.assertEqual([r.verdicts for r in results], [v for _, v in self.ref])
        self.assertEqual(totals(r.verdicts for r in results), self.expected)

    def test_population(self):
        with self.rb.population(self.float_records, AS_OF) as pop:
            self.assertEqual(len(pop), 210)
            self.assertEqual({k: v for k, v in pop.counts.items() if v}, dict(self.expected))
            self.assertEqual(pop.record_ids, [rid for rid, _ in self.ref])
            self.assertEqual(pop.verdicts(0), self.ref[0][1])

    def test_exact_threshold_records(self):
        # E0001 pays exactly 37 万元 per 亩 (1158.1 万元 on 31.3 亩).
        r = self.rb.evaluate(self.records[0], AS_OF)
        self.assertEqual(r.record_id, "E0001")
        self.assertEqual(r.verdicts["T1.mu_tax"], "pass")
        self.assertEqual(r.value("mu_tax"), Decimal("37"))


@unittest.skipUnless(PROJECT.is_file() and PARCELS.is_file(), "parcels sample data missing")
class TestLinanParcels(unittest.TestCase):
    def test_aggregates_over_the_parcels(self):
        with open(PARCELS, encoding="utf-8") as f:
            parcels = json.load(f, parse_float=Decimal)
        with Rulebook.load(PROJECT) as rb, rb.population(parcels, AS_OF) as pop:
            ref, how = reference(PROJECT, PARCELS, AS_OF)
            self.assertEqual({k: v for k, v in pop.counts.items() if v},
                             dict(totals(v for _, v in ref)), how)
            share = pop.aggregates["P4.industrial_land_share"]
            self.assertEqual(share.verdict, "pass")
            self.assertEqual(share.numerator, Decimal("785.1"))
            self.assertEqual(share.denominator, Decimal("1682.5"))
            std = pop.aggregates["K5.standard_land_share"]
            self.assertEqual(std.verdict, "fail")
            self.assertEqual(std.numerator, Decimal("723.9"))
            self.assertEqual(std.denominator, Decimal("785.1"))


if __name__ == "__main__":
    unittest.main()
