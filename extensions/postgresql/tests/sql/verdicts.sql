-- rulebook.verdicts: one row per rule, for joins and GROUP BY; gaps are
-- exact numerics; messages follow rulebook.lang.
\set VERBOSITY default
SELECT rule_id, verdict, cite, gap, message
  FROM rulebook.verdicts('t.floor2', '{"tax": 660, "land_area": 20, "employees": 3}'::jsonb, '2023-06-30');
-- Messages in Chinese (the default) and English, with the gap.
SELECT rule_id, verdict, gap, message
  FROM rulebook.verdicts('linan.enterprise', '{"above_scale": true, "is_manufacturing": true, "tax": 660, "land_area": 20}'::jsonb, '2023-06-30')
  WHERE rule_id = 'T1.mu_tax';
SET rulebook.lang = 'en';
SELECT rule_id, verdict, gap, message
  FROM rulebook.verdicts('linan.enterprise', '{"above_scale": true, "is_manufacturing": true, "tax": 660, "land_area": 20}'::jsonb, '2023-06-30')
  WHERE rule_id = 'T1.mu_tax';
SELECT rulebook.evaluate('linan.enterprise', '{}'::jsonb, '2023-06-30')#>>'{rules,0,title}' AS title;
RESET rulebook.lang;
SET rulebook.lang = 'fr';
-- Verdict counts over the sample, by rule: the typed and jsonb routes agree.
SELECT v.rule_id, v.verdict, count(*)
  FROM enterprise_years e, rulebook.verdicts('linan.enterprise', e, '2023-06-30') v
  GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS differences FROM (
  (SELECT e._id, v.* FROM enterprise_years e, rulebook.verdicts('linan.enterprise', e, '2023-06-30') v
   EXCEPT
   SELECT e._id, v.* FROM enterprise_years e, rulebook.verdicts('linan.enterprise', to_jsonb(e), '2023-06-30') v)
  UNION ALL
  (SELECT e._id, v.* FROM enterprise_years e, rulebook.verdicts('linan.enterprise', to_jsonb(e), '2023-06-30') v
   EXCEPT
   SELECT e._id, v.* FROM enterprise_years e, rulebook.verdicts('linan.enterprise', e, '2023-06-30') v)) d;
-- rulebook.verdict agrees with rulebook.verdicts
SELECT count(*) AS disagreements
  FROM enterprise_years e, rulebook.verdicts('linan.enterprise', e, '2023-06-30') v
  WHERE rulebook.verdict('linan.enterprise', e, '2023-06-30', v.rule_id) <> v.verdict;
-- The enterprises failing T1 with the largest gaps
SELECT e._id, v.gap, e.tax, e.land_area
  FROM enterprise_years e, rulebook.verdicts('linan.enterprise', e, '2023-06-30') v
  WHERE v.rule_id = 'T1.mu_tax' AND v.verdict = 'fail'
  ORDER BY v.gap DESC, e._id LIMIT 3;
