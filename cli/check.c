/* rulebook check: compile rulebooks and lint them. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook check [OPTION]... FILE...\n"
	"Compile each rulebook and report its errors, then look for likely\n"
	"mistakes that are not errors (unused inputs, rules that can never apply,\n"
	"exceptions that always apply) and give notes (illustrative parameters).\n"
	"\n"
	"  -d, --as-of DATE          also check dates: parameters without a value and\n"
	"                            a rulebook no longer in force on DATE (YYYY-MM-DD)\n"
	"  -I, --search-path DIR     look for the parents named by 'extends: <id>' in\n"
	"                            DIR too (repeatable; after the file's directory)\n"
	"  -h, --help                show this help and exit\n"
	"\n"
	"Findings go to stdout as FILE:LINE:COLUMN: error|warning|note: MESSAGE;\n"
	"nothing is printed when all is well. FILE may be '-' for stdin.\n"
	"Exit status: 0 clean (notes allowed), 1 errors or warnings, 2 usage error\n"
	"or unreadable file.\n";

static int check_one(const char *path, int32_t as_of)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	rulebook *rb = NULL;
	int status = cli_load_rulebook(path, stdout, &rb);
	if (status != CLI_OK)
		return status;
	rulebook_error *err = rulebook_error_new();
	if (!err || rulebook_lint(rb, as_of, err) != RULEBOOK_OK) {
		fprintf(stderr, "%s: cannot lint the rulebook\n", name);
		status = CLI_TROUBLE;
	} else {
		/* Warnings are likely mistakes; notes are information only. */
		size_t n = rulebook_error_count(err);
		for (size_t i = 0; i < n; i++) {
			bool note = rulebook_error_status_at(err, i) == RULEBOOK_NOTE;
			const char *file = rulebook_error_file(err, i);
			cli_print_position(stdout, file ? file : name, rulebook_error_line(err, i),
					   rulebook_error_column(err, i));
			fputs(note ? "note: " : "warning: ", stdout);
			cli_put_clean(stdout, rulebook_error_message(err, i));
			fputc('\n', stdout);
			if (!note)
				status = CLI_FINDINGS;
		}
	}
	rulebook_error_free(err);
	rulebook_free(rb);
	return status;
}

int cli_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"as-of", required_argument, NULL, 'd'},
		{"search-path", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int32_t as_of = 0;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (cli_parse_date("check", optarg, &as_of) < 0)
				return CLI_TROUBLE;
			break;
		case 'I':
			if (cli_add_search_path("check", optarg) < 0)
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
