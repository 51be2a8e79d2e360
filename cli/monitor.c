/* rulebook monitor: targets against time progress (五（三）: 月度监测、季度
 * 通报、年度考核). Every record (a district, a platform) is evaluated as of
 * one date; each of its targets becomes a row, and the rows are sorted with
 * the target furthest behind time progress first. The rows are kept until
 * the end, so memory grows with records × targets. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Usage: rulebook monitor [OPTION]... RULEBOOK PROGRESS... --as-of DATE\n"
	"Evaluate the targets of RULEBOOK for every record in PROGRESS as of DATE\n"
	"and list them against time progress, the most behind first: completion\n"
	"progress minus time progress, ascending; targets whose progress is not\n"
	"known come last. Targets behind_pace or missed are flagged with '!'.\n"
	"\n"
	"  -d, --as-of DATE           the reporting date (YYYY-MM-DD; required)\n"
	"  -f, --format FORMAT        table (default), json, jsonl, csv or markdown\n"
	"  -l, --lang LANG            headers and summary in zh (default) or en\n"
	"      --fail-on STATUS[,...]  exit with status 1 if any target gets one of them\n"
	"                             (e.g. behind_pace,missed)\n"
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
	"Statuses: met, on_pace, behind_pace, missed, not_started, unknown,\n"
	"not_in_force. PROGRESS is read as by 'rulebook eval'. The summary (counts\n"
	"by status, flagged targets by responsible unit) goes to stdout for table\n"
	"and markdown, to stderr for the other formats.\n"
	"Exit status: 0 done, 1 a --fail-on status occurred, 2 usage error,\n"
	"unreadable input, a rulebook without targets or (with --strict) a\n"
	"malformed record, 3 a record was refused (unless --skip-bad).\n";

#define NFIELDS 6

typedef struct mrow {
	char *record;
	size_t target;
	rulebook_target_status status;
	char *v[NFIELDS];          /* figures by rulebook_target_field; NULL if none */
	char lead[48];             /* completion − time progress */
	bool has_lead;
	size_t seq;                /* order of evaluation, for stable sorting */
	char **missing;            /* unknown: the inputs and parameters it misses */
	size_t nmissing;
} mrow;

typedef struct monitor_run {
	const rulebook *rb;
	rulebook_facts *facts;
	rulebook_result *res;
	rulebook_error *err;
	int32_t as_of;
	const char *data_name;
	bool strict, stopped, nomem;
	mrow *rows;
	size_t nrows, cap;
	uint64_t records, skipped;
	uint64_t counts[8];        /* by rulebook_target_status */
	uint32_t fail_on;
	bool failed_on;
	bool en;
} monitor_run;

static bool flagged(rulebook_target_status st)
{
	return st == RULEBOOK_TARGET_BEHIND_PACE || st == RULEBOOK_TARGET_MISSED;
}

static char *dup_or_null(const char *s, bool *nomem)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*nomem = true;
	return d;
}

static void free_row(mrow *r)
{
	free(r->record);
	for (int f = 0; f < NFIELDS; f++)
		free(r->v[f]);
	for (size_t j = 0; j < r->nmissing; j++)
		free(r->missing[j]);
	free(r->missing);
}

static int on_record(const cli_record *rec, void *payload)
{
	monitor_run *run = payload;
	if (!rec->ok) {
		run->skipped++;
		if (run->strict) {
			fputs("rulebook monitor: stopped at the first malformed record (--strict)\n",
			      stderr);
			run->stopped = true;
			return 1;
		}
		return 0;
	}
	if (rulebook_eval(run->rb, run->facts, run->as_of, run->res, run->err) != RULEBOOK_OK) {
		cli_print_errors(stderr, run->err, "rulebook monitor", NULL);
		run->stopped = true;
		return 1;
	}
	run->records++;
	char label[1024];
	const char *id = rulebook_result_record_id(run->res);
	if (!id) {
		if (run->data_name)
			snprintf(label, sizeof label, "%s#%zu", run->data_name, rec->number);
		else
			snprintf(label, sizeof label, "#%zu", rec->number);
		id = label;
	}
	size_t n = rulebook_target_count(run->rb);
	if (run->cap - run->nrows < n) {
		size_t cap = run->cap ? run->cap : 64;
		while (cap - run->nrows < n)
			cap *= 2;
		mrow *rows = realloc(run->rows, cap * sizeof(*rows));
		if (!rows) {
			run->nomem = run->stopped = true;
			return 1;
		}
		run->rows = rows;
		run->cap = cap;
	}
	for (size_t t = 0; t < n; t++) {
		mrow *r = &run->rows[run->nrows];
		memset(r, 0, sizeof(*r));
		r->seq = run->nrows++;
		r->target = t;
		r->status = rulebook_result_target_status(run->res, t);
		r->record = dup_or_null(id, &run->nomem);
		for (int f = 0; f < NFIELDS; f++)
			r->v[f] = dup_or_null(
				rulebook_result_target_value(run->res, t, (rulebook_target_field)f),
				&run->nomem);
		size_t nm = rulebook_result_target_missing_count(run->res, t);
		if (nm && (r->missing = calloc(nm, sizeof(char *))))
			for (; r->nmissing < nm; r->nmissing++)
				r->missing[r->nmissing] = dup_or_null(
					rulebook_result_target_missing(run->res, t, r->nmissing),
					&run->nomem);
		else if (nm)
			run->nomem = true;
		const char *c = r->v[RULEBOOK_TARGET_COMPLETION];
		const char *tp = r->v[RULEBOOK_TARGET_TIME_PROGRESS];
		r->has_lead = c && tp &&
			      rulebook_decimal_calc(c, strlen(c), RULEBOOK_DECIMAL_SUB, tp, strlen(tp),
						    r->lead, sizeof r->lead, NULL) == RULEBOOK_OK;
		if (r->status >= RULEBOOK_TARGET_MET && r->status <= RULEBOOK_TARGET_NOT_IN_FORCE)
			run->counts[r->status]++;
		if (run->fail_on & (1u << r->status))
			run->failed_on = true;
	}
	if (run->nomem) {
		run->stopped = true;
		return 1;
	}
	return 0;
}

static int by_lead(const void *a, const void *b)
{
	const mrow *x = a, *y = b;
	if (x->has_lead != y->has_lead)
		return x->has_lead ? -1 : 1;
	if (x->has_lead) {
		int c = 0;
		if (cli_decimal_cmp(x->lead, y->lead, &c) && c)
			return c;
	}
	/* The library gives completion and time progress rounded to 4
	 * decimals, so a target just behind can show a lead of 0: at equal
	 * leads the flagged ones come first. */
	if (flagged(x->status) != flagged(y->status))
		return flagged(x->status) ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *status_name(int st)
{
	return rulebook_target_status_str((rulebook_target_status)st);
}

/* Parse a comma-separated list of target statuses into a mask. */
static int statuses_parse(const char *text, uint32_t *mask)
{
	return cli_names_parse(text, RULEBOOK_TARGET_MET, RULEBOOK_TARGET_NOT_IN_FORCE, status_name,
			       mask);
}

/* ---- output ---- */

#define NCOLS 12

static const char *const head_en[NCOLS] = {
	"", "RECORD", "TARGET", "CITE", "STATUS", "ACHIEVED", "GOAL", "COMPLETION",
	"TIME PROGRESS", "SHORTFALL", "NEEDED/MONTH", "RESPONSIBLE"};
static const char *const head_zh[NCOLS] = {
	"", "对象", "目标", "条款", "状态", "已完成", "目标值", "完成进度", "时间进度",
	"尚差", "每月需完成", "责任单位"};

/* Right-aligned columns: the figures. */
static bool numeric_col(int c)
{
	return c >= 5 && c <= 10;
}

/* The cells of a row for people: figures rounded, ratios as percentages. */
static void display_cells(const monitor_run *run, const mrow *r, char cells[NCOLS][512],
			  bool markdown)
{
	const rulebook *rb = run->rb;
	const char *unit = rulebook_target_unit(rb, r->target);
	snprintf(cells[0], 512, "%s", flagged(r->status) ? "!" : "");
	snprintf(cells[1], 512, "%s", r->record ? r->record : "");
	snprintf(cells[2], 512, "%s", rulebook_target_id(rb, r->target));
	snprintf(cells[3], 512, "%s", rulebook_target_cite(rb, r->target));
	int at = snprintf(cells[4], 512, markdown && flagged(r->status) ? "**%s**" : "%s",
			  rulebook_target_status_str(r->status));
	/* "unknown (missing: b, goal)" */
	for (size_t j = 0; j < r->nmissing && at > 0 && at < 512; j++)
		at += snprintf(cells[4] + at, 512 - (size_t)at, "%s%s%s",
			       j ? ", " : (run->en ? " (missing: " : "（缺少数据："),
			       r->missing[j] ? r->missing[j] : "?",
			       j + 1 < r->nmissing ? "" : (run->en ? ")" : "）"));
	static const int fields[6] = {RULEBOOK_TARGET_ACHIEVED,   RULEBOOK_TARGET_GOAL,
				      RULEBOOK_TARGET_COMPLETION, RULEBOOK_TARGET_TIME_PROGRESS,
				      RULEBOOK_TARGET_SHORTFALL,  RULEBOOK_TARGET_NEEDED_PER_MONTH};
	for (int k = 0; k < 6; k++) {
		const char *v = r->v[fields[k]];
		char num[256];
		bool ratio = fields[k] == RULEBOOK_TARGET_COMPLETION ||
			     fields[k] == RULEBOOK_TARGET_TIME_PROGRESS;
		if (!v)
			snprintf(cells[5 + k], 512, "-");
		else if (ratio)
			snprintf(cells[5 + k], 512, "%s%%", cli_round_text(v, 2, 2, num, sizeof num));
		else
			snprintf(cells[5 + k], 512, "%s%s%s", cli_people(v, num, sizeof num),
				 unit[0] ? " " : "", unit);
	}
	size_t len = 0;
	cells[11][0] = '\0';
	size_t nu = rulebook_target_responsible_count(rb, r->target);
	for (size_t j = 0; j < nu && len < 512; j++) {
		int n = snprintf(cells[11] + len, 512 - len, "%s%s",
				 j ? (run->en ? ", " : "，") : "",
				 rulebook_target_responsible(rb, r->target, j));
		if (n > 0)
			len += (size_t)n;
	}
}

static void print_table(const monitor_run *run, FILE *fp)
{
	const char *const *head = run->en ? head_en : head_zh;
	size_t w[NCOLS];
	for (int c = 0; c < NCOLS; c++)
		w[c] = cli_text_width(head[c]);
	char(*cells)[512] = malloc(sizeof(char[NCOLS][512]));
	if (!cells)
		return;
	for (size_t i = 0; i < run->nrows; i++) {
		display_cells(run, &run->rows[i], (char(*)[512])cells, false);
		for (int c = 0; c < NCOLS; c++) {
			size_t k = cli_text_width(cells[c]);
			w[c] = k > w[c] ? k : w[c];
		}
	}
	for (size_t i = 0; i <= run->nrows; i++) {
		const char *row[NCOLS];
		if (i == 0) {
			for (int c = 0; c < NCOLS; c++)
				row[c] = head[c];
		} else {
			display_cells(run, &run->rows[i - 1], (char(*)[512])cells, false);
			for (int c = 0; c < NCOLS; c++)
				row[c] = cells[c];
		}
		int last = NCOLS - 1;
		while (last > 0 && !row[last][0])
			last--;
		for (int c = 0; c <= last; c++) {
			if (c)
				fputs("  ", fp);
			size_t k = cli_text_width(row[c]);
			if (numeric_col(c) && i)
				for (size_t s = k; s < w[c]; s++)
					fputc(' ', fp);
			if (c == last || (numeric_col(c) && i))
				cli_put_clean(fp, row[c]);
			else
				cli_put_padded(fp, row[c], w[c]);
		}
		fputc('\n', fp);
	}
	free(cells);
}

static void print_markdown(const monitor_run *run, FILE *fp)
{
	const char *const *head = run->en ? head_en : head_zh;
	fputc('|', fp);
	for (int c = 0; c < NCOLS; c++) {
		fputc(' ', fp);
		cli_markdown_cell(fp, head[c]);
		fputs(" |", fp);
	}
	fputs("\n|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|\n", fp);
	char(*cells)[512] = malloc(sizeof(char[NCOLS][512]));
	if (!cells)
		return;
	for (size_t i = 0; i < run->nrows; i++) {
		display_cells(run, &run->rows[i], (char(*)[512])cells, true);
		fputc('|', fp);
		for (int c = 0; c < NCOLS; c++) {
			fputc(' ', fp);
			cli_markdown_cell(fp, cells[c]);
			fputs(" |", fp);
		}
		fputc('\n', fp);
	}
	free(cells);
}

/* One CSV field holding the items joined by "; ". */
static void put_csv_list(FILE *fp, const char *const *items, size_t n)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++)
		len += strlen(items[j] ? items[j] : "") + 2;
	char *joined = malloc(len);
	if (!joined)
		return;
	joined[0] = '\0';
	for (size_t j = 0; j < n; j++) {
		if (j)
			strcat(joined, "; ");
		strcat(joined, items[j] ? items[j] : "");
	}
	cli_csv_field(fp, joined);
	free(joined);
}

static void print_csv(const monitor_run *run, FILE *fp)
{
	fputs("record,target,cite,status,flagged,achieved,goal,unit,completion,time_progress,"
	      "lead,shortfall,needed_per_month,responsible,missing\n",
	      fp);
	for (size_t i = 0; i < run->nrows; i++) {
		const mrow *r = &run->rows[i];
		const rulebook *rb = run->rb;
		const char *lead = r->has_lead ? r->lead : "";
		const char *cols[] = {r->record ? r->record : "",
				      rulebook_target_id(rb, r->target),
				      rulebook_target_cite(rb, r->target),
				      rulebook_target_status_str(r->status),
				      flagged(r->status) ? "true" : "false",
				      r->v[RULEBOOK_TARGET_ACHIEVED],
				      r->v[RULEBOOK_TARGET_GOAL],
				      rulebook_target_unit(rb, r->target),
				      r->v[RULEBOOK_TARGET_COMPLETION],
				      r->v[RULEBOOK_TARGET_TIME_PROGRESS],
				      lead,
				      r->v[RULEBOOK_TARGET_SHORTFALL],
				      r->v[RULEBOOK_TARGET_NEEDED_PER_MONTH]};
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
			if (c)
				fputc(',', fp);
			cli_csv_field(fp, cols[c] ? cols[c] : "");
		}
		/* The units, separated by "; " (a unit's own name may hold "、"). */
		size_t nu = rulebook_target_responsible_count(rb, r->target);
		const char **units = nu ? malloc(nu * sizeof *units) : NULL;
		for (size_t j = 0; units && j < nu; j++)
			units[j] = rulebook_target_responsible(rb, r->target, j);
		fputc(',', fp);
		put_csv_list(fp, units, units ? nu : 0);
		free(units);
		/* What an unknown target lacks, the same way. */
		fputc(',', fp);
		put_csv_list(fp, (const char *const *)r->missing, r->nmissing);
		fputc('\n', fp);
	}
}

static void print_json(const monitor_run *run, FILE *fp, bool lines)
{
	if (!lines)
		fputc('[', fp);
	for (size_t i = 0; i < run->nrows; i++) {
		const mrow *r = &run->rows[i];
		const rulebook *rb = run->rb;
		if (!lines)
			fputs(i ? ",\n" : "\n", fp);
		fputs("{\"record\":", fp);
		cli_json_put_string(fp, r->record);
		fputs(",\"target\":", fp);
		cli_json_put_string(fp, rulebook_target_id(rb, r->target));
		fputs(",\"cite\":", fp);
		cli_json_put_string(fp, rulebook_target_cite(rb, r->target));
		fprintf(fp, ",\"status\":\"%s\",\"flagged\":%s,\"unit\":",
			rulebook_target_status_str(r->status), flagged(r->status) ? "true" : "false");
		cli_json_put_string(fp, rulebook_target_unit(rb, r->target));
		static const char *const names[NFIELDS] = {
			"achieved", "goal", "completion", "time_progress", "shortfall",
			"needed_per_month"};
		for (int f = 0; f < NFIELDS; f++) {
			fprintf(fp, ",\"%s\":", names[f]);
			cli_json_put_string(fp, r->v[f]);
			if (f == RULEBOOK_TARGET_TIME_PROGRESS) {
				fputs(",\"lead\":", fp);
				cli_json_put_string(fp, r->has_lead ? r->lead : NULL);
			}
		}
		fputs(",\"missing\":[", fp);
		for (size_t j = 0; j < r->nmissing; j++) {
			if (j)
				fputc(',', fp);
			cli_json_put_string(fp, r->missing[j]);
		}
		fputs("],\"responsible\":[", fp);
		for (size_t j = 0; j < rulebook_target_responsible_count(rb, r->target); j++) {
			if (j)
				fputc(',', fp);
			cli_json_put_string(fp, rulebook_target_responsible(rb, r->target, j));
		}
		fputs("]}", fp);
		if (lines)
			fputc('\n', fp);
	}
	if (!lines)
		fputs(run->nrows ? "\n]\n" : "]\n", fp);
}

/* ---- summary ---- */

typedef struct unit_count {
	const char *name;          /* NULL: targets without a responsible unit */
	uint64_t behind, missed;
} unit_count;

static int by_flags(const void *a, const void *b)
{
	const unit_count *x = a, *y = b;
	if (!x->name != !y->name)
		return x->name ? -1 : 1;
	uint64_t tx = x->behind + x->missed, ty = y->behind + y->missed;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return x->name ? strcmp(x->name, y->name) : 0;
}

static void print_summary(const monitor_run *run, FILE *fp, bool markdown)
{
	bool en = run->en;
	char date[16];
	cli_date_text(run->as_of, date);
	size_t ntargets = rulebook_target_count(run->rb);
	if (markdown)
		fprintf(fp, "\n## %s\n\n", en ? "Summary" : "汇总");
	if (en)
		fprintf(fp, "%llu record%s monitored as of %s, %zu target%s each",
			(unsigned long long)run->records, run->records == 1 ? "" : "s", date, ntargets,
			ntargets == 1 ? "" : "s");
	else
		fprintf(fp, "监测对象 %llu 个（截至 %s），每个 %zu 项目标", (unsigned long long)run->records,
			date, ntargets);
	if (run->skipped)
		fprintf(fp, en ? ", %llu malformed record%s skipped" : "，跳过格式错误的记录 %llu 条%s",
			(unsigned long long)run->skipped, en && run->skipped != 1 ? "s" : "");
	if (!markdown)
		fputs("\n ", fp);
	else
		fprintf(fp, "%s\n\n| %s | %s |\n|---|---:|\n", en ? "." : "。", en ? "status" : "状态",
			en ? "targets" : "目标数");
	cli_print_status_counts(fp, run->counts, markdown);

	/* Flagged targets by responsible unit (问效). */
	size_t links = 1;
	for (size_t t = 0; t < ntargets; t++)
		links += rulebook_target_responsible_count(run->rb, t);
	unit_count *units = calloc(links, sizeof(*units));
	if (!units)
		return;
	size_t nunits = 0;
	for (size_t i = 0; i < run->nrows; i++) {
		const mrow *r = &run->rows[i];
		if (!flagged(r->status))
			continue;
		size_t nu = rulebook_target_responsible_count(run->rb, r->target);
		for (size_t j = 0; j < (nu ? nu : 1); j++) {
			const char *name = nu ? rulebook_target_responsible(run->rb, r->target, j) : NULL;
			size_t u = 0;
			while (u < nunits && !(units[u].name == name ||
					       (units[u].name && name && strcmp(units[u].name, name) == 0)))
				u++;
			if (u == nunits)
				units[nunits++].name = name;
			if (r->status == RULEBOOK_TARGET_MISSED)
				units[u].missed++;
			else
				units[u].behind++;
		}
	}
	const char *unassigned = en ? "(unassigned)" : "（未指定）";
	const char *head[3] = {en ? "responsible unit" : "责任单位", "behind_pace", "missed"};
	if (!nunits) {
		fprintf(fp, markdown ? "\n%s\n" : "%s\n",
			en ? "No target is behind pace or missed." : "无滞后于时间进度或未完成的目标。");
	} else if (markdown) {
		qsort(units, nunits, sizeof(*units), by_flags);
		fprintf(fp, "\n### %s\n\n| %s | %s | %s |\n|---|---:|---:|\n",
			en ? "Flagged targets by responsible unit" : "问效清单", head[0], head[1],
			head[2]);
		for (size_t u = 0; u < nunits; u++) {
			fputs("| ", fp);
			cli_markdown_cell(fp, units[u].name ? units[u].name : unassigned);
			fprintf(fp, " | %llu | %llu |\n", (unsigned long long)units[u].behind,
				(unsigned long long)units[u].missed);
		}
	} else {
		qsort(units, nunits, sizeof(*units), by_flags);
		fprintf(fp, "%s\n",
			en ? "Flagged targets by responsible unit (behind pace or missed):"
			   : "问效清单（滞后于时间进度或未完成，按责任单位）：");
		size_t w = cli_text_width(head[0]);
		for (size_t u = 0; u < nunits; u++) {
			size_t k = cli_text_width(units[u].name ? units[u].name : unassigned);
			w = k > w ? k : w;
		}
		fputs("  ", fp);
		cli_put_padded(fp, head[0], w);
		fprintf(fp, "  %s  %s\n", head[1], head[2]);
		for (size_t u = 0; u < nunits; u++) {
			fputs("  ", fp);
			cli_put_padded(fp, units[u].name ? units[u].name : unassigned, w);
			fprintf(fp, "  %*llu  %*llu\n", (int)strlen(head[1]),
				(unsigned long long)units[u].behind, (int)strlen(head[2]),
				(unsigned long long)units[u].missed);
		}
	}
	free(units);
}

int cli_monitor(int argc, char **argv)
{
	enum { OPT_FAIL_ON = 256, OPT_SUMMARY, OPT_NO_SUMMARY };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		CLI_LANG_LONGOPT,
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		CLI_STRICT_LONGOPT,
		{"summary", no_argument, NULL, OPT_SUMMARY},
		{"no-summary", no_argument, NULL, OPT_NO_SUMMARY},
		CLI_DATA_LONGOPTS,
	};
	monitor_run run = {0};
	cli_format format = CLI_OUT_TABLE;
	cli_common opt = {0};
	bool summary = true;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:f:l:i:I:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_format_parse(optarg, &format) < 0)
				return cli_usage_error("monitor", "unknown format '%s': use table, "
								  "json, jsonl, csv or markdown",
						       optarg);
			break;
		case OPT_FAIL_ON:
			if (statuses_parse(optarg, &run.fail_on) < 0)
				return cli_usage_error("monitor", "unknown status in '%s': use met, "
								  "on_pace, behind_pace, missed, "
								  "not_started, unknown or not_in_force",
						       optarg);
			break;
		case OPT_SUMMARY:
		case OPT_NO_SUMMARY:
			summary = c == OPT_SUMMARY;
			break;
		case 'h':
			fputs(help, stdout);
			return CLI_OK;
		default: {
			int st = cli_common_option("monitor", argv, c, optarg, &opt);
			if (st != CLI_OK)
				return st;
			break;
		}
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("monitor", argc - optind
							  ? "no progress data given"
							  : "a rulebook and progress data are needed");
	if (!opt.have_date)
		return cli_usage_error("monitor", "--as-of DATE is needed: progress is measured "
						  "against the time elapsed by that date");
	run.as_of = opt.as_of;
	run.en = opt.en;
	run.strict = opt.strict;
	if (cli_stdin_once("monitor", argc, argv) != CLI_OK)
		return CLI_TROUBLE;
	rulebook *rb = NULL;
	if (cli_load_rulebook(argv[optind], stderr, &rb) != CLI_OK)
		return CLI_TROUBLE;
	if (!rulebook_target_count(rb)) {
		cli_put_clean(stderr, strcmp(argv[optind], "-") == 0 ? "<stdin>" : argv[optind]);
		fputs(": the rulebook has no targets to monitor\n", stderr);
		rulebook_free(rb);
		return CLI_TROUBLE;
	}
	cli_warn_not_in_force(argv[optind], rb, run.as_of);
	run.rb = rb;
	run.facts = rulebook_facts_new(rb);
	run.res = rulebook_result_new(rb);
	run.err = rulebook_error_new();
	int status = CLI_OK;
	if (!run.facts || !run.res || !run.err) {
		fputs("rulebook monitor: out of memory\n", stderr);
		status = CLI_TROUBLE;
	}
	for (int i = optind + 1; i < argc && status == CLI_OK && !run.stopped; i++) {
		cli_source src = {argv[i], opt.input_format, true, opt.ignore_unknown};
		run.data_name = argc - optind > 2 ? argv[i] : NULL;
		const rulebook *books[1] = {rb};
		rulebook_facts *facts[1] = {run.facts};
		status = cli_read_records(&src, books, facts, 1, on_record, &run);
	}
	if (run.nomem)
		fputs("rulebook monitor: out of memory\n", stderr);
	if (status == CLI_OK && run.stopped)
		status = CLI_TROUBLE;
	if (status == CLI_OK) {
		if (run.nrows) /* qsort wants an array, even of nothing */
			qsort(run.rows, run.nrows, sizeof(*run.rows), by_lead);
		switch (format) {
		case CLI_OUT_TABLE:
			print_table(&run, stdout);
			break;
		case CLI_OUT_MARKDOWN:
			print_markdown(&run, stdout);
			break;
		case CLI_OUT_CSV:
			print_csv(&run, stdout);
			break;
		case CLI_OUT_JSON:
		case CLI_OUT_JSONL:
			print_json(&run, stdout, format == CLI_OUT_JSONL);
			break;
		case CLI_OUT_XLSX: /* not a format of monitor (eval only) */
			break;
		}
		if (summary) {
			bool machine = cli_format_is_machine(format);
			if (format == CLI_OUT_TABLE)
				fputc('\n', stdout);
			fflush(stdout);
			print_summary(&run, machine ? stderr : stdout, format == CLI_OUT_MARKDOWN);
		}
		if (run.failed_on)
			status = CLI_FINDINGS;
	}
	for (size_t i = 0; i < run.nrows; i++)
		free_row(&run.rows[i]);
	free(run.rows);
	rulebook_error_free(run.err);
	rulebook_result_free(run.res);
	rulebook_facts_free(run.facts);
	rulebook_free(rb);
	return status;
}
