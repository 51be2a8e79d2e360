/* rulebook check: compile rulebooks and lint them. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook check [--as-of DATE] FILE...\n"
	"Compile each rulebook and report its errors, then look for likely\n"
	"mistakes that are not errors (unused inputs, rules that can never apply,\n"
	"exceptions that always apply, illustrative parameters).\n"
	"\n"
	"  -d, --as-of DATE  also check dates: parameters without a value and a\n"
	"                    rulebook no longer in force on DATE (YYYY-MM-DD)\n"
	"  -h, --help        show this help and exit\n"
	"\n"
	"Findings go to stdout as FILE:LINE:COLUMN: error|warning: MESSAGE;\n"
	"nothing is printed when all is well. FILE may be '-' for stdin.\n"
	"Exit status: 0 clean, 1 errors or warnings, 2 usage error or unreadable file.\n";

static int check_one(const char *path, int32_t as_of)
{
	rulebook *rb = NULL;
	int status = cli_load_rulebook(path, stdout, &rb);
	if (status != CLI_OK)
		return status;
	rulebook_error *err = rulebook_error_new();
	if (!err || rulebook_lint(rb, as_of, err) != RULEBOOK_OK) {
		fprintf(stderr, "%s: cannot lint the rulebook\n", path);
		status = CLI_TROUBLE;
	} else if (rulebook_error_count(err)) {
		cli_print_errors(stdout, err, strcmp(path, "-") == 0 ? "<stdin>" : path, "warning");
		status = CLI_FINDINGS;
	}
	rulebook_error_free(err);
	rulebook_free(rb);
	return status;
}

int cli_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"as-of", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int32_t as_of = 0;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (cli_parse_date("check", optarg, &as_of) < 0)
				return CLI_TROUBLE;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default:
			return cli_bad_option("check", argv, optopt, c == ':');
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no rulebook given");
	int status = CLI_OK;
	for (int i = optind; i < argc; i++) {
		int s = check_one(argv[i], as_of);
		status = s > status ? s : status;
	}
	return status;
}
