/* Scorecards and classes: the scorecard accessors, the class, score, veto,
 * components and consequences of a result, and the "scorecards" array of
 * rulebook_result_json. Uses fixtures/mujun.yaml; each expected score is
 * worked out in the comment above the case. Scorecard mujun weights:
 * tax 50 分 (w_tax) on mu_tax / 20 万元/亩 with floor 0.2 and cap 1.5,
 * energy 30 分 on (va_per_tce - 0) / (5 - 0) within 0..1 (missing: zero),
 * rd 20 分 on rd_share / 0.02. Classes: A >= cut_a (90 in 2022, 85 from
 * 2023-01-01), B >= 70, C >= 50, D. */
#include "common.h"
#include "json-lite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MUJUN, PLAIN, NSCORECARDS };
enum { C_TAX, C_ENERGY, C_RD };

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;

static void setup(void)
{
	rb = load_fixture("mujun.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(facts);
	ck_assert_ptr_nonnull(res);
}

static void teardown(void)
{
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
}

static void run(const char *json, int32_t as_of)
{
	rulebook_facts_clear(facts);
	set_json(facts, json);
	eval_ok(rb, facts, as_of, res);
}

static void ck_opt_str(const char *what, const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "%s: '%s', wanted NULL", what, got);
		return;
	}
	ck_assert_msg(got != NULL, "%s: NULL, wanted '%s'", what, want);
	ck_assert_msg(strcmp(got, want) == 0, "%s: '%s', wanted '%s'", what, got, want);
}

static void ck_class(size_t sc, const char *want)
{
	ck_opt_str("class", rulebook_result_class(res, sc), want);
}

/* The score as text and as a double (read first, before the text makes
 * the exact score): the double is within 2^-43 of the score, relatively
 * (rulebook.h), plus the rounding of the wanted text to a double (2^-53):
 * less than 2^-42. */
static void ck_score_of(rulebook_result *r, size_t sc, const char *want)
{
	double d = 0;
	rulebook_status st = rulebook_result_score_double(r, sc, &d);
	if (!want) {
		ck_assert_int_eq(st, RULEBOOK_ERR_NOT_FOUND);
		ck_assert_msg(isnan(d), "score as a double: %g, wanted NaN", d);
	} else {
		ck_assert_int_eq(st, RULEBOOK_OK);
		double w = strtod(want, NULL);
		ck_assert_msg(fabs(d - w) <= fabs(w) * 0x1p-42, "score as a double: %.17g, wanted %s",
			      d, want);
	}
	ck_opt_str("score", rulebook_result_score(r, sc), want);
}

static void ck_score(size_t sc, const char *want)
{
	ck_score_of(res, sc, want);
}

/* value, ratio, weight and points of component k of mujun */
static void ck_comp(size_t k, const char *value, const char *ratio, const char *weight,
		    const char *points)
{
	char what[64];
	const char *want[] = {value, ratio, weight, points};
	for (int f = 0; f < 4; f++) {
		snprintf(what, sizeof what, "component %zu field %d", k, f);
		ck_opt_str(what, rulebook_result_component(res, MUJUN, k, (rulebook_component_field)f),
			   want[f]);
	}
}

static void ck_consequence(size_t j, const char *name, const char *value, const char *unit)
{
	ck_opt_str("consequence name", rulebook_result_consequence_name(res, MUJUN, j), name);
	ck_opt_str("consequence value", rulebook_result_consequence_value(res, MUJUN, j), value);
	ck_opt_str("consequence unit", rulebook_result_consequence_unit(res, MUJUN, j), unit);
}

/* ---- accessors ---- */

/* Nonsense scorecards are compile errors at the offending value. */
#define SC_HEAD HDR "inputs:\n  - {id: x, type: number}\nscorecards:\n  - id: s\n    cite: c\n" \
		"    classes: [{id: A, min: 1}, {id: B}]\n    components:\n"
START_TEST(test_nonsense_components)
{
	/* line 13 is the component; "      - {id: k, value: x, " is 26 bytes */
	expect_load_error(SC_HEAD "      - {id: k, value: x, benchmark: 0, weight: 1}\n",
			  RULEBOOK_ERR_VALUE,
			  "the benchmark of component 'k' is 0: a benchmark must be above 0", 13, 38);
	expect_load_error(SC_HEAD "      - {id: k, value: x, benchmark: -2, weight: 1}\n",
			  RULEBOOK_ERR_VALUE, "is -2: a benchmark must be above 0", 13, 38);
	expect_load_error(SC_HEAD "      - {id: k, value: x, benchmark: 1, weight: -3}\n",
			  RULEBOOK_ERR_VALUE,
			  "the weight of component 'k' is negative: weights are 0 or more", 13, 49);
	expect_load_error(SC_HEAD "      - {id: k, value: x, benchmark: 1, weight: 1, floor: 0.5, cap: 0.4}\n",
			  RULEBOOK_ERR_VALUE, "the cap of component 'k' is below its floor", 13, 69);
	expect_load_error(SC_HEAD "      - {id: k, value: x, scale: {min: 5, max: 5}, weight: 1}\n",
			  RULEBOOK_ERR_VALUE,
			  "the scale of component 'k' needs 'max' above 'min'", 13, 48);
	/* the limits themselves are fine */
	rulebook_free(load_str(SC_HEAD "      - {id: k, value: x, benchmark: 0.1, weight: 0, floor: 0.4, "
				       "cap: 0.4}\n"));
}
END_TEST

START_TEST(test_scorecard_accessors)
{
	ck_assert_uint_eq(rulebook_scorecard_count(rb), NSCORECARDS);
	ck_assert_str_eq(rulebook_scorecard_id(rb, MUJUN), "mujun");
	ck_assert_str_eq(rulebook_scorecard_id(rb, PLAIN), "plain");
	ck_assert_uint_eq(rulebook_scorecard_component_count(rb, MUJUN), 3);
	ck_assert_str_eq(rulebook_scorecard_component_id(rb, MUJUN, C_TAX), "tax");
	ck_assert_str_eq(rulebook_scorecard_component_id(rb, MUJUN, C_ENERGY), "energy");
	ck_assert_str_eq(rulebook_scorecard_component_id(rb, MUJUN, C_RD), "rd");
	ck_assert_ptr_null(rulebook_scorecard_component_id(rb, MUJUN, 3));
	ck_assert_uint_eq(rulebook_scorecard_component_count(rb, PLAIN), 1);
	ck_assert_str_eq(rulebook_scorecard_component_id(rb, PLAIN, 0), "tax");
	/* classes from best to worst */
	ck_assert_uint_eq(rulebook_scorecard_class_count(rb, MUJUN), 4);
	static const char *const cls[] = {"A", "B", "C", "D"};
	for (size_t k = 0; k < 4; k++)
		ck_assert_str_eq(rulebook_scorecard_class_id(rb, MUJUN, k), cls[k]);
	ck_assert_ptr_null(rulebook_scorecard_class_id(rb, MUJUN, 4));
	ck_assert_uint_eq(rulebook_scorecard_class_count(rb, PLAIN), 2);
	ck_assert_str_eq(rulebook_scorecard_class_id(rb, PLAIN, 0), "good");
	ck_assert_str_eq(rulebook_scorecard_class_id(rb, PLAIN, 1), "poor");

	/* out of range and NULL */
	ck_assert_ptr_null(rulebook_scorecard_id(rb, NSCORECARDS));
	ck_assert_uint_eq(rulebook_scorecard_component_count(rb, NSCORECARDS), 0);
	ck_assert_ptr_null(rulebook_scorecard_component_id(rb, NSCORECARDS, 0));
	ck_assert_uint_eq(rulebook_scorecard_class_count(rb, NSCORECARDS), 0);
	ck_assert_ptr_null(rulebook_scorecard_class_id(rb, NSCORECARDS, 0));
	ck_assert_ptr_null(rulebook_scorecard_class_id(rb, MUJUN, SIZE_MAX));
	ck_assert_uint_eq(rulebook_scorecard_count(NULL), 0);
	ck_assert_ptr_null(rulebook_scorecard_id(NULL, 0));
	ck_assert_uint_eq(rulebook_scorecard_component_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_scorecard_component_id(NULL, 0, 0));
	ck_assert_uint_eq(rulebook_scorecard_class_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_scorecard_class_id(NULL, 0, 0));
}
END_TEST

/* The consequences as declared, whatever a record gets: fixtures/mujun.yaml
 * writes reward (A), surcharge and surcharge_repeat (D, with a condition). */
START_TEST(test_scorecard_consequences_declared)
{
	static const char *const ids[] = {"reward", "surcharge", "surcharge_repeat"};
	static const char *const cls[] = {"A", "D", "D"};
	static const char *const units[] = {"万元", "元/kWh", "元/kWh"};
	ck_assert_uint_eq(rulebook_scorecard_consequence_count(rb, MUJUN), 3);
	for (size_t j = 0; j < 3; j++) {
		ck_assert_str_eq(rulebook_scorecard_consequence_id(rb, MUJUN, j), ids[j]);
		ck_assert_str_eq(rulebook_scorecard_consequence_class(rb, MUJUN, j), cls[j]);
		ck_assert_str_eq(rulebook_scorecard_consequence_unit(rb, MUJUN, j), units[j]);
		ck_assert_str_eq(rulebook_scorecard_consequence_cite(rb, MUJUN, j), "四（五）");
	}
	/* a scorecard without consequences, out of range and NULL */
	ck_assert_uint_eq(rulebook_scorecard_consequence_count(rb, PLAIN), 0);
	ck_assert_ptr_null(rulebook_scorecard_consequence_id(rb, PLAIN, 0));
	ck_assert_ptr_null(rulebook_scorecard_consequence_id(rb, MUJUN, 3));
	ck_assert_ptr_null(rulebook_scorecard_consequence_class(rb, MUJUN, 3));
	ck_assert_ptr_null(rulebook_scorecard_consequence_unit(rb, MUJUN, 3));
	ck_assert_ptr_null(rulebook_scorecard_consequence_cite(rb, MUJUN, 3));
	ck_assert_uint_eq(rulebook_scorecard_consequence_count(rb, NSCORECARDS), 0);
	ck_assert_ptr_null(rulebook_scorecard_consequence_id(rb, NSCORECARDS, 0));
	ck_assert_uint_eq(rulebook_scorecard_consequence_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_scorecard_consequence_id(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_scorecard_consequence_class(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_scorecard_consequence_unit(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_scorecard_consequence_cite(NULL, 0, 0));
}
END_TEST

/* Which declaration a consequence a record gets is: surcharge declared
 * for D three times, 0.1 when y < 3 (declaration 1), 0.2 when y >= 3 (2)
 * and 0.3 when y >= 5 (3), after the reward of A (0). x 1 is D, x 5 A. A
 * record gets the declarations whose condition holds, in the order
 * written: y 1 the first surcharge, y 4 the second only, y 6 the second
 * and the third; by result and in a population alike. */
START_TEST(test_consequence_index)
{
	rulebook *t = load_str(HDR "inputs:\n  - {id: x, type: number}\n  - {id: y, type: integer}\n"
			       "scorecards:\n  - id: s\n    cite: x\n    components:\n"
			       "      - {id: a, value: x, benchmark: 1, weight: 1}\n"
			       "    classes: [{id: A, min: 5}, {id: D}]\n"
			       "    consequences:\n"
			       "      - {id: reward, class: A, value: 1, cite: c0}\n"
			       "      - {id: surcharge, class: D, when: y < 3, value: 0.1, cite: c1}\n"
			       "      - {id: surcharge, class: D, when: y >= 3, value: 0.2, cite: c2}\n"
			       "      - {id: surcharge, class: D, when: y >= 5, value: 0.3, cite: c3}\n");
	static const char *const rows[] = {"{\"x\": 1, \"y\": 1}", "{\"x\": 1, \"y\": 4}",
					   "{\"x\": 1, \"y\": 6}", "{\"x\": 5, \"y\": 6}"};
	static const size_t n[] = {1, 1, 2, 1};
	static const size_t index[][2] = {{1}, {2}, {2, 3}, {0}};
	static const char *const value[][2] = {{"0.1"}, {"0.2"}, {"0.2", "0.3"}, {"1"}};
	rulebook_facts *f = rulebook_facts_new(t);
	rulebook_result *r = rulebook_result_new(t);
	rulebook_population *p = rulebook_population_new(t, 20230630);
	for (size_t i = 0; i < 4; i++) {
		rulebook_facts_clear(f);
		set_json(f, rows[i]);
		eval_ok(t, f, 20230630, r);
		ck_assert_int_eq(rulebook_population_add(p, f, NULL), RULEBOOK_OK);
		ck_assert_uint_eq(rulebook_result_consequence_count(r, 0), n[i]);
		ck_assert_uint_eq(rulebook_population_consequence_count(p, i, 0), n[i]);
		for (size_t j = 0; j < n[i]; j++) {
			size_t d = rulebook_result_consequence_index(r, 0, j);
			ck_assert_uint_eq(d, index[i][j]);
			ck_assert_uint_eq(rulebook_population_consequence_index(p, i, 0, j), d);
			ck_assert_str_eq(rulebook_result_consequence_value(r, 0, j), value[i][j]);
			ck_assert_str_eq(rulebook_result_consequence_name(r, 0, j),
					 rulebook_scorecard_consequence_id(t, 0, d));
			ck_assert_str_eq(rulebook_result_class(r, 0),
					 rulebook_scorecard_consequence_class(t, 0, d));
		}
		ck_assert_uint_eq(rulebook_result_consequence_index(r, 0, n[i]), SIZE_MAX);
		ck_assert_uint_eq(rulebook_population_consequence_index(p, i, 0, n[i]), SIZE_MAX);
	}
	ck_assert_str_eq(rulebook_scorecard_consequence_cite(t, 0, index[1][0]), "c2");
	/* NULL and out of range */
	ck_assert_uint_eq(rulebook_result_consequence_index(NULL, 0, 0), SIZE_MAX);
	ck_assert_uint_eq(rulebook_result_consequence_index(r, 1, 0), SIZE_MAX);
	ck_assert_uint_eq(rulebook_population_consequence_index(NULL, 0, 0, 0), SIZE_MAX);
	ck_assert_uint_eq(rulebook_population_consequence_index(p, 4, 0, 0), SIZE_MAX);
	ck_assert_uint_eq(rulebook_population_consequence_index(p, 0, 1, 0), SIZE_MAX);
	rulebook_population_free(p);
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(t);
}
END_TEST

START_TEST(test_result_null_and_range)
{
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": false}",
	    20230630);
	ck_assert_ptr_null(rulebook_result_class(res, NSCORECARDS));
	ck_assert_ptr_null(rulebook_result_score(res, NSCORECARDS));
	ck_assert_ptr_null(rulebook_result_veto(res, NSCORECARDS));
	ck_assert_ptr_null(rulebook_result_component(res, NSCORECARDS, 0, RULEBOOK_COMPONENT_VALUE));
	ck_assert_ptr_null(rulebook_result_component(res, MUJUN, 3, RULEBOOK_COMPONENT_VALUE));
	ck_assert_ptr_null(rulebook_result_component(res, MUJUN, 0, (rulebook_component_field)4));
	ck_assert_ptr_null(rulebook_result_component(res, MUJUN, 0, (rulebook_component_field)-1));
	ck_assert_uint_eq(rulebook_result_consequence_count(res, NSCORECARDS), 0);
	ck_assert_ptr_null(rulebook_result_consequence_name(res, NSCORECARDS, 0));
	ck_assert_ptr_null(rulebook_result_consequence_value(res, NSCORECARDS, 0));
	ck_assert_ptr_null(rulebook_result_consequence_unit(res, NSCORECARDS, 0));
	double d = 1;
	ck_assert_int_eq(rulebook_result_score_double(res, NSCORECARDS, &d), RULEBOOK_ERR_INVALID);
	ck_assert(isnan(d));
	d = 1;
	ck_assert_int_eq(rulebook_result_score_double(NULL, 0, &d), RULEBOOK_ERR_INVALID);
	ck_assert(isnan(d));
	ck_assert_int_eq(rulebook_result_score_double(res, MUJUN, NULL), RULEBOOK_ERR_INVALID);
	/* a result not evaluated yet */
	rulebook_result *fresh = rulebook_result_new(rb);
	d = 1;
	ck_assert_int_eq(rulebook_result_score_double(fresh, MUJUN, &d), RULEBOOK_ERR_INVALID);
	ck_assert(isnan(d));
	rulebook_result_free(fresh);
	ck_assert_ptr_null(rulebook_result_class(NULL, 0));
	ck_assert_ptr_null(rulebook_result_score(NULL, 0));
	ck_assert_ptr_null(rulebook_result_veto(NULL, 0));
	ck_assert_ptr_null(rulebook_result_component(NULL, 0, 0, RULEBOOK_COMPONENT_VALUE));
	ck_assert_uint_eq(rulebook_result_consequence_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_result_consequence_name(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_result_consequence_value(NULL, 0, 0));
	ck_assert_ptr_null(rulebook_result_consequence_unit(NULL, 0, 0));
	/* the values of the field enum are stable */
	ck_assert_int_eq(RULEBOOK_COMPONENT_VALUE, 0);
	ck_assert_int_eq(RULEBOOK_COMPONENT_POINTS, 3);
}
END_TEST

/* ---- scores and classes ---- */

/* mu_tax 200/10 = 20: ratio 1, 50 × 1 = 50; energy 2.5/5 = 0.5, 30 × 0.5 =
 * 15; rd 0.01/0.02 = 0.5, 20 × 0.5 = 10. Score 75: B (70 <= 75 < 85).
 * plain: 20/20 = 1, weight 1: score 1 >= 1, good. */
START_TEST(test_weighted_score)
{
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": false, \"d_years\": 0}",
	    20230630);
	ck_class(MUJUN, "B");
	ck_score(MUJUN, "75");
	ck_assert_ptr_null(rulebook_result_veto(res, MUJUN));
	ck_comp(C_TAX, "20", "1", "50", "50");
	ck_comp(C_ENERGY, "2.5", "0.5", "30", "15");
	ck_comp(C_RD, "0.01", "0.5", "20", "10");
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 0);
	ck_consequence(0, NULL, NULL, NULL);
	ck_class(PLAIN, "good");
	ck_score(PLAIN, "1");
}
END_TEST

/* Cap and scale: mu_tax 40, ratio 2 capped at 1.5: 75; energy 7/5 = 1.4
 * within 0..1 = 1: 30; rd 0.03/0.02 = 1.5 (no cap): 30. Score 135: A, and
 * class A's reward of 10 万元. */
START_TEST(test_cap_and_scale_max)
{
	run("{\"tax\": 400, \"land_area\": 10, \"va_per_tce\": 7, \"rd_share\": 0.03,"
	    " \"accident\": false}",
	    20230630);
	ck_class(MUJUN, "A");
	ck_score(MUJUN, "135");
	ck_comp(C_TAX, "40", "1.5", "50", "75");
	ck_comp(C_ENERGY, "7", "1", "30", "30");
	ck_comp(C_RD, "0.03", "1.5", "20", "30");
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 1);
	ck_consequence(0, "reward", "10", "万元");
	ck_consequence(1, NULL, NULL, NULL);
	/* plain has no cap: 40/20 = 2 */
	ck_score(PLAIN, "2");
}
END_TEST

/* Floor and missing: zero: mu_tax 2, ratio 0.1 raised to the floor 0.2: 10;
 * energy missing scores 0; rd 0.004/0.02 = 0.2: 4. Score 14: D, with the
 * surcharge and, three D years running, the repeat surcharge. */
START_TEST(test_floor_missing_zero_consequences)
{
	run("{\"tax\": 20, \"land_area\": 10, \"rd_share\": 0.004, \"accident\": false,"
	    " \"d_years\": 3}",
	    20230630);
	ck_class(MUJUN, "D");
	ck_score(MUJUN, "14");
	ck_comp(C_TAX, "2", "0.2", "50", "10");
	ck_comp(C_ENERGY, NULL, "0", "30", "0");
	ck_comp(C_RD, "0.004", "0.2", "20", "4");
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 2);
	ck_consequence(0, "surcharge", "0.3", "元/kWh");
	ck_consequence(1, "surcharge_repeat", "0.5", "元/kWh");
	ck_consequence(2, NULL, NULL, NULL);
	/* plain: 0.1 < 1 */
	ck_class(PLAIN, "poor");
	ck_score(PLAIN, "0.1");
	/* two years running: the condition of the repeat surcharge is false */
	run("{\"tax\": 20, \"land_area\": 10, \"rd_share\": 0.004, \"accident\": false,"
	    " \"d_years\": 2}",
	    20230630);
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 1);
	ck_consequence(0, "surcharge", "0.3", "元/kWh");
}
END_TEST

/* Below the scale's minimum the ratio is 0; with everything else at its
 * benchmark and rd at 0 the score is 50 + 0 + 0 = 50: exactly C. */
START_TEST(test_scale_min_and_boundaries)
{
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": -1, \"rd_share\": 0,"
	    " \"accident\": false}",
	    20230630);
	ck_comp(C_ENERGY, "-1", "0", "30", "0");
	ck_score(MUJUN, "50");
	ck_class(MUJUN, "C");
	/* 50 + 15 + 20 × (0.005/0.02 = 0.25) = 70: exactly B */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.005,"
	    " \"accident\": false}",
	    20230630);
	ck_score(MUJUN, "70");
	ck_class(MUJUN, "B");
	/* 0.0049/0.02 = 0.245: 4.9, score 69.9: C */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.0049,"
	    " \"accident\": false}",
	    20230630);
	ck_comp(C_RD, "0.0049", "0.245", "20", "4.9");
	ck_score(MUJUN, "69.9");
	ck_class(MUJUN, "C");
	/* just below C: 49.9 -> D */
	run("{\"tax\": 199.6, \"land_area\": 10, \"va_per_tce\": 0, \"rd_share\": 0,"
	    " \"accident\": false}",
	    20230630);
	/* 19.96/20 = 0.998 × 50 = 49.9 */
	ck_comp(C_TAX, "19.96", "0.998", "50", "49.9");
	ck_score(MUJUN, "49.9");
	ck_class(MUJUN, "D");
}
END_TEST

/* The cut-off of A is the parameter cut_a: 90 until 2022-12-31, 85 from
 * 2023-01-01. 50 + 30 × 0.9 + 10 = 87 is B in 2022 and A in 2023. */
START_TEST(test_dated_cutoff)
{
	const char *f87 = "{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 4.5, \"rd_share\": 0.01,"
			  " \"accident\": false}";
	run(f87, 20220630);
	ck_score(MUJUN, "87");
	ck_class(MUJUN, "B");
	run(f87, 20230630);
	ck_score(MUJUN, "87");
	ck_class(MUJUN, "A");
	/* 50 + 30 + 5 = 85: exactly the 2023 cut-off, switching on its date */
	const char *f85 = "{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 5, \"rd_share\": 0.005,"
			  " \"accident\": false}";
	run(f85, 20221231);
	ck_score(MUJUN, "85");
	ck_class(MUJUN, "B");
	run(f85, 20230101);
	ck_score(MUJUN, "85");
	ck_class(MUJUN, "A");
	/* 90 was A in 2022 already */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 5, \"rd_share\": 0.01,"
	    " \"accident\": false}",
	    20220101);
	ck_score(MUJUN, "90");
	ck_class(MUJUN, "A");
}
END_TEST

/* A veto forces D whatever the score; the score is still reported. */
START_TEST(test_veto)
{
	run("{\"tax\": 400, \"land_area\": 10, \"va_per_tce\": 7, \"rd_share\": 0.03,"
	    " \"accident\": true, \"d_years\": 1}",
	    20230630);
	ck_class(MUJUN, "D");
	ck_assert_str_eq(rulebook_result_veto(res, MUJUN), "safety");
	ck_score(MUJUN, "135");
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 1);
	ck_consequence(0, "surcharge", "0.3", "元/kWh");
	/* plain has no veto */
	ck_assert_ptr_null(rulebook_result_veto(res, PLAIN));
	ck_class(PLAIN, "good");
	/* the veto's condition missing: the class cannot be decided */
	run("{\"tax\": 400, \"land_area\": 10, \"va_per_tce\": 7, \"rd_share\": 0.03}", 20230630);
	ck_class(MUJUN, NULL);
	ck_assert_ptr_null(rulebook_result_veto(res, MUJUN));
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 0);
}
END_TEST

/* Out of scope (land_area < 3): not rated, no score, no veto, no
 * consequence, even with the veto's condition true. */
START_TEST(test_scope)
{
	run("{\"tax\": 40, \"land_area\": 2, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": true, \"d_years\": 5}",
	    20230630);
	ck_class(MUJUN, "not_rated");
	ck_score(MUJUN, NULL);
	ck_assert_ptr_null(rulebook_result_veto(res, MUJUN));
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 0);
	/* plain has no scope: 20/20 */
	ck_class(PLAIN, "good");
	ck_score(PLAIN, "1");
	/* exactly 3 亩 is in scope: 60/3 = 20 */
	run("{\"tax\": 60, \"land_area\": 3, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": false}",
	    20230630);
	ck_class(MUJUN, "B");
	ck_score(MUJUN, "75");
	/* scope unknown: the class is unknown */
	run("{\"tax\": 60, \"va_per_tce\": 2.5, \"rd_share\": 0.01, \"accident\": false}", 20230630);
	ck_class(MUJUN, NULL);
}
END_TEST

/* missing: unknown (the default) makes the class and the score unknown. */
START_TEST(test_missing_unknown)
{
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"accident\": false}", 20230630);
	ck_class(MUJUN, NULL);
	ck_score(MUJUN, NULL);
	ck_comp(C_TAX, "20", "1", "50", "50");
	ck_comp(C_RD, NULL, NULL, "20", NULL);
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 0);
	/* versus missing: zero on energy: a class */
	run("{\"tax\": 200, \"land_area\": 10, \"rd_share\": 0.01, \"accident\": false}", 20230630);
	ck_score(MUJUN, "60");
	ck_class(MUJUN, "C");
}
END_TEST

/* An undecided class names what it misses, by the part that needs it. */
static void ck_missing(size_t j, const char *part, const char *name)
{
	ck_opt_str("missing part", rulebook_result_class_missing_part(res, MUJUN, j), part);
	ck_opt_str("missing name", rulebook_result_class_missing(res, MUJUN, j), name);
}

START_TEST(test_class_missing)
{
	/* no land_area: the scope is unknown, and so are the tax component's
	 * points (mu_tax = tax / land_area); energy, rd and the veto are known */
	run("{\"tax\": 60, \"va_per_tce\": 2.5, \"rd_share\": 0.01, \"accident\": false}", 20230630);
	ck_class(MUJUN, NULL);
	ck_assert_uint_eq(rulebook_result_class_missing_count(res, MUJUN), 2);
	ck_missing(0, "scope", "land_area");
	ck_missing(1, "component:tax", "land_area");
	ck_missing(2, NULL, NULL);
	/* rd_share missing (missing: unknown); energy missing scores zero */
	run("{\"tax\": 200, \"land_area\": 10, \"accident\": false}", 20230630);
	ck_assert_uint_eq(rulebook_result_class_missing_count(res, MUJUN), 1);
	ck_missing(0, "component:rd", "rd_share");
	/* the veto's condition is missing */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01}", 20230630);
	ck_class(MUJUN, NULL);
	ck_assert_uint_eq(rulebook_result_class_missing_count(res, MUJUN), 1);
	ck_missing(0, "veto:safety", "accident");
	/* JSON, the explanation */
	run("{\"tax\": 60, \"va_per_tce\": 2.5, \"accident\": false}", 20230630);
	const char *text = NULL;
	ck_assert_int_eq(rulebook_result_json(res, 0, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "\"veto\":null,\"error\":null,\"missing\":["
				     "{\"part\":\"scope\",\"name\":\"land_area\"},"
				     "{\"part\":\"component:tax\",\"name\":\"land_area\"},"
				     "{\"part\":\"component:rd\",\"name\":\"rd_share\"}]"),
		      "%s", text);
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "  missing: scope: land_area; component:tax: land_area; "
				     "component:rd: rd_share\n"),
		      "%s", text);
	/* a decided class misses nothing */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": false}", 20230630);
	ck_class(MUJUN, "B");
	ck_assert_uint_eq(rulebook_result_class_missing_count(res, MUJUN), 0);
	ck_missing(0, NULL, NULL);
	ck_assert_uint_eq(rulebook_result_class_missing_count(NULL, 0), 0);
	ck_assert_uint_eq(rulebook_result_class_missing_count(res, NSCORECARDS), 0);
	ck_assert_ptr_null(rulebook_result_class_missing_part(res, NSCORECARDS, 0));
}
END_TEST

/* Figures that a parameter makes nonsense on some dates only: the class
 * is "error" with the reason on those dates, a class on the others. x = 4;
 * in 2022: s_bench 1 × 4 / 2 = 2 (A); s_weight the same; s_cap ratio 2
 * capped at 1.5 (A); s_scale 4 / 10 = 0.4 (B). From 2023 the benchmark is
 * 0, the weight -1, the cap 0.1 below the floor 0.2, the scale's max 0. */
START_TEST(test_class_error_by_date)
{
#define DATED(id, a, b) "  - {id: " id ", cite: c, provenance: cited, values: [{from: 2022-01-01, " \
			"value: " a "}, {from: 2023-01-01, value: " b "}]}\n"
#define CARD(id, comp) "  - id: " id "\n    cite: c\n    classes: [{id: A, min: 1}, {id: B}]\n" \
		       "    components:\n      - " comp "\n"
	rulebook *t = load_str(HDR "inputs:\n  - {id: x, type: number}\nparameters:\n"
			       DATED("bench", "2", "0") DATED("w", "1", "-1") DATED("capp", "1.5", "0.1")
			       DATED("top", "10", "0")
			       "scorecards:\n"
			       CARD("s_bench", "{id: k, value: x, benchmark: bench, weight: 1}")
			       CARD("s_weight", "{id: k, value: x, benchmark: 2, weight: w}")
			       CARD("s_cap", "{id: k, value: x, benchmark: 2, weight: 1, floor: 0.2, cap: capp}")
			       CARD("s_scale", "{id: k, value: x, scale: {min: 0, max: top}, weight: 1}"));
#undef DATED
#undef CARD
	rulebook_facts *f = rulebook_facts_new(t);
	rulebook_result *r = rulebook_result_new(t);
	set_json(f, "{\"x\": 4}");
	eval_ok(t, f, 20220630, r);
	const char *want22[] = {"A", "A", "A", "B"};
	for (size_t k = 0; k < 4; k++) {
		ck_assert_str_eq(rulebook_result_class(r, k), want22[k]);
		ck_assert_ptr_null(rulebook_result_class_error(r, k));
	}
	ck_score_of(r, 0, "2");
	ck_score_of(r, 2, "1.5");
	ck_score_of(r, 3, "0.4");
	eval_ok(t, f, 20230630, r);
	const char *why[] = {
		"the benchmark of component 'k' is 0 on this date: a benchmark must be above 0",
		"the weight of component 'k' is -1 on this date: weights are 0 or more",
		"the cap of component 'k' (0.1) is below its floor (0.2) on this date",
		"the scale of component 'k' has max 0, not above min 0, on this date"};
	for (size_t k = 0; k < 4; k++) {
		ck_assert_str_eq(rulebook_result_class(r, k), "error");
		ck_assert_str_eq(rulebook_result_class_error(r, k), why[k]);
		ck_assert_uint_eq(rulebook_result_class_missing_count(r, k), 0);
		ck_assert_uint_eq(rulebook_result_consequence_count(r, k), 0);
	}
	const char *text = NULL;
	ck_assert_int_eq(rulebook_result_json(r, 0, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "\"class\":\"error\""), "%s", text);
	ck_assert_msg(contains(text, "\"error\":\"the weight of component 'k' is -1 on this date: "
				     "weights are 0 or more\""), "%s", text);
	ck_assert_int_eq(rulebook_result_explain(r, RULEBOOK_OUT_LANG_EN, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(text, "[CLASS error] s_bench (clause c)"), "%s", text);
	ck_assert_msg(contains(text, "  error: the benchmark of component 'k' is 0 on this date"), "%s", text);
	/* the same through the exact route only */
	rulebook_result_set_exact_only(r, 1);
	eval_ok(t, f, 20230630, r);
	ck_assert_str_eq(rulebook_result_class(r, 1), "error");
	ck_assert_str_eq(rulebook_result_class_error(r, 1), why[1]);
	ck_assert_ptr_null(rulebook_result_class_error(NULL, 0));
	ck_assert_ptr_null(rulebook_result_class_error(r, 4));
	/* packed, in a population, also after a save and a load, and in bulk */
	int16_t packed[4];
	ck_assert_uint_eq(rulebook_packed_result_size(t), sizeof packed);
	ck_assert_int_eq(rulebook_result_packed(r, packed, sizeof packed), RULEBOOK_OK);
	for (size_t k = 0; k < 4; k++)
		ck_assert_int_eq(packed[k], RULEBOOK_CLASS_ERROR);
	rulebook_population *pop = rulebook_population_new(t, 20230630);
	ck_assert_int_eq(rulebook_population_add(pop, f, NULL), RULEBOOK_OK);
	char *saved = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_population_save(pop, &saved, &len), RULEBOOK_OK);
	rulebook_population *back = NULL;
	ck_assert_int_eq(rulebook_population_load(t, saved, len, &back, NULL), RULEBOOK_OK);
	for (size_t k = 0; k < 4; k++) {
		ck_assert_str_eq(rulebook_population_class(pop, 0, k), "error");
		ck_assert_str_eq(rulebook_population_class(back, 0, k), "error");
	}
	for (size_t k = 0; k < 4; k++) {
		int16_t code = 0;
		ck_assert_int_eq(rulebook_population_classes(back, k, &code), RULEBOOK_OK);
		ck_assert_int_eq(code, RULEBOOK_CLASS_ERROR);
		code = 0;
		ck_assert_int_eq(rulebook_population_classes(pop, k, &code), RULEBOOK_OK);
		ck_assert_int_eq(code, RULEBOOK_CLASS_ERROR);
	}
	rulebook_mem_free(saved);
	rulebook_population_free(back);
	rulebook_population_free(pop);
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(t);
}
END_TEST

START_TEST(test_not_in_force)
{
	const char *f = "{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
			"\"accident\": true}";
	run(f, 20250101);
	ck_class(MUJUN, "not_in_force");
	ck_class(PLAIN, "not_in_force");
	ck_score(MUJUN, NULL);
	ck_assert_ptr_null(rulebook_result_veto(res, MUJUN));
	ck_assert_uint_eq(rulebook_result_consequence_count(res, MUJUN), 0);
	run(f, 20211231);
	ck_class(MUJUN, "not_in_force");
	/* the last day in force */
	run(f, 20241231);
	ck_class(MUJUN, "D");
}
END_TEST

/* ---- JSON ---- */

static jv *json_of(uint32_t flags)
{
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(res, flags, &out, &len), RULEBOOK_OK);
	ck_assert_uint_eq(len, strlen(out));
	jv *v = json_parse(out, len);
	ck_assert_msg(v != NULL, "not well-formed JSON: %s", out);
	return v;
}

static void ck_text(const jv *v, const char *path, const char *want)
{
	const char *got = json_text(v, path);
	ck_assert_msg(got != NULL, "%s is absent or not a string", path);
	ck_assert_msg(strcmp(got, want) == 0, "%s is '%s', wanted '%s'", path, got, want);
}

static void ck_null(const jv *v, const char *path)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL && x->kind == J_NULL, "%s should be null", path);
}

static size_t ck_array(const jv *v, const char *path)
{
	const jv *x = json_path(v, path);
	ck_assert_msg(x != NULL && x->kind == J_ARRAY, "%s should be an array", path);
	return x->count;
}

START_TEST(test_json_scorecards)
{
	run("{\"tax\": 20, \"land_area\": 10, \"rd_share\": 0.004, \"accident\": false,"
	    " \"d_years\": 3}",
	    20230630);
	jv *v = json_of(0);
	ck_assert_uint_eq(ck_array(v, "scorecards"), 2);
	ck_text(v, "scorecards/0/id", "mujun");
	ck_text(v, "scorecards/0/class", "D");
	ck_text(v, "scorecards/0/score", "14");
	ck_null(v, "scorecards/0/veto");
	ck_text(v, "scorecards/0/cite", "四（四）");
	ck_assert_uint_eq(ck_array(v, "scorecards/0/components"), 3);
	ck_text(v, "scorecards/0/components/0/id", "tax");
	ck_text(v, "scorecards/0/components/0/unit", "万元/亩");
	ck_text(v, "scorecards/0/components/0/value", "2");
	ck_text(v, "scorecards/0/components/0/ratio", "0.2");
	ck_text(v, "scorecards/0/components/0/weight", "50");
	ck_text(v, "scorecards/0/components/0/points", "10");
	ck_text(v, "scorecards/0/components/1/id", "energy");
	ck_text(v, "scorecards/0/components/1/unit", "万元/tce(等价值)");
	ck_null(v, "scorecards/0/components/1/value");
	ck_text(v, "scorecards/0/components/1/ratio", "0");
	ck_text(v, "scorecards/0/components/1/points", "0");
	ck_text(v, "scorecards/0/components/2/id", "rd");
	ck_text(v, "scorecards/0/components/2/unit", "");
	ck_text(v, "scorecards/0/components/2/points", "4");
	ck_assert_uint_eq(ck_array(v, "scorecards/0/consequences"), 2);
	ck_text(v, "scorecards/0/consequences/0/id", "surcharge");
	ck_text(v, "scorecards/0/consequences/0/value", "0.3");
	ck_text(v, "scorecards/0/consequences/0/unit", "元/kWh");
	ck_text(v, "scorecards/0/consequences/1/id", "surcharge_repeat");
	ck_text(v, "scorecards/0/consequences/1/value", "0.5");
	ck_text(v, "scorecards/1/id", "plain");
	ck_text(v, "scorecards/1/class", "poor");
	ck_text(v, "scorecards/1/score", "0.1");
	ck_assert_uint_eq(ck_array(v, "scorecards/1/consequences"), 0);
	json_free(v);

	/* a veto and an out-of-scope record */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": true}",
	    20230630);
	v = json_of(RULEBOOK_OUT_PRETTY);
	ck_text(v, "scorecards/0/class", "D");
	ck_text(v, "scorecards/0/veto", "safety");
	ck_text(v, "scorecards/0/score", "75");
	json_free(v);
	run("{\"tax\": 40, \"land_area\": 2}", 20230630);
	v = json_of(0);
	ck_text(v, "scorecards/0/class", "not_rated");
	ck_null(v, "scorecards/0/score");
	json_free(v);
	/* unknown class and score are null */
	run("{\"tax\": 200, \"land_area\": 10, \"accident\": false}", 20230630);
	v = json_of(0);
	ck_null(v, "scorecards/0/class");
	ck_null(v, "scorecards/0/score");
	json_free(v);

	/* verdicts only: class, score and veto, no components */
	run("{\"tax\": 200, \"land_area\": 10, \"va_per_tce\": 2.5, \"rd_share\": 0.01,"
	    " \"accident\": false}",
	    20230630);
	v = json_of(RULEBOOK_OUT_VERDICTS);
	ck_text(v, "scorecards/0/class", "B");
	ck_text(v, "scorecards/0/score", "75");
	ck_assert_ptr_null(json_path(v, "scorecards/0/components"));
	json_free(v);
}
END_TEST

START_TEST(test_explain_scorecards)
{
	run("{\"tax\": 400, \"land_area\": 10, \"va_per_tce\": 7, \"rd_share\": 0.03,"
	    " \"accident\": true, \"d_years\": 1}",
	    20230630);
	const char *text = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, &len), RULEBOOK_OK);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_msg(contains(text, "mujun"), "%s", text);
	ck_assert(contains(text, "135"));
	ck_assert(contains(text, "safety"));
	ck_assert(contains(text, "三（一）3"));
	ck_assert(contains(text, "surcharge"));
	ck_assert(contains(text, "0.3"));
}
END_TEST

static Suite *scorecards_suite(void)
{
	Suite *s = suite_create("scorecards");
	TCase *tc = tcase_create("accessors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_scorecard_accessors);
	tcase_add_test(tc, test_scorecard_consequences_declared);
	tcase_add_test(tc, test_consequence_index);
	tcase_add_test(tc, test_nonsense_components);
	tcase_add_test(tc, test_result_null_and_range);
	suite_add_tcase(s, tc);

	tc = tcase_create("classes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_weighted_score);
	tcase_add_test(tc, test_cap_and_scale_max);
	tcase_add_test(tc, test_floor_missing_zero_consequences);
	tcase_add_test(tc, test_scale_min_and_boundaries);
	tcase_add_test(tc, test_dated_cutoff);
	tcase_add_test(tc, test_veto);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_missing_unknown);
	tcase_add_test(tc, test_class_missing);
	tcase_add_test(tc, test_class_error_by_date);
	tcase_add_test(tc, test_not_in_force);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json_scorecards);
	tcase_add_test(tc, test_explain_scorecards);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scorecards_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
