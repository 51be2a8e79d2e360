/* rulebook explain: the full explanation of one record's verdicts. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook explain [OPTION]... RULEBOOK DATA --record ID\n"
	"Find one record in DATA and explain every rule for it: the verdict, the\n"
	"clause, the message, the values used, the gap to the threshold, the\n"
	"exception that applied, missing inputs and obligations.\n"
	"\n"
	"  -r, --record ID            the record: its _id, or its position in the\n"
	"                             file (1 is the first record; '#3' is always\n"
	"                             a position)\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -l, --lang LANG            zh (default) or en\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --ignore-unknown       skip columns and keys that are not inputs\n"
	CLI_INPUT_HELP
	"  -I, --search-path DIR      look for the parents named by 'extends: <id>' in\n"
	"                             DIR too (repeatable)\n"
	"  -h, --help                 show this help and exit\n"
	"\n"
	"An _id equal to ID wins over a position. DATA may be '-' for stdin.\n"
	"Exit status: 0 explained, 2 usage error, unreadable input, or no such\n"
	"record (or the record is malformed).\n";

typedef struct explain_run {
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	int32_t as_of;
	uint32_t flags;
	const char *id;            /* NULL when only a position is accepted */
	size_t number;             /* 0 when ID is no position */
	char *by_number;           /* explanation of the record at that position */
	bool number_malformed;
	bool found;
	bool failed;
} explain_run;

static int on_record(const cli_record *rec, void *payload)
{
	explain_run *run = payload;
	bool at_number = run->number && rec->number == run->number;
	if (!rec->ok) {
		run->number_malformed = run->number_malformed || at_number;
		return 0;
	}
	if (!run->id && !at_number)
		return 0;
	const char *text;
	size_t len;
	if (rulebook_eval(run->rb, run->facts, run->as_of, run->res, NULL) != RULEBOOK_OK ||
	    rulebook_result_explain(run->res, run->flags, &text, &len) != RULEBOOK_OK) {
		fputs("rulebook explain: out of memory\n", stderr);
		run->failed = true;
		return 1;
	}
	const char *id = rulebook_result_record_id(run->res);
	if (run->id && id && strcmp(id, run->id) == 0) {
		fwrite(text, 1, len, stdout);
		run->found = true;
		return 1;
	}
	if (at_number) {
		run->by_number = malloc(len + 1);
		if (!run->by_number) {
			fputs("rulebook explain: out of memory\n", stderr);
			run->failed = true;
			return 1;
		}
		memcpy(run->by_number, text, len + 1);
		if (!run->id)
			return 1;
	}
	return 0;
}

/* A position: digits without a sign, or '#' and digits. */
static size_t parse_position(const char *s)
{
	if (*s == '#')
		s++;
	if (!*s || strlen(s) > 18)
		return 0;
	size_t n = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (size_t)(*s - '0');
	}
	return n;
}

int cli_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"record", required_argument, NULL, 'r'},
		CLI_LANG_LONGOPT,
		CLI_DATA_LONGOPTS,
	};
	explain_run run = {0};
	cli_common opt = {0};
	const char *record = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:d:l:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			record = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int st = cli_common_option("explain", argv, c, optarg, &opt);
			if (st != CLI_OK)
				return st;
			break;
		}
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("explain", argc - optind < 2
							  ? "a rulebook and a data file are needed"
							  : "only one data file can be explained");
	if (!record)
		return cli_usage_error("explain", "which record? give --record ID");
	run.id = record[0] == '#' ? NULL : record;
	run.number = parse_position(record);
	if (!run.id && !run.number)
		return cli_usage_error("explain", "'%s' is no record position", record);
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		return cli_usage_error("explain", "stdin ('-') can be read only once");
	cli_common_finish(&opt);
	run.as_of = opt.as_of;
	bool en = opt.en;
	run.flags = en ? RULEBOOK_OUT_LANG_EN : 0;
	rulebook *rb = NULL;
	if (cli_load_rulebook(argv[optind], stderr, &rb) != CLI_OK)
		return CLI_TROUBLE;
	run.rb = rb;
	run.facts = rulebook_facts_new(rb);
	run.res = rulebook_result_new(rb);
	int status = CLI_OK;
	if (!run.facts || !run.res) {
		fputs("rulebook explain: out of memory\n", stderr);
		status = CLI_TROUBLE;
	} else {
		cli_source src = {argv[optind + 1], opt.input_format, false, opt.ignore_unknown};
		const rulebook *books[1] = {rb};
		rulebook_facts *facts[1] = {run.facts};
		status = cli_read_records(&src, books, facts, 1, on_record, &run);
	}
	if (status == CLI_OK && !run.failed && !run.found) {
		const char *data = strcmp(argv[optind + 1], "-") == 0 ? "<stdin>" : argv[optind + 1];
		if (run.by_number) {
			fputs(run.by_number, stdout);
		} else {
			cli_print_position(stderr, data, 0, 0);
			if (run.number_malformed)
				fprintf(stderr, "record %zu is malformed\n", run.number);
			else if (run.id && run.number)
				fputs("no record has this _id or position: ", stderr);
			else if (run.id)
				fputs("no record has the _id ", stderr);
			else
				fputs("there is no record at position ", stderr);
			if (!run.number_malformed) {
				cli_put_clean(stderr, record);
				fputc('\n', stderr);
			}
			status = CLI_TROUBLE;
		}
	}
	if (run.failed)
		status = CLI_TROUBLE;
	free(run.by_number);
	rulebook_result_free(run.res);
	rulebook_facts_free(run.facts);
	rulebook_free(rb);
	return status;
}
