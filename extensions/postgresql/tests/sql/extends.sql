-- extends resolves against rulebook.rulebooks, never the file system; a
-- reload of the parent reaches the child's compiled copy.
\set VERBOSITY default
SELECT rulebook.load($$
rulebook: 1
id: t.province
title: {zh: 省级, en: province}
subject: enterprise
source: {issuer: 测试省, document: 省级文件, issued: 2021-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 省 二, provenance: cited, direction: floor, value: 30}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: mu_tax, cite: 省 二, require: mu_tax >= min_mu_tax}
$$);
SELECT rulebook.load($$
rulebook: 1
id: t.district
title: {zh: 区级, en: district}
subject: enterprise
source: {issuer: 测试区, document: 区级文件, issued: 2022-05-19}
extends: t.province
overrides:
  - {parameter: min_mu_tax, value: 35, cite: 区 二, reason: a higher district floor}
inputs:
  - {id: rd, type: number, unit: 万元}
rules:
  - {id: rd_reported, cite: 区 三, require: present(rd)}
$$);
-- 33 万元/亩: passes the province's 30, fails the district's 35
SELECT rule_id, verdict, cite, gap
  FROM rulebook.verdicts('t.district', '{"tax": 660, "land_area": 20, "rd": 5}'::jsonb, '2023-06-30');
SELECT rule_id, verdict FROM rulebook.verdicts('t.province', '{"tax": 660, "land_area": 20}'::jsonb, '2023-06-30');
-- the result names each rule's rulebook by id
SELECT r->>'id' AS rule, r->>'file' AS file
  FROM jsonb_array_elements(rulebook.evaluate('t.district', '{"tax": 660, "land_area": 20}'::jsonb, '2023-06-30')->'rules') r;

-- The province lowers nothing but adds a rule: the district sees it on its
-- next statement, without being reloaded itself.
SELECT rulebook.load($$
rulebook: 1
id: t.province
title: {zh: 省级, en: province}
subject: enterprise
source: {issuer: 测试省, document: 省级文件, issued: 2021-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
  - {id: land_area, type: number, unit: 亩}
parameters:
  - {id: min_mu_tax, unit: 万元/亩, cite: 省 二, provenance: cited, direction: floor, value: 30}
indicators:
  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}
rules:
  - {id: mu_tax, cite: 省 二, require: mu_tax >= min_mu_tax}
  - {id: land_reported, cite: 省 四, require: present(land_area)}
$$);
SELECT rule_id, verdict FROM rulebook.verdicts('t.district', '{"tax": 660, "land_area": 20}'::jsonb, '2023-06-30');

-- A parent that is not in the table: an error at the child's extends key.
SELECT rulebook.load($$
rulebook: 1
id: t.orphan
title: {zh: 孤儿, en: orphan}
subject: enterprise
source: {issuer: 测试区, document: 区级文件, issued: 2022-05-19}
extends: t.nowhere
$$);
\echo :LAST_ERROR_SQLSTATE
-- A file path is not looked up either.
SELECT rulebook.load($$
rulebook: 1
id: t.orphan
title: {zh: 孤儿, en: orphan}
subject: enterprise
source: {issuer: 测试区, document: 区级文件, issued: 2022-05-19}
extends: /etc/passwd
$$);
-- A laxer override: the error points into the child and names the parent.
SELECT rulebook.load($$
rulebook: 1
id: t.lax
title: {zh: 宽松, en: lax}
subject: enterprise
source: {issuer: 测试区, document: 区级文件, issued: 2022-05-19}
extends: t.province
overrides:
  - {parameter: min_mu_tax, value: 20, cite: 区 二, reason: lower}
$$);
\echo :LAST_ERROR_SQLSTATE
-- A parent reloaded into something the child no longer compiles against:
-- evaluating the child reports the child's error.
SELECT rulebook.load($$
rulebook: 1
id: t.province
title: {zh: 省级, en: province}
subject: enterprise
source: {issuer: 测试省, document: 省级文件, issued: 2021-01-01}
inputs:
  - {id: tax, type: number, unit: 万元}
$$);
SELECT rulebook.evaluate('t.district', '{}'::jsonb, '2023-06-30');
