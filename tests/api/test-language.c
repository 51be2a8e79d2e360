/* The rule language for real policies: strict targets, absent values,
 * messages per verdict, test expectations with places, lookup tables,
 * rules about rules. Each expected figure is worked out in a comment. */
#include "common.h"

#include <stdbool.h>
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

static const char *json_of(run *r)
{
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(r->res, 0, &out, &len), RULEBOOK_OK);
	return out;
}

static const char *explain_of(run *r, uint32_t flags)
{
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_explain(r->res, flags, &out, &len), RULEBOOK_OK);
	return out;
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


/* ---- test expectations with places ---- */

/* 14 / 15 = 0.9333333333333333333 (18 significant digits, half even);
 * rounded half up to 4 places it is 0.9333, to 2 places 0.93. */
#define PLACES_RULEBOOK(expect)                                                    \
	HDR "inputs:\n  - {id: a, type: number}\n  - {id: b, type: number}\n"       \
	    "indicators:\n  - {id: share, expr: a / b}\n"                           \
	    "tests:\n  - name: share\n    as_of: 2023-01-01\n"                     \
	    "    facts: {a: 14, b: 15}\n    expect:\n      values:\n" expect

START_TEST(test_places_pass_and_fail)
{
	rulebook *rb = load_str(PLACES_RULEBOOK("        share: {value: 0.9333, places: 4}\n"
						"  - name: two\n    as_of: 2023-01-01\n"
						"    facts: {a: 14, b: 15}\n    expect:\n      values:\n"
						"        share: {value: 0.9334, places: 4}\n"
						"  - name: exact\n    as_of: 2023-01-01\n"
						"    facts: {a: 14, b: 15}\n    expect:\n      values:\n"
						"        share: 0.9333\n"));
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_ERR_TEST);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 1);
	/* 0.9334 is not 0.9333 rounded; without places the comparison is exact */
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 2);
	ck_assert_str_eq(rulebook_test_report_case(rep, 0), "two");
	ck_assert_str_eq(rulebook_test_report_expected(rep, 0), "0.9334");
	ck_assert_str_eq(rulebook_test_report_case(rep, 1), "exact");
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_places_errors)
{
	/* line 17 is the expectation: 8 spaces, "share: " and "{value: " make
	 * the value start at column 24 */
	expect_load_error(PLACES_RULEBOOK("        share: {value: 0.93333, places: 4}\n"),
			  RULEBOOK_ERR_SCHEMA, "expected value 0.93333 has 5 decimal places, more than places: 4",
			  17, 24);
	expect_load_error(PLACES_RULEBOOK("        share: {value: 0.9, places: x}\n"),
			  RULEBOOK_ERR_SCHEMA, "places must be a whole number from 0 to 18, not 'x'", 17, 37);
	expect_load_error(PLACES_RULEBOOK("        share: {value: 0.9}\n"), RULEBOOK_ERR_SCHEMA,
			  "places", 17, 16);
}
END_TEST

/* ---- absent values and illustrative branches ---- */

/* far_ratio has no figure for industry B in the text (value: none); the
 * illustrative figure for industry C is used only on C's branch. */
#define ABSENT                                                                     \
	HDR "inputs:\n"                                                            \
	    "  - {id: industry, type: enum, values: [A, B, C]}\n"                  \
	    "  - {id: far, type: number}\n"                                        \
	    "parameters:\n"                                                        \
	    "  - {id: far_a, cite: 表1, provenance: cited, value: 1.2}\n"          \
	    "  - {id: far_b, cite: 表1, provenance: cited, value: none,\n"         \
	    "     note: 表1 gives no figure for B}\n"                              \
	    "  - {id: far_c, cite: 表1, provenance: illustrative, value: 1.0,\n"   \
	    "     note: not in the published table}\n"                             \
	    "  - id: far_d\n    cite: 表1\n    provenance: cited\n    note: withdrawn in 2023\n" \
	    "    values: [{from: 2020-01-01, value: 0.8}, {from: 2023-01-01, value: none}]\n" \
	    "rules:\n"                                                             \
	    "  - id: R\n    cite: 一\n"                                            \
	    "    require: 'far >= (if industry == \"A\" then far_a else if industry == \"B\" then far_b else far_c)'\n" \
	    "  - id: D\n    cite: 二\n    require: far >= far_d\n"

START_TEST(test_absent_value_unknown_naming_it)
{
	run r = start(ABSENT);
	size_t R = rule_at(r.rb, "R"), D = rule_at(r.rb, "D");
	again(&r, "{\"industry\": \"B\", \"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, R), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(r.res, R), 1);
	ck_assert_str_eq(rulebook_result_missing(r.res, R, 0), "far_b");
	ck_assert_ptr_null(rulebook_result_value(r.res, "far_b"));
	/* a dated none: 0.8 until 2022, no figure from 2023 */
	ck_assert_int_eq(rulebook_result_verdict(r.res, D), RULEBOOK_PASS);
	again(&r, "{\"industry\": \"B\", \"far\": 2}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, D), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_result_missing(r.res, D, 0), "far_d");
	size_t pd = 0;
	for (; pd < rulebook_param_count(r.rb); pd++)
		if (!strcmp(rulebook_param_name(r.rb, pd), "far_d"))
			break;
	ck_assert_str_eq(rulebook_param_value(r.rb, pd, 20220101), "0.8");
	ck_assert_ptr_null(rulebook_param_value(r.rb, pd, 20230101));
	stop(&r);
}
END_TEST

START_TEST(test_illustrative_only_on_the_branch_taken)
{
	run r = start(ABSENT);
	size_t R = rule_at(r.rb, "R"), D = rule_at(r.rb, "D");
	/* A: the else branch holding far_c is not taken */
	again(&r, "{\"industry\": \"A\", \"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, R), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, R), 0);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, D), 0);
	const char *json = json_of(&r);
	ck_assert(contains(json, "\"illustrative\":false"));
	ck_assert(!contains(json, "\"illustrative\":true"));
	/* C: it is */
	again(&r, "{\"industry\": \"C\", \"far\": 0.9}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, R), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, R), 1);
	json = json_of(&r);
	ck_assert(contains(json, "\"illustrative\":true"));
	const char *text = explain_of(&r, RULEBOOK_OUT_LANG_EN);
	ck_assert(contains(text, "note: depends on an illustrative parameter"));
	/* the same with the exact route only */
	rulebook_result_set_exact_only(r.res, 1);
	again(&r, "{\"industry\": \"A\", \"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, R), 0);
	ck_assert(!contains(explain_of(&r, RULEBOOK_OUT_LANG_EN), "illustrative parameter, not"));
	/* arguments */
	ck_assert_int_eq(rulebook_result_illustrative(r.res, 99), -1);
	ck_assert_int_eq(rulebook_result_illustrative(NULL, 0), -1);
	stop(&r);
	rulebook *rb = load_str(ABSENT);
	rulebook_result *fresh = rulebook_result_new(rb);
	ck_assert_int_eq(rulebook_result_illustrative(fresh, 0), -1);
	rulebook_result_free(fresh);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_absent_needs_note)
{
	expect_load_error(HDR "parameters:\n  - {id: p, cite: 一, provenance: cited, value: none}\n",
			  RULEBOOK_ERR_SCHEMA,
			  "parameter 'p' has a value 'none': it needs a 'note' saying why the text gives no figure",
			  7, 5);
	/* quoted "none" is text, not the absent marker: not a number */
	expect_load_error(HDR "parameters:\n  - {id: p, cite: 一, provenance: cited, value: \"none\"}\n",
			  RULEBOOK_ERR_VALUE, "value 'none' of parameter 'p' is not a decimal number", 7, 51);
}
END_TEST

/* ---- tables ---- */

static run start_fixture(const char *name)
{
	run r;
	r.rb = load_fixture(name);
	r.f = rulebook_facts_new(r.rb);
	r.res = rulebook_result_new(r.rb);
	ck_assert_ptr_nonnull(r.f);
	ck_assert_ptr_nonnull(r.res);
	return r;
}

START_TEST(test_table_one_key)
{
	run r = start_fixture("tables.yaml");
	size_t FAR = rule_at(r.rb, "FAR");
	/* 13 and 14 are in the row 13-14: floor 1.0 */
	again(&r, "{\"industry\": 13, \"far\": 1.0}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_PASS);
	again(&r, "{\"industry\": 14, \"far\": 0.9}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(r.res, FAR), "+0.1"); /* 1.0 - 0.9 */
	const char *json = json_of(&r);
	ck_assert(contains(json, "\"far_min[industry]\":{\"value\":\"1\""));
	ck_assert(contains(json, "\"kind\":\"table\",\"key\":\"far_min[14]\",\"provenance\":\"cited\",\"cite\":\"表2\""));
	/* 26: its row carries its own citation */
	again(&r, "{\"industry\": 26, \"far\": 0.6}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_PASS);
	ck_assert(contains(json_of(&r), "\"cite\":\"表2 第26行\""));
	/* 27: the row says there is no figure; 99: there is no row; both
	 * unknown, naming the table and the key */
	again(&r, "{\"industry\": 27, \"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(r.res, FAR), 1);
	ck_assert_str_eq(rulebook_result_missing(r.res, FAR, 0), "far_min[27]");
	again(&r, "{\"industry\": 99, \"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_result_missing(r.res, FAR, 0), "far_min[99]");
	ck_assert(contains(explain_of(&r, RULEBOOK_OUT_LANG_EN), "far_min[99]"));
	/* a missing key names the input only */
	again(&r, "{\"far\": 2}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(r.res, FAR), 1);
	ck_assert_str_eq(rulebook_result_missing(r.res, FAR, 0), "industry");
	/* the illustrative row marks only the records that use it */
	again(&r, "{\"industry\": 30, \"far\": 0.8}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, FAR), 1);
	again(&r, "{\"industry\": 13, \"far\": 1.2}", 20220101);
	ck_assert_int_eq(rulebook_result_illustrative(r.res, FAR), 0);
	stop(&r);
}
END_TEST

START_TEST(test_table_two_keys_dated_default)
{
	run r = start_fixture("tables.yaml");
	size_t INV = rule_at(r.rb, "INV");
	/* 一类 × 25 is in 21-43: 4000 until 2022, 4500 from 2023 */
	again(&r, "{\"region\": \"一类\", \"industry\": 25, \"invest\": 4000}", 20221231);
	ck_assert_int_eq(rulebook_result_verdict(r.res, INV), RULEBOOK_PASS);
	again(&r, "{\"region\": \"一类\", \"industry\": 25, \"invest\": 4000}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, INV), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_gap(r.res, INV), "+500 万元/公顷");
	/* 一类 × 20 is in 13–20 (written with an en dash): 3000 */
	again(&r, "{\"region\": \"一类\", \"industry\": 20, \"invest\": 2999}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, INV), RULEBOOK_FAIL);
	/* 三类 has no row: the default 1000 */
	again(&r, "{\"region\": \"三类\", \"industry\": 25, \"invest\": 1000}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, INV), RULEBOOK_PASS);
	again(&r, "{\"region\": \"三类\", \"industry\": 25, \"invest\": 999}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, INV), RULEBOOK_FAIL);
	/* the embedded test cases */
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(r.rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 4);
	rulebook_test_report_free(rep);
	stop(&r);
}
END_TEST

/* Verdicts of table lookups are those of the exact route, and records far
 * from the thresholds are decided in binary. */
START_TEST(test_table_fast_path_identical)
{
	run r = start_fixture("tables.yaml");
	rulebook_result *exact = rulebook_result_new(r.rb);
	ck_assert_ptr_nonnull(exact);
	rulebook_result_set_exact_only(exact, 1);
	static const char *const recs[] = {
		"{\"industry\": 13, \"far\": 1.0, \"region\": \"一类\", \"invest\": 3000}",
		"{\"industry\": 14, \"far\": 0.99, \"region\": \"二类\", \"invest\": 2500.0001}",
		"{\"industry\": 26, \"far\": 3, \"region\": \"三类\", \"invest\": 5000}",
		"{\"industry\": 27, \"far\": 3, \"region\": \"一类\", \"invest\": 4499.99}",
		"{\"industry\": 43, \"far\": 0.1, \"region\": \"二类\", \"invest\": 1}",
		"{\"far\": 1, \"region\": \"二类\"}",
	};
	bool some_binary = false;
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		rulebook_facts_clear(r.f);
		set_json(r.f, recs[i]);
		eval_ok(r.rb, r.f, 20230601, r.res);
		eval_ok(r.rb, r.f, 20230601, exact);
		for (size_t k = 0; k < rulebook_rule_count(r.rb); k++)
			ck_assert_int_eq(rulebook_result_verdict(r.res, k),
					 rulebook_result_verdict(exact, k));
		if (rulebook_result_decided_exactly(r.res) == 0)
			some_binary = true;
	}
	ck_assert(some_binary);
	rulebook_result_free(exact);
	stop(&r);
}
END_TEST

START_TEST(test_table_extends_override)
{
	run r = start_fixture("tables-child.yaml");
	size_t FAR = rule_at(r.rb, "FAR");
	/* the child raised far_min[26] from 0.6 to 0.7 */
	again(&r, "{\"industry\": 26, \"far\": 0.65}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_FAIL);
	ck_assert(contains(json_of(&r), "\"cite\":\"细则 第3条\""));
	/* other rows are the parent's */
	again(&r, "{\"industry\": 13, \"far\": 1}", 20220101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, FAR), RULEBOOK_PASS);
	stop(&r);
	/* lowering a floor is refused, at the override's value */
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(fixture_path("tables-child-lax.yaml"), NULL, &rb, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0),
			   "override of 'far_min[26]' to 0.5 is laxer than the parent's 0.6"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 12);
	rulebook_error_free(err);
}
END_TEST

#define TABLE_HDR                                                                  \
	HDR "inputs:\n"                                                            \
	    "  - {id: industry, type: integer}\n"                                  \
	    "  - {id: region, type: enum, values: [一类, 二类]}\n"                 \
	    "  - {id: far, type: number}\n"                                        \
	    "  - {id: area, type: number, unit: 亩}\n"                             \
	    "tables:\n"                                                            \
	    "  - id: t\n    keys: [region, industry]\n    cite: 表1\n    provenance: cited\n" \
	    "    rows:\n"

START_TEST(test_table_in_message)
{
	run r = start(TABLE_HDR "      - {key: [一类, 13-20], value: 1.2}\n"
				"rules:\n  - id: R\n    cite: 一\n    require: far >= t[region, industry]\n"
				"    message: {fail: {zh: '容积率 {far:.2} 低于 {t[region, industry]:.1}'}}\n");
	again(&r, "{\"region\": \"一类\", \"industry\": 15, \"far\": 1.1}", 20230101);
	ck_assert_str_eq(rulebook_result_message(r.res, 0, "zh"), "容积率 1.10 低于 1.2（差距 +0.1）");
	stop(&r);
	/* a lookup the rule does not make is not a name */
	expect_load_error(TABLE_HDR "      - {key: [一类, 13-20], value: 1.2}\n"
				    "rules:\n  - id: R\n    cite: 一\n    require: far >= 1\n"
				    "    message: {zh: '{t[region, industry]}'}\n",
			  RULEBOOK_ERR_NAME, "unknown name '{t[region, industry]}' in the message of rule 'R'",
			  22, 21); /* the name after '{' */
}
END_TEST

START_TEST(test_table_errors)
{
	/* line 17 is the first row; a key after "[" starts at column 16 */
	expect_load_error(TABLE_HDR "      - {key: [三类, 13], value: 1}\n", RULEBOOK_ERR_VALUE,
			  "row key '三类' of table 't' is not a value of enum input 'region', so no "
			  "record can reach the row", 17, 16);
	expect_load_error(TABLE_HDR "      - {key: [一类, 20-13], value: 1}\n", RULEBOOK_ERR_VALUE,
			  "row key '20-13' of table 't' is an empty range", 17, 24);
	expect_load_error(TABLE_HDR "      - {key: [一类, 1x], value: 1}\n", RULEBOOK_ERR_VALUE,
			  "row key '1x' of table 't' must be a whole number or a range like 13-20",
			  17, 24);
	expect_load_error(TABLE_HDR "      - {key: 一类, value: 1}\n", RULEBOOK_ERR_SCHEMA,
			  "a row of table 't' needs 2 keys (a list), like its 'keys'", 17, 15);
	expect_load_error(TABLE_HDR "      - {key: [一类, 13], value: 1}\n"
				    "      - {key: [一类, 13], value: 2}\n",
			  RULEBOOK_ERR_NAME, "'t[一类, 13]' is already defined", 18, 9);
	expect_load_error(TABLE_HDR "      - {key: [一类, 13], value: 1, provenance: illustrative}\n",
			  RULEBOOK_ERR_SCHEMA, "illustrative row t[一类, 13] needs a 'note'", 17, 9);
	/* keys must be enum, text or integer inputs */
	expect_load_error(HDR "inputs:\n  - {id: far, type: number}\n"
			      "tables:\n  - {id: t, keys: far, cite: 一, provenance: cited, rows: []}\n",
			  RULEBOOK_ERR_TYPE, "key 'far' of table 't' must be an input of type enum, text or integer",
			  9, 19);
	/* expressions: the requirement is on line 21 from column 15 */
#define TABLE_RULE(expr) TABLE_HDR "      - {key: [一类, 13], value: 1}\n" \
	"rules:\n  - id: R\n    cite: 一\n    require: '" expr "'\n"
	expect_load_error(TABLE_RULE("far >= u[region, industry]"), RULEBOOK_ERR_NAME,
			  "unknown table 'u'", 21, 22);
	expect_load_error(TABLE_RULE("far >= far[region, industry]"), RULEBOOK_ERR_NAME,
			  "'far' is not a table: only tables take [keys]", 21, 22);
	expect_load_error(TABLE_RULE("far >= t[region]"), RULEBOOK_ERR_EXPR,
			  "table 't' takes 2 keys, not 1", 21, 22);
	expect_load_error(TABLE_RULE("far >= t[industry, region]"), RULEBOOK_ERR_TYPE,
			  "key 1 of table 't' must be a value of the enum like input 'region' (found: number)",
			  21, 24);
	expect_load_error(TABLE_RULE("far >= t[\"三类\", 13]"), RULEBOOK_ERR_TYPE,
			  "\"三类\" is not a value of enum input 'region' (key 1 of table 't')", 21, 24);
	/* units are checked: the table holds plain numbers, area is in 亩 */
	expect_load_error(TABLE_RULE("area >= t[region, industry]"), RULEBOOK_ERR_UNIT,
			  "cannot compare", 21, 20);
}
END_TEST

START_TEST(test_table_lint)
{
	/* rows 17-19: 一类 × 13-20, then 一类 × 15 (covered), then 一类 × 18-25
	 * (overlaps 16..20 with the first), then 二类 × 13 (apart) */
	rulebook *rb = load_str(TABLE_HDR "      - {key: [一类, 13-20], value: 1}\n"
					  "      - {key: [一类, 15], value: 2}\n"
					  "      - {key: [一类, 18-25], value: 3}\n"
					  "      - {key: [二类, 13], value: 4}\n"
					  "rules:\n  - id: R\n    cite: 一\n"
					  "    require: far >= t[region, industry] and area > 0\n");
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 0, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 2);
	check_diag(err, 0, RULEBOOK_LINT,
		   "row t[一类, 15] of table 't' can never be used: the row t[一类, 13-20] before it "
		   "has all its keys", "t.yaml", 18, 9);
	check_diag(err, 1, RULEBOOK_LINT,
		   "rows t[一类, 13-20] and t[一类, 18-25] of table 't' overlap: for keys in both, the "
		   "first one applies", "t.yaml", 19, 9);
	rulebook_error_free(err);
	rulebook_free(rb);
}
END_TEST

/* ---- rules about rules ---- */

#define PARTS                                                                      \
	HDR "inputs:\n"                                                            \
	    "  - {id: far, type: number}\n"                                        \
	    "  - {id: green, type: number}\n"                                      \
	    "  - {id: office, type: number}\n"                                     \
	    "  - {id: kind, type: enum, values: [工业, 仓储]}\n"                   \
	    "rules:\n"                                                             \
	    "  - id: ALL\n    cite: 六\n    all_of: [FAR, GREEN, OFFICE]\n"        \
	    "    message: {pass: {zh: 四项指标均符合}, fail: {zh: 有指标不符合, en: 'a part fails'}}\n" \
	    "  - {id: FAR, cite: 一, require: far >= 1.0}\n"                       \
	    "  - {id: GREEN, cite: 二, require: green <= 20%}\n"                   \
	    "  - {id: OFFICE, cite: 三, when: kind == \"工业\", require: office <= 7%}\n" \
	    "  - {id: ANY, cite: 四, any_of: [FAR, GREEN]}\n"                       \
	    "  - {id: USES, cite: 五, require: met(FAR) or green <= 10%}\n"

START_TEST(test_all_of_any_of)
{
	run r = start(PARTS);
	size_t ALL = rule_at(r.rb, "ALL"), ANY = rule_at(r.rb, "ANY"), USES = rule_at(r.rb, "USES");
	again(&r, "{\"far\": 1.2, \"green\": 0.15, \"office\": 0.05, \"kind\": \"工业\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_message(r.res, ALL, "zh"), "四项指标均符合");
	/* the pass message has no English: the Chinese one is used */
	ck_assert_str_eq(rulebook_result_message(r.res, ALL, "en"), "四项指标均符合");
	ck_assert_int_eq(rulebook_result_verdict(r.res, ANY), RULEBOOK_PASS);
	/* two parts fail: both are listed with their gaps (1.0 - 0.8; 20 % - 25 %) */
	again(&r, "{\"far\": 0.8, \"green\": 0.25, \"office\": 0.05, \"kind\": \"工业\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_message(r.res, ALL, "en"), "a part fails");
	ck_assert_int_eq(rulebook_result_verdict(r.res, ANY), RULEBOOK_FAIL);
	const char *json = json_of(&r);
	ck_assert(contains(json, "\"all_of\":[{\"rule\":\"FAR\",\"verdict\":\"fail\",\"cite\":\"一\",\"gap\":\"+0.2\"},"
				 "{\"rule\":\"GREEN\",\"verdict\":\"fail\",\"cite\":\"二\",\"gap\":\"-0.05\"},"
				 "{\"rule\":\"OFFICE\",\"verdict\":\"pass\",\"cite\":\"三\",\"gap\":null}]"));
	ck_assert(contains(json, "\"any_of\":[{\"rule\":\"FAR\""));
	const char *text = explain_of(&r, RULEBOOK_OUT_LANG_EN);
	ck_assert(contains(text, "  all of FAR (clause 一): FAIL, gap +0.2\n"));
	ck_assert(contains(text, "    GREEN (clause 二): FAIL, gap -0.05\n"));
	/* one of two is enough for any_of */
	again(&r, "{\"far\": 0.8, \"green\": 0.15, \"office\": 0.05, \"kind\": \"工业\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ANY), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_FAIL);
	/* a part that does not apply counts as met */
	again(&r, "{\"far\": 1.2, \"green\": 0.15, \"kind\": \"仓储\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_PASS);
	/* an unknown part makes the whole unknown, naming what is missing */
	again(&r, "{\"green\": 0.15, \"office\": 0.05, \"kind\": \"工业\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(r.res, ALL), 1);
	ck_assert_str_eq(rulebook_result_missing(r.res, ALL, 0), "far");
	/* ...unless another part already fails */
	again(&r, "{\"green\": 0.3, \"office\": 0.05, \"kind\": \"工业\"}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, ALL), RULEBOOK_FAIL);
	/* met() in an expression */
	again(&r, "{\"far\": 0.8, \"green\": 0.05}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, USES), RULEBOOK_PASS);
	again(&r, "{\"far\": 0.8, \"green\": 0.15}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, USES), RULEBOOK_FAIL);
	again(&r, "{\"far\": 1, \"green\": 0.15}", 20230101);
	ck_assert_int_eq(rulebook_result_verdict(r.res, USES), RULEBOOK_PASS);
	stop(&r);
}
END_TEST

START_TEST(test_parts_fast_path_identical)
{
	run r = start(PARTS);
	rulebook_result *exact = rulebook_result_new(r.rb);
	ck_assert_ptr_nonnull(exact);
	rulebook_result_set_exact_only(exact, 1);
	static const char *const recs[] = {
		"{\"far\": 1.0, \"green\": 0.2, \"office\": 0.07, \"kind\": \"工业\"}",
		"{\"far\": 0.9999, \"green\": 0.2001, \"office\": 0.07, \"kind\": \"工业\"}",
		"{\"far\": 3, \"green\": 0.1, \"kind\": \"仓储\"}",
		"{\"green\": 0.5, \"office\": 0.01}",
	};
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		rulebook_facts_clear(r.f);
		set_json(r.f, recs[i]);
		eval_ok(r.rb, r.f, 20230601, r.res);
		eval_ok(r.rb, r.f, 20230601, exact);
		for (size_t k = 0; k < rulebook_rule_count(r.rb); k++)
			ck_assert_int_eq(rulebook_result_verdict(r.res, k),
					 rulebook_result_verdict(exact, k));
	}
	rulebook_result_free(exact);
	stop(&r);
}
END_TEST

START_TEST(test_parts_errors)
{
	/* line 7 is the first rule; columns count bytes (一 is three) */
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, all_of: [B]}\n"
			      "  - {id: B, cite: 二, require: met(A)}\n",
			  RULEBOOK_ERR_CYCLE, "rule 'A' depends on itself through all_of, any_of or met()",
			  7, 10);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, all_of: [A]}\n", RULEBOOK_ERR_CYCLE,
			  "rule 'A' depends on itself", 7, 10);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, all_of: [NOPE]}\n", RULEBOOK_ERR_NAME,
			  "'NOPE' in all_of of rule 'A' is not a rule of this rulebook", 7, 33);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, require: met(NOPE)}\n", RULEBOOK_ERR_NAME,
			  "met(): 'NOPE' is not a rule of this rulebook", 7, 37);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, require: met(1)}\n", RULEBOOK_ERR_NAME,
			  "met() takes the id of a rule", 7, 37);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, all_of: []}\n", RULEBOOK_ERR_SCHEMA,
			  "all_of of rule 'A' is empty", 7, 32);
	expect_load_error(HDR "rules:\n  - {id: A, cite: 一, all_of: [B], any_of: [B]}\n"
			      "  - {id: B, cite: 二}\n",
			  RULEBOOK_ERR_SCHEMA, "has both all_of and any_of", 7, 10);
}
END_TEST

/* ---- messages ---- */

START_TEST(test_message_formats)
{
	/* 12345.678 ÷ 1 with: the default (4 places, zeros dropped), 2 places,
	 * thousands, 0 places rounded down, 3 places padded */
	run r = start(HDR "inputs:\n  - {id: x, type: number, unit: 万元}\n"
			  "rules:\n  - id: R\n    cite: 一\n    require: x > 0 [万元]\n"
			  "    obligations:\n      - {id: pay, value: x / 3, unit: 万元}\n"
			  "    message:\n"
			  "      zh: '{x}|{x:.2}|{x:,.2}|{x:,.0d}|{x:.3}|{pay}|{pay:.2c}'\n"
			  "      fail: {zh: '不符合 {x:,}'}\n");
	again(&r, "{\"x\": 12345.678}", 20230101);
	/* 12345.678 / 3 = 4115.226: shown with 4 places as 4115.226, up to 2
	 * places (ceiling) 4115.23 */
	ck_assert_str_eq(rulebook_result_message(r.res, 0, "zh"),
			 "12345.678 万元|12345.68 万元|12,345.68 万元|12,345 万元|12345.678 万元|"
			 "4115.226 万元|4115.23 万元");
	again(&r, "{\"x\": 10}", 20230101);
	/* 10 / 3 = 3.333333333333333333: 4 places by default, as values are */
	ck_assert_str_eq(rulebook_result_message(r.res, 0, "zh"),
			 "10 万元|10.00 万元|10.00 万元|10 万元|10.000 万元|3.3333 万元|3.34 万元");
	again(&r, "{\"x\": -1234567}", 20230101);
	/* the fail message; without {gap} in it the gap (0 - (-1234567), strictly
	 * more) is appended */
	ck_assert_str_eq(rulebook_result_message(r.res, 0, "zh"),
			 "不符合 -1,234,567 万元（差距 >+1234567 万元）");
	stop(&r);
	expect_load_error(HDR "inputs:\n  - {id: x, type: number}\n"
			      "rules:\n  - {id: R, cite: 一, require: x > 0, message: {zh: '值 {x:.x}'}}\n",
			  RULEBOOK_ERR_EXPR, "display format '.x' in the message of rule 'R'", 9, 62);
}
END_TEST

/* ---- several documents ---- */

#define DOCS                                                                       \
	"rulebook: 1\nid: t\ntitle: {zh: 测试}\nsubject: project\n"                \
	"sources:\n"                                                               \
	"  - {id: std2008, issuer: 国土资源部, title: 工业项目建设用地控制指标,\n"   \
	"     number: 国土资发〔2008〕24号, issued: 2008-01-31}\n"                  \
	"  - {id: zj2021, issuer: 浙江省自然资源厅, title: 标准地控制性指标（测试）,\n" \
	"     number: 浙自然资规〔2021〕1号, issued: 2021-06-01, in_force: {from: 2021-07-01}}\n" \
	"inputs:\n  - {id: far, type: number}\n"                                   \
	"rules:\n"                                                                 \
	"  - {id: A, cite: {document: std2008, clause: 表2}, require: far >= 1}\n"  \
	"  - {id: B, cite: {document: zj2021, clause: 第六条}, require: far >= 1.2}\n" \
	"  - {id: C, cite: 第七条, require: far >= 0}\n"

START_TEST(test_documents)
{
	run r = start(DOCS);
	ck_assert_uint_eq(rulebook_document_count(r.rb), 2);
	ck_assert_str_eq(rulebook_document_id(r.rb, 1), "zj2021");
	ck_assert_str_eq(rulebook_document_issuer(r.rb, 0), "国土资源部");
	ck_assert_str_eq(rulebook_document_title(r.rb, 0), "工业项目建设用地控制指标");
	ck_assert_str_eq(rulebook_document_number(r.rb, 0), "国土资发〔2008〕24号");
	ck_assert_int_eq(rulebook_document_issued(r.rb, 1), 20210601);
	ck_assert_ptr_null(rulebook_document_title(r.rb, 2));
	ck_assert_ptr_null(rulebook_document_title(NULL, 0));
	ck_assert_int_eq(rulebook_document_issued(r.rb, 2), 0);
	ck_assert_uint_eq(rulebook_document_count(NULL), 0);
	/* A and B name their documents; C, a plain clause, is of the first */
	ck_assert_int_eq(rulebook_rule_document(r.rb, 0), 0);
	ck_assert_int_eq(rulebook_rule_document(r.rb, 1), 1);
	ck_assert_int_eq(rulebook_rule_document(r.rb, 2), 0);
	ck_assert_int_eq(rulebook_rule_document(r.rb, 3), -1);
	ck_assert_int_eq(rulebook_rule_document(NULL, 0), -1);
	again(&r, "{\"far\": 1.1}", 20230101);
	const char *json = json_of(&r);
	/* the full titles once, then an index per rule */
	ck_assert(contains(json, "\"documents\":[{\"id\":\"std2008\",\"issuer\":\"国土资源部\","
				 "\"title\":\"工业项目建设用地控制指标\",\"number\":\"国土资发〔2008〕24号\","
				 "\"issued\":\"2008-01-31\",\"in_force\":null,\"url\":null,\"file\":\"t.yaml\"},"
				 "{\"id\":\"zj2021\""));
	ck_assert(contains(json, "\"in_force\":{\"from\":\"2021-07-01\",\"until\":null}"));
	ck_assert(contains(json, "\"id\":\"B\",\"verdict\":\"fail\""));
	ck_assert(contains(json, "\"cite\":\"第六条\",\"document\":1,"));
	const char *text = explain_of(&r, 0);
	ck_assert(contains(text, "[1] 国土资源部《工业项目建设用地控制指标》（国土资发〔2008〕24号）\n"));
	ck_assert(contains(text, "[2] 浙江省自然资源厅《标准地控制性指标（测试）》（浙自然资规〔2021〕1号）\n"));
	ck_assert(contains(text, "[未达标] B（条款 第六条 [2]）\n"));
	stop(&r);
}
END_TEST

START_TEST(test_documents_errors)
{
	/* line 10: the rule; the clause starts at byte column 44 */
	expect_load_error("rulebook: 1\nid: t\ntitle: {zh: 测试}\nsubject: project\n"
			  "sources:\n  - {id: a, issuer: 甲, title: 文件, issued: 2020-01-01}\n"
			  "inputs:\n  - {id: far, type: number}\n"
			  "rules:\n  - {id: A, cite: {document: nope, clause: 表2}, require: far >= 1}\n",
			  RULEBOOK_ERR_NAME,
			  "the citation names document 'nope', which is not among the sources of t.yaml",
			  10, 44);
	expect_load_error("rulebook: 1\nid: t\ntitle: {zh: 测试}\nsubject: project\n"
			  "rules:\n  - {id: A, cite: 一}\n",
			  RULEBOOK_ERR_SCHEMA, "missing required key 'source' in the rulebook", 1, 1);
	expect_load_error("rulebook: 1\nid: t\ntitle: {zh: 测试}\nsubject: project\n"
			  "sources:\n  - {id: a, issuer: 甲, title: 文件, issued: 2020-01-01}\n"
			  "  - {id: a, issuer: 乙, title: 文件, issued: 2020-01-01}\n",
			  RULEBOOK_ERR_NAME, "source 'a' is listed twice", 7, 10);
}
END_TEST

/* Targets, scorecards (their vetoes and consequences), exceptions and
 * aggregates name the documents of their citations too. */
#define DOCS_ITEMS                                                                 \
	"rulebook: 1\nid: t\ntitle: {zh: 测试}\nsubject: project\n"                \
	"sources:\n"                                                               \
	"  - {id: std2008, issuer: 国土资源部, title: 工业项目建设用地控制指标,\n"   \
	"     number: 国土资发〔2008〕24号, issued: 2008-01-31}\n"                  \
	"  - {id: zj2021, issuer: 浙江省自然资源厅, title: 标准地控制性指标（测试）,\n" \
	"     number: 浙自然资规〔2021〕1号, issued: 2021-06-01}\n"                 \
	"inputs:\n  - {id: far, type: number}\n  - {id: bad, type: boolean}\n"    \
	"rules:\n"                                                                 \
	"  - id: A\n    cite: {document: std2008, clause: 表2}\n    require: far >= 1\n" \
	"    unless: [{id: pilot, when: bad, cite: {document: zj2021, clause: 第九条}}]\n" \
	"targets:\n"                                                               \
	"  - {id: T, cite: {document: zj2021, clause: 第二条}, measure: far, target: 2,\n" \
	"     period: {from: 2021-01-01, until: 2023-12-31}}\n"                    \
	"scorecards:\n"                                                            \
	"  - id: S\n    cite: {document: zj2021, clause: 第十条}\n"                  \
	"    components: [{id: f, value: far, benchmark: 1, weight: 100}]\n"        \
	"    vetoes: [{id: v, when: bad, cite: {document: std2008, clause: 第五条}, class: D}]\n" \
	"    classes: [{id: A, min: 90}, {id: D}]\n"                                \
	"    consequences: [{id: c, class: D, value: 1, cite: {document: std2008, clause: 第六条}}]\n" \
	"aggregates:\n"                                                            \
	"  - {id: G, cite: {document: zj2021, clause: 第三条}, measure: count}\n"

START_TEST(test_documents_of_items)
{
	run r = start(DOCS_ITEMS);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_RULE, 0), 0);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_TARGET, 0), 1);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_SCORECARD, 0), 1);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_AGGREGATE, 0), 1);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_INDICATOR, 0), -1);
	ck_assert_int_eq(rulebook_item_document(r.rb, RULEBOOK_ITEM_TARGET, 1), -1);
	ck_assert_int_eq(rulebook_item_document(NULL, RULEBOOK_ITEM_RULE, 0), -1);
	/* exempt by pilot (zj2021), vetoed by v (std2008) with consequence c */
	again(&r, "{\"far\": 0.5, \"bad\": true}", 20230101);
	const char *json = json_of(&r);
	ck_assert_msg(contains(json, "\"exception\":{\"id\":\"pilot\",\"cite\":\"第九条\",\"document\":1}"), "%s", json);
	ck_assert_msg(contains(json, "\"cite\":\"第二条\",\"document\":1"), "%s", json);
	ck_assert_msg(contains(json, "\"cite\":\"第十条\",\"document\":1,\"veto_cite\":\"第五条\",\"veto_document\":0"), "%s", json);
	ck_assert_msg(contains(json, "\"id\":\"c\",\"value\":\"1\",\"unit\":\"\",\"cite\":\"第六条\",\"document\":0}"), "%s", json);
	/* the explanation lists the documents once, then [n] after each clause */
	const char *text = explain_of(&r, 0);
	ck_assert_msg(contains(text, "[1] 国土资源部《工业项目建设用地控制指标》（国土资发〔2008〕24号）"), "%s", text);
	ck_assert_msg(contains(text, "[2] 浙江省自然资源厅《标准地控制性指标（测试）》"), "%s", text);
	ck_assert_msg(contains(text, "适用例外 pilot（条款 第九条 [2]）"), "%s", text);
	ck_assert_msg(contains(text, "T（条款 第二条 [2]）"), "%s", text);
	ck_assert_msg(contains(text, "S（条款 第十条 [2]）"), "%s", text);
	ck_assert_msg(contains(text, "一票否决：v（条款 第五条 [1]）"), "%s", text);
	ck_assert_msg(contains(text, "后果 c：1 （条款 第六条 [1]）"), "%s", text);
	/* the population's JSON: the documents once, the aggregate's index */
	rulebook_population *pop = rulebook_population_new(r.rb, 20230101);
	ck_assert_int_eq(rulebook_population_add(pop, r.f, NULL), RULEBOOK_OK);
	const char *pj = NULL;
	ck_assert_int_eq(rulebook_population_json(pop, 0, &pj, NULL), RULEBOOK_OK);
	ck_assert_msg(contains(pj, "\"documents\":[{\"id\":\"std2008\""), "%s", pj);
	ck_assert_msg(contains(pj, "\"id\":\"G\",\"cite\":\"第三条\",\"document\":1"), "%s", pj);
	rulebook_population_free(pop);
	stop(&r);
}
END_TEST

/* A parent's documents stay its own: an inherited rule cites the parent's
 * document, an override the child's. */
START_TEST(test_documents_extends)
{
	run r = start_fixture("tables-child.yaml");
	ck_assert_uint_eq(rulebook_document_count(r.rb), 2);
	int64_t far = rulebook_rule_document(r.rb, rule_at(r.rb, "FAR"));
	ck_assert_int_ge(far, 0);
	ck_assert_str_eq(rulebook_document_title(r.rb, (size_t)far), "工业项目建设用地控制指标（测试）");
	ck_assert_str_eq(rulebook_document_issuer(r.rb, (size_t)far), "测试部");
	again(&r, "{\"industry\": 26, \"far\": 1}", 20230101);
	const char *json = json_of(&r);
	/* far_min[26] comes from the child's override */
	char want[128];
	snprintf(want, sizeof want, "\"cite\":\"细则 第3条\",\"document\":%d,", far == 0 ? 1 : 0);
	ck_assert(contains(json, want));
	ck_assert(contains(json, "\"title\":\"实施细则（测试）\""));
	stop(&r);
}
END_TEST

static Suite *language_suite(void)
{
	Suite *s = suite_create("language");
	TCase *tc = tcase_create("strict_targets");
	tcase_add_test(tc, test_target_above_exactly_at_goal);
	tcase_add_test(tc, test_target_direction_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("test_places");
	tcase_add_test(tc, test_places_pass_and_fail);
	tcase_add_test(tc, test_places_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("absent_and_illustrative");
	tcase_add_test(tc, test_absent_value_unknown_naming_it);
	tcase_add_test(tc, test_illustrative_only_on_the_branch_taken);
	tcase_add_test(tc, test_absent_needs_note);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_test(tc, test_table_one_key);
	tcase_add_test(tc, test_table_two_keys_dated_default);
	tcase_add_test(tc, test_table_fast_path_identical);
	tcase_add_test(tc, test_table_extends_override);
	tcase_add_test(tc, test_table_errors);
	tcase_add_test(tc, test_table_in_message);
	tcase_add_test(tc, test_table_lint);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules_about_rules");
	tcase_add_test(tc, test_all_of_any_of);
	tcase_add_test(tc, test_parts_fast_path_identical);
	tcase_add_test(tc, test_parts_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("documents");
	tcase_add_test(tc, test_documents);
	tcase_add_test(tc, test_documents_errors);
	tcase_add_test(tc, test_documents_extends);
	tcase_add_test(tc, test_documents_of_items);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_test(tc, test_message_formats);
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
