'use strict';
// The Node half of bindings/bench/population.py (run by it):
//   node bindings/bench/population.js RECORDS REPS
// prints {node_population, node_population_per_record,
// node_population_numeric, node_population_numeric_table,
// node_evaluate_many, node_evaluate_many_details, node_evaluate,
// node_version} as seconds per record, best of REPS runs.
//
// With --columns, the batch route on the enterprise-year workload
// (bench/enterprise-year.yaml, records of workload.js) instead, beside the
// hand-written loop (workload.js) in the same run:
//   RULEBOOK_LIBRARY=build/lib/librulebook.so node bindings/bench/population.js --columns RECORDS REPS
//   hand loop          the policy by hand over the same values (objects)
//   columns/1          rb.population(nine Float64Arrays, { threads: 1 });
//                      verdictMatrix, classCodes and scoreValues read
//   columns/2          the same on two of the library's threads
//   columns/default    the same with the default (one per processor)
//   columns/1 texts    threads 1, the exact score texts read as well
// printing records/s by wall clock and by CPU time (user + system, all
// threads) and the ratio to the hand loop's CPU time.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const rulebook = require(path.join(root, 'bindings', 'node'));

const { Rulebook } = rulebook;
const { C } = rulebook._internal;
const argv = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const n = Number(argv[0] || 21000);
const reps = Number(argv[1] || 5);
const AS_OF = '2023-12-31';

if (process.argv.includes('--columns')) {
  columnsBench();
  process.exit(0);
}

function columnsBench() {
  const W = require('./workload');
  const rb = Rulebook.load(path.join(root, W.RULEBOOK));
  const records = W.generate(n, 1);
  const columns = {};
  for (const k of W.NUMBERS) {
    columns[k] = Float64Array.from(records, (r) => (r[k] === null ? NaN : Number(r[k])));
  }
  const numeric = records.map((r) => Object.fromEntries(W.NUMBERS.map((k) => [k, r[k]])));
  const hv = new Uint8Array(n * 7);
  const hc = new Int8Array(n);
  const hs = new Float64Array(n);
  let sink = 0;
  const batch = (options, texts) => () => {
    const pop = rb.population(columns, W.AS_OF, options);
    if (pop.size !== n) throw new Error('records lost');
    sink += pop.verdictMatrix()[0] + pop.classCodes('mujun')[0];
    const s = texts ? pop.scoreArrays('mujun') : { values: pop.scoreValues('mujun') };
    sink += s.values.length + (texts ? s.texts.length : 0);
    pop.close();
  };
  const runs = {
    'hand loop': () => W.handEvaluate(numeric, hv, hc, hs),
    'columns/1': batch({ threads: 1 }),
    'columns/2': batch({ threads: 2 }),
    'columns/default': batch({}),
    'columns/1 texts': batch({ threads: 1 }, true),
  };
  const best = {};
  for (const k of Object.keys(runs)) best[k] = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < reps; r++) {
    for (const [k, fn] of Object.entries(runs)) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      fn();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      best[k].wall = Math.min(best[k].wall, wall);
      best[k].cpu = Math.min(best[k].cpu, (c.user + c.system) / 1e6);
    }
  }
  const hand = best['hand loop'].cpu;
  console.log(`${n} records of ${W.RULEBOOK}, best of ${reps}; Node ${process.versions.node}`);
  console.log('| run | records/s (wall) | records/s (CPU) | × hand loop (CPU) |');
  console.log('|---|---:|---:|---:|');
  for (const [k, b] of Object.entries(best)) {
    console.log(`| ${k} | ${(n / b.wall / 1e6).toFixed(2)} M | ${(n / b.cpu / 1e6).toFixed(2)} M | ${(b.cpu / hand).toFixed(1)} |`);
  }
  // the same population on any number of threads
  const one = rb.population(columns, W.AS_OF, { threads: 1 });
  const two = rb.population(columns, W.AS_OF, { threads: 2 });
  const same = Buffer.compare(Buffer.from(one.verdictMatrix()), Buffer.from(two.verdictMatrix())) === 0 &&
    Buffer.compare(Buffer.from(one.classCodes('mujun').buffer), Buffer.from(two.classCodes('mujun').buffer)) === 0 &&
    one.scoreArrays('mujun').texts.join('\n') === two.scoreArrays('mujun').texts.join('\n');
  console.log(`threads 1 and 2 give identical verdicts, classes and scores: ${same}`);
  one.close();
  two.close();
  rb.close();
  if (sink === -1) console.log(sink);
}

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
