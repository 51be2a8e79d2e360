'use strict';
// Records per second of the Node binding on the enterprise-year workload
// (bench/enterprise-year.yaml), each beside the hand-written
// loop (workload.js) measured in the same run:
//
//   RULEBOOK_LIBRARY=build/lib/librulebook.so node bindings/bench/evaluate.js [RECORDS] [REPS] [--json]
//
//   hand loop              the policy written by hand over the same objects
//   evaluate               rb.evaluate(record) per record; every verdict,
//                          the class and the exact score read
//   evaluate (verdicts)    the same, verdicts and class only
//   population (arrays)    rb.population(columns) from Float64Arrays of
//                          the ten numeric and boolean inputs; verdicts,
//                          classes and scores read in bulk (typed arrays)
//   population (objects)   rb.population(records) from the same objects
//
// Each figure is the best of REPS rounds (the runs take turns in each
// round). It also counts the records on which the binding and the hand
// loop disagree (binary rounding next to a threshold: the hand loop's
// answer is the wrong one there).
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { Rulebook } = require(path.join(root, 'bindings', 'node'));
const W = require('./workload');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const asJSON = process.argv.includes('--json');
const n = Number(args[0] || 100000);
const reps = Number(args[1] || 5);

const rb = Rulebook.load(path.join(root, W.RULEBOOK));
const records = W.generate(n, 1);
const columns = {};
for (const k of [...W.NUMBERS, 'is_key_chain_project']) {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = records[i][k];
    a[i] = v === null ? NaN : Number(v);
  }
  columns[k] = a;
}
const numericRecords = records.map((r) => {
  const o = {};
  for (const k of W.NUMBERS) o[k] = r[k] === null ? NaN : r[k];
  return o;
});

const hv = new Uint8Array(n * 7);
const hc = new Int8Array(n);
const hs = new Float64Array(n);
const bv = new Uint8Array(n * 7);
const bc = new Int8Array(n);
const CLASS = { A: 0, B: 1, C: 2, D: 3, not_rated: -2 };
let sink = 0;

const runs = {
  'hand loop': () => W.handEvaluate(records, hv, hc, hs),
  evaluate: () => {
    for (let i = 0; i < n; i++) {
      const r = rb.evaluate(records[i], W.AS_OF);
      const v = r.verdicts;
      for (let k = 0; k < 7; k++) bv[i * 7 + k] = VERDICT[v[W.RULES[k]]];
      const c = r.classOf('mujun');
      bc[i] = c === null ? -1 : CLASS[c];
      const s = r.score('mujun');
      if (s !== null) sink += s.length;
      r.close();
    }
  },
  'evaluate (verdicts)': () => {
    for (let i = 0; i < n; i++) {
      const r = rb.evaluate(records[i], W.AS_OF);
      const v = r.verdicts;
      sink += v[W.RULES[0]].length;
      sink += (r.classOf('mujun') || '').length;
      r.close();
    }
  },
  'population (arrays)': () => {
    const pop = rb.population(columns, W.AS_OF);
    if (pop.size !== n) throw new Error(`population() took ${pop.size} of ${n} records`);
    sink += pop.verdictMatrix().length + pop.classCodes('mujun').length;
    sink += pop.scoreArrays('mujun').texts.length;
    pop.close();
  },
  'population (objects)': () => {
    const pop = rb.population(numericRecords, W.AS_OF);
    sink += pop.verdictMatrix().length + pop.classCodes('mujun').length;
    sink += pop.scoreArrays('mujun').texts.length;
    pop.close();
  },
};
const VERDICT = { pass: 1, fail: 2, not_applicable: 3, exempt: 4, unknown: 5, not_in_force: 6, error: 7 };

const best = {};
const failed = {};
for (const k of Object.keys(runs)) best[k] = Infinity;
for (let r = 0; r < reps; r++) {
  for (const [k, fn] of Object.entries(runs)) {
    if (failed[k]) continue;
    const t0 = process.hrtime.bigint();
    try {
      fn();
    } catch (e) {
      failed[k] = e.message;
      continue;
    }
    best[k] = Math.min(best[k], Number(process.hrtime.bigint() - t0) / 1e9);
  }
}

let differ = 0;
for (let i = 0; i < n; i++) {
  let same = hc[i] === bc[i];
  for (let k = 0; k < 7; k++) same = same && hv[i * 7 + k] === bv[i * 7 + k];
  if (!same) differ++;
}

const hand = best['hand loop'];
const out = { records: n, node: process.versions.node, differ, sink: sink > 0, runs: {} };
for (const [k, t] of Object.entries(best)) {
  out.runs[k] = failed[k] ? { error: failed[k] } : { perSecond: n / t, vsHand: t / hand };
}
if (asJSON) {
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  console.log(`Node ${process.versions.node}: ${n} enterprise-years of ${W.RULEBOOK}, best of ${reps}`);
  console.log(`${'run'.padEnd(22)} ${'records/s'.padStart(12)} ${'× hand loop time'.padStart(17)}`);
  for (const [k, r] of Object.entries(out.runs)) {
    if (r.error) console.log(`${k.padEnd(22)} not measured: ${r.error}`);
    else console.log(`${k.padEnd(22)} ${(r.perSecond / 1e3).toFixed(0).padStart(10)} K ${r.vsHand.toFixed(1).padStart(16)}`);
  }
  console.log(`records where the binding and the hand loop differ: ${differ} of ${n}`);
}
rb.close();
