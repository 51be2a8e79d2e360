'use strict';
// Populations through the batch calls: rulebook_population_add_table (text
// cells) and rulebook_population_add_columns (numeric columns), one
// crossing of the C boundary per batch. The reference is the per-record
// path (typed setters and one rulebook_population_add per record), which
// the binding uses only with a library that lacks the batch calls.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { BASIC, FIXTURES, RULES, DATA } = require('./support');
const rulebook = require('..');

const { Rulebook, FactError, NotFoundError, NumberRangeError } = rulebook;
const { C, BATCH } = rulebook._internal;

const D = '2023-06-30';
const AS_OF = '2023-12-31';
const basic = () => Rulebook.fromString(BASIC, { name: 'basic.yaml' });

/* population() as with a library without the batch calls. */
function perRecordPath(fn) {
  const saved = [C.rulebook_population_add_table, C.rulebook_population_add_columns];
  C.rulebook_population_add_table = null;
  C.rulebook_population_add_columns = null;
  try {
    return fn();
  } finally {
    [C.rulebook_population_add_table, C.rulebook_population_add_columns] = saved;
  }
}

/* Counts the calls into the library made by fn, by name. */
function counted(fn) {
  const names = ['rulebook_population_add_table', 'rulebook_population_add_columns',
    'rulebook_population_add', 'rulebook_facts_set_text', 'rulebook_facts_set_double',
    'rulebook_facts_set_decimal'];
  const calls = Object.fromEntries(names.map((n) => [n, 0]));
  const saved = Object.fromEntries(names.map((n) => [n, C[n]]));
  for (const n of names) {
    C[n] = (...args) => {
      calls[n]++;
      return saved[n](...args);
    };
  }
  try {
    fn();
  } finally {
    Object.assign(C, saved);
  }
  return calls;
}

/* Everything a population answers, as plain data. */
function snapshot(rb, pop) {
  const n = pop.size;
  const idx = [...Array(n).keys()];
  return {
    size: n,
    ids: pop.recordIds,
    counts: pop.counts,
    verdicts: idx.map((i) => pop.verdicts(i)),
    aggregates: pop.aggregates,
    classes: Object.fromEntries(rb.scorecards.map((s) => [s.id, pop.classes(s.id)])),
    scores: Object.fromEntries(rb.scorecards.map((s) => [s.id, idx.map((i) => pop.score(i, s.id))])),
    json: pop.toObject(),
  };
}

function withPop(pop, fn) {
  try {
    return fn(pop);
  } finally {
    pop.close();
  }
}

/* The batch population, one built with add() record by record, and the
 * per-record reference agree; returns the snapshot. */
function sameAsPerRecord(rb, records, asOf, options = {}) {
  const batch = withPop(rb.population(records, asOf, options), (p) => snapshot(rb, p));
  const oneByOne = withPop(rb.population([], asOf), (p) => {
    for (const r of records) p.add(r, options);
    return snapshot(rb, p);
  });
  // the per-record path refuses NaN, which the batch path reads as missing
  const plain = records.map((r) => Object.fromEntries(Object.entries(r instanceof Map ? Object.fromEntries(r) : r)
    .map(([k, v]) => [k, Number.isNaN(v) ? null : v])));
  const reference = perRecordPath(() => withPop(rb.population(plain, asOf, options), (p) => snapshot(rb, p)));
  assert.deepEqual(batch, reference);
  assert.deepEqual(oneByOne, reference);
  return batch;
}

test('same results as record by record', async (t) => {
  await t.test('every kind of value', () => {
    const rb = basic();
    const recs = [
      { _id: 'a', tax: '1158.1', land_area: 31.3, employees: 12n, key_project: false, sector: '化工',
        name: '甲公司', deadline: new Date('2023-05-01'), converted: 2.5 },
      { _id: 7, tax: 984, land_area: '30', employees: '9', key_project: 'true', sector: '纺织',
        deadline: '2023-12-01', converted: null },
      new Map([['tax', '20000 万元'], ['land_area', '13.34 公顷'], ['name', '']]),
      {},
      { _id: null, _note: 'ignored', tax: 1e-7, land_area: 123456789.125, employees: undefined },
      { tax: { toFixed() { return '37'; }, toString() { return '37'; } }, land_area: 1 },
    ];
    const got = sameAsPerRecord(rb, recs, D);
    assert.deepEqual(got.ids, ['a', '7', null, null, null, null]);
    recs.forEach((rec, i) => {
      const r = rb.evaluate(rec, D);
      assert.deepEqual(got.verdicts[i], r.verdicts);
      r.close();
    });
    rb.close();
  });

  await t.test('numbers as in evaluate', () => {
    const rb = basic();
    let seed = 11;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const values = [];
    for (let i = 0; i < 100; i++) values.push(rnd() * 1e6);
    for (let i = 0; i < 100; i++) values.push(rnd() * 10 ** Math.floor(rnd() * 18 - 6));
    values.push(0.1, 0.3, 1e-7, 1e16, 535882.0043066893, 37);
    for (const withId of [false, true]) { // numeric columns, then text cells
      const recs = values.map((v, i) => (withId ? { _id: String(i), tax: v, land_area: 1 } : { tax: v, land_area: 1 }));
      sameAsPerRecord(rb, recs, D);
      withPop(rb.population(recs, D), (pop) => {
        values.forEach((v, i) => {
          const r = rb.evaluate({ tax: v, land_area: 1 }, D);
          assert.equal(pop.verdict(i, 'T1'), r.verdicts.T1, String(v));
          r.close();
        });
      });
    }
    rb.close();
  });

  await t.test('ranks and averages', () => {
    const rb = Rulebook.load(path.join(FIXTURES, 'population.yaml'));
    let seed = 3;
    const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const recs = [];
    for (let i = 0; i < 300; i++) {
      const r = { _id: `e${i}`, score_in: pick([null, Math.floor(rnd() * 10), Math.round(rnd() * 900) / 100]),
        area: pick([null, Math.floor(rnd() * 90) + 1, '12.5']), year: pick([2021, 2022]), industrial: rnd() < 0.5 };
      if (rnd() < 0.3) r.standard_land = rnd() < 0.5;
      recs.push(r);
    }
    const got = sameAsPerRecord(rb, recs, D);
    assert.equal(got.classes.rank.length, 300);
    assert.ok(got.classes.avg.includes('A'));
    // numeric inputs only and no ids: the columns path
    sameAsPerRecord(rb, recs.filter((r) => typeof r.area !== 'string').map((r) => ({ score_in: r.score_in, area: r.area })), D);
    rb.close();
  });

  await t.test('sample data', { skip: !fs.existsSync(path.join(DATA, 'enterprises.json')) && 'sample data missing' }, () => {
    const rb = Rulebook.load(path.join(RULES, 'linan', 'enterprise.yaml'));
    sameAsPerRecord(rb, JSON.parse(fs.readFileSync(path.join(DATA, 'enterprises.json'), 'utf8')), AS_OF);
    rb.close();
    const project = Rulebook.load(path.join(RULES, 'linan', 'project.yaml'));
    const got = sameAsPerRecord(project, JSON.parse(fs.readFileSync(path.join(DATA, 'parcels.json'), 'utf8')), AS_OF);
    const share = got.aggregates['P4.industrial_land_share'];
    assert.deepEqual([share.verdict, share.numerator, share.denominator], ['pass', '785.1', '1682.5']);
    project.close();
  });

  await t.test('ignoreUnknown', () => {
    const rb = basic();
    const recs = [{ _id: 'x', tax: 1, land_area: 1, other: [1] }, { nope: null, tax: 2.5 }];
    sameAsPerRecord(rb, recs, D, { ignoreUnknown: true });
    assert.throws(() => rb.population(recs, D),
      (e) => e instanceof NotFoundError && e.record === 0 && e.subject === 'other');
    rb.close();
  });
});

test('one crossing per population', async (t) => {
  await t.test('one call', () => {
    const rb = basic();
    const recs = [];
    for (let i = 0; i < 500; i++) recs.push({ _id: `r${i}`, tax: i, land_area: 10, key_project: i % 2 === 0 });
    let calls = counted(() => withPop(rb.population(recs, D), (p) => assert.equal(p.size, 500)));
    assert.equal(calls.rulebook_population_add_table, 1);
    assert.equal(calls.rulebook_population_add, 0);
    assert.equal(calls.rulebook_facts_set_text + calls.rulebook_facts_set_double + calls.rulebook_facts_set_decimal, 0);
    // numbers only, no ids: one rulebook_population_add_columns call
    const nums = recs.map((r) => ({ tax: r.tax, land_area: 10 }));
    calls = counted(() => withPop(rb.population(nums, D), (p) => assert.equal(p.size, 500)));
    assert.equal(calls.rulebook_population_add_columns, 1);
    assert.equal(calls.rulebook_population_add_table, 0);
    rb.close();
  });

  await t.test('batches of a large population', () => {
    const saved = BATCH.size;
    BATCH.size = 64;
    try {
      const rb = basic();
      const recs = [];
      for (let i = 0; i < 300; i++) recs.push({ _id: `r${i}`, tax: String(i / 4), land_area: 2 });
      const calls = counted(() => sameAsPerRecord(rb, recs, D));
      assert.equal(calls.rulebook_population_add_table, 5 + 300); // population(), then each add()
      const bad = recs.map((r) => ({ ...r }));
      bad[10].tax = 'x';
      bad[200].tax = 'y';
      withPop(rb.population(bad, D, { skipBad: true }), (pop) => {
        assert.deepEqual(pop.badRows, [10, 200]);
        assert.equal(pop.size, 298);
      });
      rb.close();
    } finally {
      BATCH.size = saved;
    }
  });
});

test('refused records', async (t) => {
  const rb = basic();
  const BAD = [
    // [record, class, subject, words in the message]
    [{ tax: 'lots' }, FactError, 'tax', 'not a decimal number'],
    [{ sector: '金融' }, FactError, 'sector', 'enum'],
    [{ employees: '1.5' }, FactError, 'employees', 'whole number'],
    [{ employees: 2.5 }, FactError, 'employees', 'whole number'],
    [{ tax: 10n ** 20n + 1n }, NumberRangeError, 'tax', '18 significant digits'],
    [{ tax: '1e999' }, NumberRangeError, 'tax', 'decimal range'],
    [{ land_area: '3 kg' }, FactError, 'land_area', 'unit'],
    [{ deadline: '2023-02-30' }, FactError, 'deadline', 'date'],
    [{ tax: true }, FactError, 'tax', 'not a boolean'],
    [{ key_project: 1 }, FactError, 'key_project', 'not a number'],
    [{ name: new Date('2023-01-01') }, FactError, 'name', 'not a date'],
    [{ deadline: new Date('nonsense') }, FactError, 'deadline', 'invalid Date'],
    [{ tax: [1] }, FactError, 'tax', 'is a number, not a list'],
    [{ tax: { a: 1 } }, FactError, 'tax', 'cannot use'],
    [{ tax: Infinity }, FactError, 'tax', 'Infinity'],
    [{ name: 'a\0b' }, FactError, 'name', 'NUL'],
  ];
  const good = { _id: 'ok', tax: 1158.1, land_area: 31.3 };

  await t.test('each bad value names its record and input', () => {
    for (const [bad, Cls, subject, words] of BAD) {
      const recs = [good, good, { ...bad, _id: 'bad' }, good];
      assert.throws(() => rb.population(recs, D), (e) => {
        assert.ok(e instanceof Cls, `${Object.keys(bad)}: ${e}`);
        assert.equal(e.record, 2);
        assert.equal(e.subject, subject);
        assert.ok(e.message.includes(words), e.message);
        assert.ok(e.message.startsWith('record 2: '), e.message);
        return true;
      });
      if (!String(bad.name).includes('\0')) { // the per-record path passes text up to a NUL
        assert.throws(() => perRecordPath(() => rb.population(recs, D)),
          (e) => e instanceof Cls && e.record === 2 && e.subject === subject);
      }
      withPop(rb.population([good], D), (pop) => {
        assert.throws(() => pop.add(bad), (e) => e instanceof Cls && e.record === 1 && e.subject === subject);
        assert.equal(pop.size, 1); // left as it was
      });
    }
  });

  await t.test('the first bad record is reported', () => {
    const recs = [{ tax: 1 }, { tax: 'x' }, { tax: 2 }, { tax: [3] }, { taxx: 1 }];
    assert.throws(() => rb.population(recs, D), (e) => e instanceof FactError && e.record === 1);
    assert.throws(() => rb.population(recs.slice(2), D), (e) => e instanceof FactError && e.record === 1);
    assert.throws(() => rb.population(recs.slice(4), D),
      (e) => e instanceof NotFoundError && e.record === 0 && e.subject === 'taxx');
  });

  await t.test('skipBad leaves them out and lists them', () => {
    const recs = [];
    for (let i = 0; i < 40; i++) recs.push({ _id: `r${i}`, tax: 37 * (i % 3), land_area: 1 });
    const badAt = { 3: 'lots', 7: [1], 8: true, 21: Infinity, 39: '1e999' };
    for (const [i, v] of Object.entries(badAt)) recs[i].tax = v;
    const rows = Object.keys(badAt).map(Number);
    const good2 = recs.filter((_, i) => !rows.includes(i));
    withPop(rb.population(recs, D, { skipBad: true }), (pop) => {
      assert.deepEqual(pop.badRows, rows);
      assert.deepEqual(pop.refused.map((e) => e.record), rows);
      assert.ok(pop.refused.every((e) => e.subject === 'tax'));
      assert.ok(pop.refused[pop.refused.length - 1] instanceof NumberRangeError);
      assert.equal(pop.size, 40 - rows.length);
      assert.deepEqual(pop.recordIds, good2.map((r) => r._id));
      withPop(rb.population(good2, D), (ref) => {
        assert.deepEqual(snapshot(rb, pop), snapshot(rb, ref));
        assert.deepEqual(ref.refused, []);
        assert.deepEqual(ref.badRows, []);
      });
    });
    // an unknown key is not a bad value: it still throws
    assert.throws(() => rb.population([...recs, { taxx: 1 }], D, { skipBad: true }), NotFoundError);
  });

  await t.test('bad values in numeric columns', () => {
    const recs = [];
    for (let i = 0; i < 20; i++) recs.push({ employees: i });
    recs[5].employees = 2.5;
    recs[12].employees = Infinity;
    assert.throws(() => rb.population(recs, D),
      (e) => e instanceof FactError && e.record === 5 && e.subject === 'employees');
    withPop(rb.population(recs, D, { skipBad: true }), (pop) => {
      assert.deepEqual(pop.badRows, [5, 12]);
      assert.equal(pop.size, 18);
      assert.equal(pop.counts.pass, 9); // E1: employees >= 10
    });
  });

  rb.close();
});

test('missing values', async (t) => {
  await t.test('null, undefined, NaN and absent', () => {
    const rb = basic();
    for (const withId of [false, true]) { // numeric columns, then text cells
      const extra = withId ? { _id: 'x' } : {};
      const forms = [{ ...extra, tax: null, land_area: 1, employees: undefined },
        { ...extra, tax: NaN, land_area: 1, employees: NaN }, { ...extra, land_area: 1 }];
      for (const rec of forms) {
        withPop(rb.population([rec, { ...extra, tax: 984, land_area: 30 }], D), (pop) => {
          assert.equal(pop.verdicts(0).T1, 'unknown');
          assert.equal(pop.verdicts(0).E1, 'unknown');
          assert.equal(pop.verdicts(1).T1, 'fail');
        });
      }
    }
    // evaluate() refuses a NaN (one record is not a data frame)
    assert.throws(() => rb.evaluate({ tax: NaN }, D), FactError);
    rb.close();
  });

  await t.test('in aggregates', () => {
    const rb = Rulebook.load(path.join(FIXTURES, 'population.yaml'));
    const base = [{ area: 40, industrial: true, year: 2022 }, { area: 20, industrial: true, year: 2022 },
      { area: 90, industrial: false, year: 2022 }];
    withPop(rb.population(base, D), (pop) => assert.equal(pop.aggregates['P4.industrial_share'].value, '0.4'));
    for (const gap of [null, NaN]) {
      const recs = [...base, { area: gap, industrial: false, year: 2022 }];
      let got = sameAsPerRecord(rb, recs, D);
      assert.equal(got.aggregates['P4.industrial_share'].verdict, 'unknown');
      got = sameAsPerRecord(rb, recs.map((r) => ({ area: r.area, year: r.year })), D); // numeric columns
      assert.equal(got.aggregates.total_area.value, null);
      assert.equal(got.aggregates.total_area.counted, 3);
    }
    rb.close();
  });
});

test('population results in bulk as typed arrays agree with the per-record accessors', () => {
  const rb = Rulebook.load(path.join(RULES, 'linan', 'enterprise.yaml'));
  const records = JSON.parse(fs.readFileSync(path.join(DATA, 'enterprises.json'), 'utf8'));
  const pop = rb.population(records, AS_OF);
  const nr = rb.rules.length;
  const m = pop.verdictMatrix();
  assert.ok(m instanceof Uint8Array);
  assert.equal(m.length, pop.size * nr);
  const names = rulebook.VERDICTS;
  for (let i = 0; i < pop.size; i++) {
    const v = pop.verdicts(i);
    rb.rules.forEach((r, j) => assert.equal(names[m[i * nr + j]], v[r.id]));
  }
  for (const sc of rb.scorecards) {
    const codes = pop.classCodes(sc.id);
    assert.ok(codes instanceof Int16Array);
    const classes = pop.classes(sc.id);
    const { values, texts } = pop.scoreArrays(sc.id);
    assert.ok(values instanceof Float64Array);
    let rated = 0;
    for (let i = 0; i < pop.size; i++) {
      const c = codes[i];
      const want = c >= 0 ? sc.classes[c] : c === -2 ? 'not_rated' : c === -3 ? 'not_in_force' : null;
      assert.equal(want, classes[i]);
      assert.equal(texts[i], pop.score(i, sc.id));
      if (texts[i] === null) assert.ok(Number.isNaN(values[i]));
      else {
        // the binary score within 2^-43 of the exact one, relatively
        const exact = Number(texts[i]);
        assert.ok(Math.abs(values[i] - exact) <= Math.abs(exact) * 2 ** -43, `${values[i]} ${texts[i]}`);
        rated++;
      }
    }
    assert.ok(rated > 0);
    assert.deepEqual(pop.scoreValues(sc.id), values);
  }
  pop.close();
  rb.close();
});

test('a population on several threads is the same as on one', () => {
  const rb = Rulebook.load(path.join(RULES, 'linan', 'enterprise.yaml'));
  const numeric = rb.inputs.filter((i) => i.type === 'number').map((i) => i.name);
  const n = 12000;
  const columns = {};
  let seed = 7;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (const k of numeric) {
    // few distinct values: many ties for the classes by rank
    columns[k] = Float64Array.from({ length: n }, () => (next() < 0.03 ? NaN : Math.round(next() * 40) * 25));
  }
  const one = rb.population(columns, AS_OF, { threads: 1 });
  const many = rb.population(columns, AS_OF, { threads: 4 });
  const dflt = rb.population(columns, AS_OF);
  for (const pop of [many, dflt]) {
    assert.equal(pop.size, n);
    assert.deepEqual(pop.verdictMatrix(), one.verdictMatrix());
    for (const sc of rb.scorecards) {
      assert.deepEqual(pop.classCodes(sc.id), one.classCodes(sc.id));
      assert.deepEqual(pop.scoreValues(sc.id), one.scoreValues(sc.id));
      assert.deepEqual(pop.scoreArrays(sc.id).texts, one.scoreArrays(sc.id).texts);
    }
    assert.deepEqual(pop.toObject(), one.toObject());
  }
  for (const bad of [0, -1, 1.5, 'two']) {
    assert.throws(() => rb.population(columns, AS_OF, { threads: bad }), /threads must be an integer of at least 1/);
  }
  [one, many, dflt].forEach((p) => p.close());
  rb.close();
});

test('a population from columns (typed arrays) agrees with the records', () => {
  const rb = Rulebook.load(path.join(RULES, 'linan', 'enterprise.yaml'));
  const numeric = rb.inputs.filter((i) => i.type === 'number' || i.type === 'integer').map((i) => i.name);
  const base = JSON.parse(fs.readFileSync(path.join(DATA, 'enterprises.json'), 'utf8'));
  const records = base.map((r) => Object.fromEntries(numeric.filter((k) => k in r)
    .map((k) => [k, r[k] === null ? null : Number(r[k])])));
  const columns = {};
  numeric.forEach((k, j) => {
    // Float64Arrays, another typed array and a plain array with nulls
    const get = (r) => (r[k] === null || r[k] === undefined ? NaN : r[k]);
    if (j === 1) columns[k] = records.map((r) => (r[k] === undefined ? null : r[k]));
    else columns[k] = Float64Array.from(records, get);
  });
  const want = sameAsPerRecord(rb, records, AS_OF);
  const got = withPop(rb.population(columns, AS_OF), (p) => snapshot(rb, p));
  assert.deepEqual(got, want);
  const calls = counted(() => rb.population(columns, AS_OF).close());
  assert.equal(calls.rulebook_population_add_columns, 1);
  assert.equal(calls.rulebook_population_add_table, 0);

  const one = { tax: new Float64Array([1, 2]) };
  assert.throws(() => rb.population({ ...one, nope: [1, 2] }, AS_OF), NotFoundError);
  assert.equal(withPop(rb.population({ ...one, nope: [1, 2] }, AS_OF, { ignoreUnknown: true }),
    (p) => p.size), 2);
  assert.throws(() => rb.population({ ...one, land_area: [1] }, AS_OF),
    /column 'land_area' has 1 values, the first one 2/);
  assert.throws(() => rb.population({ ...one, _id: ['a', 'b'] }, AS_OF),
    /columns carry inputs only/);
  assert.throws(() => rb.population({ ...one, land_area: 'xy' }, AS_OF),
    /column 'land_area' is not an array or a typed array/);
  const bool = rb.inputs.find((i) => i.type === 'boolean').name;
  assert.throws(() => rb.population({ ...one, [bool]: [1, 0] }, AS_OF),
    (e) => e instanceof FactError && e.subject === bool && /columns carry number and integer inputs/.test(e.message));
  const int = rb.inputs.find((i) => i.type === 'integer');
  if (int) assert.throws(() => rb.population({ [int.name]: [1, 2.5] }, AS_OF), FactError);
  rb.close();
});
