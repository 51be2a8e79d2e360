/* Results as an Excel workbook (--format xlsx), written with libxlsxwriter:
 *
 *   评价结果  the rows of the CSV output, with the same columns and Chinese
 *            headers (English with --lang en);
 *   督办清单  failures by responsible unit: how many, in how many rules and
 *            records;
 *   后果      when the scorecards declare consequences: each consequence the
 *            records got, by scorecard and class, with its amount, the
 *            number of records and the citation, as the summary lists them;
 *   来源      the rulebook, its hash, the as-of date, the data files and the
 *            library version.
 *
 * Every cell is written as a string or a number, never as a formula, so a
 * record id such as =HYPERLINK(...) stays text. libxlsxwriter writes to a
 * file: the workbook is built in a temporary file and then copied to the
 * output. */
#include "../cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct unit_tally {
	const char *unit;        /* owned by the rulebook */
	uint64_t failures, records;
	size_t last_record;      /* 1-based; the record last counted */
	unsigned char *rules;    /* per rule: failed at least once */
	uint64_t nrules;
} unit_tally;

struct cli_xlsx {
	const rulebook *rb;
	bool en;
	char path[64];
	lxw_workbook *wb;
	lxw_worksheet *results, *followup, *consequences, *source;
	lxw_format *bold;
	lxw_row_t row;
	unit_tally *units;
	size_t nunits;
	size_t records;
	char **files;
	size_t nfiles;
	cli_consequences *cq;    /* NULL when no scorecard declares a consequence */
	bool failed;
};

static const char *const headers_zh[] = {"对象", "规则", "条款", "结论", "差距", "说明",
					 "规则集", "规则集哈希", "评价日期", "版本"};
static const char *const headers_en[] = {"record", "rule", "cite", "verdict", "gap", "message",
					 "rulebook", "rulebook_hash", "as_of", "library_version"};

static void free_xlsx(cli_xlsx *x)
{
	for (size_t i = 0; i < x->nunits; i++)
		free(x->units[i].rules);
	free(x->units);
	for (size_t i = 0; i < x->nfiles; i++)
		free(x->files[i]);
	free(x->files);
	cli_consequences_free(x->cq);
	free(x);
}

cli_xlsx *cli_xlsx_new(const rulebook *rb, bool en)
{
	cli_xlsx *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->rb = rb;
	x->en = en;
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++)
		if (rulebook_scorecard_consequence_count(rb, k)) {
			x->cq = cli_consequences_new(rb);
			if (!x->cq) {
				fputs("rulebook: out of memory\n", stderr);
				free_xlsx(x);
				return NULL;
			}
			break;
		}
	const char *dir = getenv("TMPDIR");
	snprintf(x->path, sizeof x->path, "%s/rulebook-XXXXXX",
		 dir && dir[0] && strlen(dir) < 40 ? dir : "/tmp");
	int fd = mkstemp(x->path);
	if (fd < 0) {
		fprintf(stderr, "rulebook: cannot create a temporary file for the workbook: %s\n",
			strerror(errno));
		free_xlsx(x);
		return NULL;
	}
	close(fd);
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
	x->wb = workbook_new_opt(x->path, &opts);
	if (x->wb) {
		x->results = workbook_add_worksheet(x->wb, en ? "results" : "评价结果");
		x->followup = workbook_add_worksheet(x->wb, en ? "follow-up" : "督办清单");
		if (x->cq)
			x->consequences =
				workbook_add_worksheet(x->wb, en ? "consequences" : "后果");
		x->source = workbook_add_worksheet(x->wb, en ? "source" : "来源");
		x->bold = workbook_add_format(x->wb);
	}
	if (!x->wb || !x->results || !x->followup || (x->cq && !x->consequences) || !x->source ||
	    !x->bold) {
		fputs("rulebook: cannot start the workbook\n", stderr);
		unlink(x->path);
		free_xlsx(x);
		return NULL;
	}
	format_set_bold(x->bold);
	const char *const *h = en ? headers_en : headers_zh;
	for (lxw_col_t c = 0; c < 10; c++)
		worksheet_write_string(x->results, 0, c, h[c], x->bold);
	worksheet_freeze_panes(x->results, 1, 0);
	x->row = 1;
	return x;
}

void cli_xlsx_row(cli_xlsx *x, const char *const cols[10])
{
	if (x->row >= LXW_ROW_MAX) {
		if (!x->failed)
			fputs("rulebook: more rows than a worksheet holds (1048576); the workbook "
			      "is cut short\n",
			      stderr);
		x->failed = true;
		return;
	}
	for (lxw_col_t c = 0; c < 10; c++)
		if (cols[c] && cols[c][0])
			worksheet_write_string(x->results, x->row, c, cols[c], NULL);
	x->row++;
}

static unit_tally *tally_of(cli_xlsx *x, const char *unit)
{
	for (size_t i = 0; i < x->nunits; i++)
		if (strcmp(x->units[i].unit, unit) == 0)
			return &x->units[i];
	unit_tally *u = realloc(x->units, (x->nunits + 1) * sizeof(*u));
	if (!u)
		return NULL;
	x->units = u;
	u = &x->units[x->nunits];
	memset(u, 0, sizeof(*u));
	u->unit = unit;
	u->nrules = rulebook_rule_count(x->rb);
	u->rules = calloc(u->nrules ? u->nrules : 1, 1);
	if (!u->rules)
		return NULL;
	x->nunits++;
	return u;
}

void cli_xlsx_record(cli_xlsx *x, rulebook_result *res)
{
	x->records++;
	if (x->cq)
		cli_consequences_add(x->cq, res);
	for (size_t i = 0; i < rulebook_rule_count(x->rb); i++) {
		if (rulebook_result_verdict(res, i) != RULEBOOK_FAIL)
			continue;
		size_t n = rulebook_rule_responsible_count(x->rb, i);
		/* A rule that names no unit is listed as the summary lists it. */
		const char *none = x->en ? "(unassigned)" : "（未指定）";
		for (size_t j = 0; j < (n ? n : 1); j++) {
			unit_tally *u = tally_of(x, n ? rulebook_rule_responsible(x->rb, i, j) : none);
			if (!u)
				continue;
			u->failures++;
			u->rules[i] = 1;
			if (u->last_record != x->records) {
				u->last_record = x->records;
				u->records++;
			}
		}
	}
}

void cli_xlsx_population(cli_xlsx *x, rulebook_population *pop)
{
	if (x->cq)
		cli_consequences_population(x->cq, pop);
}

void cli_xlsx_source(cli_xlsx *x, const char *path)
{
	char **f = realloc(x->files, (x->nfiles + 1) * sizeof(*f));
	if (!f)
		return;
	x->files = f;
	x->files[x->nfiles] = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	if (x->files[x->nfiles])
		x->nfiles++;
}

static int by_failures(const void *a, const void *b)
{
	const unit_tally *x = a, *y = b;
	if (x->failures != y->failures)
		return x->failures < y->failures ? 1 : -1;
	return strcmp(x->unit, y->unit);
}

static void write_followup(cli_xlsx *x)
{
	static const char *const zh[] = {"责任单位", "未达标次数", "规则数", "对象数"};
	static const char *const en[] = {"responsible unit", "failures", "rules", "records"};
	const char *const *h = x->en ? en : zh;
	for (lxw_col_t c = 0; c < 4; c++)
		worksheet_write_string(x->followup, 0, c, h[c], x->bold);
	if (x->nunits)
		qsort(x->units, x->nunits, sizeof(*x->units), by_failures);
	for (size_t i = 0; i < x->nunits; i++) {
		const unit_tally *u = &x->units[i];
		uint64_t rules = 0;
		for (uint64_t k = 0; k < u->nrules; k++)
			rules += u->rules[k];
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(x->followup, r, 0, u->unit, NULL);
		worksheet_write_number(x->followup, r, 1, (double)u->failures, NULL);
		worksheet_write_number(x->followup, r, 2, (double)rules, NULL);
		worksheet_write_number(x->followup, r, 3, (double)u->records, NULL);
	}
	worksheet_set_column(x->followup, 0, 0, 20, NULL);
}

static void write_consequences(cli_xlsx *x)
{
	static const char *const zh[] = {"评分卡", "后果", "类别", "金额", "对象数", "条款"};
	static const char *const en[] = {"scorecard", "consequence", "class", "amount", "records",
					 "cite"};
	const char *const *h = x->en ? en : zh;
	for (lxw_col_t c = 0; c < 6; c++)
		worksheet_write_string(x->consequences, 0, c, h[c], x->bold);
	lxw_row_t r = 1;
	cli_consequence_line line;
	for (size_t i = 0; cli_consequences_line(x->cq, i, x->en, &line); i++) {
		if (!line.records)
			continue;
		worksheet_write_string(x->consequences, r, 0,
				       rulebook_scorecard_id(x->rb, line.scorecard), NULL);
		worksheet_write_string(x->consequences, r, 1, line.id, NULL);
		worksheet_write_string(x->consequences, r, 2, line.cls, NULL);
		worksheet_write_string(x->consequences, r, 3, line.amount, NULL);
		worksheet_write_number(x->consequences, r, 4, (double)line.records, NULL);
		if (line.cite)
			worksheet_write_string(x->consequences, r, 5, line.cite, NULL);
		r++;
	}
	worksheet_set_column(x->consequences, 1, 1, 24, NULL);
	worksheet_set_column(x->consequences, 3, 3, 40, NULL);
}

static void write_source(cli_xlsx *x, int32_t as_of)
{
	char date[16];
	const char *title = rulebook_title(x->rb, x->en ? "en" : "zh");
	const char *names_zh[] = {"规则集", "名称", "规则集哈希", "评价日期", "数据文件", "版本"};
	const char *names_en[] = {"rulebook", "title", "rulebook hash", "as of", "data file",
				  "library version"};
	const char *values[] = {rulebook_id(x->rb), title ? title : "", rulebook_hash(x->rb),
				as_of ? cli_date_text(as_of, date) : "", NULL, rulebook_version()};
	const char *const *names = x->en ? names_en : names_zh;
	lxw_row_t r = 0;
	for (size_t i = 0; i < 6; i++) {
		if (i == 4) {
			for (size_t k = 0; k < x->nfiles; k++) {
				worksheet_write_string(x->source, r, 0, names[i], x->bold);
				worksheet_write_string(x->source, r++, 1, x->files[k], NULL);
			}
			continue;
		}
		worksheet_write_string(x->source, r, 0, names[i], x->bold);
		worksheet_write_string(x->source, r++, 1, values[i], NULL);
	}
	worksheet_set_column(x->source, 0, 0, 16, NULL);
	worksheet_set_column(x->source, 1, 1, 70, NULL);
}

bool cli_xlsx_finish(cli_xlsx *x, FILE *out, int32_t as_of)
{
	if (!x)
		return false;
	write_followup(x);
	if (x->cq)
		write_consequences(x);
	write_source(x, as_of);
	worksheet_set_column(x->results, 0, 0, 22, NULL);
	worksheet_set_column(x->results, 5, 5, 60, NULL);
	bool ok = workbook_close(x->wb) == LXW_NO_ERROR;
	if (!ok)
		fputs("rulebook: cannot write the workbook\n", stderr);
	FILE *in = ok ? fopen(x->path, "rb") : NULL;
	if (ok && !in) {
		fprintf(stderr, "rulebook: cannot read the workbook back: %s\n", strerror(errno));
		ok = false;
	}
	char buf[65536];
	size_t n;
	while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			ok = false;
			break;
		}
	if (in)
		fclose(in);
	unlink(x->path);
	free_xlsx(x);
	return ok;
}
