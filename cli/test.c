/* rulebook test: run the test cases written inside rulebooks, and with
 * --boundaries the cases generated at each threshold (boundaries.c). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook test [OPTION]... FILE...\n"
	"Run the cases under 'tests:' in each rulebook. Each expected verdict,\n"
	"value or obligation is one check. Every failed check is printed as\n"
	"  FILE:LINE: case 'NAME': CHECK: expected X, got Y\n"
	"and the last line counts the checks: 'N passed, N failed'.\n"
	"A rulebook that does not compile is reported as FILE:LINE:COLUMN: error: ...\n"
	"\n"
	"  -b, --boundaries       also check every rule's thresholds: with the\n"
	"                         inputs of the first test case the rule applies to,\n"
	"                         set each number input just below, at and just\n"
	"                         above each threshold it is compared with, and\n"
	"                         check that the verdict flips where the comparison\n"
	"                         says; one check per rule, printed as\n"
	"                           FILE:LINE: rule 'ID': boundary OK (...)\n"
	"                         or a line per wrong verdict\n"
	"  -I, --search-path DIR  look for the parents named by 'extends: <id>' in\n"
	"                         DIR too (repeatable)\n"
	"  -h, --help             show this help and exit\n"
	"\n"
	"FILE may be '-' for stdin.\n"
	"Exit status: 0 all checks passed, 1 a check failed or a rulebook does not\n"
	"compile, 2 usage error or unreadable file.\n";

static int test_one(const char *path, bool boundaries, size_t *passed, size_t *failed)
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
			cli_print_position(stdout, name, rulebook_test_report_line(rep, i),
					   rulebook_test_report_column(rep, i));
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
	if (boundaries && status != CLI_TROUBLE) {
		int s = cli_boundaries(name, rb, passed, failed);
		status = s > status ? s : status;
	}
	rulebook_test_report_free(rep);
	rulebook_error_free(err);
	rulebook_free(rb);
	return status;
}

int cli_test(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"boundaries", no_argument, NULL, 'b'},
		{"search-path", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool boundaries = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bI:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			boundaries = true;
			break;
		case 'I':
			if (cli_add_search_path("test", optarg) < 0)
				return CLI_TROUBLE;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default:
			return cli_bad_option("test", argv, optopt, c == ':');
		}
	}
	if (optind >= argc)
		return cli_usage_error("test", "no rulebook given");
	size_t passed = 0, failed = 0;
	int status = CLI_OK;
	for (int i = optind; i < argc; i++) {
		int s = test_one(argv[i], boundaries, &passed, &failed);
		status = s > status ? s : status;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return status;
}
