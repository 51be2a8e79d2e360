/* rulebook eval: evaluate records against a rulebook, one at a time, with a
 * single facts and result object reused for every record. With
 * --population the records are also added to one population, for classes
 * by rank and aggregates; memory then grows with the number of records. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"Usage: rulebook eval [OPTION]... RULEBOOK DATA...\n"
	"Evaluate every record in DATA against RULEBOOK and print the verdict of\n"
	"each rule and the class of each scorecard for each record, then a summary.\n"
	"\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -f, --format FORMAT        table (default), json, jsonl, csv, markdown or\n"
	"                             xlsx (a workbook: results, 督办清单, source)\n"
	"  -l, --lang LANG            messages in zh (default) or en\n"
	"      --only VERDICT[,...]   show only rules with these verdicts (json and\n"
	"                             jsonl: only records with such a rule)\n"
	"      --fail-on VERDICT[,...]  exit with status 1 if any rule (or aggregate)\n"
	"                             gets one of them\n"
	"      --population           evaluate the records together as one population:\n"
	"                             classes by rank and the rulebook's aggregates\n"
	"                             (memory grows with the number of records)\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --ignore-unknown       skip columns and keys that are not inputs\n"
	CLI_INPUT_HELP
	"  -I, --search-path DIR      look for the parents named by 'extends: <id>' in\n"
	"                             DIR too (repeatable)\n"
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
	"stderr as DATA:LINE: column NAME: MESSAGE and refused. The summary goes to\n"
	"stdout for table and markdown, to stderr for the other formats.\n"
	"Exit status: 0 done, 1 a --fail-on verdict occurred, 2 usage error,\n"
	"unreadable input or (with --strict) a malformed record, 3 a record was\n"
	"refused (unless --skip-bad).\n";

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
	/* --population */
	rulebook_population *pop;
	char **labels;             /* label of each record of the population */
	uint8_t *undecided;        /* per record and scorecard: no class without the population */
	size_t nlabels, cap;
} eval_run;

/* Keep what the end of a population run needs about the record just added. */
static bool population_keep(eval_run *run, const char *label)
{
	size_t nk = rulebook_scorecard_count(run->rb);
	if (run->nlabels == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 256;
		char **l = realloc(run->labels, cap * sizeof(*l));
		if (!l)
			return false;
		run->labels = l;
		uint8_t *u = realloc(run->undecided, cap * (nk ? nk : 1));
		if (!u)
			return false;
		run->undecided = u;
		run->cap = cap;
	}
	char *copy = strdup(label);
	if (!copy)
		return false;
	run->labels[run->nlabels] = copy;
	for (size_t k = 0; k < nk; k++)
		run->undecided[run->nlabels * nk + k] = rulebook_result_class(run->res, k) == NULL;
	run->nlabels++;
	return true;
}

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
	if (run->pop) {
		if (rulebook_population_add(run->pop, run->facts, run->err) != RULEBOOK_OK ||
		    !population_keep(run, id)) {
			fputs("rulebook eval: out of memory (--population keeps every record)\n",
			      stderr);
			run->stopped = true;
			return 1;
		}
	}
	return 0;
}

/* The aggregates count for --fail-on like rules. */
static void population_fail_on(eval_run *run)
{
	for (size_t a = 0; a < rulebook_aggregate_count(run->rb); a++)
		if (run->fail_on & (1u << rulebook_population_aggregate_verdict(run->pop, a)))
			run->failed_on = true;
}

int cli_eval(int argc, char **argv)
{
	enum {
		OPT_ONLY = 256,
		OPT_FAIL_ON,
		OPT_SUMMARY,
		OPT_NO_SUMMARY,
		OPT_POPULATION
	};
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		CLI_LANG_LONGOPT,
		{"only", required_argument, NULL, OPT_ONLY},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		CLI_STRICT_LONGOPT,
		{"summary", no_argument, NULL, OPT_SUMMARY},
		{"no-summary", no_argument, NULL, OPT_NO_SUMMARY},
		{"population", no_argument, NULL, OPT_POPULATION},
		CLI_DATA_LONGOPTS,
	};
	eval_run run = {0};
	cli_format format = CLI_OUT_TABLE;
	cli_common opt = {0};
	uint32_t only = 0;
	bool summary = true, population = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:f:l:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "xlsx") == 0)
				format = CLI_OUT_XLSX;
			else if (cli_format_parse(optarg, &format) < 0)
				return cli_usage_error("eval", "unknown format '%s': use table, json, "
							       "jsonl, csv, markdown or xlsx", optarg);
			break;
		case OPT_ONLY:
		case OPT_FAIL_ON:
			if (cli_verdicts_parse(optarg, c == OPT_ONLY ? &only : &run.fail_on) < 0)
				return cli_usage_error("eval", "unknown verdict in '%s': use pass, "
							       "fail, not_applicable, exempt, unknown, "
							       "not_in_force or error", optarg);
			break;
		case OPT_SUMMARY:
		case OPT_NO_SUMMARY:
			summary = c == OPT_SUMMARY;
			break;
		case OPT_POPULATION:
			population = true;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int st = cli_common_option("eval", argv, c, optarg, &opt);
			if (st != CLI_OK)
				return st;
			break;
		}
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("eval", argc - optind ? "no data file given"
							     : "a rulebook and a data file are needed");
	if (cli_stdin_once("eval", argc, argv) != CLI_OK)
		return CLI_TROUBLE;
	if (format == CLI_OUT_XLSX && isatty(STDOUT_FILENO))
		return cli_usage_error("eval", "a workbook is binary: send it to a file "
					       "(-f xlsx ... > results.xlsx)");
	cli_common_finish(&opt);
	run.as_of = opt.as_of;
	run.strict = opt.strict;
	bool en = opt.en;
	rulebook *rb = NULL;
	if (cli_load_rulebook(argv[optind], stderr, &rb) != CLI_OK)
		return CLI_TROUBLE;
	cli_warn_not_in_force(argv[optind], rb, run.as_of);
	run.rb = rb;
	run.facts = rulebook_facts_new(rb);
	run.res = rulebook_result_new(rb);
	run.err = rulebook_error_new();
	run.summary = cli_summary_new(rb);
	run.out = cli_output_new(stdout, format, rb, en, only, population);
	if (run.out)
		cli_output_provenance(run.out, run.as_of);
	if (population)
		run.pop = rulebook_population_new(rb, run.as_of);
	int status = CLI_OK;
	if (!run.facts || !run.res || !run.err || !run.summary || !run.out ||
	    (population && !run.pop)) {
		fputs("rulebook eval: out of memory\n", stderr);
		status = CLI_TROUBLE;
	}
	for (int i = optind + 1; i < argc && status == CLI_OK && !run.stopped; i++) {
		cli_source src = {argv[i], opt.input_format, true, opt.ignore_unknown};
		run.data_name = argc - optind > 2 ? argv[i] : NULL;
		const rulebook *books[1] = {rb};
		rulebook_facts *facts[1] = {run.facts};
		cli_output_source(run.out, argv[i]);
		status = cli_read_records(&src, books, facts, 1, on_record, &run);
	}
	if (status == CLI_OK && run.stopped)
		status = CLI_TROUBLE;
	if (status == CLI_OK && run.pop) {
		cli_output_population(run.out, run.pop, (const char *const *)run.labels,
				      run.undecided);
		cli_summary_population(run.summary, run.pop);
		population_fail_on(&run);
	}
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
	for (size_t i = 0; i < run.nlabels; i++)
		free(run.labels[i]);
	free(run.labels);
	free(run.undecided);
	rulebook_population_free(run.pop);
	cli_summary_free(run.summary);
	rulebook_error_free(run.err);
	rulebook_result_free(run.res);
	rulebook_facts_free(run.facts);
	rulebook_free(rb);
	return status;
}
