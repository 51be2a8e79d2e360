'use strict';
// Every function the library exports is either wrapped by this binding or
// listed as deliberately not wrapped, with a reason, in the table of
// docs/bindings.md ("Coverage of the C API").
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const rulebook = require('..');
const { SOURCE_ROOT } = require('./support');

const SYMBOLS = path.join(SOURCE_ROOT, 'debian', 'librulebook0.symbols');
const DOC = path.join(SOURCE_ROOT, 'docs', 'bindings.md');
const PACKAGE = path.join(__dirname, '..');
const ROW = /^\| `(rulebook_\w+)` \| (.*?) \| (.*?) \|$/;

function exported() {
  const names = [];
  for (const line of fs.readFileSync(SYMBOLS, 'utf8').split('\n')) {
    const m = /^ (rulebook_\w+)@/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

function table() {
  const text = fs.readFileSync(DOC, 'utf8');
  const start = text.indexOf('\n## Coverage of the C API\n');
  assert.ok(start >= 0, `no coverage table in ${DOC}`);
  const end = text.indexOf('\n## ', start + 1);
  const rows = new Map();
  for (const line of text.slice(start, end).split('\n')) {
    const m = ROW.exec(line);
    if (!m) continue;
    assert.ok(!rows.has(m[1]), `${m[1]} has two rows in ${DOC}`);
    rows.set(m[1], [m[2], m[3]]);
  }
  return rows;
}

// What is wrong with one binding's column: a list of sentences.
function problems(names, rows, column, uses, declared) {
  const out = [];
  for (const name of names) {
    if (!rows.has(name)) {
      out.push(`${name} is exported but has no row in the table of bindings.md: wrap it or say why not`);
      continue;
    }
    const cell = rows.get(name)[column];
    if (cell.startsWith('yes')) {
      if (!declared(name)) out.push(`${name}: the table says yes, but the binding does not declare it (or the library lacks it)`);
      else if (uses(name) < 2) out.push(`${name}: the table says yes, but the binding only declares it`);
    } else if (!(cell.startsWith('no: ') && cell.length > 4)) {
      out.push(`${name}: the cell must be 'yes...' or 'no: <reason>', not '${cell}'`);
    } else if (uses(name) >= 2) {
      out.push(`${name}: the table says no, but the binding calls it: say yes and what wraps it`);
    }
  }
  for (const name of rows.keys()) {
    if (!names.includes(name)) out.push(`${name} is in the table but not exported`);
  }
  return out;
}

test('the table is there and full', () => {
  const rows = table();
  assert.ok(rows.size > 200);
  assert.ok(rows.has('rulebook_document_title'));
});

test('every exported function is wrapped or explained', () => {
  const source = fs.readdirSync(PACKAGE).filter((f) => f.endsWith('.js'))
    .map((f) => fs.readFileSync(path.join(PACKAGE, f), 'utf8')).join('\n');
  const { C } = rulebook._internal;
  const uses = (name) => (source.match(new RegExp(`\\b${name}\\b`, 'g')) || []).length;
  const declared = (name) => Boolean(C[name]);
  const found = problems(exported(), table(), 1, uses, declared);
  assert.deepEqual(found, [], found.join('\n'));
});

test('the check catches a gap', () => {
  const rows = new Map([['rulebook_a', ['yes', 'yes']], ['rulebook_b', ['no: ', 'no: ']],
    ['rulebook_c', ['no: why', 'no: why']], ['rulebook_e', ['no: why', 'no: why']],
    ['rulebook_z', ['yes', 'yes']]]);
  const found = problems(['rulebook_a', 'rulebook_b', 'rulebook_c', 'rulebook_d', 'rulebook_e'], rows, 1,
    (name) => (name === 'rulebook_e' ? 2 : 1), () => true);
  assert.equal(found.length, 5, found.join('\n'));
  assert.ok(found.includes('rulebook_e: the table says no, but the binding calls it: say yes and what wraps it'));
  assert.ok(found.includes('rulebook_a: the table says yes, but the binding only declares it'));
  assert.ok(found.some((f) => f.startsWith('rulebook_b: the cell must be')));
  assert.ok(found.some((f) => f.startsWith('rulebook_d is exported but has no row')));
  assert.ok(found.includes('rulebook_z is in the table but not exported'));
});
