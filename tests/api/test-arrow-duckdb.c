/* Arrow record batches in (rulebook_population_add_arrow) from a real
 * producer: DuckDB. Its C API exports query results through the Arrow C
 * Data Interface; the library is DuckDB's prebuilt libduckdb.so, loaded at
 * run time from RULEBOOK_DUCKDB_LIBRARY (tests/deps/duckdb, which
 * `scripts/deps --test` fetches from npm). Without it the suite exits 77
 * (skipped) and says why.
 *
 * A table with a column of every type DuckDB has that the consumer reads
 * (fixtures/arrow-producer.yaml names the inputs) is exported batch by
 * batch (DuckDB's chunks of 2048 rows, so several batches), and every
 * record's verdicts, classes and scores must equal the same row evaluated
 * alone from DuckDB's own text of each value (CAST(... AS VARCHAR)
 * through rulebook_facts_set_text_at), with the same rows refused; a few
 * rows are also checked against values worked out by hand. The types the
 * consumer refuses must fail with the column named. */
#include "common.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AS_OF 20231231

/* ---- The few functions of DuckDB's C API used here (duckdb.h) ---- */

typedef uint64_t idx_t;
typedef void *duck_ptr; /* every DuckDB handle is a pointer to an opaque struct */

/* duckdb_result: five deprecated fields, then the internal pointer. */
typedef struct duck_result {
	idx_t deprecated_column_count, deprecated_row_count, deprecated_rows_changed;
	void *deprecated_columns;
	char *deprecated_error_message;
	void *internal_data;
} duck_result;

static struct duck_api {
	void *lib;
	int (*create_config)(duck_ptr *config);
	int (*set_config)(duck_ptr config, const char *name, const char *option);
	void (*destroy_config)(duck_ptr *config);
	int (*open_ext)(const char *path, duck_ptr *db, duck_ptr config, char **out_error);
	void (*close)(duck_ptr *db);
	int (*connect)(duck_ptr db, duck_ptr *con);
	void (*disconnect)(duck_ptr *con);
	const char *(*library_version)(void);
	int (*query)(duck_ptr con, const char *sql, duck_result *out);
	const char *(*result_error)(duck_result *res);
	void (*destroy_result)(duck_result *res);
	idx_t (*column_count)(duck_result *res);
	const char *(*column_name)(duck_result *res, idx_t col);
	duck_ptr (*column_logical_type)(duck_result *res, idx_t col);
	void (*destroy_logical_type)(duck_ptr *type);
	duck_ptr (*fetch_chunk)(duck_result res);
	void (*destroy_data_chunk)(duck_ptr *chunk);
	/* the Arrow export of DuckDB 1.5 */
	duck_ptr (*result_get_arrow_options)(duck_result *res);
	void (*destroy_arrow_options)(duck_ptr *options);
	duck_ptr (*to_arrow_schema)(duck_ptr options, duck_ptr *types, const char **names,
				    idx_t ncols, struct ArrowSchema *out);
	duck_ptr (*data_chunk_to_arrow)(duck_ptr options, duck_ptr chunk, struct ArrowArray *out);
	bool (*error_data_has_error)(duck_ptr error);
	const char *(*error_data_message)(duck_ptr error);
	void (*destroy_error_data)(duck_ptr *error);
	/* the older, deprecated Arrow export (duckdb_query_arrow) */
	int (*query_arrow)(duck_ptr con, const char *sql, duck_ptr *out);
	int (*query_arrow_schema)(duck_ptr res, struct ArrowSchema **out);
	int (*query_arrow_array)(duck_ptr res, struct ArrowArray **out);
	const char *(*query_arrow_error)(duck_ptr res);
	void (*destroy_arrow)(duck_ptr *res);
} duck;

/* Load duck's functions; the name of the first one missing, or NULL. */
static const char *duck_load(void)
{
	static const struct {
		const char *name;
		size_t off;
	} fns[] = {
#define FN(f) {"duckdb_" #f, offsetof(struct duck_api, f)}
		FN(create_config), FN(set_config), FN(destroy_config), FN(open_ext), FN(close),
		FN(connect), FN(disconnect), FN(library_version), FN(query), FN(result_error),
		FN(destroy_result), FN(column_count), FN(column_name), FN(column_logical_type),
		FN(destroy_logical_type), FN(fetch_chunk), FN(destroy_data_chunk),
		FN(result_get_arrow_options), FN(destroy_arrow_options), FN(to_arrow_schema),
		FN(data_chunk_to_arrow), FN(error_data_has_error), FN(error_data_message),
		FN(destroy_error_data), FN(query_arrow), FN(query_arrow_schema),
		FN(query_arrow_array), FN(query_arrow_error), FN(destroy_arrow),
#undef FN
	};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		void *sym = dlsym(duck.lib, fns[i].name);
		if (!sym)
			return fns[i].name;
		/* a data pointer to a function pointer, as POSIX allows */
		memcpy((char *)&duck + fns[i].off, &sym, sizeof sym);
	}
	return NULL;
}

static duck_ptr db, con;

static void sql(const char *text)
{
	duck_result res;
	memset(&res, 0, sizeof res);
	int st = duck.query(con, text, &res);
	ck_assert_msg(st == 0, "DuckDB: %s: %s", text, duck.result_error(&res));
	duck.destroy_result(&res);
}

/* An in-memory database on one thread (the test machine is shared) with
 * the table "firms": hand-written rows 0..9, rows at the edges of each type, then n
 * generated rows. */
static void duck_start(int n)
{
	duck_ptr config = NULL;
	ck_assert_int_eq(duck.create_config(&config), 0);
	ck_assert_int_eq(duck.set_config(config, "threads", "1"), 0);
	ck_assert_int_eq(duck.open_ext(NULL, &db, config, NULL), 0);
	duck.destroy_config(&config);
	ck_assert_int_eq(duck.connect(db, &con), 0);
	sql("CREATE TYPE sector_t AS ENUM ('纺织', '化工', '机械')");
	sql("CREATE TABLE firms (seq INTEGER, _id VARCHAR, revenue DECIMAL(18,2), "
	    "tax DECIMAL(9,3), land DECIMAL(4,1), output DECIMAL(38,2), staff INTEGER, "
	    "floors TINYINT, patents SMALLINT, energy BIGINT, permits UTINYINT, lines USMALLINT, "
	    "meters UINTEGER, visits UBIGINT, ratio DOUBLE, name VARCHAR, certified BOOLEAN, "
	    "opened DATE, sector sector_t)");
	sql("INSERT INTO firms VALUES "
	    /* 0: worked out by hand below */
	    "(0, 'H0', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 0.25, "
	    "'临安纺织', true, DATE '2021-03-15', '化工'), "
	    /* 1: negative decimals and integers, the widest unsigned values
	     * that fit 18 digits, empty text, a date before 1970 */
	    "(1, 'H1', -0.05, -12.345, -999.9, NULL, NULL, -128, 32767, -9000000000, 255, 65535, "
	    "4294967295, 18446744073709551, 0.1, '', false, DATE '1969-12-31', '纺织'), "
	    /* 2: every value null */
	    "(2, 'H2', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
	    "NULL, NULL, NULL, NULL, NULL), "
	    /* 3: 20 significant digits: refused */
	    "(3, 'H3', 1500.00, 60.000, 12.5, 123456789012345678.91, 50, 3, 2, 12000, 1, 2, 3, 4, "
	    "0.25, '临安纺织', true, DATE '2021-03-15', '化工'), "
	    /* 4: 2^64 - 1, 20 digits: refused */
	    "(4, 'H4', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, "
	    "18446744073709551615, 0.25, '临安纺织', true, DATE '2021-03-15', '化工'), "
	    /* 5: DuckDB's infinite date: refused */
	    "(5, 'H5', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 0.25, "
	    "'临安纺织', true, DATE 'infinity', '化工'), "
	    /* 6: NaN: missing */
	    "(6, 'H6', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 'nan', "
	    "'临安纺织', true, DATE '2021-03-15', '化工'), "
	    /* 7: an infinite double: refused */
	    "(7, 'H7', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 'inf', "
	    "'临安纺织', true, DATE '2021-03-15', '化工'), "
	    /* 8, 9: the year 999 (refused) and the first day of 1000 */
	    "(8, 'H8', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 0.25, "
	    "'临安纺织', false, DATE '0999-12-31', '化工'), "
	    "(9, 'H9', 1500.00, 60.000, 12.5, 2000.00, 50, 3, 2, 12000, 1, 2, 3, 4, 0.25, "
	    "'临安纺织', false, DATE '1000-01-01', '化工')");
	/* 10...: row 0 with one value at an edge of its type */
	static const char *const edges[][2] = {
		{"output", "1000000000000000000000.00"}, {"output", "12345678901234567.80"},
		{"output", "-0.01"}, {"revenue", "9999999999999999.99"},
		{"revenue", "-9999999999999999.99"}, {"tax", "999999.999"}, {"tax", "-0.001"},
		{"land", "-0.1"}, {"land", "999.9"}, {"energy", "-9223372036854775808"},
		{"energy", "9223372036854775807"}, {"energy", "999999999999999999"},
		{"energy", "-999999999999999999"}, {"staff", "-2147483648"},
		{"visits", "999999999999999999"}, {"visits", "1000000000000000000"},
		{"visits", "9223372036854775808"}, {"ratio", "1e300"}, {"ratio", "5e-324"},
		{"ratio", "-0.0"}, {"ratio", "0.1 + 0.2"}, {"ratio", "123456789012345680000.0"},
		{"ratio", "'-inf'"}, {"opened", "DATE '1970-01-01'"}, {"opened", "DATE '9999-12-31'"},
		{"opened", "DATE '10000-01-01'"}, {"opened", "DATE '-infinity'"},
		{"name", "'a''b\"c\\d'"}, {"sector", "'机械'"},
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		char q[512];
		snprintf(q, sizeof q,
			 "INSERT INTO firms SELECT * REPLACE (%zu AS seq, 'E%zu' AS _id, %s AS %s) "
			 "FROM firms WHERE seq = 0",
			 10 + i, i, edges[i][1], edges[i][0]);
		sql(q);
	}
	char gen[2048];
	snprintf(gen, sizeof gen,
		 "INSERT INTO firms SELECT 100 + i, printf('G%%05d', i), "
		 "CASE WHEN i %% 13 = 0 THEN NULL ELSE ((i * 7919) %% 400000 - 1000) / 100 END, "
		 "CASE WHEN i %% 17 = 0 THEN NULL ELSE ((i * 31) %% 100000) / 1000 END, "
		 "((i * 7) %% 9999 - 5000) / 10, "
		 "CASE WHEN i %% 19 = 0 THEN NULL ELSE ((i * 104729) %% 1000000000) / 100 END, "
		 "CASE WHEN i %% 23 = 0 THEN NULL ELSE (i * 13) %% 300 END, "
		 "i %% 50 - 10, (i * 101) %% 30000, (i * 1234567) %% 100000000 - 1000, "
		 "i %% 256, (i * 3) %% 65536, i * 1000, i * i * 1000, "
		 "CASE WHEN i %% 29 = 0 THEN NULL ELSE (i %% 1000)::DOUBLE / 8 END, "
		 "CASE i %% 4 WHEN 0 THEN '临安纺织' WHEN 1 THEN NULL WHEN 2 THEN 'x' || i "
		 "ELSE '' END, "
		 "CASE WHEN i %% 7 = 0 THEN NULL ELSE i %% 3 = 0 END, "
		 "CASE WHEN i %% 31 = 0 THEN NULL ELSE DATE '2015-01-01' + ((i * 3) %% 4000)::INTEGER END, "
		 "CASE WHEN i %% 37 = 0 THEN NULL ELSE (['纺织', '化工', '机械'])[i %% 3 + 1] END "
		 "FROM range(%d) t(i)",
		 n);
	sql(gen);
}

static void duck_stop(void)
{
	duck.disconnect(&con);
	duck.close(&db);
}

/* ---- Exporting a query as Arrow batches ---- */

#define MAXBATCH 16

typedef struct exported {
	struct ArrowSchema schema;
	struct ArrowArray batch[MAXBATCH];
	size_t n;
	int64_t rows;
} exported;

/* Through DuckDB 1.5's stable export: each chunk of the result becomes
 * one struct array (duckdb_data_chunk_to_arrow), the schema comes from the
 * result's column types (duckdb_to_arrow_schema), both with the Arrow
 * options of the connection's settings. */
static void export_chunks(const char *query, exported *out)
{
	memset(out, 0, sizeof *out);
	duck_result res;
	memset(&res, 0, sizeof res);
	ck_assert_msg(duck.query(con, query, &res) == 0, "DuckDB: %s", duck.result_error(&res));
	idx_t ncols = duck.column_count(&res);
	ck_assert_uint_lt(ncols, 32);
	duck_ptr types[32];
	const char *names[32];
	for (idx_t i = 0; i < ncols; i++) {
		types[i] = duck.column_logical_type(&res, i);
		names[i] = duck.column_name(&res, i);
	}
	duck_ptr options = duck.result_get_arrow_options(&res);
	duck_ptr e = duck.to_arrow_schema(options, types, names, ncols, &out->schema);
	ck_assert_msg(!e || !duck.error_data_has_error(e), "to_arrow_schema: %s",
		      duck.error_data_message(e));
	duck.destroy_error_data(&e);
	for (duck_ptr chunk; (chunk = duck.fetch_chunk(res)) != NULL;) {
		ck_assert_uint_lt(out->n, MAXBATCH);
		struct ArrowArray *a = &out->batch[out->n++];
		e = duck.data_chunk_to_arrow(options, chunk, a);
		ck_assert_msg(!e || !duck.error_data_has_error(e), "data_chunk_to_arrow: %s",
			      duck.error_data_message(e));
		duck.destroy_error_data(&e);
		duck.destroy_data_chunk(&chunk);
		out->rows += a->length;
	}
	duck.destroy_arrow_options(&options);
	for (idx_t i = 0; i < ncols; i++)
		duck.destroy_logical_type(&types[i]);
	duck.destroy_result(&res);
}

/* Through the older export (duckdb_query_arrow, deprecated in DuckDB but
 * what many programs use): one struct array per fetch until none is
 * left. */
static void export_legacy(const char *query, exported *out)
{
	memset(out, 0, sizeof *out);
	duck_ptr res = NULL;
	int st = duck.query_arrow(con, query, &res);
	ck_assert_msg(st == 0, "DuckDB: %s", duck.query_arrow_error(res));
	struct ArrowSchema *sp = &out->schema;
	ck_assert_int_eq(duck.query_arrow_schema(res, &sp), 0);
	for (;;) {
		ck_assert_uint_lt(out->n, MAXBATCH);
		struct ArrowArray *a = &out->batch[out->n];
		memset(a, 0, sizeof *a);
		ck_assert_int_eq(duck.query_arrow_array(res, &a), 0);
		if (!a->release)
			break;
		out->n++;
		out->rows += a->length;
	}
	duck.destroy_arrow(&res);
}

static void exported_free(exported *x)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->batch[i].release)
			x->batch[i].release(&x->batch[i]);
	if (x->schema.release)
		x->schema.release(&x->schema);
}

/* The columns read: the record id and every input, in the fixture's
 * order. */
static const char *const input_names[] = {
	"revenue", "tax", "land", "output", "staff", "floors", "patents", "energy", "permits",
	"lines", "meters", "visits", "ratio", "name", "certified", "opened", "sector",
};
#define NINPUTS (sizeof input_names / sizeof input_names[0])

/* The typed query, with a column "_seq" the consumer skips ("_" names). */
static void typed_query(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "SELECT seq AS _seq, _id");
	for (size_t i = 0; i < NINPUTS; i++)
		n += (size_t)snprintf(buf + n, size - n, ", %s", input_names[i]);
	snprintf(buf + n, size - n, " FROM firms ORDER BY seq");
}

/* ---- The reference: each row alone, from DuckDB's text of each value ---- */

static rulebook *rb;
static rulebook_error *err;
static size_t nrules, ncards;

typedef struct expect {
	bool bad;
	char id[16];
	rulebook_verdict *verdicts;  /* nrules */
	char **cls, **score;         /* ncards each, NULL when none */
} expect;

static expect *ref;
static int64_t nref;
/* Whether the reference read every column, or only the integer and
 * double ones without the record ids (then the others are missing). */
static bool ref_numeric;

/* Integer and double columns: input_names[FIRST_NUMERIC...LAST_NUMERIC]. */
#define FIRST_NUMERIC 4
#define LAST_NUMERIC 12

/* Value i of a utf8 or large_utf8 array, or NULL when null. */
static const char *text_at(const struct ArrowSchema *s, const struct ArrowArray *a, int64_t i,
			   size_t *len)
{
	int64_t pos = a->offset + i;
	if (a->null_count != 0 && a->buffers[0] &&
	    !((((const uint8_t *)a->buffers[0])[pos >> 3] >> (pos & 7)) & 1))
		return NULL;
	int64_t from, to;
	if (strcmp(s->format, "u") == 0) {
		from = ((const int32_t *)a->buffers[1])[pos];
		to = ((const int32_t *)a->buffers[1])[pos + 1];
	} else {
		ck_assert_str_eq(s->format, "U");
		from = ((const int64_t *)a->buffers[1])[pos];
		to = ((const int64_t *)a->buffers[1])[pos + 1];
	}
	*len = (size_t)(to - from);
	return (const char *)a->buffers[2] + from;
}

static char *dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	ck_assert_ptr_nonnull(d);
	memcpy(d, s, n);
	return d;
}

/* Every row of the table evaluated alone from text facts: every column,
 * or (numeric) only the integer and double ones. */
static void reference_build(bool numeric)
{
	ref_numeric = numeric;
	char q[1024];
	size_t n = (size_t)snprintf(q, sizeof q, "SELECT _id");
	for (size_t i = 0; i < NINPUTS; i++)
		n += (size_t)snprintf(q + n, sizeof q - n, ", CAST(%s AS VARCHAR) AS %s",
				      input_names[i], input_names[i]);
	snprintf(q + n, sizeof q - n, " FROM firms ORDER BY seq");
	exported x;
	export_chunks(q, &x);
	ck_assert_int_eq(x.schema.n_children, (int64_t)NINPUTS + 1);
	size_t idx[NINPUTS];
	for (size_t c = 0; c < NINPUTS; c++)
		ck_assert_int_eq(rulebook_input_index(rb, input_names[c], strlen(input_names[c]),
						      &idx[c]),
				 RULEBOOK_OK);
	nref = x.rows;
	ref = calloc((size_t)nref, sizeof *ref);
	ck_assert_ptr_nonnull(ref);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_error *why = rulebook_error_new();
	int64_t row = 0;
	for (size_t b = 0; b < x.n; b++) {
		const struct ArrowArray *a = &x.batch[b];
		for (int64_t r = 0; r < a->length; r++, row++) {
			expect *e = &ref[row];
			size_t len;
			const char *s = text_at(x.schema.children[0], a->children[0], r, &len);
			ck_assert_ptr_nonnull(s);
			ck_assert_uint_lt(len, sizeof e->id);
			memcpy(e->id, s, len);
			ck_assert_int_eq(rulebook_facts_set_id(f, numeric ? NULL : s, numeric ? 0 : len),
					 RULEBOOK_OK);
			for (size_t c = 0; c < NINPUTS && !e->bad; c++) {
				s = text_at(x.schema.children[c + 1], a->children[c + 1], r, &len);
				if (numeric && (c < FIRST_NUMERIC || c > LAST_NUMERIC))
					s = NULL;
				/* a NaN double is missing, as the consumer documents */
				if (!s || (len == 3 && memcmp(s, "nan", 3) == 0))
					rulebook_facts_set_missing_at(f, idx[c]);
				else if (rulebook_facts_set_text_at(f, idx[c], s, len, why) !=
					 RULEBOOK_OK)
					e->bad = true;
			}
			if (e->bad)
				continue;
			ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, res, why), RULEBOOK_OK);
			e->verdicts = calloc(nrules, sizeof *e->verdicts);
			e->cls = calloc(ncards, sizeof *e->cls);
			e->score = calloc(ncards, sizeof *e->score);
			ck_assert(e->verdicts && e->cls && e->score);
			for (size_t k = 0; k < nrules; k++)
				e->verdicts[k] = rulebook_result_verdict(res, k);
			for (size_t k = 0; k < ncards; k++) {
				e->cls[k] = dup_or_null(rulebook_result_class(res, k));
				e->score[k] = dup_or_null(rulebook_result_score(res, k));
			}
		}
	}
	rulebook_error_free(why);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	exported_free(&x);
}

static void reference_free(void)
{
	for (int64_t i = 0; i < nref; i++) {
		if (ref[i].cls)
			for (size_t k = 0; k < ncards; k++) {
				free(ref[i].cls[k]);
				free(ref[i].score[k]);
			}
		free(ref[i].verdicts);
		free(ref[i].cls);
		free(ref[i].score);
	}
	free(ref);
	ref = NULL;
	nref = 0;
}

#define NGEN 5000

static void setup(void)
{
	rb = load_fixture("arrow-producer.yaml");
	err = rulebook_error_new();
	nrules = rulebook_rule_count(rb);
	ncards = rulebook_scorecard_count(rb);
	duck_start(NGEN);
	reference_build(false);
}

static void teardown(void)
{
	reference_free();
	duck_stop();
	rulebook_error_free(err);
	rulebook_free(rb);
}

/* ---- Feeding and comparing ---- */

/* Add a batch; its refused rows (batch indices shifted by first, the
 * table row of its row 0) are marked in bad. */
static void add_batch(rulebook_population *pop, const struct ArrowSchema *s,
		      const struct ArrowArray *a, int64_t first, bool *bad)
{
	size_t *rows = calloc((size_t)a->length + 1, sizeof *rows);
	ck_assert_ptr_nonnull(rows);
	size_t nbad = 99;
	rulebook_status st = rulebook_population_add_arrow(pop, s, a, 0, rows, &nbad, err);
	ck_assert_msg(st == RULEBOOK_OK, "add_arrow: %s", rulebook_error_message(err, 0));
	ck_assert_uint_le(nbad, (size_t)a->length);
	for (size_t i = 0; i < nbad; i++) {
		ck_assert_uint_lt(rows[i], (size_t)a->length);
		bad[first + (int64_t)rows[i]] = true;
	}
	free(rows);
}

/* pop holds table rows [from, to) less the refused ones: the same rows
 * refused as evaluated alone, and each record's id, verdicts, classes and
 * scores as the reference's. */
static void compare(rulebook_population *pop, int64_t from, int64_t to, const bool *bad)
{
	size_t rec = 0;
	for (int64_t r = from; r < to; r++) {
		const expect *e = &ref[r];
		ck_assert_msg(bad[r] == e->bad, "row %lld (%s): %s as an Arrow row, %s alone",
			      (long long)r, e->id, bad[r] ? "refused" : "added",
			      e->bad ? "refused" : "accepted");
		if (e->bad)
			continue;
		ck_assert_uint_lt(rec, rulebook_population_size(pop));
		const char *id = rulebook_population_record_id(pop, rec);
		if (ref_numeric)
			ck_assert_ptr_null(id);
		else
			ck_assert_msg(id && strcmp(id, e->id) == 0, "record %zu: id %s, expected %s",
				      rec, id ? id : "(none)", e->id);
		for (size_t k = 0; k < nrules; k++) {
			rulebook_verdict v = rulebook_population_verdict(pop, rec, k);
			ck_assert_msg(v == e->verdicts[k], "%s rule %s: %s, alone %s", e->id,
				      rulebook_rule_id(rb, k), rulebook_verdict_str(v),
				      rulebook_verdict_str(e->verdicts[k]));
		}
		for (size_t k = 0; k < ncards; k++) {
			const char *c = rulebook_population_class(pop, rec, k);
			ck_assert_msg((!c && !e->cls[k]) || (c && e->cls[k] && !strcmp(c, e->cls[k])),
				      "%s class: %s, alone %s", e->id, c ? c : "(none)",
				      e->cls[k] ? e->cls[k] : "(none)");
			const char *sc = rulebook_population_score(pop, rec, k);
			ck_assert_msg((!sc && !e->score[k]) ||
					      (sc && e->score[k] && !strcmp(sc, e->score[k])),
				      "%s score: %s, alone %s", e->id, sc ? sc : "(none)",
				      e->score[k] ? e->score[k] : "(none)");
		}
		rec++;
	}
	ck_assert_uint_eq(rec, rulebook_population_size(pop));
}

/* Every batch of x into a new population, compared with the reference. */
static rulebook_population *add_all(const exported *x, bool *bad)
{
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(pop);
	int64_t first = 0;
	for (size_t b = 0; b < x->n; b++) {
		add_batch(pop, &x->schema, &x->batch[b], first, bad);
		first += x->batch[b].length;
	}
	ck_assert_int_eq(first, nref);
	compare(pop, 0, nref, bad);
	return pop;
}

/* Child i of the struct schema s is called name and has format fmt. */
static void format_is(const struct ArrowSchema *s, int64_t i, const char *name, const char *fmt)
{
	ck_assert_int_lt(i, s->n_children);
	ck_assert_str_eq(s->children[i]->name, name);
	ck_assert_msg(strcmp(s->children[i]->format, fmt) == 0, "column %s: format '%s', expected '%s'",
		      name, s->children[i]->format, fmt);
}

/* The formats DuckDB gives each column: utf8 or large_utf8 for text. */
static void formats_are(const exported *x, const char *text)
{
	const struct ArrowSchema *s = &x->schema;
	ck_assert_str_eq(s->format, "+s");
	ck_assert_int_eq(s->n_children, (int64_t)NINPUTS + 2);
	format_is(s, 0, "_seq", "i");
	format_is(s, 1, "_id", text);
	static const char *const fmts[NINPUTS] = {
		"d:18,2,128", "d:9,3,128", "d:4,1,128", "d:38,2,128", "i", "c", "s", "l",
		"C", "S", "I", "L", "g", NULL, "b", "tdD", "C",
	};
	for (size_t c = 0; c < NINPUTS; c++)
		format_is(s, (int64_t)c + 2, input_names[c], fmts[c] ? fmts[c] : text);
	/* the enum: uint8 indices into a dictionary of its values as utf8 */
	const struct ArrowSchema *sector = s->children[NINPUTS + 1];
	ck_assert_ptr_nonnull(sector->dictionary);
	ck_assert_str_eq(sector->dictionary->format, "u");
	for (int64_t c = 0; c < s->n_children - 1; c++)
		if (c != (int64_t)NINPUTS + 1)
			ck_assert_ptr_null(s->children[c]->dictionary);
	/* several batches, none with an offset */
	ck_assert_uint_ge(x->n, 3);
	for (size_t b = 0; b < x->n; b++) {
		ck_assert_int_eq(x->batch[b].offset, 0);
		for (int64_t c = 0; c < x->batch[b].n_children; c++)
			ck_assert_int_eq(x->batch[b].children[c]->offset, 0);
	}
}

static void verdict_is(rulebook_population *pop, size_t rec, const char *rule, rulebook_verdict v)
{
	size_t k = rule_at(rb, rule);
	rulebook_verdict got = rulebook_population_verdict(pop, rec, k);
	ck_assert_msg(got == v, "%s %s: %s, worked out %s", rulebook_population_record_id(pop, rec),
		      rule, rulebook_verdict_str(got), rulebook_verdict_str(v));
}

static void class_is(rulebook_population *pop, size_t rec, const char *cls, const char *score)
{
	const char *c = rulebook_population_class(pop, rec, 0);
	ck_assert_msg((!c && !cls) || (c && cls && !strcmp(c, cls)), "%s class %s, worked out %s",
		      rulebook_population_record_id(pop, rec), c ? c : "(none)", cls ? cls : "(none)");
	const char *s = rulebook_population_score(pop, rec, 0);
	ck_assert_msg((!s && !score) || (s && score && !strcmp(s, score)),
		      "%s score %s, worked out %s", rulebook_population_record_id(pop, rec),
		      s ? s : "(none)", score ? score : "(none)");
}

/* The hand-written rows (the first records: rows 3, 4, 5, 7 and 8 are
 * refused, so row 6 is record 3 and row 9 record 4). */
static void check_by_hand(rulebook_population *pop, const bool *bad)
{
	for (int r = 0; r < 10; r++)
		ck_assert_msg(bad[r] == (r == 3 || r == 4 || r == 5 || r == 7 || r == 8),
			      "row %d %s", r, bad[r] ? "refused" : "added");
	/* H0: 1500 ≥ 1000; 60 > 2 × 12.5; 50 + 3 + 2 ≥ 20; 1 + 2 + 3 + 4 is
	 * not > 100; 12000 / 1000 = 12 is not < 0.25 × 10; a 化工 firm that is
	 * certified, opened 2021-03-15, output 2000 > 1500. Score:
	 * 40 × 1500/1000 + 30 × 60/50 + 20 × 50/100 + 10 × 0.25/0.5
	 * = 60 + 36 + 10 + 5 = 111: class A. */
	verdict_is(pop, 0, "R1.revenue", RULEBOOK_PASS);
	verdict_is(pop, 0, "R2.tax", RULEBOOK_PASS);
	verdict_is(pop, 0, "R3.staff", RULEBOOK_PASS);
	verdict_is(pop, 0, "R4.unsigned", RULEBOOK_FAIL);
	verdict_is(pop, 0, "R5.energy", RULEBOOK_FAIL);
	verdict_is(pop, 0, "R6.name", RULEBOOK_PASS);
	verdict_is(pop, 0, "R7.certified", RULEBOOK_PASS);
	verdict_is(pop, 0, "R8.opened", RULEBOOK_PASS);
	verdict_is(pop, 0, "R9.output", RULEBOOK_PASS);
	class_is(pop, 0, "A", "111");
	/* H1: -0.05 < 1000; -12.345 > 2 × -999.9; staff missing; 255 + 65535
	 * + 4294967295 + 18446744073709551 > 100; -9000000000 / 1000 <
	 * 0.1 × 10; "" is not 临安纺织; a 纺织 firm; 1969-12-31 is before
	 * 2020; output missing. Score: 40 × -0.05/1000 + 30 × -12.345/50 +
	 * 0 (staff missing counts zero) + 10 × 0.1/0.5 = -0.002 - 7.407 + 2
	 * = -5.409: class D. */
	verdict_is(pop, 1, "R1.revenue", RULEBOOK_FAIL);
	verdict_is(pop, 1, "R2.tax", RULEBOOK_PASS);
	verdict_is(pop, 1, "R3.staff", RULEBOOK_UNKNOWN);
	verdict_is(pop, 1, "R4.unsigned", RULEBOOK_PASS);
	verdict_is(pop, 1, "R5.energy", RULEBOOK_PASS);
	verdict_is(pop, 1, "R6.name", RULEBOOK_FAIL);
	verdict_is(pop, 1, "R7.certified", RULEBOOK_NOT_APPLICABLE);
	verdict_is(pop, 1, "R8.opened", RULEBOOK_FAIL);
	verdict_is(pop, 1, "R9.output", RULEBOOK_UNKNOWN);
	class_is(pop, 1, "D", "-5.409");
	/* H2: nothing known */
	for (size_t k = 0; k < nrules; k++)
		ck_assert_int_eq(rulebook_population_verdict(pop, 2, k), RULEBOOK_UNKNOWN);
	class_is(pop, 2, NULL, NULL);
	/* H6: as H0 but the ratio is NaN, so missing: R5 unknown, and the
	 * ratio component (missing: unknown) leaves no score */
	ck_assert_str_eq(rulebook_population_record_id(pop, 3), "H6");
	verdict_is(pop, 3, "R1.revenue", RULEBOOK_PASS);
	verdict_is(pop, 3, "R5.energy", RULEBOOK_UNKNOWN);
	class_is(pop, 3, NULL, NULL);
	/* H9: 1000-01-01 is read; not certified, so 化工 fails R7 and the
	 * veto makes the class D whatever the score (111) */
	ck_assert_str_eq(rulebook_population_record_id(pop, 4), "H9");
	verdict_is(pop, 4, "R8.opened", RULEBOOK_FAIL);
	verdict_is(pop, 4, "R7.certified", RULEBOOK_FAIL);
	class_is(pop, 4, "D", "111");
}

/* Every batch of x in one population, compared with the rows evaluated
 * alone and checked by hand; x is released. */
static void add_all_checked(exported *x)
{
	bool *bad = calloc((size_t)nref, sizeof *bad);
	ck_assert_ptr_nonnull(bad);
	rulebook_population *pop = add_all(x, bad);
	check_by_hand(pop, bad);
	rulebook_population_free(pop);
	free(bad);
	exported_free(x);
}

START_TEST(test_every_type)
{
	char q[1024];
	typed_query(q, sizeof q);
	exported x;
	export_chunks(q, &x);
	formats_are(&x, "u");
	ck_assert_int_gt(x.rows, NGEN + 10);
	bool *bad = calloc((size_t)nref, sizeof *bad);
	ck_assert_ptr_nonnull(bad);
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(pop);
	/* the first batch: its first refused row is row 3, the decimal of 20
	 * digits, and the diagnostic names the row and the column */
	add_batch(pop, &x.schema, &x.batch[0], 0, bad);
	ck_assert_msg(contains(rulebook_error_message(err, 0), "row 3, column 'output'"), "%s",
		      rulebook_error_message(err, 0));
	int64_t first = x.batch[0].length;
	for (size_t b = 1; b < x.n; b++) {
		add_batch(pop, &x.schema, &x.batch[b], first, bad);
		first += x.batch[b].length;
	}
	compare(pop, 0, nref, bad);
	check_by_hand(pop, bad);
	rulebook_population_free(pop);
	free(bad);
	exported_free(&x);
}
END_TEST

/* arrow_large_buffer_size: DuckDB gives large_utf8 ("U") for text */
START_TEST(test_large_utf8)
{
	sql("SET arrow_large_buffer_size = true");
	char q[1024];
	typed_query(q, sizeof q);
	exported x;
	export_chunks(q, &x);
	formats_are(&x, "U");
	add_all_checked(&x);
}
END_TEST

/* The older export gives the same types and the same records. */
START_TEST(test_legacy_export)
{
	char q[1024];
	typed_query(q, sizeof q);
	exported x;
	export_legacy(q, &x);
	formats_are(&x, "u");
	add_all_checked(&x);
}
END_TEST

/* Integer and double columns only, without record ids: the batches go
 * through the columnar run (blocks of rows decided in binary), which must
 * agree with each row evaluated alone, refused rows included (an
 * integer beyond 2^53, INT64_MIN, a double out of the decimal range). */
START_TEST(test_numeric_columns)
{
	reference_free();
	reference_build(true);
	char q[1024];
	size_t n = (size_t)snprintf(q, sizeof q, "SELECT %s", input_names[FIRST_NUMERIC]);
	for (size_t c = FIRST_NUMERIC + 1; c <= LAST_NUMERIC; c++)
		n += (size_t)snprintf(q + n, sizeof q - n, ", %s", input_names[c]);
	snprintf(q + n, sizeof q - n, " FROM firms ORDER BY seq");
	exported x;
	export_chunks(q, &x);
	ck_assert_uint_ge(x.n, 3);
	bool *bad = calloc((size_t)nref, sizeof *bad);
	ck_assert_ptr_nonnull(bad);
	rulebook_population *pop = add_all(&x, bad);
	rulebook_population_free(pop);
	free(bad);
	exported_free(&x);
}
END_TEST

/* DuckDB hands out no slices, so the test slices its batches the two ways
 * Arrow libraries export them: an offset on the struct array, and an
 * offset on each column (the struct's own at 0). The structures are
 * shallow copies; DuckDB's release callbacks stay on the originals. */
START_TEST(test_slices)
{
	char q[1024];
	typed_query(q, sizeof q);
	exported x;
	export_chunks(q, &x);
	ck_assert_uint_ge(x.n, 2);
	const struct ArrowArray *orig = &x.batch[1];
	int64_t first = x.batch[0].length, k = 777;
	bool *bad = calloc((size_t)nref, sizeof *bad);
	ck_assert_ptr_nonnull(bad);

	struct ArrowArray sliced = *orig;
	sliced.offset = k;
	sliced.length = orig->length - k - 5;
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	add_batch(pop, &x.schema, &sliced, first + k, bad);
	compare(pop, first + k, first + orig->length - 5, bad);
	rulebook_population_free(pop);

	memset(bad, 0, (size_t)nref * sizeof *bad);
	struct ArrowArray cols[32], *colp[32];
	ck_assert_int_lt(orig->n_children, 32);
	struct ArrowArray by_col = *orig;
	by_col.length = orig->length - k;
	by_col.children = colp;
	for (int64_t c = 0; c < orig->n_children; c++) {
		cols[c] = *orig->children[c];
		cols[c].offset += k;
		cols[c].length -= k;
		colp[c] = &cols[c];
	}
	pop = rulebook_population_new(rb, AS_OF);
	add_batch(pop, &x.schema, &by_col, first + k, bad);
	compare(pop, first + k, first + orig->length, bad);
	rulebook_population_free(pop);
	free(bad);
	exported_free(&x);
}
END_TEST

/* A query's single column under the name col must be refused with
 * status st, the column and fragment named, and nothing added. */
static void refused(const char *query, const char *col, rulebook_status st, const char *fragment)
{
	exported x;
	export_chunks(query, &x);
	ck_assert_uint_eq(x.n, 1);
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	size_t nbad = 99;
	rulebook_status got = rulebook_population_add_arrow(pop, &x.schema, &x.batch[0], 0, NULL,
							    &nbad, err);
	const char *msg = rulebook_error_count(err) ? rulebook_error_message(err, 0) : "";
	ck_assert_msg(got == st, "%s: status %d (%s), expected %d", query, got, msg, st);
	char quoted[64];
	snprintf(quoted, sizeof quoted, "column '%s'", col);
	ck_assert_msg(contains(msg, quoted) && contains(msg, fragment), "%s: %s", query, msg);
	ck_assert_uint_eq(rulebook_population_size(pop), 0);
	rulebook_population_free(pop);
	exported_free(&x);
}

START_TEST(test_refused_types)
{
	/* types DuckDB gives that the consumer does not read */
	refused("SELECT 2 AS staff, INTERVAL 3 DAY AS opened", "opened", RULEBOOK_ERR_VALUE,
		"Arrow type 'tin'");
	refused("SELECT [1.5, 2.5] AS ratio", "ratio", RULEBOOK_ERR_VALUE, "Arrow type '+l'");
	refused("SELECT 1.5::FLOAT AS ratio", "ratio", RULEBOOK_ERR_VALUE, "Arrow type 'f'");
	refused("SELECT TIMESTAMP '2021-03-15 08:00:00' AS opened", "opened", RULEBOOK_ERR_VALUE,
		"Arrow type 'tsu:'");
	refused("SELECT 'ab'::BLOB AS name", "name", RULEBOOK_ERR_VALUE, "Arrow type 'z'");
	refused("SELECT {'a': 1} AS name", "name", RULEBOOK_ERR_VALUE, "Arrow type '+s'");
	/* a type read, for an input that cannot take it */
	refused("SELECT 1.5::DOUBLE AS opened", "opened", RULEBOOK_ERR_TYPE, "float64");
	/* string views ("vu"), which DuckDB gives only when asked for them
	 * and for Arrow 1.4 */
	sql("SET produce_arrow_string_view = true");
	sql("SET arrow_output_version = '1.4'");
	refused("SELECT '临安纺织' AS name", "name", RULEBOOK_ERR_VALUE, "Arrow type 'vu'");
}
END_TEST

/* HUGEINT and UUID, two more types DuckDB maps onto ones the consumer
 * reads: decimal128 of scale 0 ("d:38,0") and utf8. */
START_TEST(test_hugeint_uuid)
{
	exported x;
	export_chunks("SELECT 'U1' AS _id, 12345678901234::HUGEINT AS energy, "
		      "'00000000-0000-0000-0000-00000000002a'::UUID AS name, "
		      "'-170141183460469231731687303715884105727'::HUGEINT AS tax",
		      &x);
	format_is(&x.schema, 1, "energy", "d:38,0");
	format_is(&x.schema, 2, "name", "u");
	format_is(&x.schema, 3, "tax", "d:38,0");
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	size_t nbad = 99, rows[1] = {99};
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &x.schema, &x.batch[0], 0, rows, &nbad,
						       err),
			 RULEBOOK_OK);
	/* the smallest HUGEINT but one has 39 digits: the row is refused */
	ck_assert_uint_eq(nbad, 1);
	ck_assert_uint_eq(rows[0], 0);
	ck_assert_msg(contains(rulebook_error_message(err, 0), "column 'tax'"), "%s",
		      rulebook_error_message(err, 0));
	rulebook_population_free(pop);
	exported_free(&x);

	export_chunks("SELECT 'U1' AS _id, 12345678901234::HUGEINT AS energy, "
		      "'00000000-0000-0000-0000-00000000002a'::UUID AS name",
		      &x);
	pop = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &x.schema, &x.batch[0], 0, NULL, &nbad,
						       err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(nbad, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 1);
	/* 12345678901234 / 1000 is not < 10 × ratio (missing): unknown;
	 * the UUID's text is not 临安纺织 */
	verdict_is(pop, 0, "R5.energy", RULEBOOK_UNKNOWN);
	verdict_is(pop, 0, "R6.name", RULEBOOK_FAIL);
	rulebook_population_free(pop);
	exported_free(&x);
}
END_TEST

/* An enum of more than 255 values has uint16 indices ("S"); integer and
 * enum columns name records. */
START_TEST(test_wide_enum_and_ids)
{
	sql("CREATE TYPE wide_t AS ENUM (SELECT 'v' || i FROM range(300) t(i) "
	    "UNION ALL SELECT '临安纺织')");
	exported x;
	export_chunks("SELECT i AS _id, CASE WHEN i % 5 = 0 THEN NULL WHEN i % 2 = 0 "
		      "THEN '临安纺织' ELSE 'v' || (i % 300) END::wide_t AS name "
		      "FROM range(3000) t(i) ORDER BY i",
		      &x);
	format_is(&x.schema, 0, "_id", "l");
	format_is(&x.schema, 1, "name", "S");
	ck_assert_str_eq(x.schema.children[1]->dictionary->format, "u");
	ck_assert_uint_ge(x.n, 2);
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	for (size_t b = 0; b < x.n; b++) {
		size_t nbad = 99;
		ck_assert_int_eq(rulebook_population_add_arrow(pop, &x.schema, &x.batch[b], 0, NULL,
							       &nbad, err),
				 RULEBOOK_OK);
		ck_assert_uint_eq(nbad, 0);
	}
	ck_assert_uint_eq(rulebook_population_size(pop), 3000);
	size_t r6 = rule_at(rb, "R6.name");
	for (size_t i = 0; i < 3000; i++) {
		char id[16];
		snprintf(id, sizeof id, "%zu", i);
		ck_assert_str_eq(rulebook_population_record_id(pop, i), id);
		rulebook_verdict want = i % 5 == 0   ? RULEBOOK_UNKNOWN
					: i % 2 == 0 ? RULEBOOK_PASS
						     : RULEBOOK_FAIL;
		ck_assert_int_eq(rulebook_population_verdict(pop, i, r6), want);
	}
	rulebook_population_free(pop);
	exported_free(&x);

	export_chunks("SELECT '化工'::sector_t AS _id, '机械'::sector_t AS sector", &x);
	format_is(&x.schema, 0, "_id", "C");
	pop = rulebook_population_new(rb, AS_OF);
	size_t nbad = 99;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &x.schema, &x.batch[0], 0, NULL, &nbad,
						       err),
			 RULEBOOK_OK);
	ck_assert_str_eq(rulebook_population_record_id(pop, 0), "化工");
	/* a 机械 firm: R7 does not apply */
	verdict_is(pop, 0, "R7.certified", RULEBOOK_NOT_APPLICABLE);
	rulebook_population_free(pop);
	exported_free(&x);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("arrow-duckdb");
	TCase *tc = tcase_create("duckdb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_every_type);
	tcase_add_test(tc, test_large_utf8);
	tcase_add_test(tc, test_legacy_export);
	tcase_add_test(tc, test_numeric_columns);
	tcase_add_test(tc, test_slices);
	tcase_add_test(tc, test_refused_types);
	tcase_add_test(tc, test_hugeint_uuid);
	tcase_add_test(tc, test_wide_enum_and_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *path = getenv("RULEBOOK_DUCKDB_LIBRARY");
	if (!path || !*path) {
		printf("SKIP: RULEBOOK_DUCKDB_LIBRARY (the path of DuckDB's libduckdb.so) is not "
		       "set\n");
		return 77;
	}
	if (access(path, R_OK) != 0) {
		printf("SKIP: DuckDB's library is not at %s: `scripts/deps --test` fetches it "
		       "(npm package @duckdb/node-bindings-linux-x64, Linux x86-64 only)\n",
		       path);
		return 77;
	}
	duck.lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!duck.lib) {
		printf("SKIP: %s cannot be loaded here: %s\n", path, dlerror());
		return 77;
	}
	const char *missing = duck_load();
	if (missing) {
		/* the pinned version has them all: another library is there */
		fprintf(stderr, "%s has no %s: not the DuckDB version scripts/deps pins\n", path,
			missing);
		return 1;
	}
	printf("DuckDB %s from %s\n", duck.library_version(), path);
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	dlclose(duck.lib);
	return failed ? 1 : 0;
}
