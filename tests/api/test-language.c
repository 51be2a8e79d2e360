/* The rule language for real policies: strict targets, absent values,
 * messages per verdict, test expectations with places, lookup tables,
 * rules about rules. Each expected figure is worked out in a comment. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Evaluate a rulebook from text with facts in JSON; the caller frees. */
typedef struct run {
	rulebook *rb;
	rulebook_facts *f;
	rulebook_result *res;
} run;

static run start(const char *yaml)
{
	run r;
	r.rb = load_str(yaml);
	r.f = rulebook_facts_new(r.rb);
	r.res = rulebook_result_new(r.rb);
	ck_assert_ptr_nonnull(r.f);
	ck_assert_ptr_nonnull(r.res);
	return r;
}

static void again(run *r, const char *json, int32_t as_of)
{
	rulebook_facts_clear(r->f);
	set_json(r->f, json);
	eval_ok(r->rb, r->f, as_of, r->res);
}

static void stop(run *r)
{
	rulebook_result_free(r->res);
	rulebook_facts_free(r->f);
	rulebook_free(r->rb);
}

/* ---- strict targets ---- */

#define STRICT_TARGETS                                                             \
	HDR "inputs:\n"                                                            \
	    "  - {id: trade, type: number, unit: 亿元}\n"                          \
	    "  - {id: pm25, type: number}\n"                                       \
	    "targets:\n"                                                           \
	    "  - {id: K12, cite: 三（二）6, measure: trade, target: 10, unit: 亿元,\n" \
	    "     direction: above, period: {from: 2021-01-01, until: 2023-12-31}}\n" \
	    "  - {id: K12b, cite: 三（二）6, measure: trade, target: 10, unit: 亿元,\n" \
	    "     period: {from: 2021-01-01, until: 2023-12-31}}\n"                  \
	    "  - {id: AQ, cite: 二, measure: pm25, target: 35, direction: below,\n"   \
	    "     kind: level, period: {from: 2021-01-01, until: 2023-12-31}}\n"

START_TEST(test_target_above_exactly_at_goal)
{
	run r = start(STRICT_TARGETS);
	/* 10 亿元 exactly on the last day: must exceed → missed; at least → met */
	again(&r, "{\"trade\": 10, \"pm25\": 35}", 20231231);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 0), RULEBOOK_TARGET_MISSED);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 1), RULEBOOK_TARGET_MET);
	/* 35 exactly against "below 35": missed */
	ck_assert_int_eq(rulebook_result_target_status(r.res, 2), RULEBOOK_TARGET_MISSED);
	/* the shortfall is 0 when the figure equals the goal: nothing to add
	 * numerically, but the target is not met */
	ck_assert_str_eq(rulebook_result_target_value(r.res, 0, RULEBOOK_TARGET_SHORTFALL), "0");
	/* 10.01 亿元 exceeds it; 34.9 is below 35 */
	again(&r, "{\"trade\": 10.01, \"pm25\": 34.9}", 20231231);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 0), RULEBOOK_TARGET_MET);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 2), RULEBOOK_TARGET_MET);
	/* before the end, exactly 10 亿元 is not met yet: completion 1 ≥ time
	 * progress → on_pace (not met) */
	again(&r, "{\"trade\": 10, \"pm25\": 35}", 20220630);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 0), RULEBOOK_TARGET_ON_PACE);
	ck_assert_int_eq(rulebook_result_target_status(r.res, 1), RULEBOOK_TARGET_MET);
	/* a level at 35 is not under 35: behind pace */
	ck_assert_int_eq(rulebook_result_target_status(r.res, 2), RULEBOOK_TARGET_BEHIND_PACE);
	stop(&r);
}
END_TEST

START_TEST(test_target_direction_error)
{
	expect_load_error(HDR "inputs:\n  - {id: x, type: number}\n"
			      "targets:\n  - {id: T, cite: 一, measure: x, target: 1, direction: exceed,\n"
			      "     period: yearly}\n",
			  RULEBOOK_ERR_SCHEMA, "direction must be one of: at_least, at_most, above, below",
			  9, 58); /* byte column: 一 is three bytes */
}
END_TEST

static Suite *language_suite(void)
{
	Suite *s = suite_create("language");
	TCase *tc = tcase_create("strict_targets");
	tcase_add_test(tc, test_target_above_exactly_at_goal);
	tcase_add_test(tc, test_target_direction_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(language_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
