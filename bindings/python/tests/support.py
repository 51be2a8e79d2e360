"""Shared helpers of the binding's tests (standard library only)."""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
# Import the package from this tree, not from an installed copy.
if str(PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(PACKAGE_ROOT))

SOURCE_ROOT = Path(os.environ.get("RULEBOOK_SOURCE_ROOT") or PACKAGE_ROOT.parent.parent)
RULES = SOURCE_ROOT / "rules"
FIXTURES = SOURCE_ROOT / "tests" / "rules"
DATA = SOURCE_ROOT / "examples" / "data"

BASIC = """\
rulebook: 1
id: test.binding
title: {zh: 绑定测试, en: binding test}
subject: enterprise
source: {issuer: 测试, document: 绑定测试, issued: 2022-01-01}
in_force: {from: 2022-01-01, until: 2023-12-31}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
  - {id: employees, type: integer, unit: 人}
  - {id: key_project, type: boolean}
  - {id: sector, type: enum, values: [纺织, 化工]}
  - {id: name, type: text}
  - {id: deadline, type: date}
  - {id: converted, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}
  - id: ratio
    cite: 四（二）
    provenance: cited
    values:
      - {from: 2022-01-01, value: 1.2}
      - {from: 2023-01-01, value: 1.5}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
  - {id: late, expr: deadline < as_of}
rules:
  - id: T1
    title: {zh: 亩均税收, en: tax per mu}
    cite: 二
    severity: major
    responsible: [区经信局, 区税务局]
    require: mu_tax >= min_mu_tax
    unless:
      - {id: key, when: "coalesce(key_project, false)", cite: 三（一）4}
    message: {zh: "亩均税收 {mu_tax}，目标 {min_mu_tax}", en: "tax per mu {mu_tax}, target {min_mu_tax}"}
  - id: P3
    cite: 四（二）
    when: converted > 0
    obligations:
      - {id: compensating_land, value: converted * ratio, unit: 亩}
  - id: D1
    cite: 三
    when: sector == "化工"
    require: not late
  - id: E1
    cite: 五
    severity: minor
    require: employees >= 10
tests:
  - name: at the threshold
    as_of: 2023-06-30
    facts: {tax: 1158.1, land_area: 31.3}
    expect: {verdicts: {T1: pass}, values: {mu_tax: 37}}
"""

# A scorecard whose class is "error" from 2023 (see the file).
CLASS_ERROR = (SOURCE_ROOT / "tests" / "api" / "fixtures" / "class-error.yaml").read_text(
    encoding="utf-8")
