/* Results in bulk, merging populations and moving them as bytes: the bulk
 * calls agree with the per-record accessors; any partitioning of a set of
 * records, merged in any grouping (and through save and load), gives the
 * same population as one over all the records -- verdicts, scores,
 * classes by rank, `missing: average` figures, every aggregate figure and
 * the JSON; damaged bytes are refused. Uses fixtures/partitions.yaml. */
#include "common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF 20230630
#define NREC 60
#define NCOL 6

enum { RANK = 0, RANK_V = 1, RANK_S = 2, AVG = 3 };

static rulebook *rb;
static rulebook_error *err;
static size_t inputs[NCOL];
static const char *cells[NREC * NCOL];
static const char *ids[NREC];
static char store[NREC * NCOL][16];
static char idstore[NREC][8];

static uint32_t rng;

static uint32_t next(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) & 0xFFFF;
}

/* Records with ties, missing values, vetoes and years out of scope. */
static void make_records(void)
{
	static const char *const names[NCOL] = {"area",     "industrial", "standard_land",
						 "year",     "score_in",   "banned"};
	for (size_t c = 0; c < NCOL; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &inputs[c]),
				 RULEBOOK_OK);
	rng = 7;
	for (size_t r = 0; r < NREC; r++) {
		char *cell = store[r * NCOL];
		snprintf(cell, 16, "%u.%u", next() % 600, next() % 10);
		cells[r * NCOL + 0] = r % 11 == 3 ? NULL : cell;
		cells[r * NCOL + 1] = next() % 2 ? "true" : "false";
		cells[r * NCOL + 2] = next() % 3 ? "true" : "false";
		snprintf(store[r * NCOL + 3], 16, "%u", 2019 + next() % 5);
		cells[r * NCOL + 3] = store[r * NCOL + 3];
		snprintf(store[r * NCOL + 4], 16, "%u", next() % 12);
		cells[r * NCOL + 4] = r % 13 == 5 ? NULL : store[r * NCOL + 4];
		cells[r * NCOL + 5] = next() % 9 == 0 ? "true" : "false";
		snprintf(idstore[r], sizeof idstore[r], "r%02zu", r);
		ids[r] = r % 17 == 4 ? NULL : idstore[r];
	}
}

static rulebook_population *rows(size_t from, size_t to)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(p);
	size_t bad = 1;
	ck_assert_int_eq(rulebook_population_add_table(p, to - from, inputs, NCOL,
						       cells + from * NCOL, ids + from, NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	return p;
}

static void setup(void)
{
	rb = load_fixture("partitions.yaml");
	err = rulebook_error_new();
	make_records();
}

static void teardown(void)
{
	rulebook_error_free(err);
	rulebook_free(rb);
}

static void same_str(const char *a, const char *b, const char *what, size_t i, size_t j)
{
	ck_assert_msg((!a && !b) || (a && b && strcmp(a, b) == 0), "%s %zu/%zu: %s vs %s", what, i, j,
		      a ? a : "(null)", b ? b : "(null)");
}

/* b holds the same population as a: record by record, in bulk, every
 * aggregate figure, and the JSON. */
static void same_population(rulebook_population *a, rulebook_population *b)
{
	size_t n = rulebook_population_size(a), nr = rulebook_rule_count(rb);
	ck_assert_uint_eq(rulebook_population_size(b), n);
	uint8_t *va = malloc(n * nr + 1), *vb = malloc(n * nr + 1);
	ck_assert_int_eq(rulebook_population_verdicts(a, va), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_verdicts(b, vb), RULEBOOK_OK);
	ck_assert_int_eq(memcmp(va, vb, n * nr), 0);
	free(va);
	free(vb);
	for (size_t i = 0; i < n; i++) {
		same_str(rulebook_population_record_id(a, i), rulebook_population_record_id(b, i), "id",
			 i, 0);
		for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
			same_str(rulebook_population_class(a, i, k), rulebook_population_class(b, i, k),
				 "class", i, k);
			same_str(rulebook_population_score(a, i, k), rulebook_population_score(b, i, k),
				 "score", i, k);
		}
	}
	for (size_t g = 0; g < rulebook_aggregate_count(rb); g++) {
		ck_assert_int_eq(rulebook_population_aggregate_verdict(a, g),
				 rulebook_population_aggregate_verdict(b, g));
		for (int f = RULEBOOK_AGGREGATE_VALUE; f <= RULEBOOK_AGGREGATE_GAP; f++)
			same_str(rulebook_population_aggregate_value(a, g, (rulebook_aggregate_field)f),
				 rulebook_population_aggregate_value(b, g, (rulebook_aggregate_field)f),
				 "aggregate", g, (size_t)f);
		size_t m = rulebook_population_aggregate_record_count(a, g);
		ck_assert_uint_eq(rulebook_population_aggregate_record_count(b, g), m);
		for (size_t j = 0; j < m; j++)
			ck_assert_uint_eq(rulebook_population_aggregate_record(a, g, j),
					  rulebook_population_aggregate_record(b, g, j));
	}
	uint32_t ca[8], cb[8];
	rulebook_population_counts(a, ca);
	rulebook_population_counts(b, cb);
	ck_assert_int_eq(memcmp(ca, cb, sizeof ca), 0);
	const char *ja, *jb;
	size_t la, lb;
	ck_assert_int_eq(rulebook_population_json(a, 0, &ja, &la), RULEBOOK_OK);
	char *copy = malloc(la + 1);
	memcpy(copy, ja, la + 1);
	ck_assert_int_eq(rulebook_population_json(b, 0, &jb, &lb), RULEBOOK_OK);
	ck_assert_msg(la == lb && memcmp(copy, jb, la) == 0, "JSON differs:\n%s\n%s", copy, jb);
	free(copy);
}

static rulebook_population *round_trip(rulebook_population *p)
{
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(p, &bytes, &len), RULEBOOK_OK);
	rulebook_population *q = NULL;
	rulebook_status st = rulebook_population_load(rb, bytes, len, &q, err);
	ck_assert_msg(st == RULEBOOK_OK, "load: %s", rulebook_error_message(err, 0));
	rulebook_mem_free(bytes);
	rulebook_population_free(p);
	return q;
}

/* Five partitions of the records 0..n: cuts[0] = 0, cuts[5] = n, and
 * four random cuts between them in order (some partitions empty). */
static void random_cuts(size_t cuts[6], size_t n)
{
	cuts[0] = 0;
	cuts[5] = n;
	for (size_t i = 1; i < 5; i++)
		cuts[i] = next() % (n + 1);
	for (size_t i = 1; i < 5; i++)
		for (size_t j = i; j > 1 && cuts[j] < cuts[j - 1]; j--) {
			size_t x = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = x;
		}
}

/* The five partitions merged into a new population, by seed % 3: left to
 * right, right to left (other record order), or as a tree; the
 * partitions are freed. */
static rulebook_population *merge_parts(rulebook_population *part[5], uint32_t seed)
{
	rulebook_population *acc = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(acc);
	if (seed % 3 == 0) {
		for (size_t i = 0; i < 5; i++)
			ck_assert_int_eq(rulebook_population_merge(acc, part[i], err), RULEBOOK_OK);
	} else if (seed % 3 == 1) {
		for (size_t i = 5; i-- > 0;)
			ck_assert_int_eq(rulebook_population_merge(acc, part[i], err), RULEBOOK_OK);
	} else {
		ck_assert_int_eq(rulebook_population_merge(part[3], part[4], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_merge(part[0], part[1], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_merge(part[2], part[3], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_merge(acc, part[2], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_merge(acc, part[0], err), RULEBOOK_OK);
	}
	for (size_t i = 0; i < 5; i++)
		rulebook_population_free(part[i]);
	return acc;
}

/* The population of all records is not trivial: every aggregate and
 * every class kind occurs, so the comparisons below compare something. */
START_TEST(test_population_is_varied)
{
	rulebook_population *all = rows(0, NREC);
	int seen[4][8] = {{0}};
	int16_t cls[NREC];
	for (size_t k = 0; k < 4; k++) {
		ck_assert_int_eq(rulebook_population_classes(all, k, cls), RULEBOOK_OK);
		for (size_t i = 0; i < NREC; i++)
			seen[k][cls[i] + 3]++;
	}
	/* rank: A, B, C (ties carry C over D's share) and unknown (score_in
	 * missing) */
	for (int c = 0; c < 3; c++)
		ck_assert_int_gt(seen[RANK][c + 3], 0);
	ck_assert_int_gt(seen[RANK][RULEBOOK_CLASS_UNKNOWN + 3], 0);
	/* rank_s: records of 2019 are out of scope */
	ck_assert_int_gt(seen[RANK_S][RULEBOOK_CLASS_NOT_RATED + 3], 0);
	/* avg: both classes */
	ck_assert_int_gt(seen[AVG][0 + 3], 0);
	ck_assert_int_gt(seen[AVG][1 + 3], 0);
	ck_assert_int_eq(rulebook_population_aggregate_verdict(all, 0) != RULEBOOK_NOT_APPLICABLE, 1);
	rulebook_population_free(all);
}
END_TEST

START_TEST(test_any_partitioning)
{
	rulebook_population *all = rows(0, NREC);
	for (uint32_t seed = 1; seed <= 24; seed++) {
		rng = seed;
		/* cut points, empty parts allowed */
		size_t cuts[8], nparts = 1 + next() % 7;
		cuts[0] = 0;
		for (size_t i = 1; i < nparts; i++)
			cuts[i] = next() % (NREC + 1);
		cuts[nparts] = NREC;
		for (size_t i = 1; i < nparts; i++) /* sort */
			for (size_t j = i; j > 0 && cuts[j] < cuts[j - 1]; j--) {
				size_t t = cuts[j];
				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
			}
		rulebook_population *part[8];
		for (size_t i = 0; i < nparts; i++) {
			part[i] = rows(cuts[i], cuts[i + 1]);
			if (seed % 2)
				part[i] = round_trip(part[i]);
		}
		if (seed % 3 == 0) {
			/* a tree: pairs, then pairs of pairs */
			for (size_t step = 1; step < nparts; step *= 2)
				for (size_t i = 0; i + step < nparts; i += 2 * step) {
					ck_assert_int_eq(rulebook_population_merge(part[i], part[i + step], err),
							 RULEBOOK_OK);
					rulebook_population_free(part[i + step]);
					part[i + step] = NULL;
				}
		} else {
			/* left to right into a new, empty population */
			rulebook_population *acc = rulebook_population_new(rb, AS_OF);
			for (size_t i = 0; i < nparts; i++) {
				ck_assert_int_eq(rulebook_population_merge(acc, part[i], err), RULEBOOK_OK);
				rulebook_population_free(part[i]);
			}
			part[0] = acc;
		}
		if (seed % 4 == 1)
			part[0] = round_trip(part[0]);
		same_population(all, part[0]);
		rulebook_population_free(part[0]);
	}
	rulebook_population_free(all);
}
END_TEST

/* Reading classes computes the `missing: average` stand-ins (the average
 * area for the records without one, their scores and classes) but leaves
 * the saved form as it was: saving before and after reading them gives the
 * same bytes, and both load to the same classes and scores. */
START_TEST(test_save_before_and_after_classes)
{
	rulebook_population *p = rows(0, NREC);
	char *before = NULL, *after = NULL;
	size_t lb = 0, la = 0;
	ck_assert_int_eq(rulebook_population_save(p, &before, &lb), RULEBOOK_OK);
	int16_t cls[NREC];
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++)
		ck_assert_int_eq(rulebook_population_classes(p, k, cls), RULEBOOK_OK);
	/* record 3 has no area: its score is the stand-in one now */
	ck_assert_ptr_null(cells[3 * NCOL + 0]);
	ck_assert_ptr_nonnull(rulebook_population_score(p, 3, AVG));
	ck_assert_int_eq(rulebook_population_save(p, &after, &la), RULEBOOK_OK);
	ck_assert_uint_eq(la, lb);
	for (size_t i = 0; i < lb; i++)
		ck_assert_msg(before[i] == after[i], "byte %zu of %zu differs", i, lb);
	rulebook_population *q[2] = {NULL, NULL};
	ck_assert_int_eq(rulebook_population_load(rb, before, lb, &q[0], err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_load(rb, after, la, &q[1], err), RULEBOOK_OK);
	same_population(p, q[0]);
	same_population(p, q[1]);
	rulebook_mem_free(before);
	rulebook_mem_free(after);
	rulebook_population_free(q[0]);
	rulebook_population_free(q[1]);
	rulebook_population_free(p);
}
END_TEST

/* Aggregate sums are exact, so they do not depend on the order in which
 * the records are added: one thread, 2-4 threads, any partitioning merged
 * in any order and saved and loaded give the same figures and the same
 * bytes. Record i (of 8192, all of 2022) has an area of
 * (100000 + 100 i) / 1000 + 0.333333333333333, 18 significant digits,
 * and is industrial when i is odd. Worked out with exact fractions:
 *   Σ area = 4176964.266666666663936 -> 4176964.26666666666 (18 digits)
 *   Σ odd  = 2088686.933333333331968 -> 2088686.93333333333
 *   share  = 2088686.93333333333 / 4176964.26666666666 = 0.500049030824044716
 *   avg    = 4176964.26666666666 / 8192 = 509.883333333333333
 * A running sum rounded to 18 digits after every term ends elsewhere, and
 * at another place for each split. */
enum { SUMN = 4 * 2048, A_P4 = 0, A_SUM = 2, A_AVG = 4 };
static const char *sum_cells[SUMN * 3];
static char sum_store[SUMN][24];
static size_t sum_cols[3];

static rulebook_population *sum_rows(size_t from, size_t to, size_t threads)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, threads), RULEBOOK_OK);
	size_t bad = 1;
	ck_assert_int_eq(rulebook_population_add_table(p, to - from, sum_cols, 3, sum_cells + 3 * from,
						       NULL, NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	return p;
}

static void exact_sums(rulebook_population *p)
{
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_SUM, RULEBOOK_AGGREGATE_VALUE),
			 "4176964.26666666666");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_NUMERATOR),
			 "2088686.93333333333");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_DENOMINATOR),
			 "4176964.26666666666");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_VALUE),
			 "0.500049030824044716");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_AVG, RULEBOOK_AGGREGATE_VALUE),
			 "509.883333333333333");
}

static char *saved(const rulebook_population *p, size_t *len)
{
	char *bytes = NULL;
	ck_assert_int_eq(rulebook_population_save(p, &bytes, len), RULEBOOK_OK);
	return bytes;
}

START_TEST(test_sums_exact_in_any_order)
{
	static const char *const names[3] = {"area", "industrial", "year"};
	for (size_t c = 0; c < 3; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &sum_cols[c]),
				 RULEBOOK_OK);
	for (size_t i = 0; i < SUMN; i++) {
		uint64_t x = (100000 + 100 * (uint64_t)i) * UINT64_C(1000000000000) +
			     UINT64_C(333333333333333);
		snprintf(sum_store[i], sizeof sum_store[i], "%llu.%015llu",
			 (unsigned long long)(x / UINT64_C(1000000000000000)),
			 (unsigned long long)(x % UINT64_C(1000000000000000)));
		sum_cells[3 * i] = sum_store[i];
		sum_cells[3 * i + 1] = i % 2 ? "true" : "false";
		sum_cells[3 * i + 2] = "2022";
	}
	ck_assert_str_eq(sum_cells[3], "100.433333333333333");
	/* one thread, then 2, 3 and 4: the same figures and bytes */
	rulebook_population *one = sum_rows(0, SUMN, 1);
	exact_sums(one);
	size_t len1 = 0;
	char *bytes1 = saved(one, &len1);
	for (size_t t = 2; t <= 4; t++) {
		rulebook_population *p = sum_rows(0, SUMN, t);
		exact_sums(p);
		size_t len = 0;
		char *bytes = saved(p, &len);
		ck_assert_uint_eq(len, len1);
		ck_assert_msg(memcmp(bytes, bytes1, len) == 0, "%zu threads: other bytes", t);
		rulebook_mem_free(bytes);
		rulebook_population_free(p);
	}
	/* partitions of uneven sizes, merged left to right, right to left
	 * (other record order, the same sums) and as a tree, some of them
	 * through save and load */
	for (uint32_t seed = 1; seed <= 6; seed++) {
		rng = seed;
		size_t cuts[6];
		random_cuts(cuts, SUMN);
		rulebook_population *part[5];
		for (size_t i = 0; i < 5; i++) {
			part[i] = sum_rows(cuts[i], cuts[i + 1], 1 + seed % 3);
			if (seed % 2)
				part[i] = round_trip(part[i]);
		}
		rulebook_population *acc = merge_parts(part, seed);
		exact_sums(acc);
		acc = round_trip(acc);
		exact_sums(acc);
		rulebook_population *copy = rulebook_population_copy(acc);
		exact_sums(copy);
		rulebook_population_free(copy);
		if (seed % 3 == 0) {
			/* the same records in the same order: the same bytes */
			size_t len = 0;
			char *bytes = saved(acc, &len);
			ck_assert_uint_eq(len, len1);
			ck_assert_msg(memcmp(bytes, bytes1, len) == 0, "seed %u: other bytes", seed);
			rulebook_mem_free(bytes);
		}
		rulebook_population_free(acc);
	}
	rulebook_mem_free(bytes1);
	rulebook_population_free(one);
}
END_TEST

/* The population's average that a `missing: average` component stands in
 * is summed exactly too: merged in either order (the records in another
 * order), the record without an area gets the same stand-in score. Areas
 * as in test_sums_exact_in_any_order (ratios area / 100 of 18 digits),
 * score_in 1; one more record without an area. Exactly, Σ ratio =
 * 12496.21333333333331968 -> 12496.2133333333333 (18 digits), / 4096 =
 * 3.05083333333333333: the score is 1 + 3.05083333333333333. */
START_TEST(test_average_stand_in_in_any_order)
{
	static const char *const names[4] = {"area", "industrial", "year", "score_in"};
	size_t c4[4];
	for (size_t c = 0; c < 4; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &c4[c]),
				 RULEBOOK_OK);
	enum { N = 4096 };
	static const char *avg_cells[(N + 1) * 4];
	static char avg_store[N][24];
	for (size_t i = 0; i < N; i++) {
		uint64_t x = (100000 + 100 * (uint64_t)i) * UINT64_C(1000000000000) +
			     UINT64_C(333333333333333);
		snprintf(avg_store[i], sizeof avg_store[i], "%llu.%015llu",
			 (unsigned long long)(x / UINT64_C(1000000000000000)),
			 (unsigned long long)(x % UINT64_C(1000000000000000)));
		const char *row[4] = {avg_store[i], "true", "2022", "1"};
		memcpy(avg_cells + 4 * i, row, sizeof row);
	}
	const char *last[4] = {NULL, "true", "2022", "1"};
	memcpy(avg_cells + 4 * N, last, sizeof last);
	rulebook_population *part[2][2];
	for (int o = 0; o < 2; o++) {
		part[o][0] = rulebook_population_new(rb, AS_OF);
		part[o][1] = rulebook_population_new(rb, AS_OF);
		size_t bad = 0;
		ck_assert_int_eq(rulebook_population_add_table(part[o][0], N / 2, c4, 4, avg_cells, NULL,
							       NULL, &bad, err),
				 RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_add_table(part[o][1], N / 2 + 1, c4, 4,
							       avg_cells + 4 * (N / 2), NULL, NULL, &bad,
							       err),
				 RULEBOOK_OK);
		ck_assert_uint_eq(bad, 0);
	}
	/* 0 then 1, and 1 then 0 */
	ck_assert_int_eq(rulebook_population_merge(part[0][0], part[0][1], err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_merge(part[1][1], part[1][0], err), RULEBOOK_OK);
	const char *a = rulebook_population_score(part[0][0], N, AVG);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a, "4.05083333333333333");
	char *keep = strdup(a);
	const char *b = rulebook_population_score(part[1][1], N / 2, AVG);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(keep, b);
	free(keep);
	for (int o = 0; o < 2; o++) {
		rulebook_population_free(part[o][0]);
		rulebook_population_free(part[o][1]);
	}
}
END_TEST

/* A sum is exact whatever the scales of its terms; it is an error on its
 * aggregate only when its value, rounded to 18 digits, is beyond the
 * decimal's range (10^318 or more): the verdict is error and there is no
 * value, whatever the order of its terms. Partial sums beyond the range
 * that cancel are no error. */
START_TEST(test_sum_beyond_decimal_range)
{
	static const char *const names[3] = {"area", "industrial", "year"};
	for (size_t c = 0; c < 3; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &sum_cols[c]),
				 RULEBOOK_OK);
	/* 9e317 + 2e317 + 5 = 1.1e318 */
	static const char *const far[] = {"9e317", "true", "2022", "2e317", "true", "2022",
					  "5", "false", "2022"};
	/* 9e317 + 9e317 - 9e317 = 9e317, a decimal: 9 and 317 zeros */
	static const char *const back[] = {"9e317", "true", "2022", "9e317", "true", "2022",
					   "-9e317", "false", "2022"};
	char nine[320];
	memset(nine, '0', sizeof nine);
	nine[0] = '9';
	nine[318] = 0;
	for (int order = 0; order < 3; order++) {
		rulebook_population *p = rulebook_population_new(rb, AS_OF);
		rulebook_population *q = rulebook_population_new(rb, AS_OF);
		size_t bad = 0;
		for (size_t r = 0; r < 3; r++) {
			size_t row = (r + (size_t)order) % 3;
			ck_assert_int_eq(rulebook_population_add_table(p, 1, sum_cols, 3, far + 3 * row,
								       NULL, NULL, &bad, err),
					 RULEBOOK_OK);
			ck_assert_uint_eq(bad, 0);
			ck_assert_int_eq(rulebook_population_add_table(q, 1, sum_cols, 3, back + 3 * row,
								       NULL, NULL, &bad, err),
					 RULEBOOK_OK);
			ck_assert_uint_eq(bad, 0);
		}
		if (order == 2) {
			p = round_trip(p);
			q = round_trip(q);
		}
		ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_SUM), RULEBOOK_ERROR);
		ck_assert_ptr_null(rulebook_population_aggregate_value(p, A_SUM, RULEBOOK_AGGREGATE_VALUE));
		ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_P4), RULEBOOK_ERROR);
		ck_assert_ptr_null(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_NUMERATOR));
		ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_AVG), RULEBOOK_ERROR);
		ck_assert_str_eq(rulebook_population_aggregate_value(p, A_SUM, RULEBOOK_AGGREGATE_COUNTED), "3");
		ck_assert_int_eq(rulebook_population_aggregate_verdict(q, A_SUM), RULEBOOK_FAIL);
		ck_assert_str_eq(rulebook_population_aggregate_value(q, A_SUM, RULEBOOK_AGGREGATE_VALUE), nine);
		rulebook_population_free(p);
		rulebook_population_free(q);
	}
	/* terms 39 places apart are summed: 1e30 + 0.000000001 + 5, exactly
	 * 1000000000000000000000000000005.000000001, is 1e30 to 18 digits */
	static const char *const wide[] = {"1e30", "true", "2022", "0.000000001", "true", "2022",
					   "5", "false", "2022"};
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	size_t bad = 0;
	ck_assert_int_eq(rulebook_population_add_table(p, 3, sum_cols, 3, wide, NULL, NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_SUM), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_SUM, RULEBOOK_AGGREGATE_VALUE),
			 "1000000000000000000000000000000");
	rulebook_population_free(p);
}
END_TEST

/* Float noise beside large terms, as float64 columns (pandas, Arrow) give
 * them: the shortest decimal of 0.1 + 0.2 - 0.3, 5.5511151231257827e-17,
 * beside 1000000 and 250.5. Row k of NOISE_N holds an area of 0 in 2019
 * (outside the filters of P4 and A3, and a zero in the sum and in the
 * stand-in average), but for three rows, of 2022, holding the terms (the
 * first and the last industrial); one more row has no area. Worked out by
 * hand:
 *   Σ area = 1000250.500000000000000055511151231257827
 *          -> 1000250.50000000000 (18 digits, the 19th is 0)
 *   Σ industrial = 1000000.000000000000000055511151231257827 -> 1000000
 *   share = 1000000 / 1000250.5 = 2000000 / 2000501
 *         = 0.999749562734534998|98... -> 0.999749562734534999
 *   avg (3 rows of 2022) = 1000250.5 / 3 = 333416.833333333333|33...
 *   stand-in: Σ area / 100 over the 8192 rows with an area
 *         = 10002.50500000000000000055511151231257827
 *         -> 10002.5050000000000; / 8192 = 1.2210089111328125 exactly
 *         (10002505 × 5^13 / 10^16); the score of the row without an
 *         area is score_in 1 plus that. */
enum { NOISE_N = 8192 };
static const char *noise_cells[(NOISE_N + 1) * 4];
static size_t noise_cols[4];
static const char *const noise_terms[3] = {"1000000", "250.5", "5.5511151231257827e-17"};

/* The terms at rows at[0..2], in the order perm. */
static void noise_rows(const size_t at[3], const size_t perm[3])
{
	static const char *const names[4] = {"area", "industrial", "year", "score_in"};
	for (size_t c = 0; c < 4; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &noise_cols[c]),
				 RULEBOOK_OK);
	for (size_t i = 0; i < NOISE_N; i++) {
		const char *row[4] = {"0", "false", "2019", "1"};
		memcpy(noise_cells + 4 * i, row, sizeof row);
	}
	for (size_t j = 0; j < 3; j++) {
		const char *row[4] = {noise_terms[perm[j]], perm[j] == 1 ? "false" : "true", "2022", "1"};
		memcpy(noise_cells + 4 * at[j], row, sizeof row);
	}
	const char *last[4] = {NULL, "false", "2019", "1"};
	memcpy(noise_cells + 4 * NOISE_N, last, sizeof last);
}

static rulebook_population *noise_pop(size_t from, size_t to, size_t threads)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	ck_assert_int_eq(rulebook_population_set_threads(p, threads), RULEBOOK_OK);
	size_t bad = 1;
	ck_assert_int_eq(rulebook_population_add_table(p, to - from, noise_cols, 4,
						       noise_cells + 4 * from, NULL, NULL, &bad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(bad, 0);
	return p;
}

/* The sums of a population of rows 0 to NOISE_N - 1; with the row
 * without an area too, at index gap (else SIZE_MAX), the sum of A1 is
 * unknown and that row's score stands in the average. */
static void noise_sums(rulebook_population *p, size_t gap)
{
	if (gap == SIZE_MAX) {
		ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_SUM), RULEBOOK_FAIL);
		ck_assert_str_eq(rulebook_population_aggregate_value(p, A_SUM, RULEBOOK_AGGREGATE_VALUE),
				 "1000250.5");
	} else {
		ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_SUM), RULEBOOK_UNKNOWN);
		const char *s = rulebook_population_score(p, gap, AVG);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s, "2.2210089111328125");
	}
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_P4), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_NUMERATOR),
			 "1000000");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_DENOMINATOR),
			 "1000250.5");
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_P4, RULEBOOK_AGGREGATE_VALUE),
			 "0.999749562734534999");
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, A_AVG), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_population_aggregate_value(p, A_AVG, RULEBOOK_AGGREGATE_VALUE),
			 "333416.833333333333");
}

/* The terms in each of the 6 orders, in one slice or in three, on 1 to 4
 * threads (the same bytes), then the row without an area added; and the
 * rows split into partitions merged in several orders, through save and
 * load. */
START_TEST(test_float_noise_sums)
{
	static const size_t perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
					   {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	static const size_t places[2][3] = {{0, 1, 2}, {5, NOISE_N / 2 + 7, NOISE_N - 1}};
	for (size_t o = 0; o < 6; o++)
		for (size_t w = 0; w < 2; w++) {
			noise_rows(places[w], perms[o]);
			char *bytes1 = NULL;
			size_t len1 = 0;
			for (size_t t = 1; t <= 4; t++) {
				rulebook_population *p = noise_pop(0, NOISE_N, t);
				noise_sums(p, SIZE_MAX);
				size_t len = 0;
				char *bytes = saved(p, &len);
				if (t == 1) {
					bytes1 = bytes;
					len1 = len;
				} else {
					ck_assert_uint_eq(len, len1);
					ck_assert_msg(memcmp(bytes, bytes1, len) == 0, "%zu threads: other bytes", t);
					rulebook_mem_free(bytes);
				}
				size_t bad = 1;
				ck_assert_int_eq(rulebook_population_add_table(p, 1, noise_cols, 4,
									       noise_cells + 4 * NOISE_N,
									       NULL, NULL, &bad, err),
						 RULEBOOK_OK);
				ck_assert_uint_eq(bad, 0);
				noise_sums(p, NOISE_N);
				p = round_trip(p);
				noise_sums(p, NOISE_N);
				rulebook_population_free(p);
			}
			rulebook_mem_free(bytes1);
		}
	for (uint32_t seed = 1; seed <= 6; seed++) {
		rng = seed;
		noise_rows(places[seed % 2], perms[seed - 1]);
		size_t cuts[6];
		random_cuts(cuts, NOISE_N + 1);
		rulebook_population *part[5];
		for (size_t i = 0; i < 5; i++) {
			part[i] = noise_pop(cuts[i], cuts[i + 1], 1 + seed % 4);
			if (seed % 2)
				part[i] = round_trip(part[i]);
		}
		/* (seed % 3 == 1, right to left: the row without an area first) */
		rulebook_population *acc = merge_parts(part, seed);
		ck_assert_uint_eq(rulebook_population_size(acc), NOISE_N + 1);
		/* the row without an area: the last of the last partition merged */
		size_t gap = seed % 3 == 0 ? NOISE_N : NOISE_N - cuts[seed % 3 == 1 ? 4 : 2];
		noise_sums(acc, gap);
		acc = round_trip(acc);
		noise_sums(acc, gap);
		rulebook_population *copy = rulebook_population_copy(acc);
		noise_sums(copy, gap);
		rulebook_population_free(copy);
		rulebook_population_free(acc);
	}
}
END_TEST

/* Sums of three terms, each added in all 6 orders: row by row into one
 * population, and as three populations of one row merged (after save and
 * load). want is the sum, or NULL for an error. */
static void sum_in_every_order(const char *const terms[3], const char *want)
{
	static const size_t perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
					   {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	for (size_t o = 0; o < 6; o++) {
		rulebook_population *p = rulebook_population_new(rb, AS_OF), *one[3];
		for (size_t j = 0; j < 3; j++) {
			const char *row[3] = {terms[perms[o][j]], "true", "2022"};
			size_t bad = 1;
			ck_assert_int_eq(rulebook_population_add_table(p, 1, sum_cols, 3, row, NULL, NULL,
								       &bad, err),
					 RULEBOOK_OK);
			ck_assert_uint_eq(bad, 0);
			one[j] = rulebook_population_new(rb, AS_OF);
			ck_assert_int_eq(rulebook_population_add_table(one[j], 1, sum_cols, 3, row, NULL,
								       NULL, &bad, err),
					 RULEBOOK_OK);
			one[j] = round_trip(one[j]);
		}
		ck_assert_int_eq(rulebook_population_merge(one[1], one[2], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_merge(one[0], one[1], err), RULEBOOK_OK);
		rulebook_population *m = round_trip(one[0]);
		for (rulebook_population **x = (rulebook_population *[]){p, m, NULL}; *x; x++) {
			const char *got = rulebook_population_aggregate_value(*x, A_SUM, RULEBOOK_AGGREGATE_VALUE);
			const char *num = rulebook_population_aggregate_value(*x, A_P4, RULEBOOK_AGGREGATE_NUMERATOR);
			if (!want) {
				ck_assert_ptr_null(got);
				ck_assert_ptr_null(num);
				ck_assert_int_eq(rulebook_population_aggregate_verdict(*x, A_SUM), RULEBOOK_ERROR);
				continue;
			}
			ck_assert_msg(got && strcmp(got, want) == 0, "%s %s %s, order %zu: %s",
				      terms[0], terms[1], terms[2], o, got ? got : "(null)");
			ck_assert_str_eq(num, want);
			ck_assert_int_ne(rulebook_population_aggregate_verdict(*x, A_SUM), RULEBOOK_ERROR);
		}
		rulebook_population_free(p);
		rulebook_population_free(m);
		rulebook_population_free(one[1]);
		rulebook_population_free(one[2]);
	}
}

static void sum_columns(void)
{
	static const char *const names[3] = {"area", "industrial", "year"};
	for (size_t c = 0; c < 3; c++)
		ck_assert_int_eq(rulebook_input_index(rb, names[c], strlen(names[c]), &sum_cols[c]),
				 RULEBOOK_OK);
}

/* digits, then zeros more zeros, as a string of buf */
static const char *digits_zeros(char *buf, const char *digits, size_t zeros)
{
	size_t n = strlen(digits);
	memcpy(buf, digits, n);
	memset(buf + n, '0', zeros);
	buf[n + zeros] = 0;
	return buf;
}

/* The decimal's whole range in one sum, rounded by hand. 10^300 to 18
 * digits keeps the digits of 10^300 to 10^283; 5e282 is half a unit of
 * the last, a tie: 1e300 + 5e282 rounds to even, 1e300; 1e-300 more makes
 * it more than half, 1.00000000000000001e300; 1e-300 less, less than half,
 * 1e300. 1.00000000000000001e300 + 5e282, a tie from an odd digit, is
 * 1.00000000000000002e300. Below 10^300 the last digit kept is of 10^282:
 * 1e300 - 5e281 = 999999999999999999.5e282, a tie from an odd digit,
 * rounds up to 1e300 (19 digits, one dropped); 1e-300 less makes it less
 * than half, 999999999999999999e282. Three units of the finest digit are
 * 3e-300. */
START_TEST(test_sum_extreme_spread)
{
	sum_columns();
	char want[400];
	sum_in_every_order((const char *[]){"1e300", "5e282", "1e-300"},
			   digits_zeros(want, "100000000000000001", 283));
	sum_in_every_order((const char *[]){"1e300", "5e282", "-1e-300"},
			   digits_zeros(want, "1", 300));
	sum_in_every_order((const char *[]){"1e300", "5e282", "0"}, digits_zeros(want, "1", 300));
	sum_in_every_order((const char *[]){"1.00000000000000001e300", "5e282", "0"},
			   digits_zeros(want, "100000000000000002", 283));
	sum_in_every_order((const char *[]){"-1e300", "-5e282", "-1e-300"},
			   digits_zeros(want, "-100000000000000001", 283));
	sum_in_every_order((const char *[]){"1e300", "-5e281", "0"}, digits_zeros(want, "1", 300));
	sum_in_every_order((const char *[]){"-1e-300", "1e300", "-5e281"},
			   digits_zeros(want, "999999999999999999", 282));
	char tiny[400] = "0.";
	digits_zeros(tiny + 2, "", 299);
	strcat(tiny, "3");
	sum_in_every_order((const char *[]){"1e-300", "1e-300", "1e-300"}, tiny);
}
END_TEST

/* Negative terms: sums that cancel to what is left exactly, and negative
 * sums rounded like positive ones. 1e300 + 1 - 1e300 is 1 in any order
 * (rounding each addition gives 0 or 1 by the order);
 * -1000000 + 250.5 - 5.5511151231257827e-17
 * = -999749.500000000000000055511151231257827 -> -999749.500000000000. */
START_TEST(test_sum_negative_terms_cancel)
{
	sum_columns();
	sum_in_every_order((const char *[]){"1000000", "-1000000", "5.5511151231257827e-17"},
			   "0.000000000000000055511151231257827");
	sum_in_every_order((const char *[]){"1e300", "1", "-1e300"}, "1");
	sum_in_every_order((const char *[]){"-1000000", "250.5", "-5.5511151231257827e-17"},
			   "-999749.5");
	sum_in_every_order((const char *[]){"123.45", "-123.45", "0"}, "0");
	sum_in_every_order((const char *[]){"-9e317", "-2e317", "5"}, NULL);
}
END_TEST

/* Merging a population with itself doubles it; the source is unchanged
 * by merging. */
START_TEST(test_merge_self)
{
	rulebook_population *p = rows(0, 10), *twice = rows(0, 10);
	rulebook_population *again = rows(0, 10);
	ck_assert_int_eq(rulebook_population_merge(twice, again, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_population_size(again), 10);
	ck_assert_int_eq(rulebook_population_merge(p, p, err), RULEBOOK_OK);
	same_population(twice, p);
	ck_assert_str_eq(rulebook_population_record_id(p, 10), "r00");
	rulebook_population_free(p);
	rulebook_population_free(twice);
	rulebook_population_free(again);
}
END_TEST

START_TEST(test_merge_errors)
{
	rulebook_population *a = rows(0, 5);
	rulebook_population *b = rulebook_population_new(rb, 20231231);
	ck_assert_int_eq(rulebook_population_merge(a, b, err), RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID,
		   "the populations were evaluated as of different dates (20230630 and 20231231)", NULL,
		   0, 0);
	rulebook *other = load_fixture("parcels.yaml");
	rulebook_population *c = rulebook_population_new(other, AS_OF);
	ck_assert_int_eq(rulebook_population_merge(a, c, err), RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID,
		   "the populations were evaluated with different rulebooks", NULL, 0, 0);
	ck_assert_int_eq(rulebook_population_merge(a, NULL, err), RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "two populations are required", NULL, 0, 0);
	ck_assert_uint_eq(rulebook_population_size(a), 5);

	/* the same rulebook loaded twice (the same hash) merges */
	rulebook *again = load_fixture("partitions.yaml");
	rulebook_population *d = rulebook_population_new(again, AS_OF);
	ck_assert_int_eq(rulebook_population_merge(a, d, err), RULEBOOK_OK);
	rulebook_population_free(d);
	rulebook_free(again);
	rulebook_population_free(c);
	rulebook_free(other);
	rulebook_population_free(b);
	rulebook_population_free(a);
}
END_TEST

/* The bulk calls give what the per-record accessors give. */
START_TEST(test_bulk_results)
{
	rulebook_population *p = rows(0, NREC);
	size_t nr = rulebook_rule_count(rb);
	uint8_t v[NREC * 1];
	ck_assert_uint_eq(nr, 1);
	ck_assert_int_eq(rulebook_population_verdicts(p, v), RULEBOOK_OK);
	int16_t cls[NREC];
	for (size_t i = 0; i < NREC; i++)
		ck_assert_int_eq(v[i], rulebook_population_verdict(p, i, 0));
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
		ck_assert_int_eq(rulebook_population_classes(p, k, cls), RULEBOOK_OK);
		char *text = NULL;
		size_t len = 0;
		ck_assert_int_eq(rulebook_population_scores_text(p, k, &text, &len), RULEBOOK_OK);
		ck_assert_uint_eq(strlen(text), len);
		const char *line = text;
		for (size_t i = 0; i < NREC; i++) {
			const char *want = rulebook_population_class(p, i, k);
			const char *got = cls[i] >= 0 ? rulebook_scorecard_class_id(rb, k, (size_t)cls[i])
				       : cls[i] == RULEBOOK_CLASS_NOT_RATED ? "not_rated"
				       : cls[i] == RULEBOOK_CLASS_NOT_IN_FORCE ? "not_in_force"
									  : NULL;
			ck_assert_int_ne(cls[i], -4);
			same_str(got, want, "bulk class", i, k);
			const char *end = strchr(line, '\n');
			ck_assert_ptr_nonnull(end);
			const char *score = rulebook_population_score(p, i, k);
			if (score)
				ck_assert_msg((size_t)(end - line) == strlen(score) &&
						      memcmp(line, score, strlen(score)) == 0,
					      "score line %zu", i);
			else
				ck_assert_ptr_eq(end, line);
			line = end + 1;
		}
		ck_assert_str_eq(line, "");
		rulebook_mem_free(text);
	}
	ck_assert_int_eq(rulebook_population_verdicts(NULL, v), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_classes(p, 4, cls), RULEBOOK_ERR_INVALID);
	char *text = (char *)1;
	ck_assert_int_eq(rulebook_population_scores_text(p, 4, &text, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(text);
	rulebook_population_free(p);
}
END_TEST

/* Scores as decimal128: the unscaled integers, checked by hand. */
START_TEST(test_scores_decimal128)
{
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	static const char *const c[] = {
		"12.5", "true", "true", "2022", "7", "false",  /* rank score 7; avg 7 + 12.5/100 */
		NULL, "true", "true", "2022", NULL, "false",   /* no score */
		"1", "true", "true", "2022", "0.25", "false",
	};
	ck_assert_int_eq(rulebook_population_add_table(p, 3, inputs, NCOL, c, NULL, NULL, NULL, err),
			 RULEBOOK_OK);
	uint8_t out[3 * 16], valid[3];
	ck_assert_int_eq(rulebook_population_scores_decimal128(p, RANK, 2, out, valid, err),
			 RULEBOOK_OK);
	int64_t lo, hi;
	memcpy(&lo, out, 8);
	memcpy(&hi, out + 8, 8);
	ck_assert_int_eq(lo, 700);
	ck_assert_int_eq(hi, 0);
	ck_assert_int_eq(valid[0], 1);
	ck_assert_int_eq(valid[1], 0);
	memcpy(&lo, out + 32, 8);
	ck_assert_int_eq(lo, 25);
	/* avg of record 0: 7 + 0.125 = 7.125 needs 3 places */
	ck_assert_int_eq(rulebook_population_scores_decimal128(p, AVG, 2, out, valid, err),
			 RULEBOOK_ERR_RANGE);
	check_diag(err, 0, RULEBOOK_ERR_RANGE,
		   "the score of record 0 in 'avg' has more than 2 decimal places", NULL, 0, 0);
	ck_assert_int_eq(rulebook_population_scores_decimal128(p, AVG, 38, out, NULL, err),
			 RULEBOOK_ERR_RANGE);
	check_diag(err, 0, RULEBOOK_ERR_RANGE, "does not fit in decimal128 at scale 38", NULL, 0, 0);
	ck_assert_int_eq(rulebook_population_scores_decimal128(p, AVG, 20, out, NULL, err),
			 RULEBOOK_OK);
	/* 7.125 × 10^20 = 712500000000000000000: above 2^64 */
	uint64_t ulo, uhi;
	memcpy(&ulo, out, 8);
	memcpy(&uhi, out + 8, 8);
	ck_assert_uint_eq(uhi, 38);  /* 712500000000000000000 = 38 × 2^64 + 11523725199037038592 */
	ck_assert_uint_eq(ulo, 11523725199037038592u);
	ck_assert_int_eq(rulebook_population_scores_decimal128(p, AVG, 39, out, NULL, err),
			 RULEBOOK_ERR_INVALID);
	rulebook_population_free(p);
}
END_TEST

/* Saved bytes: every truncation and any damage are refused, not read. */
START_TEST(test_load_damaged)
{
	rulebook_population *p = rows(0, 12);
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(p, &bytes, &len), RULEBOOK_OK);
	rulebook_population *q = (rulebook_population *)1;
	for (size_t cut = 0; cut < len; cut++) {
		ck_assert_int_eq(rulebook_population_load(rb, bytes, cut, &q, err), RULEBOOK_ERR_VALUE);
		ck_assert_ptr_null(q);
	}
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "the saved population is truncated or damaged", NULL,
		   0, 0);
	/* a verdict out of range, then a class out of range */
	size_t verdicts_at = 8 + 4 + 64 + 4 + 6 * 8;
	char saved = bytes[verdicts_at];
	bytes[verdicts_at] = 9;
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_ERR_VALUE);
	bytes[verdicts_at] = saved;
	/* one byte more */
	char *longer = malloc(len + 1);
	memcpy(longer, bytes, len);
	longer[len] = 0;
	ck_assert_int_eq(rulebook_population_load(rb, longer, len + 1, &q, err), RULEBOOK_ERR_VALUE);
	free(longer);
	/* flipping any single byte never crashes; most are refused */
	for (size_t i = 0; i < len; i++) {
		bytes[i] ^= 0x5A;
		rulebook_status st = rulebook_population_load(rb, bytes, len, &q, err);
		if (st == RULEBOOK_OK)
			rulebook_population_free(q);
		bytes[i] ^= 0x5A;
	}
	bytes[0] = 'X';
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_ERR_VALUE);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "not a saved population", NULL, 0, 0);
	bytes[0] = 'R';
	/* another rulebook */
	rulebook *other = load_fixture("parcels.yaml");
	ck_assert_int_eq(rulebook_population_load(other, bytes, len, &q, err), RULEBOOK_ERR_INVALID);
	check_diag(err, 0, RULEBOOK_ERR_INVALID, "the population was saved for another rulebook", NULL,
		   0, 0);
	rulebook_free(other);
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_OK);
	same_population(p, q);
	rulebook_population_free(q);
	ck_assert_int_eq(rulebook_population_load(rb, NULL, len, &q, err), RULEBOOK_ERR_INVALID);
	rulebook_mem_free(bytes);
	ck_assert_int_eq(rulebook_population_save(NULL, &bytes, &len), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(bytes);
	rulebook_population_free(p);
}
END_TEST

/* Bytes saved by an earlier version (RBPOP1 to RBPOP5, other sums) are
 * refused, saying so; another magic is not a saved population. */
START_TEST(test_load_earlier_forms)
{
	rulebook_population *p = rows(0, 12), *q = (rulebook_population *)1;
	char *bytes = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(p, &bytes, &len), RULEBOOK_OK);
	ck_assert(memcmp(bytes, "RBPOP6", 7) == 0);
	for (char v = '1'; v <= '5'; v++) {
		bytes[5] = v;
		ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_ERR_VALUE);
		ck_assert_ptr_null(q);
		char want[120];
		snprintf(want, sizeof want,
			 "the population was saved by an earlier version of the library (RBPOP%c); "
			 "save it again with this one",
			 v);
		check_diag(err, 0, RULEBOOK_ERR_VALUE, want, NULL, 0, 0);
	}
	for (const char *v = "70"; *v; v++) {
		bytes[5] = *v;
		ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_ERR_VALUE);
		check_diag(err, 0, RULEBOOK_ERR_VALUE, "not a saved population", NULL, 0, 0);
	}
	bytes[5] = '6';
	ck_assert_int_eq(rulebook_population_load(rb, bytes, len, &q, err), RULEBOOK_OK);
	same_population(p, q);
	rulebook_population_free(q);
	rulebook_mem_free(bytes);
	rulebook_population_free(p);
}
END_TEST

/* The saved sums of a population of one area of 9e317: a flag byte (1: a
 * term was added), the exponent 300, the first nonzero limb (34, digits of
 * 10^306 to 10^323), one limb, 9 × 10^11. Written at every occurrence. */
typedef struct saved_sum {
	uint8_t flags;
	int16_t exp;
	uint8_t lo, n;
	int64_t limb;
} saved_sum;

static size_t put_saved_sums(char *bytes, size_t len, const saved_sum *from, const saved_sum *to)
{
	unsigned char a[13], b[13];
	const saved_sum *s[2] = {from, to};
	unsigned char *o[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		o[k][0] = s[k]->flags;
		memcpy(o[k] + 1, &s[k]->exp, 2);
		o[k][3] = s[k]->lo;
		o[k][4] = s[k]->n;
		memcpy(o[k] + 5, &s[k]->limb, 8);
	}
	size_t found = 0;
	for (size_t i = 0; i + 13 <= len; i++)
		if (memcmp(bytes + i, a, 13) == 0) {
			memcpy(bytes + i, b, 13);
			found++;
		}
	return found;
}

/* A saved sum is read only when sum_add could have made it: its limbs in
 * range, none below its finest exponent, exactly the span of nonzero
 * limbs, the flags known. The top limb (from 10^324) is read: a sum there
 * is beyond the decimal's range, an error, and so is a sum whose partial
 * sums pass 10^342 (from merging two such), even if more merges would
 * bring it back. */
START_TEST(test_load_sum_limbs)
{
	sum_columns();
	static const char *const row[3] = {"9e317", "true", "2022"};
	rulebook_population *p = rulebook_population_new(rb, AS_OF);
	size_t bad = 1, len = 0;
	ck_assert_int_eq(rulebook_population_add_table(p, 1, sum_cols, 3, row, NULL, NULL, &bad, err),
			 RULEBOOK_OK);
	char *bytes = saved(p, &len), *copy = malloc(len);
	const saved_sum orig = {1, 300, 34, 1, INT64_C(900000000000)};
	static const saved_sum bad_sums[] = {
		{1, 300, 35, 1, INT64_C(1000000000000000000)}, /* top limb out of range */
		{1, 300, 34, 1, INT64_C(1000000000000000000)}, /* limb out of range */
		{1, 300, 34, 1, -1},                           /* negative below the top */
		{1, 300, 33, 1, 1},                            /* a digit below 10^300 */
		{1, 301, 34, 1, INT64_C(900000000000)},        /* exponent out of range */
		{1, 300, 34, 1, 0},                            /* a zero limb in the span */
		{4, 300, 34, 1, INT64_C(900000000000)},        /* unknown flag */
		{3, 300, 34, 1, INT64_C(900000000000)},        /* over, with limbs */
		{0, 300, 34, 1, INT64_C(900000000000)},        /* no term, with limbs */
		{1, 300, 36, 1, INT64_C(900000000000)},        /* past the last limb */
		{1, 300, 34, 2, INT64_C(900000000000)},        /* two limbs: one byte short */
	};
	rulebook_population *q = NULL;
	for (size_t k = 0; k < sizeof bad_sums / sizeof bad_sums[0]; k++) {
		memcpy(copy, bytes, len);
		ck_assert_uint_gt(put_saved_sums(copy, len, &orig, &bad_sums[k]), 0);
		ck_assert_msg(rulebook_population_load(rb, copy, len, &q, err) == RULEBOOK_ERR_VALUE,
			      "case %zu read", k);
		check_diag(err, 0, RULEBOOK_ERR_VALUE, "the saved population is truncated or damaged",
			   NULL, 0, 0);
	}
	/* 6e341 and -6e341: beyond the range alone, 0 together */
	const saved_sum plus = {1, 300, 35, 1, INT64_C(600000000000000000)},
			minus = {1, 300, 35, 1, -INT64_C(600000000000000000)};
	rulebook_population *big[2];
	for (int k = 0; k < 2; k++) {
		memcpy(copy, bytes, len);
		ck_assert_uint_gt(put_saved_sums(copy, len, &orig, k ? &minus : &plus), 0);
		ck_assert_int_eq(rulebook_population_load(rb, copy, len, &big[k], err), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_aggregate_verdict(big[k], A_SUM), RULEBOOK_ERROR);
		ck_assert_ptr_null(rulebook_population_aggregate_value(big[k], A_SUM, RULEBOOK_AGGREGATE_VALUE));
	}
	rulebook_population *sum = rulebook_population_copy(big[0]);
	ck_assert_int_eq(rulebook_population_merge(sum, big[1], err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_aggregate_verdict(sum, A_SUM), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_population_aggregate_value(sum, A_SUM, RULEBOOK_AGGREGATE_VALUE), "0");
	sum = round_trip(sum);
	ck_assert_str_eq(rulebook_population_aggregate_value(sum, A_SUM, RULEBOOK_AGGREGATE_VALUE), "0");
	rulebook_population_free(sum);
	/* 6e341 twice is past 10^342: over for good, saved and loaded so */
	sum = rulebook_population_copy(big[0]);
	ck_assert_int_eq(rulebook_population_merge(sum, big[0], err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_merge(sum, big[1], err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_population_merge(sum, big[1], err), RULEBOOK_OK);
	sum = round_trip(sum);
	ck_assert_int_eq(rulebook_population_aggregate_verdict(sum, A_SUM), RULEBOOK_ERROR);
	ck_assert_ptr_null(rulebook_population_aggregate_value(sum, A_SUM, RULEBOOK_AGGREGATE_VALUE));
	ck_assert_str_eq(rulebook_population_aggregate_value(sum, A_SUM, RULEBOOK_AGGREGATE_COUNTED), "4");
	rulebook_population_free(sum);
	rulebook_population_free(big[0]);
	rulebook_population_free(big[1]);
	free(copy);
	rulebook_mem_free(bytes);
	rulebook_population_free(p);
}
END_TEST

static Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_population_is_varied);
	tcase_add_test(tc, test_any_partitioning);
	tcase_add_test(tc, test_sums_exact_in_any_order);
	tcase_add_test(tc, test_sum_beyond_decimal_range);
	tcase_add_test(tc, test_float_noise_sums);
	tcase_add_test(tc, test_sum_extreme_spread);
	tcase_add_test(tc, test_sum_negative_terms_cancel);
	tcase_add_test(tc, test_average_stand_in_in_any_order);
	tcase_add_test(tc, test_save_before_and_after_classes);
	tcase_add_test(tc, test_merge_self);
	tcase_add_test(tc, test_merge_errors);
	tcase_add_test(tc, test_bulk_results);
	tcase_add_test(tc, test_scores_decimal128);
	tcase_add_test(tc, test_load_damaged);
	tcase_add_test(tc, test_load_earlier_forms);
	tcase_add_test(tc, test_load_sum_limbs);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(merge_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
