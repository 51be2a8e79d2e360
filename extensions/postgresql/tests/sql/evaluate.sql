-- The jsonb route and the typed route give the same results; NULL is a
-- missing input; numeric stays exact; bad values are errors with
-- SQLSTATEs.
\set VERBOSITY default
-- The sample enterprises of examples/data as a typed table.
CREATE TABLE enterprise_years (
	_id text, _name text, above_scale boolean, is_manufacturing boolean,
	land_area numeric, tax numeric, value_added numeric, revenue numeric,
	rd_expense numeric, employees integer, energy_use numeric, energy_other numeric,
	electricity_use numeric, energy_intensity_base numeric, water_use numeric,
	gas_use numeric, has_violation boolean, rectification_deadline date,
	rectified boolean, remedy_path text, digitally_transformed boolean,
	mujun_class text, differential_pricing_applied boolean, land_use_tax_relief boolean);
\getenv root RULEBOOK_SOURCE_ROOT
\set data `base64 -w0 :'root'/examples/data/enterprises.json`
CREATE TABLE sample AS
	SELECT convert_from(decode(:'data', 'base64'), 'UTF8')::jsonb AS records;
INSERT INTO enterprise_years
	SELECT * FROM jsonb_populate_recordset(NULL::enterprise_years, (SELECT records FROM sample));
SELECT count(*) FROM enterprise_years;

-- jsonb and row give the same full result for every record (_name is not
-- an input: the row route ignores it; the jsonb route ignores keys
-- starting with "_").
SELECT count(*) FILTER (WHERE j = r) AS equal, count(*) FILTER (WHERE j <> r) AS different
  FROM (SELECT rulebook.evaluate('linan.enterprise', to_jsonb(e), '2023-06-30') AS j,
               rulebook.evaluate('linan.enterprise', e, '2023-06-30') AS r
          FROM enterprise_years e) x;

-- E0001: exactly 37 万元/亩 (1158.1 / 31.3) passes T1; its result carries
-- the record id and the exact values.
SELECT v->>'record' AS record, v->'counts' AS counts,
       v#>>'{rules,0,id}' AS rule, v#>>'{rules,0,verdict}' AS verdict,
       v#>>'{rules,0,values,mu_tax,value}' AS mu_tax
  FROM (SELECT rulebook.evaluate('linan.enterprise', e, '2023-06-30') AS v
          FROM enterprise_years e WHERE _id = 'E0001') x;

-- NULL columns are missing inputs: T1 becomes unknown and names them.
SELECT v#>>'{rules,0,verdict}' AS verdict, v#>'{rules,0,missing}' AS missing
  FROM (SELECT rulebook.evaluate('linan.enterprise', e, '2023-06-30') AS v
          FROM (SELECT _id, above_scale, is_manufacturing, NULL::numeric AS land_area,
                       NULL::numeric AS tax
                  FROM enterprise_years WHERE _id = 'E0001') e) x;
-- ... as JSON null is.
SELECT rulebook.verdict('linan.enterprise',
       '{"above_scale": true, "is_manufacturing": true, "tax": null, "land_area": 31.3}'::jsonb,
       '2023-06-30', 'T1.mu_tax');

-- numeric is carried exactly: 37 minus one part in 10^15 fails, where a
-- double would round it to 37 and pass.
SELECT rulebook.load($$
rulebook: 1
id: t.floor2
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
  - {id: employees, type: integer, unit: 人}
  - {id: since, type: date}
  - {id: sector, type: text}
  - {id: listed, type: boolean}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: mu_tax, cite: 二, require: mu_tax >= min_mu_tax}
  - {id: staffed, cite: 三, require: 'employees >= 10 [人]'}
  - {id: recent, cite: 四, require: 'since >= date("2020-01-01")'}
  - {id: listed, cite: 五, require: listed}
  - {id: sector, cite: 六, require: 'sector == "制造业"'}
$$);
SELECT x.tax, rulebook.verdict('t.floor2', x, '2023-06-30', 'mu_tax') AS exact,
       rulebook.verdict('t.floor2', (SELECT t FROM (SELECT x.tax::float8 AS tax, 1::float8 AS land_area) t),
                        '2023-06-30', 'mu_tax') AS through_float8
  FROM (VALUES (36.999999999999999::numeric, 1::numeric), (37::numeric, 1::numeric)) AS x(tax, land_area);
-- int, bool, text and date columns, and an int8 and a varchar
SELECT rule_id, verdict FROM rulebook.verdicts('t.floor2',
       (SELECT t FROM (SELECT 12::int8 AS employees, DATE '2021-03-01' AS since,
                              '制造业'::varchar AS sector, true AS listed) t), '2023-06-30');
SELECT rule_id, verdict FROM rulebook.verdicts('t.floor2',
       (SELECT t FROM (SELECT 9::int2 AS employees, DATE '2019-12-31' AS since,
                              '服务业'::text AS sector, false AS listed) t), '2023-06-30');

-- Bad values: a text column that is not a number, a number in jsonb
-- given as bad text, an unknown jsonb key, a date out of place.
SELECT rulebook.verdict('t.floor2', t, '2023-06-30', 'mu_tax')
  FROM (SELECT '12,5'::text AS tax, 1::numeric AS land_area) t;
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.evaluate('t.floor2', '{"tax": "1O0", "land_area": 1}'::jsonb, '2023-06-30');
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.evaluate('t.floor2', '{"taxes": 100}'::jsonb, '2023-06-30');
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.verdict('t.floor2', t, '2023-06-30', 'recent')
  FROM (SELECT 'yesterday'::text AS since) t;
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.verdict('t.floor2', '{}'::jsonb, '2023-06-30', 'no_such_rule');
\echo :LAST_ERROR_SQLSTATE
-- jsonb that is not an object
SELECT rulebook.evaluate('t.floor2', '[1, 2]'::jsonb, '2023-06-30');
\echo :LAST_ERROR_SQLSTATE
-- A 10 MB jsonb: one 10 MB string for a number input, then 10 MB of keys
-- that are not inputs. Errors, not crashes; the session goes on.
SELECT rulebook.evaluate('t.floor2', jsonb_build_object('tax', repeat('9', 10 * 1024 * 1024)), '2023-06-30');
\echo :LAST_ERROR_SQLSTATE
SELECT rulebook.evaluate('t.floor2',
       (SELECT jsonb_object_agg('_k' || g, repeat('x', 200)) FROM generate_series(1, 50000) g)
         || '{"tax": 74, "land_area": 2}'::jsonb, '2023-06-30')#>>'{rules,0,verdict}' AS ignored_keys;
SELECT length(jsonb_build_object('tax', repeat('9', 10 * 1024 * 1024))::text) > 10000000 AS ten_mb;
SELECT rulebook.verdict('t.floor2', '{"tax": 74, "land_area": 2}'::jsonb, '2023-06-30', 'mu_tax') AS still_works;
