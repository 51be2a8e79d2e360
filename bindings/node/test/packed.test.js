'use strict';
// Rulebook#evaluate through rulebook_eval_packed: one crossing of the C
// boundary per record. The reference is the typed-setter path (one call
// per fact), which the binding uses with a library that lacks the packed
// calls: both must give the same verdicts, classes, scores, values and
// errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const { BASIC, SOURCE_ROOT } = require('./support');
const rulebook = require('..');

const { Rulebook, FactError, NotFoundError, ClosedError } = rulebook;
const { C } = rulebook._internal;
const W = require(path.join(SOURCE_ROOT, 'bindings', 'bench', 'workload.js'));

const D = '2023-06-30';

/* A rulebook loaded as with a library without rulebook_eval_packed. */
function setterPath(load) {
  const saved = C.rulebook_eval_packed;
  C.rulebook_eval_packed = null;
  try {
    return load();
  } finally {
    C.rulebook_eval_packed = saved;
  }
}

/* Counts the calls into the library made by fn, by name. */
function counted(fn) {
  const calls = {};
  const saved = { ...C };
  for (const k of Object.keys(C)) {
    if (typeof C[k] !== 'function') continue;
    C[k] = (...a) => {
      calls[k] = (calls[k] || 0) + 1;
      return saved[k](...a);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(C, saved);
  }
  return calls;
}

function same(a, b, what) {
  assert.deepEqual(a.verdicts, b.verdicts, what);
  assert.deepEqual(a.counts, b.counts, what);
  assert.equal(a.recordId, b.recordId, what);
  for (const sc of a.rulebook.scorecards) {
    assert.equal(a.classOf(sc.id), b.classOf(sc.id), what);
    assert.equal(a.score(sc.id), b.score(sc.id), what);
    assert.equal(a.scorecards[sc.id].score, b.scorecards[sc.id].score, what);
    assert.equal(a.scorecards[sc.id].veto, b.scorecards[sc.id].veto, what);
  }
}

test('generated enterprise-years: the same as the typed setters', () => {
  const file = path.join(SOURCE_ROOT, W.RULEBOOK);
  const rb = Rulebook.load(file);
  const ref = setterPath(() => Rulebook.load(file));
  assert.ok(rb._pk !== null && ref._pk === null);
  const records = W.generate(2000, 7);
  records.forEach((r, i) => {
    // exact decimal text, units, bigints and ids beside the doubles
    if (i % 5 === 1 && r.tax !== null) r.tax = String(r.tax);
    if (i % 7 === 2 && r.land_area !== null) r.land_area = `${r.land_area * 10000 / 15} m²`;
    if (i % 11 === 3 && r.employees !== null) r.employees = BigInt(Math.round(r.employees));
    if (i % 3 === 0) r._id = `E${i}`;
    if (i % 13 === 4) delete r.town;
  });
  let exact = 0;
  for (const [i, rec] of records.entries()) {
    const a = rb.evaluate(rec, W.AS_OF);
    const b = ref.evaluate(rec, W.AS_OF);
    same(a, b, `record ${i}`);
    if (i % 50 === 0) {
      assert.equal(a.json(), b.json(), `record ${i}`);
      assert.equal(a.value('tax'), b.value('tax'));
    }
    if (a.verdicts['R1.mu_tax'] === 'pass' && rec.tax !== null) exact++;
    a.close();
    b.close();
  }
  assert.ok(exact > 100);
  rb.close();
  ref.close();
});

test('every kind of value, and results read after later records', () => {
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const records = [
    { tax: '1158.1', land_area: 31.3, employees: 12, key_project: true, sector: '纺织',
      name: '青山😀五金', deadline: new Date('2023-05-01'), _id: 'E1' },
    { tax: 1158.1, land_area: '20866.6666666666667 m²', employees: 12n, key_project: 'false',
      sector: '化工', deadline: '2023-07-01', converted: null, _id: 7 },
    { tax: { toFixed() {}, toString() { return '0.1'; } }, land_area: undefined, _comment: 'x' },
    new Map([['tax', 370], ['land_area', 10]]),
    {},
  ];
  const a = records.map((r) => rb.evaluate(r, D));
  const b = records.map((r) => ref.evaluate(r, D));
  // read only now: every packed result but the last evaluates again
  a.forEach((x, i) => {
    same(x, b[i], `record ${i}`);
    assert.equal(x.explain('en'), b[i].explain('en'));
    assert.deepEqual(x.toObject(), b[i].toObject());
    for (const n of ['tax', 'land_area', 'employees', 'key_project', 'sector', 'name', 'deadline']) {
      assert.equal(x.value(n), b[i].value(n), `${n} of record ${i}`);
    }
  });
  assert.equal(a[0].value('name'), '青山😀五金');
  assert.equal(a[1].recordId, '7');
  assert.equal(a[3].verdicts.T1, 'pass');
  rb.close();
  ref.close();
});

test('one crossing per record; scores and explanations only when read', () => {
  const rb = Rulebook.load(path.join(SOURCE_ROOT, W.RULEBOOK));
  const [rec] = W.generate(1, 3);
  rb.evaluate(rec, W.AS_OF); // the first call also makes the C facts and result
  let r;
  assert.deepEqual(counted(() => { r = rb.evaluate(rec, W.AS_OF); }), { rulebook_eval_packed: 1 });
  assert.deepEqual(counted(() => { void r.verdicts; r.classOf('mujun'); }), {});
  assert.deepEqual(counted(() => r.score('mujun')), { rulebook_result_score: 1 });
  rb.close();
});

test('the same errors as the typed setters', () => {
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const bad = [
    [{ tax: 1, nope: 2 }, NotFoundError],
    [{ 'tax\0x': 1 }, NotFoundError],
    [{ tax: NaN }, FactError],
    [{ tax: Infinity }, FactError],
    [{ tax: '12,5' }, FactError],
    [{ tax: true }, FactError],
    [{ key_project: 1 }, FactError],
    [{ key_project: 'maybe' }, FactError],
    [{ employees: 2.5 }, FactError],
    [{ sector: '农业' }, FactError],
    [{ name: 'a\0b' }, FactError],
    [{ name: 12n }, FactError],
    [{ deadline: new Date('x') }, FactError],
    [{ tax: [1] }, FactError],
  ];
  for (const [rec, cls] of bad) {
    const got = (x) => {
      try {
        x.evaluate(rec, D);
      } catch (e) {
        return e;
      }
      return null;
    };
    const e = got(rb);
    const f = got(ref);
    assert.ok(e instanceof cls, `${JSON.stringify(Object.keys(rec))}: ${e}`);
    assert.equal(e.constructor, f.constructor);
    assert.equal(e.message, f.message);
    assert.equal(e.subject, f.subject);
  }
  // a refused record leaves nothing behind for the next one
  assert.equal(rb.evaluate({ tax: 370, land_area: 10 }, D).verdicts.T1, 'pass');
  assert.equal(rb.evaluate({ land_area: 10 }, D).verdicts.T1, 'unknown');
  rb.close();
  ref.close();
});

test('lifetimes of packed results', () => {
  const rb = Rulebook.fromString(BASIC);
  const r = rb.evaluate({ tax: 370, land_area: 10 }, D);
  const s = rb.evaluate({ tax: 1, land_area: 10 }, D);
  rb.close();
  assert.equal(r.verdicts.T1, 'pass');
  assert.match(r.explain(), /T1/); // evaluated again: the rulebook is kept alive
  assert.equal(s.value('tax'), '1');
  r.close();
  assert.throws(() => r.verdicts, ClosedError);
  assert.throws(() => r.counts, ClosedError);
  assert.throws(() => r.explain(), ClosedError);
  assert.throws(() => rb.evaluate({}, D), ClosedError);
  s.close();
});
