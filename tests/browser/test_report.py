#!/usr/bin/env python3
"""The HTML report in a real browser.

Usage: test_report.py PATH-TO-rulebook [unittest arguments]

Each shipped rulebook's report over the sample data is rendered by headless
Chromium (Debian's chromium; set CHROMIUM to use another binary). The
screenshot must not be blank, the DOM Chromium builds must hold the same
counts as the JSON results of `rulebook eval` (records per class, failures
per rule, targets per status, aggregates), hostile record ids must stay
text, and the printed PDF must be A4. Exit status 77 (skipped) when no
Chromium is installed. Standard library only.
"""
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXE = os.environ.get("RULEBOOK_CLI", "")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or ""
WORK = None  # a fresh directory inside the build tree, removed at the end

# Every shipped rulebook with its sample data and as-of date.
CASES = {
    "enterprise": ("rules/linan/enterprise.yaml", "examples/data/enterprises.json",
                   "2023-06-30"),
    "mujun": ("rules/linan/mujun.yaml", "examples/data/enterprises-mujun.json", "2023-06-30"),
    "projects": ("rules/linan/project.yaml", "examples/data/projects.json", "2023-06-30"),
    "parcels": ("rules/linan/project.yaml", "examples/data/parcels.json", "2023-12-31"),
    "district": ("rules/linan/district.yaml", "examples/data/district-2022-06-30.json",
                 "2022-06-30"),
    "district-2023": ("rules/linan/district.yaml", "examples/data/district-2023-12-31.json",
                      "2023-12-31"),
    "zhejiang-mujun": ("rules/zhejiang/mujun-evaluation.yaml",
                       "examples/data/enterprises-mujun.json", "2023-06-30"),
}


def path(rel):
    return os.path.join(ROOT, rel)


def run(*args):
    p = subprocess.run([EXE] + list(args), capture_output=True, timeout=300, cwd=ROOT)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def chromium(*args):
    """Run headless Chromium with a fresh profile in the build tree; it
    never reaches the network and is gone when this returns."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=WORK)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--disable-extensions",
           "--user-data-dir=" + profile] + list(args)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=180, cwd=WORK)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def png_pixels(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "unexpected PNG format"
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    i = 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


class DomCounts(html.parser.HTMLParser):
    """The data-* attributes the report puts on its rows, and all text."""

    def __init__(self):
        super().__init__()
        self.rows = []       # attribute dicts of elements with data-*
        self.text = []
        self.tags = {}       # element name -> count
        self.count_cell = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if any(k.startswith("data-") for k in a):
            a["_tag"] = tag
            self.rows.append(a)

    def handle_data(self, data):
        self.text.append(data)


def dom_of(html_text):
    d = DomCounts()
    d.feed(html_text)
    d.close()
    return d


def expected_counts(rulebook, data, as_of):
    """Counts computed from `rulebook eval --population` JSON, independently
    of the report."""
    code, out, err = run("eval", rulebook, data, "--as-of", as_of, "--format", "jsonl",
                         "--population", "--no-summary")
    assert code == 0, err
    lines = [json.loads(l) for l in out.splitlines() if l]
    records = [l for l in lines if "rules" in l]
    pop = [l for l in lines if "population" in l][0]["population"]
    fails, statuses = {}, {}
    for r in records:
        for rule in r["rules"]:
            fails.setdefault(rule["id"], 0)
            if rule["verdict"] == "fail":
                fails[rule["id"]] += 1
        for t in r["targets"]:
            statuses[t["status"]] = statuses.get(t["status"], 0) + 1
    classes = {}
    for sc, counts in pop["classes"].items():
        classes[sc] = {k: v for k, v in counts.items() if v}
        unknown = pop["records"] - sum(counts.values())
        if unknown:
            classes[sc]["unknown"] = unknown
    aggregates = {a["id"]: (a["verdict"], a["counted"] or "0") for a in pop["aggregates"]}
    return {"records": pop["records"], "fails": fails, "statuses": statuses,
            "classes": classes, "aggregates": aggregates}


def report_counts(dom):
    fails, statuses, classes, aggregates = {}, {}, {}, {}
    for a in dom.rows:
        if "data-rule" in a:
            fails[a["data-rule"]] = int(a["data-fail"])
        if "data-target-status" in a:
            statuses[a["data-target-status"]] = None
        if "data-class" in a:
            classes.setdefault(a["data-scorecard"], {})[a["data-class"]] = None
        if "data-aggregate" in a:
            aggregates[a["data-aggregate"]] = (a["data-verdict"], a["data-counted"])
    # the counts sit in the cell after the row's header: data-count
    it = iter(dom.rows)
    last = None
    for a in it:
        if "data-target-status" in a or "data-class" in a:
            last = a
        elif "data-count" in a and last is not None:
            if "data-target-status" in last:
                statuses[last["data-target-status"]] = int(a["data-count"])
            else:
                classes[last["data-scorecard"]][last["data-class"]] = int(a["data-count"])
            last = None
    for sc in classes:
        classes[sc] = {k: v for k, v in classes[sc].items() if v}
    return {"fails": fails, "statuses": statuses, "classes": classes,
            "aggregates": aggregates}


class Rendered:
    """A report written by the CLI and rendered by Chromium once."""
    cache = {}

    @classmethod
    def get(cls, name, *extra):
        key = (name,) + extra
        if key not in cls.cache:
            rulebook, data, as_of = CASES[name]
            out = os.path.join(WORK, "-".join(key) + ".html")
            code, _, err = run("report", rulebook, data, "--as-of", as_of, "-o", out, *extra)
            assert code == 0, err
            assert "wrote " + out in err, err
            code, dom, cerr = chromium("--dump-dom", "file://" + out)
            assert code == 0, cerr
            cls.cache[key] = (out, dom.decode("utf-8"))
        return cls.cache[key]


class Report(unittest.TestCase):
    def check_counts(self, name, *extra):
        rulebook, data, as_of = CASES[name]
        out, dom_text = Rendered.get(name, *extra)
        want = expected_counts(rulebook, data, as_of)
        got = report_counts(dom_of(dom_text))
        self.assertEqual(got["fails"], want["fails"])
        self.assertEqual(got["statuses"], want["statuses"])
        self.assertEqual(got["classes"], want["classes"])
        self.assertEqual(got["aggregates"], want["aggregates"])
        return want

    def test_enterprise_counts(self):
        want = self.check_counts("enterprise")
        # a hand check of the fixture: 210 firms, and rule T1 fails for some
        self.assertEqual(want["records"], 210)
        self.assertGreater(want["fails"]["T1.mu_tax"], 0)

    def test_mujun_classes(self):
        want = self.check_counts("mujun")
        self.assertIn("mujun", want["classes"])
        self.assertEqual(sum(want["classes"]["mujun"].values()), 210)

    def test_projects_and_parcels(self):
        self.check_counts("projects")
        want = self.check_counts("parcels")
        self.assertTrue(want["aggregates"], "parcels must have aggregates")

    def test_district_targets(self):
        want = self.check_counts("district")
        self.assertTrue(want["statuses"], "the district has targets")
        self.check_counts("district-2023")

    def test_zhejiang(self):
        self.check_counts("zhejiang-mujun")

    def test_english(self):
        self.check_counts("district", "--lang", "en")
        _, dom_text = Rendered.get("district", "--lang", "en")
        self.assertIn('<html lang="en">', dom_text)
        self.assertIn("Targets against time progress", dom_text)

    def test_each_failure_links_to_an_explanation(self):
        _, dom_text = Rendered.get("enterprise")
        anchors = set(re.findall(r'<article class="rec" id="(r\d+)"', dom_text))
        links = set(re.findall(r'href="#(r\d+)"', dom_text))
        self.assertTrue(links)
        self.assertEqual(links - anchors, set(), "links without a target")

    def test_self_contained(self):
        for name in ("enterprise", "district"):
            out, dom_text = Rendered.get(name)
            page = open(out, encoding="utf-8").read()
            self.assertNotIn("<script", page)
            self.assertNotIn("<link", page)
            self.assertNotIn("@import", page)
            self.assertNotIn("url(", page)
            for m in re.finditer(r'(?:src|href)="([^"]*)"', page):
                self.assertTrue(m.group(1).startswith("#"), m.group(0))

    def test_accessible(self):
        _, dom_text = Rendered.get("mujun")
        dom = dom_of(dom_text)
        self.assertEqual(dom.tags.get("table"), dom.tags.get("caption"),
                         "every table has a caption")
        self.assertGreater(dom.tags.get("th", 0), 0)
        for svg in re.findall(r"<svg[^>]*>", dom_text):
            self.assertIn('role="img"', svg)
            self.assertTrue("aria-label" in svg, svg)
        self.assertIn("<title", dom_text.split("<svg", 1)[1])
        self.assertIn("<desc", dom_text.split("<svg", 1)[1])

    def test_screenshots_not_blank(self):
        for name in ("mujun", "district"):
            out, _ = Rendered.get(name)
            png = os.path.join(WORK, name + ".png")
            code, _, err = chromium("--screenshot=" + png, "--window-size=1000,1400",
                                    "--hide-scrollbars", "file://" + out)
            self.assertEqual(code, 0, err)
            width, height, bpp, rows = png_pixels(open(png, "rb").read())
            self.assertEqual((width, height), (1000, 1400))
            colours, ink = set(), 0
            for y in range(0, height, 3):
                row = rows[y]
                for x in range(0, width * bpp, 3 * bpp):
                    px = row[x:x + 3]
                    colours.add(px)
                    ink += px != b"\xff\xff\xff"
            self.assertGreater(len(colours), 50, "too few colours: blank page?")
            self.assertGreater(ink, 0.03 * (width // 3) * (height // 3), "mostly white")

    def test_prints_on_a4(self):
        out, _ = Rendered.get("district")
        pdf = os.path.join(WORK, "district.pdf")
        code, _, err = chromium("--print-to-pdf=" + pdf, "--no-pdf-header-footer",
                                "file://" + out)
        self.assertEqual(code, 0, err)
        data = open(pdf, "rb").read()
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        self.assertTrue(boxes, "no page in the PDF")
        for w, h in boxes:  # A4 is 595.28 x 841.89 points
            self.assertAlmostEqual(float(w), 595.28, delta=1.5)
            self.assertAlmostEqual(float(h), 841.89, delta=1.5)

    def test_hostile_record_ids_stay_text(self):
        records = [
            {"_id": "<script>alert(1)</script>"},
            {"_id": "\"><img src=x onerror=alert(2)>"},
            {"_id": "A&B 'quoted'"},
        ]
        for r in records:  # each fails T1 (10 万元/亩 < 37), so each is listed
            r.update({"above_scale": True, "is_manufacturing": True, "land_area": 10,
                      "tax": 100})
        data = os.path.join(WORK, "hostile.json")
        with open(data, "w", encoding="utf-8") as f:
            json.dump(records, f)
        out = os.path.join(WORK, "hostile.html")
        code, _, err = run("report", "rules/linan/enterprise.yaml", data, "--as-of",
                           "2023-06-30", "--ignore-unknown", "-o", out)
        self.assertEqual(code, 0, err)
        code, dom, cerr = chromium("--dump-dom", "file://" + out)
        self.assertEqual(code, 0, cerr)
        dom = dom_of(dom.decode("utf-8"))
        self.assertNotIn("script", dom.tags)
        self.assertNotIn("img", dom.tags)
        text = "".join(dom.text)
        for r in records:
            self.assertIn(r["_id"], text)


def main():
    global EXE, WORK
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        EXE = sys.argv.pop(1)
    if not EXE:
        sys.exit("usage: test_report.py PATH-TO-rulebook")
    if not CHROMIUM:
        print("chromium not found (scripts/deps --test installs it): skipped")
        sys.exit(77)
    base = os.environ.get("MESON_BUILD_ROOT") or os.getcwd()
    WORK = tempfile.mkdtemp(prefix="browser-", dir=base)
    try:
        unittest.main(verbosity=2)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
