-- rulebook: evaluate records against policy rulebooks inside PostgreSQL.
-- Every function is a thin adapter over the rulebook library's public API;
-- see docs/postgresql.md.
\echo Use "CREATE EXTENSION rulebook" to load this file. \quit

-- Rulebooks live in the database: rulebook.load compiles a source and
-- stores it here; `extends` names another row of this table.
CREATE TABLE rulebook.rulebooks (
	id text PRIMARY KEY,
	hash text NOT NULL,           -- SHA-256 of source
	source text NOT NULL,         -- the rulebook's YAML
	loaded_at timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('rulebook.rulebooks', '');

CREATE FUNCTION rulebook.load(source text) RETURNS text
	AS 'MODULE_PATHNAME', 'rulebook_pg_load'
	LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION rulebook.load(text) IS
	'Compile a rulebook (parents from rulebook.rulebooks) and store it; returns its id';

-- The full result, as the library's JSON.
CREATE FUNCTION rulebook.evaluate(rulebook_id text, facts jsonb, as_of date) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'rulebook_pg_evaluate'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 2000;
-- The same from a row: columns bound to inputs by name, NULL is missing.
CREATE FUNCTION rulebook.evaluate(rulebook_id text, facts record, as_of date) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'rulebook_pg_evaluate'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 1000;

-- One row per rule, for joins and GROUP BY.
CREATE FUNCTION rulebook.verdicts(rulebook_id text, facts jsonb, as_of date)
	RETURNS TABLE (rule_id text, verdict text, cite text, gap numeric, message text)
	AS 'MODULE_PATHNAME', 'rulebook_pg_verdicts'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 2000 ROWS 10;
CREATE FUNCTION rulebook.verdicts(rulebook_id text, facts record, as_of date)
	RETURNS TABLE (rule_id text, verdict text, cite text, gap numeric, message text)
	AS 'MODULE_PATHNAME', 'rulebook_pg_verdicts'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 1000 ROWS 10;

-- The verdict of one rule ('pass', 'fail', ...): no JSON, no messages.
CREATE FUNCTION rulebook.verdict(rulebook_id text, facts jsonb, as_of date, rule_id text)
	RETURNS text
	AS 'MODULE_PATHNAME', 'rulebook_pg_verdict'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 1000;
CREATE FUNCTION rulebook.verdict(rulebook_id text, facts record, as_of date, rule_id text)
	RETURNS text
	AS 'MODULE_PATHNAME', 'rulebook_pg_verdict'
	LANGUAGE C STRICT STABLE PARALLEL SAFE COST 200;

-- Populations: an aggregate with the library's population JSON (verdict
-- counts, aggregates, records per class) ...
CREATE FUNCTION rulebook.population_add(internal, text, jsonb, date) RETURNS internal
	AS 'MODULE_PATHNAME', 'rulebook_pg_population_add'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rulebook.population_add(internal, text, record, date) RETURNS internal
	AS 'MODULE_PATHNAME', 'rulebook_pg_population_add'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rulebook.population_json(internal) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'rulebook_pg_population_json'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE AGGREGATE rulebook.population(rulebook_id text, facts jsonb, as_of date) (
	SFUNC = rulebook.population_add, STYPE = internal,
	FINALFUNC = rulebook.population_json);
CREATE AGGREGATE rulebook.population(rulebook_id text, facts record, as_of date) (
	SFUNC = rulebook.population_add, STYPE = internal,
	FINALFUNC = rulebook.population_json);

-- ... and each row's class in the population of its window partition
-- (classes by rank decided over the whole partition).
CREATE FUNCTION rulebook.population_class(rulebook_id text, facts jsonb, as_of date,
					  scorecard text) RETURNS text
	AS 'MODULE_PATHNAME', 'rulebook_pg_population_class'
	LANGUAGE C STABLE WINDOW PARALLEL SAFE COST 1000;
CREATE FUNCTION rulebook.population_class(rulebook_id text, facts record, as_of date,
					  scorecard text) RETURNS text
	AS 'MODULE_PATHNAME', 'rulebook_pg_population_class'
	LANGUAGE C STABLE WINDOW PARALLEL SAFE COST 500;
