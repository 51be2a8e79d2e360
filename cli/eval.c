/* rulebook eval: evaluate records against a rulebook, one at a time, with a
 * single facts and result object reused for every record. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook eval [OPTION]... RULEBOOK DATA...\n"
	"Evaluate every record in DATA against RULEBOOK and print the verdict of\n"
	"each rule for each record, then a summary.\n"
	"\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -f, --format FORMAT        table (default), json, jsonl, csv or markdown\n"
	"  -l, --lang LANG            messages in zh (default) or en\n"
	"      --only VERDICT[,...]   show only rules with these verdicts (json and\n"
	"                             jsonl: only records with such a rule)\n"
	"      --fail-on VERDICT[,...]  exit with status 1 if any rule gets one of them\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --strict               stop at the first malformed record (status 2)\n"
	"      --summary              print the summary (default)\n"
	"      --no-summary           do not print the summary\n"
	"  -h, --help                 show this help and exit\n"
	"\n"
	"Verdicts: pass, fail, not_applicable, exempt, unknown, not_in_force, error.\n"
	"DATA is CSV (.csv: a header row of input names, '_id' names the record,\n"
	"'name[unit]' gives the unit of a column, an empty cell is missing), JSON\n"
	"(.json: an object or an array of objects) or JSON Lines (.jsonl, .ndjson:\n"
	"an object per line); '-' reads stdin. A malformed record is reported on\n"
	"stderr as DATA:LINE: column NAME: MESSAGE and skipped. The summary goes to\n"
	"stdout for table and markdown, to stderr for the other formats.\n"
	"Exit status: 0 done, 1 a --fail-on verdict occurred, 2 usage error,\n"
	"unreadable input or (with --strict) a malformed record.\n";

typedef struct eval_run {
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	rulebook_error *err;
	int32_t as_of;
	const char *data_name;     /* prefix of "#N" labels with several files */
	cli_output *out;
	cli_summary *summary;
	uint32_t fail_on;
	bool strict;
	bool failed_on;            /* a --fail-on verdict was given */
	bool stopped;              /* --strict stopped the run, or evaluation failed */
} eval_run;

static int on_record(const cli_record *rec, void *payload)
{
	eval_run *run = payload;
	if (!rec->ok) {
		cli_summary_skipped(run->summary);
		if (run->strict) {
			fputs("rulebook eval: stopped at the first malformed record (--strict)\n",
			      stderr);
			run->stopped = true;
			return 1;
		}
		return 0;
	}
	if (rulebook_eval(run->rb, run->facts, run->as_of, run->res, run->err) != RULEBOOK_OK) {
		cli_print_errors(stderr, run->err, "rulebook eval", NULL);
		run->stopped = true;
		return 1;
	}
	cli_summary_add(run->summary, run->res);
	uint32_t counts[8];
	rulebook_result_counts(run->res, counts);
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++)
		if ((run->fail_on & (1u << v)) && counts[v])
			run->failed_on = true;
	char label[1024];
	const char *id = rulebook_result_record_id(run->res);
	if (!id) {
		if (run->data_name)
			snprintf(label, sizeof label, "%s#%zu", run->data_name, rec->number);
		else
			snprintf(label, sizeof label, "#%zu", rec->number);
		id = label;
	}
	cli_output_record(run->out, run->res, id);
	return 0;
}

/* Tell the user when the date makes every rule not_in_force. */
static void warn_not_in_force(const char *path, const rulebook *rb, int32_t as_of)
{
	int32_t from = rulebook_in_force_from(rb), until = rulebook_in_force_until(rb);
	if ((!from || as_of >= from) && (!until || as_of <= until))
		return;
	fprintf(stderr,
		"%s: warning: the rulebook is not in force on %04d-%02d-%02d, so every rule is "
		"not_in_force; choose a date with --as-of\n",
		path, (int)(as_of / 10000), (int)(as_of / 100 % 100), (int)(as_of % 100));
}

int cli_eval(int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_FAIL_ON, OPT_STRICT, OPT_SUMMARY, OPT_NO_SUMMARY };
	static const struct option longopts[] = {
		{"as-of", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"lang", required_argument, NULL, 'l'},
		{"input-format", required_argument, NULL, 'i'},
		{"only", required_argument, NULL, OPT_ONLY},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"summary", no_argument, NULL, OPT_SUMMARY},
		{"no-summary", no_argument, NULL, OPT_NO_SUMMARY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eval_run run = {0};
	cli_format format = CLI_OUT_TABLE;
	cli_input_format input_format = CLI_IN_AUTO;
	uint32_t only = 0;
	bool en = false, summary = true, have_date = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:f:l:i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (cli_parse_date("eval", optarg, &run.as_of) < 0)
				return CLI_TROUBLE;
			have_date = true;
			break;
		case 'f':
			if (cli_format_parse(optarg, &format) < 0)
				return cli_usage_error("eval", "unknown format '%s': use table, json, "
							       "jsonl, csv or markdown", optarg);
			break;
		case 'l':
			if (cli_parse_lang("eval", optarg, &en) < 0)
				return CLI_TROUBLE;
			break;
		case 'i':
			if (cli_input_format_parse(optarg, &input_format) < 0)
				return cli_usage_error("eval", "unknown input format '%s': use csv, "
							       "json or jsonl", optarg);
			break;
		case OPT_ONLY:
		case OPT_FAIL_ON:
			if (cli_verdicts_parse(optarg, c == OPT_ONLY ? &only : &run.fail_on) < 0)
				return cli_usage_error("eval", "unknown verdict in '%s': use pass, "
							       "fail, not_applicable, exempt, unknown, "
							       "not_in_force or error", optarg);
			break;
		case OPT_STRICT:
			run.strict = true;
			break;
		case OPT_SUMMARY:
		case OPT_NO_SUMMARY:
			summary = c == OPT_SUMMARY;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default:
			return cli_bad_option("eval", argv, optopt, c == ':');
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("eval", argc - optind ? "no data file given"
							     : "a rulebook and a data file are needed");
	int stdin_uses = 0;
	for (int i = optind; i < argc; i++)
		stdin_uses += strcmp(argv[i], "-") == 0;
	if (stdin_uses > 1)
		return cli_usage_error("eval", "stdin ('-') can be read only once");
	if (!have_date)
		run.as_of = cli_today();
	rulebook *rb = NULL;
	if (cli_load_rulebook(argv[optind], stderr, &rb) != CLI_OK)
		return CLI_TROUBLE;
	warn_not_in_force(argv[optind], rb, run.as_of);
	run.rb = rb;
	run.facts = rulebook_facts_new(rb);
	run.res = rulebook_result_new(rb);
	run.err = rulebook_error_new();
	run.summary = cli_summary_new(rb);
	run.out = cli_output_new(stdout, format, rb, en, only);
	int status = CLI_OK;
	if (!run.facts || !run.res || !run.err || !run.summary || !run.out) {
		fputs("rulebook eval: out of memory\n", stderr);
		status = CLI_TROUBLE;
	}
	for (int i = optind + 1; i < argc && status == CLI_OK && !run.stopped; i++) {
		cli_source src = {argv[i], input_format, true};
		run.data_name = argc - optind > 2 ? argv[i] : NULL;
		const rulebook *books[1] = {rb};
		rulebook_facts *facts[1] = {run.facts};
		status = cli_read_records(&src, books, facts, 1, on_record, &run);
	}
	if (status == CLI_OK && run.stopped)
		status = CLI_TROUBLE;
	cli_output_finish(run.out, status == CLI_OK);
	if (summary && run.summary && status == CLI_OK) {
		bool machine = cli_format_is_machine(format);
		if (format == CLI_OUT_TABLE)
			fputc('\n', stdout);
		fflush(stdout);
		cli_summary_print(run.summary, machine ? stderr : stdout,
				  format == CLI_OUT_MARKDOWN, en);
	}
	if (status == CLI_OK && run.failed_on)
		status = CLI_FINDINGS;
	cli_summary_free(run.summary);
	rulebook_error_free(run.err);
	rulebook_result_free(run.res);
	rulebook_facts_free(run.facts);
	rulebook_free(rb);
	return status;
}
