'use strict';
// Shared helpers of the binding's tests.
const fs = require('fs');
const path = require('path');

const SOURCE_ROOT = process.env.RULEBOOK_SOURCE_ROOT || path.resolve(__dirname, '..', '..', '..');
const RULES = path.join(SOURCE_ROOT, 'rules');
const FIXTURES = path.join(SOURCE_ROOT, 'tests', 'rules');
const DATA = path.join(SOURCE_ROOT, 'examples', 'data');

// The same rulebook as bindings/python/tests/support.py.
const BASIC = `rulebook: 1
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
`;

/* List inputs: numbers, enums and records (rulebook.test.js, packed.test.js). */
const LISTS = `rulebook: 1
id: test.lists
title: {zh: 列表}
subject: project
source: {issuer: 测试, document: 列表测试, issued: 2022-01-01}
units:
  - {id: m, base: true}
inputs:
  - {id: heights, type: list, of: number, unit: m}
  - {id: facilities, type: list, of: enum, values: [食堂, 宿舍]}
  - id: storeys
    type: list
    fields:
      - {id: height, type: number, unit: m}
      - {id: area, type: number, unit: m²}
  - {id: area, type: number, unit: m²}
indicators:
  - {id: tall, expr: 'count(h in heights where h > 8)'}
  - {id: floor_area, expr: 'sum(if s.height > 8 [m] then 2 * s.area else s.area for s in storeys)', unit: m²}
rules:
  - {id: T, cite: 一, require: 'tall <= 1'}
  - {id: C, cite: 二, require: 'any(f in facilities where f == "食堂")'}
  - {id: F, cite: 三, require: 'floor_area <= area'}
`;

// A scorecard whose class is "error" from 2023 (see the file).
const CLASS_ERROR = fs.readFileSync(
  path.join(SOURCE_ROOT, 'tests', 'api', 'fixtures', 'class-error.yaml'), 'utf8');

module.exports = { SOURCE_ROOT, RULES, FIXTURES, DATA, BASIC, LISTS, CLASS_ERROR };
