-- Populations: the aggregate gives the library's population JSON; the
-- window function gives each row its class by rank over the partition.
\getenv root RULEBOOK_SOURCE_ROOT
\set src `base64 -w0 :'root'/examples/data/mujun-scorecard.yaml`
SELECT rulebook.load(convert_from(decode(:'src', 'base64'), 'UTF8'));
\set firms `base64 -w0 :'root'/examples/data/mujun-firms.jsonl`
CREATE TABLE firms AS
	SELECT row_number() OVER () AS n, line::jsonb AS facts
	  FROM regexp_split_to_table(convert_from(decode(:'firms', 'base64'), 'UTF8'), E'\n') AS line
	 WHERE line <> '';
SELECT count(*) FROM firms;
SELECT jsonb_pretty(rulebook.population('example.mujun', facts, '2023-12-31') - 'rulebook')
  FROM firms;
-- Classes by score (each record alone) and by rank (over all twelve).
SELECT facts->>'_id' AS firm,
       rulebook.evaluate('example.mujun', facts, '2023-12-31')#>>'{scorecards,0,class}' AS by_score,
       rulebook.population_class('example.mujun', facts, '2023-12-31', 'mujun_rank') OVER () AS by_rank
  FROM firms ORDER BY n;
-- Partitions are populations of their own.
SELECT facts->>'_id' AS firm, n <= 6 AS first_half,
       rulebook.population_class('example.mujun', facts, '2023-12-31', 'mujun_rank')
         OVER (PARTITION BY n <= 6) AS by_rank
  FROM firms ORDER BY n;
-- The land-supply aggregates over typed rows.
\set src `base64 -w0 :'root'/examples/data/land-supply.yaml`
SELECT rulebook.load(convert_from(decode(:'src', 'base64'), 'UTF8'));
CREATE TABLE parcels (_id text, land_area numeric, supply_year integer, is_industrial boolean,
                      is_standard_land boolean);
\set csv `base64 -w0 :'root'/examples/data/land-supply-2023.csv`
INSERT INTO parcels
	SELECT f[1], f[2]::numeric, f[3]::integer, f[4]::boolean, nullif(f[5], '')::boolean
	  FROM (SELECT string_to_array(line, ',') AS f
	          FROM regexp_split_to_table(convert_from(decode(:'csv', 'base64'), 'UTF8'), E'\n') AS line
	         WHERE line <> '' AND line NOT LIKE '\_id,%') x;
SELECT a->>'id' AS aggregate, a->>'verdict' AS verdict, a->>'value' AS value,
       a->>'numerator' AS numerator, a->>'denominator' AS denominator
  FROM jsonb_array_elements((SELECT rulebook.population('example.land-supply', p, '2023-12-31')
                               FROM parcels p)->'aggregates') a;
-- No rows: NULL. Mixed rulebooks in one population: an error.
SELECT rulebook.population('example.land-supply', p, '2023-12-31') FROM parcels p WHERE false;
SELECT rulebook.population(CASE WHEN n = 1 THEN 'example.mujun' ELSE 'example.land-supply' END,
                           '{}'::jsonb, '2023-12-31') FROM firms;
SELECT rulebook.population_class('example.mujun', facts, '2023-12-31', 'no_such') OVER ()
  FROM firms LIMIT 1;
