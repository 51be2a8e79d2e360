'use strict';
// Populations as bytes and back, merged, and their scores as decimal128.
// Figures are worked out by hand from tests/rules/declarations.yaml:
// mu_tax = tax / land_area, score = mu_tax / 40 × 100, class A from 90,
// P1.total_tax the sum of tax.
const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('os');
const path = require('path');

const { Rulebook, NumberRangeError, InvalidArgumentError, RulebookError } = require('..');
const { FIXTURES } = require('./support');

const AS_OF = '2023-06-30';
// a: 370 / 10 = 37 -> 92.5 points, A; b: 125 / 10 = 12.5 -> 31.25, B; c: no tax, no score
const RECORDS = [{ _id: 'a', tax: 370, land_area: 10 }, { _id: 'b', tax: 125, land_area: 10 },
  { _id: 'c', land_area: 10 }];
const rb = Rulebook.load(path.join(FIXTURES, 'declarations.yaml'));

// The unscaled value of record i: a 128-bit integer in the machine's byte order.
function unscaled(values, i) {
  const v = new DataView(values.buffer, values.byteOffset + 16 * i, 16);
  const le = os.endianness() === 'LE';
  const lo = v.getBigUint64(le ? 0 : 8, le);
  const hi = v.getBigInt64(le ? 8 : 0, le);
  return (hi << 64n) + lo;
}

test('scores as decimal128 at a scale', () => {
  const pop = rb.population(RECORDS, AS_OF);
  const s = pop.scoresDecimal128('mujun', 2);
  assert.equal(s.scale, 2);
  assert.equal(s.values.length, 48);
  assert.deepEqual([...s.valid], [1, 1, 0]);
  // 92.5 at scale 2 is 9250, 31.25 is 3125; c has none (value 0)
  assert.deepEqual([0, 1, 2].map((i) => unscaled(s.values, i)), [9250n, 3125n, 0n]);
  assert.equal(unscaled(pop.scoresDecimal128(undefined, 4).values, 1), 312500n);
  // 31.25 cannot be held at one decimal place: the record and scorecard are named
  assert.throws(() => pop.scoresDecimal128('mujun', 1), (e) => e instanceof NumberRangeError &&
    /record 1/.test(e.message) && /mujun/.test(e.message));
  assert.throws(() => pop.scoresDecimal128('mujun', 39), InvalidArgumentError);
  assert.throws(() => pop.scoresDecimal128('mujun', 1.5), RangeError);
  pop.close();
  const empty = rb.population([], AS_OF);
  assert.equal(empty.scoresDecimal128('mujun').values.length, 0);
  empty.close();
});

test('a population as bytes and back', () => {
  const pop = rb.population(RECORDS, '2023-05-01');
  const bytes = pop.toBuffer();
  assert.ok(Buffer.isBuffer(bytes) && bytes.length > 0);
  const back = rb.loadPopulation(bytes);
  assert.equal(back.asOf, '2023-05-01'); // read from the bytes
  assert.deepEqual(back.recordIds, ['a', 'b', 'c']);
  assert.deepEqual(back.classes('mujun'), ['A', 'B', null]);
  assert.throws(() => rb.loadPopulation(Buffer.from('not a population')), RulebookError);
  assert.throws(() => rb.loadPopulation('text'), TypeError);
  // deferred: the same scores and classes once loaded
  const deferred = rb.loadPopulation(pop.toBuffer({ deferred: true }));
  assert.deepEqual(deferred.classes('mujun'), back.classes('mujun'));
  assert.deepEqual(deferred.scoreValues('mujun'), back.scoreValues('mujun'));
  assert.deepEqual(deferred.scoresDecimal128('mujun', 4), back.scoresDecimal128('mujun', 4));
  assert.equal(JSON.stringify(deferred.toJSON()), JSON.stringify(back.toJSON()));
  deferred.close();
  back.close();
  pop.close();
});

test('merging populations evaluated separately', () => {
  const one = rb.population(RECORDS.slice(0, 1), AS_OF);
  const two = rb.population(RECORDS.slice(1, 2), AS_OF);
  one.merge(two);
  // 370 + 125 = 495 万元 over both
  assert.equal(one.size, 2);
  assert.deepEqual(one.recordIds, ['a', 'b']);
  assert.equal(one.aggregates['P1.total_tax'].value, '495');
  assert.equal(two.size, 1); // left unchanged
  one.merge(one);            // with itself: every record twice
  assert.equal(one.aggregates['P1.total_tax'].value, '990');
  const other = rb.population([], '2022-06-30');
  assert.throws(() => one.merge(other), RulebookError); // another as-of date
  assert.throws(() => one.merge({}), TypeError);
  for (const p of [one, two, other]) p.close();
});
