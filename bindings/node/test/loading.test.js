'use strict';
// Loading options: extends forbidden ({ allowExtends: false }) and parents
// supplied by a resolver. The rulebooks are tests/rules/extends/: the
// district (line 7: "extends: province.yaml") raises the province's
// min_mu_tax from 30 to 37 万元/亩.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { Rulebook, InvalidArgumentError, NotFoundError, ParseError } = require('..');
const { FIXTURES } = require('./support');

const DIR = path.join(FIXTURES, 'extends');
const DISTRICT = fs.readFileSync(path.join(DIR, 'district.yaml'), 'utf8');
const PROVINCE = fs.readFileSync(path.join(DIR, 'province.yaml'), 'utf8');
const D = '2022-06-30';

test('extends forbidden', () => {
  assert.throws(() => Rulebook.load(path.join(DIR, 'district.yaml'), { allowExtends: false }), (e) => {
    // the value of `extends` on line 7 starts after "extends: " (9 bytes)
    assert.ok(e instanceof InvalidArgumentError);
    assert.deepEqual([e.file, e.line, e.column], [path.join(DIR, 'district.yaml'), 7, 10]);
    assert.match(e.message, /forbidden/);
    return true;
  });
  assert.throws(() => Rulebook.fromString(DISTRICT, { allowExtends: false, resolver: () => PROVINCE }),
    InvalidArgumentError);
  // allowed by default; a rulebook without extends loads with it forbidden
  const d = Rulebook.load(path.join(DIR, 'district.yaml'));
  assert.equal(d.parameterValue('min_mu_tax', D), '37');
  d.close();
  const p = Rulebook.load(path.join(DIR, 'province.yaml'), { allowExtends: false });
  assert.equal(p.parameterValue('min_mu_tax', D), '30');
  p.close();
});

test('parents from a resolver', () => {
  const asked = [];
  const rb = Rulebook.fromString(DISTRICT, {
    name: 'district.yaml',
    resolver: (name) => { asked.push(name); return name === 'province.yaml' ? PROVINCE : null; },
  });
  assert.deepEqual(asked, ['province.yaml']);
  assert.equal(rb.parents[0].id, 'test.province');
  // 300 万元 on 10 亩 is 30 万元/亩: below the district's 37
  assert.equal(rb.evaluate({ tax: 300, land_area: 10 }, D).verdict('mu_tax'), 'fail');
  assert.equal(rb.evaluate({ tax: 370, land_area: 10 }, D).verdict('mu_tax'), 'pass');
  rb.close();
  const fromBytes = Rulebook.fromString(DISTRICT, { resolver: () => Buffer.from(PROVINCE) });
  assert.equal(fromBytes.parameterValue('min_mu_tax', D), '37');
  fromBytes.close();
});

test('resolver errors', () => {
  assert.throws(() => Rulebook.fromString(DISTRICT, { resolver: () => null }),
    (e) => e instanceof NotFoundError && e.line === 7 && e.column === 10);
  const broken = PROVINCE.replace('rules:\n', 'rules: [\n');
  assert.throws(() => Rulebook.fromString(DISTRICT, { resolver: () => broken }),
    (e) => e instanceof ParseError && e.file === 'province.yaml');
  class Gone extends Error {}
  assert.throws(() => Rulebook.fromString(DISTRICT, { resolver: (name) => { throw new Gone(name); } }),
    (e) => e instanceof Gone && e.message === 'province.yaml');
  assert.throws(() => Rulebook.fromString(DISTRICT, { resolver: () => 42 }), TypeError);
  assert.throws(() => Rulebook.fromString(DISTRICT, { resolver: 'province.yaml' }), TypeError);
});
