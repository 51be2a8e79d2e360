'use strict';
// The shipped Lin'an rulebooks on the sample data: the binding's own paths
// (one record at a time, evaluateMany, population) must give the verdicts
// the C library gives on its own -- the command-line tool's JSON output
// ($RULEBOOK_CLI or build*/cli/rulebook) or, without the tool, one
// rulebook_eval_json call on the file's bytes made here through koffi.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const { SOURCE_ROOT, RULES, DATA } = require('./support');
const { Rulebook } = require('..');

const AS_OF = '2023-12-31';
const ENTERPRISE = path.join(RULES, 'linan', 'enterprise.yaml');
const ENTERPRISES = path.join(DATA, 'enterprises.json');
const PROJECT = path.join(RULES, 'linan', 'project.yaml');
const PARCELS = path.join(DATA, 'parcels.json');
const haveData = fs.existsSync(ENTERPRISE) && fs.existsSync(ENTERPRISES);

function findCli() {
  if (process.env.RULEBOOK_CLI) return fs.existsSync(process.env.RULEBOOK_CLI) ? process.env.RULEBOOK_CLI : null;
  const found = fs.readdirSync(SOURCE_ROOT).filter((n) => n.startsWith('build'))
    .map((n) => path.join(SOURCE_ROOT, n, 'cli', 'rulebook'))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return found[0] || null;
}

function reference(rulebookPath, dataPath) {
  const cli = findCli();
  if (cli) {
    try {
      const out = execFileSync(cli, ['eval', '-d', AS_OF, '--format', 'json', '--no-summary', rulebookPath, dataPath],
        { maxBuffer: 1 << 28 });
      return { how: 'cli', records: JSON.parse(out).map((r) => [r.record, Object.fromEntries(r.rules.map((x) => [x.id, x.verdict]))]) };
    } catch (e) { /* fall through */ }
  }
  const koffi = require('koffi');
  const lib = koffi.load(require('..').libraryPath);
  const evalJson = lib.func('int rulebook_eval_json(void *rb, const uint8_t *json, size_t len, int32_t as_of, uint32_t flags, _Out_ void **out, _Out_ size_t *out_len, void *err)');
  const memFree = lib.func('void rulebook_mem_free(void *p)');
  const rb = Rulebook.load(rulebookPath);
  const raw = fs.readFileSync(dataPath);
  const out = [null];
  const n = [0];
  assert.equal(evalJson(rb._h.get(), raw, raw.length, Number(AS_OF.replace(/-/g, '')), 4, out, n, null), 0);
  const text = koffi.decode.string(out[0], n[0]);
  memFree(out[0]);
  rb.close();
  return { how: 'rulebook_eval_json', records: JSON.parse(text).map((r) => [r.record, Object.fromEntries(r.rules.map((x) => [x.id, x.verdict]))]) };
}

function totals(maps) {
  const c = {};
  for (const m of maps) for (const v of Object.values(m)) c[v] = (c[v] || 0) + 1;
  return c;
}

function nonzero(counts) {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v));
}

test('Lin\'an enterprises', { skip: !haveData && 'rules/linan/enterprise.yaml or examples/data/enterprises.json is missing' }, async (t) => {
  const rb = Rulebook.load(ENTERPRISE);
  const records = JSON.parse(fs.readFileSync(ENTERPRISES, 'utf8'));
  const ref = reference(ENTERPRISE, ENTERPRISES);
  const expected = totals(ref.records.map(([, v]) => v));

  await t.test('the reference is sane', () => {
    assert.equal(ref.records.length, 210);
    assert.equal(Object.values(expected).reduce((a, b) => a + b, 0), 210 * rb.rules.length);
    assert.ok(expected.pass > 0 && expected.fail > 0);
  });

  await t.test('one record at a time', () => {
    const got = records.map((rec, i) => {
      const r = rb.evaluate(rec, AS_OF);
      assert.equal(r.recordId, ref.records[i][0]);
      assert.deepEqual(r.verdicts, ref.records[i][1], ref.records[i][0]);
      const v = r.verdicts;
      r.close();
      return v;
    });
    assert.deepEqual(totals(got), expected, ref.how);
  });

  await t.test('evaluateMany', () => {
    const results = rb.evaluateMany(records, AS_OF);
    assert.deepEqual(results.map((r) => r.recordId), ref.records.map(([id]) => id));
    assert.deepEqual(results.map((r) => r.verdicts), ref.records.map(([, v]) => v));
    results.forEach((r) => r.close());
  });

  await t.test('population', () => {
    const pop = rb.population(records, AS_OF);
    assert.equal(pop.size, 210);
    assert.deepEqual(nonzero(pop.counts), expected);
    assert.deepEqual(pop.recordIds, ref.records.map(([id]) => id));
    assert.deepEqual(pop.verdicts(0), ref.records[0][1]);
    pop.close();
  });

  await t.test('exact threshold record', () => {
    const r = rb.evaluate(records[0], AS_OF);
    assert.equal(r.recordId, 'E0001');
    assert.equal(r.verdicts['T1.mu_tax'], 'pass');
    assert.equal(r.value('mu_tax'), '37');
    r.close();
  });

  rb.close();
});

test('Lin\'an parcels: aggregates', { skip: !(fs.existsSync(PROJECT) && fs.existsSync(PARCELS)) && 'parcels sample data missing' }, () => {
  const rb = Rulebook.load(PROJECT);
  const parcels = JSON.parse(fs.readFileSync(PARCELS, 'utf8'));
  const pop = rb.population(parcels, AS_OF);
  const ref = reference(PROJECT, PARCELS);
  assert.deepEqual(nonzero(pop.counts), totals(ref.records.map(([, v]) => v)), ref.how);
  const share = pop.aggregates['P4.industrial_land_share'];
  assert.equal(share.verdict, 'pass');
  assert.equal(share.numerator, '785.1');
  assert.equal(share.denominator, '1682.5');
  const std = pop.aggregates['K5.standard_land_share'];
  assert.equal(std.verdict, 'fail');
  assert.equal(std.numerator, '723.9');
  assert.equal(std.denominator, '785.1');
  pop.close();
  rb.close();
});
