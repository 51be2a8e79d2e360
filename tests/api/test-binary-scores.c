/* Binary scores in populations: a population keeps the binary score of a
 * record decided in binary, with its error bound, and computes the exact
 * score only when it is read or exported, or when the bounds cannot order
 * the record among its neighbours for a class by rank. Checked against
 * each record evaluated alone with exact decimals only, on generated
 * records with exact ties (from equal inputs and from different ones) and
 * near-ties (inputs a unit in the last place apart: scores closer than the
 * binary bounds), through columns, partitions merged, copies, saved
 * bytes, and text cells. Uses fixtures/binary-scores.yaml. */
#include "common.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF 20230630
#define NREC 9000  /* enough for slices on 4 threads (rulebook_population_set_threads) */
#define NCOL 3

static rulebook *rb;
static rulebook_error *err;
static size_t inputs[NCOL + 1];
static double values[NCOL * NREC];       /* column by column */
static char *want_score[2][NREC];        /* exact-only, per record; NULL: none */
static double want_double[2][NREC];      /* rulebook_result_score_double; NaN: none */
static const char *want_class[2][NREC];  /* NULL: unknown */
static uint8_t want_verdict[NREC];

static uint32_t rng;

static uint32_t next(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) & 0xFFFF;
}

/* Compare two non-negative decimal texts exactly. */
static int dec_cmp(const char *x, const char *y)
{
	size_t ix = strcspn(x, "."), iy = strcspn(y, ".");
	while (ix > 1 && *x == '0')
		x++, ix--;
	while (iy > 1 && *y == '0')
		y++, iy--;
	if (ix != iy)
		return ix < iy ? -1 : 1;
	int c = strncmp(x, y, ix);
	if (c)
		return c < 0 ? -1 : 1;
	const char *fx = x[ix] ? x + ix + 1 : "", *fy = y[iy] ? y + iy + 1 : "";
	while (*fx || *fy) {
		char a = *fx ? *fx++ : '0', b = *fy ? *fy++ : '0';
		if (a != b)
			return a < b ? -1 : 1;
	}
	return 0;
}

typedef struct {
	const char *score;
	size_t rec;
} ranked;

static int by_score(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	int c = dec_cmp(y->score, x->score);
	return c ? c : (x->rec > y->rec) - (x->rec < y->rec);
}

/* Records from a few values, so that many tie exactly, and the same
 * values moved by one or two units in the last place, or by 1e-14, so
 * that many more differ by less than the binary bounds; some c missing
 * (class unknown) or negative (not rated). */
static void make_records(void)
{
	/* Values whose quotients by the benchmarks are short decimals, so that
	 * many different records have equal exact scores (10 a + 50 b / 7 is
	 * 13 for a = 0.3, b = 1.4 and for a = 0.6, b = 0.7) that binary
	 * arithmetic rounds differently. */
	static const double base[NCOL][10] = {
		{0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7, 3.3},
		{0.7, 1.4, 2.1, 2.8, 3.5, 4.2, 4.9, 0.7, 1.4, 2.1},
		{0.03, 0.06, 0.09, 0.12, 0.15, 0.21, 0.27, 0.33, 0.39, 0.45}};
	rng = 2;
	for (size_t r = 0; r < NREC; r++) {
		for (size_t c = 0; c < NCOL; c++) {
			double v = base[c][next() % 10];
			uint32_t near = next() % 16;
			if (near == 1)
				v = nextafter(v, INFINITY);
			else if (near == 2)
				v = nextafter(nextafter(v, INFINITY), INFINITY);
			else if (near == 3)
				v = nextafter(v, 0);
			else if (near == 4)
				v += 1e-14;
			values[c * NREC + r] = v;
		}
		if (r % 97 == 5)
			values[2 * NREC + r] = NAN;
		else if (r % 89 == 7)
			values[2 * NREC + r] = -1;
	}
}

/* Each record alone, exact decimals only (scores, classes not by rank,
 * verdicts) and with the binary run (the score as a double); then the
 * classes by rank of scorecard 0 from the exact scores, by the rule of
 * docs/format.md: sorted by score, class k below floor(cumulative share ×
 * N), a record tied with the one before it takes its class. */
static void expected(void)
{
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *exact = rulebook_result_new(rb), *fast = rulebook_result_new(rb);
	rulebook_result_set_exact_only(exact, 1);
	for (size_t r = 0; r < NREC; r++) {
		rulebook_facts_clear(f);
		for (size_t c = 0; c < NCOL; c++)
			if (!isnan(values[c * NREC + r]))
				ck_assert_int_eq(rulebook_facts_set_double_at(f, inputs[c],
									      values[c * NREC + r], err),
						 RULEBOOK_OK);
		eval_ok(rb, f, AS_OF, exact);
		eval_ok(rb, f, AS_OF, fast);
		ck_assert_int_eq(rulebook_result_decided_exactly(exact), 1);
		want_verdict[r] = (uint8_t)rulebook_result_verdict(exact, 0);
		for (size_t k = 0; k < 2; k++) {
			const char *s = rulebook_result_score(exact, k);
			want_score[k][r] = s ? strdup(s) : NULL;
			want_class[k][r] = rulebook_result_class(exact, k);
			double d;
			rulebook_status st = rulebook_result_score_double(fast, k, &d);
			ck_assert_int_eq(st, s ? RULEBOOK_OK : RULEBOOK_ERR_NOT_FOUND);
			want_double[k][r] = d;
		}
	}
	rulebook_facts_free(f);
	rulebook_result_free(exact);
	rulebook_result_free(fast);

	static ranked items[NREC];
	size_t m = 0;
	for (size_t r = 0; r < NREC; r++)
		if (!want_class[0][r] && want_score[0][r])
			items[m++] = (ranked){want_score[0][r], r};
	ck_assert_uint_gt(m, NREC / 2);
	qsort(items, m, sizeof items[0], by_score);
	static const char *const cls[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"};
	size_t c = 0, ties = 0, split = 0, split_cut = 0;
	for (size_t pos = 0; pos < m; pos++) {
		bool cut = false;
		while (c < 9 && pos >= (c + 1) * 10 * m / 100) {
			c++;
			cut = true;
		}
		const char *got = cls[c];
		if (pos && dec_cmp(items[pos].score, items[pos - 1].score) == 0) {
			got = want_class[0][items[pos - 1].rec];
			ties++;
			bool differ = want_double[0][items[pos].rec] != want_double[0][items[pos - 1].rec];
			split += differ;
			split_cut += differ && cut;
		}
		want_class[0][items[pos].rec] = got;
	}
	/* the data has what the test is about: many ties, ties whose binary
	 * scores differ, such a tie across a cut between classes */
	ck_assert_uint_gt(ties, m / 2);
	ck_assert_uint_gt(split, m / 100);
	ck_assert_uint_gt(split_cut, 0);
}

static void setup(void)
{
	rb = load_fixture("binary-scores.yaml");
	err = rulebook_error_new();
	static const char *const names[NCOL + 1] = {"a", "b", "c", "note"};
	for (size_t c = 0; c < NCOL + 1; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &inputs[c]),
				 RULEBOOK_OK);
	make_records();
	expected();
}

static void teardown(void)
{
	for (size_t k = 0; k < 2; k++)
		for (size_t r = 0; r < NREC; r++)
			free(want_score[k][r]);
	rulebook_error_free(err);
	rulebook_free(rb);
}

/* Rows [from, to) of the generated columns. */
static void add_rows(rulebook_population *p, size_t from, size_t to)
{
	static double part[NCOL * NREC];
	size_t n = to - from;
	for (size_t c = 0; c < NCOL; c++)
		memcpy(part + c * n, values + c * NREC + from, n * sizeof(double));
	ck_assert_int_eq(rulebook_population_add_columns(p, n, inputs, NCOL, part, NULL, err),
			 RULEBOOK_OK);
}

static rulebook_population *columns(void)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(p);
	add_rows(p, 0, NREC);
	return p;
}

/* Everything a population gives equals each record evaluated alone; the
 * class by rank read first, or the scores first. */
static void check(rulebook_population *p, int scores_first)
{
	ck_assert_uint_eq(rulebook_population_size(p), NREC);
	static double d[NREC];
	static int16_t codes[NREC];
	for (size_t k = 0; k < 2; k++) {
		if (scores_first) {
			ck_assert_int_eq(rulebook_population_scores_double(p, k, d), RULEBOOK_OK);
			for (size_t r = 0; r < NREC; r++) {
				if (isnan(want_double[k][r]))
					ck_assert(isnan(d[r]));
				else
					ck_assert_double_eq(d[r], want_double[k][r]);
			}
		}
		ck_assert_int_eq(rulebook_population_classes(p, k, codes), RULEBOOK_OK);
		for (size_t r = 0; r < NREC; r++) {
			const char *c = rulebook_population_class(p, r, k);
			if (want_class[k][r])
				ck_assert_str_eq(c, want_class[k][r]);
			else
				ck_assert_ptr_null(c);
			ck_assert_int_eq(codes[r] >= 0, want_class[k][r] && strlen(want_class[k][r]) == 1);
		}
		char *text = NULL;
		size_t len = 0;
		ck_assert_int_eq(rulebook_population_scores_text(p, k, &text, &len), RULEBOOK_OK);
		const char *line = text;
		for (size_t r = 0; r < NREC; r++) {
			size_t l = strcspn(line, "\n");
			const char *s = rulebook_population_score(p, r, k);
			if (want_score[k][r]) {
				ck_assert_str_eq(s, want_score[k][r]);
				ck_assert_uint_eq(l, strlen(want_score[k][r]));
				ck_assert(strncmp(line, want_score[k][r], l) == 0);
			} else {
				ck_assert_ptr_null(s);
				ck_assert_uint_eq(l, 0);
			}
			line += l + 1;
		}
		ck_assert_uint_eq((size_t)(line - text), len);
		rulebook_mem_free(text);
		if (!scores_first) {
			ck_assert_int_eq(rulebook_population_scores_double(p, k, d), RULEBOOK_OK);
			for (size_t r = 0; r < NREC; r++) {
				if (isnan(want_double[k][r]))
					ck_assert(isnan(d[r]));
				else
					ck_assert_double_eq(d[r], want_double[k][r]);
			}
		}
	}
	uint32_t counts[8], want_counts[8] = {0};
	for (size_t r = 0; r < NREC; r++) {
		ck_assert_int_eq(rulebook_population_verdict(p, r, 0), want_verdict[r]);
		want_counts[want_verdict[r]]++;
	}
	rulebook_population_counts(p, counts);
	ck_assert_mem_eq(counts, want_counts, sizeof counts);
}

START_TEST(test_columns)
{
	rulebook_population *p = columns();
	check(p, _i);
	rulebook_population_free(p);
}
END_TEST

/* Partitions merged, in any sizes, equal one population; so do a copy
 * and the population through saved bytes, before any exact score was
 * computed. */
START_TEST(test_partitions_copy_save)
{
	static const size_t cuts[][4] = {{0, 1, 1500, NREC}, {0, 999, 6001, NREC}, {0, 0, NREC - 1, NREC}};
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	for (size_t j = 0; j < 3; j++) {
		rulebook_population *q = rulebook_population_new(rb, AS_OF);
		add_rows(q, cuts[_i][j], cuts[_i][j + 1]);
		ck_assert_int_eq(rulebook_population_merge(p, q, err), RULEBOOK_OK);
		rulebook_population_free(q);
	}
	rulebook_population *c = rulebook_population_copy(p);
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(p, &bytes, &len), RULEBOOK_OK);
	rulebook_population *l = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &l, err), RULEBOOK_OK);
	rulebook_mem_free(bytes);
	check(p, 0);
	check(c, 1);
	check(l, 0);
	rulebook_population_free(p);
	rulebook_population_free(c);
	rulebook_population_free(l);
}
END_TEST

/* On 1, 2, 3 or one per processor threads (rulebook_population_set_threads):
 * the same population. */
START_TEST(test_threads)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, (size_t)_i), RULEBOOK_OK);
	add_rows(p, 0, NREC);
	check(p, _i % 2);
	rulebook_population_free(p);
}
END_TEST

/* Records with a text input set keep their exact score from the start:
 * the same answers, on threads too; rows with a bad cell are left out
 * wherever they fall. */
START_TEST(test_text_cells)
{
	static char store[NREC * NCOL][32];
	static const char *cells[NREC * (NCOL + 1)];
	for (size_t r = 0; r < NREC; r++) {
		for (size_t c = 0; c < NCOL; c++) {
			double v = values[c * NREC + r];
			snprintf(store[r * NCOL + c], 32, "%.17g", v);
			/* the shortest text of the double, as set_double_at takes it */
			for (int prec = 1; prec <= 17; prec++) {
				snprintf(store[r * NCOL + c], 32, "%.*g", prec, v);
				if (strtod(store[r * NCOL + c], NULL) == v)
					break;
			}
			cells[r * (NCOL + 1) + c] = isnan(v) ? NULL : store[r * NCOL + c];
		}
		cells[r * (NCOL + 1) + NCOL] = "备注";
	}
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, _i ? 3 : 1), RULEBOOK_OK);
	size_t bad = 1;
	ck_assert_int_eq(rulebook_population_add_table(p, NREC, inputs, NCOL + 1, cells, NULL, NULL,
						       &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	check(p, 1);
	rulebook_population_free(p);

	/* bad cells in the first, middle and last rows: in the first, second
	 * and third slice on 3 threads */
	static const size_t at[] = {0, 4500, NREC - 1};
	for (size_t j = 0; j < 3; j++)
		cells[at[j] * (NCOL + 1) + 1] = "二点五";
	p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, _i ? 3 : 1), RULEBOOK_OK);
	size_t rows[NREC];
	ck_assert_int_eq(rulebook_population_add_table(p, NREC, inputs, NCOL + 1, cells, NULL, rows,
						       &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 3);
	for (size_t j = 0; j < 3; j++)
		ck_assert_uint_eq(rows[j], at[j]);
	ck_assert_uint_eq(rulebook_population_size(p), NREC - 3);
	ck_assert_str_eq(rulebook_population_score(p, 0, 1), want_score[1][1]);
	ck_assert_str_eq(rulebook_population_score(p, 4499, 1), want_score[1][4501]);
	rulebook_population_free(p);
}
END_TEST

/* Bad arguments of rulebook_population_scores_double. */
START_TEST(test_scores_double_args)
{
	rulebook_population *p = columns();
	double d[1];
	ck_assert_int_eq(rulebook_population_scores_double(NULL, 0, d), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_scores_double(p, 0, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_scores_double(p, 2, d), RULEBOOK_ERR_INVALID);
	rulebook_population_free(p);
	rulebook_population *e = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_scores_double(e, 1, d), RULEBOOK_OK);
	rulebook_population_free(e);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("binary-scores");
	TCase *tc = tcase_create("core");
	/* the expected answers are computed once, before the tests */
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_columns, 0, 2);
	tcase_add_loop_test(tc, test_partitions_copy_save, 0, 3);
	tcase_add_loop_test(tc, test_text_cells, 0, 2);
	tcase_add_loop_test(tc, test_threads, 0, 4);
	tcase_add_test(tc, test_scores_double_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
