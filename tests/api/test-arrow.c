/* Arrow record batches in (rulebook_population_add_arrow): batches built by
 * hand here, column by column, with every supported type, validity
 * bitmaps, offsets on the batch, on a column and on a dictionary, and
 * every error. Uses fixtures/columns.yaml, whose scorecards score the
 * numeric inputs themselves, so the exact value a column gave is read back
 * as the score's text. */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AS_OF 20231231
#define MAXCOLS 12

enum { R_N, R_K, R_B, R_T, R_E, R_D };
enum { S_N, S_A, S_K };

/* Release callbacks that only count: the library must never call them. */
static int released;

static void release_schema(struct ArrowSchema *s)
{
	released++;
	s->release = NULL;
}

static void release_array(struct ArrowArray *a)
{
	released++;
	a->release = NULL;
}

typedef struct column {
	struct ArrowSchema s, ds;
	struct ArrowArray a, da;
	const void *bufs[3], *dbufs[3];
} column;

typedef struct batch {
	struct ArrowSchema s;
	struct ArrowArray a;
	struct ArrowSchema *sch[MAXCOLS];
	struct ArrowArray *arr[MAXCOLS];
	column cols[MAXCOLS];
	const void *bufs[1];
} batch;

static void batch_init(batch *b, int64_t length)
{
	memset(b, 0, sizeof *b);
	b->s.format = "+s";
	b->s.name = "";
	b->s.children = b->sch;
	b->s.release = release_schema;
	b->a.length = length;
	b->a.n_buffers = 1;
	b->a.buffers = b->bufs;
	b->a.children = b->arr;
	b->a.release = release_array;
}

static void fill(struct ArrowSchema *s, struct ArrowArray *a, const void **bufs, const char *name,
		 const char *fmt, int64_t length, const void *validity, const void *b1,
		 const void *b2)
{
	s->format = fmt;
	s->name = name;
	s->flags = ARROW_FLAG_NULLABLE;
	s->release = release_schema;
	a->length = length;
	a->null_count = validity ? -1 : 0;
	a->n_buffers = strcmp(fmt, "n") == 0 ? 0 : b2 || fmt[0] == 'u' || fmt[0] == 'U' ? 3 : 2;
	bufs[0] = validity;
	bufs[1] = b1;
	bufs[2] = b2;
	a->buffers = bufs;
	a->release = release_array;
}

/* Add a column; returns it for offsets and dictionaries. */
static column *add_col(batch *b, const char *name, const char *fmt, int64_t length,
		       const void *validity, const void *b1, const void *b2)
{
	size_t i = (size_t)b->s.n_children;
	ck_assert_uint_lt(i, MAXCOLS);
	column *c = &b->cols[i];
	fill(&c->s, &c->a, c->bufs, name, fmt, length, validity, b1, b2);
	b->sch[i] = &c->s;
	b->arr[i] = &c->a;
	b->s.n_children++;
	b->a.n_children++;
	return c;
}

/* Make c dictionary-encoded with values of format fmt. */
static void set_dict(column *c, const char *fmt, int64_t length, const void *validity,
		     const void *b1, const void *b2)
{
	fill(&c->ds, &c->da, c->dbufs, "", fmt, length, validity, b1, b2);
	c->s.dictionary = &c->ds;
	c->a.dictionary = &c->da;
}

static rulebook *rb;
static rulebook_population *pop;
static rulebook_error *err;

static void setup(void)
{
	rb = load_fixture("columns.yaml");
	pop = rulebook_population_new(rb, AS_OF);
	err = rulebook_error_new();
	ck_assert_ptr_nonnull(pop);
	released = 0;
}

static void teardown(void)
{
	ck_assert_int_eq(released, 0);
	rulebook_error_free(err);
	rulebook_population_free(pop);
	rulebook_free(rb);
}

static void add_ok(batch *b, size_t expect_bad)
{
	size_t bad = 99;
	rulebook_status st = rulebook_population_add_arrow(pop, &b->s, &b->a, 0, NULL, &bad, err);
	ck_assert_msg(st == RULEBOOK_OK, "add_arrow: %s", rulebook_error_message(err, 0));
	ck_assert_msg(bad == expect_bad, "%zu bad rows (%s), %zu expected", bad,
		      rulebook_error_message(err, 0), expect_bad);
}

static void verdict_is(size_t rec, size_t rule, rulebook_verdict v)
{
	ck_assert_msg(rulebook_population_verdict(pop, rec, rule) == v,
		      "record %zu rule %s: %s, expected %s", rec, rulebook_rule_id(rb, rule),
		      rulebook_verdict_str(rulebook_population_verdict(pop, rec, rule)),
		      rulebook_verdict_str(v));
}

static void score_is(size_t rec, size_t sc, const char *want)
{
	const char *got = rulebook_population_score(pop, rec, sc);
	if (!want)
		ck_assert_msg(got == NULL, "record %zu score %zu: %s, expected none", rec, sc, got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0, "record %zu score %zu: %s, expected %s", rec,
			      sc, got ? got : "(none)", want);
}

/* 2020-01-01 and 2019-12-31 as days since 1970-01-01. */
#define D20200101 18262
#define D20191231 18261

/* Little-endian 128-bit two's complement of coef × 10^zeros. */
static void dec128(uint8_t out[16], int64_t coef, int zeros)
{
	uint64_t lo = (uint64_t)(coef < 0 ? -(uint64_t)coef : (uint64_t)coef), hi = 0;
	for (int z = 0; z < zeros; z++) {
		/* × 10 = × 8 + × 2 */
		uint64_t lo8 = lo << 3, hi8 = hi << 3 | lo >> 61;
		uint64_t lo2 = lo << 1, hi2 = hi << 1 | lo >> 63;
		lo = lo8 + lo2;
		hi = hi8 + hi2 + (lo < lo8);
	}
	if (coef < 0) {
		lo = ~lo + 1;
		hi = ~hi + (lo == 0);
	}
	memcpy(out, &lo, 8);
	memcpy(out + 8, &hi, 8);
}

START_TEST(test_every_type)
{
	batch b;
	batch_init(&b, 3);
	static const int64_t id_off[] = {0, 2, 4, 6};
	add_col(&b, "_id", "U", 3, NULL, id_off, "r1r2r3");
	static const double n[] = {1158.1, NAN, 5};
	static const uint8_t n_valid[] = {0x3}; /* row 2 null */
	add_col(&b, "n", "g", 3, n_valid, n, NULL);
	uint8_t area[3][16];
	dec128(area[0], 123456, 0);
	dec128(area[1], -5, 0);
	dec128(area[2], 0, 0);
	add_col(&b, "area", "d:10,2", 3, NULL, area, NULL);
	static const int32_t k[] = {7, -3, 0};
	add_col(&b, "k", "i", 3, NULL, k, NULL);
	static const uint8_t ok[] = {0x5}; /* true, false, true */
	add_col(&b, "ok", "b", 3, NULL, ok, NULL);
	static const int32_t name_off[] = {0, 6, 7, 7};
	add_col(&b, "name", "u", 3, NULL, name_off, "临安x");
	static const int8_t sector[] = {1, 0, 1};
	column *c = add_col(&b, "sector", "c", 3, NULL, sector, NULL);
	static const int32_t dict_off[] = {0, 6, 12};
	set_dict(c, "u", 2, NULL, dict_off, "纺织化工");
	static const int32_t opened[] = {D20200101, D20191231, 0};
	static const uint8_t opened_valid[] = {0x3};
	add_col(&b, "opened", "tdD", 3, opened_valid, opened, NULL);
	add_ok(&b, 0);

	ck_assert_uint_eq(rulebook_population_size(pop), 3);
	ck_assert_str_eq(rulebook_population_record_id(pop, 0), "r1");
	ck_assert_str_eq(rulebook_population_record_id(pop, 2), "r3");
	/* row 0: every value present and each rule holds */
	for (size_t r = R_N; r <= R_D; r++)
		verdict_is(0, r, RULEBOOK_PASS);
	score_is(0, S_N, "1158.1");
	score_is(0, S_A, "1234.56");
	score_is(0, S_K, "7");
	/* row 1: n is NaN (missing); the others fail */
	verdict_is(1, R_N, RULEBOOK_UNKNOWN);
	for (size_t r = R_K; r <= R_D; r++)
		verdict_is(1, r, RULEBOOK_FAIL);
	score_is(1, S_N, NULL);
	score_is(1, S_A, "-0.05");
	score_is(1, S_K, "-3");
	/* row 2: n and opened null in their bitmaps; name is "" */
	verdict_is(2, R_N, RULEBOOK_UNKNOWN);
	verdict_is(2, R_K, RULEBOOK_FAIL);
	verdict_is(2, R_B, RULEBOOK_PASS);
	verdict_is(2, R_T, RULEBOOK_FAIL);
	verdict_is(2, R_E, RULEBOOK_PASS);
	verdict_is(2, R_D, RULEBOOK_UNKNOWN);
	score_is(2, S_A, "0");
	score_is(2, S_K, "0");
}
END_TEST

/* Numbers, integers, booleans and dates only, without record ids: the
 * batch goes through the columnar run (blocks of rows decided in binary),
 * booleans as 0 and 1 and dates as YYYYMMDD. Every record must agree with
 * the same row set through the facts and evaluated alone; hand-checked
 * rows besides; a day number beyond the dates the library takes is a bad
 * row, as on the per-row route; and the deferred bytes, whose records
 * owing an exact score keep the columns' doubles, load to the same
 * results. */
#define NB 700
START_TEST(test_bool_date_columns)
{
	static double n[NB];
	static int32_t k[NB], opened[NB];
	static uint8_t ok[NB / 8 + 1], ok_valid[NB / 8 + 1], opened_valid[NB / 8 + 1];
	memset(ok, 0, sizeof ok);
	memset(ok_valid, 0, sizeof ok_valid);
	memset(opened_valid, 0, sizeof opened_valid);
	for (int i = 0; i < NB; i++) {
		n[i] = i % 11 == 0 ? NAN : (i % 7 - 3) * 12.25 + i * 0.5;
		k[i] = i % 5 - 2;
		if (i % 3 != 2) { /* every third boolean null */
			ok_valid[i / 8] |= (uint8_t)(1u << (i % 8));
			if (i % 2)
				ok[i / 8] |= (uint8_t)(1u << (i % 8));
		}
		opened[i] = D20191231 - 3 + i % 7; /* 2019-12-28 .. 2020-01-03 */
		if (i % 13 != 0)
			opened_valid[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	opened[NB - 1] = INT32_MAX; /* beyond the dates the library takes */
	opened_valid[(NB - 1) / 8] |= (uint8_t)(1u << ((NB - 1) % 8));
	batch b;
	batch_init(&b, NB);
	add_col(&b, "n", "g", NB, NULL, n, NULL);
	add_col(&b, "k", "i", NB, NULL, k, NULL);
	add_col(&b, "ok", "b", NB, ok_valid, ok, NULL);
	add_col(&b, "opened", "tdD", NB, opened_valid, opened, NULL);
	size_t bad = 99, bad_rows[4];
	rulebook_status st =
		rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err);
	ck_assert_msg(st == RULEBOOK_OK, "add_arrow: %s", rulebook_error_message(err, 0));
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(bad_rows[0], NB - 1);
	ck_assert_uint_eq(rulebook_population_size(pop), NB - 1);

	/* hand-checked: row 1 (n = (1 % 7 - 3) × 12.25 + 0.5 = -24, k = -1,
	 * ok true, opened 2019-12-29): N, K, D fail, B passes;
	 * row 2: ok null (unknown), opened 2019-12-30 (fails); row 4: k = 2,
	 * ok false, opened 2020-01-01 (passes); row 0: n missing, opened
	 * null */
	verdict_is(1, R_N, RULEBOOK_FAIL);
	verdict_is(1, R_K, RULEBOOK_FAIL);
	verdict_is(1, R_B, RULEBOOK_PASS);
	verdict_is(1, R_D, RULEBOOK_FAIL);
	score_is(1, S_N, "-24");
	verdict_is(2, R_B, RULEBOOK_UNKNOWN);
	verdict_is(2, R_D, RULEBOOK_FAIL);
	verdict_is(4, R_K, RULEBOOK_PASS);
	verdict_is(4, R_B, RULEBOOK_FAIL);
	verdict_is(4, R_D, RULEBOOK_PASS);
	verdict_is(0, R_N, RULEBOOK_UNKNOWN);
	verdict_is(0, R_D, RULEBOOK_UNKNOWN);

	/* every record against its row evaluated alone */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	size_t in_n, in_k, in_ok, in_opened;
	ck_assert_int_eq(rulebook_input_index(rb, "n", 1, &in_n), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "k", 1, &in_k), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "ok", 2, &in_ok), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "opened", 6, &in_opened), RULEBOOK_OK);
	for (int i = 0; i < NB - 1; i++) {
		rulebook_facts_clear(f);
		if (!isnan(n[i]))
			ck_assert_int_eq(rulebook_facts_set_double_at(f, in_n, n[i], NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_double_at(f, in_k, k[i], NULL), RULEBOOK_OK);
		if (ok_valid[i / 8] >> (i % 8) & 1) {
			const char *t = ok[i / 8] >> (i % 8) & 1 ? "true" : "false";
			ck_assert_int_eq(rulebook_facts_set_text_at(f, in_ok, t, strlen(t), NULL),
					 RULEBOOK_OK);
		}
		if (opened_valid[i / 8] >> (i % 8) & 1) {
			/* 2019-12-28 + (i % 7) days */
			static const char *const day[] = {"2019-12-28", "2019-12-29", "2019-12-30",
							  "2019-12-31", "2020-01-01", "2020-01-02",
							  "2020-01-03"};
			ck_assert_int_eq(rulebook_facts_set_text_at(f, in_opened, day[i % 7], 10, NULL),
					 RULEBOOK_OK);
		}
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, res, NULL), RULEBOOK_OK);
		for (size_t r = 0; r < rulebook_rule_count(rb); r++)
			verdict_is((size_t)i, r, rulebook_result_verdict(res, r));
		for (size_t sc = 0; sc < rulebook_scorecard_count(rb); sc++)
			score_is((size_t)i, sc, rulebook_result_score(res, sc));
	}
	rulebook_result_free(res);
	rulebook_facts_free(f);

	/* the deferred bytes load to the same verdicts and exact scores */
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save_deferred(pop, &bytes, &len), RULEBOOK_OK);
	rulebook_population *l = NULL;
	ck_assert_msg(rulebook_population_load(rb, bytes, len, &l, err) == RULEBOOK_OK, "load: %s",
		      rulebook_error_message(err, 0));
	for (size_t i = 0; i < NB - 1; i++) {
		for (size_t r = 0; r < rulebook_rule_count(rb); r++)
			ck_assert_int_eq(rulebook_population_verdict(l, i, r),
					 rulebook_population_verdict(pop, i, r));
		for (size_t sc = 0; sc < rulebook_scorecard_count(rb); sc++) {
			const char *a = rulebook_population_score(l, i, sc);
			const char *c = rulebook_population_score(pop, i, sc);
			ck_assert(a == c || (a && c && strcmp(a, c) == 0));
		}
	}
	rulebook_population_free(l);
	rulebook_mem_free(bytes);
}
END_TEST

/* Record ids beside columns of the columnar run: each record keeps the
 * id of its row (none for a null id), a row whose id is not UTF-8 is a
 * bad row, and the verdicts and scores are those of the same rows
 * without ids. */
#define NI 300
START_TEST(test_ids_with_columnar_run)
{
	static double n[NI];
	static int32_t k[NI], id_off[NI + 1];
	static char ids[NI * 8];
	static uint8_t id_valid[NI / 8 + 1];
	memset(id_valid, 0xff, sizeof id_valid);
	int at = 0;
	for (int i = 0; i < NI; i++) {
		n[i] = (i % 9 - 4) * 2.5;
		k[i] = i % 4 - 1;
		id_off[i] = at;
		if (i == 9)
			ids[at++] = (char)0xff; /* not UTF-8 */
		else
			at += snprintf(ids + at, sizeof ids - (size_t)at, "r%d", i);
	}
	id_off[NI] = at;
	id_valid[7 / 8] &= (uint8_t)~(1u << 7); /* row 7: no id */
	batch b;
	batch_init(&b, NI);
	add_col(&b, "_id", "u", NI, id_valid, id_off, ids);
	add_col(&b, "n", "g", NI, NULL, n, NULL);
	add_col(&b, "k", "i", NI, NULL, k, NULL);
	size_t bad = 99, bad_rows[2];
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(bad_rows[0], 9);
	ck_assert_uint_eq(rulebook_population_size(pop), NI - 1);

	batch nb;
	batch_init(&nb, NI);
	add_col(&nb, "n", "g", NI, NULL, n, NULL);
	add_col(&nb, "k", "i", NI, NULL, k, NULL);
	rulebook_population *plain = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_add_arrow(plain, &nb.s, &nb.a, 0, NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	for (size_t i = 0, row = 0; i < NI - 1; i++, row++) {
		if (row == 9)
			row++; /* the bad row */
		char want[16];
		snprintf(want, sizeof want, "r%zu", row);
		const char *got = rulebook_population_record_id(pop, i);
		if (row == 7)
			ck_assert_ptr_null(got);
		else
			ck_assert_msg(got && strcmp(got, want) == 0, "record %zu: id %s, expected %s", i,
				      got ? got : "(none)", want);
		for (size_t r = 0; r < rulebook_rule_count(rb); r++)
			ck_assert_int_eq(rulebook_population_verdict(pop, i, r),
					 rulebook_population_verdict(plain, row, r));
		for (size_t sc = 0; sc < rulebook_scorecard_count(rb); sc++) {
			const char *x = rulebook_population_score(pop, i, sc);
			const char *y = rulebook_population_score(plain, row, sc);
			ck_assert(x == y || (x && y && strcmp(x, y) == 0));
		}
	}
	/* hand-checked: row 0 is n = -10, k = -1: N and K fail */
	verdict_is(0, R_N, RULEBOOK_FAIL);
	verdict_is(0, R_K, RULEBOOK_FAIL);
	rulebook_population_free(plain);
}
END_TEST

/* The columnar run against the per-row route on the same rows: booleans
 * and dates read through column offsets and a struct offset, struct-level
 * nulls, and ids as int64 and as a dictionary of utf8 (one entry not
 * UTF-8). An all-null text column sends the second batch row by row. The
 * records, their ids, verdicts and scores, the bad rows and the first
 * diagnostic must agree; on 1 and 3 threads the columnar run's deferred
 * bytes must be the same. A malformed id (a dictionary index out of
 * range) names the column in its error. */
#define NX 2000
START_TEST(test_columnar_as_per_row)
{
	static double n[NX + 3];
	static int32_t opened[NX + 3], name_off[NX + 4];
	static int64_t ids[NX + 3];
	static int8_t dict_ids[NX + 3];
	static uint8_t ok[NX / 8 + 2], rows_valid[NX / 8 + 2];
	memset(ok, 0, sizeof ok);
	memset(rows_valid, 0xff, sizeof rows_valid);
	memset(name_off, 0, sizeof name_off);
	for (int i = 0; i < NX + 3; i++) {
		n[i] = (i % 13 - 6) * 0.75;
		opened[i] = D20191231 - 2 + i % 5;
		ids[i] = 1000 + i;
		dict_ids[i] = (int8_t)(i % 3);
		if (i % 3)
			ok[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	rows_valid[(1 + 40) / 8] &= (uint8_t)~(1u << ((1 + 40) % 8)); /* batch row 40 null */
	static const int32_t dict_off[] = {0, 2, 4, 5};
	const char *dict_text = "d0d1\xff";
	rulebook_population *p[3];
	static size_t bad_rows[3][NX];
	size_t bad[3];
	char *bytes[2] = {NULL, NULL};
	size_t len[2];
	for (int form = 0; form < 2; form++) { /* ids as int64, then as a dictionary */
		for (int run = 0; run < 3; run++) { /* columnar on 1 and 3 threads, per row */
			p[run] = rulebook_population_new(rb, AS_OF);
			ck_assert_int_eq(rulebook_population_set_threads(p[run], run == 1 ? 3 : 1),
					 RULEBOOK_OK);
			batch b;
			batch_init(&b, NX);
			b.a.offset = 1; /* the struct's own offset */
			b.bufs[0] = rows_valid;
			b.a.null_count = -1;
			column *c;
			if (form == 0) {
				c = add_col(&b, "_id", "l", NX + 1, NULL, ids, NULL);
			} else {
				c = add_col(&b, "_id", "c", NX + 1, NULL, dict_ids, NULL);
				set_dict(c, "u", 3, NULL, dict_off, dict_text);
			}
			(void)c;
			add_col(&b, "n", "g", NX + 1, NULL, n, NULL);
			c = add_col(&b, "ok", "b", NX + 2, NULL, ok, NULL);
			c->a.offset = 1; /* the column's own offset, on top of the struct's */
			c = add_col(&b, "opened", "tdD", NX + 2, NULL, opened, NULL);
			c->a.offset = 1;
			if (run == 2)
				add_col(&b, "name", "u", NX + 1, NULL, name_off, ""); /* all "" */
			bad[run] = 99;
			ck_assert_int_eq(rulebook_population_add_arrow(p[run], &b.s, &b.a, 0, bad_rows[run],
								       &bad[run], err),
					 RULEBOOK_OK);
		}
		ck_assert_uint_eq(bad[0], bad[2]);
		ck_assert_uint_eq(bad[1], bad[2]);
		/* row 40 null; as a dictionary the id of row r is entry (1 + r) % 3
		 * (the struct's offset), not UTF-8 for r = 1, 4, ..., 1999 (667
		 * rows, row 40 among them) */
		ck_assert_uint_eq(bad[0], form == 0 ? 1 : 667);
		ck_assert_uint_eq(bad_rows[0][0], form == 0 ? 40 : 1);
		ck_assert_mem_eq(bad_rows[0], bad_rows[2], bad[0] * sizeof(size_t));
		ck_assert_mem_eq(bad_rows[1], bad_rows[2], bad[1] * sizeof(size_t));
		size_t size = rulebook_population_size(p[2]);
		ck_assert_uint_eq(rulebook_population_size(p[0]), size);
		ck_assert_uint_eq(rulebook_population_size(p[1]), size);
		for (size_t i = 0; i < size; i++)
			for (int run = 0; run < 2; run++) {
				const char *x = rulebook_population_record_id(p[run], i);
				const char *y = rulebook_population_record_id(p[2], i);
				ck_assert(x == y || (x && y && strcmp(x, y) == 0));
				/* the name rule reads a text only the per-row batch sets */
				for (size_t r = 0; r < rulebook_rule_count(rb); r++)
					if (r != R_T)
						ck_assert_int_eq(rulebook_population_verdict(p[run], i, r),
								 rulebook_population_verdict(p[2], i, r));
				for (size_t sc = 0; sc < rulebook_scorecard_count(rb); sc++) {
					const char *u = rulebook_population_score(p[run], i, sc);
					const char *v = rulebook_population_score(p[2], i, sc);
					ck_assert(u == v || (u && v && strcmp(u, v) == 0));
				}
			}
		for (int run = 0; run < 2; run++)
			ck_assert_int_eq(rulebook_population_save_deferred(p[run], &bytes[run], &len[run]),
					 RULEBOOK_OK);
		ck_assert_uint_eq(len[0], len[1]);
		ck_assert_mem_eq(bytes[0], bytes[1], len[0]);
		for (int run = 0; run < 3; run++)
			rulebook_population_free(p[run]);
		for (int run = 0; run < 2; run++) {
			rulebook_mem_free(bytes[run]);
			bytes[run] = NULL;
		}
	}
	/* a dictionary index out of range: the call stops, naming _id */
	static const int8_t wild[] = {0, 5};
	batch b;
	batch_init(&b, 2);
	column *c = add_col(&b, "_id", "c", 2, NULL, wild, NULL);
	set_dict(c, "u", 3, NULL, dict_off, dict_text);
	add_col(&b, "n", "g", 2, NULL, n, NULL);
	size_t nbad = 0;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, &nbad, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_msg(strstr(rulebook_error_message(err, 0), "column '_id'"), "%s",
		      rulebook_error_message(err, 0));
}
END_TEST

/* A slice: the batch starts at row 1 of its children, a column has an
 * offset of its own, a dictionary's values have one too, and the bitmaps
 * are read at the shifted positions. */
START_TEST(test_offsets)
{
	batch b;
	batch_init(&b, 2);
	b.a.offset = 1;
	/* k's own offset 1 and the batch's 1: rows read positions 2 and 3 */
	static const int64_t k[] = {100, 200, 7, -3};
	static const uint8_t k_valid[] = {0x7}; /* position 3 null */
	column *c = add_col(&b, "k", "l", 3, k_valid, k, NULL);
	c->a.offset = 1;
	/* ok: offset 3, rows at bits 4 and 5 */
	static const uint8_t ok[] = {0x10};
	c = add_col(&b, "ok", "b", 3, NULL, ok, NULL);
	c->a.offset = 3;
	static const int32_t name_off[] = {0, 1, 7, 8};
	add_col(&b, "name", "u", 3, NULL, name_off, "a临安b");
	/* indices 0, 1 (after the batch's offset) into a dictionary whose
	 * offset 1 skips "x" */
	static const int16_t sector[] = {1, 0, 1};
	c = add_col(&b, "sector", "s", 3, NULL, sector, NULL);
	static const int32_t dict_off[] = {0, 1, 7, 13};
	set_dict(c, "u", 2, NULL, dict_off, "x化工纺织");
	c->da.offset = 1;
	static const int64_t id_off[] = {0, 1, 3, 5};
	add_col(&b, "_id", "U", 3, NULL, id_off, "zr1r2");
	add_ok(&b, 0);

	ck_assert_uint_eq(rulebook_population_size(pop), 2);
	ck_assert_str_eq(rulebook_population_record_id(pop, 0), "r1");
	ck_assert_str_eq(rulebook_population_record_id(pop, 1), "r2");
	verdict_is(0, R_K, RULEBOOK_PASS);
	score_is(0, S_K, "7");
	verdict_is(0, R_B, RULEBOOK_PASS);
	verdict_is(0, R_T, RULEBOOK_PASS);
	verdict_is(0, R_E, RULEBOOK_PASS);
	verdict_is(1, R_K, RULEBOOK_UNKNOWN);
	score_is(1, S_K, NULL);
	verdict_is(1, R_B, RULEBOOK_FAIL);
	verdict_is(1, R_T, RULEBOOK_FAIL);
	verdict_is(1, R_E, RULEBOOK_FAIL);
}
END_TEST

/* Every integer width, signed and unsigned, at its limits; beyond 18
 * digits a row is refused rather than rounded. */
START_TEST(test_integers)
{
	static const int8_t i8[] = {127, -128};
	static const int16_t i16[] = {32767, -32768};
	static const int32_t i32[] = {2147483647, -2147483647 - 1};
	static const int64_t i64[] = {999999999999999999, -999999999999999999, INT64_MAX, INT64_MIN};
	static const uint8_t u8[] = {255, 0};
	static const uint16_t u16[] = {65535, 0};
	static const uint32_t u32[] = {4294967295u, 0};
	static const uint64_t u64[] = {999999999999999999u, 0, UINT64_MAX, 1000000000000000000u};
	static const struct {
		const char *fmt;
		const void *data;
		int64_t rows;
		const char *first, *second;
		size_t bad;
	} cases[] = {
		{"c", i8, 2, "127", "-128", 0},
		{"s", i16, 2, "32767", "-32768", 0},
		{"i", i32, 2, "2147483647", "-2147483648", 0},
		{"l", i64, 4, "999999999999999999", "-999999999999999999", 2},
		{"C", u8, 2, "255", "0", 0},
		{"S", u16, 2, "65535", "0", 0},
		{"I", u32, 2, "4294967295", "0", 0},
		{"L", u64, 4, "999999999999999999", "0", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rulebook_population_free(pop);
		pop = rulebook_population_new(rb, AS_OF);
		batch b;
		batch_init(&b, cases[i].rows);
		add_col(&b, "k", cases[i].fmt, cases[i].rows, NULL, cases[i].data, NULL);
		size_t bad_rows[4], bad = 0;
		ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
				 RULEBOOK_OK);
		ck_assert_msg(bad == cases[i].bad, "%s: %zu bad rows", cases[i].fmt, bad);
		ck_assert_uint_eq(rulebook_population_size(pop), 2 + cases[i].rows - 2 - cases[i].bad);
		score_is(0, S_K, cases[i].first);
		score_is(1, S_K, cases[i].second);
		if (bad) {
			/* INT64_MAX (19 digits) and, for uint64, UINT64_MAX (20) */
			ck_assert_uint_eq(bad_rows[0], 2);
			check_diag(err, 0, RULEBOOK_ERR_RANGE, "row 2, column 'k': ", NULL, 0, 0);
			ck_assert_str_eq(rulebook_error_subject(err, 0), "k");
		}
		/* uint64 1e18 has 19 digits of which one is significant: exact */
		if (strcmp(cases[i].fmt, "L") == 0)
			score_is(2, S_K, "1000000000000000000");
	}
}
END_TEST

/* decimal128 is exact up to 18 significant digits, at any scale. */
START_TEST(test_decimal128)
{
	batch b;
	batch_init(&b, 5);
	uint8_t v[5][16];
	dec128(v[0], 123456789012345678, 9);   /* 12345678901234567.8000000000 */
	dec128(v[1], -123456789012345678, 9);
	dec128(v[2], 1, 0);                    /* 1e-10 */
	dec128(v[3], 1234567890123456789, 0);  /* 19 significant digits */
	dec128(v[4], 5, 25);                   /* 5e15 beyond 64 bits before scaling */
	add_col(&b, "n", "d:38,10,128", 5, NULL, v, NULL);
	size_t bad_rows[5], bad = 0;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(bad_rows[0], 3);
	check_diag(err, 0, RULEBOOK_ERR_RANGE, "row 3, column 'n': ", NULL, 0, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 4);
	score_is(0, S_N, "12345678901234567.8");
	score_is(1, S_N, "-12345678901234567.8");
	score_is(2, S_N, "0.0000000001");
	score_is(3, S_N, "5000000000000000");

	/* a negative scale multiplies */
	rulebook_population_free(pop);
	pop = rulebook_population_new(rb, AS_OF);
	batch_init(&b, 1);
	dec128(v[0], 7, 0);
	add_col(&b, "k", "d:5,-2", 1, NULL, v, NULL);
	add_ok(&b, 0);
	score_is(0, S_K, "700");
}
END_TEST

/* Text columns go through the text parser: numbers with units, dates,
 * booleans; dictionary-encoded text with null indices and null values. */
START_TEST(test_text_forms)
{
	batch b;
	batch_init(&b, 3);
	static const int32_t area_off[] = {0, 9, 9, 14};
	static const uint8_t area_valid[] = {0x5};
	add_col(&b, "area", "u", 3, area_valid, area_off, "20000 m²1.5e2");
	static const int32_t opened_off[] = {0, 10, 20, 30};
	add_col(&b, "opened", "u", 3, NULL, opened_off, "2020-01-012019-12-312021-06-30");
	static const int64_t ok_off[] = {0, 4, 9, 13};
	add_col(&b, "ok", "U", 3, NULL, ok_off, "truefalsetrue");
	/* sector: index null at row 1, a null value in the dictionary at row 2 */
	static const int32_t sector[] = {1, 5, 2};
	static const uint8_t sector_valid[] = {0x5};
	column *c = add_col(&b, "sector", "i", 3, sector_valid, sector, NULL);
	static const int64_t dict_off[] = {0, 6, 12, 12};
	static const uint8_t dict_valid[] = {0x3};
	set_dict(c, "U", 3, dict_valid, dict_off, "纺织化工");
	add_ok(&b, 0);
	/* 20000 m² = 30 亩 exactly (1 亩 = 2000/3 m²) */
	score_is(0, S_A, "30");
	score_is(1, S_A, NULL);
	score_is(2, S_A, "150");
	verdict_is(0, R_D, RULEBOOK_PASS);
	verdict_is(1, R_D, RULEBOOK_FAIL);
	verdict_is(2, R_D, RULEBOOK_PASS);
	verdict_is(0, R_B, RULEBOOK_PASS);
	verdict_is(1, R_B, RULEBOOK_FAIL);
	verdict_is(0, R_E, RULEBOOK_PASS);
	verdict_is(1, R_E, RULEBOOK_UNKNOWN);
	verdict_is(2, R_E, RULEBOOK_UNKNOWN);
}
END_TEST

/* A null-typed column is all missing; integer record ids; columns
 * starting with "_" are skipped; unknown columns skipped on request. */
START_TEST(test_ids_and_skipped)
{
	batch b;
	batch_init(&b, 2);
	add_col(&b, "n", "n", 2, NULL, NULL, NULL);
	static const int64_t ids[] = {42, -7};
	add_col(&b, "_id", "l", 2, NULL, ids, NULL);
	static const float f[] = {1, 2};
	add_col(&b, "_note", "f", 2, NULL, f, NULL);
	add_col(&b, "extra", "f", 2, NULL, f, NULL);
	size_t bad = 9;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, RULEBOOK_IN_IGNORE_UNKNOWN,
						       NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 2);
	ck_assert_str_eq(rulebook_population_record_id(pop, 0), "42");
	ck_assert_str_eq(rulebook_population_record_id(pop, 1), "-7");
	verdict_is(0, R_N, RULEBOOK_UNKNOWN);

	/* without the flag the unknown column is an error, before any record */
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_NOT_FOUND);
	check_diag(err, 0, RULEBOOK_ERR_NOT_FOUND, "column 'extra' is not an input of the rulebook",
		   NULL, 0, 0);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "extra");
	ck_assert_uint_eq(rulebook_population_size(pop), 2);
}
END_TEST

/* Rows whose values their inputs refuse are left out and reported; the
 * rest of the batch is added. */
START_TEST(test_bad_rows)
{
	batch b;
	batch_init(&b, 4);
	static const int32_t n_off[] = {0, 1, 4, 5, 6};
	add_col(&b, "n", "u", 4, NULL, n_off, "1abc23");
	static const double k[] = {1, 2.5, 3, 4};
	add_col(&b, "k", "g", 4, NULL, k, NULL);
	static const int32_t sector_off[] = {0, 6, 12, 18, 21};
	add_col(&b, "sector", "u", 4, NULL, sector_off, "纺织化工纺织钢");
	static const uint8_t rows_valid[] = {0x7}; /* the struct's row 3 is null */
	b.bufs[0] = rows_valid;
	b.a.null_count = 1;
	size_t bad_rows[4], bad = 0;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 2);
	ck_assert_uint_eq(bad_rows[0], 1); /* "abc" for a number (and 2.5 for an integer) */
	ck_assert_uint_eq(bad_rows[1], 3); /* a null record */
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "row 1, column 'n': ", NULL, 0, 0);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "n");
	ck_assert_uint_eq(rulebook_population_size(pop), 2);
	score_is(0, S_N, "1");
	score_is(1, S_N, "2");

	/* an integer input refuses 2.5; an enum refuses an undeclared value */
	rulebook_population_free(pop);
	pop = rulebook_population_new(rb, AS_OF);
	batch_init(&b, 2);
	add_col(&b, "k", "g", 2, NULL, k, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 1);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "row 1, column 'k': input 'k' is an integer", NULL, 0,
		   0);
	batch_init(&b, 4);
	add_col(&b, "sector", "u", 4, NULL, sector_off, "纺织化工纺织钢");
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(bad_rows[0], 3);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "row 3, column 'sector': ", NULL, 0, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 1 + 3);
}
END_TEST

/* On threads (rulebook_population_set_threads), a batch gives the same
 * records, bad rows and diagnostic as in one thread: bad rows in several
 * slices, the first one's diagnostic only. */
START_TEST(test_threads)
{
	enum { N = 10000 };
	static double k[N];
	for (size_t i = 0; i < N; i++)
		k[i] = (double)(i % 50);
	k[3000] = k[7000] = k[N - 1] = 2.5;
	static size_t bad_rows[N];
	size_t size[2] = {0, 0};
	uint8_t verdicts[2][N];
	for (int t = 0; t < 2; t++) {
		rulebook_population_free(pop);
		pop = rulebook_population_new(rb, AS_OF);
		ck_assert_int_eq(rulebook_population_set_threads(pop, t ? 4 : 1), RULEBOOK_OK);
		batch b;
		batch_init(&b, N);
		add_col(&b, "k", "g", N, NULL, k, NULL);
		size_t bad = 0;
		ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, bad_rows, &bad, err),
				 RULEBOOK_OK);
		ck_assert_uint_eq(bad, 3);
		ck_assert_uint_eq(bad_rows[0], 3000);
		ck_assert_uint_eq(bad_rows[1], 7000);
		ck_assert_uint_eq(bad_rows[2], N - 1);
		ck_assert_uint_eq(rulebook_error_count(err), 1);
		check_diag(err, 0, RULEBOOK_ERR_VALUE, "row 3000, column 'k': input 'k' is an integer",
			   NULL, 0, 0);
		size[t] = rulebook_population_size(pop);
		for (size_t i = 0; i < size[t]; i++)
			verdicts[t][i] = (uint8_t)rulebook_population_verdict(pop, i, R_K);
	}
	ck_assert_uint_eq(size[0], N - 3);
	ck_assert_uint_eq(size[1], N - 3);
	ck_assert_mem_eq(verdicts[0], verdicts[1], N - 3);
	ck_assert_int_eq(rulebook_population_set_threads(NULL, 2), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_set_threads(pop, 0), RULEBOOK_OK);
}
END_TEST

START_TEST(test_schema_errors)
{
	batch b;
	static const float f[] = {1};
	static const double d[] = {1};
	static const int32_t days[] = {0};

	/* unsupported types name the column and the format */
	static const char *const unsupported[] = {"f", "e", "tsu:", "d:40,2,256", "w:16", "+l",
						  "z", "vu", "tdm"};
	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
		batch_init(&b, 1);
		add_col(&b, "n", unsupported[i], 1, NULL, f, NULL);
		ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
				 RULEBOOK_ERR_VALUE);
		char want[128];
		snprintf(want, sizeof want, "column 'n' has Arrow type '%s', which is not supported",
			 unsupported[i]);
		check_diag(err, 0, RULEBOOK_ERR_VALUE, want, NULL, 0, 0);
		ck_assert_str_eq(rulebook_error_subject(err, 0), "n");
	}
	/* a dictionary of an unsupported type */
	batch_init(&b, 1);
	static const int8_t idx[] = {0};
	column *c = add_col(&b, "n", "c", 1, NULL, idx, NULL);
	set_dict(c, "f", 1, NULL, f, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_VALUE);
	check_diag(err, 0, RULEBOOK_ERR_VALUE,
		   "column 'n' is dictionary-encoded with values of Arrow type 'f'", NULL, 0, 0);

	/* a type that does not suit the input */
	batch_init(&b, 1);
	add_col(&b, "opened", "g", 1, NULL, d, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_TYPE);
	check_diag(err, 0, RULEBOOK_ERR_TYPE,
		   "column 'opened' is float64; input 'opened' is a date and cannot take it", NULL, 0, 0);
	batch_init(&b, 1);
	add_col(&b, "n", "tdD", 1, NULL, days, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_TYPE);
	check_diag(err, 0, RULEBOOK_ERR_TYPE, "column 'n' is date32; input 'n' is a number", NULL, 0,
		   0);
	batch_init(&b, 1);
	add_col(&b, "_id", "g", 1, NULL, d, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_TYPE);
	check_diag(err, 0, RULEBOOK_ERR_TYPE, "column '_id' is float64", NULL, 0, 0);

	/* two columns for one input */
	batch_init(&b, 1);
	add_col(&b, "n", "g", 1, NULL, d, NULL);
	add_col(&b, "n", "g", 1, NULL, d, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_NAME);
	check_diag(err, 0, RULEBOOK_ERR_NAME, "two columns are named 'n'", NULL, 0, 0);

	/* not a struct; NULL arguments; released structures */
	batch_init(&b, 1);
	b.s.format = "i";
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "the schema is not a struct ('+s') of columns but 'i'",
		   NULL, 0, 0);
	batch_init(&b, 1);
	ck_assert_int_eq(rulebook_population_add_arrow(NULL, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, NULL, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "a population, a schema and a batch are required",
		   NULL, 0, 0);
	b.a.release = NULL;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "has been released", NULL, 0, 0);
	/* the schema and the batch disagree */
	batch_init(&b, 1);
	add_col(&b, "n", "g", 1, NULL, d, NULL);
	b.a.n_children = 0;
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID,
		   "the batch does not match the schema (1 columns described, 0 given)", NULL, 0, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 0);
}
END_TEST

/* Malformed arrays: a short child, a missing data buffer, offsets out of
 * order, a dictionary index out of range. The rows before stay added. */
START_TEST(test_malformed)
{
	batch b;
	static const double d[] = {1, 2, 3};
	batch_init(&b, 3);
	add_col(&b, "n", "g", 2, NULL, d, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID,
		   "column 'n': the array does not match its type or is shorter than the batch", NULL,
		   0, 0);
	batch_init(&b, 3);
	add_col(&b, "n", "g", 3, NULL, NULL, NULL);
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);

	batch_init(&b, 3);
	static const int32_t off[] = {0, 1, 0, 2};
	add_col(&b, "n", "u", 3, NULL, off, "12");
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "row 1, column 'n': the array is malformed", NULL, 0,
		   0);
	ck_assert_uint_eq(rulebook_population_size(pop), 1);

	batch_init(&b, 2);
	static const int8_t idx[] = {0, 2};
	column *c = add_col(&b, "sector", "c", 2, NULL, idx, NULL);
	static const int32_t dict_off[] = {0, 6, 12};
	set_dict(c, "u", 2, NULL, dict_off, "纺织化工");
	ck_assert_int_eq(rulebook_population_add_arrow(pop, &b.s, &b.a, 0, NULL, NULL, err),
			 RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "row 1, column 'sector': the array is malformed",
		   NULL, 0, 0);
	ck_assert_uint_eq(rulebook_population_size(pop), 2);
}
END_TEST

/* The same records through add_arrow and through add_table give the same
 * verdicts and scores. */
START_TEST(test_same_as_table)
{
	batch b;
	batch_init(&b, 4);
	static const double n[] = {0, -1, 150.25, 99.999};
	add_col(&b, "n", "g", 4, NULL, n, NULL);
	static const int16_t k[] = {0, 1, -1, 100};
	add_col(&b, "k", "s", 4, NULL, k, NULL);
	static const uint8_t ok[] = {0x6};
	add_col(&b, "ok", "b", 4, NULL, ok, NULL);
	add_ok(&b, 0);
	rulebook_population *t = rulebook_population_new(rb, AS_OF);
	size_t in[3];
	ck_assert_int_eq(rulebook_input_index(rb, "n", 1, &in[0]), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "k", 1, &in[1]), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "ok", 2, &in[2]), RULEBOOK_OK);
	static const char *const cells[] = {"0",     "0",  "false", "-1",     "1",   "true",
					    "150.25", "-1", "true",  "99.999", "100", "false"};
	ck_assert_int_eq(rulebook_population_add_table(t, 4, in, 3, cells, NULL, NULL, NULL, err),
			 RULEBOOK_OK);
	for (size_t r = 0; r < 4; r++) {
		for (size_t rule = 0; rule < rulebook_rule_count(rb); rule++)
			ck_assert_int_eq(rulebook_population_verdict(pop, r, rule),
					 rulebook_population_verdict(t, r, rule));
		for (size_t s = 0; s < rulebook_scorecard_count(rb); s++) {
			const char *x = rulebook_population_score(pop, r, s);
			const char *y = rulebook_population_score(t, r, s);
			ck_assert(x == y || (x && y && strcmp(x, y) == 0));
			ck_assert_pstr_eq(rulebook_population_class(pop, r, s),
					  rulebook_population_class(t, r, s));
		}
	}
	score_is(3, S_N, "99.999");
	rulebook_population_free(t);
}
END_TEST

static Suite *arrow_suite(void)
{
	Suite *s = suite_create("arrow");
	TCase *tc = tcase_create("add_arrow");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_type);
	tcase_add_test(tc, test_bool_date_columns);
	tcase_add_test(tc, test_ids_with_columnar_run);
	tcase_add_test(tc, test_columnar_as_per_row);
	tcase_add_test(tc, test_offsets);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_decimal128);
	tcase_add_test(tc, test_text_forms);
	tcase_add_test(tc, test_ids_and_skipped);
	tcase_add_test(tc, test_bad_rows);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_schema_errors);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_same_as_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arrow_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
