/* Every verdict, in the order the format reference decides them, and dated
 * parameters switching on their `from` day. Uses fixtures/enterprise.yaml
 * (in force 2022-05-19 .. 2023-12-31). */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;
static size_t T1, E1, L1, S1;

static void setup(void)
{
	rb = load_fixture("enterprise.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(facts);
	ck_assert_ptr_nonnull(res);
	T1 = rule_at(rb, "T1.mu_tax");
	E1 = rule_at(rb, "E1.energy");
	L1 = rule_at(rb, "L1.land_balance");
	S1 = rule_at(rb, "S1.sector");
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
	ck_assert_int_eq(rulebook_result_as_of(res), as_of);
}

static rulebook_verdict V(size_t rule)
{
	return rulebook_result_verdict(res, rule);
}

/* The missing names of rule as a set: each of want (NULL-terminated) is
 * named exactly once and nothing else is. */
static void check_missing(size_t rule, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	ck_assert_uint_eq(rulebook_result_missing_count(res, rule), n);
	for (size_t i = 0; i < n; i++) {
		size_t seen = 0;
		for (size_t j = 0; j < n; j++) {
			const char *m = rulebook_result_missing(res, rule, j);
			ck_assert_ptr_nonnull(m);
			seen += strcmp(m, want[i]) == 0;
		}
		ck_assert_msg(seen == 1, "'%s' named %zu times", want[i], seen);
	}
	ck_assert_ptr_null(rulebook_result_missing(res, rule, n));
}

START_TEST(test_pass)
{
	/* 1158.1 / 31.3 = 37 exactly. */
	run("{\"tax\": 1158.1, \"land_area\": 31.3, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_PASS);
	ck_assert_ptr_null(rulebook_result_exception(res, T1));
	ck_assert_uint_eq(rulebook_result_missing_count(res, T1), 0);
	ck_assert_ptr_null(rulebook_result_gap(res, T1));
}
END_TEST

START_TEST(test_fail)
{
	/* 984 / 30 = 32.8 < 37. */
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_FAIL);
	ck_assert_ptr_null(rulebook_result_exception(res, T1));
	ck_assert_uint_eq(rulebook_result_missing_count(res, T1), 0);
}
END_TEST

START_TEST(test_not_applicable)
{
	run("{\"energy\": 0, \"converted_area\": 0, \"sector\": \"纺织\"}", 20230630);
	ck_assert_int_eq(V(E1), RULEBOOK_NOT_APPLICABLE);
	ck_assert_int_eq(V(L1), RULEBOOK_NOT_APPLICABLE);
	ck_assert_int_eq(V(S1), RULEBOOK_NOT_APPLICABLE);
	ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 0);
	/* A false 'when' decides even when the requirement's inputs are
	 * missing. */
	ck_assert_uint_eq(rulebook_result_missing_count(res, S1), 0);
}
END_TEST

START_TEST(test_exempt)
{
	/* Failing numbers, but the exception applies. */
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": true}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_EXEMPT);
	ck_assert_str_eq(rulebook_result_exception(res, T1), "key_chain");
	ck_assert_ptr_null(rulebook_result_gap(res, T1));
	/* The exception is decided before the requirement: exempt even when
	 * the requirement's inputs are missing. */
	run("{\"is_key_chain_project\": true}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_EXEMPT);
	ck_assert_str_eq(rulebook_result_exception(res, T1), "key_chain");
	ck_assert_uint_eq(rulebook_result_missing_count(res, T1), 0);
	/* Other rules name no exception. */
	ck_assert_ptr_null(rulebook_result_exception(res, E1));
	ck_assert_ptr_null(rulebook_result_exception(res, rulebook_rule_count(rb)));
}
END_TEST

START_TEST(test_unknown_missing_input)
{
	run("{\"tax\": 984, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_UNKNOWN);
	static const char *const want[] = {"land_area", NULL};
	check_missing(T1, want);

	run("{\"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_UNKNOWN);
	static const char *const want2[] = {"tax", "land_area", NULL};
	check_missing(T1, want2);

	/* An unknown 'when' makes the rule unknown. */
	ck_assert_int_eq(V(E1), RULEBOOK_UNKNOWN);
	static const char *const want3[] = {"energy", NULL};
	check_missing(E1, want3);

	/* Explicit null is missing too. */
	run("{\"tax\": 984, \"land_area\": null, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_UNKNOWN);
	check_missing(T1, want);
	/* Out of range. */
	ck_assert_uint_eq(rulebook_result_missing_count(res, 99), 0);
	ck_assert_ptr_null(rulebook_result_missing(res, 99, 0));
}
END_TEST

START_TEST(test_undecided_exception)
{
	/* require false, exception undecided: the exception might apply. */
	run("{\"tax\": 984, \"land_area\": 30}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_UNKNOWN);
	static const char *const want[] = {"is_key_chain_project", NULL};
	check_missing(T1, want);
	ck_assert_ptr_null(rulebook_result_exception(res, T1));
	/* require true, exception undecided: passes either way. */
	run("{\"tax\": 1158.1, \"land_area\": 31.3}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_PASS);
	ck_assert_uint_eq(rulebook_result_missing_count(res, T1), 0);
}
END_TEST

START_TEST(test_not_in_force)
{
	const char *json = "{\"tax\": 1158.1, \"land_area\": 31.3, \"is_key_chain_project\": false,"
			   " \"energy\": 900, \"converted_area\": 15, \"sector\": \"化工\", \"employees\": 12}";
	uint32_t counts[8];
	/* The day before the rulebook's from, and the day after its until. */
	static const int32_t outside[] = {20220518, 20240101, 10000101, 99991231};
	for (size_t k = 0; k < 4; k++) {
		run(json, outside[k]);
		for (size_t i = 0; i < rulebook_rule_count(rb); i++)
			ck_assert_int_eq(V(i), RULEBOOK_NOT_IN_FORCE);
		rulebook_result_counts(res, counts);
		ck_assert_uint_eq(counts[RULEBOOK_NOT_IN_FORCE], 4);
		ck_assert_uint_eq(rulebook_result_obligation_count(res, L1), 0);
	}
	/* First and last days are in force; S1 starts on 2023-01-01. */
	run(json, 20220519);
	ck_assert_int_eq(V(T1), RULEBOOK_PASS);
	ck_assert_int_eq(V(S1), RULEBOOK_NOT_IN_FORCE);
	run(json, 20221231);
	ck_assert_int_eq(V(S1), RULEBOOK_NOT_IN_FORCE);
	run(json, 20230101);
	ck_assert_int_eq(V(S1), RULEBOOK_PASS);
	run(json, 20231231);
	ck_assert_int_eq(V(T1), RULEBOOK_PASS);
	ck_assert_int_eq(V(S1), RULEBOOK_PASS);
	/* not_in_force comes first, before missing data. */
	run("{}", 20221231);
	ck_assert_int_eq(V(S1), RULEBOOK_NOT_IN_FORCE);
	ck_assert_int_eq(V(T1), RULEBOOK_UNKNOWN);
}
END_TEST

START_TEST(test_rule_until)
{
	rulebook *r = load_str(HDR
			       "inputs:\n"
			       "  - {id: x, type: number}\n"
			       "rules:\n"
			       "  - {id: R, cite: 一, require: x > 0, in_force: {from: 2023-01-01, until: 2023-06-30}}\n"
			       "  - {id: S, cite: 一, require: x > 0, in_force: {until: 2023-06-30}}\n");
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"x\": 1}");
	eval_ok(r, f, 20230630, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(o, 1), RULEBOOK_PASS);
	eval_ok(r, f, 20230701, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_NOT_IN_FORCE);
	ck_assert_int_eq(rulebook_result_verdict(o, 1), RULEBOOK_NOT_IN_FORCE);
	eval_ok(r, f, 20221231, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_NOT_IN_FORCE);
	ck_assert_int_eq(rulebook_result_verdict(o, 1), RULEBOOK_PASS);
	/* No rulebook window: any valid date. */
	eval_ok(r, f, 10000101, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 1), RULEBOOK_PASS);
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

START_TEST(test_error)
{
	/* land_area 0: division by zero. */
	run("{\"tax\": 984, \"land_area\": 0, \"is_key_chain_project\": false}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_ERROR);
	ck_assert_ptr_null(rulebook_result_value(res, "mu_tax"));
	ck_assert_ptr_null(rulebook_result_gap(res, T1));
	/* An exception that applies still wins. */
	run("{\"tax\": 984, \"land_area\": 0, \"is_key_chain_project\": true}", 20230630);
	ck_assert_int_eq(V(T1), RULEBOOK_EXEMPT);
}
END_TEST

START_TEST(test_counts)
{
	/* T1 fail, E1 pass (900 <= 1000), L1 pass, S1 fail (9 < 10). */
	run("{\"tax\": 984, \"land_area\": 30, \"is_key_chain_project\": false, \"energy\": 900,"
	    " \"converted_area\": 15, \"sector\": \"化工\", \"employees\": 9}",
	    20230630);
	uint32_t counts[8];
	memset(counts, 0xff, sizeof counts);
	rulebook_result_counts(res, counts);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 2);
	ck_assert_uint_eq(counts[RULEBOOK_FAIL], 2);
	ck_assert_uint_eq(counts[RULEBOOK_NOT_APPLICABLE], 0);
	ck_assert_uint_eq(counts[RULEBOOK_EXEMPT], 0);
	ck_assert_uint_eq(counts[RULEBOOK_UNKNOWN], 0);
	ck_assert_uint_eq(counts[RULEBOOK_NOT_IN_FORCE], 0);
	ck_assert_uint_eq(counts[RULEBOOK_ERROR], 0);
	/* Everything missing: T1 and E1 unknown, L1 unknown, S1 unknown. */
	run("{}", 20230630);
	rulebook_result_counts(res, counts);
	ck_assert_uint_eq(counts[RULEBOOK_UNKNOWN], 4);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 0);
	rulebook_result_counts(res, NULL); /* ignored */
}
END_TEST

START_TEST(test_bad_as_of)
{
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_eval(rb, facts, 20230230, res, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval(rb, facts, 0, res, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval(rb, facts, 2023063, res, NULL), RULEBOOK_ERR_INVALID);
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Dated parameters
 * ------------------------------------------------------------------------ */

static const char dated_yaml[] = HDR
	"inputs:\n"
	"  - {id: x, type: number, unit: tce(等价值)/万元}\n"
	"parameters:\n"
	"  - id: cap\n"
	"    unit: tce(等价值)/万元\n"
	"    cite: 三（一）4\n"
	"    provenance: cited\n"
	"    values:\n"
	"      - {from: 2023-01-01, value: 0.52}\n"
	"      - {from: 2024-01-01, value: 0.50}\n"
	"rules:\n"
	"  - {id: R, cite: 三（一）4, require: x <= cap}\n";

START_TEST(test_dated_parameter_switch)
{
	rulebook *r = load_str(dated_yaml);
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"x\": 0.51}");
	/* One result object reused across dates, in both directions. */
	static const struct {
		int32_t as_of;
		const char *cap;
		rulebook_verdict v;
	} cases[] = {
		{20221231, NULL, RULEBOOK_UNKNOWN},  /* before the first value */
		{20230101, "0.52", RULEBOOK_PASS},   /* on the day */
		{20231231, "0.52", RULEBOOK_PASS},   /* the day before the next */
		{20240101, "0.5", RULEBOOK_FAIL},    /* the next value, on its day */
		{20991231, "0.5", RULEBOOK_FAIL},
		{20231231, "0.52", RULEBOOK_PASS},   /* and back again */
		{20221231, NULL, RULEBOOK_UNKNOWN},
		{20240101, "0.5", RULEBOOK_FAIL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		eval_ok(r, f, cases[i].as_of, o);
		ck_assert_msg(rulebook_result_verdict(o, 0) == cases[i].v, "as of %d: %s", cases[i].as_of,
			      rulebook_verdict_str(rulebook_result_verdict(o, 0)));
		const char *cap = rulebook_result_value(o, "cap");
		if (cases[i].cap)
			ck_assert_str_eq(cap, cases[i].cap);
		else
			ck_assert_ptr_null(cap);
	}
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

START_TEST(test_parameter_without_value_is_named)
{
	rulebook *r = load_str(dated_yaml);
	rulebook_facts *f = rulebook_facts_new(r);
	rulebook_result *o = rulebook_result_new(r);
	set_json(f, "{\"x\": 0.51}");
	eval_ok(r, f, 20221231, o);
	ck_assert_int_eq(rulebook_result_verdict(o, 0), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(o, 0), 1);
	ck_assert_str_eq(rulebook_result_missing(o, 0, 0), "cap");
	/* With x missing too, both are named. */
	rulebook_facts_clear(f);
	eval_ok(r, f, 20221231, o);
	ck_assert_uint_eq(rulebook_result_missing_count(o, 0), 2);
	const char *a = rulebook_result_missing(o, 0, 0), *b = rulebook_result_missing(o, 0, 1);
	ck_assert((strcmp(a, "x") == 0 && strcmp(b, "cap") == 0) ||
		  (strcmp(a, "cap") == 0 && strcmp(b, "x") == 0));
	/* Once in force, only x. */
	eval_ok(r, f, 20230101, o);
	ck_assert_uint_eq(rulebook_result_missing_count(o, 0), 1);
	ck_assert_str_eq(rulebook_result_missing(o, 0, 0), "x");
	rulebook_result_free(o);
	rulebook_facts_free(f);
	rulebook_free(r);
}
END_TEST

static Suite *verdicts_suite(void)
{
	Suite *s = suite_create("verdicts");
	TCase *tc = tcase_create("verdicts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pass);
	tcase_add_test(tc, test_fail);
	tcase_add_test(tc, test_not_applicable);
	tcase_add_test(tc, test_exempt);
	tcase_add_test(tc, test_unknown_missing_input);
	tcase_add_test(tc, test_undecided_exception);
	tcase_add_test(tc, test_not_in_force);
	tcase_add_test(tc, test_error);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_bad_as_of);
	suite_add_tcase(s, tc);

	tc = tcase_create("dates");
	tcase_add_test(tc, test_rule_until);
	tcase_add_test(tc, test_dated_parameter_switch);
	tcase_add_test(tc, test_parameter_without_value_is_named);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(verdicts_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
