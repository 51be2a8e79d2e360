'use strict';
// Tests of the Node binding on small rulebooks (node --test).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { BASIC, FIXTURES, LISTS, RULES } = require('./support');
const rulebook = require('..');
const {
  Rulebook, RulebookError, SchemaError, FactError, NotFoundError, ParseError, NumberRangeError,
  ClosedError, InvalidArgumentError, RulebookIOError, LimitError,
} = rulebook;

const D = '2023-06-30';
const basic = () => Rulebook.fromString(BASIC, { name: 'basic.yaml' });

test('library', () => {
  assert.match(rulebook.libraryVersion, /^0\./);
  assert.ok(rulebook.libraryPath);
  const e = new rulebook.LibraryNotFoundError([['$RULEBOOK_LIBRARY /nope.so', 'cannot open']]);
  assert.match(e.message, /\/nope\.so/);
  assert.match(e.message, /RULEBOOK_LIBRARY/);
});

test('header', () => {
  const rb = basic();
  assert.equal(rb.id, 'test.binding');
  assert.equal(rb.title, '绑定测试');
  assert.equal(rb.titleIn('en'), 'binding test');
  assert.equal(rb.subject, 'enterprise');
  assert.match(rb.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(rb.inForce, { from: '2022-01-01', until: '2023-12-31' });
  assert.deepEqual(rb.inputNames.slice(0, 3), ['tax', 'land_area', 'employees']);
  assert.equal(rb.inputs[2].type, 'integer');
  assert.equal(rb.inputs[2].unit, '人');
  assert.deepEqual(rb.ruleIds, ['T1', 'P3', 'D1', 'E1']);
  assert.deepEqual(rb.rules[0].responsible, ['区经信局', '区税务局']);
  assert.equal(rb.rules[3].severity, 'minor');
  assert.equal(rb.parameterValue('ratio', '2022-06-30'), '1.2');
  assert.equal(rb.parameterValue('ratio', new Date(2023, 0, 1)), '1.5');
  assert.equal(rb.parameterValue('ratio', 20211231), null);
  assert.throws(() => rb.parameterValue('nope', D), NotFoundError);
  rb.close();
});

test('load from file gives the same hash as from bytes', () => {
  const file = path.join(FIXTURES, 'scorecard.yaml');
  const a = Rulebook.load(file);
  const b = Rulebook.fromString(fs.readFileSync(file));
  assert.equal(a.hash, b.hash);
  a.close();
  b.close();
});

test('schema errors carry every diagnostic', () => {
  const bad = 'rulebook: 1\nid: x\ntitle: {zh: x}\nsubject: enterprise\nbogus: 1\n';
  try {
    Rulebook.fromString(bad, { name: 'bad.yaml' });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof SchemaError);
    assert.ok(e instanceof RulebookError);
    assert.ok(e instanceof Error);
    assert.equal(e.file, 'bad.yaml');
    assert.ok(e.diagnostics.length >= 2);
    assert.ok(e.diagnostics.some((d) => d.line === 5));
    for (const d of e.diagnostics) {
      assert.equal(d.file, 'bad.yaml');
      assert.ok(d.line > 0 && d.column > 0);
    }
    assert.match(e.message, /bad\.yaml:/);
    assert.equal(e.statusName, 'schema');
  }
});

test('error classes by status', () => {
  const head = 'rulebook: 1\nid: x\ntitle: {zh: x}\nsubject: enterprise\n' +
    'source: {issuer: a, document: b, issued: 2022-01-01}\n';
  const cases = [
    ['rulebook: [\n', ParseError],
    [head + 'inputs:\n  - {id: a, type: number}\nrules:\n  - {id: r, cite: x, require: a >=}\n', rulebook.ExpressionError],
    [head + 'inputs:\n  - {id: a, type: number, unit: 万元}\n  - {id: b, type: number, unit: 亩}\n' +
      'rules:\n  - {id: r, cite: x, require: a >= b}\n', rulebook.UnitError],
    [head + 'rules:\n  - {id: r, cite: x, require: nothing > 1}\n', rulebook.NamingError],
    [head + 'indicators:\n  - {id: a, expr: b + 1}\n  - {id: b, expr: a + 1}\n', rulebook.CycleError],
  ];
  for (const [text, Cls] of cases) {
    assert.throws(() => Rulebook.fromString(text, { name: 't.yaml' }), (e) => {
      assert.ok(e instanceof Cls, `${e.name} is not ${Cls.name}`);
      assert.equal(e.status, Cls.status);
      assert.equal(e.file, 't.yaml');
      assert.ok(e.line > 0);
      return true;
    });
  }
  assert.throws(() => Rulebook.load('/nonexistent/rulebook.yaml'), RulebookIOError);
  assert.throws(() => Rulebook.fromString(BASIC, { limits: { fileSize: 100 } }), LimitError);
  assert.throws(() => Rulebook.fromString(BASIC, { limits: { nonsense: 1 } }), InvalidArgumentError);
});

test('extends with a search path', () => {
  const child = fs.readFileSync(path.join(FIXTURES, 'extends', 'district.yaml'), 'utf8')
    .replace('extends: province.yaml', 'extends: province');
  assert.throws(() => Rulebook.fromString(child, { name: 'child.yaml' }), RulebookError);
  const rb = Rulebook.fromString(child, { name: 'child.yaml', searchPath: [path.join(FIXTURES, 'extends')] });
  assert.ok(rb.ruleIds.includes('mu_tax'));
  assert.ok(!rb.ruleIds.includes('land_reported'));
  assert.equal(rb.parameterValue('min_mu_tax', D), '37');
  rb.close();
});

test('evaluate', async (t) => {
  const rb = basic();

  await t.test('exact threshold with every number form', () => {
    for (const [tax, area] of [['1158.1', '31.3'], [1158.1, 31.3], ['11581000 元', '31.3 亩']]) {
      const r = rb.evaluate({ tax, land_area: area }, D);
      assert.equal(r.verdicts.T1, 'pass');
      assert.equal(r.value('mu_tax'), '37');
    }
  });

  await t.test('units, gaps, messages', () => {
    const r = rb.evaluate({ tax: 984n, land_area: '20000 m²' }, D);
    assert.equal(r.value('land_area'), '30');
    assert.equal(r.value('mu_tax'), '32.8');
    const t1 = r.rule('T1');
    assert.equal(t1.verdict, 'fail');
    assert.equal(t1.gap.text, '+4.2 万元/亩');
    assert.equal(t1.gap.value, '4.2');
    assert.equal(t1.gap.threshold, '37');
    assert.equal(t1.cite, '二');
    assert.equal(t1.title, '亩均税收');
    assert.deepEqual(t1.responsible, ['区经信局', '区税务局']);
    assert.match(t1.message(), /32\.8 万元\/亩/);
    assert.match(t1.message('en'), /^tax per mu 32\.8 万元\/亩/);
    assert.equal(r.message('T1', 'en'), t1.message('en'));
    assert.equal(t1.values.min_mu_tax.value, '37');
    assert.equal(t1.values.min_mu_tax.kind, 'parameter');
    assert.equal(r.rulesIn('en')[0].title, 'tax per mu');
  });

  await t.test('numbers become the shortest decimal', () => {
    const r = rb.evaluate({ tax: 0.1, land_area: 3.0 }, D);
    assert.equal(r.value('tax'), '0.1');
    assert.equal(r.value('land_area'), '3');
    assert.throws(() => rb.evaluate({ tax: NaN }, D), FactError);
    assert.throws(() => rb.evaluate({ tax: Infinity }, D), FactError);
    assert.throws(() => rb.evaluateMany([{ tax: NaN }], D), FactError);
  });

  await t.test('number paths agree', () => {
    // evaluate() sends numbers to rulebook_facts_set_double, evaluateMany()
    // sends String(n); both are a shortest decimal that reads back as n.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = [];
    for (let i = 0; i < 150; i++) values.push(rnd() * 1e6);
    for (let i = 0; i < 150; i++) values.push(rnd() * 10 ** Math.floor(rnd() * 18 - 6));
    values.push(0.1, 0.3, 1e-7, 123456789.125, 2.5e-5, 1e16, 12345678.9);
    const many = rb.evaluateMany(values.map((v) => ({ tax: v, land_area: 1 })), D, { details: true });
    const digits = (s) => s.replace(/e.*$/i, '').replace('.', '').replace(/^[0-]+/, '').replace(/0+$/, '').length;
    values.forEach((v, i) => {
      const one = rb.evaluate({ tax: v, land_area: 1 }, D).value('tax');
      assert.equal(Number(many[i].value('tax')), v);
      assert.equal(Number(one), v);
      assert.equal(digits(one), digits(String(v)));
      if (one !== many[i].value('tax')) assert.ok(digits(String(v)) >= 16, String(v));
    });
  });

  await t.test('exceptions, missing inputs, obligations', () => {
    const r = rb.evaluate({ tax: 1, land_area: 1, key_project: true, converted: 15 }, D);
    const t1 = r.rule('T1');
    assert.equal(t1.verdict, 'exempt');
    assert.equal(t1.exception, 'key');
    assert.equal(t1.exceptionCite, '三（一）4');
    assert.deepEqual(r.rule('P3').obligations, [{ id: 'compensating_land', value: '22.5', unit: '亩' }]);
    assert.deepEqual(r.rule('E1').missing, ['employees']);
    assert.equal(r.counts.unknown, 2);
    assert.equal(r.withVerdict('unknown').length, 2);
  });

  await t.test('value types', () => {
    const r = rb.evaluate({ employees: 12, key_project: false, sector: '化工', name: '甲公司',
      deadline: new Date('2023-05-01'), tax: null }, D);
    assert.equal(r.value('employees'), '12');
    assert.equal(r.value('key_project'), false);
    assert.equal(r.value('sector'), '化工');
    assert.equal(r.value('name'), '甲公司');
    assert.equal(r.value('deadline'), '2023-05-01');
    assert.equal(r.value('late'), true);
    assert.equal(r.value('tax'), null);
    assert.equal(r.value('no_such_name'), null);
    assert.equal(r.verdicts.D1, 'fail');
    const local = rb.evaluate({ deadline: new Date(2023, 4, 1, 15, 30) }, D);
    assert.equal(local.value('deadline'), '2023-05-01');
    const r2 = rb.evaluate(new Map([['key_project', 'true'], ['deadline', '2023-12-01'], ['sector', '化工']]), D);
    assert.equal(r2.value('key_project'), true);
    assert.equal(r2.verdicts.D1, 'pass');
  });

  await t.test('bad facts', () => {
    assert.throws(() => rb.evaluate({ taxx: 1 }, D), (e) => e instanceof NotFoundError && e.subject === 'taxx');
    assert.throws(() => rb.evaluate({ tax: 'abc' }, D), (e) => e instanceof FactError && e.subject === 'tax');
    assert.throws(() => rb.evaluate({ employees: '1.5' }, D), FactError);
    assert.throws(() => rb.evaluate({ sector: '金融' }, D), FactError);
    assert.throws(() => rb.evaluate({ tax: [1] }, D), FactError);
    assert.throws(() => rb.evaluate({ key_project: 1.5 }, D), FactError);
    assert.throws(() => rb.evaluate({ tax: 10n ** 20n + 1n }, D), NumberRangeError);
    assert.throws(() => rb.evaluate({ tax: '1e999' }, D), NumberRangeError);
    assert.throws(() => rb.evaluate({}, '2023-02-30'), InvalidArgumentError);
    assert.throws(() => rb.evaluate({}, new Date('nonsense')), InvalidArgumentError);
    /* NUL is never a cut: a name with NUL is not the input before it, and a
     * text with NUL is refused */
    assert.throws(() => rb.evaluate({ 'tax\0evil': 1 }, D),
      (e) => e instanceof NotFoundError && e.subject === 'tax\0evil' &&
        e.message.includes("'tax\\0evil' is not an input"));
    assert.throws(() => rb.evaluate({ tax: '1\x002' }, D), FactError);
    assert.throws(() => rb.evaluate({ _id: 'a\0b', tax: 1 }, D), RulebookError);
  });

  await t.test('ignoreUnknown', () => {
    const rec = { _id: 'E1', tax: 984, land_area: 30, not_an_input: 1 };
    assert.throws(() => rb.evaluate(rec, D), NotFoundError);
    assert.throws(() => rb.evaluateMany([rec], D), NotFoundError);
    assert.throws(() => rb.population([rec], D), NotFoundError);
    const a = rb.evaluate(rec, D, { ignoreUnknown: true });
    const b = rb.evaluateMany([rec], D, { ignoreUnknown: true })[0];
    const pop = rb.population([rec], D, { ignoreUnknown: true });
    assert.deepEqual(pop.verdicts(0), a.verdicts);
    assert.equal(pop.add(rec, { ignoreUnknown: true }), 1);
    pop.close();
    assert.deepEqual(a.verdicts, b.verdicts);
    assert.equal(a.recordId, 'E1');
    assert.equal(b.explain(), a.explain());
  });

  await t.test('record ids and as-of forms', () => {
    assert.equal(rb.evaluate({ _id: 'E7', _note: 'ignored', tax: 1 }, D).recordId, 'E7');
    assert.equal(rb.evaluate({ tax: 1 }, D).recordId, null);
    assert.equal(rb.evaluate({ _id: 12 }, D).recordId, '12');
    assert.equal(rb.evaluate({}, 20230630).asOf, D);
    assert.equal(rb.evaluate({}, new Date('2023-06-30')).asOf, D);
    assert.equal(rb.evaluate({}, new Date(2023, 5, 30)).asOf, D);
    const out = rb.evaluate({ tax: 1 }, '2024-01-01');
    assert.deepEqual(new Set(Object.values(out.verdicts)), new Set(['not_in_force']));
  });

  await t.test('json, objects and explanations', () => {
    const r = rb.evaluate({ _id: 'E1', tax: 984, land_area: 30, converted: 15 }, D);
    const js = JSON.parse(r.json());
    assert.equal(js.record, 'E1');
    assert.equal(js.rules[0].gap.value, '4.2');
    const o = r.toObject();
    o.rules.length = 0; // a copy
    assert.equal(r.toObject().rules.length, 4);
    assert.equal(JSON.parse(JSON.stringify(r)).record, 'E1');
    assert.equal(JSON.parse(r.json({ lang: 'en' })).rules[0].title, 'tax per mu');
    assert.match(r.json({ pretty: true }), /\n {2}/);
    assert.ok(!('message' in JSON.parse(r.json({ verdictsOnly: true })).rules[0]));
    assert.match(r.explain(), /亩均税收/);
    assert.match(r.explain('en'), /tax per mu/);
    assert.throws(() => r.explain('fr'), InvalidArgumentError);
  });

  await t.test('evaluateMany matches evaluate', () => {
    const records = [
      { _id: 'a', tax: 984, land_area: '20000 m²', converted: 15 },
      { _id: 'b', tax: '1158.1', land_area: 31.3, key_project: true },
      { _id: 'c', employees: 3, sector: '化工', deadline: new Date('2023-01-01') },
      { _id: 'd', name: '引号"与\\反斜杠\n换行', tax: null },
      {},
    ];
    const many = rb.evaluateMany(records, D);
    const full = rb.evaluateMany(records, D, { details: true });
    assert.equal(many.length, records.length);
    records.forEach((rec, i) => {
      const one = rb.evaluate(rec, D);
      const m = many[i];
      assert.deepEqual(full[i].toObject(), m.toObject());
      assert.deepEqual(full[i].verdicts, m.verdicts);
      assert.deepEqual(m.verdicts, one.verdicts);
      assert.deepEqual(m.counts, one.counts);
      assert.equal(m.recordId, one.recordId);
      assert.deepEqual(m.toObject(), one.toObject());
      assert.deepEqual(m.toObject({ lang: 'en' }), one.toObject({ lang: 'en' }));
      m.rules.forEach((x, k) => assert.equal(x.message('en'), one.rules[k].message('en')));
      assert.equal(m.explain('en'), one.explain('en'));
    });
    assert.equal(many[3].value('name'), '引号"与\\反斜杠\n换行');
    assert.equal(many[3].recordId, 'd');
    assert.deepEqual(rb.evaluateMany([], D), []);
    assert.throws(() => rb.evaluateMany([{ tax: 1 }, { tax: 2 }, { tax: 'x' }], D),
      (e) => e instanceof FactError && e.record === 2 && e.subject === 'tax' && /record 2/.test(e.message));
  });

  await t.test('evaluateJSON', () => {
    const out = JSON.parse(rb.evaluateJSON('[{"tax": 984, "land_area": 30}]', D));
    assert.equal(out[0].rules[0].verdict, 'fail');
    assert.throws(() => rb.evaluateJSON('[{', D), ParseError);
  });

  rb.close();
});

test('targets', () => {
  const rb = Rulebook.load(path.join(FIXTURES, 'targets.yaml'));
  assert.deepEqual(rb.targets.map((x) => x.id), ['T14', 'T12', 'P8']);
  const r = rb.evaluate({ freed_land: 1900, intensity: '0.47', intensity_base: '0.5', trained: 260 }, '2022-06-30');
  const t = r.targets;
  assert.equal(t.T14.status, 'behind_pace');
  assert.equal(t.T14.flagged, true);
  assert.equal(t.T14.achieved, '1900');
  assert.equal(t.T14.target, '4000');
  assert.equal(t.T14.completion, '0.475');
  assert.equal(t.T14.shortfall, '2100');
  assert.equal(Number(t.T14.timeProgress).toFixed(4), '0.4986');
  assert.equal(Number(t.T14.neededPerMonth).toFixed(2), '116.35');
  assert.equal(t.T12.status, 'on_pace');
  assert.equal(t.P8.status, 'on_pace');
  rb.close();
});

test('scorecards', () => {
  const rb = Rulebook.load(path.join(FIXTURES, 'scorecard.yaml'));
  assert.deepEqual(rb.scorecards[0].classes, ['A', 'B', 'C', 'D']);
  const r = rb.evaluate({ tax: '120.485', value_added: '340.4', land_area: 10, safety_violation: false,
    d_years_running: 1 }, D);
  const s = r.scorecards.mujun;
  assert.equal(s.class, 'D');
  assert.equal(r.classOf(), 'D');
  assert.equal(s.score, '40');
  assert.equal(s.veto, null);
  assert.equal(s.components[0].points, '30');
  assert.deepEqual(s.consequences, [{ id: 'surcharge', value: '0.1', unit: '元/kWh', cite: '四（四）',
    document: 0 }]);
  assert.equal(s.document, 0);
  const v = rb.evaluate({ tax: 240.97, value_added: 1361.6, land_area: 10, safety_violation: true }, D);
  assert.equal(v.scorecards.mujun.veto, 'safety');
  assert.equal(rb.evaluate({ value_added: 1361.6, land_area: 10, safety_violation: false }, D).classOf('mujun'), null);
  assert.equal(rb.evaluate({ land_area: 2.5 }, D).classOf('mujun'), 'not_rated');
  rb.close();
});

test('populations', async (t) => {
  const rb = Rulebook.load(path.join(FIXTURES, 'population.yaml'));

  await t.test('share exactly at the threshold, and a what-if', () => {
    const recs = [
      { _id: 'p1', area: 40, industrial: true, standard_land: true, year: 2022, score_in: 1 },
      { _id: 'p2', area: 20, industrial: true, standard_land: true, year: 2022, score_in: 1 },
      { _id: 'p3', area: 90, industrial: false, standard_land: false, year: 2022, score_in: 1 },
      { _id: 'p4', area: 500, industrial: false, standard_land: false, year: 2021, score_in: 1 },
    ];
    const pop = rb.population(recs, D);
    assert.equal(pop.size, 4);
    assert.deepEqual(pop.recordIds, ['p1', 'p2', 'p3', 'p4']);
    const a = pop.aggregates['P4.industrial_share'];
    assert.equal(a.verdict, 'pass');
    assert.equal(a.value, '0.4');
    assert.equal(a.numerator, '60');
    assert.equal(a.denominator, '150');
    assert.equal(a.counted, 3);
    assert.deepEqual(a.records, [0, 1, 2]);
    assert.equal(pop.aggregates.total_area.value, '650');
    const w = pop.copy();
    assert.equal(w.add({ area: 100, industrial: false, year: 2022 }), 4);
    assert.equal(w.aggregates['P4.industrial_share'].verdict, 'fail');
    assert.equal(w.aggregates['P4.industrial_share'].value, '0.24');
    assert.equal(w.size, 5);
    assert.equal(pop.size, 4);
    w.close();
    assert.equal(pop.toObject().records, 4);
    pop.close();
  });

  await t.test('records do not leak into each other', () => {
    const pop = rb.population([
      { area: 30, industrial: true, standard_land: true, year: 2022, score_in: 1 },
      { industrial: true, standard_land: true, year: 2022, score_in: 1 },
    ], D);
    assert.equal(pop.aggregates['P4.industrial_share'].verdict, 'unknown');
    assert.deepEqual(pop.recordIds, [null, null]);
    pop.close();
  });

  await t.test('rank classes and ties', () => {
    const scores = [10, 9, 9, 7, 6, 5, 4, 3, 2, 1];
    const recs = scores.map((s, i) => ({ _id: `e${i + 1}`, score_in: s }));
    recs.push({ _id: 'e11' });
    const pop = rb.population(recs, D);
    // the fixture has two scorecards: "rank" (by rank) and "avg"
    assert.throws(() => pop.classes(), InvalidArgumentError);
    const classes = pop.classes('rank');
    assert.deepEqual(classes.slice(0, 4), ['A', 'A', 'A', 'B']);
    assert.equal(classes[10], null);
    assert.equal(pop.classOf(1, 'rank'), 'A');
    assert.equal(pop.classOf(-1, 'rank'), null);
    assert.equal(pop.score(0, 'rank'), '10');
    assert.equal(pop.classCounts.rank.A, 3);
    assert.throws(() => pop.classOf(11), RangeError);
    assert.throws(() => pop.classes('nope'), NotFoundError);
    pop.close();
  });

  await t.test('a bad record names its index', () => {
    assert.throws(() => rb.population([{ area: 1 }, { area: 'lots' }], D),
      (e) => e instanceof FactError && e.record === 1 && e.subject === 'area');
  });

  rb.close();
});

test('population verdicts match evaluate', () => {
  const rb = basic();
  const recs = [{ tax: 984, land_area: 30 }, { tax: 1158.1, land_area: 31.3, employees: 5 },
    { key_project: true, tax: 1, land_area: 1, converted: 2 }];
  const pop = rb.population(recs, D);
  const total = {};
  recs.forEach((rec, i) => {
    const r = rb.evaluate(rec, D);
    assert.deepEqual(pop.verdicts(i), r.verdicts);
    assert.equal(pop.verdict(i, 'T1'), r.verdicts.T1);
    for (const [k, v] of Object.entries(r.counts)) total[k] = (total[k] || 0) + v;
  });
  assert.deepEqual(pop.counts, total);
  pop.close();
  rb.close();
});

test('population report page', () => {
  const rb = basic();
  // <x> and y fail T1 (30 and 20 万元/亩 < 37); z passes (40)
  const recs = [{ _id: '<x>', tax: 300, land_area: 10 }, { _id: 'y', tax: 200, land_area: 10 },
    { _id: 'z', tax: 400, land_area: 10 }];
  const pop = rb.population(recs, D);
  const page = pop.reportHtml(recs, { data: 'firms.csv' });
  assert.ok(page.startsWith('<!DOCTYPE html>'));
  assert.ok(page.includes('data-rule="T1" data-fail="2"'));
  assert.ok(page.includes('&lt;x&gt;'));
  assert.ok(!page.includes('<x>'));
  assert.ok(page.includes('<code>firms.csv</code>'));
  assert.ok(page.includes('+7 万元/亩'));
  const en = pop.reportHtml(recs, { lang: 'en' });
  assert.ok(en.includes('<html lang="en">'));
  assert.ok(en.includes('tax per mu 20 万元/亩'));
  const bare = pop.reportHtml();
  assert.ok(bare.includes('data-rule="T1" data-fail="2"'));
  assert.ok(!bare.includes('+7 万元/亩'));
  assert.throws(() => pop.reportHtml(null, { lang: 'fr' }), InvalidArgumentError);
  assert.throws(() => pop.reportHtml(recs.slice(0, 2)), /2 results for a population of 3 records/);
  assert.throws(() => pop.reportHtml(null, { yellowBehind: 40 }),
    /yellow_behind must not be larger than red_behind/);
  pop.close();
  rb.close();
});

test('rulebook tests and lint', () => {
  const rb = basic();
  const rep = rb.runTests();
  assert.equal(rep.ok, true);
  assert.equal(rep.passed, 2);
  const lint = rb.lint(D);
  assert.ok(lint.every((d) => d.status === rulebook.Status.LINT || d.status === rulebook.Status.NOTE));
  const unused = lint.filter((d) => d.subject === 'name');
  assert.equal(unused.length, 1);
  assert.equal(unused[0].file, 'basic.yaml');
  assert.ok(rb.lint('2024-06-30').length > lint.length);
  rb.close();

  const failing = Rulebook.fromString(BASIC.replace('T1: pass}, values: {mu_tax: 37}', 'T1: fail}, values: {mu_tax: 36}'));
  const r2 = failing.runTests();
  assert.equal(r2.ok, false);
  assert.equal(r2.failed, 2);
  assert.equal(r2.failures[0].case, 'at the threshold');
  assert.equal(r2.failures[0].expected, 'fail');
  assert.equal(r2.failures[0].actual, 'pass');
  assert.ok(r2.failures[0].line > 0);
  failing.close();

  for (const dir of fs.readdirSync(RULES)) {
    for (const f of fs.readdirSync(path.join(RULES, dir)).filter((n) => n.endsWith('.yaml'))) {
      const b = Rulebook.load(path.join(RULES, dir, f));
      const r = b.runTests();
      assert.ok(r.ok, `${dir}/${f}: ${JSON.stringify(r.failures)}`);
      assert.ok(r.passed > 0);
      b.close();
    }
  }
});

test('lifetimes', async (t) => {
  await t.test('close is idempotent; closed objects refuse use', () => {
    const rb = basic();
    rb.close();
    rb.close();
    assert.equal(rb.closed, true);
    assert.throws(() => rb.evaluate({}, D), ClosedError);
    assert.equal(rb.id, 'test.binding');
  });

  await t.test('results and populations keep the rulebook alive', () => {
    const rb = basic();
    const r = rb.evaluate({ tax: 984, land_area: 30 }, D);
    const pop = rb.population([{ tax: 1 }], D);
    const many = rb.evaluateMany([{ tax: 1 }, { tax: 2 }], D);
    rb.close();
    assert.equal(r.verdicts.T1, 'fail');
    assert.match(r.explain(), /T1/);
    assert.equal(pop.size, 1);
    const c = pop.copy();
    c.add({ tax: 2 });
    c.close();
    assert.match(many[0].explain(), /T1/);
    many[1].close();
    assert.throws(() => many[1].explain(), ClosedError);
    assert.throws(() => many[1].verdicts, ClosedError);
    r.close();
    r.close();
    assert.throws(() => r.explain(), ClosedError);
    pop.close();
    many[0].close();
  });

  await t.test('any order', () => {
    for (let order = 0; order < 6; order++) {
      const rb = basic();
      const objs = [rb, rb.evaluate({ tax: 1 }, D), rb.population([{ tax: 1 }], D), ...rb.evaluateMany([{ tax: 1 }], D)];
      const perm = objs.map((o, i) => [((i + 1) * (order + 3)) % 7, o]).sort((a, b) => a[0] - b[0]);
      for (const [, o] of perm) o.close();
    }
  });

  await t.test('garbage collection frees what was not closed', { skip: typeof global.gc !== 'function' && 'run node with --expose-gc' }, async () => {
    const handles = [];
    (() => {
      for (let i = 0; i < 20; i++) {
        const rb = basic();
        handles.push(rb._h);
        rb.evaluate({ tax: i }, D);
        rb.evaluateMany([{ tax: i }], D);
        rb.population([{ tax: i }], D);
      }
    })();
    for (let i = 0; i < 50 && handles.some((h) => h.ptr !== null); i++) {
      global.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(handles.every((h) => h.ptr === null), 'every rulebook was freed');
  });
});

test('tables, rules about rules and several documents', () => {
  const rb = Rulebook.load(path.join(RULES, 'zhejiang', 'standard-land.yaml'));
  const r = rb.evaluate({
    industry: 26, platform: '省级以上开发区', land_area: 30, fixed_investment: 9000,
    storeys: [{ height: 6, area: 10000 }, { height: 8, area: '10000' }], tax: 900, value_added: 2000, energy_use: 2500, emission_equivalent: 10,
    rd_expenditure: 500, revenue: 20000,
  }, D);
  const far = r.rule('basic.far');
  assert.equal(far.verdict, 'pass');
  const lookup = far.values['far_min[industry]'];
  assert.equal(lookup.kind, 'table');
  assert.equal(lookup.key, 'far_min[26]');
  assert.equal(lookup.value, '1');
  assert.equal(far.document, 0);
  assert.equal(r.rule('x.rd').document, 1);
  /* 26 has no emission figure: unknown, naming the row */
  assert.deepEqual([...r.rule('basic.emission').missing], ['emission_va_min[26]']);
  const basic = r.rule('basic');
  assert.equal(basic.verdict, 'unknown');
  assert.equal(basic.partsMode, 'all_of');
  assert.deepEqual(basic.parts.map((p) => p.rule),
    ['basic.invest', 'basic.far', 'basic.tax', 'basic.energy', 'basic.emission']);
  /* 2000 / 30 = 66.6667 against 100: short by 33.3333 */
  assert.deepEqual({ ...r.rule('x').parts[1] },
    { rule: 'x.mu_value_added', verdict: 'fail', cite: '控制性指标表 X', gap: '+33.3333 万元/亩' });
  assert.equal(far.partsMode, null);
  assert.equal(far.parts.length, 0);
  rb.close();
});

test('lists: arrays on every path', () => {
  const rb = Rulebook.fromString(LISTS);
  // heights 3.5, 9, 10.1: two over 8 m; storeys 9 m × 300 m² (twice: 600)
  // and 4 m × 500 m²: floor area 1100 m²
  const rec = {
    heights: [3.5, 9, '10.1'], facilities: ['宿舍', '食堂'],
    storeys: [{ height: 9, area: 300 }, { height: 4, area: 500n }], area: 1100,
  };
  const r = rb.evaluate(rec, D);
  assert.deepEqual(r.verdicts, { T: 'fail', C: 'pass', F: 'pass' });
  assert.equal(r.value('tall'), '2');
  assert.equal(r.value('floor_area'), '1100');
  assert.equal(r.value('heights'), '[3.5, 9, 10.1]');
  assert.deepEqual(rb.evaluateMany([rec], D).map((x) => x.verdicts), [r.verdicts]);
  const out = JSON.parse(rb.evaluateJSON(JSON.stringify({ heights: [3.5, 9, 10.1] }), D));
  assert.deepEqual(out.rules[0].values['count(h in heights where h > 8)'].took, [2, 3]);
  // 6, 9, 7 in one cell: one over 8 m; no canteen
  const pop = rb.population([rec, { ...rec, heights: '6、9；7', facilities: [] }], D);
  assert.deepEqual(pop.verdicts(0), r.verdicts);
  assert.deepEqual(pop.verdicts(1), { T: 'pass', C: 'fail', F: 'pass' });
  assert.throws(() => rb.evaluate({ heights: [1, 'x'] }, D), /element 2 of list 'heights'/);
  assert.throws(() => rb.evaluate({ heights: [1, Infinity] }, D), FactError);
  assert.throws(() => rb.evaluate({ area: [1] }, D), FactError);
  assert.throws(() => rb.population([{ area: [1] }], D), FactError);
  rb.close();
});
