#!/usr/bin/env node
// List what a rulebook declares with the Node binding: the documents it
// cites, and for each rule its title, where it is written and what it uses.
//
//   node examples/node/declarations.js [RULEBOOK [zh|en]]
//
// Default: the Lin'an enterprise rulebook, in Chinese. Needs `npm ci` in
// bindings/node and the library built (or RULEBOOK_LIBRARY set).
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { Rulebook, RulebookError } = require(path.join(root, 'bindings', 'node')); // require('rulebook') once installed

const file = process.argv[2] || path.join(root, 'rules/linan/enterprise.yaml');
const lang = process.argv[3] || 'zh';

let rb;
try {
  rb = Rulebook.load(file);
} catch (e) {
  if (!(e instanceof RulebookError)) throw e;
  for (const d of e.diagnostics) console.error(`${d.file}:${d.line}:${d.column}: ${d.message}`);
  process.exit(1);
}

console.log(`${rb.id}: ${rb.titleIn(lang)}`);
for (const doc of rb.documents) {
  console.log(`  [${doc.index}] ${doc.issuer} ${doc.title} ${doc.number || ''} (${doc.issued || 'date unknown'})`);
}
if (rb.idColumns.length) console.log('record ids in the column', rb.idColumns.join(' or '));
for (const input of rb.inputs) {
  const other = rb.inputAliases(input.name);
  const label = rb.inputLabel(input.name, lang);
  console.log(`  input ${input.name}${label ? ` (${label})` : ''}${other.length ? `, also read from ${other.join(', ')}` : ''}`);
}
for (const item of rb.items('rule')) {
  const { file: f, line, column } = item.location;
  console.log(`${f}:${line}:${column}: ${item.id} ${rb.ruleTitle(item.id, lang) || ''} [document ${item.document}] uses ${item.uses.join(', ')}`);
}
rb.close();
