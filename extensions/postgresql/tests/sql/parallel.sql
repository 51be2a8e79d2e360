-- Parallel plans: the functions run in parallel workers and give the same
-- answers as a serial plan. (force_parallel_mode is PostgreSQL 15's name
-- for debug_parallel_query.)
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TABLE many AS
	SELECT e.*, g AS copy FROM enterprise_years e, generate_series(1, 20) g;
ANALYZE many;
CREATE TABLE serial_counts AS
	SELECT rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T1.mu_tax') AS verdict, count(*)
	  FROM many m GROUP BY 1;
SET force_parallel_mode = on;
-- the verdicts are computed below the Gather, by the workers
EXPLAIN (COSTS OFF, VERBOSE)
	SELECT rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T1.mu_tax') AS verdict, count(*)
	  FROM many m GROUP BY 1;
SELECT rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T1.mu_tax') AS verdict, count(*)
  FROM many m GROUP BY 1 ORDER BY 1;
SELECT count(*) AS differences FROM (
	(SELECT rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T1.mu_tax') AS verdict, count(*)
	   FROM many m GROUP BY 1
	 EXCEPT SELECT * FROM serial_counts)
	UNION ALL
	(SELECT * FROM serial_counts
	 EXCEPT SELECT rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T1.mu_tax'), count(*)
	   FROM many m GROUP BY 1)) d;
-- The set-returning and jsonb functions in workers too.
EXPLAIN (COSTS OFF)
	SELECT v.verdict, count(*) FROM many m, rulebook.verdicts('linan.enterprise', m, '2023-06-30') v
	 GROUP BY 1;
SELECT v.verdict, count(*) FROM many m, rulebook.verdicts('linan.enterprise', m, '2023-06-30') v
 GROUP BY 1 ORDER BY 1;
SELECT count(DISTINCT rulebook.evaluate('linan.enterprise', to_jsonb(m) - 'copy', '2023-06-30')) AS distinct_results
  FROM many m;
-- Errors raised in a worker reach the client with their SQLSTATE.
\set VERBOSITY sqlstate
SELECT count(*) FROM many m WHERE rulebook.verdict('linan.enterprise', m, '2023-06-30', 'T99') = 'pass';
\set VERBOSITY default
RESET force_parallel_mode;
