/* A rulebook's own test cases: rulebook_run_tests and the report
 * accessors, over fixtures/selftest-pass.yaml (every check holds) and
 * fixtures/selftest-fail.yaml (four wrong expectations). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the failure of case_name whose check is check, or -1. */
static long find_failure(const rulebook_test_report *rep, const char *case_name, const char *check)
{
	for (size_t i = 0; i < rulebook_test_report_failed(rep); i++)
		if (strcmp(rulebook_test_report_case(rep, i), case_name) == 0 &&
		    contains(rulebook_test_report_check(rep, i), check))
			return (long)i;
	return -1;
}

START_TEST(test_all_cases_hold)
{
	rulebook *rb = load_fixture("selftest-pass.yaml");
	rulebook_error *err = rulebook_error_new();
	rulebook_test_report *rep = NULL;
	rulebook_status st = rulebook_run_tests(rb, &rep, err);
	ck_assert_ptr_nonnull(rep);
	for (size_t i = 0; i < rulebook_test_report_failed(rep); i++)
		fprintf(stderr, "%s: %s: expected %s, got %s\n", rulebook_test_report_case(rep, i),
			rulebook_test_report_check(rep, i), rulebook_test_report_expected(rep, i),
			rulebook_test_report_actual(rep, i));
	ck_assert_int_eq(st, RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	/* 3 + 5 + 4 expectations, one check each. */
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 12);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	ck_assert_ptr_null(rulebook_test_report_case(rep, 0));
	ck_assert_ptr_null(rulebook_test_report_check(rep, 0));
	ck_assert_ptr_null(rulebook_test_report_expected(rep, 0));
	ck_assert_ptr_null(rulebook_test_report_actual(rep, 0));
	ck_assert_uint_eq(rulebook_test_report_line(rep, 0), 0);
	rulebook_test_report_free(rep);
	rulebook_error_free(err);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_no_cases)
{
	rulebook *rb = load_str(HDR);
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 0);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

/* A record id with quotes is set as it is, never pasted into JSON: here
 * pasting would read "tax": "100" out of the id and make the case pass. */
START_TEST(test_record_id_with_quotes)
{
	rulebook *rb = load_str(HDR "inputs:\n  - {id: tax, type: number}\n"
				    "rules:\n  - {id: R, cite: c, require: tax >= 10}\n"
				    "tests:\n"
				    "  - name: quotes\n"
				    "    as_of: 2023-01-01\n"
				    "    facts: {tax: 1, _id: 'x\", \"tax\": \"100'}\n"
				    "    expect: {verdicts: {R: fail}}\n"
				    "  - name: no id\n"
				    "    as_of: 2023-01-01\n"
				    "    facts: {_id: null, tax: 10}\n"
				    "    expect: {verdicts: {R: pass}}\n");
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 2);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_wrong_expectations)
{
	rulebook *rb = load_fixture("selftest-fail.yaml");
	rulebook_error *err = rulebook_error_new();
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, err), RULEBOOK_ERR_TEST);
	ck_assert_ptr_nonnull(rep);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_TEST);
	ck_assert_uint_ge(rulebook_error_count(err), 1);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 1); /* mu_tax: 37 */
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 4);

	long i = find_failure(rep, "wrong verdict", "verdict of T1.mu_tax");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(rulebook_test_report_expected(rep, (size_t)i), "fail");
	ck_assert_str_eq(rulebook_test_report_actual(rep, (size_t)i), "pass");
	ck_assert_uint_gt(rulebook_test_report_line(rep, (size_t)i), 0);

	i = find_failure(rep, "wrong value and obligation", "value of mu_tax");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(rulebook_test_report_expected(rep, (size_t)i), "33");
	ck_assert_str_eq(rulebook_test_report_actual(rep, (size_t)i), "32.8");

	/* 1.2 × 15 亩 = 18 亩 */
	i = find_failure(rep, "wrong value and obligation", "P3.land_balance.compensating_land");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(rulebook_test_report_expected(rep, (size_t)i), "17 亩");
	const char *actual = rulebook_test_report_actual(rep, (size_t)i);
	ck_assert_msg(strcmp(actual, "18") == 0 || strcmp(actual, "18 亩") == 0, "actual '%s'", actual);

	i = find_failure(rep, "wrong exception", "verdict of T1.mu_tax");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(rulebook_test_report_expected(rep, (size_t)i), "exempt:other");
	ck_assert_str_eq(rulebook_test_report_actual(rep, (size_t)i), "exempt:key_chain");

	/* The error names the file. */
	ck_assert_str_eq(rulebook_error_file(err, 0), fixture_path("selftest-fail.yaml"));
	/* Out of range. */
	ck_assert_ptr_null(rulebook_test_report_case(rep, 4));
	ck_assert_uint_eq(rulebook_test_report_line(rep, 4), 0);
	rulebook_test_report_free(rep);
	rulebook_error_free(err);
	rulebook_free(rb);
}
END_TEST

/* The header: the line of the failed expectation. In selftest-fail.yaml the
 * failing expectations are on lines 35 (T1.mu_tax: fail), 43 (mu_tax: 33)
 * and 51 (T1.mu_tax: "exempt:other"). */
START_TEST(test_report_line_is_the_expectation_line)
{
	rulebook *rb = load_fixture("selftest-fail.yaml");
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_ERR_TEST);
	long a = find_failure(rep, "wrong verdict", "verdict of T1.mu_tax");
	long b = find_failure(rep, "wrong value and obligation", "value of mu_tax");
	long c = find_failure(rep, "wrong exception", "verdict of T1.mu_tax");
	ck_assert(a >= 0 && b >= 0 && c >= 0);
	uint32_t la = rulebook_test_report_line(rep, (size_t)a);
	uint32_t lb = rulebook_test_report_line(rep, (size_t)b);
	uint32_t lc = rulebook_test_report_line(rep, (size_t)c);
	/* Freed before checking, so that a failure leaks nothing under
	 * CK_FORK=no. */
	rulebook_test_report_free(rep);
	rulebook_free(rb);
	ck_assert_uint_eq(la, 35);
	ck_assert_uint_eq(lb, 43);
	ck_assert_uint_eq(lc, 51);
}
END_TEST

START_TEST(test_run_tests_invalid)
{
	rulebook_test_report *rep = (rulebook_test_report *)&rep;
	ck_assert_int_eq(rulebook_run_tests(NULL, &rep, NULL), RULEBOOK_ERR_INVALID);
	rulebook *rb = load_str(HDR);
	ck_assert_int_eq(rulebook_run_tests(rb, NULL, NULL), RULEBOOK_ERR_INVALID);
	rulebook_free(rb);
	ck_assert_uint_eq(rulebook_test_report_passed(NULL), 0);
	ck_assert_uint_eq(rulebook_test_report_failed(NULL), 0);
	ck_assert_ptr_null(rulebook_test_report_case(NULL, 0));
	rulebook_test_report_free(NULL);
}
END_TEST

static Suite *selftest_suite(void)
{
	Suite *s = suite_create("selftest");
	TCase *tc = tcase_create("selftest");
	tcase_add_test(tc, test_all_cases_hold);
	tcase_add_test(tc, test_no_cases);
	tcase_add_test(tc, test_record_id_with_quotes);
	tcase_add_test(tc, test_wrong_expectations);
	tcase_add_test(tc, test_run_tests_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("report_lines");
	tcase_add_test(tc, test_report_line_is_the_expectation_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(selftest_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
