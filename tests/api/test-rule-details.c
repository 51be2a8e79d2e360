/* A rulebook's test cases as data, the test report's columns, where a rule
 * is written, the values a rule used, its comparisons measured whether
 * they hold or not, and JSON strings. Every expected figure is worked out
 * by hand in the comment beside it. */
#include "common.h"

#include <string.h>

/* HDR is lines 1-5. */
#define BOOK                                                                      \
	HDR                                                                       \
	"inputs:\n"                                                               \
	"  - {id: tax, type: number, unit: 万元}\n"                               \
	"  - {id: land_area, type: number, unit: 亩}\n"                           \
	"  - {id: employees, type: integer, unit: 人}\n"                          \
	"parameters:\n"                                                           \
	"  - {id: min_mu_tax, unit: 万元/亩, cite: 一, provenance: cited, value: 37}\n" \
	"indicators:\n"                                                           \
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"                \
	"aggregates:\n"                                                           \
	"  - {id: A1, cite: 一, measure: sum, value: tax, unit: 万元, require: 'value >= 1000 [万元]'}\n" \
	"rules:\n"                                                                \
	"  - {id: T1, cite: 一, require: mu_tax >= min_mu_tax}\n"                 \
	"  - {id: T2, cite: 一, require: 'employees > 10 and tax / land_area >= 37 [万元/亩]'}\n" \
	"tests:\n"                                                                \
	"  - name: below\n"                                                       \
	"    as_of: 2023-06-30\n"                                                 \
	"    facts: {_id: 'q\"x', tax: 1000, land_area: 30, employees: null}\n"   \
	"    expect:\n"                                                           \
	"      verdicts: {T1: fail, T2: fail}\n"                               \
	"      values: {mu_tax: {value: 33.33, places: 2}}\n"                     \
	"  - name: two firms\n"                                                   \
	"    as_of: 2023-06-30\n"                                                 \
	"    records:\n"                                                          \
	"      - {_id: A, tax: 1110, land_area: 30}\n"                            \
	"      - {_id: B, tax: 10.5 万元, land_area: 1}\n"                        \
	"    expect: {aggregates: {A1: pass}, aggregate_values: {A1: 1120.5}}\n"

/* Line numbers of BOOK, counted by hand: inputs 6-9, parameters 10-11,
 * indicators 12-13, aggregates 14-15, rules 16-18 (T1 on 17, T2 on 18),
 * tests 19-: "below" 20-25, "two firms" 26-32. */

START_TEST(test_cases_as_data)
{
	rulebook *rb = load_str(BOOK);
	ck_assert_uint_eq(rulebook_test_count(rb), 2);
	ck_assert_str_eq(rulebook_test_name(rb, 0), "below");
	ck_assert_int_eq(rulebook_test_as_of(rb, 0), 20230630);
	ck_assert_uint_eq(rulebook_test_line(rb, 0), 20);
	ck_assert_uint_eq(rulebook_test_column(rb, 0), 11); /* "  - name: below": 'b' is byte 11 */
	ck_assert_int_eq(rulebook_test_is_population(rb, 0), 0);
	ck_assert_uint_eq(rulebook_test_record_count(rb, 0), 1);
	ck_assert_uint_eq(rulebook_test_fact_count(rb, 0, 0), 4);
	ck_assert_str_eq(rulebook_test_fact_name(rb, 0, 0, 0), "_id");
	ck_assert_str_eq(rulebook_test_fact_value(rb, 0, 0, 0), "q\"x"); /* as written, not pasted */
	ck_assert_str_eq(rulebook_test_fact_name(rb, 0, 0, 1), "tax");
	ck_assert_str_eq(rulebook_test_fact_value(rb, 0, 0, 1), "1000");
	ck_assert_ptr_null(rulebook_test_fact_value(rb, 0, 0, 3)); /* employees: null */
	ck_assert_uint_eq(rulebook_test_fact_line(rb, 0, 0, 1), 22);
	/* "    facts: {_id: 'q\"x', tax: ...": '{' is byte 12, "_id" 13, "tax" 25 */
	ck_assert_uint_eq(rulebook_test_fact_column(rb, 0, 0, 0), 13);
	ck_assert_uint_eq(rulebook_test_fact_column(rb, 0, 0, 1), 25);
	/* expectations: the verdicts first, then the values */
	ck_assert_uint_eq(rulebook_test_expect_count(rb, 0), 3);
	ck_assert_int_eq(rulebook_test_expect_kind(rb, 0, 0), RULEBOOK_EXPECT_VERDICT);
	ck_assert_str_eq(rulebook_test_expect_name(rb, 0, 1), "T2");
	/* employees is missing, but 1000 / 30 < 37 fails the 'and' anyway */
	ck_assert_str_eq(rulebook_test_expect_value(rb, 0, 1), "fail");
	ck_assert_int_eq(rulebook_test_expect_places(rb, 0, 1), -1);
	ck_assert_int_eq(rulebook_test_expect_kind(rb, 0, 2), RULEBOOK_EXPECT_VALUE);
	ck_assert_str_eq(rulebook_test_expect_name(rb, 0, 2), "mu_tax");
	ck_assert_str_eq(rulebook_test_expect_value(rb, 0, 2), "33.33");
	ck_assert_int_eq(rulebook_test_expect_places(rb, 0, 2), 2);
	/* "      verdicts: {T1: fail, T2: fail}": "fail" at byte 22 */
	ck_assert_uint_eq(rulebook_test_expect_line(rb, 0, 0), 24);
	ck_assert_uint_eq(rulebook_test_expect_column(rb, 0, 0), 22);
	/* "      values: {mu_tax: {value: 33.33, places: 2}}": 33.33 at byte 32 */
	ck_assert_uint_eq(rulebook_test_expect_line(rb, 0, 2), 25);
	ck_assert_uint_eq(rulebook_test_expect_column(rb, 0, 2), 32);

	/* the population case */
	ck_assert_int_eq(rulebook_test_is_population(rb, 1), 1);
	ck_assert_uint_eq(rulebook_test_record_count(rb, 1), 2);
	ck_assert_uint_eq(rulebook_test_fact_count(rb, 1, 1), 3);
	ck_assert_str_eq(rulebook_test_fact_value(rb, 1, 1, 1), "10.5 万元");
	ck_assert_uint_eq(rulebook_test_fact_line(rb, 1, 1, 1), 30);
	ck_assert_uint_eq(rulebook_test_expect_count(rb, 1), 2);
	ck_assert_int_eq(rulebook_test_expect_kind(rb, 1, 0), RULEBOOK_EXPECT_AGGREGATE);
	ck_assert_int_eq(rulebook_test_expect_kind(rb, 1, 1), RULEBOOK_EXPECT_AGGREGATE_VALUE);
	ck_assert_str_eq(rulebook_test_expect_value(rb, 1, 1), "1120.5"); /* 1110 + 10.5 */

	/* out of range, and NULL */
	ck_assert_ptr_null(rulebook_test_name(rb, 2));
	ck_assert_int_eq(rulebook_test_as_of(rb, 2), 0);
	ck_assert_uint_eq(rulebook_test_line(rb, 2), 0);
	ck_assert_uint_eq(rulebook_test_column(rb, 2), 0);
	ck_assert_int_eq(rulebook_test_is_population(rb, 2), -1);
	ck_assert_uint_eq(rulebook_test_record_count(rb, 2), 0);
	ck_assert_uint_eq(rulebook_test_fact_count(rb, 0, 1), 0); /* one record only */
	ck_assert_uint_eq(rulebook_test_fact_count(rb, 1, 2), 0);
	ck_assert_ptr_null(rulebook_test_fact_name(rb, 0, 0, 4));
	ck_assert_ptr_null(rulebook_test_fact_value(rb, 0, 1, 0));
	ck_assert_uint_eq(rulebook_test_fact_line(rb, 0, 0, 4), 0);
	ck_assert_uint_eq(rulebook_test_fact_column(rb, 0, 0, 4), 0);
	ck_assert_uint_eq(rulebook_test_expect_count(rb, 2), 0);
	ck_assert_int_eq(rulebook_test_expect_kind(rb, 0, 3), -1);
	ck_assert_ptr_null(rulebook_test_expect_name(rb, 0, 3));
	ck_assert_ptr_null(rulebook_test_expect_value(rb, 0, 3));
	ck_assert_int_eq(rulebook_test_expect_places(rb, 0, 3), -1);
	ck_assert_uint_eq(rulebook_test_expect_line(rb, 0, 3), 0);
	ck_assert_uint_eq(rulebook_test_expect_column(rb, 0, 3), 0);
	ck_assert_uint_eq(rulebook_test_count(NULL), 0);
	ck_assert_ptr_null(rulebook_test_name(NULL, 0));

	/* the cases pass: run them (1000/30 = 33.333… rounds to 33.33) */
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 5);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_report_columns)
{
	/* a failed verdict and a fact that is not a number */
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: x, type: number}\n"
				"rules:\n"
				"  - {id: R, cite: 一, require: x >= 10}\n"
				"tests:\n"
				"  - name: low\n"
				"    as_of: 2023-06-30\n"
				"    facts: {x: 5}\n"
				"    expect: {verdicts: {R:   pass}}\n"
				"  - name: bad\n"
				"    as_of: 2023-06-30\n"
				"    facts: {x: abc}\n"
				"    expect: {verdicts: {R: pass}}\n");
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_ERR_TEST);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 2);
	/* line 14 "    expect: {verdicts: {R:   pass}}": "pass" at byte 30 */
	ck_assert_uint_eq(rulebook_test_report_line(rep, 0), 14);
	ck_assert_uint_eq(rulebook_test_report_column(rep, 0), 30);
	/* line 17 "    facts: {x: abc}": "abc" at byte 16 */
	ck_assert_uint_eq(rulebook_test_report_line(rep, 1), 17);
	ck_assert_uint_eq(rulebook_test_report_column(rep, 1), 16);
	ck_assert_uint_eq(rulebook_test_report_column(rep, 2), 0);
	ck_assert_uint_eq(rulebook_test_report_column(NULL, 0), 0);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_rule_position)
{
	rulebook *rb = load_str(BOOK);
	/* "  - {id: T1, ...": the id T1 is at byte 10 of line 17 */
	ck_assert_str_eq(rulebook_item_file(rb, RULEBOOK_ITEM_RULE, 0), "t.yaml");
	ck_assert_uint_eq(rulebook_item_line(rb, RULEBOOK_ITEM_RULE, 0), 17);
	ck_assert_uint_eq(rulebook_item_column(rb, RULEBOOK_ITEM_RULE, 0), 10);
	ck_assert_uint_eq(rulebook_item_line(rb, RULEBOOK_ITEM_RULE, 1), 18);
	/* the indicator, line 13: "  - {id: mu_tax": byte 10 */
	ck_assert_uint_eq(rulebook_item_column(rb, RULEBOOK_ITEM_INDICATOR, 0), 10);
	ck_assert_uint_eq(rulebook_item_column(rb, RULEBOOK_ITEM_RULE, 2), 0);
	ck_assert_uint_eq(rulebook_item_column(rb, (rulebook_item_kind)9, 0), 0);
	ck_assert_uint_eq(rulebook_item_column(NULL, RULEBOOK_ITEM_RULE, 0), 0);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_values_used)
{
	rulebook *rb = load_str(BOOK);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	/* T1 uses mu_tax, min_mu_tax and through mu_tax tax and land_area */
	ck_assert_uint_eq(rulebook_result_used_count(res, 0), 4);
	ck_assert_ptr_null(rulebook_result_used_value(res, 0, 0)); /* before any evaluation */
	set_json(f, "{\"tax\": 1110, \"land_area\": 30}");
	eval_ok(rb, f, 20230630, res);
	size_t seen = 0;
	for (size_t j = 0; j < rulebook_result_used_count(res, 0); j++) {
		const char *n = rulebook_result_used_name(res, 0, j);
		const char *kind = rulebook_result_used_kind(res, 0, j);
		const char *unit = rulebook_result_used_unit(res, 0, j);
		const char *v = rulebook_result_used_value(res, 0, j);
		if (strcmp(n, "mu_tax") == 0) {
			ck_assert_str_eq(kind, "indicator");
			ck_assert_str_eq(unit, "万元/亩");
			ck_assert_str_eq(v, "37"); /* 1110 / 30 */
			seen |= 1;
		} else if (strcmp(n, "min_mu_tax") == 0) {
			ck_assert_str_eq(kind, "parameter");
			ck_assert_str_eq(v, "37");
			seen |= 2;
		} else if (strcmp(n, "tax") == 0) {
			ck_assert_str_eq(kind, "input");
			ck_assert_str_eq(unit, "万元");
			ck_assert_str_eq(v, "1110");
			seen |= 4;
		} else if (strcmp(n, "land_area") == 0) {
			ck_assert_str_eq(v, "30");
			seen |= 8;
		}
	}
	ck_assert_uint_eq(seen, 15);
	/* T2: employees is missing, so its value is NULL */
	size_t nt2 = rulebook_result_used_count(res, 1);
	ck_assert_uint_eq(nt2, 3); /* employees, tax, land_area */
	for (size_t j = 0; j < nt2; j++)
		if (strcmp(rulebook_result_used_name(res, 1, j), "employees") == 0)
			ck_assert_ptr_null(rulebook_result_used_value(res, 1, j));
	ck_assert_ptr_null(rulebook_result_used_name(res, 0, 4));
	ck_assert_ptr_null(rulebook_result_used_kind(res, 0, 4));
	ck_assert_ptr_null(rulebook_result_used_unit(res, 0, 4));
	ck_assert_ptr_null(rulebook_result_used_value(res, 0, 4));
	ck_assert_uint_eq(rulebook_result_used_count(res, 2), 0);
	ck_assert_uint_eq(rulebook_result_used_count(NULL, 0), 0);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_comparisons)
{
	rulebook *rb = load_str(BOOK);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_uint_eq(rulebook_rule_comparison_count(rb, 0), 1);
	ck_assert_uint_eq(rulebook_rule_comparison_count(rb, 1), 2);
	ck_assert_uint_eq(rulebook_rule_comparison_count(rb, 2), 0);
	ck_assert_uint_eq(rulebook_rule_comparison_count(NULL, 0), 0);
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_VALUE));

	/* a pass: 1147 / 31 = 37 exactly, so the distance is 0 */
	set_json(f, "{\"tax\": 1147, \"land_area\": 31, \"employees\": 12}");
	eval_ok(rb, f, 20230630, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_VALUE), "0");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_ACTUAL), "37");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_THRESHOLD), "37");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_UNIT), "万元/亩");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_OPERATOR), ">=");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_NAME), "mu_tax");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_THRESHOLD_NAME),
			 "min_mu_tax");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_HOLDS), "true");
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_TEXT)); /* holds */
	/* T2's first comparison: employees > 10, strict; 10 - 12 = -2 */
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_OPERATOR), ">");
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_VALUE), "-2");
	ck_assert_ptr_null(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_THRESHOLD_NAME));
	/* the second: an expression against a literal, in the unit written */
	ck_assert_ptr_null(rulebook_result_comparison(res, 1, 1, RULEBOOK_GAP_NAME));
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 1, RULEBOOK_GAP_UNIT), "万元/亩");

	/* a fail: 1100 / 31 = 35.48387…, 37 - 35.483870967741935… */
	set_json(f, "{\"tax\": 1100, \"employees\": 10}");
	eval_ok(rb, f, 20230630, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_HOLDS), "false");
	/* 1100/31 to 18 digits is 35.4838709677419355; 37 minus it */
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_VALUE),
			 "1.5161290322580645");
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_TEXT), "+1.5161 万元/亩");
	/* the same as the gap part */
	ck_assert_str_eq(rulebook_result_gap_part(res, 0, 0, RULEBOOK_GAP_THRESHOLD_NAME),
			 "min_mu_tax");
	ck_assert_str_eq(rulebook_result_gap_part(res, 0, 0, RULEBOOK_GAP_HOLDS), "false");
	/* employees > 10 fails at 10 exactly: the gap is 0, strict */
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_VALUE), "0");
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_HOLDS), "false");
	ck_assert_str_eq(rulebook_result_comparison(res, 1, 0, RULEBOOK_GAP_TEXT), ">+0 人");

	/* a side that is missing: land_area gone, nothing to measure */
	set_json(f, "{\"land_area\": null}");
	eval_ok(rb, f, 20230630, res);
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_VALUE));
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_HOLDS));
	ck_assert_str_eq(rulebook_result_comparison(res, 0, 0, RULEBOOK_GAP_OPERATOR), ">=");

	/* out of range */
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 1, RULEBOOK_GAP_OPERATOR));
	ck_assert_ptr_null(rulebook_result_comparison(res, 2, 0, RULEBOOK_GAP_OPERATOR));
	ck_assert_ptr_null(rulebook_result_comparison(res, 0, 0, (rulebook_gap_field)99));
	ck_assert_ptr_null(rulebook_result_comparison(NULL, 0, 0, RULEBOOK_GAP_OPERATOR));
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_json_string)
{
	char buf[64];
	size_t len = 0;
	/* a quote, a backslash, a newline, a tab, U+0001 and 亩 (kept as UTF-8) */
	const char *text = "a\"b\\c\nd\te\001亩";
	ck_assert_int_eq(rulebook_json_string(text, strlen(text), buf, sizeof buf, &len),
			 RULEBOOK_OK);
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001亩\"");
	ck_assert_uint_eq(len, strlen(buf));
	/* a NUL inside the len bytes is escaped, not an end */
	ck_assert_int_eq(rulebook_json_string("a\0b", 3, buf, sizeof buf, &len), RULEBOOK_OK);
	ck_assert_str_eq(buf, "\"a\\u0000b\"");
	/* "\"abc\"" is 5 bytes: 5 are too few with the NUL */
	ck_assert_int_eq(rulebook_json_string("abc", 3, buf, 5, &len), RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(rulebook_json_string("abc", 3, buf, 6, &len), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_json_string(NULL, 0, buf, 6, &len), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_json_string("a", 1, NULL, 6, &len), RULEBOOK_ERR_INVALID);
}
END_TEST

START_TEST(test_lint_names_in_cases)
{
	/* every name a case expects must exist, and so must the verdicts and
	 * statuses it expects */
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: x, type: number}\n"
				"rules:\n"
				"  - {id: R, cite: 一, require: x >= 10}\n"
				"tests:\n"
				"  - name: c\n"
				"    as_of: 2023-06-30\n"
				"    facts: {x: 5}\n"
				"    expect:\n"
				"      verdicts: {R: passes}\n"
				"      obligations: {R.o: 1}\n"
				"      targets: {T9: met}\n"
				"      classes: {S9: A}\n"
				"      scores: {S9: 1}\n"
				"  - name: p\n"
				"    as_of: 2023-06-30\n"
				"    records: [{_id: A, x: 1}]\n"
				"    expect: {classes: {B.S9: A}, aggregates: {G9: pass}}\n");
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 0, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 7);
	/* "      verdicts: {R: passes}": the value at byte 21 */
	check_diag(err, 0, RULEBOOK_LINT, "test 'c' expects 'passes' of rule 'R', which is not a verdict",
		   "t.yaml", 15, 21);
	/* "      obligations: {R.o: 1}": the name at byte 21 */
	check_diag(err, 1, RULEBOOK_LINT,
		   "test 'c' expects obligation 'R.o', which is no obligation of a rule", "t.yaml",
		   16, 21);
	check_diag(err, 2, RULEBOOK_LINT, "test 'c' expects a status of 'T9', which is not a target",
		   "t.yaml", 17, 17);
	check_diag(err, 3, RULEBOOK_LINT, "test 'c' expects a class of 'S9', which is not a scorecard",
		   "t.yaml", 18, 17);
	check_diag(err, 4, RULEBOOK_LINT, "test 'c' expects a score of 'S9', which is not a scorecard",
		   "t.yaml", 19, 16);
	/* "    expect: {classes: {B.S9: A}, aggregates: {G9: pass}}": B.S9 at
	 * byte 24, G9 at 47; no record is called B, and there is no S9 */
	check_diag(err, 5, RULEBOOK_LINT,
		   "test 'p' expects a class of 'B.S9', which is not <record _id>.<scorecard>",
		   "t.yaml", 23, 24);
	check_diag(err, 6, RULEBOOK_LINT,
		   "test 'p' expects aggregate 'G9', which is not an aggregate", "t.yaml", 23, 47);
	rulebook_error_free(err);
	rulebook_free(rb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rule-details");
	TCase *tc = tcase_create("rule-details");
	tcase_add_test(tc, test_cases_as_data);
	tcase_add_test(tc, test_report_columns);
	tcase_add_test(tc, test_rule_position);
	tcase_add_test(tc, test_values_used);
	tcase_add_test(tc, test_comparisons);
	tcase_add_test(tc, test_json_string);
	tcase_add_test(tc, test_lint_names_in_cases);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
