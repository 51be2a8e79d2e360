'use strict';
// The Node half of bindings/bench/population.py (run by it):
//   node bindings/bench/population.js RECORDS REPS
// prints {node_population, node_population_per_record,
// node_population_numeric, node_population_numeric_table,
// node_evaluate_many, node_evaluate_many_details, node_evaluate,
// node_version} as seconds per record, best of REPS runs.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const rulebook = require(path.join(root, 'bindings', 'node'));

const { Rulebook } = rulebook;
const { C } = rulebook._internal;
const n = Number(process.argv[2] || 21000);
const reps = Number(process.argv[3] || 5);
const AS_OF = '2023-12-31';

const base = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'data', 'enterprises.json'), 'utf8'));
const records = [];
for (let i = 0; i < n; i++) records.push({ ...base[i % base.length], _id: `R${String(i).padStart(7, '0')}` });

const rb = Rulebook.load(path.join(root, 'rules', 'linan', 'enterprise.yaml'));

// The numeric inputs of the same records, without "_id".
const numericInputs = new Set(rb.inputs.filter((i) => i.type === 'number' || i.type === 'integer').map((i) => i.name));
const numeric = records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => numericInputs.has(k))));

// population() as with a library that lacks these functions.
function without(names, fn) {
  const saved = names.map((k) => C[k]);
  for (const k of names) C[k] = null;
  try {
    return fn();
  } finally {
    names.forEach((k, j) => { C[k] = saved[j]; });
  }
}

function population(recs) {
  const pop = rb.population(recs, AS_OF);
  if (pop.size !== recs.length) throw new Error('records lost');
  pop.close();
}

const calls = {
  node_population: () => population(records),
  node_population_per_record: () => without(['rulebook_population_add_table', 'rulebook_population_add_columns'],
    () => population(records)),
  node_population_numeric: () => population(numeric),
  node_population_numeric_table: () => without(['rulebook_population_add_columns'], () => population(numeric)),
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
