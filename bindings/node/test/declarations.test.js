'use strict';
// What a rulebook declares besides ids: documents, titles, labels, aliases,
// id columns, list inputs' fields and items. Every expected value is read
// off tests/rules/declarations.yaml (line numbers are that file's).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { Rulebook, ITEM_KINDS, ClosedError, InvalidArgumentError, NotFoundError } = require('..');
const { FIXTURES } = require('./support');

const FILE = path.join(FIXTURES, 'declarations.yaml');
const rb = Rulebook.load(FILE);

test('documents: source first (id ""), then sources', () => {
  assert.deepEqual(rb.documents, [
    { index: 0, id: '', issuer: '测试区人民政府', title: '测试区亩均论英雄实施方案', number: null, issued: '2022-05-19' },
    { index: 1, id: 'std2008', issuer: '国土资源部', title: '工业项目建设用地控制指标',
      number: '国土资发〔2008〕24号', issued: '2008-01-31' },
  ]);
  // a plain clause (二) cites the file's source; {document: std2008} the other
  assert.equal(rb.ruleDocument('T1.mu_tax').id, '');
  assert.equal(rb.ruleDocument('R.height').number, '国土资发〔2008〕24号');
  assert.equal(rb.ruleDocument(2).id, 'std2008');
  assert.throws(() => rb.ruleDocument('T9'), NotFoundError);
});

test('titles in both languages, falling back to the other', () => {
  assert.equal(rb.ruleTitle('T1.mu_tax'), '亩均税收');
  assert.equal(rb.ruleTitle('T1.mu_tax', 'en'), 'tax per mu');
  assert.equal(rb.ruleTitle('R.height', 'en'), '层高'); // only zh given
  assert.equal(rb.ruleTitle('R.warehouse'), null);
  assert.equal(rb.targetTitle('K1.tax'), '税收目标');
  assert.equal(rb.targetTitle('K1.tax', 'en'), 'tax goal');
  assert.equal(rb.scorecardTitle('mujun'), '亩均效益综合评价');
  assert.equal(rb.scorecardTitle('mujun', 'en'), 'per-mu performance');
  assert.equal(rb.aggregateTitle('P1.total_tax'), '税收合计');
  assert.equal(rb.aggregateTitle('P1.total_tax', 'en'), 'total tax');
  assert.throws(() => rb.ruleTitle('T1.mu_tax', 'fr'), InvalidArgumentError);
  assert.throws(() => rb.targetTitle('K9'), NotFoundError);
  assert.throws(() => rb.scorecardTitle(1), RangeError);
});

test('scorecard cite, aggregate unit and responsible units', () => {
  assert.equal(rb.scorecardCite('mujun'), '四（四）');
  assert.equal(rb.aggregateUnit('P1.total_tax'), '万元');
  assert.deepEqual(rb.aggregateResponsible('P1.total_tax'), ['区财政局', '区税务局']);
});

test('labels, aliases and id columns', () => {
  assert.equal(rb.inputLabel('tax'), '实缴税收');
  assert.equal(rb.inputLabel('tax', 'en'), 'tax paid');
  assert.equal(rb.inputLabel('land_area', 'en'), '用地面积');
  assert.equal(rb.inputLabel('storeys'), null);
  assert.deepEqual(rb.inputAliases('tax'), ['税收', '实缴税收（万元）']);
  assert.deepEqual(rb.inputAliases('land_area'), []);
  assert.deepEqual(rb.idColumns, ['统一社会信用代码', '企业名称']);
  assert.throws(() => rb.inputAliases('taxes'), NotFoundError);
});

test('list inputs: element type and fields', () => {
  assert.equal(rb.inputElementType('storey_heights'), 'number');
  assert.equal(rb.inputElementType('storeys'), 'record');
  assert.equal(rb.inputElementType('tax'), null);
  assert.deepEqual(rb.inputFields('storeys'), [
    { name: 'height', type: 'number', unit: 'm' }, { name: 'use', type: 'enum', unit: '' }]);
  assert.deepEqual(rb.inputFields('storey_heights'), []);
});

test('items: positions, uses, definitions, documents', () => {
  assert.deepEqual(ITEM_KINDS, ['rule', 'target', 'scorecard', 'aggregate', 'indicator']);
  const rules = rb.items('rule');
  assert.deepEqual(rules.map((r) => r.id), ['T1.mu_tax', 'R.height', 'R.warehouse']);
  // line 37 is "  - id: T1.mu_tax": the id starts after 8 bytes
  assert.deepEqual(rules[0].location, { file: FILE, line: 37, column: 9 });
  // the indicator's inputs, the indicator, then the parameter, at first use
  assert.deepEqual(rules[0].uses, ['tax', 'land_area', 'mu_tax', 'min_mu_tax']);
  assert.equal(rules[0].definition, 'cite: 二\nid: T1.mu_tax\nrequire: mu_tax >= min_mu_tax\n' +
    'title.en: tax per mu\ntitle.zh: 亩均税收\n');
  assert.equal(rules[0].document, 0);
  assert.equal(rules[1].document, 1);
  const ind = rb.item('indicator', 'mu_tax');
  // line 35 is "  - {id: mu_tax, ...": the id starts after 9 bytes
  assert.deepEqual([ind.location.line, ind.location.column, ind.uses, ind.document], [35, 10, [], null]);
  assert.equal(rb.item('target', 'K1.tax').location.line, 49);
  assert.equal(rb.item('scorecard', 0).location.line, 57);
  const agg = rb.item('aggregate', 'P1.total_tax');
  assert.deepEqual([agg.location.line, agg.uses], [66, ['tax']]);
  assert.ok(agg.definition.includes('responsible[1]: 区税务局\n'));
  assert.throws(() => rb.item('rule', 'mu_tax'), NotFoundError);
  assert.throws(() => rb.item('target', 1), RangeError);
  assert.throws(() => rb.items('parameter'), InvalidArgumentError);
});

test('a definition does not depend on layout, key order or comments', () => {
  const src = fs.readFileSync(FILE, 'utf8').replace(
    '  - id: T1.mu_tax\n    title: {zh: 亩均税收, en: tax per mu}\n    cite: 二\n    require: mu_tax >= min_mu_tax\n',
    '  - {require: mu_tax >= min_mu_tax, cite: 二,   # flow style\n     title: {en: tax per mu, zh: 亩均税收}, id: T1.mu_tax}\n');
  const other = Rulebook.fromString(src);
  try {
    assert.equal(other.item('rule', 'T1.mu_tax').definition, rb.item('rule', 'T1.mu_tax').definition);
  } finally {
    other.close();
  }
});

test('a closed rulebook refuses', () => {
  const c = Rulebook.load(FILE);
  c.close();
  assert.throws(() => c.documents, ClosedError);
});
