/* Stress: rulebooks with 10^5 rules, indicators (also as one chain declared in
 * reverse), exceptions, targets, test cases, enum values and unknown keys load,
 * lint and run their tests in time proportional to their size. Each kind is
 * built at n and 10 n; the larger must cost less than 20 times the smaller
 * (a quadratic check costs 100 times). Times are CPU time of this process, not wall time, so other
 * work on the machine does not count. Under valgrind (RULEBOOK_TEST_UNDER_VALGRIND set by the
 * valgrind test setup) the sizes are a tenth, which still shows a quadratic check while keeping
 * the memory checks of every kind within minutes. */
#include <rulebook.h>

#include <check.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SMALL_FULL 10000
#define LARGE_FULL 100000

static int scale(int n)
{
	return getenv("RULEBOOK_TEST_UNDER_VALGRIND") ? n / 10 : n;
}

#define SMALL scale(SMALL_FULL)
#define LARGE scale(LARGE_FULL)

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
}

static const char header[] = "rulebook: 1\n"
			     "id: stress\n"
			     "title: {zh: 压力, en: stress}\n"
			     "subject: enterprise\n"
			     "source: {issuer: 区政府, document: 实施方案, issued: 2022-01-01}\n";

typedef void (*builder)(sbuf *b, int n);

static void rules(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\nrules:\n");
	for (int i = 0; i < n; i++)
		add(b, "  - {id: r%d, cite: a, require: x >= %d}\n", i, i);
}

static void indicators(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\nindicators:\n");
	for (int i = 0; i < n; i++)
		add(b, "  - {id: v%d, expr: x + %d}\n", i, i);
	add(b, "rules:\n  - {id: r, cite: a, require: v%d >= 1}\n", n - 1);
}

/* A chain declared in reverse: each indicator uses the next one, so the
 * first depends on all of them. Stored as the closure of each indicator,
 * this took memory in the square of n (about 24 GiB at 10^5). */
static void indicator_chain(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\nindicators:\n");
	for (int i = 0; i < n - 1; i++)
		add(b, "  - {id: v%d, expr: v%d + 1}\n", i, i + 1);
	add(b, "  - {id: v%d, expr: x}\n", n - 1);
	add(b, "rules:\n  - {id: r, cite: a, require: v0 >= %d}\n"
	       "tests:\n  - {name: at, as_of: 2023-01-01, facts: {x: 1}, "
	       "expect: {verdicts: {r: pass}}}\n"
	       "  - {name: below, as_of: 2023-01-01, facts: {x: 0}, "
	       "expect: {verdicts: {r: fail}}}\n", n);
}

/* Half the exceptions repeat an earlier condition: lint reports each. */
static void exceptions(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\n"
	       "rules:\n  - id: r\n    cite: a\n    require: x >= 1\n    unless:\n");
	for (int i = 0; i < n; i++)
		add(b, "      - {id: e%d, cite: a, when: x == %d}\n", i, i / 2);
}

static void targets(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\ntargets:\n");
	for (int i = 0; i < n; i++)
		add(b, "  - {id: t%d, cite: a, measure: x, target: %d, period: yearly}\n", i, i + 1);
}

static void tests(sbuf *b, int n)
{
	add(b, "inputs:\n  - {id: x, type: number}\nrules:\n  - {id: r, cite: a, require: x >= 1}\n"
	       "tests:\n");
	for (int i = 0; i < n; i++)
		add(b, "  - {name: c%d, as_of: 2023-01-01, facts: {x: %d}, "
		       "expect: {verdicts: {r: %s}}}\n",
		    i, i, i >= 1 ? "pass" : "fail");
}

static void enum_values(sbuf *b, int n)
{
	add(b, "inputs:\n  - id: sector\n    type: enum\n    values:\n");
	for (int i = 0; i < n; i++)
		add(b, "      - s%d\n", i);
	add(b, "rules:\n  - {id: r, cite: a, require: sector == \"s%d\"}\n", n - 1);
}

/* Every input has an unknown key: one error each, at most
 * RULEBOOK_LIMIT_DIAGNOSTICS kept. */
static void unknown_keys(sbuf *b, int n)
{
	add(b, "inputs:\n");
	for (int i = 0; i < n; i++)
		add(b, "  - {id: x%d, type: number, bogus: 1}\n", i);
}

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Load, lint and run the tests of kind at size n; CPU seconds. */
static double run(builder build, int n, rulebook_status want, size_t *ndiag)
{
	sbuf b = {0};
	add(&b, "%s", header);
	build(&b, n);
	rulebook_options *o = rulebook_options_new();
	ck_assert_ptr_nonnull(o);
	/* The default node and name limits (10^6, 10^5) would stop the largest
	 * cases first: 10^5 rules are 10^5 + 1 names with their input. */
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_NODES, 100000000), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_NAMES, 1000000), RULEBOOK_OK);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	double t0 = cpu_seconds();
	rulebook_status st = rulebook_load_buffer(b.p, b.len, "stress.yaml", o, &rb, err);
	if (st != want)
		ck_abort_msg("n = %d: status %d (%s), wanted %d", n, st, rulebook_error_message(err, 0),
			     want);
	if (rb) {
		ck_assert_int_eq(rulebook_lint(rb, 0, err), RULEBOOK_OK);
		rulebook_test_report *rep = NULL;
		ck_assert_int_eq(rulebook_run_tests(rb, &rep, err), RULEBOOK_OK);
		rulebook_test_report_free(rep);
	}
	double t = cpu_seconds() - t0;
	if (ndiag)
		*ndiag = rulebook_error_count(err);
	rulebook_free(rb);
	rulebook_error_free(err);
	rulebook_options_free(o);
	free(b.p);
	return t;
}

/* The smaller size is timed three times (the least counts) so that a
 * short measurement is not dominated by noise; below 2 ms it counts as
 * 2 ms. */
static void check_scaling(const char *what, builder build, rulebook_status want)
{
	double small = 1e9;
	for (int k = 0; k < 3; k++) {
		double t = run(build, SMALL, want, NULL);
		if (t < small)
			small = t;
	}
	if (small < 0.002)
		small = 0.002;
	double large = run(build, LARGE, want, NULL);
	printf("%-14s %6d: %.3f s   %6d: %.3f s   ratio %.1f\n", what, SMALL, small, LARGE, large,
	       large / small);
	ck_assert_msg(large < 20 * small, "%s: %d items took %.3f s, %d took %.3f s (ratio %.1f)",
		      what, LARGE, large, SMALL, small, large / small);
}

START_TEST(test_rules)
{
	check_scaling("rules", rules, RULEBOOK_OK);
}
END_TEST

START_TEST(test_indicators)
{
	check_scaling("indicators", indicators, RULEBOOK_OK);
}
END_TEST

START_TEST(test_indicator_chain)
{
	check_scaling("indicator chain", indicator_chain, RULEBOOK_OK);
}
END_TEST

START_TEST(test_exceptions)
{
	check_scaling("exceptions", exceptions, RULEBOOK_OK);
}
END_TEST

START_TEST(test_targets)
{
	check_scaling("targets", targets, RULEBOOK_OK);
}
END_TEST

START_TEST(test_tests)
{
	check_scaling("test cases", tests, RULEBOOK_OK);
}
END_TEST

START_TEST(test_enum_values)
{
	check_scaling("enum values", enum_values, RULEBOOK_OK);
}
END_TEST

START_TEST(test_unknown_keys)
{
	check_scaling("unknown keys", unknown_keys, RULEBOOK_ERR_SCHEMA);
	/* 1000 kept, then one that counts the rest */
	size_t n = 0;
	run(unknown_keys, LARGE, RULEBOOK_ERR_SCHEMA, &n);
	ck_assert_uint_eq(n, 1001);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stress");
	TCase *tc = tcase_create("scaling");
	tcase_set_timeout(tc, 0);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_indicators);
	tcase_add_test(tc, test_indicator_chain);
	tcase_add_test(tc, test_exceptions);
	tcase_add_test(tc, test_targets);
	tcase_add_test(tc, test_tests);
	tcase_add_test(tc, test_enum_values);
	tcase_add_test(tc, test_unknown_keys);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
