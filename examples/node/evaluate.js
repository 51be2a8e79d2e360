#!/usr/bin/env node
// Evaluate records against a rulebook with the Node binding.
//
//   node examples/node/evaluate.js [RULEBOOK [DATA.json [YYYY-MM-DD]]]
//
// Defaults: the Lin'an enterprise rulebook on the sample enterprises, as of
// 2023-12-31. Needs `npm ci` in bindings/node and the library built (or
// RULEBOOK_LIBRARY set). Decimal values come back as strings: exact.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { Rulebook, RulebookError } = require(path.join(root, 'bindings', 'node')); // require('rulebook') once installed

const rulebookPath = process.argv[2] || path.join(root, 'rules/linan/enterprise.yaml');
const dataPath = process.argv[3] || path.join(root, 'examples/data/enterprises.json');
const asOf = process.argv[4] || '2023-12-31';

let rb;
try {
  rb = Rulebook.load(rulebookPath);
} catch (e) {
  if (!(e instanceof RulebookError)) throw e;
  for (const d of e.diagnostics) console.error(`${d.file}:${d.line}:${d.column}: ${d.message}`);
  process.exit(1);
}
console.log(`${rb.id}: ${rb.title} (${rb.rules.length} rules)`);

let records = JSON.parse(fs.readFileSync(dataPath, 'utf8'));
if (!Array.isArray(records)) records = [records];

// One record: verdicts and the message of each failed rule.
const first = rb.evaluate(records[0], asOf);
console.log(`\n${first.recordId}:`, first.counts);
for (const rule of first.failed) console.log(`  ${rule.id} (${rule.cite}): ${rule.message('zh')}`);
first.close();

// Every record in one call into the library.
const total = {};
for (const result of rb.evaluateMany(records, asOf)) {
  for (const v of Object.values(result.verdicts)) total[v] = (total[v] || 0) + 1;
  const failed = result.withVerdict('fail').map((r) => r.id);
  if (failed.length) console.log(`${result.recordId || '-'}: fails ${failed.join(', ')}`);
  result.close();
}
console.log('\nverdicts:', total);

// Records evaluated together: aggregates and classes by rank.
const pop = rb.population(records, asOf);
for (const agg of Object.values(pop.aggregates)) console.log(`aggregate ${agg.id}: ${agg.verdict} ${agg.value}`);
pop.close();
rb.close();
