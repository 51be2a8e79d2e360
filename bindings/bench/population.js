'use strict';
// The Node half of bindings/bench/population.py (run by it):
//   node bindings/bench/population.js RECORDS REPS
// prints {node_population, node_evaluate_many, node_evaluate_many_details,
// node_evaluate, node_version}
// as seconds per record, best of REPS runs.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { Rulebook } = require(path.join(root, 'bindings', 'node'));

const n = Number(process.argv[2] || 21000);
const reps = Number(process.argv[3] || 5);
const AS_OF = '2023-12-31';

const base = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'data', 'enterprises.json'), 'utf8'));
const records = [];
for (let i = 0; i < n; i++) records.push({ ...base[i % base.length], _id: `R${String(i).padStart(7, '0')}` });

const rb = Rulebook.load(path.join(root, 'rules', 'linan', 'enterprise.yaml'));

// The alternative population() does not use: one JSON object per record
// through rulebook_facts_set_json.
const koffi = require(path.join(root, 'bindings', 'node', 'node_modules', 'koffi'));
const lib = koffi.load(require(path.join(root, 'bindings', 'node')).libraryPath);
const popNew = lib.func('void *rulebook_population_new(void *rb, int32_t as_of)');
const popAdd = lib.func('int rulebook_population_add(void *pop, void *facts, void *err)');
const popFree = lib.func('void rulebook_population_free(void *pop)');
const factsNew = lib.func('void *rulebook_facts_new(void *rb)');
const factsFree = lib.func('void rulebook_facts_free(void *f)');
const factsClear = lib.func('void rulebook_facts_clear(void *f)');
const setJson = lib.func('int rulebook_facts_set_json(void *f, const uint8_t *json, size_t len, void *err)');
function populationJSON() {
  const p = rb._h.get();
  const pop = popNew(p, 20231231);
  const f = factsNew(p);
  for (const rec of records) {
    const js = Buffer.from(rb._recordJSON(rec), 'utf8');
    factsClear(f);
    if (setJson(f, js, js.length, null) !== 0 || popAdd(pop, f, null) !== 0) throw new Error('failed');
  }
  factsFree(f);
  popFree(pop);
}
const calls = {
  node_population: () => {
    const pop = rb.population(records, AS_OF);
    void pop.counts;
    pop.close();
  },
  node_population_json: populationJSON,
  node_evaluate_many: () => {
    for (const r of rb.evaluateMany(records, AS_OF)) {
      void r.verdicts;
      r.close();
    }
  },
  node_evaluate_many_details: () => {
    for (const r of rb.evaluateMany(records, AS_OF, { details: true })) {
      void r.verdicts;
      r.close();
    }
  },
  node_evaluate: () => {
    for (const rec of records) {
      const r = rb.evaluate(rec, AS_OF);
      void r.verdicts;
      r.close();
    }
  },
};
// The calls take turns in every round; the best round of each counts.
const out = {};
for (const k of Object.keys(calls)) out[k] = Infinity;
for (let r = 0; r < reps; r++) {
  for (const [k, fn] of Object.entries(calls)) {
    const t0 = process.hrtime.bigint();
    fn();
    out[k] = Math.min(out[k], Number(process.hrtime.bigint() - t0) / 1e9 / n);
  }
}
out.node_version = process.versions.node;
rb.close();
process.stdout.write(JSON.stringify(out) + '\n');
