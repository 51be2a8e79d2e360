'use strict';
// List facts through the list setters (rulebook_facts_set_list_double_at
// for arrays of numbers, rulebook_facts_set_list_text_at otherwise and for
// lists of records). The rulebook is tests/rules/declarations.yaml:
// R.height requires every storey height <= 8 m (tall_storey), R.warehouse
// no warehouse (仓储) storey taller than 8 m.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const rulebook = require('..');
const { Rulebook, FactError } = rulebook;
const { FIXTURES } = require('./support');

const D = '2023-06-30';
const rb = Rulebook.load(path.join(FIXTURES, 'declarations.yaml'));
const verdict = (rule, facts) => rb.evaluate(facts, D).verdict(rule);

// The list setters one evaluate calls.
function calls(facts) {
  const { C } = rulebook._internal;
  const names = ['rulebook_facts_set_list_double_at', 'rulebook_facts_set_list_text_at'];
  const saved = names.map((n) => C[n]);
  const seen = [];
  try {
    names.forEach((n, k) => { C[n] = (...a) => { seen.push(n); return saved[k](...a); }; });
    rb.evaluate(facts, D);
  } finally {
    names.forEach((n, k) => { C[n] = saved[k]; });
  }
  return seen;
}

test('a list changes the verdict', () => {
  // 3.5 and 4 m are both <= 8 m; 9 m is not
  assert.equal(verdict('R.height', { storey_heights: [3.5, 4] }), 'pass');
  assert.equal(verdict('R.height', { storey_heights: [3.5, 9] }), 'fail');
  // exactly 8 m is allowed (<=); 8.01 is not
  assert.equal(verdict('R.height', { storey_heights: ['8'] }), 'pass');
  assert.equal(verdict('R.height', { storey_heights: [3n, '8.01'] }), 'fail');
  // texts with a unit, converted into the input's unit (m)
  assert.equal(verdict('R.height', { storey_heights: ['3.5 m', '9 m'] }), 'fail');
  // no storey at all: every one of none is low enough
  assert.equal(verdict('R.height', { storey_heights: [] }), 'pass');
  // a missing element leaves the verdict unknown
  assert.equal(verdict('R.height', { storey_heights: [3.5, null] }), 'unknown');
  assert.equal(rb.evaluate({ storey_heights: [3.5, 9] }, D).value('storey_heights'), '[3.5, 9]');
});

test('which setter', () => {
  assert.deepEqual(calls({ storey_heights: [3.5, 9] }), ['rulebook_facts_set_list_double_at']);
  assert.deepEqual(calls({ storey_heights: [3.5, '9'] }), ['rulebook_facts_set_list_text_at']);
  assert.deepEqual(calls({ storeys: [{ height: 9, use: '仓储' }] }), ['rulebook_facts_set_list_text_at']);
});

test('lists of records', () => {
  // a 9 m warehouse storey fails; 9 m production or an 8 m warehouse passes
  assert.equal(verdict('R.warehouse', { storeys: [{ height: 9, use: '仓储' }] }), 'fail');
  assert.equal(verdict('R.warehouse', { storeys: [{ height: 9, use: '生产' }] }), 'pass');
  assert.equal(verdict('R.warehouse', { storeys: [{ use: '仓储', height: '8' }, { height: 12.5, use: '生产' }] }), 'pass');
  // the height of the warehouse storey missing: unknown
  assert.equal(verdict('R.warehouse', { storeys: [{ use: '仓储' }] }), 'unknown');
});

test('errors name the element', () => {
  const cases = [
    [{ storey_heights: [1, 'x'] }, "element 2 of list 'storey_heights'"],
    [{ storey_heights: [1, NaN] }, "element 2 of list 'storey_heights'"],
    [{ storey_heights: [{ height: 1 }] }, "element 1 of list 'storey_heights'"],
    [{ storey_heights: ['a\0b'] }, "element 1 of list 'storey_heights': the text holds a NUL character"],
    [{ storeys: [{ height: 9, floor: 1 }] }, "element 1 of list 'storeys': no field 'floor' (fields: height, use)"],
    [{ storeys: [{ height: 9 }, { height: 1, use: '办公' }] }, "element 2 of list 'storeys'"],
    [{ storeys: [3] }, "element 1 of list 'storeys': a record is an object of its fields"],
  ];
  for (const [facts, message] of cases) {
    assert.throws(() => rb.evaluate(facts, D), (e) => e instanceof FactError && e.message.includes(message),
      JSON.stringify(facts));
  }
  // nothing half set: the facts object is reused by the next evaluate
  assert.equal(verdict('R.height', { storey_heights: [3.5] }), 'pass');
});
