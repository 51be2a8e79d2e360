#!/usr/bin/env python3
"""Write the SYNTHETIC Lin'an enterprises (enterprises.json) the way a
district office exports them from Excel or WPS on a Chinese Windows
machine:

    linan-enterprises-gb18030.csv   GB18030, CRLF line ends, tax in 元
    linan-enterprises.xlsx          a workbook: a title row above the header,
                                    numbers as numbers, a date cell, 是/否

Both have Chinese headers (the inputs' labels in rules/linan/enterprise.yaml)
with units in full-width brackets, the record id in 统一社会信用代码 (made up,
with a valid check character) beside 企业名称 and 所属行业, 是/否 for yes and
no, empty cells for missing values, and a 合计 row at the bottom, which the
tool refuses as a totals row. `rulebook eval` gives the same verdicts for
them as for enterprises.json.

Deterministic, standard library only (the workbook is written with zipfile
and the SpreadsheetML parts a spreadsheet program writes):

    python3 examples/data/office_export.py
"""

import datetime
import json
import os
import zipfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))

# Input id -> header (the label in the rulebook, a unit in brackets). The
# energy labels carry their basis in brackets already, so their unit stays
# the input's own (tce on the 等价值 basis).
HEADERS = [
    ("above_scale", "规模以上工业企业"),
    ("is_manufacturing", "制造业企业"),
    ("land_area", "实际使用用地面积（亩）"),
    ("tax", "实缴税收（万元）"),
    ("value_added", "工业增加值（万元）"),
    ("revenue", "营业收入（万元）"),
    ("rd_expense", "R&D经费支出（万元）"),
    ("employees", "年平均职工人数（人）"),
    ("energy_use", "综合能源消费量（等价值）"),
    ("energy_other", "电力以外的能源消费量（等价值）"),
    ("electricity_use", "用电量（万kWh）"),
    ("energy_intensity_base", "基期（2020年）单位工业增加值能耗"),
    ("water_use", "用水量（立方米）"),
    ("gas_use", "天然气用量（立方米）"),
    ("has_violation", "存在节能降耗、环境保护、安全生产、合法经营、产品质量和用地、建筑等违法违规行为"),
    ("rectification_deadline", "限期整改期限"),
    ("rectified", "已整改达标"),
    ("remedy_path", "“一企一策”整治方式"),
    ("digitally_transformed", "已完成数字化技术改造"),
    ("mujun_class", "亩均效益综合评价类别"),
    ("differential_pricing_applied", "已执行差别电价、差别水价、差别气价"),
    ("land_use_tax_relief", "享受城镇土地使用税减免"),
]

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(n):
    """A made-up 统一社会信用代码 with a valid check character (GB 32100)."""
    body = "91330185MA2" + "".join(CODE_CHARS[(n * 7 + i * 13) % 31] for i in range(5)) + \
        CODE_CHARS[n % 31]
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(body, CODE_WEIGHTS))
    return body + CODE_CHARS[(31 - total % 31) % 31]


def load():
    with open(os.path.join(HERE, "enterprises.json"), encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal, parse_int=Decimal)


def text(value):
    if value is None:
        return ""
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def write_csv(records):
    lines = [",".join(["统一社会信用代码", "企业名称", "所属行业"] +
                      [h.replace("（万元）", "（元）") if k == "tax" else h
                       for k, h in HEADERS])]
    totals = {"tax": Decimal(0), "land_area": Decimal(0)}
    for n, r in enumerate(records, 1):
        cells = [credit_code(n), r["_name"], r["_sector"]]
        for k, _ in HEADERS:
            v = r.get(k)
            if k == "tax" and v is not None:
                v = (v * 10000).normalize()  # 万元 -> 元, exactly
                v = format(v, "f")
            cells.append(text(v))
            if k in totals and r.get(k) is not None:
                totals[k] += r[k]
        lines.append(",".join(cells))
    row = ["合计", "", ""] + ["" for _ in HEADERS]
    row[3 + [k for k, _ in HEADERS].index("land_area")] = str(totals["land_area"])
    row[3 + [k for k, _ in HEADERS].index("tax")] = format((totals["tax"] * 10000).normalize(), "f")
    lines.append(",".join(row))
    with open(os.path.join(HERE, "linan-enterprises-gb18030.csv"), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def write_xlsx(records):
    """SpreadsheetML as Excel writes it: shared strings, a style with a date
    format (numFmtId 14), numbers stored as their decimal text."""
    strings, index = [], {}

    def sst(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    rows = []
    title = "临安区规上工业企业亩均效益数据（合成示例）"
    rows.append('<row r="1"><c r="A1" t="s"><v>%d</v></c></row>' % sst(title))
    header = ["统一社会信用代码", "企业名称", "所属行业"] + [h for _, h in HEADERS]
    rows.append('<row r="2">%s</row>' % "".join(
        '<c r="%s2" t="s"><v>%d</v></c>' % (col_name(i), sst(h)) for i, h in enumerate(header)))
    epoch = datetime.date(1899, 12, 30)
    for n, r in enumerate(records, 1):
        rn = n + 2
        cells = []

        def put(i, v):
            ref = "%s%d" % (col_name(i), rn)
            if v is None:
                return
            if isinstance(v, bool):
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst("是" if v else "否")))
            elif isinstance(v, Decimal):
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif isinstance(v, datetime.date):
                cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, (v - epoch).days))
            else:
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst(str(v))))

        put(0, credit_code(n))
        put(1, r["_name"])
        put(2, r["_sector"])
        for i, (k, _) in enumerate(HEADERS):
            v = r.get(k)
            if k == "rectification_deadline" and v is not None:
                v = datetime.date.fromisoformat(v)
            put(3 + i, v)
        rows.append('<row r="%d">%s</row>' % (rn, "".join(cells)))
    last = len(records) + 2
    tax_col = col_name(3 + [k for k, _ in HEADERS].index("tax"))
    rows.append('<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="%s%d"><f>SUM(%s3:%s%d)</f>'
                '<v>%s</v></c></row>' % (last + 1, last + 1, sst("合计"), tax_col, last + 1,
                                         tax_col, tax_col, last,
                                         sum(r["tax"] for r in records if r.get("tax") is not None)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook %s %s><workbookPr/><sheets><sheet name="企业" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>' % (ns, rel),
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet %s><fonts count="1"><font><sz val="11"/><name val="等线"/></font>'
            '</fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/>'
            '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" xfId="0"/>'
            '<xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>' % ns,
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet %s %s><sheetData>%s</sheetData><mergeCells count="1">'
            '<mergeCell ref="A1:H1"/></mergeCells></worksheet>' % (ns, rel, "".join(rows)),
        "xl/sharedStrings.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst %s count="%d" uniqueCount="%d">%s</sst>'
            % (ns, len(strings), len(strings),
               "".join("<si><t>%s</t></si>" % esc(s) for s in strings)),
    }
    path = os.path.join(HERE, "linan-enterprises.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def main():
    records = load()
    write_csv(records)
    write_xlsx(records)


if __name__ == "__main__":
    main()
