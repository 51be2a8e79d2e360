/* rulebook diff: evaluate records under two versions of a rulebook and list
 * what changed, with the parameters that differ as the likely causes. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook diff [OPTION]... OLD NEW DATA\n"
	"Evaluate every record in DATA under the rulebooks OLD and NEW and list\n"
	"the verdicts that changed for rules present in both, the rules only one\n"
	"of them has, and the parameters whose value (as of the date), unit,\n"
	"provenance or clause differ, as the likely causes.\n"
	"\n"
	"  -d, --as-of DATE           evaluate as of DATE (YYYY-MM-DD; default today)\n"
	"  -i, --input-format FORMAT  csv, json or jsonl (default: from the file name)\n"
	"      --ignore-unknown       skip columns and keys that are not inputs of\n"
	"                             either rulebook\n"
	CLI_INPUT_HELP
	"  -I, --search-path DIR      look for the parents named by 'extends: <id>' in\n"
	"                             DIR too (repeatable)\n"
	"      --strict               stop at the first malformed record (status 2)\n"
	"  -h, --help                 show this help and exit\n"
	"\n"
	"A changed verdict is printed as 'RECORD  RULE  OLD → NEW'. A column or key\n"
	"must be an input of at least one of the rulebooks.\n"
	"Exit status: 0 no differences, 1 differences, 2 usage error, unreadable\n"
	"input or (with --strict) a malformed record, 3 a record was refused\n"
	"(unless --skip-bad).\n";

typedef struct diff_run {
	const rulebook *books[2];
	rulebook_facts *facts[2];
	rulebook_result *res[2];
	const char *names[2];
	int32_t as_of;
	bool strict;
	size_t *to_new;            /* old rule index -> new rule index, SIZE_MAX if gone */
	size_t w_rule, w_record;
	uint64_t (*only_counts[2])[8]; /* verdict counts of rules only in one book */
	size_t records, changed_records, changes, skipped;
	bool heading_shown;
	bool stopped;
} diff_run;

static size_t param_index(const rulebook *rb, const char *name)
{
	for (size_t i = 0; i < rulebook_param_count(rb); i++)
		if (strcmp(rulebook_param_name(rb, i), name) == 0)
			return i;
	return SIZE_MAX;
}

static const char *param_value_text(diff_run *run, int b, const char *name, char *buf, size_t size)
{
	const rulebook *rb = run->books[b];
	size_t idx = param_index(rb, name);
	const char *v = rulebook_result_value(run->res[b], name);
	if (!v && idx != SIZE_MAX)
		v = rulebook_param_value(rb, idx, run->as_of);
	const char *unit = idx != SIZE_MAX ? rulebook_param_unit(rb, idx) : "";
	if (!v)
		snprintf(buf, size, "(no value)");
	else
		snprintf(buf, size, "%s%s%s", v, unit[0] ? " " : "", unit);
	return buf;
}

/* Parameters that differ; returns how many. Values come from an
 * evaluation with no facts, which gives each parameter in its unit. */
static size_t diff_parameters(diff_run *run)
{
	size_t n = 0;
	for (int b = 0; b < 2; b++) {
		rulebook_facts_clear(run->facts[b]);
		rulebook_eval(run->books[b], run->facts[b], run->as_of, run->res[b], NULL);
	}
	for (int b = 0; b < 2; b++) {
		const rulebook *rb = run->books[b], *other = run->books[1 - b];
		for (size_t i = 0; i < rulebook_param_count(rb); i++) {
			const char *name = rulebook_param_name(rb, i);
			size_t j = param_index(other, name);
			char v0[256], v1[256];
			if (j == SIZE_MAX) {
				if (!n++)
					puts("Parameters that differ (likely causes):");
				fputs("  ", stdout);
				cli_put_clean(stdout, name);
				fputs(": only in ", stdout);
				cli_put_clean(stdout, run->names[b]);
				fputs(" (", stdout);
				param_value_text(run, b, name, v0, sizeof v0);
				cli_put_clean(stdout, v0);
				fputs(")\n", stdout);
				continue;
			}
			if (b == 1)
				continue; /* pairs are compared once, from the old side */
			param_value_text(run, 0, name, v0, sizeof v0);
			param_value_text(run, 1, name, v1, sizeof v1);
			const char *p0 = rulebook_param_provenance(rb, i);
			const char *p1 = rulebook_param_provenance(other, j);
			const char *c0 = rulebook_param_cite(rb, i);
			const char *c1 = rulebook_param_cite(other, j);
			bool dv = strcmp(v0, v1) != 0;
			bool dp = strcmp(p0, p1) != 0;
			bool dc = strcmp(c0, c1) != 0;
			if (!dv && !dp && !dc)
				continue;
			if (!n++)
				puts("Parameters that differ (likely causes):");
			fputs("  ", stdout);
			cli_put_clean(stdout, name);
			const char *sep = ": ";
			if (dv) {
				printf("%s", sep);
				cli_put_clean(stdout, v0);
				fputs(" → ", stdout);
				cli_put_clean(stdout, v1);
				sep = "; ";
			}
			if (dp) {
				printf("%sprovenance %s → %s", sep, p0, p1);
				sep = "; ";
			}
			if (dc) {
				printf("%sclause ", sep);
				cli_put_clean(stdout, c0);
				fputs(" → ", stdout);
				cli_put_clean(stdout, c1);
			}
			fputc('\n', stdout);
		}
	}
	return n;
}

/* Rules only one of the books has; returns how many. */
static size_t diff_rules(diff_run *run)
{
	size_t n = 0;
	for (int b = 0; b < 2; b++) {
		const rulebook *rb = run->books[b], *other = run->books[1 - b];
		size_t listed = 0;
		for (size_t i = 0; i < rulebook_rule_count(rb); i++) {
			const char *id = rulebook_rule_id(rb, i);
			size_t j;
			if (rulebook_rule_index(other, id, strlen(id), &j) == RULEBOOK_OK)
				continue;
			if (!listed++) {
				fputs("Rules only in ", stdout);
				cli_put_clean(stdout, run->names[b]);
				fputs(":\n", stdout);
			}
			fputs("  ", stdout);
			cli_put_clean(stdout, id);
			fputc('\n', stdout);
		}
		n += listed;
	}
	return n;
}

static int on_record(const cli_record *rec, void *payload)
{
	diff_run *run = payload;
	if (!rec->ok) {
		run->skipped++;
		if (run->strict) {
			fputs("rulebook diff: stopped at the first malformed record (--strict)\n",
			      stderr);
			run->stopped = true;
			return 1;
		}
		return 0;
	}
	for (int b = 0; b < 2; b++)
		if (rulebook_eval(run->books[b], run->facts[b], run->as_of, run->res[b], NULL) !=
		    RULEBOOK_OK) {
			fputs("rulebook diff: evaluation failed\n", stderr);
			run->stopped = true;
			return 1;
		}
	run->records++;
	char label[32];
	const char *id = rulebook_result_record_id(run->res[0]);
	if (!id) {
		snprintf(label, sizeof label, "#%zu", rec->number);
		id = label;
	}
	size_t w = cli_text_width(id);
	run->w_record = w > run->w_record ? w : run->w_record;
	size_t changes = 0;
	const rulebook *old = run->books[0];
	for (size_t i = 0; i < rulebook_rule_count(old); i++) {
		size_t j = run->to_new[i];
		rulebook_verdict v0 = rulebook_result_verdict(run->res[0], i);
		if (j == SIZE_MAX) {
			run->only_counts[0][i][v0]++;
			continue;
		}
		rulebook_verdict v1 = rulebook_result_verdict(run->res[1], j);
		if (v0 == v1)
			continue;
		if (!run->heading_shown) {
			puts("Changed verdicts:");
			run->heading_shown = true;
		}
		fputs("  ", stdout);
		cli_put_padded(stdout, id, run->w_record);
		fputs("  ", stdout);
		cli_put_padded(stdout, rulebook_rule_id(old, i), run->w_rule);
		printf("  %s → %s\n", rulebook_verdict_str(v0), rulebook_verdict_str(v1));
		changes++;
	}
	const rulebook *nb = run->books[1];
	for (size_t j = 0; j < rulebook_rule_count(nb); j++) {
		const char *rid = rulebook_rule_id(nb, j);
		size_t i;
		if (rulebook_rule_index(old, rid, strlen(rid), &i) != RULEBOOK_OK)
			run->only_counts[1][j][rulebook_result_verdict(run->res[1], j)]++;
	}
	run->changes += changes;
	run->changed_records += changes != 0;
	return 0;
}

static void print_only_counts(const diff_run *run)
{
	for (int b = 0; b < 2; b++) {
		const rulebook *rb = run->books[b], *other = run->books[1 - b];
		for (size_t i = 0; i < rulebook_rule_count(rb); i++) {
			const char *id = rulebook_rule_id(rb, i);
			size_t j;
			if (rulebook_rule_index(other, id, strlen(id), &j) == RULEBOOK_OK)
				continue;
			fputs("  ", stdout);
			cli_put_clean(stdout, id);
			fputs(" (only in ", stdout);
			cli_put_clean(stdout, run->names[b]);
			fputs("):", stdout);
			const char *sep = " ";
			for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++) {
				if (!run->only_counts[b][i][v])
					continue;
				printf("%s%s %llu", sep, rulebook_verdict_str((rulebook_verdict)v),
				       (unsigned long long)run->only_counts[b][i][v]);
				sep = ", ";
			}
			fputc('\n', stdout);
		}
	}
}

int cli_diff(int argc, char **argv)
{
	enum { OPT_STRICT = 256, OPT_IGNORE_UNKNOWN };
	static const struct option longopts[] = {
		{"as-of", required_argument, NULL, 'd'},
		{"input-format", required_argument, NULL, 'i'},
		{"search-path", required_argument, NULL, 'I'},
		{"ignore-unknown", no_argument, NULL, OPT_IGNORE_UNKNOWN},
		{"strict", no_argument, NULL, OPT_STRICT},
		CLI_INPUT_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	diff_run run = {0};
	cli_input_format input_format = CLI_IN_AUTO;
	bool have_date = false, ignore_unknown = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (cli_parse_date("diff", optarg, &run.as_of) < 0)
				return CLI_TROUBLE;
			have_date = true;
			break;
		case 'i':
			if (cli_input_format_parse(optarg, &input_format) < 0)
				return cli_usage_error("diff", "unknown input format '%s': use csv, "
							       "json or jsonl", optarg);
			break;
		case 'I':
			if (cli_add_search_path("diff", optarg) < 0)
				return CLI_TROUBLE;
			break;
		case OPT_IGNORE_UNKNOWN:
			ignore_unknown = true;
			break;
		case OPT_STRICT:
			run.strict = true;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int handled = cli_input_option("diff", c, optarg);
			if (handled < 0)
				return CLI_TROUBLE;
			if (handled)
				break;
			return cli_bad_option("diff", argv, optopt, c == ':');
		}
		}
	}
	if (argc - optind != 3)
		return cli_usage_error("diff", "two rulebooks and a data file are needed");
	for (int i = optind; i < argc; i++)
		for (int k = optind; k < i; k++)
			if (strcmp(argv[i], "-") == 0 && strcmp(argv[k], "-") == 0)
				return cli_usage_error("diff", "stdin ('-') can be read only once");
	if (!have_date)
		run.as_of = cli_today();
	rulebook *books[2] = {NULL, NULL};
	int status = CLI_OK;
	for (int b = 0; b < 2 && status == CLI_OK; b++) {
		run.names[b] = strcmp(argv[optind + b], "-") == 0 ? "<stdin>" : argv[optind + b];
		if (cli_load_rulebook(argv[optind + b], stderr, &books[b]) != CLI_OK)
			status = CLI_TROUBLE;
	}
	if (status != CLI_OK) {
		rulebook_free(books[0]);
		return status;
	}
	size_t nrules[2];
	for (int b = 0; b < 2; b++) {
		run.books[b] = books[b];
		run.facts[b] = rulebook_facts_new(books[b]);
		run.res[b] = rulebook_result_new(books[b]);
		nrules[b] = rulebook_rule_count(books[b]);
		run.only_counts[b] = calloc(nrules[b] + 1, sizeof(*run.only_counts[b]));
	}
	run.to_new = calloc(nrules[0] + 1, sizeof(size_t));
	if (!run.facts[0] || !run.facts[1] || !run.res[0] || !run.res[1] || !run.to_new ||
	    !run.only_counts[0] || !run.only_counts[1]) {
		fputs("rulebook diff: out of memory\n", stderr);
		status = CLI_TROUBLE;
	} else {
		if (strcmp(rulebook_id(books[0]), rulebook_id(books[1])) != 0)
			fprintf(stderr,
				"rulebook diff: warning: the rulebooks have different ids (%s, %s)\n",
				rulebook_id(books[0]), rulebook_id(books[1]));
		for (size_t i = 0; i < nrules[0]; i++) {
			const char *id = rulebook_rule_id(books[0], i);
			size_t *j = &run.to_new[i];
			if (rulebook_rule_index(books[1], id, strlen(id), j) != RULEBOOK_OK)
				*j = SIZE_MAX;
			else if (cli_text_width(id) > run.w_rule)
				run.w_rule = cli_text_width(id);
		}
		size_t static_diffs = diff_parameters(&run) + diff_rules(&run);
		cli_source src = {argv[optind + 2], input_format, true, ignore_unknown};
		const rulebook *const cbooks[2] = {books[0], books[1]};
		status = cli_read_records(&src, cbooks, run.facts, 2, on_record, &run);
		if (status == CLI_OK && run.stopped)
			status = CLI_TROUBLE;
		printf("%s%zu record%s compared, %zu with changed verdicts (%zu change%s)",
		       static_diffs || run.heading_shown ? "\n" : "", run.records,
		       run.records == 1 ? "" : "s", run.changed_records, run.changes,
		       run.changes == 1 ? "" : "s");
		if (run.skipped)
			printf(", %zu malformed skipped", run.skipped);
		fputc('\n', stdout);
		print_only_counts(&run);
		if (status == CLI_OK && (static_diffs || run.changes))
			status = CLI_FINDINGS;
	}
	for (int b = 0; b < 2; b++) {
		free(run.only_counts[b]);
		rulebook_result_free(run.res[b]);
		rulebook_facts_free(run.facts[b]);
		rulebook_free(books[b]);
	}
	free(run.to_new);
	return status;
}
