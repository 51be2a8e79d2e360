/* rulebook test: run the test cases written inside rulebooks. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook test FILE...\n"
	"Run the cases under 'tests:' in each rulebook. Each expected verdict,\n"
	"value or obligation is one check. Every failed check is printed as\n"
	"  FILE:LINE: case 'NAME': CHECK: expected X, got Y\n"
	"and the last line counts the checks: 'N passed, N failed'.\n"
	"A rulebook that does not compile is reported as FILE:LINE:COLUMN: error: ...\n"
	"\n"
	"  -h, --help  show this help and exit\n"
	"\n"
	"FILE may be '-' for stdin.\n"
	"Exit status: 0 all checks passed, 1 a check failed or a rulebook does not\n"
	"compile, 2 usage error or unreadable file.\n";

static int test_one(const char *path, size_t *passed, size_t *failed)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	rulebook *rb = NULL;
	int status = cli_load_rulebook(path, stdout, &rb);
	if (status != CLI_OK)
		return status;
	rulebook_test_report *rep = NULL;
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = err ? rulebook_run_tests(rb, &rep, err) : RULEBOOK_ERR_NOMEM;
	if (!rep) {
		fprintf(stderr, "%s: cannot run the tests: %s\n", name, rulebook_status_str(st));
		status = CLI_TROUBLE;
	} else {
		size_t n = rulebook_test_report_failed(rep);
		*passed += rulebook_test_report_passed(rep);
		*failed += n;
		for (size_t i = 0; i < n; i++) {
			cli_print_position(stdout, name, rulebook_test_report_line(rep, i), 0);
			fputs("case '", stdout);
			cli_put_clean(stdout, rulebook_test_report_case(rep, i));
			fputs("': ", stdout);
			cli_put_clean(stdout, rulebook_test_report_check(rep, i));
			fputs(": expected ", stdout);
			cli_put_clean(stdout, rulebook_test_report_expected(rep, i));
			fputs(", got ", stdout);
			cli_put_clean(stdout, rulebook_test_report_actual(rep, i));
			fputc('\n', stdout);
		}
		status = n ? CLI_FINDINGS : CLI_OK;
	}
	rulebook_test_report_free(rep);
	rulebook_error_free(err);
	rulebook_free(rb);
	return status;
}

int cli_test(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return CLI_OK;
		}
		return cli_bad_option("test", argv, optopt, c == ':');
	}
	if (optind >= argc)
		return cli_usage_error("test", "no rulebook given");
	size_t passed = 0, failed = 0;
	int status = CLI_OK;
	for (int i = optind; i < argc; i++) {
		int s = test_one(argv[i], &passed, &failed);
		status = s > status ? s : status;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return status;
}
