/* Populations and aggregates: building a population record by record or in
 * one call, copies for what-if, per-record verdicts and scores, classes by
 * rank, every aggregate measure, verdict and figure, and
 * rulebook_population_json. Uses fixtures/parcels.yaml; the expected
 * figures are worked out in the comments. */
#include "common.h"
#include "json-lite.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

enum { P4, K5, A1, A2, A3, A4, A5, A6, NAGG };
enum { RANK = 0, RANK_V = 1, RANK_S = 2, NSC = 3 };
enum { R1 = 0 };

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_population *pop;

static void setup(void)
{
	rb = load_fixture("parcels.yaml");
	facts = rulebook_facts_new(rb);
	ck_assert_ptr_nonnull(facts);
	pop = NULL;
}

static void teardown(void)
{
	rulebook_population_free(pop);
	rulebook_facts_free(facts);
	rulebook_free(rb);
}

static void add(rulebook_population *p, const char *json)
{
	rulebook_facts_clear(facts);
	set_json(facts, json);
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_population_add(p, facts, err);
	ck_assert_msg(st == RULEBOOK_OK, "add %s: %s", json, rulebook_error_message(err, 0));
	rulebook_error_free(err);
}

/* The base population of 2023-06-30:
 *   0 p1  30 亩 industrial, 标准地, 2022, score 10
 *   1 p2  20 亩 industrial, not 标准地, 2022, score 9
 *   2 p3 100 亩 not industrial, 2022, score 8
 *   3 p4 500 亩 not industrial, 2021, score 8
 *   4 (no _id) 0 亩, 2020, score 6 */
static const char *const BASE[] = {
	"{\"_id\": \"p1\", \"area\": 30, \"industrial\": true, \"standard_land\": true, \"year\": 2022,"
	" \"score_in\": 10}",
	"{\"_id\": \"p2\", \"area\": 20, \"industrial\": true, \"standard_land\": false, \"year\": 2022,"
	" \"score_in\": 9}",
	"{\"_id\": \"p3\", \"area\": 100, \"industrial\": false, \"standard_land\": false, \"year\": 2022,"
	" \"score_in\": 8}",
	"{\"_id\": \"p4\", \"area\": 500, \"industrial\": false, \"standard_land\": false, \"year\": 2021,"
	" \"score_in\": 8}",
	"{\"area\": 0, \"industrial\": false, \"standard_land\": false, \"year\": 2020, \"score_in\": 6}",
};
#define NBASE (sizeof BASE / sizeof BASE[0])

#define P6                                                                                      \
	"{\"_id\": \"p6\", \"area\": 40, \"industrial\": true, \"standard_land\": true, \"year\": 2022," \
	" \"score_in\": 7}"

static rulebook_population *base_population(void)
{
	rulebook_population *p = rulebook_population_new(rb, 20230630);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < NBASE; i++)
		add(p, BASE[i]);
	return p;
}

static void ck_opt(const char *what, const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "%s: '%s', wanted NULL", what, got);
		return;
	}
	ck_assert_msg(got != NULL, "%s: NULL, wanted '%s'", what, want);
	ck_assert_msg(strcmp(got, want) == 0, "%s: '%s', wanted '%s'", what, got, want);
}

static void ck_agg_verdict(rulebook_population *p, size_t a, rulebook_verdict want)
{
	rulebook_verdict got = rulebook_population_aggregate_verdict(p, a);
	ck_assert_msg(got == want, "aggregate %s: %s, wanted %s", rulebook_aggregate_id(rb, a),
		      rulebook_verdict_str(got), rulebook_verdict_str(want));
}

/* value, numerator, denominator, counted, threshold, gap */
static void ck_agg(rulebook_population *p, size_t a, const char *value, const char *num,
		   const char *den, const char *counted, const char *threshold, const char *gap)
{
	const char *want[] = {value, num, den, counted, threshold, gap};
	char what[128];
	for (int f = 0; f < 6; f++) {
		snprintf(what, sizeof what, "aggregate %s field %d", rulebook_aggregate_id(rb, a), f);
		ck_opt(what, rulebook_population_aggregate_value(p, a, (rulebook_aggregate_field)f), want[f]);
	}
}

static void ck_records(rulebook_population *p, size_t a, const size_t *want, size_t n)
{
	ck_assert_uint_eq(rulebook_population_aggregate_record_count(p, a), n);
	for (size_t j = 0; j < n; j++)
		ck_assert_uint_eq(rulebook_population_aggregate_record(p, a, j), want[j]);
}

static void ck_class(rulebook_population *p, size_t rec, const char *want)
{
	char what[64];
	snprintf(what, sizeof what, "class of record %zu", rec);
	ck_opt(what, rulebook_population_class(p, rec, RANK), want);
}

static jv *pop_json(rulebook_population *p, uint32_t flags)
{
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_json(p, flags, &out, &len), RULEBOOK_OK);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, strlen(out));
	jv *v = json_parse(out, len);
	ck_assert_msg(v != NULL, "not well-formed JSON: %s", out);
	return v;
}

static void ck_text(const jv *v, const char *path, const char *want)
{
	const char *got = json_text(v, path);
	ck_assert_msg(got != NULL, "%s is absent or not a string/number", path);
	ck_assert_msg(strcmp(got, want) == 0, "%s is '%s', wanted '%s'", path, got, want);
}

/* ---- creating, adding, copying ---- */

START_TEST(test_new_and_free)
{
	rulebook_population_free(NULL);
	ck_assert_ptr_null(rulebook_population_new(NULL, 20230630));
	ck_assert_ptr_null(rulebook_population_new(rb, 20230230));
	ck_assert_ptr_null(rulebook_population_new(rb, 20231301));
	ck_assert_ptr_null(rulebook_population_new(rb, 0));
	ck_assert_ptr_null(rulebook_population_new(rb, -20230630));
	ck_assert_ptr_null(rulebook_population_new(rb, 99991232));
	pop = rulebook_population_new(rb, 20240229);
	ck_assert_ptr_nonnull(pop);
	ck_assert_uint_eq(rulebook_population_size(pop), 0);
	ck_assert_uint_eq(rulebook_population_size(NULL), 0);
	ck_assert_ptr_null(rulebook_population_copy(NULL));
	/* add needs both arguments */
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_population_add(NULL, facts, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_add(pop, NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_add(pop, NULL, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_population_size(pop), 0);
	/* facts of another rulebook */
	rulebook *other = load_str(HDR "inputs:\n  - {id: x, type: number}\n"
				       "rules:\n  - {id: R, cite: 一, require: x > 0}\n");
	rulebook_facts *of = rulebook_facts_new(other);
	ck_assert_int_eq(rulebook_population_add(pop, of, err), RULEBOOK_ERR_INVALID);
	ck_assert_uint_eq(rulebook_population_size(pop), 0);
	rulebook_facts_free(of);
	rulebook_free(other);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_records_and_verdicts)
{
	pop = base_population();
	ck_assert_uint_eq(rulebook_population_size(pop), 5);
	ck_assert_str_eq(rulebook_population_record_id(pop, 0), "p1");
	ck_assert_str_eq(rulebook_population_record_id(pop, 3), "p4");
	ck_assert_ptr_null(rulebook_population_record_id(pop, 4));
	ck_assert_ptr_null(rulebook_population_record_id(pop, 5));
	ck_assert_ptr_null(rulebook_population_record_id(NULL, 0));
	/* R1: area > 0 holds for p1..p4, not for the 0 亩 record */
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(rulebook_population_verdict(pop, i, R1), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_population_verdict(pop, 4, R1), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_verdict_str(rulebook_population_verdict(pop, 5, R1)), "invalid");
	ck_assert_str_eq(rulebook_verdict_str(rulebook_population_verdict(pop, 0, 1)), "invalid");
	ck_assert_str_eq(rulebook_verdict_str(rulebook_population_verdict(NULL, 0, 0)), "invalid");
	uint32_t counts[8];
	memset(counts, 0xff, sizeof counts);
	rulebook_population_counts(pop, counts);
	static const uint32_t want[8] = {0, 4, 1, 0, 0, 0, 0, 0};
	for (int v = 0; v < 8; v++)
		ck_assert_uint_eq(counts[v], want[v]);
	memset(counts, 0xff, sizeof counts);
	rulebook_population_counts(NULL, counts);
	for (int v = 0; v < 8; v++)
		ck_assert_uint_eq(counts[v], 0);
	rulebook_population_counts(pop, NULL);
	/* the facts are not referenced: reuse them for something else */
	rulebook_facts_clear(facts);
	ck_assert_int_eq(rulebook_population_verdict(pop, 0, R1), RULEBOOK_PASS);
	/* scores: one point per unit of score_in */
	ck_assert_str_eq(rulebook_population_score(pop, 0, RANK), "10");
	ck_assert_str_eq(rulebook_population_score(pop, 4, RANK), "6");
	ck_assert_ptr_null(rulebook_population_score(pop, 5, RANK));
	ck_assert_ptr_null(rulebook_population_score(pop, 0, NSC));
	ck_assert_ptr_null(rulebook_population_score(NULL, 0, 0));
}
END_TEST

/* eval_population gives the same population as adding one by one. */
START_TEST(test_eval_population)
{
	rulebook_facts *recs[NBASE];
	for (size_t i = 0; i < NBASE; i++) {
		recs[i] = rulebook_facts_new(rb);
		set_json(recs[i], BASE[i]);
	}
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_eval_population(rb, (const rulebook_facts *const *)recs, NBASE, 20230630,
						  &pop, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_population_size(pop), 5);
	ck_assert_str_eq(rulebook_population_record_id(pop, 1), "p2");
	ck_agg_verdict(pop, P4, RULEBOOK_FAIL);
	ck_agg(pop, P4, "0.333333333333333333", "50", "150", "3", "0.4", "+0.066666666666666667");
	ck_agg(pop, A1, "650", NULL, NULL, "5", "600", "-50 亩");

	/* invalid arguments */
	rulebook_population *p = (rulebook_population *)&p;
	ck_assert_int_eq(rulebook_eval_population(NULL, (const rulebook_facts *const *)recs, NBASE,
						  20230630, &p, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval_population(rb, (const rulebook_facts *const *)recs, NBASE, 20230630,
						  NULL, err),
			 RULEBOOK_ERR_INVALID);
	p = (rulebook_population *)&p;
	ck_assert_int_eq(rulebook_eval_population(rb, NULL, 2, 20230630, &p, err), RULEBOOK_ERR_INVALID);
	p = (rulebook_population *)&p;
	ck_assert_int_ne(rulebook_eval_population(rb, (const rulebook_facts *const *)recs, NBASE, 20230231,
						  &p, err),
			 RULEBOOK_OK);
	ck_assert_ptr_null(p);
	/* a NULL record among them */
	const rulebook_facts *withnull[2] = {recs[0], NULL};
	p = (rulebook_population *)&p;
	ck_assert_int_eq(rulebook_eval_population(rb, withnull, 2, 20230630, &p, err), RULEBOOK_ERR_INVALID);
	ck_assert_ptr_null(p);
	/* zero records, no array: an empty population */
	p = NULL;
	ck_assert_int_eq(rulebook_eval_population(rb, NULL, 0, 20230630, &p, err), RULEBOOK_OK);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(rulebook_population_size(p), 0);
	rulebook_population_free(p);
	rulebook_error_free(err);
	for (size_t i = 0; i < NBASE; i++)
		rulebook_facts_free(recs[i]);
}
END_TEST

/* What-if: a copy with one more record (p6, 40 亩 industrial 2022) changes
 * the aggregate and its verdict; the original is unchanged. Industrial share
 * 2022: (50 + 40) / (150 + 40) = 9/19 = 0.473684210526315789|47... (18
 * digits) >= 0.4: pass. */
START_TEST(test_copy_what_if)
{
	pop = base_population();
	rulebook_population *what_if = rulebook_population_copy(pop);
	ck_assert_ptr_nonnull(what_if);
	ck_assert_uint_eq(rulebook_population_size(what_if), 5);
	ck_assert_str_eq(rulebook_population_record_id(what_if, 2), "p3");
	ck_assert_ptr_null(rulebook_population_record_id(what_if, 4));
	ck_assert_int_eq(rulebook_population_verdict(what_if, 4, R1), RULEBOOK_FAIL);
	ck_agg(what_if, P4, "0.333333333333333333", "50", "150", "3", "0.4", "+0.066666666666666667");
	add(what_if, P6);
	ck_assert_uint_eq(rulebook_population_size(what_if), 6);
	ck_assert_str_eq(rulebook_population_record_id(what_if, 5), "p6");
	ck_assert_int_eq(rulebook_population_verdict(what_if, 5, R1), RULEBOOK_PASS);
	ck_agg_verdict(what_if, P4, RULEBOOK_PASS);
	ck_agg(what_if, P4, "0.473684210526315789", "90", "190", "4", "0.4", NULL);
	static const size_t p4_after[] = {0, 1, 2, 5};
	ck_records(what_if, P4, p4_after, 4);
	/* 标准地 among industrial 2022 parcels: p1, p6 of p1, p2, p6 = 2/3;
	 * the change needed 1 - 0.666666666666666667 */
	ck_agg_verdict(what_if, K5, RULEBOOK_FAIL);
	ck_agg(what_if, K5, "0.666666666666666667", "2", "3", "3", "1", "+0.333333333333333333");
	/* total 690 > 600; 2022 average 190/4 = 47.5 < 60 */
	ck_agg(what_if, A1, "690", NULL, NULL, "6", "600", "-90 亩");
	ck_agg(what_if, A2, "4", NULL, NULL, "4", "3", NULL);
	ck_agg(what_if, A3, "47.5", NULL, NULL, "4", "60", "+12.5 亩");
	uint32_t counts[8];
	rulebook_population_counts(what_if, counts);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 5);
	ck_assert_uint_eq(counts[RULEBOOK_FAIL], 1);

	/* the original */
	ck_assert_uint_eq(rulebook_population_size(pop), 5);
	ck_assert_ptr_null(rulebook_population_record_id(pop, 5));
	ck_agg_verdict(pop, P4, RULEBOOK_FAIL);
	ck_agg(pop, P4, "0.333333333333333333", "50", "150", "3", "0.4", "+0.066666666666666667");
	static const size_t p4_before[] = {0, 1, 2};
	ck_records(pop, P4, p4_before, 3);
	ck_agg(pop, A2, "3", NULL, NULL, "3", "3", NULL);
	rulebook_population_counts(pop, counts);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 4);
	ck_assert_uint_eq(counts[RULEBOOK_FAIL], 1);

	/* a copy of an empty population */
	rulebook_population *empty = rulebook_population_new(rb, 20230630);
	rulebook_population *empty_copy = rulebook_population_copy(empty);
	ck_assert_ptr_nonnull(empty_copy);
	ck_assert_uint_eq(rulebook_population_size(empty_copy), 0);
	add(empty_copy, P6);
	ck_agg(empty_copy, P4, "1", "40", "40", "1", "0.4", NULL);
	ck_assert_uint_eq(rulebook_population_size(empty), 0);
	rulebook_population_free(empty_copy);
	rulebook_population_free(empty);
	rulebook_population_free(what_if);
}
END_TEST

/* ---- aggregates ---- */

START_TEST(test_aggregate_accessors)
{
	ck_assert_uint_eq(rulebook_aggregate_count(rb), NAGG);
	static const char *const ids[] = {"P4.industrial_share", "K5.standard_land", "A1.total_area",
					  "A2.parcels_2022", "A3.avg_area", "A4.min_area",
					  "A5.max_area", "A6.share_2020"};
	static const char *const cites[] = {"四（二）", "三（一）2", "四（三）", "四（三）",
					    "四（三）", "四（三）", "四（三）", "四（三）"};
	for (size_t a = 0; a < NAGG; a++) {
		ck_assert_str_eq(rulebook_aggregate_id(rb, a), ids[a]);
		ck_assert_str_eq(rulebook_aggregate_cite(rb, a), cites[a]);
	}
	ck_assert_ptr_null(rulebook_aggregate_id(rb, NAGG));
	ck_assert_ptr_null(rulebook_aggregate_cite(rb, NAGG));
	ck_assert_uint_eq(rulebook_aggregate_count(NULL), 0);
	ck_assert_ptr_null(rulebook_aggregate_id(NULL, 0));
	ck_assert_ptr_null(rulebook_aggregate_cite(NULL, 0));

	pop = base_population();
	ck_assert_str_eq(rulebook_verdict_str(rulebook_population_aggregate_verdict(pop, NAGG)), "invalid");
	ck_assert_str_eq(rulebook_verdict_str(rulebook_population_aggregate_verdict(NULL, 0)), "invalid");
	ck_assert_ptr_null(rulebook_population_aggregate_value(pop, NAGG, RULEBOOK_AGGREGATE_VALUE));
	ck_assert_ptr_null(rulebook_population_aggregate_value(NULL, 0, RULEBOOK_AGGREGATE_VALUE));
	ck_assert_ptr_null(rulebook_population_aggregate_value(pop, P4, (rulebook_aggregate_field)6));
	ck_assert_ptr_null(rulebook_population_aggregate_value(pop, P4, (rulebook_aggregate_field)-1));
	ck_assert_uint_eq(rulebook_population_aggregate_record_count(pop, NAGG), 0);
	ck_assert_uint_eq(rulebook_population_aggregate_record_count(NULL, 0), 0);
	ck_assert_uint_ge(rulebook_population_aggregate_record(pop, P4, 3), 5);
	ck_assert_uint_ge(rulebook_population_aggregate_record(pop, NAGG, 0), 5);
	ck_assert_uint_ge(rulebook_population_aggregate_record(NULL, 0, 0), 5);
	/* the field enum is stable */
	ck_assert_int_eq(RULEBOOK_AGGREGATE_VALUE, 0);
	ck_assert_int_eq(RULEBOOK_AGGREGATE_GAP, 5);
}
END_TEST

/* Every measure over the base population. */
START_TEST(test_aggregate_figures)
{
	pop = base_population();
	/* share of area, 2022 parcels: industrial 30 + 20 = 50 of 150 =
	 * 0.333333333333333333 (18 digits) < 40 %: fail, the change needed is
	 * 0.4 - 0.333333333333333333 = +0.066666666666666667 */
	ck_agg_verdict(pop, P4, RULEBOOK_FAIL);
	ck_agg(pop, P4, "0.333333333333333333", "50", "150", "3", "0.4", "+0.066666666666666667");
	static const size_t p4[] = {0, 1, 2};
	ck_records(pop, P4, p4, 3);
	/* share of counts, industrial 2022 parcels (p1, p2): 标准地 1 of 2 */
	ck_agg_verdict(pop, K5, RULEBOOK_FAIL);
	ck_agg(pop, K5, "0.5", "1", "2", "2", "1", "+0.5");
	static const size_t k5[] = {0, 1};
	ck_records(pop, K5, k5, 2);
	/* sum of every record: 30 + 20 + 100 + 500 + 0 = 650 亩 against 40 公顷
	 * = 600 亩 (the threshold in the aggregate's own unit): cut by 50 亩 */
	ck_agg_verdict(pop, A1, RULEBOOK_FAIL);
	ck_agg(pop, A1, "650", NULL, NULL, "5", "600", "-50 亩");
	static const size_t all[] = {0, 1, 2, 3, 4};
	ck_records(pop, A1, all, 5);
	/* count of 2022 parcels: 3 >= 3 */
	ck_agg_verdict(pop, A2, RULEBOOK_PASS);
	ck_agg(pop, A2, "3", NULL, NULL, "3", "3", NULL);
	ck_records(pop, A2, p4, 3);
	/* average 2022 area 150 / 3 = 50 < 60: raise by 10 亩 */
	ck_agg_verdict(pop, A3, RULEBOOK_FAIL);
	ck_agg(pop, A3, "50", NULL, NULL, "3", "60", "+10 亩");
	/* minimum 0, no requirement: pass, no threshold */
	ck_agg_verdict(pop, A4, RULEBOOK_PASS);
	ck_agg(pop, A4, "0", NULL, NULL, "5", NULL, NULL);
	ck_records(pop, A4, all, 5);
	/* maximum 500 > 100 (a bare number in 亩): cut by 400 亩 */
	ck_agg_verdict(pop, A5, RULEBOOK_FAIL);
	ck_agg(pop, A5, "500", NULL, NULL, "5", "100", "-400 亩");
	/* share over the 2020 parcels: 0 / 0 亩 is a division by zero */
	ck_agg_verdict(pop, A6, RULEBOOK_ERROR);
	ck_agg(pop, A6, NULL, "0", "0", "1", NULL, NULL);
	static const size_t a6[] = {4};
	ck_records(pop, A6, a6, 1);
}
END_TEST

/* A counted record without the value makes the aggregate unknown. */
START_TEST(test_aggregate_unknown)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, BASE[0]);
	add(pop, "{\"_id\": \"q\", \"industrial\": true, \"year\": 2022}");
	ck_assert_int_eq(rulebook_population_verdict(pop, 1, R1), RULEBOOK_UNKNOWN);
	ck_agg_verdict(pop, P4, RULEBOOK_UNKNOWN);
	ck_opt("P4 value", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_VALUE), NULL);
	ck_opt("P4 threshold", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_THRESHOLD),
	       NULL);
	ck_opt("P4 gap", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_GAP), NULL);
	/* 标准地 of q missing */
	ck_agg_verdict(pop, K5, RULEBOOK_UNKNOWN);
	ck_agg_verdict(pop, A1, RULEBOOK_UNKNOWN);
	/* a count needs no value: 2 parcels of 2022 < 3 */
	ck_agg_verdict(pop, A2, RULEBOOK_FAIL);
	ck_agg(pop, A2, "2", NULL, NULL, "2", "3", "+1");
	/* the records that lacked data, and what they lacked: q has no area
	 * (P4's value, A1's value) and no 标准地 (K5's where) */
	ck_assert_uint_eq(rulebook_population_aggregate_undecided_count(pop, P4), 1);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(pop, P4, 0), 1);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(pop, P4, 1), SIZE_MAX);
	ck_assert_uint_eq(rulebook_population_aggregate_missing_count(pop, P4), 1);
	ck_opt("P4 missing", rulebook_population_aggregate_missing(pop, P4, 0), "area");
	ck_opt("P4 missing 1", rulebook_population_aggregate_missing(pop, P4, 1), NULL);
	ck_assert_uint_eq(rulebook_population_aggregate_missing_count(pop, K5), 1);
	ck_opt("K5 missing", rulebook_population_aggregate_missing(pop, K5, 0), "standard_land");
	ck_opt("A1 missing", rulebook_population_aggregate_missing(pop, A1, 0), "area");
	ck_assert_uint_eq(rulebook_population_aggregate_undecided_count(pop, A2), 0);
	ck_assert_uint_eq(rulebook_population_aggregate_missing_count(pop, A2), 0);
	jv *v = pop_json(pop, 0);
	ck_assert_uint_eq(json_path(v, "aggregates/0/undecided")->count, 1);
	ck_text(v, "aggregates/0/undecided/0", "q");
	ck_assert_uint_eq(json_path(v, "aggregates/0/missing")->count, 1);
	ck_text(v, "aggregates/0/missing/0", "area");
	ck_text(v, "aggregates/1/missing/0", "standard_land");
	ck_assert_uint_eq(json_path(v, "aggregates/3/undecided")->count, 0);
	json_free(v);
	/* kept by a copy, a save and a load, and a merge (indices move by 5) */
	rulebook_population *copy = rulebook_population_copy(pop);
	ck_opt("copy", rulebook_population_aggregate_missing(copy, K5, 0), "standard_land");
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(copy, K5, 0), 1);
	char *saved = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(pop, &saved, &len), RULEBOOK_OK);
	rulebook_population *back = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, saved, len, &back, NULL), RULEBOOK_OK);
	ck_opt("loaded", rulebook_population_aggregate_missing(back, K5, 0), "standard_land");
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(back, P4, 0), 1);
	rulebook_population *merged = base_population();
	ck_assert_int_eq(rulebook_population_merge(merged, back, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided_count(merged, P4), 1);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(merged, P4, 0), NBASE + 1);
	ck_opt("merged", rulebook_population_aggregate_missing(merged, P4, 0), "area");
	rulebook_population_free(merged);
	rulebook_population_free(back);
	rulebook_population_free(copy);
	rulebook_mem_free(saved);
	/* a record whose filter is missing: the year */
	rulebook_population_free(pop);
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"area\": 10, \"industrial\": true, \"standard_land\": true}");
	ck_agg_verdict(pop, P4, RULEBOOK_UNKNOWN);
	ck_agg_verdict(pop, A2, RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_population_aggregate_missing_count(pop, P4), 1);
	ck_opt("P4 missing year", rulebook_population_aggregate_missing(pop, P4, 0), "year");
	ck_opt("A2 missing year", rulebook_population_aggregate_missing(pop, A2, 0), "year");
	/* A1 has no filter: 10 <= 600 */
	ck_agg_verdict(pop, A1, RULEBOOK_PASS);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided_count(pop, A1), 0);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided_count(NULL, A1), 0);
	ck_assert_uint_eq(rulebook_population_aggregate_undecided(pop, NAGG, 0), SIZE_MAX);
	ck_opt("out of range", rulebook_population_aggregate_missing(pop, NAGG, 0), NULL);
}
END_TEST

START_TEST(test_aggregate_not_applicable_and_not_in_force)
{
	/* no record at all */
	pop = rulebook_population_new(rb, 20230630);
	for (size_t a = 0; a < NAGG; a++)
		ck_agg_verdict(pop, a, RULEBOOK_NOT_APPLICABLE);
	ck_opt("P4 value", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_VALUE), NULL);
	ck_opt("A1 counted", rulebook_population_aggregate_value(pop, A1, RULEBOOK_AGGREGATE_COUNTED), "0");
	ck_assert_uint_eq(rulebook_population_aggregate_record_count(pop, A1), 0);
	/* only a 2021 parcel: nothing counted for 2022 */
	add(pop, BASE[3]);
	ck_agg_verdict(pop, P4, RULEBOOK_NOT_APPLICABLE);
	ck_agg_verdict(pop, A2, RULEBOOK_NOT_APPLICABLE);
	ck_opt("P4 value", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_VALUE), NULL);
	ck_opt("P4 counted", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_COUNTED), "0");
	ck_opt("P4 gap", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_GAP), NULL);
	/* but counted by the total: 500 <= 600 */
	ck_agg_verdict(pop, A1, RULEBOOK_PASS);
	ck_agg(pop, A1, "500", NULL, NULL, "1", "600", NULL);
	rulebook_population_free(pop);

	/* after the rulebook's validity */
	pop = rulebook_population_new(rb, 20240101);
	add(pop, BASE[0]);
	for (size_t a = 0; a < NAGG; a++)
		ck_agg_verdict(pop, a, RULEBOOK_NOT_IN_FORCE);
	ck_assert_int_eq(rulebook_population_verdict(pop, 0, R1), RULEBOOK_NOT_IN_FORCE);
	ck_opt("P4 threshold", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_THRESHOLD),
	       NULL);
	ck_opt("P4 gap", rulebook_population_aggregate_value(pop, P4, RULEBOOK_AGGREGATE_GAP), NULL);
	ck_opt("rank class", rulebook_population_class(pop, 0, RANK), "not_in_force");
}
END_TEST

/* ---- classes by rank ---- */

/* Nine records; e8 is out of scope (score < 0), e9 has no score, so N = 7
 * are ranked: A takes ranks below floor(0.2 × 7) = 1, B below floor(0.6 ×
 * 7) = 4, C below floor(0.95 × 7) = 6, D the rest. Sorted: e1 10 (A), e2 9,
 * e3 8, e4 8 (B), e5 6, e7 5 (C), e6 5 at rank 6 would be D but ties with
 * e7: C. The records are added out of order. */
START_TEST(test_rank_classes)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"e5\", \"score_in\": 6}");
	add(pop, "{\"_id\": \"e1\", \"score_in\": 10}");
	add(pop, "{\"_id\": \"e7\", \"score_in\": 5}");
	add(pop, "{\"_id\": \"e3\", \"score_in\": 8}");
	add(pop, "{\"_id\": \"e2\", \"score_in\": 9}");
	add(pop, "{\"_id\": \"e6\", \"score_in\": 5}");
	add(pop, "{\"_id\": \"e4\", \"score_in\": 8}");
	add(pop, "{\"_id\": \"e8\", \"score_in\": -1}");
	add(pop, "{\"_id\": \"e9\"}");
	static const char *const want[] = {"C", "A", "C", "B", "B", "C", "B", "not_rated", NULL};
	for (size_t i = 0; i < 9; i++)
		ck_class(pop, i, want[i]);
	ck_assert_str_eq(rulebook_population_score(pop, 1, RANK), "10");
	ck_assert_str_eq(rulebook_population_score(pop, 5, RANK), "5");
	ck_assert_ptr_null(rulebook_population_score(pop, 7, RANK));
	ck_assert_ptr_null(rulebook_population_score(pop, 8, RANK));
	ck_assert_ptr_null(rulebook_population_class(pop, 9, RANK));
	ck_assert_ptr_null(rulebook_population_class(pop, 0, NSC));
	ck_assert_ptr_null(rulebook_population_class(NULL, 0, 0));
	/* a single evaluation cannot decide a class by rank */
	rulebook_result *res = rulebook_result_new(rb);
	rulebook_facts_clear(facts);
	set_json(facts, "{\"score_in\": 10}");
	eval_ok(rb, facts, 20230630, res);
	ck_assert_ptr_null(rulebook_result_class(res, RANK));
	ck_assert_str_eq(rulebook_result_score(res, RANK), "10");
	rulebook_result_free(res);
}
END_TEST

/* N = 5: A below floor(1) = 1, B below floor(3) = 3, C below floor(4.75)
 * = 4, D the rest. Scores 10, 10, 8, 7, 7: the second 10 ties with the
 * first (A), the last 7 ties with the one before (C). Adding a record
 * ranks everything again: with 100 added, N = 6: A below floor(1.2) = 1, B
 * below floor(3.6) = 3, C below floor(5.7) = 5: 100 A, 10 B, 10 B, 8 C,
 * 7 C, 7 C (tie). */
START_TEST(test_rank_ties_and_rerank)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"f1\", \"score_in\": 10}");
	add(pop, "{\"_id\": \"f2\", \"score_in\": 10}");
	add(pop, "{\"_id\": \"f3\", \"score_in\": 8}");
	add(pop, "{\"_id\": \"f4\", \"score_in\": 7}");
	add(pop, "{\"_id\": \"f5\", \"score_in\": 7}");
	static const char *const five[] = {"A", "A", "B", "C", "C"};
	for (size_t i = 0; i < 5; i++)
		ck_class(pop, i, five[i]);
	add(pop, "{\"_id\": \"f6\", \"score_in\": 100}");
	static const char *const six[] = {"B", "B", "C", "C", "C", "A"};
	for (size_t i = 0; i < 6; i++)
		ck_class(pop, i, six[i]);
}
END_TEST

/* N = 20 scores 1..20 added lowest first: A = 4 (20..17), B = 8 (16..9),
 * C = 7 (8..2), D = 1 (score 1). */
START_TEST(test_rank_twenty)
{
	pop = rulebook_population_new(rb, 20230630);
	char json[64];
	for (int s = 1; s <= 20; s++) {
		snprintf(json, sizeof json, "{\"score_in\": %d}", s);
		add(pop, json);
	}
	for (size_t i = 0; i < 20; i++) {
		int score = (int)i + 1;
		const char *want = score >= 17 ? "A" : score >= 9 ? "B" : score >= 2 ? "C" : "D";
		ck_class(pop, i, want);
	}
}
END_TEST

/* A vetoed record takes the veto's class and is not ranked. Six records,
 * h3 vetoed: N = 5 ranked (A below 1, B below 3, C below 4, D the rest):
 * h1 10 A, h2 9 B, h4 8 B, h5 7 C, h6 6 D; h3 (score 20) D by the veto. */
START_TEST(test_rank_veto)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"h1\", \"score_in\": 10, \"banned\": false}");
	add(pop, "{\"_id\": \"h2\", \"score_in\": 9, \"banned\": false}");
	add(pop, "{\"_id\": \"h3\", \"score_in\": 20, \"banned\": true}");
	add(pop, "{\"_id\": \"h4\", \"score_in\": 8, \"banned\": false}");
	add(pop, "{\"_id\": \"h5\", \"score_in\": 7, \"banned\": false}");
	add(pop, "{\"_id\": \"h6\", \"score_in\": 6, \"banned\": false}");
	static const char *const want[] = {"A", "B", "D", "B", "C", "D"};
	char what[64];
	for (size_t i = 0; i < 6; i++) {
		snprintf(what, sizeof what, "rank_v class of record %zu", i);
		ck_opt(what, rulebook_population_class(pop, i, RANK_V), want[i]);
	}
	/* the vetoed record keeps its score */
	ck_assert_str_eq(rulebook_population_score(pop, 2, RANK_V), "20");
	/* without the veto h3 is first: N = 6, A below floor(1.2) = 1 */
	ck_class(pop, 2, "A");
	ck_class(pop, 0, "B");
}
END_TEST

/* Classes by rank carry their consequences like classes by veto: rank_v
 * as in test_rank_veto (h1 A, h2 B, h3 D by veto, h4 B, h5 C, h6 D by
 * rank, the last 5 % of the five ranked: below floor(0.95 × 5) = 4 is C,
 * h6 is fifth). D gets the surcharge 0.1 元/kWh; A the award of its own
 * area (h1 12 亩), only with an area. */
static void ck_consequences(rulebook_population *p, size_t rec, const char *name,
			    const char *value, const char *unit)
{
	char what[64];
	snprintf(what, sizeof what, "consequences of record %zu", rec);
	ck_assert_msg(rulebook_population_consequence_count(p, rec, RANK_V) == (name ? 1u : 0u),
		      "%s: %zu", what, rulebook_population_consequence_count(p, rec, RANK_V));
	ck_opt(what, rulebook_population_consequence_name(p, rec, RANK_V, 0), name);
	ck_opt(what, rulebook_population_consequence_value(p, rec, RANK_V, 0), value);
	ck_opt(what, rulebook_population_consequence_unit(p, rec, RANK_V, 0), unit);
}

static void ck_rank_v_instruments(rulebook_population *p)
{
	ck_opt("veto h3", rulebook_population_veto(p, 2, RANK_V), "ban");
	ck_opt("veto h6", rulebook_population_veto(p, 5, RANK_V), NULL);
	ck_opt("class h6", rulebook_population_class(p, 5, RANK_V), "D");
	ck_consequences(p, 0, "award", "12", "亩");
	ck_consequences(p, 1, NULL, NULL, NULL);
	ck_consequences(p, 2, "surcharge", "0.1", "元/kWh");
	ck_consequences(p, 3, NULL, NULL, NULL);
	ck_consequences(p, 4, NULL, NULL, NULL);
	ck_consequences(p, 5, "surcharge", "0.1", "元/kWh");
}

/* A consequence's value looked up in a table by an input's key is the
 * record's own: 10 for k = 1, 20 for k = 2, whatever record came first,
 * also after a copy, a save and a load, and a merge. */
static void ck_fees(rulebook_population *p, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(rulebook_population_consequence_count(p, i, 0), 1);
		ck_assert_str_eq(rulebook_population_consequence_name(p, i, 0, 0), "fee");
		ck_assert_str_eq(rulebook_population_consequence_value(p, i, 0, 0), want[i]);
	}
}

START_TEST(test_consequence_from_table)
{
	rulebook *t = load_str(HDR "inputs:\n  - {id: x, type: number}\n  - {id: k, type: integer}\n"
			       "tables:\n  - {id: rate, keys: k, cite: x, provenance: cited,"
			       " rows: [{key: 1, value: 10}, {key: 2, value: 20}]}\n"
			       "scorecards:\n  - id: s\n    cite: x\n    components:\n"
			       "      - {id: a, value: x, benchmark: 1, weight: 1}\n"
			       "    classes: [{id: A, min: 5}, {id: B}]\n"
			       "    consequences:\n"
			       "      - {id: fee, class: B, value: \"rate[k] + 1\", cite: x}\n");
	static const char *const rows[] = {"{\"x\": 1, \"k\": 1}", "{\"x\": 1, \"k\": 2}",
					   "{\"x\": 2, \"k\": 2}", "{\"x\": 3, \"k\": 1}"};
	static const char *const want[] = {"11", "21", "21", "11"};
	rulebook_facts *f = rulebook_facts_new(t);
	rulebook_population *p = rulebook_population_new(t, 20230630);
	rulebook_population *second = rulebook_population_new(t, 20230630);
	rulebook_population *first = rulebook_population_new(t, 20230630);
	for (size_t i = 0; i < 4; i++) {
		rulebook_facts_clear(f);
		set_json(f, rows[i]);
		ck_assert_int_eq(rulebook_population_add(p, f, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_add(i < 2 ? first : second, f, NULL), RULEBOOK_OK);
	}
	ck_fees(p, want, 4);
	rulebook_population *copy = rulebook_population_copy(p);
	ck_fees(copy, want, 4);
	char *saved = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(p, &saved, &len), RULEBOOK_OK);
	rulebook_population *back = NULL;
	ck_assert_int_eq(rulebook_population_load(t, saved, len, &back, NULL), RULEBOOK_OK);
	ck_fees(back, want, 4);
	ck_assert_int_eq(rulebook_population_merge(first, second, NULL), RULEBOOK_OK);
	ck_fees(first, want, 4);
	rulebook_mem_free(saved);
	rulebook_population_free(back);
	rulebook_population_free(copy);
	rulebook_population_free(first);
	rulebook_population_free(second);
	rulebook_population_free(p);
	rulebook_facts_free(f);
	rulebook_free(t);
}
END_TEST

START_TEST(test_rank_consequences)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"h1\", \"score_in\": 10, \"banned\": false, \"area\": 12}");
	add(pop, "{\"_id\": \"h2\", \"score_in\": 9, \"banned\": false}");
	add(pop, "{\"_id\": \"h3\", \"score_in\": 20, \"banned\": true}");
	add(pop, "{\"_id\": \"h4\", \"score_in\": 8, \"banned\": false}");
	add(pop, "{\"_id\": \"h5\", \"score_in\": 7, \"banned\": false}");
	add(pop, "{\"_id\": \"h6\", \"score_in\": 6, \"banned\": false}");
	ck_rank_v_instruments(pop);
	/* evaluated alone, h6 has no class and so no consequence */
	rulebook_result *r = rulebook_result_new(rb);
	set_json(facts, "{\"score_in\": 6, \"banned\": false}");
	eval_ok(rb, facts, 20230630, r);
	ck_assert_ptr_null(rulebook_result_class(r, RANK_V));
	ck_assert_uint_eq(rulebook_result_consequence_count(r, RANK_V), 0);
	rulebook_result_free(r);
	/* the population's JSON counts them */
	jv *v = pop_json(pop, 0);
	ck_text(v, "vetoes/rank_v/ban", "1");
	ck_text(v, "consequences/rank_v/surcharge", "2");
	ck_text(v, "consequences/rank_v/award", "1");
	json_free(v);
	/* a copy, a save and a load, and two halves merged decide the same */
	rulebook_population *copy = rulebook_population_copy(pop);
	ck_rank_v_instruments(copy);
	char *saved = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(pop, &saved, &len), RULEBOOK_OK);
	rulebook_population *back = NULL;
	ck_assert_int_eq(rulebook_population_load(rb, saved, len, &back, NULL), RULEBOOK_OK);
	ck_rank_v_instruments(back);
	rulebook_population *first = rulebook_population_new(rb, 20230630);
	rulebook_population *second = rulebook_population_new(rb, 20230630);
	add(first, "{\"_id\": \"h1\", \"score_in\": 10, \"banned\": false, \"area\": 12}");
	add(first, "{\"_id\": \"h2\", \"score_in\": 9, \"banned\": false}");
	add(first, "{\"_id\": \"h3\", \"score_in\": 20, \"banned\": true}");
	add(second, "{\"_id\": \"h4\", \"score_in\": 8, \"banned\": false}");
	add(second, "{\"_id\": \"h5\", \"score_in\": 7, \"banned\": false}");
	add(second, "{\"_id\": \"h6\", \"score_in\": 6, \"banned\": false}");
	ck_assert_int_eq(rulebook_population_merge(first, second, NULL), RULEBOOK_OK);
	ck_rank_v_instruments(first);
	/* NULL and out of range */
	ck_opt("veto NULL", rulebook_population_veto(NULL, 0, RANK_V), NULL);
	ck_opt("veto range", rulebook_population_veto(pop, 6, RANK_V), NULL);
	ck_opt("veto sc range", rulebook_population_veto(pop, 0, NSC), NULL);
	ck_assert_uint_eq(rulebook_population_consequence_count(NULL, 0, RANK_V), 0);
	ck_assert_uint_eq(rulebook_population_consequence_count(pop, 0, NSC), 0);
	ck_opt("name range", rulebook_population_consequence_name(pop, 0, RANK_V, 1), NULL);
	rulebook_population_free(first);
	rulebook_population_free(second);
	rulebook_population_free(back);
	rulebook_population_free(copy);
	rulebook_mem_free(saved);
}
END_TEST

/* The shipped 亩均 rulebook: ten firms whose six ratios are all r (the
 * rulebook's own test case: 20 亩, tax 600r, value added 3000r, 1200 tce,
 * 0.6 吨污染物, 100 人, R&D 500r of revenue 20000 score 100r), r = 1.5,
 * 1.4, … 0.6. By rank (20/40/30/10 %) the last, r = 0.6 (score 60), is D:
 * below floor(0.9 × 10) = 9 are A to C, the tenth is D. It gets the D
 * surcharges (0.1 元/kWh, 1 元/立方米, 0.2 元/立方米) like a D by score or
 * veto, not the further one (one year in D, not 3); by score (60 >= 60) it
 * is C, with the C surcharge 0.05 元/kWh. */
START_TEST(test_mujun_rank_consequences)
{
	rulebook *m = NULL;
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_load_file(source_path("rules/zhejiang/mujun-evaluation.yaml"), NULL,
					    &m, err), RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(m);
	rulebook_population *p = rulebook_population_new(m, 20230630);
	for (int k = 15; k >= 6; k--) {
		char json[512];
		snprintf(json, sizeof json,
			 "{\"_id\": \"r%d\", \"above_scale\": true, \"land_area\": 20, \"tax\": %d,"
			 " \"value_added\": %d, \"energy_use\": 1200, \"pollutant_emission\": 0.6,"
			 " \"employees\": 100, \"rd_expense\": %d, \"revenue\": 20000,"
			 " \"major_safety_accident\": false, \"major_environmental_violation\": false,"
			 " \"d_years_before\": 0}",
			 k, 60 * k, 300 * k, 50 * k);
		rulebook_facts_clear(f);
		set_json(f, json);
		ck_assert_int_eq(rulebook_population_add(p, f, err), RULEBOOK_OK);
	}
	size_t by_score = 0, by_rank = 1;
	ck_assert_str_eq(rulebook_scorecard_id(m, by_rank), "mujun_rank");
	ck_assert_str_eq(rulebook_population_score(p, 9, by_rank), "60");
	ck_assert_str_eq(rulebook_population_class(p, 9, by_rank), "D");
	ck_assert_str_eq(rulebook_population_class(p, 8, by_rank), "C");
	ck_assert_str_eq(rulebook_population_class(p, 9, by_score), "C");
	ck_assert_ptr_null(rulebook_population_veto(p, 9, by_rank));
	static const char *const want[][3] = {{"electricity_surcharge_d", "0.1", "元/kWh"},
					      {"water_surcharge_d", "1", "元/立方米"},
					      {"gas_surcharge_d", "0.2", "元/立方米"}};
	ck_assert_uint_eq(rulebook_population_consequence_count(p, 9, by_rank), 3);
	for (size_t j = 0; j < 3; j++) {
		ck_assert_str_eq(rulebook_population_consequence_name(p, 9, by_rank, j), want[j][0]);
		ck_assert_str_eq(rulebook_population_consequence_value(p, 9, by_rank, j), want[j][1]);
		ck_assert_str_eq(rulebook_population_consequence_unit(p, 9, by_rank, j), want[j][2]);
	}
	ck_assert_uint_eq(rulebook_population_consequence_count(p, 9, by_score), 3);
	ck_assert_str_eq(rulebook_population_consequence_name(p, 9, by_score, 0),
			 "electricity_surcharge_c");
	ck_assert_str_eq(rulebook_population_consequence_value(p, 9, by_score, 0), "0.05");
	rulebook_population_free(p);
	rulebook_facts_free(f);
	rulebook_error_free(err);
	rulebook_free(m);
}
END_TEST

/* ---- regressions: cases that once went wrong ---- */

/* format.md: the class is "the class of the first veto whose condition
 * holds (unknown if a veto's condition is missing)", and records "without a
 * score are not ranked". g2's veto condition is missing, so its class is
 * unknown and it must not take a rank: N = 3 (g1, g4, g5; g3 vetoed): A
 * below floor(0.6) = 0, B below floor(1.8) = 1, C below floor(2.85) = 2:
 * g1 10 B, g4 8 C, g5 7 D. */
START_TEST(test_rank_veto_condition_missing)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"g1\", \"score_in\": 10, \"banned\": false}");
	add(pop, "{\"_id\": \"g2\", \"score_in\": 9}");
	add(pop, "{\"_id\": \"g3\", \"score_in\": 8.5, \"banned\": true}");
	add(pop, "{\"_id\": \"g4\", \"score_in\": 8, \"banned\": false}");
	add(pop, "{\"_id\": \"g5\", \"score_in\": 7, \"banned\": false}");
	static const char *const want[] = {"B", NULL, "D", "C", "D"};
	char what[64];
	for (size_t i = 0; i < 5; i++) {
		snprintf(what, sizeof what, "rank_v class of record %zu", i);
		ck_opt(what, rulebook_population_class(pop, i, RANK_V), want[i]);
	}
}
END_TEST

/* format.md: "the class is ... not_rated when scope is false", so with the
 * scope unknown (no year) the class is unknown, and only the records in
 * scope are ranked. k2 has no year: N = 3 (k1 10, k3 8, k4 7; k5 is out of
 * scope): A below 0, B below 1, C below 2: k1 B, k3 C, k4 D. */
START_TEST(test_rank_scope_unknown)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"k1\", \"score_in\": 10, \"year\": 2022}");
	add(pop, "{\"_id\": \"k2\", \"score_in\": 9}");
	add(pop, "{\"_id\": \"k3\", \"score_in\": 8, \"year\": 2022}");
	add(pop, "{\"_id\": \"k4\", \"score_in\": 7, \"year\": 2021}");
	add(pop, "{\"_id\": \"k5\", \"score_in\": 20, \"year\": 2019}");
	static const char *const want[] = {"B", NULL, "C", "D", "not_rated"};
	char what[64];
	for (size_t i = 0; i < 5; i++) {
		snprintf(what, sizeof what, "rank_s class of record %zu", i);
		ck_opt(what, rulebook_population_class(pop, i, RANK_S), want[i]);
	}
}
END_TEST

/* ---- JSON ---- */

static size_t in(const char *name)
{
	size_t i = 0;
	ck_assert_int_eq(rulebook_input_index(rb, name, strlen(name), &i), RULEBOOK_OK);
	return i;
}

/* 2022: industrial 40 + 20 of 40 + 20 + 90 = 150 亩 -> 0.4, exactly the
 * 40 % threshold; the 2021 parcel is not counted. The row with "x" as an
 * area is refused and not added. */
START_TEST(test_add_table)
{
	rulebook_population *p = rulebook_population_new(rb, 20230630);
	size_t cols[] = {in("area"), in("industrial"), in("year")};
	const char *cells[] = {
		"40", "true", "2022",
		"x", "true", "2022",
		"20", "true", "2022",
		"90", "false", "2022",
		"500", "false", "2021",
	};
	const char *ids[] = {"p1", "bad", "p2", "p3", NULL};
	size_t bad_rows[5], nbad = 99;
	ck_assert_int_eq(rulebook_population_add_table(p, 5, cols, 3, cells, ids, bad_rows, &nbad, NULL),
			 RULEBOOK_OK);
	ck_assert_uint_eq(nbad, 1);
	ck_assert_uint_eq(bad_rows[0], 1);
	ck_assert_uint_eq(rulebook_population_size(p), 4);
	ck_assert_str_eq(rulebook_population_record_id(p, 1), "p2");
	ck_assert_ptr_null(rulebook_population_record_id(p, 3));
	ck_assert_str_eq(rulebook_population_aggregate_value(p, 0, RULEBOOK_AGGREGATE_VALUE), "0.4");
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, 0), RULEBOOK_PASS);
	/* invalid arguments */
	size_t badcol[] = {999};
	ck_assert_int_eq(rulebook_population_add_table(p, 1, badcol, 1, cells, NULL, NULL, NULL, NULL),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_add_table(NULL, 1, cols, 3, cells, NULL, NULL, NULL, NULL),
			 RULEBOOK_ERR_INVALID);
	rulebook_population_free(p);
}
END_TEST

/* A record id that is not UTF-8 makes its row a bad row, as a bad cell
 * does: the batch goes on, and the first bad row of the batch has the one
 * diagnostic, naming the row and the column ('_id' for the id), on any
 * number of threads. Rows: 20 亩 industrial 2022 each; row 5's id is not
 * UTF-8, row 3000's area is "x", row 5000's id is not UTF-8 either. */
START_TEST(test_add_table_bad_id)
{
	enum { N = 3 * 2048 + 3 };
	size_t cols[] = {in("area"), in("industrial"), in("year")};
	static const char *cells[3 * N];
	static const char *ids[N];
	static char idbuf[N][16];
	for (size_t r = 0; r < N; r++) {
		const char *row[3] = {r == 3000 ? "x" : "20", "true", "2022"};
		memcpy(cells + 3 * r, row, sizeof row);
		snprintf(idbuf[r], sizeof idbuf[r], r == 5 || r == 5000 ? "r\xff%zu" : "r%zu", r);
		ids[r] = idbuf[r];
	}
	for (size_t threads = 1; threads <= 4; threads++) {
		rulebook_population *p = rulebook_population_new(rb, 20230630);
		ck_assert_int_eq(rulebook_population_set_threads(p, threads), RULEBOOK_OK);
		rulebook_error *err = rulebook_error_new();
		size_t bad_rows[N], nbad = 99;
		ck_assert_int_eq(rulebook_population_add_table(p, N, cols, 3, cells, ids, bad_rows,
							       &nbad, err),
				 RULEBOOK_OK);
		ck_assert_uint_eq(nbad, 3);
		ck_assert_uint_eq(bad_rows[0], 5);
		ck_assert_uint_eq(bad_rows[1], 3000);
		ck_assert_uint_eq(bad_rows[2], 5000);
		ck_assert_uint_eq(rulebook_population_size(p), N - 3);
		ck_assert_str_eq(rulebook_population_record_id(p, 5), "r6");
		ck_assert_str_eq(rulebook_population_record_id(p, N - 4), "r6146");
		ck_assert_uint_eq(rulebook_error_count(err), 1);
		ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_VALUE);
		ck_assert_str_eq(rulebook_error_subject(err, 0), "_id");
		ck_assert_str_eq(rulebook_error_message(err, 0),
				 "row 5, column '_id': the record id is not UTF-8 text");
		/* the records after the bad ones count: 6144 × 20 亩 */
		ck_assert_str_eq(rulebook_population_aggregate_value(p, 0, RULEBOOK_AGGREGATE_DENOMINATOR),
				 "122880");
		rulebook_error_free(err);
		rulebook_population_free(p);
	}
	/* a bad cell first: its column is named */
	rulebook_population *p = rulebook_population_new(rb, 20230630);
	rulebook_error *err = rulebook_error_new();
	size_t nbad = 0;
	ck_assert_int_eq(rulebook_population_add_table(p, 4, cols, 3, cells + 3 * 2998, ids + 2998,
						       NULL, &nbad, err),
			 RULEBOOK_OK);
	ck_assert_uint_eq(nbad, 1);
	ck_assert_uint_eq(rulebook_population_size(p), 3);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "area");
	ck_assert_msg(strncmp(rulebook_error_message(err, 0), "row 2, column 'area': ", 22) == 0,
		      "%s", rulebook_error_message(err, 0));
	rulebook_error_free(err);
	rulebook_population_free(p);
}
END_TEST

/* The same figures from numeric columns (column-major); NaN and an invalid
 * mask entry are missing: the parcel without an area makes the share
 * unknown. */
START_TEST(test_add_columns)
{
	rulebook_population *p = rulebook_population_new(rb, 20230630);
	size_t cols[] = {in("area"), in("year")};
	const double values[] = {40, 20, 90, 500, /* area */ 2022, 2022, 2022, 2021 /* year */};
	ck_assert_int_eq(rulebook_population_add_columns(p, 4, cols, 2, values, NULL, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_population_size(p), 4);
	/* industrial is missing everywhere: the share cannot be decided */
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, 0), RULEBOOK_UNKNOWN);
	/* A1.total_area: 40 + 20 + 90 + 500 = 650 */
	ck_assert_str_eq(rulebook_population_aggregate_value(p, 2, RULEBOOK_AGGREGATE_VALUE), "650");
	rulebook_population_free(p);

	p = rulebook_population_new(rb, 20230630);
	const double v2[] = {40, NAN, 7, 2022, 2022, 2022};
	const uint8_t ok[] = {1, 1, 0, 1, 1, 1};
	ck_assert_int_eq(rulebook_population_add_columns(p, 3, cols, 2, v2, ok, NULL), RULEBOOK_OK);
	/* two of the three areas are missing (NaN, masked): the sum is undecided,
	 * and only the first record is counted */
	ck_assert_ptr_null(rulebook_population_aggregate_value(p, 2, RULEBOOK_AGGREGATE_VALUE));
	ck_assert_int_eq(rulebook_population_aggregate_verdict(p, 2), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_population_aggregate_value(p, 2, RULEBOOK_AGGREGATE_COUNTED), "1");
	/* a boolean input cannot come from a numeric column */
	size_t boolcol[] = {in("industrial")};
	ck_assert_int_eq(rulebook_population_add_columns(p, 1, boolcol, 1, v2, NULL, NULL),
			 RULEBOOK_ERR_VALUE);
	const double inf[] = {INFINITY};
	ck_assert_int_eq(rulebook_population_add_columns(p, 1, cols, 1, inf, NULL, NULL), RULEBOOK_ERR_VALUE);
	rulebook_population_free(p);
}
END_TEST

/* A batch on threads (rulebook_population_set_threads) writes each
 * slice's records into the population in place: the same classes, scores,
 * consequences and counts as on one thread. fixtures/mujun.yaml as of
 * 2023-06-30, no accident, 10 亩, energy 5 (30 分), R&D share 0.02 (20 分): tax 100
 * (10 万元/亩, half the benchmark: 25 分) scores 75, class B, no
 * consequence; tax 400 (twice the benchmark, capped at 1.5: 75 分) scores
 * 125, class A with the reward of 10 万元, a value that depends on the date
 * alone — here only the rows of the last slice on 3 threads have it. */
START_TEST(test_threads_in_place)
{
	enum { N = 3 * 2048 + 3, HIGH = 5000 };
	rulebook *mj = load_fixture("mujun.yaml");
	static const char *const names[] = {"tax", "land_area", "va_per_tce", "rd_share",
					    "accident"};
	size_t cols[5];
	for (size_t c = 0; c < 5; c++)
		ck_assert_int_eq(rulebook_input_index(mj, names[c], strlen(names[c]), &cols[c]),
				 RULEBOOK_OK);
	static const char *cells[5 * N];
	for (size_t r = 0; r < N; r++) {
		const char *row[5] = {r < HIGH ? "100" : "400", "10", "5", "0.02", "false"};
		memcpy(cells + 5 * r, row, sizeof row);
	}
	rulebook_population *p[2];
	uint32_t counts[2][8];
	for (int t = 0; t < 2; t++) {
		p[t] = rulebook_population_new(mj, 20230630);
		ck_assert_int_eq(rulebook_population_set_threads(p[t], t ? 3 : 1), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_add_table(p[t], N, cols, 5, cells, NULL, NULL, NULL,
							       NULL),
				 RULEBOOK_OK);
		ck_assert_uint_eq(rulebook_population_size(p[t]), N);
		rulebook_population_counts(p[t], counts[t]);
	}
	ck_assert_mem_eq(counts[0], counts[1], sizeof counts[0]);
	for (size_t r = 0; r < N; r++)
		for (int t = 0; t < 2; t++) {
			int high = r >= HIGH;
			ck_assert_str_eq(rulebook_population_class(p[t], r, 0), high ? "A" : "B");
			ck_assert_str_eq(rulebook_population_score(p[t], r, 0), high ? "125" : "75");
			ck_assert_uint_eq(rulebook_population_consequence_count(p[t], r, 0), high);
			if (high) {
				ck_assert_str_eq(rulebook_population_consequence_name(p[t], r, 0, 0), "reward");
				ck_assert_str_eq(rulebook_population_consequence_value(p[t], r, 0, 0), "10");
			}
		}
	rulebook_population_free(p[0]);
	rulebook_population_free(p[1]);
	rulebook_free(mj);
}
END_TEST

/* A scorecard with a `missing: average` component whose cut-off is given
 * is CUT (class A's, at line 18, or 22 after the four lines of AVG_EXTRA; its
 * text starts at column 22, after "      - {id: A, min: "). */
#define AVG_CUT(extra, cut)                                                            \
	HDR "inputs:\n  - {id: x, type: number}\n  - {id: y, type: number}\n"          \
	    "  - {id: c, type: number}\n  - {id: k, type: integer}\n" extra             \
	    "scorecards:\n  - id: avg\n    cite: x\n    components:\n"                  \
	    "      - {id: a, value: x, benchmark: 1, weight: 1}\n"                      \
	    "      - {id: b, value: y, benchmark: 1, weight: 1, missing: average}\n"    \
	    "    classes:\n      - {id: A, min: " cut "}\n      - {id: B, min: 1}\n"     \
	    "      - {id: C}\n"
#define AVG_EXTRA                                                                      \
	"indicators:\n  - {id: c2, expr: c * 2}\n"                                     \
	"tables:\n  - {id: cuts, keys: k, cite: x, provenance: cited, rows: [{key: 1, value: 3}]}\n"
#define CUT_MSG(input)                                                                 \
	"the cut-off of class 'A' in scorecard 'avg' depends on input '" input "', but "  \
	"component 'b' has 'missing: average': a record that waits for the population's " \
	"average is classed after every record is in, so a cut-off must be a number or a " \
	"parameter"

/* A record whose class waits for the population's average is classed once
 * every record is in: a cut-off that depends on the record (an input,
 * directly, through an indicator or as the key of a table) is refused when
 * compiling, at the `min`. */
START_TEST(test_cutoff_from_record_refused)
{
	expect_load_error(AVG_CUT(AVG_EXTRA, "c"), RULEBOOK_ERR_SCHEMA, CUT_MSG("c"), 22, 22);
	expect_load_error(AVG_CUT(AVG_EXTRA, "c2"), RULEBOOK_ERR_SCHEMA, CUT_MSG("c"), 22, 22);
	expect_load_error(AVG_CUT(AVG_EXTRA, "\"cuts[k] + 1\""), RULEBOOK_ERR_SCHEMA, CUT_MSG("k"), 22,
			  22);
	expect_load_error(AVG_CUT("", "x / 2 + 1"), RULEBOOK_ERR_SCHEMA, CUT_MSG("x"), 18, 22);
	/* a later class's cut-off, at its own `min` */
	expect_load_error(HDR "inputs:\n  - {id: x, type: number}\n  - {id: y, type: number}\n"
			      "scorecards:\n  - id: avg\n    cite: x\n    components:\n"
			      "      - {id: b, value: y, benchmark: 1, weight: 1, missing: average}\n"
			      "      - {id: a, value: x, benchmark: 1, weight: 1}\n"
			      "    classes: [{id: A, min: 9}, {id: B, min: x / 2}, {id: C}]\n",
			  RULEBOOK_ERR_SCHEMA,
			  "the cut-off of class 'B' in scorecard 'avg' depends on input 'x', but "
			  "component 'b' has 'missing: average'",
			  15, 45);
	/* numbers, parameters and tables with literal keys are the date's */
	rulebook_free(load_str(AVG_CUT(AVG_EXTRA, "\"cuts[1] + 2 * 3\"")));
	/* without an average each record is classed with its own cut-off */
	rulebook_free(load_str(HDR "inputs:\n  - {id: x, type: number}\n  - {id: c, type: number}\n"
				   "scorecards:\n  - id: own\n    cite: x\n    components:\n"
				   "      - {id: a, value: x, benchmark: 1, weight: 1, missing: zero}\n"
				   "    classes: [{id: A, min: c}, {id: B}]\n"));
}
END_TEST

/* Cut-offs that are numbers or parameters in a scorecard whose classes
 * wait for a population average. A (the parameter cut: 3 until 2022, 4
 * from 2023-01-01), B from 3, C. Every record scores x + the average of
 * y's points, x = r % 3 and only row 0 has y (2): 2, 3, 4 for x = 0, 1, 2.
 * As of 2023-06-30 that is C, B, A; as of 2022-06-30, C, A, A. Row 0
 * (x = 0, y = 2, score 2: C) needs no average. The same on any number of
 * threads and after merging the two halves, and the saved bytes of equal
 * populations are equal. */
START_TEST(test_cutoff_parameter_with_average)
{
	rulebook *t = load_str(HDR "inputs:\n  - {id: x, type: number}\n  - {id: y, type: number}\n"
			       "parameters:\n  - id: cut\n    cite: x\n    provenance: cited\n"
			       "    values: [{from: 2021-01-01, value: 3}, {from: 2023-01-01, value: 4}]\n"
			       "scorecards:\n  - id: avg\n    cite: x\n    components:\n"
			       "      - {id: a, value: x, benchmark: 1, weight: 1}\n"
			       "      - {id: b, value: y, benchmark: 1, weight: 1, missing: average}\n"
			       "    classes:\n      - {id: A, min: cut}\n      - {id: B, min: 3}\n"
			       "      - {id: C}\n");
	enum { N = 4096 };
	static double v[2 * N], h[2 * N / 2];
	static const char *const want23[] = {"C", "B", "A"}, *const want22[] = {"C", "A", "A"},
				 *const score[] = {"2", "3", "4"};
	size_t in[2];
	ck_assert_int_eq(rulebook_input_index(t, "x", 1, &in[0]), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(t, "y", 1, &in[1]), RULEBOOK_OK);
	for (size_t r = 0; r < N; r++) {
		v[r] = (double)(r % 3);
		v[N + r] = r == 0 ? 2 : NAN;
	}
	rulebook_error *e = rulebook_error_new();
	char *want = NULL, *got = NULL;
	size_t want_len = 0, got_len = 0;
	for (size_t threads = 1; threads <= 3; threads++) {
		rulebook_population *p = rulebook_population_new(t, 20230630);
		ck_assert_int_eq(rulebook_population_set_threads(p, threads), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_population_add_columns(p, N, in, 2, v, NULL, e), RULEBOOK_OK);
		for (size_t r = 0; r < N; r++) {
			ck_assert_msg(strcmp(rulebook_population_class(p, r, 0), want23[r % 3]) == 0,
				      "%zu threads, record %zu: class %s", threads, r,
				      rulebook_population_class(p, r, 0));
			ck_assert_str_eq(rulebook_population_score(p, r, 0), score[r % 3]);
		}
		ck_assert_int_eq(rulebook_population_save(p, threads == 1 ? &want : &got,
							  threads == 1 ? &want_len : &got_len),
				 RULEBOOK_OK);
		if (threads > 1) {
			ck_assert_uint_eq(got_len, want_len);
			ck_assert_msg(memcmp(got, want, want_len) == 0, "%zu threads: other bytes", threads);
			rulebook_mem_free(got);
		}
		rulebook_population_free(p);
	}
	/* the two halves as partitions, merged */
	rulebook_population *a = rulebook_population_new(t, 20230630);
	rulebook_population *b = rulebook_population_new(t, 20230630);
	for (int half = 0; half < 2; half++) {
		for (int c = 0; c < 2; c++)
			memcpy(h + c * (N / 2), v + c * N + half * (N / 2), N / 2 * sizeof(double));
		ck_assert_int_eq(rulebook_population_add_columns(half ? b : a, N / 2, in, 2, h, NULL, e),
				 RULEBOOK_OK);
	}
	ck_assert_int_eq(rulebook_population_merge(a, b, e), RULEBOOK_OK);
	for (size_t r = 0; r < N; r++)
		ck_assert_str_eq(rulebook_population_class(a, r, 0), want23[r % 3]);
	ck_assert_int_eq(rulebook_population_save(a, &got, &got_len), RULEBOOK_OK);
	ck_assert_uint_eq(got_len, want_len);
	ck_assert_msg(memcmp(got, want, want_len) == 0, "merged: other bytes");
	rulebook_mem_free(got);
	rulebook_mem_free(want);
	rulebook_population_free(a);
	rulebook_population_free(b);
	/* the parameter's value on the population's date */
	rulebook_population *p = rulebook_population_new(t, 20220630);
	ck_assert_int_eq(rulebook_population_add_columns(p, N, in, 2, v, NULL, e), RULEBOOK_OK);
	for (size_t r = 0; r < N; r++)
		ck_assert_str_eq(rulebook_population_class(p, r, 0), want22[r % 3]);
	rulebook_population_free(p);
	rulebook_error_free(e);
	rulebook_free(t);
}
END_TEST

static void ck_kind(const jv *v, const char *path, jkind kind)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL, "%s is absent", path);
	ck_assert_msg(x->kind == kind, "%s has kind %d, wanted %d", path, (int)x->kind, (int)kind);
}

/* Base population: scores 10, 9, 8, 8, 6 (N = 5): A 1 (10), B 3 (9, 8, 8),
 * C none (rank 3 is B by the tie), D 1 (6 at rank 4). */
START_TEST(test_population_json)
{
	pop = base_population();
	jv *v = pop_json(pop, 0);
	ck_text(v, "rulebook/id", "api.parcels");
	ck_kind(v, "rulebook/hash", J_STRING);
	ck_assert_uint_eq(strlen(json_text(v, "rulebook/hash")), 64);
	ck_text(v, "as_of", "2023-06-30");
	ck_text(v, "records", "5");
	ck_text(v, "counts/pass", "4");
	ck_text(v, "counts/fail", "1");
	ck_text(v, "counts/unknown", "0");
	ck_kind(v, "aggregates", J_ARRAY);
	ck_assert_uint_eq(json_path(v, "aggregates")->count, NAGG);
	ck_text(v, "aggregates/0/id", "P4.industrial_share");
	ck_text(v, "aggregates/0/cite", "四（二）");
	ck_text(v, "aggregates/0/verdict", "fail");
	/* a share is a plain ratio whatever the unit of the amounts it sums */
	ck_text(v, "aggregates/0/unit", "");
	ck_text(v, "aggregates/2/unit", "亩");
	ck_text(v, "aggregates/0/value", "0.333333333333333333");
	ck_text(v, "aggregates/0/numerator", "50");
	ck_text(v, "aggregates/0/denominator", "150");
	ck_text(v, "aggregates/0/counted", "3");
	ck_text(v, "aggregates/0/threshold", "0.4");
	ck_text(v, "aggregates/0/gap", "+0.066666666666666667");
	ck_kind(v, "aggregates/0/value", J_STRING);
	/* the records counted, by _id */
	ck_assert_uint_eq(json_path(v, "aggregates/0/records")->count, 3);
	ck_text(v, "aggregates/0/records/0", "p1");
	ck_text(v, "aggregates/0/records/2", "p3");
	/* a record without _id appears by its index */
	ck_assert_uint_eq(json_path(v, "aggregates/2/records")->count, 5);
	ck_text(v, "aggregates/2/records/4", "4");
	ck_text(v, "aggregates/2/gap", "-50 亩");
	ck_text(v, "aggregates/3/verdict", "pass");
	ck_kind(v, "aggregates/3/gap", J_NULL);
	ck_kind(v, "aggregates/3/numerator", J_NULL);
	ck_text(v, "aggregates/7/verdict", "error");
	ck_kind(v, "aggregates/7/value", J_NULL);
	ck_text(v, "classes/rank/A", "1");
	ck_text(v, "classes/rank/B", "3");
	ck_text(v, "classes/rank/C", "0");
	ck_text(v, "classes/rank/D", "1");
	ck_text(v, "classes/rank/not_rated", "0");
	json_free(v);

	/* verdicts only: no record lists */
	v = pop_json(pop, RULEBOOK_OUT_VERDICTS);
	ck_text(v, "aggregates/0/verdict", "fail");
	ck_assert_ptr_null(json_path(v, "aggregates/0/records"));
	json_free(v);

	/* an empty population */
	rulebook_population *empty = rulebook_population_new(rb, 20231231);
	v = pop_json(empty, RULEBOOK_OUT_PRETTY);
	ck_text(v, "as_of", "2023-12-31");
	ck_text(v, "records", "0");
	ck_text(v, "aggregates/0/verdict", "not_applicable");
	ck_text(v, "classes/rank/A", "0");
	json_free(v);
	rulebook_population_free(empty);

	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_json(NULL, 0, &out, &len), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_population_json(pop, 0, NULL, &len), RULEBOOK_ERR_INVALID);
	/* len may be NULL */
	ck_assert_int_eq(rulebook_population_json(pop, 0, &out, NULL), RULEBOOK_OK);
	ck_assert_ptr_nonnull(out);
}
END_TEST

START_TEST(test_population_json_ranks)
{
	pop = rulebook_population_new(rb, 20230630);
	add(pop, "{\"_id\": \"e5\", \"score_in\": 6}");
	add(pop, "{\"_id\": \"e1\", \"score_in\": 10}");
	add(pop, "{\"_id\": \"e7\", \"score_in\": 5}");
	add(pop, "{\"_id\": \"e3\", \"score_in\": 8}");
	add(pop, "{\"_id\": \"e2\", \"score_in\": 9}");
	add(pop, "{\"_id\": \"e6\", \"score_in\": 5}");
	add(pop, "{\"_id\": \"e4\", \"score_in\": 8}");
	add(pop, "{\"_id\": \"e8\", \"score_in\": -1}");
	add(pop, "{\"_id\": \"e9\"}");
	jv *v = pop_json(pop, 0);
	ck_text(v, "records", "9");
	ck_text(v, "classes/rank/A", "1");
	ck_text(v, "classes/rank/B", "3");
	ck_text(v, "classes/rank/C", "3");
	ck_text(v, "classes/rank/D", "0");
	ck_text(v, "classes/rank/not_rated", "1");
	/* every record lacks area: R1 unknown for all nine */
	ck_text(v, "counts/unknown", "9");
	json_free(v);
}
END_TEST

static Suite *population_suite(void)
{
	Suite *s = suite_create("population");
	TCase *tc = tcase_create("records");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_and_free);
	tcase_add_test(tc, test_records_and_verdicts);
	tcase_add_test(tc, test_eval_population);
	tcase_add_test(tc, test_copy_what_if);
	tcase_add_test(tc, test_add_table);
	tcase_add_test(tc, test_add_table_bad_id);
	tcase_add_test(tc, test_add_columns);
	tcase_add_test(tc, test_threads_in_place);
	tcase_add_test(tc, test_cutoff_from_record_refused);
	tcase_add_test(tc, test_cutoff_parameter_with_average);
	suite_add_tcase(s, tc);

	tc = tcase_create("aggregates");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_aggregate_accessors);
	tcase_add_test(tc, test_aggregate_figures);
	tcase_add_test(tc, test_aggregate_unknown);
	tcase_add_test(tc, test_aggregate_not_applicable_and_not_in_force);
	suite_add_tcase(s, tc);

	tc = tcase_create("ranks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rank_classes);
	tcase_add_test(tc, test_rank_ties_and_rerank);
	tcase_add_test(tc, test_rank_twenty);
	tcase_add_test(tc, test_rank_veto);
	tcase_add_test(tc, test_rank_consequences);
	tcase_add_test(tc, test_consequence_from_table);
	tcase_add_test(tc, test_mujun_rank_consequences);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_population_json);
	tcase_add_test(tc, test_population_json_ranks);
	suite_add_tcase(s, tc);

	tc = tcase_create("rank_undecided");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rank_veto_condition_missing);
	tcase_add_test(tc, test_rank_scope_unknown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(population_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
