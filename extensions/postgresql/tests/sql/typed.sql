-- The typed route: numeric read from its digits, exactly; integers, booleans,
-- dates and text by their typed setters; columns bound by name or alias; and
-- a rulebook reloaded while a statement still holds its compiled form.
\set VERBOSITY default
SELECT rulebook.load($$
rulebook: 1
id: t.typed
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元, aliases: [实缴税收, tax_paid]}
  - {id: employees, type: integer, unit: 人}
  - {id: note, type: text}
rules:
  - {id: positive, cite: 二, require: 'tax > 0 [万元]'}
  - {id: staffed, cite: 三, require: 'employees >= 10 [人]'}
  - {id: noted, cite: 四, require: 'note == "true"'}
$$);

-- Each value as the library received it, worked out by hand.
SELECT x.tax::text AS given,
       rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,0,values,tax,value}' AS received
  FROM (VALUES (0::numeric), (-1::numeric), (0.5), (1000), (10000), (37.000),
               (123456789.012345678), (-0.000000000000000001), (1e20), (99999999.9999),
               ('1e-30'::numeric), (-12345678901234.5678)) x(tax);

-- 40 000 values of every sign, magnitude and scale: the row route (digits)
-- gives what the jsonb route (text) gives, and that is the numeric itself.
SELECT count(*) AS values,
       count(*) FILTER (WHERE r = j) AS same_as_jsonb,
       count(*) FILTER (WHERE r::numeric = tax) AS exact
  FROM (SELECT tax,
               rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,0,values,tax,value}' AS r,
               rulebook.evaluate('t.typed', to_jsonb(x), '2023-06-30')#>>'{rules,0,values,tax,value}' AS j
          FROM (SELECT round(((CASE WHEN g % 2 = 0 THEN '-' ELSE '' END) ||
                              (g * 7919 % 999983)::text || 'e' || ((g % 41) - 20)::text)::numeric,
                             g % 23) AS tax
                  FROM generate_series(1, 40000) g) x) y;

-- 18 significant digits are exact; a 19th is refused, never rounded; so are
-- NaN and the infinities.
SELECT rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,0,values,tax,value}' AS tax
  FROM (VALUES (123456789012345678000000::numeric)) x(tax);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive')
  FROM (VALUES (1234567890.123456789::numeric)) x(tax);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive') FROM (VALUES ('NaN'::numeric)) x(tax);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive')
  FROM (VALUES ('-Infinity'::numeric)) x(tax);

-- Integers: smallint, integer and bigint up to 18 digits; a numeric with a
-- fraction is refused for an integer input, 12.0 is twelve.
SELECT rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,1,values,employees,value}' AS employees
  FROM (VALUES (12::smallint)) x(employees);
SELECT rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,1,values,employees,value}' AS employees
  FROM (VALUES (999999999999999999::bigint)) x(employees);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'staffed')
  FROM (VALUES (9223372036854775807::bigint)) x(employees);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'staffed') FROM (VALUES (12.5::numeric)) x(employees);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'staffed') FROM (VALUES (12.0::numeric)) x(employees);

-- A boolean or a date column for a text input goes over as its text.
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'noted') FROM (VALUES (true)) x(note);
SELECT rulebook.evaluate('t.typed', x, '2023-06-30')#>>'{rules,2,values,note,value}' AS note
  FROM (VALUES (DATE '2023-01-31')) x(note);
-- ... and a boolean column for a number input is refused.
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive') FROM (VALUES (true)) x(tax);

-- Columns bind by an input's id or by one of its aliases; two columns for
-- one input are an error.
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive') FROM (VALUES (-2::numeric)) x("实缴税收");
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive') FROM (VALUES (2::numeric)) x(tax_paid);
SELECT rulebook.verdict('t.typed', x, '2023-06-30', 'positive')
  FROM (VALUES (2::numeric, 3::numeric)) x(tax, "实缴税收");

-- rulebook.verdicts carries each failed rule's exact gap.
SELECT v.rule_id, v.verdict, v.gap
  FROM (VALUES (-0.25::numeric, 7, 'false')) x(tax, employees, note),
       rulebook.verdicts('t.typed', x, '2023-06-30') v;

-- A reload is seen from the next statement: one statement reads the
-- rulebooks table with one snapshot, so every row of it is evaluated with
-- the same form (threshold 10, then 20 from the next statement).
SELECT rulebook.load($$
rulebook: 1
id: t.reload
title: {zh: 测试, en: test}
subject: enterprise
source: {issuer: 测试, document: 测试文件, issued: 2022-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
rules:
  - {id: floor, cite: 二, require: 'tax >= 10 [万元]'}
$$);
SELECT n, rulebook.verdict('t.reload', x, '2023-06-30', 'floor') AS verdict,
       CASE WHEN n = 2 THEN rulebook.load(replace(
           (SELECT source FROM rulebook.rulebooks WHERE id = 't.reload'), '>= 10', '>= 20')) END
         AS reloaded
  FROM (VALUES (1, 15), (2, 15), (3, 15)) x(n, tax) ORDER BY n;
SELECT rulebook.verdict('t.reload', x, '2023-06-30', 'floor') FROM (VALUES (15)) x(tax);

-- A cursor keeps the compiled form its statement started with while other
-- statements of the session reload and compile the rulebook again: the
-- window function's population (built at the first FETCH) stays valid, and
-- the rest of its rows come from it. Here the reload puts every firm out of
-- scope (min_rated_land 3 -> 300 亩), which the cursor does not see.
BEGIN;
DECLARE by_rank CURSOR FOR
	SELECT n, rulebook.population_class('example.mujun', facts, '2023-12-31', 'mujun_rank') OVER ()
	  FROM firms ORDER BY n;
FETCH 4 FROM by_rank;
SELECT rulebook.load(replace(source, 'value: 3}', 'value: 300}'))
  FROM rulebook.rulebooks WHERE id = 'example.mujun';
SELECT rulebook.population('example.mujun', facts, '2023-12-31')#>'{classes,mujun_rank}' AS reloaded
  FROM firms;
FETCH ALL FROM by_rank;
COMMIT;
SELECT rulebook.load(replace(source, 'value: 300}', 'value: 3}'))
  FROM rulebook.rulebooks WHERE id = 'example.mujun';
