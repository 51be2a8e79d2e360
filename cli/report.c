/* rulebook report: evaluate the records of the data files as one population
 * and write the library's HTML report of it (rulebook_population_report_html)
 * to a file. Each record is also evaluated on its own so that the report
 * gets every record's full result (messages, gaps, values, target figures). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook report [OPTION]... RULEBOOK DATA... -o FILE\n"
	"Evaluate the records in DATA against RULEBOOK as one population and write\n"
	"one self-contained HTML page: the document and rulebook, classes and\n"
	"ranking of each scorecard, failures per rule and per responsible unit\n"
	"(督办清单) with each record's explanation, targets against time progress\n"
	"with a green/yellow/red light, and aggregates. It opens in any browser\n"
	"without a network and prints on A4.\n"
	"\n"
	"  -o, --output FILE          write the page to FILE ('-': stdout)\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -l, --lang LANG            the page in zh (default) or en\n"
	"      --yellow-behind N      a target behind time progress by more than N\n"
	"                             points is yellow (default 10)\n"
	"      --red-behind N         ... by more than N points red (default 30)\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --ignore-unknown       skip columns and keys that are not inputs\n"
	"  -I, --search-path DIR      look for the parents named by 'extends: <id>' in\n"
	"                             DIR too (repeatable)\n"
	"      --strict               stop at the first malformed record (status 2)\n"
	CLI_INPUT_HELP
	"  -h, --help                 show this help and exit\n"
	"\n"
	"DATA is read as by 'rulebook eval'. A refused record is reported on\n"
	"stderr and left out of the page. See docs/report.md for the page.\n"
	"Exit status: 0 written, 2 usage error, unreadable input or (with --strict)\n"
	"a malformed record, 3 a record was refused (unless --skip-bad).\n";

typedef struct report_run {
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	rulebook_error *err;
	rulebook_population *pop;
	int32_t as_of;
	FILE *results;             /* the JSON array of every record's result */
	size_t records, skipped;
	uint32_t json_flags;        /* RULEBOOK_OUT_LANG_EN for --lang en */
	bool strict, stopped;
} report_run;

static int on_record(const cli_record *rec, void *payload)
{
	report_run *run = payload;
	if (!rec->ok) {
		run->skipped++;
		if (run->strict) {
			fputs("rulebook report: stopped at the first malformed record (--strict)\n",
			      stderr);
			run->stopped = true;
			return 1;
		}
		return 0;
	}
	const char *json = NULL;
	size_t len = 0;
	if (rulebook_eval(run->rb, run->facts, run->as_of, run->res, run->err) != RULEBOOK_OK ||
	    rulebook_population_add(run->pop, run->facts, run->err) != RULEBOOK_OK ||
	    rulebook_result_json(run->res, run->json_flags, &json, &len) != RULEBOOK_OK) {
		cli_print_errors(stderr, run->err, "rulebook report", NULL);
		run->stopped = true;
		return 1;
	}
	fputc(run->records ? ',' : '[', run->results);
	fwrite(json, 1, len, run->results);
	run->records++;
	return 0;
}

/* --yellow-behind and --red-behind: a number of points, 0 or more. */
static bool points(const char *text)
{
	int c;
	return cli_decimal_cmp(text, "0", &c) && c >= 0;
}

static int write_page(const char *path, const char *page, size_t len)
{
	bool to_stdout = strcmp(path, "-") == 0;
	FILE *fp = to_stdout ? stdout : fopen(path, "wb");
	if (!fp) {
		fputs("rulebook report: cannot create ", stderr);
		cli_put_clean(stderr, path);
		fputc('\n', stderr);
		return CLI_TROUBLE;
	}
	bool ok = fwrite(page, 1, len, fp) == len;
	if (!to_stdout)
		ok = fclose(fp) == 0 && ok;
	if (!ok) {
		fputs("rulebook report: cannot write ", stderr);
		cli_put_clean(stderr, path);
		fputc('\n', stderr);
		if (!to_stdout)
			remove(path);
		return CLI_TROUBLE;
	}
	return CLI_OK;
}

int cli_report(int argc, char **argv)
{
	enum { OPT_YELLOW = 256, OPT_RED };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		CLI_LANG_LONGOPT,
		{"yellow-behind", required_argument, NULL, OPT_YELLOW},
		{"red-behind", required_argument, NULL, OPT_RED},
		CLI_STRICT_LONGOPT,
		CLI_DATA_LONGOPTS,
	};
	report_run run = {0};
	cli_common opt = {0};
	const char *output = NULL, *yellow = NULL, *red = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:d:l:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_YELLOW:
		case OPT_RED:
			if (!points(optarg))
				return cli_usage_error("report", "%s needs a number of points (0 or "
								 "more), not '%s'",
						       c == OPT_YELLOW ? "--yellow-behind"
								       : "--red-behind",
						       optarg);
			*(c == OPT_YELLOW ? &yellow : &red) = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int st = cli_common_option("report", argv, c, optarg, &opt);
			if (st != CLI_OK)
				return st;
			break;
		}
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("report", argc - optind ? "no data file given"
							       : "a rulebook and a data file are needed");
	if (!output)
		return cli_usage_error("report", "say where to write the page: -o FILE.html "
						 "('-o -' for stdout)");
	if (cli_stdin_once("report", argc, argv) != CLI_OK)
		return CLI_TROUBLE;
	cli_common_finish(&opt);
	run.as_of = opt.as_of;
	run.strict = opt.strict;
	bool en = opt.en;
	run.json_flags = en ? RULEBOOK_OUT_LANG_EN : 0;
	rulebook *rb = NULL;
	if (cli_load_rulebook(argv[optind], stderr, &rb) != CLI_OK)
		return CLI_TROUBLE;
	cli_warn_not_in_force(argv[optind], rb, run.as_of);
	run.rb = rb;
	run.facts = rulebook_facts_new(rb);
	run.res = rulebook_result_new(rb);
	run.err = rulebook_error_new();
	run.pop = rulebook_population_new(rb, run.as_of);
	char *results = NULL, *settings = NULL;
	size_t results_len = 0, settings_len = 0;
	run.results = open_memstream(&results, &results_len);
	int status = CLI_OK;
	if (!run.facts || !run.res || !run.err || !run.pop || !run.results) {
		fputs("rulebook report: out of memory\n", stderr);
		status = CLI_TROUBLE;
	}
	for (int i = optind + 1; i < argc && status == CLI_OK && !run.stopped; i++) {
		cli_source src = {argv[i], opt.input_format, true, opt.ignore_unknown};
		const rulebook *books[1] = {rb};
		rulebook_facts *facts[1] = {run.facts};
		status = cli_read_records(&src, books, facts, 1, on_record, &run);
	}
	if (status == CLI_OK && run.stopped)
		status = CLI_TROUBLE;
	if (run.results) {
		if (!run.records)
			fputc('[', run.results);
		fputc(']', run.results);
		if (fclose(run.results) != 0 && status == CLI_OK) {
			fputs("rulebook report: out of memory\n", stderr);
			status = CLI_TROUBLE;
		}
	}
	FILE *sf = status == CLI_OK ? open_memstream(&settings, &settings_len) : NULL;
	if (sf) {
		fputs("{\"lang\":", sf);
		cli_json_put_string(sf, en ? "en" : "zh");
		/* the data's names as given, several joined by commas */
		size_t need = 1;
		for (int i = optind + 1; i < argc; i++)
			need += strlen(argv[i]) + 8;
		char *names = malloc(need);
		if (!names) {
			status = CLI_TROUBLE;
		} else {
			names[0] = '\0';
			for (int i = optind + 1; i < argc; i++) {
				if (i > optind + 1)
					strcat(names, ", ");
				strcat(names, strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i]);
			}
			fputs(",\"data\":", sf);
			cli_json_put_string(sf, names);
			free(names);
		}
		if (yellow) {
			fputs(",\"yellow_behind\":", sf);
			cli_json_put_string(sf, yellow);
		}
		if (red) {
			fputs(",\"red_behind\":", sf);
			cli_json_put_string(sf, red);
		}
		fputc('}', sf);
		if (fclose(sf) != 0)
			status = CLI_TROUBLE;
	} else if (status == CLI_OK) {
		status = CLI_TROUBLE;
	}
	if (status == CLI_TROUBLE && !settings_len && run.records)
		fputs("rulebook report: out of memory\n", stderr);
	if (status == CLI_OK) {
		char *page = NULL;
		size_t len = 0;
		rulebook_error_clear(run.err);
		if (rulebook_population_report_html(run.pop, results, results_len, settings,
						    settings_len, &page, &len,
						    run.err) != RULEBOOK_OK) {
			cli_print_errors(stderr, run.err, "rulebook report", "error");
			status = CLI_TROUBLE;
		} else {
			status = write_page(output, page, len);
		}
		rulebook_mem_free(page);
		if (status == CLI_OK && strcmp(output, "-") != 0) {
			fprintf(stderr, "rulebook report: wrote ");
			cli_put_clean(stderr, output);
			fprintf(stderr, " (%zu records", run.records);
			if (run.skipped)
				fprintf(stderr, ", %zu malformed left out", run.skipped);
			fputs(")\n", stderr);
		}
	}
	free(results);
	free(settings);
	rulebook_population_free(run.pop);
	rulebook_error_free(run.err);
	rulebook_result_free(run.res);
	rulebook_facts_free(run.facts);
	rulebook_free(rb);
	return status;
}
