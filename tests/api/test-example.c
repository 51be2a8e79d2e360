/* Runs examples/evaluate-enterprise (argv[1]) on its rulebook (argv[2]) and
 * checks what it prints, worked out by hand from the example's facts: tax
 * 984 万元 on 20000 m² = 30 亩 is 32.8 万元/亩 (4.2 short of 37); R&D
 * 180 of 10000 万元 is 1.8 % (0.5 short of 2.3 %); 15 亩 changing use
 * need 1.2 × 15 = 18 亩 of compensating land. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *exe, *yaml;

/* Run the example with args; return its exit status and output. */
static int run(const char *args, char *out, size_t size)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", exe, args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void ck_has(const char *out, const char *line)
{
	ck_assert_msg(contains(out, line), "output lacks '%s':\n%s", line, out);
}

START_TEST(test_example_output)
{
	static char out[65536];
	char args[4200];
	snprintf(args, sizeof args, "'%s' 2023-06-30", yaml);
	ck_assert_int_eq(run(args, out, sizeof out), 0);
	ck_has(out, "Enterprise evaluation example, as of 2023-06-30\n");
	ck_has(out, "T1.mu_tax (clause 二): fail\n");
	ck_has(out, "  tax per mu 32.8 万元/亩, target 37 万元/亩");
	ck_has(out, "  gap: +4.2 万元/亩\n");
	ck_has(out, "T10.rd_share (clause 二): fail\n");
	ck_has(out, "  gap: >+0.5%\n");
	ck_has(out, "P3.land_balance (clause 四（二）): pass\n");
	ck_has(out, "  industrial land to compensate: 18 亩\n");
	ck_has(out, "  obligation compensating_land: 18 亩\n");
	/* Outside the plan's validity. */
	snprintf(args, sizeof args, "'%s' 2024-01-01", yaml);
	ck_assert_int_eq(run(args, out, sizeof out), 0);
	ck_has(out, "T1.mu_tax (clause 二): not_in_force\n");
	ck_has(out, "P3.land_balance (clause 四（二）): not_in_force\n");
	ck_assert(!contains(out, "obligation"));
}
END_TEST

START_TEST(test_example_errors)
{
	static char out[65536];
	char args[4200];
	snprintf(args, sizeof args, "'%s.missing'", yaml);
	ck_assert_int_eq(run(args, out, sizeof out), 1);
	ck_has(out, ".missing");
	snprintf(args, sizeof args, "'%s' 2023-02-30", yaml);
	ck_assert_int_eq(run(args, out, sizeof out), 1);
	ck_has(out, "2023-02-30");
}
END_TEST

START_TEST(test_example_rulebook_tests)
{
	/* The example's rulebook carries its own cases. */
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(yaml, NULL, &rb, NULL), RULEBOOK_OK);
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), 10);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s EXAMPLE RULEBOOK\n", argv[0]);
		return 2;
	}
	exe = argv[1];
	yaml = argv[2];
	Suite *s = suite_create("example");
	TCase *tc = tcase_create("evaluate-enterprise");
	tcase_add_test(tc, test_example_output);
	tcase_add_test(tc, test_example_errors);
	tcase_add_test(tc, test_example_rulebook_tests);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
