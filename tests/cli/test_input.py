#!/usr/bin/env python3
"""Tests of the command-line tool's input layer: encodings, delimiters,
refused records and exit status 3, limits, and formula neutralising in CSV
output.

Usage: test_input.py PATH-TO-rulebook [unittest arguments]
(or set RULEBOOK_CLI). Standard library only.
"""
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
EXE = os.environ.get("RULEBOOK_CLI", "")
WRITE_XLSX = os.environ.get("WRITE_XLSX", "")
DATE = "2023-06-30"
BOOK = os.path.join(FIX, "enterprise.yaml")


def run(*args, stdin=None):
    """Run the tool; returns (status, stdout, stderr) as text."""
    p = subprocess.run([EXE] + list(args), input=stdin, capture_output=True, timeout=300)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def evaluate(data, *args):
    """eval as JSON Lines on data given on stdin; (status, records, stderr)."""
    code, out, err = run("eval", "-d", DATE, "-f", "jsonl", "--no-summary", *args, BOOK, "-",
                         stdin=data)
    return code, [json.loads(l) for l in out.splitlines()], err


def verdicts(record):
    return {r["id"]: r["verdict"] for r in record["rules"]}


# One table, written in every encoding below. Hand-checked verdicts against
# tests/cli/fixtures/enterprise.yaml (min_mu_tax 37 万元/亩, min_employees
# 10 人): 甲 1110/30 = 37 passes, 乙 800/30 = 26.67 fails; 乙 has 5
# employees (fails), 甲 12 (passes). 𠮷 (U+20BB7) takes four bytes in
# GB18030 and a surrogate pair in UTF-16.
TABLE = ("_id,tax,land_area,employees,sector,is_key_project,name\n"
         "甲𠮷,1110,30,12,纺织,false,杭州𠮷祥纺织有限公司\n"
         "乙,800,30,5,装备制造,false,临安乙机械\n")
EXPECTED = {
    "甲𠮷": {"T1.mu_tax": "pass", "T2.employees": "pass", "T3.chemical": "not_applicable"},
    "乙": {"T1.mu_tax": "fail", "T2.employees": "fail", "T3.chemical": "not_applicable"},
}


class Encodings(unittest.TestCase):
    def check_table(self, data, *args):
        code, records, err = evaluate(data, *args)
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        self.assertEqual({r["record"]: verdicts(r) for r in records}, EXPECTED)
        return records

    def test_utf8_with_and_without_bom(self):
        self.check_table(TABLE.encode())
        self.check_table(b"\xef\xbb\xbf" + TABLE.encode())

    def test_gb18030_is_detected(self):
        data = TABLE.encode("gb18030")
        self.assertIn("𠮷".encode("gb18030"), data)
        self.assertEqual(len("𠮷".encode("gb18030")), 4)
        self.check_table(data)

    def test_gbk_is_detected(self):
        data = TABLE.replace("𠮷", "").encode("gbk")
        code, records, err = evaluate(data)
        self.assertEqual(code, 0, err)
        self.assertEqual([r["record"] for r in records], ["甲", "乙"])

    def test_utf16_with_byte_order_marks(self):
        self.check_table(TABLE.encode("utf-16"))  # native order with a mark
        self.check_table(b"\xff\xfe" + TABLE.encode("utf-16-le"))
        self.check_table(b"\xfe\xff" + TABLE.encode("utf-16-be"))

    def test_utf16_without_a_mark(self):
        self.check_table(TABLE.encode("utf-16-le"))
        self.check_table(TABLE.encode("utf-16-be"))

    def test_utf16_json_facts(self):
        text = json.dumps([{"_id": "甲𠮷", "tax": 1110, "land_area": 30, "employees": 12,
                            "sector": "纺织", "is_key_project": False},
                           {"_id": "乙", "tax": "800", "land_area": 30, "employees": 5,
                            "sector": "装备制造", "is_key_project": False}],
                          ensure_ascii=False)
        code, out, err = run("eval", "-d", DATE, "-f", "json", "--no-summary", "-i", "json",
                             BOOK, "-", stdin=text.encode("utf-16"))
        self.assertEqual(code, 0, err)
        self.assertEqual({r["record"]: verdicts(r) for r in json.loads(out)}, EXPECTED)

    def test_encoding_option(self):
        self.check_table(TABLE.encode("gb18030"), "--encoding", "gb18030")
        code, records, err = evaluate(TABLE.replace("𠮷", "").encode("gbk"), "--encoding", "gbk")
        self.assertEqual(code, 0, err)
        self.assertEqual([r["record"] for r in records], ["甲", "乙"])
        self.check_table(TABLE.encode("utf-16-le"), "--encoding", "utf-16le")
        # Named wrongly: UTF-8 text read as GB18030 gives other characters
        # (or none), never the UTF-8 ones.
        code, records, _ = evaluate(TABLE.encode(), "--encoding", "gb18030")
        self.assertNotIn("乙", [r["record"] for r in records])

    def test_unknown_encoding(self):
        code, out, err = run("eval", "--encoding", "klingon", BOOK, "-", stdin=b"")
        self.assertEqual(code, 2)
        self.assertIn("rulebook eval: unknown encoding 'klingon': use utf-8, gb18030, "
                      "utf-16le or utf-16be", err)

    def test_invalid_bytes(self):
        # 0x81 0x20 is no GB18030 character; the first non-ASCII byte also
        # rules out UTF-8.
        data = b"_id,tax\nA,1\nB\x81 ,2\n"
        code, records, err = evaluate(data)
        self.assertEqual(code, 2)
        self.assertEqual([r["record"] for r in records], ["A"])
        self.assertIn("<stdin>:3: byte 14 is not valid GB18030: name the file's encoding "
                      "with --encoding", err)
        # A file that ends inside a UTF-16 character.
        code, _, err = evaluate(b"\xff\xfe" + "_id\nA\n".encode("utf-16-le") + b"B")
        self.assertEqual(code, 2)
        self.assertIn("the file ends in the middle of a character (UTF-16LE)", err)

    def test_characters_across_read_chunks(self):
        """Reads are 64 KiB; multi-byte characters straddle their ends."""
        rows = ["_id,tax,land_area,is_key_project,name"]
        for i in range(6000):
            rows.append("企业%05d,%d,10,否,𠮷临安区第%d号纺织厂" % (i, 370 - i % 2, i))
        text = "\n".join(rows) + "\n"
        for encoding in ("gb18030", "utf-16"):
            data = text.encode(encoding)
            self.assertGreater(len(data), 3 * 65536)
            with self.subTest(encoding=encoding):
                code, records, err = evaluate(data)
                self.assertEqual(code, 0, err[:500])
                self.assertEqual(len(records), 6000)
                self.assertEqual(records[4321]["record"], "企业04321")
                # 370 / 10 = 37 passes, 369 / 10 = 36.9 fails.
                self.assertEqual(verdicts(records[0])["T1.mu_tax"], "pass")
                self.assertEqual(verdicts(records[1])["T1.mu_tax"], "fail")
                self.assertEqual(records[5999]["rules"][0]["values"]["tax"]["value"], "369")


class Delimiters(unittest.TestCase):
    ROWS = [["_id", "tax", "land_area", "is_key_project"],
            ["D1", "1110", "30", "false"],
            ["D2", "800", "30", "false"]]

    def table(self, sep):
        return "".join(sep.join(r) + "\n" for r in self.ROWS).encode()

    def test_detected(self):
        for sep in (",", ";", "\t", "|"):
            with self.subTest(sep=sep):
                code, records, err = evaluate(self.table(sep))
                self.assertEqual(code, 0, err)
                self.assertEqual([verdicts(r)["T1.mu_tax"] for r in records], ["pass", "fail"])

    def test_option(self):
        for name, sep in ((";", ";"), ("\\t", "\t"), ("tab", "\t"), ("|", "|"), (",", ",")):
            with self.subTest(name=name):
                code, records, err = evaluate(self.table(sep), "--delimiter", name)
                self.assertEqual(code, 0, err)
                self.assertEqual(len(records), 2)
        # Forced to ',' a ';' file is one column, not an input.
        code, _, err = evaluate(b"tax;land_area\n1;2\n", "--delimiter", ",")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: no column is an input of the rulebook (check the delimiter, "
                      "--delimiter, and the encoding, --encoding)", err)
        code, _, err = run("eval", "--delimiter", "::", BOOK, "-", stdin=b"")
        self.assertEqual(code, 2)
        self.assertIn("unknown delimiter '::'", err)

    def test_quoted_delimiters_do_not_count(self):
        data = b'_id;tax\n"a,b,c,d";1110\n'
        code, records, err = evaluate(data)
        self.assertEqual(code, 0, err)
        self.assertEqual(records[0]["record"], "a,b,c,d")


class Refused(unittest.TestCase):
    DATA = b"_id,tax,land_area\nR1,1110,30\nR2,abc,30\nR3,1,2,3\nR4,800,30\n"

    def test_exit_status_and_skip_bad(self):
        code, records, err = evaluate(self.DATA)
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records], ["R1", "R4"])
        self.assertEqual(err.splitlines(), [
            "<stdin>:3: column tax: 'abc' is not a decimal number for input 'tax'",
            "<stdin>:4: the row has 4 fields, the header has 3",
            "rulebook eval: 2 records were refused (exit status 3; --skip-bad ignores them)"])
        code, records, err = evaluate(self.DATA, "--skip-bad")
        self.assertEqual(code, 0)
        self.assertEqual(len(records), 2)

    def test_every_record_refused(self):
        code, records, err = evaluate(b"_id,tax\nA,x\nB,y\n")
        self.assertEqual(code, 3)
        self.assertEqual(records, [])

    def test_rejects_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rejects.csv")
            code, _, err = evaluate(self.DATA, "--rejects", path)
            self.assertEqual(code, 3)
            with open(path, encoding="utf-8") as f:
                rows = list(csv.reader(f))
        self.assertEqual(rows, [
            ["file", "line", "reason", "record"],
            ["<stdin>", "3", "column tax: 'abc' is not a decimal number for input 'tax'",
             "R2,abc,30"],
            ["<stdin>", "4", "the row has 4 fields, the header has 3", "R3,1,2,3"]])

    def test_rejects_of_json(self):
        data = b'{"_id": "J1", "tax": 1}\n{"_id": "J2", "tax": "x"}\n'
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rejects.csv")
            code, _, _ = run("eval", "-d", DATE, "-i", "jsonl", "--rejects", path, BOOK, "-",
                             stdin=data)
            self.assertEqual(code, 3)
            with open(path, encoding="utf-8") as f:
                rows = list(csv.reader(f))
        self.assertEqual(rows[1], ["<stdin>", "2",
                                   "'x' is not a decimal number for input 'tax'",
                                   '{"_id": "J2", "tax": "x"}'])

    def test_rejects_file_cannot_be_written(self):
        code, _, err = run("eval", "--rejects", "/nonexistent/dir/r.csv", BOOK, "-", stdin=b"")
        self.assertEqual(code, 2)
        self.assertIn("rulebook eval: /nonexistent/dir/r.csv: cannot write", err)

    def test_monitor_and_diff(self):
        data = b'[{"_id": "x", "freed_land": "many"}, {"_id": "y"}]'
        code, _, err = run("monitor", "-d", DATE, os.path.join(FIX, "targets.yaml"), "-",
                           stdin=data)
        self.assertEqual(code, 3)
        self.assertIn("rulebook monitor: 1 record was refused", err)
        code, _, err = run("diff", "-d", DATE, BOOK, os.path.join(FIX, "enterprise-v2.yaml"),
                           "-", stdin=b"_id,tax\nA,x\n")
        self.assertEqual(code, 3)
        code, _, err = run("diff", "-d", DATE, "--skip-bad", BOOK,
                           os.path.join(FIX, "enterprise-v2.yaml"), "-", stdin=b"_id,tax\nA,x\n")
        self.assertEqual(code, 1, err)  # the rulebooks still differ in their rules

    def test_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            page = os.path.join(tmp, "r.html")
            code, _, err = run("report", "-d", DATE, "-o", page, BOOK, "-", stdin=self.DATA)
            self.assertEqual(code, 3, err)
            self.assertIn("rulebook report: 2 records were refused", err)
            with open(page, encoding="utf-8") as f:
                html = f.read()
            # four rows, two refused: the page counts the other two
            self.assertIn("2&nbsp;条记录", html)
            code, _, err = run("report", "-d", DATE, "--skip-bad", "-o", page, BOOK, "-",
                               stdin=self.DATA)
            self.assertEqual(code, 0, err)


class Limits(unittest.TestCase):
    def test_cell_limit(self):
        data = b"_id,name,tax\nA," + b"n" * 100 + b",1\nB,short,2\n"
        code, records, err = evaluate(data, "--max-cell", "50")
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records], ["B"])
        self.assertIn("<stdin>:2: column 2: the cell is longer than the limit of 50 bytes "
                      "(--max-cell)", err)
        code, records, err = evaluate(data, "--max-cell", "100")
        self.assertEqual(code, 0, err)

    def test_row_limit(self):
        data = b"_id,name,tax\nA," + b"n" * 1000 + b",1\nB,short,2\n"
        code, records, err = evaluate(data, "--max-row", "100")
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records], ["B"])
        self.assertIn("<stdin>:2: the row is longer than the limit of 100 bytes (--max-row)",
                      err)
        code, records, err = evaluate(b"_id,tax\n" + b"x" * 200 + b",1\n", "--max-row", "100")
        self.assertEqual(code, 3)
        code, _, err = evaluate(b"_id," + b"x" * 200 + b"\n", "--max-row", "100")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: the header row is longer than the limit of 100 bytes", err)

    def test_default_limits(self):
        big = b"n" * (1 << 20)
        code, records, err = evaluate(b"_id,name\nA," + big + b"\nB,b\n")
        self.assertEqual(code, 0, err[:300])
        code, records, err = evaluate(b"_id,name\nA," + big + b"n\nB,b\n")
        self.assertEqual(code, 3)
        self.assertIn("limit of 1048576 bytes (--max-cell)", err)
        self.assertEqual([r["record"] for r in records], ["B"])

    def test_limit_values(self):
        for bad in ("0", "-5", "12kb", ""):
            code, _, err = run("eval", "--max-cell", bad, BOOK, "-", stdin=b"")
            self.assertEqual(code, 2, bad)
            self.assertIn("--max-cell needs a positive number of bytes", err)

    def cpu_seconds(self, columns):
        header = ",".join("_c%d" % i for i in range(columns)) + ",tax\n"
        row = ",".join("" for _ in range(columns)) + ",1\n"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        code, records, err = evaluate((header + row).encode())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.assertEqual(code, 0, err[:300])
        self.assertEqual(len(records), 1)
        return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    def test_header_checks_are_linear(self):
        """300 000 columns took minutes when each name was compared with
        every earlier one. Ten times the columns must cost far less than a
        hundred times the time."""
        small = max(self.cpu_seconds(30000), 0.01)
        large = self.cpu_seconds(300000)
        self.assertLess(large, 30 * small + 1.0, (small, large))

    def test_duplicate_columns_among_many(self):
        header = ",".join("_c%d" % i for i in range(50000)) + ",_c17\n"
        code, _, err = evaluate(header.encode())
        self.assertEqual(code, 2)
        self.assertIn("column 50001 (_c17): the column appears twice", err)



OFFICE = os.path.join(FIX, "office.yaml")


def office(data, *args):
    """eval of data with office.yaml (labels, aliases, id_column)."""
    code, out, err = run("eval", "-d", DATE, "-f", "jsonl", "--no-summary", *args, OFFICE, "-",
                         stdin=data)
    return code, [json.loads(l) for l in out.splitlines()], err


def values(record):
    """Input values as the first rule saw them, and the rest."""
    v = {}
    for rule in record["rules"]:
        for k, x in rule["values"].items():
            if x["kind"] == "input":
                v[k] = x["value"]
    return v


class Headers(unittest.TestCase):
    # The way an office exports it: Chinese labels, units in full-width
    # brackets, the credit code as the id, 是/否. 20000 平方米 is 30 亩
    # exactly; 1110 万元 / 30 亩 = 37 万元/亩 passes, 800 / 30 fails.
    OFFICE_CSV = ("统一社会信用代码,企业名称,实缴税收（万元）,用地面积（平方米）,"
                  "从业人员（人）,行业,是否重点项目（是/否）\n"
                  "91330185MA2AAAAA1X,甲公司,1110,20000,12,纺织,否\n"
                  "91330185MA2BBBBB2Y,乙公司,800,20000,5,纺织,否\n"
                  "91330185MA2CCCCC3Z,丙公司,100,20000,3,化工,是\n")

    def test_labels_units_and_id_column(self):
        code, records, err = office(self.OFFICE_CSV.encode("gb18030"))
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "")
        self.assertEqual([r["record"] for r in records],
                         ["91330185MA2AAAAA1X", "91330185MA2BBBBB2Y", "91330185MA2CCCCC3Z"])
        self.assertEqual(values(records[0])["land_area"], "30")
        self.assertEqual(values(records[0])["tax"], "1110")
        self.assertEqual([verdicts(r)["T1.mu_tax"] for r in records], ["pass", "fail", "exempt"])
        self.assertEqual(verdicts(records[1])["T2.employees"], "fail")

    def test_id_option(self):
        code, records, err = office(self.OFFICE_CSV.encode(), "--id", "企业名称")
        self.assertEqual(code, 0, err)
        self.assertEqual([r["record"] for r in records], ["甲公司", "乙公司", "丙公司"])
        code, records, err = office(self.OFFICE_CSV.encode(), "--id", "ｎａｍｅ")
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: --id ｎａｍｅ: the header has no such column", err)
        # _id still names the record, before any id_column.
        code, records, err = office(b"_id,tax\nX,1\n")
        self.assertEqual([r["record"] for r in records], ["X"])

    def test_width_case_spaces_and_aliases(self):
        # Two names of one input: the second column is an error.
        data = "_id,\u3000实际使用用地面积【亩】 ,Land Area (公顷)\nA,1,2\n".encode()
        code, _, err = office(data)
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 3 (Land Area): sets input 'land_area', as column 2 "
                      "does", err)
        # The same name in two widths is the same column.
        code, _, err = office("_id,tax,ＴＡＸ\nA,1,2\n".encode())
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 3 (ＴＡＸ): the column appears twice", err)
        data = "_id,ｔａｘ,\u3000实际使用用地面积【亩】 ,职工人数\nW,1158.1,31.3,12\n".encode()
        code, records, err = office(data)
        self.assertEqual(code, 0, err)
        v = values(records[0])
        self.assertEqual((v["tax"], v["land_area"], v["employees"]), ("1158.1", "31.3", "12"))
        # 1158.1 / 31.3 is exactly 37: at the threshold, which passes.
        self.assertEqual(verdicts(records[0])["T1.mu_tax"], "pass")
        data = "_id,tax paid,land area (ha)\nE,1110,2\n".encode()
        code, records, err = office(data)
        self.assertEqual(code, 0, err)
        self.assertEqual(values(records[0])["land_area"], "30")  # 2 公顷 = 30 亩

    def test_a_name_of_two_inputs(self):
        code, _, err = office("_id,人数\nA,3\n".encode())
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 2 (人数): the name matches two inputs: 'employees' and "
                      "'name'", err)

    def test_units_in_brackets(self):
        code, _, err = office("_id,实缴税收（公斤）\nA,1\n".encode())
        self.assertEqual(code, 2)
        self.assertIn("<stdin>:1: column 2 (实缴税收): unit '公斤'", err)
        code, _, err = office("_id,行业[吨]\nA,纺织\n".encode())
        self.assertEqual(code, 2)
        self.assertIn("a unit is only allowed for number inputs; '行业' is of type enum", err)
        code, records, err = office("_id,税收(亿元)\nA,0.111\n".encode())
        self.assertEqual(code, 0, err)
        self.assertEqual(values(records[0])["tax"], "1110")

    def test_unmatched_columns_warned_once(self):
        data = "_id,tax,颜色,尺寸\nA,1,红,L\nB,2,蓝,M\nC,3,绿,S\n".encode()
        code, records, err = office(data)
        self.assertEqual(code, 0)
        self.assertEqual(len(records), 3)
        self.assertEqual(err, "<stdin>:1: warning: 2 columns match no input and are ignored: "
                              "颜色, 尺寸 (--ignore-unknown silences this)\n")

    def test_totals_rows(self):
        data = (self.OFFICE_CSV + "合计,,2010,60000,20,,\n小 计,,1,1,1,,\n").encode()
        code, records, err = office(data)
        self.assertEqual(code, 3)
        self.assertEqual(len(records), 3)
        self.assertIn("<stdin>:5: the row looks like a totals row (合计), not a record", err)
        self.assertIn("<stdin>:6: the row looks like a totals row (小计), not a record", err)
        # Without an id column, the first cell tells.
        code, records, err = office("tax,land_area\n1,1\n总计,2\n".encode())
        self.assertEqual(code, 3)
        self.assertIn("<stdin>:3: the row looks like a totals row (总计)", err)

    def test_booleans(self):
        rows = ["_id,tax,land_area,is_key_project"]
        words = ["是", "否", "有", "无", "Y", "N", "y", "n", "1", "0", "true", "false", "TRUE",
                 "False", "yes", "NO"]
        for i, w in enumerate(words):
            rows.append("B%d,100,30,%s" % (i, w))  # 100 / 30 fails unless exempt
        code, records, err = office(("\n".join(rows) + "\nBX,100,30,也许\n").encode())
        self.assertEqual(code, 3)
        got = [verdicts(r)["T1.mu_tax"] for r in records]
        self.assertEqual(got, ["exempt", "fail"] * 8)
        self.assertIn("column is_key_project: '也许' is not a boolean", err)

    def test_no_header(self):
        data = b"N1\t1110\t30\t\\N\nN2\t800\t30\tfalse\nN3\t\\N\t30\t1\n"
        code, records, err = office(data, "--no-header", "--columns",
                                    "_id,tax,land_area,is_key_project")
        self.assertEqual(code, 0, err)
        self.assertEqual([r["record"] for r in records], ["N1", "N2", "N3"])
        self.assertIsNone(values(records[0])["is_key_project"])
        self.assertIsNone(values(records[2])["tax"])
        self.assertEqual(verdicts(records[1])["T1.mu_tax"], "fail")
        code, _, err = office(data, "--no-header")
        self.assertEqual(code, 2)
        self.assertIn("rulebook eval: --no-header needs --columns NAME,...", err)
        code, _, err = office(data, "--no-header", "--columns", "_id,,tax")
        self.assertEqual(code, 2)
        self.assertIn("--columns needs names separated by commas, not '_id,,tax'", err)
        code, _, err = office(data, "--no-header", "--columns", "_id,tax,colour,x")
        self.assertEqual(code, 0)
        self.assertIn("<stdin>: warning: 2 columns match no input", err)


def workbook(path, rows, shared=(), date1904=False, styles=None, sheet_name="Sheet1",
             sheet_xml=None):
    """A minimal .xlsx written by hand: rows is a list of (row number,
    [cell XML]); shared the shared strings (each an <si> body)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml",
                   '<workbook %s %s><workbookPr%s/><sheets><sheet name="%s" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>'
                   % (ns, rel, ' date1904="1"' if date1904 else "", sheet_name))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="x" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        if shared:
            z.writestr("xl/sharedStrings.xml", "<sst %s>%s</sst>"
                       % (ns, "".join("<si>%s</si>" % x for x in shared)))
        if styles:
            z.writestr("xl/styles.xml", "<styleSheet %s>%s</styleSheet>" % (ns, styles))
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml or
                   "<worksheet %s><sheetData>%s</sheetData></worksheet>"
                   % (ns, "".join('<row r="%d">%s</row>' % (n, "".join(c)) for n, c in rows)))


class Xlsx(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def written(self):
        path = self.path("office.xlsx")
        subprocess.run([WRITE_XLSX, path], check=True)
        return path

    def run_office(self, path, *args):
        code, out, err = run("eval", "-d", DATE, "-f", "jsonl", "--no-summary", *args, OFFICE,
                             path)
        return code, [json.loads(l) for l in out.splitlines()], err

    @unittest.skipUnless(WRITE_XLSX, "WRITE_XLSX not set")
    def test_written_by_libxlsxwriter(self):
        code, records, err = self.run_office(self.written())
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records],
                         ["91330185MA2AAAAA1X", "91330185MA2BBBBB2Y", "91330185MA2CCCCC3Z"])
        a, b, c = (values(r) for r in records)
        # Stored as doubles, read as their stored text: exact.
        self.assertEqual((a["tax"], a["land_area"], a["employees"]), ("1158.1", "31.3", "12"))
        self.assertEqual(verdicts(records[0])["T1.mu_tax"], "pass")  # 37 exactly
        # A formula's cached result; an empty cell is missing; a boolean cell.
        self.assertEqual((b["tax"], b["employees"], b["is_key_project"]), ("800", None, "false"))
        self.assertEqual(c["is_key_project"], "true")
        # Dates: a custom 年月日 format, the built-in format 14, and a plain
        # serial number (45108) in the column of a date input.
        self.assertEqual((a["deadline"], b["deadline"], c["deadline"]),
                         ("2023-07-01", "2023-06-01", "2023-07-01"))
        self.assertEqual([verdicts(r)["T4.deadline"] for r in records], ["pass", "fail", "pass"])
        self.assertEqual([verdicts(r)["T1.mu_tax"] for r in records], ["pass", "fail", "exempt"])
        lines = err.splitlines()
        self.assertIn(self.path("office.xlsx") + ":C6: column 实缴税收: 'abc 万元' is not a "
                      "decimal number for input 'tax'", lines)
        self.assertIn(self.path("office.xlsx") + ":7: the row looks like a totals row (合计), "
                      "not a record", lines)

    @unittest.skipUnless(WRITE_XLSX, "WRITE_XLSX not set")
    def test_sheet_option_and_stdin(self):
        path = self.written()
        code, records, err = self.run_office(path, "--sheet", "说明")
        self.assertEqual(code, 0, err)
        self.assertEqual(values(records[0])["tax"], "0.1")
        code, _, err = self.run_office(path, "--sheet", "nope")
        self.assertEqual(code, 2)
        self.assertIn("the workbook has no sheet called 'nope'", err)
        with open(path, "rb") as f:
            data = f.read()
        code, out, err = run("eval", "-d", DATE, "-f", "jsonl", "--no-summary", "--skip-bad",
                             OFFICE, "-", stdin=data)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 3)

    def test_saved_by_libreoffice(self):
        """fixtures/libreoffice.xlsx: a CSV opened in LibreOffice Calc 7.4 and
        saved as .xlsx (soffice --headless --convert-to xlsx); Calc stored
        the dates as serial numbers with a date format."""
        path = os.path.join(FIX, "libreoffice.xlsx")
        code, records, err = self.run_office(path)
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records],
                         ["91330185MA2AAAAA1X", "91330185MA2BBBBB2Y", "91330185MA2CCCCC3Z"])
        a, b, c = (values(r) for r in records)
        self.assertEqual((a["tax"], a["land_area"], a["employees"], a["deadline"]),
                         ("1158.1", "31.3", "12", "2023-07-01"))
        self.assertEqual((b["deadline"], c["employees"], c["is_key_project"]),
                         ("2023-06-01", None, "true"))
        self.assertEqual([verdicts(r)["T1.mu_tax"] for r in records], ["pass", "fail", "exempt"])
        self.assertIn(path + ":5: the row looks like a totals row (合计), not a record", err)

    def test_1904_inline_shared_and_errors(self):
        styles = ('<numFmts count="1"><numFmt numFmtId="170" formatCode="[Red]yyyy/mm/dd"/>'
                  '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="170"/>'
                  '<xf numFmtId="2"/></cellXfs>')
        shared = ["<t>_id</t>", "<r><t>实缴</t></r><r><t>税收</t></r>",
                  "<t>整改期限</t><rPh><t>せいり</t></rPh>", "<t>用地面积</t>"]
        rows = [(1, ['<c r="A1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>1</v></c>',
                     '<c r="C1" t="s"><v>2</v></c>', '<c r="D1" t="s"><v>3</v></c>']),
                (2, ['<c r="A2" t="inlineStr"><is><t>R1</t></is></c>',
                     '<c r="B2"><v>1110</v></c>',
                     '<c r="C2" s="1"><v>43646</v></c>',  # 1904 system: 2023-07-01
                     '<c r="D2" s="2"><v>30</v></c>']),
                (4, ['<c r="A4" t="str"><v>R2</v></c>', '<c r="B4" t="e"><v>#DIV/0!</v></c>',
                     '<c r="C4" t="d"><v>2023-06-01T00:00:00</v></c>']),
                (5, ['<c r="A5" t="inlineStr"><is><t>R3</t></is></c>',
                     '<c r="D5"><v>1.5E1</v></c>'])]
        path = self.path("hand.xlsx")
        workbook(path, rows, shared, date1904=True, styles=styles)
        code, records, err = self.run_office(path)
        self.assertEqual(code, 3)
        self.assertEqual([r["record"] for r in records], ["R1", "R3"])
        self.assertEqual(values(records[0])["deadline"], "2023-07-01")
        self.assertEqual(values(records[0])["tax"], "1110")
        self.assertEqual(values(records[1])["land_area"], "15")
        self.assertIn(path + ":4: cell B4: the spreadsheet could not compute it (#DIV/0!)", err)
        # The same serial in the 1900 system is 1462 days earlier.
        workbook(path, rows, shared, date1904=False, styles=styles)
        code, records, err = self.run_office(path)
        self.assertEqual(values(records[0])["deadline"], "2019-06-30")

    def test_serial_dates_of_the_1900_system(self):
        cases = [("1", "1900-01-01"), ("59", "1900-02-28"), ("61", "1900-03-01"),
                 ("45108", "2023-07-01"), ("45108.75", "2023-07-01")]
        rows = [(1, ['<c r="A1" t="inlineStr"><is><t>_id</t></is></c>',
                     '<c r="B1" t="inlineStr"><is><t>deadline</t></is></c>'])]
        for i, (serial, _) in enumerate(cases):
            rows.append((i + 2, ['<c r="A%d" t="inlineStr"><is><t>D%d</t></is></c>' % (i + 2, i),
                                 '<c r="B%d"><v>%s</v></c>' % (i + 2, serial)]))
        rows.append((9, ['<c r="A9" t="inlineStr"><is><t>D60</t></is></c>',
                         '<c r="B9"><v>60</v></c>']))
        path = self.path("dates.xlsx")
        workbook(path, rows)
        code, records, err = self.run_office(path)
        self.assertEqual([values(r)["deadline"] for r in records], [d for _, d in cases])
        # 60 is 29 February 1900, a day that never was.
        self.assertEqual(code, 3)
        self.assertIn("column deadline: '60'", err)

    def test_limits(self):
        rows = [(1, ['<c r="A1" t="inlineStr"><is><t>_id</t></is></c>',
                     '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'])]
        for i in range(2, 200):
            rows.append((i, ['<c r="A%d" t="inlineStr"><is><t>N%d</t></is></c>' % (i, i),
                             '<c r="B%d" t="inlineStr"><is><t>%s</t></is></c>'
                             % (i, "名" * (i * 10))]))
        path = self.path("big.xlsx")
        workbook(path, rows)
        code, records, err = self.run_office(path)
        self.assertEqual((code, len(records)), (0, 198), err)
        code, _, err = self.run_office(path, "--max-unzipped", "100000")
        self.assertEqual(code, 2)
        self.assertIn("the workbook unpacks to more than the limit of 100000 bytes "
                      "(--max-unzipped)", err)
        code, _, err = self.run_office(path, "--max-cells", "50")
        self.assertEqual(code, 2)
        self.assertIn("the sheet has more than the limit of 50 cells (--max-cells)", err)
        code, records, err = self.run_office(path, "--max-cell", "3000")
        self.assertEqual(code, 3)
        self.assertEqual(len(records), 99)  # 30 bytes a row number: rows 2 to 100
        self.assertIn(path + ":101: cell B101: the cell is longer than the limit of 3000 bytes "
                      "(--max-cell)", err)

    def test_a_zip_bomb(self):
        """A part that unpacks to a gigabyte stops at the limit."""
        path = self.path("bomb.xlsx")
        rows = [(1, ['<c r="A1" t="inlineStr"><is><t>_id</t></is></c>',
                     '<c r="B1" t="inlineStr"><is><t>tax</t></is></c>'])]
        workbook(path, rows)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (200 << 20) + b"</sst>")
        self.assertLess(os.path.getsize(path), 1 << 20)
        code, _, err = self.run_office(path, "--max-unzipped", str(50 << 20))
        self.assertEqual(code, 2)
        self.assertIn("(--max-unzipped)", err)

    def test_not_a_workbook(self):
        path = self.path("fake.xlsx")
        with open(path, "wb") as f:
            f.write(b"PK\x03\x04 this is not a zip archive")
        code, _, err = self.run_office(path)
        self.assertEqual(code, 2)
        self.assertIn(path + ": not a workbook: cannot open it as a zip archive", err)
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
        code, _, err = self.run_office(path)
        self.assertEqual(code, 2)
        self.assertIn("not a workbook: the archive has no xl/workbook.xml", err)
        workbook(path, [], sheet_xml="<worksheet><sheetData><row>")
        code, _, err = self.run_office(path)
        self.assertEqual(code, 2)
        self.assertIn("malformed XML in the workbook", err)


def read_sheets(path):
    """{sheet name: [[cell text, ...], ...]} of a workbook, by the stdlib."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        sheets = {}
        for sh in wb.find("m:sheets", ns):
            root = ET.fromstring(z.read("xl/" + targets[sh.get(rel)]))
            rows = []
            for row in root.iter("{%s}row" % ns["m"]):
                cells = []
                for c in row.findall("m:c", ns):
                    if c.find("m:f", ns) is not None:
                        cells.append("FORMULA")
                    elif c.get("t") == "inlineStr":
                        cells.append("".join(t.text or "" for t in c.iter("{%s}t" % ns["m"])))
                    elif c.get("t") == "s":
                        cells.append(shared[int(c.find("m:v", ns).text)])
                    else:
                        v = c.find("m:v", ns)
                        cells.append(v.text if v is not None else "")
                rows.append(cells)
            sheets[sh.get("name")] = rows
    return sheets


class XlsxOut(unittest.TestCase):
    def test_results_followup_and_source(self):
        firms = os.path.join(FIX, "firms.csv")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "results.xlsx")
            with open(path, "wb") as f:
                p = subprocess.run([EXE, "eval", "-d", DATE, "-f", "xlsx", BOOK, firms],
                                   stdout=f, stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(p.returncode, 3)  # firms.csv has two bad rows
            self.assertIn("评价对象 4 个", p.stderr.decode())  # the summary on stderr
            sheets = read_sheets(path)
        self.assertEqual(list(sheets), ["评价结果", "督办清单", "来源"])
        code, out, _ = run("eval", "-d", DATE, "-f", "csv", BOOK, firms)
        csv_rows = list(csv.reader(io.StringIO(out)))
        results = sheets["评价结果"]
        self.assertEqual(results[0], ["对象", "规则", "条款", "结论", "差距", "说明", "规则集",
                                      "规则集哈希", "评价日期", "版本"])
        self.assertEqual(len(results), len(csv_rows))
        # The same cells as the CSV output (empty cells are not written).
        for row, want in zip(results[1:], csv_rows[1:]):
            self.assertEqual(row, [c for c in want if c])
        # Failures by responsible unit, checked by hand: A002 fails T1
        # (区经信局, 区税务局) and T2 (区人社局); nothing else fails.
        self.assertEqual(sheets["督办清单"], [["责任单位", "未达标次数", "规则数", "对象数"],
                                          ["区人社局", "1", "1", "1"],
                                          ["区税务局", "1", "1", "1"],
                                          ["区经信局", "1", "1", "1"]])
        source = dict((r[0], r[1]) for r in sheets["来源"])
        self.assertEqual(source["规则集"], "demo.enterprise")
        self.assertEqual(source["评价日期"], DATE)
        self.assertEqual(source["数据文件"], firms)
        self.assertEqual(source["规则集哈希"], csv_rows[1][7])
        self.assertRegex(source["规则集哈希"], "^[0-9a-f]{64}$")

    def test_formulas_stay_text(self):
        data = '_id,tax\n"=HYPERLINK(""http://evil"",""x"")",1\n'.encode()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "r.xlsx")
            with open(path, "wb") as f:
                p = subprocess.run([EXE, "eval", "-d", DATE, "-f", "xlsx", "--lang", "en",
                                    BOOK, "-"], input=data, stdout=f, stderr=subprocess.PIPE)
            self.assertEqual(p.returncode, 0, p.stderr)
            sheets = read_sheets(path)
        self.assertEqual(list(sheets), ["results", "follow-up", "source"])
        rows = sheets["results"]
        self.assertEqual(rows[1][0], '=HYPERLINK("http://evil","x")')
        self.assertNotIn("FORMULA", [c for r in rows for c in r])


class SampleData(unittest.TestCase):
    """examples/data: the Lin'an enterprises as JSON records, as a GB18030
    CSV and as a workbook exported the way an office does (office_export.py)
    give the same results, rule by rule, values included."""

    def results(self, name):
        path = os.path.join(HERE, "..", "..", "examples", "data", name)
        book = os.path.join(HERE, "..", "..", "rules", "linan", "enterprise.yaml")
        code, out, err = run("eval", "-d", DATE, "-f", "jsonl", "--no-summary", book, path)
        return code, [json.loads(l) for l in out.splitlines()], err

    def test_same_results_from_every_form(self):
        code, json_records, err = self.results("enterprises.json")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(json_records), 210)
        for name, first_row in (("linan-enterprises-gb18030.csv", 2),
                                ("linan-enterprises.xlsx", 3)):
            with self.subTest(file=name):
                code, records, err = self.results(name)
                # The 合计 row at the bottom is refused; 所属行业 is no input.
                self.assertEqual(code, 3, err)
                self.assertIn("the row looks like a totals row (合计), not a record", err)
                self.assertIn("warning: 1 column matches no input and is ignored: 所属行业", err)
                self.assertEqual(len(records), 210)
                # Ids are the credit codes (the rulebook's id_column).
                self.assertRegex(records[0]["record"], "^91330185MA2[0-9A-Z]{7}$")
                for a, b in zip(json_records, records):
                    self.assertEqual(a["rules"], b["rules"], a["record"])
                    self.assertEqual(a["scorecards"], b["scorecards"], a["record"])
        # The first record, by hand: 1158.1 万元 / 31.3 亩 = 37 万元/亩 exactly.
        rule = json_records[0]["rules"][0]
        self.assertEqual(rule["values"]["tax"]["value"], "1158.1")
        self.assertEqual(rule["values"]["land_area"]["value"], "31.3")

class Formulas(unittest.TestCase):
    def test_csv_output_neutralises_formulas(self):
        data = ('_id,tax,land_area,is_key_project\n'
                '"=HYPERLINK(""http://evil"",""x"")",1110,30,false\n'
                '@SUM(A1),1110,30,false\n'
                '+cmd|calc,800,30,false\n'
                '-1+2,800,30,false\n'
                '+42,800,30,false\n').encode()
        code, out, err = run("eval", "-d", DATE, "-f", "csv", "--no-summary", BOOK, "-",
                             stdin=data)
        self.assertEqual(code, 0, err)
        rows = list(csv.reader(io.StringIO(out)))
        ids = []
        for r in rows[1:]:
            if r[0] not in ids:
                ids.append(r[0])
        self.assertEqual(ids, ["'=HYPERLINK(\"http://evil\",\"x\")", "'@SUM(A1)",
                               "'+cmd|calc", "'-1+2", "+42"])
        # Gaps the tool writes stay figures.
        self.assertIn("+10.3333 万元/亩", [r[4] for r in rows])


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        EXE = sys.argv.pop(1)
    if not EXE:
        sys.exit("usage: test_input.py PATH-TO-rulebook")
    EXE = os.path.abspath(EXE)
    unittest.main()
