/* Gaps of failed rules: the sign says which way the value must move, a
 * miss never reads as zero, a side that is an expression keeps its unit,
 * an 'and' lists every failed part and an 'or' its nearest alternative.
 * Every expected figure below is worked out by hand in the comment beside
 * it. */
#include "common.h"
#include "json-lite.h"

#include <stdio.h>
#include <string.h>

#define GAPS                                                                                   \
	HDR                                                                                    \
	"inputs:\n"                                                                            \
	"  - {id: office_share, type: number, unit: '%'}\n"                                    \
	"  - {id: revenue, type: number, unit: 亿元}\n"                                        \
	"  - {id: tax, type: number, unit: 万元}\n"                                            \
	"  - {id: land_area, type: number, unit: 亩}\n"                                        \
	"  - {id: employees, type: integer, unit: 人}\n"                                       \
	"  - {id: rd_share, type: number, unit: '%'}\n"                                        \
	"  - {id: rd_expense, type: number, unit: 万元}\n"                                     \
	"  - {id: x, type: number}\n"                                                          \
	"parameters:\n"                                                                        \
	"  - {id: max_office, unit: '%', cite: 一, provenance: cited, value: 7}\n"            \
	"  - {id: min_revenue, unit: 亿元, cite: 一, provenance: cited, value: 0.5}\n"         \
	"rules:\n"                                                                             \
	"  - {id: office, cite: 一, require: office_share <= max_office,\n"                    \
	"     message: {en: 'office share {office_share}'}}\n"                                \
	"  - {id: revenue, cite: 一, require: revenue >= min_revenue}\n"                       \
	"  - {id: mu_tax_unit, cite: 一, require: 'tax / land_area >= 37 [万元/亩]'}\n"        \
	"  - {id: mu_tax_bare, cite: 一, require: 'tax / land_area * 1 >= 37 [万元/亩]'}\n"    \
	"  - {id: both, cite: 一, require: 'employees >= 10 and tax >= 500 [万元]'}\n"         \
	"  - {id: either, cite: 一, require: 'rd_share >= 3% or rd_expense >= 500 [万元]'}\n"  \
	"  - {id: above, cite: 一, require: 'x > 10'}\n"                                       \
	"  - {id: below, cite: 一, require: 'x < 10'}\n"                                       \
	"  - {id: mixed, cite: 一, require: 'x >= 20 or employees >= 10 and x >= 0'}\n"

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;

static void setup(void)
{
	rb = load_str(GAPS);
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

static void run(const char *json)
{
	rulebook_facts_clear(facts);
	set_json(facts, json);
	eval_ok(rb, facts, 20230630, res);
}

static void ck_gap(const char *rule, const char *want)
{
	size_t i = rule_at(rb, rule);
	ck_assert_int_eq(rulebook_result_verdict(res, i), RULEBOOK_FAIL);
	const char *got = rulebook_result_gap(res, i);
	ck_assert_msg(got && strcmp(got, want) == 0, "%s: gap '%s', wanted '%s'", rule,
		      got ? got : "(null)", want);
}

static void ck_part(const char *rule, size_t j, rulebook_gap_field f, const char *want)
{
	const char *got = rulebook_result_gap_part(res, rule_at(rb, rule), j, f);
	if (!want) {
		ck_assert_msg(got == NULL, "%s part %zu field %d: '%s', wanted NULL", rule, j, (int)f,
			      got);
		return;
	}
	ck_assert_msg(got && strcmp(got, want) == 0, "%s part %zu field %d: '%s', wanted '%s'", rule,
		      j, (int)f, got ? got : "(null)", want);
}

START_TEST(test_ceiling_just_missed)
{
	/* 7.000025 % against a ceiling of 7 %: the share must fall by
	 * 0.000025 points; rounded to 4 places that is 0, so every digit. */
	run("{\"office_share\": \"7.000025\"}");
	ck_gap("office", "-0.000025%");
	ck_assert_uint_eq(rulebook_result_gap_count(res, rule_at(rb, "office")), 1);
	ck_part("office", 0, RULEBOOK_GAP_VALUE, "-0.000025");
	ck_part("office", 0, RULEBOOK_GAP_ACTUAL, "7.000025");
	ck_part("office", 0, RULEBOOK_GAP_THRESHOLD, "7");
	ck_part("office", 0, RULEBOOK_GAP_UNIT, "%");
	ck_part("office", 0, RULEBOOK_GAP_OPERATOR, "<=");
	ck_part("office", 0, RULEBOOK_GAP_NAME, "office_share");
	ck_part("office", 0, RULEBOOK_GAP_TEXT, "-0.000025%");
	/* 7.5 %: an ordinary gap, rounded as before. */
	run("{\"office_share\": \"7.5\"}");
	ck_gap("office", "-0.5%");
	/* The message carries the same gap. */
	run("{\"office_share\": \"7.000025\"}");
	const char *msg = rulebook_result_message(res, rule_at(rb, "office"), "en");
	/* the value itself is shown to 4 places (7.000025 -> 7); the gap is not */
	ck_assert_str_eq(msg, "office share 7% (gap: -0.000025%)");
}
END_TEST

START_TEST(test_floor_just_missed)
{
	/* 4999.6 万元 = 0.49996 亿元, 0.00004 亿元 short of 0.5 亿元:
	 * rounds to 0.0000, so every digit. */
	run("{\"revenue\": \"4999.6 万元\"}");
	ck_gap("revenue", "+0.00004 亿元");
	ck_part("revenue", 0, RULEBOOK_GAP_VALUE, "0.00004");
	/* 4000 万元 = 0.4 亿元: 0.1 亿元 short. */
	run("{\"revenue\": \"4000 万元\"}");
	ck_gap("revenue", "+0.1 亿元");
}
END_TEST

START_TEST(test_compound_side_keeps_its_unit)
{
	/* 360 万元 on 10 亩 = 36 万元/亩, 1 short of 37. */
	run("{\"tax\": \"360\", \"land_area\": \"10\"}");
	ck_gap("mu_tax_unit", "+1 万元/亩");
	ck_part("mu_tax_unit", 0, RULEBOOK_GAP_UNIT, "万元/亩");
	ck_part("mu_tax_unit", 0, RULEBOOK_GAP_ACTUAL, "36");
	ck_part("mu_tax_unit", 0, RULEBOOK_GAP_THRESHOLD, "37");
	ck_part("mu_tax_unit", 0, RULEBOOK_GAP_NAME, NULL);
	ck_gap("mu_tax_bare", "+1 万元/亩");
}
END_TEST

START_TEST(test_and_lists_every_failed_part)
{
	/* 5 people (5 short of 10) and 300 万元 (200 short of 500). */
	run("{\"employees\": 5, \"tax\": \"300\"}");
	ck_gap("both", "employees +5 人; tax +200 万元");
	ck_assert_uint_eq(rulebook_result_gap_count(res, rule_at(rb, "both")), 2);
	ck_part("both", 0, RULEBOOK_GAP_NAME, "employees");
	ck_part("both", 1, RULEBOOK_GAP_VALUE, "200");
	ck_part("both", 2, RULEBOOK_GAP_VALUE, NULL);
	/* Only the tax fails: one part, not named. */
	run("{\"employees\": 12, \"tax\": \"300\"}");
	ck_gap("both", "+200 万元");
	ck_assert_uint_eq(rulebook_result_gap_count(res, rule_at(rb, "both")), 1);
}
END_TEST

START_TEST(test_or_gives_the_nearest_alternative)
{
	/* rd_share 2.7 % is 0.3 of 3 short (10 %); rd_expense 400 is 100 of
	 * 500 short (20 %): the share is nearer. */
	run("{\"rd_share\": \"2.7\", \"rd_expense\": \"400\"}");
	ck_gap("either", "+0.3%");
	ck_assert_uint_eq(rulebook_result_gap_count(res, rule_at(rb, "either")), 1);
	ck_part("either", 0, RULEBOOK_GAP_NAME, "rd_share");
	/* rd_share 1.5 % is 50 % short; rd_expense 450 is 10 % short. */
	run("{\"rd_share\": \"1.5\", \"rd_expense\": \"450\"}");
	ck_gap("either", "+50 万元");
}
END_TEST

START_TEST(test_strict_comparisons_at_the_threshold)
{
	/* x = 10 misses x > 10 by more than nothing: up; and x < 10: down. */
	run("{\"x\": \"10\"}");
	ck_gap("above", ">+0");
	ck_gap("below", "<-0");
	ck_part("above", 0, RULEBOOK_GAP_OPERATOR, ">");
	ck_part("below", 0, RULEBOOK_GAP_OPERATOR, "<");
}
END_TEST

START_TEST(test_or_with_a_non_comparison_gives_no_gap)
{
	/* x >= 20 fails, the other alternative is an 'and' that fails too;
	 * a gap for x alone would not say what is needed, so there is none. */
	run("{\"x\": \"5\", \"employees\": 3}");
	size_t i = rule_at(rb, "mixed");
	ck_assert_int_eq(rulebook_result_verdict(res, i), RULEBOOK_FAIL);
	ck_assert_ptr_null(rulebook_result_gap(res, i));
	ck_assert_uint_eq(rulebook_result_gap_count(res, i), 0);
}
END_TEST

START_TEST(test_gap_json)
{
	run("{\"employees\": 5, \"tax\": \"300\", \"office_share\": \"7.000025\"}");
	const char *text;
	size_t len;
	ck_assert_int_eq(rulebook_result_json(res, 0, &text, &len), RULEBOOK_OK);
	jv *v = json_parse(text, len);
	ck_assert_ptr_nonnull(v);
	char path[64];
	size_t both = rule_at(rb, "both"), office = rule_at(rb, "office");
	snprintf(path, sizeof path, "rules/%zu/gaps/1/value", both);
	ck_assert_str_eq(json_text(v, path), "200");
	snprintf(path, sizeof path, "rules/%zu/gaps/0/name", both);
	ck_assert_str_eq(json_text(v, path), "employees");
	snprintf(path, sizeof path, "rules/%zu/gap/value", both);
	ck_assert_str_eq(json_text(v, path), "5");
	snprintf(path, sizeof path, "rules/%zu/gap/text", office);
	ck_assert_str_eq(json_text(v, path), "-0.000025%");
	snprintf(path, sizeof path, "rules/%zu/gap/operator", office);
	ck_assert_str_eq(json_text(v, path), "<=");
	json_free(v);
}
END_TEST

START_TEST(test_null_and_out_of_range)
{
	run("{\"office_share\": \"5\"}");
	size_t i = rule_at(rb, "office");
	ck_assert_int_eq(rulebook_result_verdict(res, i), RULEBOOK_PASS);
	ck_assert_uint_eq(rulebook_result_gap_count(res, i), 0);
	ck_assert_ptr_null(rulebook_result_gap_part(res, i, 0, RULEBOOK_GAP_VALUE));
	ck_assert_uint_eq(rulebook_result_gap_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_result_gap_part(NULL, 0, 0, RULEBOOK_GAP_VALUE));
	ck_assert_uint_eq(rulebook_result_gap_count(res, 1000), 0);
	ck_assert_ptr_null(rulebook_result_gap_part(res, 1000, 0, RULEBOOK_GAP_TEXT));
	run("{\"office_share\": \"8\"}");
	ck_assert_ptr_null(rulebook_result_gap_part(res, i, 0, (rulebook_gap_field)99));
	ck_assert_ptr_null(rulebook_result_gap(NULL, 0));
}
END_TEST

static Suite *gaps_suite(void)
{
	Suite *s = suite_create("gaps");
	TCase *tc = tcase_create("gaps");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ceiling_just_missed);
	tcase_add_test(tc, test_floor_just_missed);
	tcase_add_test(tc, test_compound_side_keeps_its_unit);
	tcase_add_test(tc, test_and_lists_every_failed_part);
	tcase_add_test(tc, test_or_gives_the_nearest_alternative);
	tcase_add_test(tc, test_strict_comparisons_at_the_threshold);
	tcase_add_test(tc, test_or_with_a_non_comparison_gives_no_gap);
	tcase_add_test(tc, test_gap_json);
	tcase_add_test(tc, test_null_and_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gaps_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
