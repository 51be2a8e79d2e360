'use strict';
// Records per second of the Node binding on the enterprise-year workload
// (bench/enterprise-year.yaml), each beside the hand-written
// loop (workload.js) measured in the same run:
//
//   RULEBOOK_LIBRARY=build/lib/librulebook.so node bindings/bench/evaluate.js [RECORDS] [REPS] [--json]
//
//   hand loop              the policy written by hand over the same objects
//   evaluate               rb.evaluate(record) per record; every verdict,
//                          the class and the score as a number
//                          (r.scoreNumber(): what a caller computing with
//                          numbers reads; it comes with the verdicts) read
//   evaluate (exact score) the same with the exact score (r.score(), a
//                          decimal string the library computes when read)
//   evaluate (verdicts)    the same, verdicts and class only
//   evaluate (setters)     the same as `evaluate` with the packed call
//                          switched off: a typed setter per fact, as with
//                          a library without rulebook_eval_packed
//   population (arrays)    rb.population(columns) from Float64Arrays of
//                          the nine numeric inputs; verdicts, classes and
//                          scores read in bulk (typed arrays)
//   population (objects)   rb.population(records) from the same objects
//   library alone          the packed call on the records packed
//                          beforehand, scores, classes and verdicts out:
//                          what the C library costs under evaluate, through
//                          the same koffi call (rulebook_eval_packed_call,
//                          its one argument the block before the records)
//
// Each figure is the best of REPS rounds (the runs take turns in each
// round; the setters' run comes after the other evaluate runs, as the C
// results it leaves to the garbage collector weigh on the run after it),
// by wall-clock time and by the process's CPU time (user + system, all
// threads: what a loaded machine disturbs less). It also counts the
// records on which the binding and the hand loop disagree (binary
// rounding next to a threshold: the hand loop's answer is the wrong one
// there).
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { Rulebook } = require(path.join(root, 'bindings', 'node'));
const W = require('./workload');
const koffi = require(path.join(root, 'bindings', 'node', 'node_modules', 'koffi'));

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const asJSON = process.argv.includes('--json');
const n = Number(args[0] || 100000);
const reps = Number(args[1] || 5);

const rb = Rulebook.load(path.join(root, W.RULEBOOK));
const records = W.generate(n, 1);
const columns = {};
for (const k of W.NUMBERS) {
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

// the same rulebook with the packed call switched off
const { C: lib } = require(path.join(root, 'bindings', 'node'))._internal;
const savedPacked = lib.rulebook_eval_packed;
lib.rulebook_eval_packed = null;
const rbSetters = Rulebook.load(path.join(root, W.RULEBOOK));
lib.rulebook_eval_packed = savedPacked;

const runs = {
  'hand loop': () => W.handEvaluate(records, hv, hc, hs),
  evaluate: () => {
    for (let i = 0; i < n; i++) {
      const r = rb.evaluate(records[i], W.AS_OF);
      const v = r.verdicts;
      for (let k = 0; k < 7; k++) bv[i * 7 + k] = VERDICT[v[W.RULES[k]]];
      const c = r.classOf('mujun');
      bc[i] = c === null ? -1 : CLASS[c];
      const s = r.scoreNumber('mujun');
      if (s !== null) sink += s;
      r.close();
    }
  },
  'evaluate (exact score)': () => {
    for (let i = 0; i < n; i++) {
      const r = rb.evaluate(records[i], W.AS_OF);
      const v = r.verdicts;
      for (let k = 0; k < 7; k++) sink += VERDICT[v[W.RULES[k]]];
      const c = r.classOf('mujun');
      sink += c === null ? -1 : CLASS[c];
      const s = r.score('mujun');
      if (s !== null) sink += s.length;
      r.close();
    }
  },
  'evaluate (verdicts)': () => {
    for (let i = 0; i < n; i++) {
      const r = rb.evaluate(records[i], W.AS_OF);
      const v = r.verdicts;
      for (let k = 0; k < 7; k++) sink += VERDICT[v[W.RULES[k]]];
      const c = r.classOf('mujun');
      sink += c === null ? -1 : CLASS[c];
      r.close();
    }
  },
  'evaluate (setters)': () => {
    for (let i = 0; i < n; i++) {
      const r = rbSetters.evaluate(records[i], W.AS_OF);
      sink += r.verdicts[W.RULES[0]].length + (r.classOf('mujun') || '').length;
      const s = r.score('mujun');
      if (s !== null) sink += s.length;
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
// The records as evaluate() packs them, for the library-alone run.
const { C } = require(path.join(root, 'bindings', 'node'))._internal;
const packed = records.map((r) => {
  const res = rb.evaluate(r, W.AS_OF);
  const bytes = res._pa.u8.slice(res._pr, res._pr + res._pl);
  res.close();
  return bytes;
});
let libAll = null;
runs['library alone'] = () => {
  const pk = rb._pk;
  const p = rb._h.ptr;
  // the records one after the other in one buffer, as evaluate() has them;
  // with rulebook_eval_packed_call the buffer starts with the call's block
  // and ends with the results
  if (libAll === null) {
    const ptr = koffi.sizeof('void *');
    const head = pk.call ? (4 * ptr + 24 + 7) & ~7 : 0;
    const at = new Uint32Array(n + 1);
    at[0] = head;
    for (let i = 0; i < n; i++) at[i + 1] = at[i] + ((packed[i].length + 7) & ~7);
    const all = new Uint8Array(at[n] + ((pk.out + 7) & ~7) + 8);
    for (let i = 0; i < n; i++) all.set(packed[i], at[i]);
    if (pk.call) {
      const ptrs = [p, pk.facts, pk.res, null].map((q) => BigInt(q === null ? 0 : koffi.address(q)));
      if (ptr === 8) new BigUint64Array(all.buffer, 0, 4).set(ptrs);
      else new Uint32Array(all.buffer, 0, 4).set(ptrs.map(Number));
    }
    libAll = { all, at, addr: Number(koffi.address(all)), u32: new Uint32Array(all.buffer),
      i32: new Int32Array(all.buffer), c: ptr };
  }
  const { all, at, addr, u32, i32, c } = libAll;
  const out = new Float64Array((pk.out + 7) >> 3);
  const outAddr = Number(koffi.address(out));
  for (let i = 0; i < n; i++) {
    const len = packed[i].length;
    let st;
    if (pk.call) {
      u32[c] = at[i];
      u32[c + 1] = len;
      u32[c + 2] = at[n];
      u32[c + 3] = pk.out;
      i32[c + 4] = 20231231;
      st = C.rulebook_eval_packed_call(addr);
    } else if (pk.scored) {
      st = C.rulebook_eval_packed_scored(p, pk.facts, addr + at[i], len, 20231231, pk.res, outAddr, pk.out, null);
    } else {
      st = C.rulebook_eval_packed(p, pk.facts, all.subarray(at[i], at[i] + len), len, 20231231, pk.res,
        new Uint8Array(out.buffer), pk.out, null);
    }
    if (st) throw new Error(`record ${i} refused`);
    if (!pk.scored) {
      const s = C.rulebook_result_score(pk.res, 0);
      if (s !== null) sink += s.length;
    }
  }
  void all;
};

const VERDICT = { pass: 1, fail: 2, not_applicable: 3, exempt: 4, unknown: 5, not_in_force: 6, error: 7 };

const best = {};
const bestCPU = {};
const failed = {};
for (const k of Object.keys(runs)) best[k] = bestCPU[k] = Infinity;
for (let r = 0; r < reps; r++) {
  for (const [k, fn] of Object.entries(runs)) {
    if (failed[k]) continue;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    try {
      fn();
    } catch (e) {
      failed[k] = e.message;
      continue;
    }
    best[k] = Math.min(best[k], Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    bestCPU[k] = Math.min(bestCPU[k], (c.user + c.system) / 1e6);
  }
}

let differ = 0;
for (let i = 0; i < n; i++) {
  let same = hc[i] === bc[i];
  for (let k = 0; k < 7; k++) same = same && hv[i * 7 + k] === bv[i * 7 + k];
  if (!same) differ++;
}

const hand = best['hand loop'];
const handCPU = bestCPU['hand loop'];
const out = { records: n, node: process.versions.node, differ, sink: sink > 0, runs: {} };
for (const [k, t] of Object.entries(best)) {
  const c = bestCPU[k];
  out.runs[k] = failed[k] ? { error: failed[k] }
    : { perSecond: n / t, vsHand: t / hand, perCPUSecond: n / c, vsHandCPU: c / handCPU };
}
if (asJSON) {
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  console.log(`Node ${process.versions.node}: ${n} enterprise-years of ${W.RULEBOOK}, best of ${reps}`);
  console.log(`${''.padEnd(22)} ${'wall clock'.padStart(27)}   ${'CPU time'.padStart(27)}`);
  console.log(`${'run'.padEnd(22)} ${'records/s'.padStart(12)} ${'× hand loop'.padStart(14)}   ${'records/s'.padStart(12)} ${'× hand loop'.padStart(14)}`);
  const k3 = (x) => `${(x / 1e3).toFixed(0).padStart(10)} K`;
  for (const [k, r] of Object.entries(out.runs)) {
    if (r.error) console.log(`${k.padEnd(22)} not measured: ${r.error}`);
    else console.log(`${k.padEnd(22)} ${k3(r.perSecond)} ${r.vsHand.toFixed(1).padStart(14)}   ${k3(r.perCPUSecond)} ${r.vsHandCPU.toFixed(1).padStart(14)}`);
  }
  console.log(`records where the binding and the hand loop differ: ${differ} of ${n}`);
}
rb.close();
rbSetters.close();
