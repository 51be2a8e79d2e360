-- rulebook.load stores a rulebook; reload replaces it; errors carry the
-- rulebook's file:line:col in DETAIL.
\getenv root RULEBOOK_SOURCE_ROOT
\set src `base64 -w0 :'root'/rules/linan/enterprise.yaml`
SELECT rulebook.load(convert_from(decode(:'src', 'base64'), 'UTF8'));
-- the stored hash is the SHA-256 of the file's bytes
\set sha `sha256sum :'root'/rules/linan/enterprise.yaml | cut -c1-64`
SELECT id, hash = :'sha' AS hash_of_source, length(source) > 1000 AS has_source,
       loaded_at <= now() AS loaded
  FROM rulebook.rulebooks;

-- A small rulebook: one input, one parameter, one rule.
SELECT rulebook.load($$
rulebook: 1
id: t.floor
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: mu_tax, cite: 二, require: mu_tax >= min_mu_tax}
$$);
-- 1158.1 万元 on 31.3 亩 is exactly 37 万元/亩
SELECT rulebook.verdict('t.floor', '{"tax": 1158.1, "land_area": 31.3}'::jsonb, '2023-06-30', 'mu_tax');
SELECT hash AS old_hash FROM rulebook.rulebooks WHERE id = 't.floor' \gset

-- Reload with a higher floor: the same id, a new hash, and this session's
-- compiled copy is replaced (the verdict changes).
SELECT rulebook.load($$
rulebook: 1
id: t.floor
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 38}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: mu_tax, cite: 二, require: mu_tax >= min_mu_tax}
$$);
SELECT count(*) AS rows_for_id, bool_and(hash <> :'old_hash') AS hash_changed
  FROM rulebook.rulebooks WHERE id = 't.floor';
SELECT rulebook.verdict('t.floor', '{"tax": 1158.1, "land_area": 31.3}'::jsonb, '2023-06-30', 'mu_tax');

-- Errors: YAML that does not parse (42601), a rule naming an unknown input
-- (42P17). The table keeps what it had.
\set VERBOSITY default
SELECT rulebook.load($$
rulebook: 1
id: t.bad
rules: [
$$);
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.load($$
rulebook: 1
id: t.bad
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
rules:
  - {id: r1, cite: 二, require: taxx > 1}
$$);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM rulebook.rulebooks WHERE id = 't.bad';
-- Several errors: each in DETAIL with its position.
SELECT rulebook.load($$
rulebook: 1
id: t.bad
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
rules:
  - {id: r1, cite: 二, require: tax > land_area}
  - {id: r1, cite: 三, require: tax > 1}
$$);
\echo :LAST_ERROR_SQLSTATE

-- An unknown rulebook id.
SELECT rulebook.evaluate('t.nowhere', '{}'::jsonb, '2023-06-30');
\echo :LAST_ERROR_SQLSTATE
-- NULL arguments: the functions are strict.
SELECT rulebook.evaluate(NULL, '{}'::jsonb, '2023-06-30') IS NULL AS null_id,
       rulebook.evaluate('t.floor', NULL::jsonb, '2023-06-30') IS NULL AS null_facts,
       rulebook.evaluate('t.floor', '{}'::jsonb, NULL) IS NULL AS null_date;
SELECT rulebook.load(NULL) IS NULL AS null_source;
-- An infinite as-of date.
SELECT rulebook.evaluate('t.floor', '{}'::jsonb, 'infinity');
\echo :LAST_ERROR_SQLSTATE
