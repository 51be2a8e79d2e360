'use strict';
// Rulebook#evaluate through rulebook_eval_packed: one crossing of the C
// boundary per record. The reference is the typed-setter path (one call
// per fact), which the binding uses with a library that lacks the packed
// calls: both must give the same verdicts, classes, scores, values and
// errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const { BASIC, CLASS_ERROR, LISTS, SOURCE_ROOT } = require('./support');
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

/* A rulebook loaded as with a library without the function name. */
function without(name, load) {
  const saved = C[name];
  C[name] = null;
  try {
    return load();
  } finally {
    C[name] = saved;
  }
}

/* A rulebook loaded as with a library that has rulebook_eval_packed but
 * not rulebook_eval_packed_scored: scores read from the C result. */
function unscoredPath(load) {
  return without('rulebook_eval_packed_scored', load);
}

/* The packed call this library offers. */
const PACKED_CALL = C.rulebook_eval_packed_call ? 'rulebook_eval_packed_call'
  : C.rulebook_eval_packed_scored ? 'rulebook_eval_packed_scored' : 'rulebook_eval_packed';

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
    // the number: within 2^-43 of the exact score (rulebook_result_score_double)
    const n = a.scoreNumber(sc.id);
    const exact = b.score(sc.id);
    if (exact === null) assert.equal(n, null, what);
    else assert.ok(Math.abs(n - Number(exact)) <= Math.abs(Number(exact)) * 2 ** -43, `${what}: ${n} ${exact}`);
    assert.equal(a.scorecards[sc.id].score, b.scorecards[sc.id].score, what);
    assert.equal(a.scorecards[sc.id].veto, b.scorecards[sc.id].veto, what);
  }
}

test('generated enterprise-years: the same as the typed setters', () => {
  const file = path.join(SOURCE_ROOT, W.RULEBOOK);
  const rb = Rulebook.load(file);
  const ref = setterPath(() => Rulebook.load(file));
  const unscored = unscoredPath(() => Rulebook.load(file));
  // the scored call with its nine arguments, as with a library without
  // rulebook_eval_packed_call
  const nine = without('rulebook_eval_packed_call', () => Rulebook.load(file));
  assert.ok(rb._pk !== null && ref._pk === null && !unscored._pk.scored && !nine._pk.call);
  assert.equal(rb._pk.scored, C.rulebook_eval_packed_scored !== null);
  assert.equal(rb._pk.call, C.rulebook_eval_packed_call !== null);
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
    const c = unscored.evaluate(rec, W.AS_OF);
    same(a, b, `record ${i}`);
    same(c, b, `record ${i} (scores from the C result)`);
    c.close();
    const d = nine.evaluate(rec, W.AS_OF);
    same(d, b, `record ${i} (the call with nine arguments)`);
    if (i % 2) d.close(); // its bytes are reused by the next record
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
  unscored.close();
  nine.close();
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
  assert.deepEqual(counted(() => { r = rb.evaluate(rec, W.AS_OF); }), { [PACKED_CALL]: 1 });
  assert.deepEqual(counted(() => { void r.verdicts; r.classOf('mujun'); r.verdict('R1.mu_tax'); }), {});
  if (C.rulebook_eval_packed_scored) assert.deepEqual(counted(() => r.scoreNumber('mujun')), {});
  assert.deepEqual(counted(() => r.score('mujun')), { rulebook_result_score: 1 });
  // a record with a list goes through the setters (the list setters)
  const lists = Rulebook.fromString(LISTS);
  lists.evaluate({}, D);
  const calls = counted(() => { r = lists.evaluate({ heights: [9, 10], area: 5 }, D); });
  assert.equal(calls[PACKED_CALL], undefined);
  assert.equal(r.verdicts.T, 'fail');
  lists.close();
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

test('records with lists: the same through evaluate as through the setters', () => {
  const rb = Rulebook.fromString(LISTS);
  const ref = setterPath(() => Rulebook.fromString(LISTS));
  const records = [
    // heights 3.5, 9, 10.1: two over 8 m; storeys 9 m × 300 m² (twice:
    // 600) and 4 m × 500 m²: floor area 1100 m²
    { heights: [3.5, 9, '10.1'], facilities: ['宿舍', '食堂'],
      storeys: [{ height: 9, area: 300 }, { height: 4, area: 500n }], area: 1100, _id: 'L1' },
    { heights: [], facilities: ['宿舍'], storeys: [{ height: 9, area: 300.5 }], area: 600 },
    { heights: '6、9；7', facilities: [], area: 1 },
    { heights: [1, null, 2], storeys: [] },
  ];
  const a = records.map((r) => rb.evaluate(r, D));
  const b = records.map((r) => ref.evaluate(r, D));
  a.forEach((x, i) => {
    same(x, b[i], `record ${i}`);
    assert.equal(x.json(), b[i].json(), `record ${i}`);
    for (const n of ['heights', 'facilities', 'storeys', 'tall', 'floor_area']) {
      assert.equal(x.value(n), b[i].value(n), `${n} of record ${i}`);
    }
  });
  assert.deepEqual(a[0].verdicts, { T: 'fail', C: 'pass', F: 'pass' });
  assert.equal(a[0].value('floor_area'), '1100');
  // the same errors: a bad element, a list for a number, a list of objects
  // that are not records
  for (const rec of [{ heights: [1, 'x'] }, { heights: [1, Infinity] }, { area: [1] },
    { heights: [new Map()] }, { facilities: ['农业'] }]) {
    const err = (x) => { try { x.evaluate(rec, D); } catch (e) { return e; } return null; };
    const e = err(rb);
    const f = err(ref);
    assert.ok(e !== null && f !== null, JSON.stringify(Object.keys(rec)));
    assert.equal(e.constructor, f.constructor);
    assert.equal(e.message, f.message);
  }
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

/* The values of a result that the typed-setter result b also has. */
function sameValues(a, b, what) {
  same(a, b, what);
  for (const n of ['tax', 'land_area', 'employees', 'key_project', 'sector', 'name', 'deadline']) {
    assert.equal(a.value(n), b.value(n), `${n} of ${what}`);
  }
}

test('key sets, missing and null values, booleans and text, in any order', () => {
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const full = { tax: 1158.1, land_area: 31.3, employees: 12, key_project: true, sector: '纺织',
    name: 'Ünïcode 名字 😀', deadline: '2023-05-01', converted: 2 };
  const names = Object.keys(full);
  const records = [];
  // every subset of the keys in two orders, some values null or undefined
  for (let m = 0; m < 2 << names.length; m++) {
    const rec = {};
    const order = m >> names.length ? [...names].reverse() : names;
    for (const [j, k] of order.entries()) {
      if (!(m & (1 << names.indexOf(k)))) continue;
      rec[k] = (m + j) % 7 === 0 ? null : (m + j) % 11 === 0 ? undefined : full[k];
    }
    if (m % 5 === 0) rec.key_project = m % 2 === 0;
    if (m % 9 === 0) rec._note = 'ignored';
    if (m % 4 === 0) rec._id = m % 8 === 0 ? `记录${m}` : m;
    records.push(rec);
  }
  // more key sets than the plans kept
  assert.ok(new Set(records.map((r) => Object.keys(r).join())).size > 256);
  const kept = [];
  for (const [i, rec] of records.entries()) {
    const a = rb.evaluate(rec, D);
    const b = ref.evaluate(rec, D);
    sameValues(a, b, `record ${i}`);
    if (i % 16 === 0) {
      kept.push([a, b, i]);
    } else {
      a.close();
      b.close();
    }
  }
  // results kept while later records were evaluated still read their own
  for (const [a, b, i] of kept) sameValues(a, b, `kept record ${i}`);
  rb.close();
  ref.close();
});

test("a record's own keys decide its plan, not the keys for-in gives", () => {
  // Each record comes right after one with the keys tax, land_area, whose
  // plan the binding tries first; it must take it only for a record whose
  // own enumerable keys are exactly those.
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const before = { tax: 370, land_area: 10 };
  class WithGetter {
    constructor() { this.tax = 370; this.land_area = 10; }
    get employees() { return 5; } // on the prototype, not enumerable
  }
  const bare = Object.create(null);
  bare.tax = 370;
  bare.land_area = 10;
  const cases = [
    // land_area inherited: for-in gives tax, land_area, but only tax is the
    // record's own, so land_area is missing and T1 unknown
    ['an inherited key', Object.create({ land_area: 10 }, { tax: { value: 370, enumerable: true } }), 'unknown'],
    ['both keys inherited', Object.create({ tax: 370, land_area: 10 }), 'unknown'],
    ['the same keys in the other order', { land_area: 10, tax: 369 }, 'fail'],
    ['fewer keys', { tax: 370 }, 'unknown'],
    ['more keys', { tax: 370, land_area: 10, employees: 3 }, 'pass'],
    ['no prototype', bare, 'pass'],
    ['a getter on the prototype', new WithGetter(), 'pass'],
    ['an own key that is not enumerable', Object.defineProperty({ tax: 370 }, 'land_area',
      { value: 10, enumerable: false }), 'unknown'],
    ['no keys', {}, 'unknown'],
  ];
  for (const [what, rec, verdict] of cases) {
    for (const prev of [before, {}]) {
      rb.evaluate(prev, D).close();
      ref.evaluate(prev, D).close();
      const a = rb.evaluate(rec, D);
      const b = ref.evaluate(rec, D);
      assert.equal(a.verdicts.T1, verdict, `${what} after ${JSON.stringify(prev)}`);
      sameValues(a, b, what);
      a.close();
      b.close();
    }
  }
  // an enumerable key on Object.prototype is nobody's own key
  Object.prototype.land_area = 10; // eslint-disable-line no-extend-native
  try {
    rb.evaluate(before, D).close();
    assert.equal(rb.evaluate({ tax: 370 }, D).verdicts.T1, 'unknown');
    assert.equal(rb.evaluate({ tax: 370, land_area: 10 }, D).verdicts.T1, 'pass');
  } finally {
    delete Object.prototype.land_area;
  }
  rb.close();
  ref.close();
});

test('unknown keys and bad values: the same errors, in the order of the keys', () => {
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const err = (x, rec) => { try { x.evaluate(rec, D); } catch (e) { return e; } return null; };
  const cases = [
    [{ tax: 1, nope: 2, land_area: NaN }, NotFoundError, "'nope' is not an input of rulebook 'test.binding'"],
    [{ land_area: NaN, nope: 2 }, FactError, null],
    [{ tax: () => 1 }, FactError, null],
    [{ tax: Symbol('s') }, FactError, null],
    [{ tax: { a: 1 } }, FactError, null],
    [{ name: '\ud800' }, null, null], // a lone surrogate: U+FFFD, as the setters take it
  ];
  for (const [rec, cls, message] of cases) {
    const e = err(rb, rec);
    const f = err(ref, rec);
    if (cls === null) {
      assert.equal(e, null, String(e));
      assert.equal(f, null);
      continue;
    }
    assert.ok(e instanceof cls, `${Object.keys(rec)}: ${e}`);
    assert.equal(e.constructor, f.constructor);
    assert.equal(e.message, f.message);
    if (message !== null) assert.equal(e.message, message);
  }
  assert.equal(rb.evaluate({ name: '\ud800x' }, D).value('name'), '\ufffdx');
  // "__proto__" as an own key starts with "_": left out, as every "_" key
  const proto = JSON.parse('{"__proto__": 1, "tax": 370, "land_area": 10}');
  assert.equal(rb.evaluate(proto, D).verdicts.T1, 'pass');
  assert.equal(ref.evaluate(proto, D).verdicts.T1, 'pass');
  // with ignoreUnknown the unknown key is left out
  assert.equal(rb.evaluate({ tax: 370, land_area: 10, nope: 1 }, D, { ignoreUnknown: true }).verdicts.T1,
    'pass');
  rb.close();
  ref.close();
});

test('closed results give their bytes to the next record; kept ones keep theirs', () => {
  const rb = Rulebook.fromString(BASIC);
  const r1 = rb.evaluate({ tax: 370, land_area: 10, name: '甲' }, D); // kept
  const r2 = rb.evaluate({ tax: 1, land_area: 10, name: '乙' }, D);
  const at = r2._po;
  r2.close(); // the last record: its bytes are reused
  const r3 = rb.evaluate({ tax: 2, land_area: 10, name: '丙丙' }, D);
  assert.equal(r3._po, at);
  const r4 = rb.evaluate({ tax: 3, land_area: 10 }, D);
  r3.close(); // not the last record: nothing is reused
  const r5 = rb.evaluate({ tax: 400, land_area: 10, name: '戊' }, D);
  assert.ok(r5._po > r4._po);
  assert.equal(r1.verdicts.T1, 'pass');
  assert.equal(r1.value('name'), '甲');
  assert.equal(r1.value('tax'), '370');
  assert.equal(r4.verdicts.T1, 'fail');
  assert.equal(r4.value('tax'), '3');
  assert.equal(r4.value('name'), null);
  assert.equal(r5.value('name'), '戊');
  assert.throws(() => r3.verdicts, ClosedError);
  // a closed result read again, and closed twice
  r2.close();
  assert.throws(() => r2.value('tax'), ClosedError);
  rb.close();
});

test('texts larger than the arena', () => {
  const rb = Rulebook.fromString(BASIC);
  const ref = setterPath(() => Rulebook.fromString(BASIC));
  const kept = [];
  for (let i = 0; i < 40; i++) {
    // 3 bytes per character: every few records need a new arena
    // (an empty id is no id, with the typed setters too)
    const rec = { tax: 370, land_area: 10, name: '长'.repeat(2000 + 997 * i), _id: 'Ｉ'.repeat(i * 100) };
    const a = rb.evaluate(rec, D);
    const b = ref.evaluate(rec, D);
    assert.equal(a.value('name'), b.value('name'));
    assert.equal(a.recordId, b.recordId);
    kept.push([a, b]);
  }
  const huge = { name: '😀'.repeat(100000) };
  assert.equal(rb.evaluate(huge, D).value('name'), huge.name);
  for (const [a, b] of kept) assert.equal(a.value('name'), b.value('name'));
  rb.close();
  ref.close();
});

test('a class of error reads error from the packed bytes, and -4 in bulk', () => {
  const rb = Rulebook.fromString(CLASS_ERROR);
  const ref = setterPath(() => Rulebook.fromString(CLASS_ERROR));
  for (const [when, record, want] of [['2022-06-30', { x: 4 }, 'A'], ['2022-06-30', {}, null],
    ['2023-06-30', { x: 4 }, 'error'], ['2023-06-30', {}, 'error']]) {
    const what = `${when} ${JSON.stringify(record)}`;
    const a = rb.evaluate(record, when);
    const b = ref.evaluate(record, when);
    assert.equal(a.classOf('s'), want, what);
    assert.equal(b.classOf('s'), want, what);
    assert.equal(a.scorecards.s.class, want, what);
    same(a, b, what);
  }
  const pop = rb.population([{ x: 4 }, {}, { x: 1 }], '2022-06-30');
  assert.deepEqual([...pop.classCodes('s')], [0, -1, 1]);
  pop.close();
  const later = rb.population([{ x: 4 }, {}], '2023-06-30');
  assert.deepEqual([...later.classCodes('s')], [-4, -4]);
  assert.deepEqual(later.classes('s'), ['error', 'error']);
  later.close();
  rb.close();
  ref.close();
});

test('getters that evaluate, long texts behind getters, key sets apart and more than 256 of them', () => {
  const rb = Rulebook.fromString(BASIC);
  // an evaluate() from a getter of the record being packed: each result
  // keeps its own record
  let inner = null;
  const outer = rb.evaluate({
    land_area: 31.3,
    get tax() {
      inner = rb.evaluate({ tax: 1, land_area: 31.3, _id: 'inner' }, D);
      return 1158.1;
    },
    _id: 'outer',
  }, D);
  assert.equal(inner.verdicts.T1, 'fail');
  assert.equal(inner.recordId, 'inner');
  assert.equal(outer.verdicts.T1, 'pass');
  assert.equal(outer.recordId, 'outer');
  assert.equal(inner.value('tax'), '1');
  assert.equal(outer.value('tax'), '1158.1');

  // a text longer than the buffer behind a getter: read at most twice,
  // and a longer text on the second read still fits
  let reads = 0;
  const long = rb.evaluate({
    tax: 370,
    land_area: 10,
    get name() {
      reads++;
      return '临'.repeat(100000 * reads);
    },
  }, D);
  assert.ok(reads <= 2, `${reads} reads`);
  assert.equal(long.value('name').length, 100000 * reads);
  assert.equal(long.verdicts.T1, 'pass');

  // an id that is not text but makes a long one: an array, and an object
  // whose text grows on every reading (the copy makes it text once)
  // (a rulebook of their own: a new one starts with a small buffer)
  const ids = Rulebook.fromString(BASIC);
  const arrId = ids.evaluate({ tax: 370, land_area: 10, _id: ['x'.repeat(40000)] }, D);
  assert.equal(arrId.recordId, 'x'.repeat(40000));
  assert.equal(arrId.verdicts.T1, 'pass');
  let idReads = 0;
  const growing = { toString() { idReads++; return 'y'.repeat(30000 * idReads); } };
  const grownId = ids.evaluate({ tax: 1, land_area: 10, _id: growing }, D);
  assert.ok(idReads <= 2, `${idReads} reads of the id`);
  assert.equal(grownId.recordId, 'y'.repeat(30000 * idReads));
  assert.equal(grownId.verdicts.T1, 'fail');
  ids.close();

  // a long text behind a getter beside a list (which the typed setters
  // take): the setters get the copy, so the getter is read at most twice
  const withList = Rulebook.fromString(`rulebook: 1
id: t.reads
title: {en: reads}
subject: project
source: {issuer: t, document: t, issued: 2022-01-01}
inputs:
  - {id: name, type: text}
  - {id: heights, type: list, of: number}
rules:
  - {id: R, cite: a, require: 'count(heights) > 1'}
`);
  let nameReads = 0;
  const listed = withList.evaluate({
    get name() { nameReads++; return 'n'.repeat(70000) + nameReads; },
    heights: [1, 2],
  }, D);
  assert.ok(nameReads <= 2, `${nameReads} reads`);
  assert.equal(listed.value('name'), 'n'.repeat(70000) + nameReads);
  assert.equal(listed.verdicts.R, 'pass');
  withList.close();

  // key sets whose keys joined with NUL would read alike ("_" keys are
  // left out, so the first has no tax)
  for (let k = 0; k < 2; k++) {
    assert.equal(rb.evaluate({ '_\u0000tax': 1, land_area: 31.3 }, D).verdicts.T1, 'unknown');
    assert.equal(rb.evaluate({ _: 1, tax: 1158.1, land_area: 31.3 }, D).verdicts.T1, 'pass');
  }

  // 300 key sets in turn: each record still gets its own keys' values
  // (the least recently used plans go; the ones in use stay)
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 300; i++) {
      const rec = { tax: 370 + i, land_area: 10 };
      rec[`_k${i}`] = 1;
      assert.equal(rb.evaluate(rec, D).verdicts.T1, 'pass');
    }
  }
  assert.ok(rb._pk.plans.size <= 256);
  rb.close();
});
