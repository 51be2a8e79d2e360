'use strict';
// The wrappers of the decimal functions, the test cases as data, rule
// locations, comparisons, the values a rule used and the exact-only switch.
// Expected figures are worked out by hand beside them.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const rulebook = require('..');
const {
  Rulebook, FactError, NumberRangeError, InvalidArgumentError, NotFoundError,
  decimalParse, decimalCompare, decimalCalc, decimalFormat,
} = rulebook;

const D = '2023-06-30';
// Lines: the header 1-5, inputs 6-8, parameters 9-10, indicators 11-12,
// rules 13-15, tests 16-.
const BOOK = `rulebook: 1
id: t.details
title: {zh: 细节, en: details}
subject: enterprise
source: {issuer: 测试, document: 测试, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: T1, cite: 二, require: mu_tax >= min_mu_tax}
  - {id: T2, cite: 二, require: 'land_area > 10 and tax >= 500 [万元]'}
tests:
  - name: 'at "37"'
    as_of: 2023-06-30
    facts: {_id: 'q"x', tax: 1158.1, land_area: 31.3 亩}
    expect: {verdicts: {T1: pass}, values: {mu_tax: {value: 37.0, places: 1}}}
  - name: wrong
    as_of: 2023-06-30
    facts: {tax: 100, land_area: null}
    expect: {verdicts: {T2:  pass}}
`;
const book = () => Rulebook.fromString(BOOK, { name: 't.yaml' });

test('decimal text', () => {
  assert.equal(decimalParse('37.00'), '37');
  assert.equal(decimalParse('2.3%'), '0.023');
  assert.equal(decimalParse(12n), '12');
  assert.throws(() => decimalParse('12a4'), (e) => e instanceof FactError && e.diagnostics[0].column === 3);
  assert.throws(() => decimalParse('1234567890123456789'), NumberRangeError); // 19 digits
  assert.throws(() => decimalParse(1.5), TypeError); // a binary double is not exact
  assert.equal(decimalCompare('1.20', '1.2'), 0);
  assert.equal(decimalCompare('36.99', '37'), -1);
  assert.equal(decimalCalc('0.1', '+', '0.2'), '0.3');
  assert.equal(decimalCalc('37', '*', '31.3'), '1158.1');
  assert.equal(decimalCalc('1', '/', '3'), '0.333333333333333333');
  assert.throws(() => decimalCalc('1', '/', '0'), FactError);
  assert.throws(() => decimalCalc('1', '%', '2'), InvalidArgumentError);
  assert.equal(decimalFormat('1158.149', { places: 2 }), '1158.15');
  assert.equal(decimalFormat('2.5', { places: 0, rounding: 'half_even' }), '2');
  assert.equal(decimalFormat('1234567.5', { places: 0, thousands: true }), '1,234,568');
  assert.equal(decimalFormat('37', { places: 2, fixed: true }), '37.00');
  assert.equal(decimalFormat('4.2', { sign: true }), '+4.2');
  assert.throws(() => decimalFormat('1', { places: 2, rounding: 'up' }), InvalidArgumentError);
  assert.throws(() => decimalFormat('1', { fixed: true }), InvalidArgumentError);
});

test('test cases as data', () => {
  const rb = book();
  const cases = rb.testCases();
  assert.equal(cases.length, 2);
  const c = cases[0];
  assert.equal(c.name, 'at "37"');
  assert.equal(c.asOf, D);
  assert.deepEqual([c.line, c.column], [17, 11]);
  assert.equal(c.population, false);
  assert.deepEqual(c.facts.map((f) => [f.name, f.value]),
    [['_id', 'q"x'], ['tax', '1158.1'], ['land_area', '31.3 亩']]);
  // "    facts: {_id: 'q\"x', tax: 1158.1, ...": tax at byte 25
  assert.deepEqual([c.facts[1].line, c.facts[1].column], [19, 25]);
  assert.deepEqual(c.expectations.map((e) => [e.kind, e.name, e.value, e.places]),
    [['verdict', 'T1', 'pass', null], ['value', 'mu_tax', '37.0', 1]]);
  assert.equal(cases[1].facts[1].value, null);
  // 1158.1 / 31.3 = 37: the first case passes; T2 of the second fails
  // (tax 100 < 500) where it expects pass
  const rep = rb.runTests();
  assert.deepEqual([rep.passed, rep.failed], [2, 1]);
  // line 24 "    expect: {verdicts: {T2:  pass}}": pass at byte 30
  assert.deepEqual([rep.failures[0].line, rep.failures[0].column], [24, 30]);
  rb.close();
});

test('rule locations', () => {
  const rb = book();
  assert.deepEqual({ ...rb.ruleLocation('T2') }, { file: 't.yaml', line: 15, column: 10 });
  assert.equal(rb.ruleLocation(0).line, 14);
  assert.equal(rb.comparisonCount('T1'), 1);
  assert.equal(rb.comparisonCount('T2'), 2);
  assert.throws(() => rb.ruleLocation('T9'), NotFoundError);
  rb.close();
});

test('comparisons and the values used', () => {
  const rb = book();
  let res = rb.evaluate({ tax: '1147', land_area: '31' }, D);
  // 1147 / 31 = 37 exactly
  const [c] = res.comparisons('T1');
  assert.deepEqual([c.gap, c.value, c.threshold, c.unit], ['0', '37', '37', '万元/亩']);
  assert.deepEqual([c.operator, c.name, c.thresholdName, c.holds, c.text],
    ['>=', 'mu_tax', 'min_mu_tax', true, null]);
  const [a, b] = res.comparisons('T2');
  assert.equal(a.gap, '-21'); // 10 - 31
  assert.equal(a.strict, true);
  assert.equal(b.name, 'tax');
  const used = Object.fromEntries(res.valuesUsed('T1').map((u) => [u.name, u]));
  assert.deepEqual(Object.keys(used).sort(), ['land_area', 'min_mu_tax', 'mu_tax', 'tax']);
  assert.deepEqual([used.mu_tax.kind, used.mu_tax.value, used.tax.unit], ['indicator', '37', '万元']);
  res.close();
  res = rb.evaluate({ tax: '1100', land_area: '31' }, D);
  const [f] = res.comparisons('T1');
  assert.equal(f.holds, false);
  assert.equal(f.gap, '1.5161290322580645'); // 37 - 35.4838709677419355
  assert.equal(f.text, '+1.5161 万元/亩');
  res.close();
  rb.close();
});

test('exact only', () => {
  const rb = book();
  let res = rb.evaluate({ tax: '1158.1', land_area: '31.3' }, D);
  assert.equal(res.decidedExactly, true); // exactly at the threshold
  assert.equal(res.verdicts.T1, 'pass');
  res.close();
  res = rb.evaluate({ tax: '5000', land_area: '10' }, D, { exactOnly: true });
  assert.equal(res.decidedExactly, true);
  assert.equal(res.verdicts.T1, 'pass');
  res.close();
  rb.close();
});

const TARGETS = `rulebook: 1
id: t.targets
title: {zh: 目标, en: targets}
subject: district
source: {issuer: 测试, document: 测试, issued: 2022-01-01}
inputs:
  - {id: a, type: number, unit: 亩}
  - {id: b, type: number, unit: 亩}
  - {id: x, type: number, unit: 亩}
parameters:
  - {id: goal, unit: 亩, cite: 二, provenance: cited, values: [{from: 2023-01-01, value: 100}]}
  - {id: cap, cite: 二, provenance: illustrative, note: 示例, value: 5}
indicators:
  - {id: total, expr: a + b, unit: 亩}
rules:
  - {id: R1, cite: 二, require: 'a / x <= cap'}
  - {id: R2, cite: 二, require: 'a >= 50 and b >= 50'}
targets:
  - {id: T, cite: 四, measure: total, target: goal, unit: 亩, period: yearly}
`;

test('gap parts, errors, illustrative verdicts, what is missing', () => {
  const rb = Rulebook.fromString(TARGETS, { name: 't.yaml' });
  assert.deepEqual(rb.parents, []);
  assert.equal(rb.fileHash, rb.hash); // nothing extended
  let res = rb.evaluate({ a: '30', b: '10', x: '0' }, D);
  assert.equal(res.verdicts.R1, 'error'); // a / 0
  assert.equal(res.error('R1'), 'division by zero');
  assert.equal(res.error('R2'), null);
  // both parts of the 'and' fail: 50 - 30 = 20, 50 - 10 = 40
  assert.deepEqual(res.gapParts('R2').map((g) => [g.name, g.gap, g.holds]),
    [['a', '20', false], ['b', '40', false]]);
  assert.deepEqual(res.targetMissing('T'), []);
  res.close();
  res = rb.evaluate({ a: '30', x: '10' }, D);
  assert.equal(res.verdicts.R1, 'pass'); // 30 / 10 = 3 <= 5, illustrative
  assert.equal(res.illustrative('R1'), true);
  assert.equal(res.illustrative('R2'), false);
  assert.deepEqual(res.gapParts('R1'), []);
  assert.deepEqual(res.targetMissing('T'), ['b']); // total = a + b
  assert.throws(() => res.targetMissing('T9'), NotFoundError);
  res.close();
  rb.close();
  const mujun = Rulebook.load(path.join(__dirname, '..', '..', '..', 'tests', 'api', 'fixtures', 'mujun.yaml'));
  // no land_area: the scope is unknown, and so are the tax component's points
  res = mujun.evaluate({ tax: '60', va_per_tce: '2.5', rd_share: '0.01', accident: false }, D);
  assert.equal(res.classOf('mujun'), null);
  assert.deepEqual(res.classMissing('mujun').map((m) => [m.name, m.part]),
    [['land_area', 'scope'], ['land_area', 'component:tax']]);
  assert.equal(res.classError('mujun'), null);
  res.close();
  mujun.close();
});

test('per-record vetoes and consequences, undecided aggregates', () => {
  const mujun = Rulebook.load(path.join(__dirname, '..', '..', '..', 'tests', 'api', 'fixtures', 'mujun.yaml'));
  const pop = mujun.population([
    // 50 + 30 + 20 = 100 >= 85: A
    { _id: 'A', tax: '200', land_area: '10', va_per_tce: '5', rd_share: '0.02', accident: false },
    // an accident: the veto forces D; three years of D add the repeat surcharge
    { _id: 'V', tax: '200', land_area: '10', va_per_tce: '5', rd_share: '0.02', accident: true, d_years: 3 },
    // 50 + 15 + 10 = 75: B
    { _id: 'B', tax: '200', land_area: '10', va_per_tce: '2.5', rd_share: '0.01', accident: false },
  ], D);
  assert.deepEqual([0, 1, 2].map((i) => pop.classOf(i, 'mujun')), ['A', 'D', 'B']);
  assert.equal(pop.veto(0, 'mujun'), null);
  assert.equal(pop.veto(1, 'mujun'), 'safety');
  assert.deepEqual(pop.consequences(0, 'mujun').map((c) => [c.id, c.value, c.unit]), [['reward', '10', '万元']]);
  assert.deepEqual(pop.consequences(1, 'mujun').map((c) => [c.id, c.value, c.unit]),
    [['surcharge', '0.3', '元/kWh'], ['surcharge_repeat', '0.5', '元/kWh']]);
  assert.deepEqual(pop.consequences(2, 'mujun'), []);
  pop.close();
  mujun.close();
  const rb = Rulebook.fromString(TARGETS + `aggregates:
  - {id: S, cite: 一, measure: sum, value: a, unit: 亩, require: 'value >= 100 [亩]'}
`, { name: 't.yaml' });
  const p2 = rb.population([{ a: '30', x: '1' }, { b: '1', x: '1' }], D);
  // the second record has no a: the sum is unknown because of it
  assert.deepEqual({ ...p2.aggregateUndecided('S') }, { records: [1], missing: ['a'] });
  assert.throws(() => p2.aggregateUndecided('S9'), NotFoundError);
  p2.close();
  rb.close();
});
