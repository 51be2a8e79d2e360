/* Evaluation results as a table, JSON, JSON Lines, CSV or Markdown, and
 * the output format and verdict names the options take. */
#include "../cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- option values ---- */

static const char *const format_names[] = {"table", "json", "jsonl", "csv", "markdown"};

int cli_format_parse(const char *text, cli_format *out)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(text, format_names[i]) == 0) {
			*out = (cli_format)i;
			return 0;
		}
	if (strcmp(text, "md") == 0) {
		*out = CLI_OUT_MARKDOWN;
		return 0;
	}
	return -1;
}

bool cli_format_is_machine(cli_format fmt)
{
	return fmt == CLI_OUT_JSON || fmt == CLI_OUT_JSONL || fmt == CLI_OUT_CSV ||
	       fmt == CLI_OUT_XLSX;
}

int cli_names_parse(const char *text, int first, int last, const char *(*name_of)(int),
		    uint32_t *mask)
{
	*mask = 0;
	const char *p = text;
	for (;;) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int v = first; v <= last; v++) {
			const char *name = name_of(v);
			if (strlen(name) == n && strncmp(p, name, n) == 0) {
				*mask |= 1u << v;
				found = 1;
			}
		}
		if (!found)
			return -1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static const char *verdict_name(int v)
{
	return rulebook_verdict_str((rulebook_verdict)v);
}

int cli_verdicts_parse(const char *text, uint32_t *mask)
{
	return cli_names_parse(text, RULEBOOK_PASS, RULEBOOK_ERROR, verdict_name, mask);
}

void cli_print_status_counts(FILE *fp, const uint64_t counts[8], bool markdown)
{
	for (int st = RULEBOOK_TARGET_MET; st <= RULEBOOK_TARGET_NOT_IN_FORCE; st++) {
		const char *name = rulebook_target_status_str((rulebook_target_status)st);
		if (markdown)
			fprintf(fp, "| %s | %llu |\n", name, (unsigned long long)counts[st]);
		else
			fprintf(fp, " %s %llu%s", name, (unsigned long long)counts[st],
				st == RULEBOOK_TARGET_NOT_IN_FORCE ? "\n" : ",");
	}
}

/* ---- results ---- */

struct cli_output {
	FILE *fp;
	cli_format fmt;
	const rulebook *rb;
	bool en;
	uint32_t only;
	bool population;           /* population mode: classes by rank, aggregates */
	bool closed;               /* the JSON document was closed */
	size_t records;            /* records written (json separators) */
	size_t w_record, w_rule, w_cite, w_verdict, w_gap;
	char note[2048];
	char cell[256];
	/* A table's first rows are held back to size its columns. */
	bool held;                 /* still holding rows back */
	bool header_due;           /* CSV and Markdown: the header is not written yet */
	int32_t as_of;             /* for the provenance; 0 unknown */
	cli_xlsx *xlsx;            /* --format xlsx */
	char *rows;                /* six NUL-terminated cells per row */
	size_t rows_len, rows_cap, nrows;
};

#define TABLE_WINDOW 1000

static const char *const headers_en[] = {"RECORD", "RULE", "CITE", "VERDICT", "GAP", "MESSAGE"};
static const char *const headers_zh[] = {"对象", "规则", "条款", "结论", "差距", "说明"};
static const char *const headers_csv[] = {"record", "rule", "cite", "verdict", "gap", "message"};
static const char *const provenance_csv[] = {"rulebook", "rulebook_hash", "as_of",
					     "library_version"};

struct cli_output;
static void csv_row(struct cli_output *o, const char *const cols[6]);

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Table row: each column padded, the last non-empty one not, so no line
 * ends in spaces. */
static void table_row(cli_output *o, const char *const cols[6])
{
	const size_t widths[5] = {o->w_record, o->w_rule, o->w_cite, o->w_verdict, o->w_gap};
	int last = 5;
	while (last > 0 && !cols[last][0])
		last--;
	for (int i = 0; i <= last; i++) {
		if (i)
			fputs("  ", o->fp);
		if (i < last)
			cli_put_padded(o->fp, cols[i], widths[i]);
		else
			cli_put_clean(o->fp, cols[i]);
	}
	fputc('\n', o->fp);
}

/* A spreadsheet opening the CSV runs a cell that starts with = + - @ (or
 * a tab or carriage return before one) as a formula: =HYPERLINK(...) in a
 * record id would be a live link. Such cells get a leading apostrophe, the
 * spreadsheets' own mark for "text". Signed figures the tool writes ("-2",
 * "+4.2 万元/亩", "-3%") are left alone. */
static bool formula_like(const char *s)
{
	if (!strchr("=+-@\t\r", s[0]) || !s[0])
		return false;
	if (s[0] != '+' && s[0] != '-')
		return true;
	const char *p = s + 1;
	if (*p < '0' || *p > '9')
		return true;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (*p == '%')
		p++;
	if (!*p)
		return false;
	return *p != ' ' || p[strcspn(p, "=+-@()!|;:,\"'&<>[]{}\t\r\n")] != '\0';
}

void cli_csv_field(FILE *fp, const char *s)
{
	bool formula = formula_like(s);
	if (!formula && !s[strcspn(s, ",\"\r\n")]) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* A CSV row carries its provenance in four trailing columns (rulebook id,
 * closure hash, as-of date, library version): a row stays traceable when
 * it is sorted, filtered, copied or concatenated with another run's, and
 * spreadsheets read the file as it is (a comment line would show as a row
 * of data). */
static void csv_row(cli_output *o, const char *const cols[6])
{
	FILE *fp = o->fp;
	for (int i = 0; i < 6; i++) {
		if (i)
			fputc(',', fp);
		cli_csv_field(fp, cols[i]);
	}
	char date[16];
	const char *prov[4] = {rulebook_id(o->rb), rulebook_hash(o->rb),
			       o->as_of ? cli_date_text(o->as_of, date) : "", rulebook_version()};
	if (cols == headers_csv)
		for (int i = 0; i < 4; i++)
			prov[i] = provenance_csv[i];
	for (int i = 0; i < 4; i++) {
		fputc(',', fp);
		cli_csv_field(fp, prov[i] ? prov[i] : "");
	}
	fputc('\n', fp);
}

void cli_markdown_cell(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left) {
		uint32_t c = 0;
		size_t n = cli_utf8_char(p, left, &c);
		n = n ? n : 1;
		if (*p == '|' || *p == '\\')
			fputc('\\', fp);
		if (n > 1 && cli_invisible(c))
			fprintf(fp, "<U+%04X>", (unsigned)c);
		else if (n == 1)
			fputc(*p < 0x20 || *p == 0x7F ? ' ' : *p, fp);
		else
			fwrite(p, 1, n, fp);
		p += n;
		left -= n;
	}
}

static void markdown_row(FILE *fp, const char *const cols[6])
{
	fputc('|', fp);
	for (int i = 0; i < 6; i++) {
		fputc(' ', fp);
		cli_markdown_cell(fp, cols[i]);
		fputs(" |", fp);
	}
	fputc('\n', fp);
}

const char *cli_round_text(const char *text, int places, int shift, char *buf, size_t size)
{
	if (!text)
		return NULL;
	/* An optional '>' or '<', an optional sign, the number, then anything
	 * (a unit after a space, a '%'). */
	size_t at = 0;
	char prefix[2];
	size_t np = 0;
	if (text[at] == '>' || text[at] == '<')
		prefix[np++] = text[at++];
	bool plus = text[at] == '+';
	if (plus)
		at++;
	size_t end = at;
	while (text[end] && text[end] != ' ' && text[end] != '%')
		end++;
	char scaled[RULEBOOK_DECIMAL_BUFSIZE], num[RULEBOOK_DECIMAL_BUFSIZE], factor[16];
	size_t len = end - at;
	const char *number = text + at;
	snprintf(factor, sizeof factor, "1e%d", shift);
	if (shift && rulebook_decimal_calc(number, len, RULEBOOK_DECIMAL_MUL, factor,
					   strlen(factor), scaled, sizeof scaled,
					   &len) == RULEBOOK_OK)
		number = scaled;
	if ((shift && number != scaled) ||
	    rulebook_decimal_format(number, len, places, RULEBOOK_ROUND_HALF_UP,
				    0, num, sizeof num,
				    NULL) != RULEBOOK_OK) {
		snprintf(buf, size, "%s", text);
		return buf;
	}
	if (plus && num[0] != '-')
		prefix[np++] = '+';
	snprintf(buf, size, "%.*s%s%s", (int)np, prefix, num, text + end);
	return buf;
}

bool cli_decimal_cmp(const char *a, const char *b, int *out)
{
	return a && b && rulebook_decimal_compare(a, strlen(a), b, strlen(b), out) == RULEBOOK_OK;
}

const char *cli_people(const char *text, char *buf, size_t size)
{
	return cli_round_text(text, 4, 0, buf, size);
}

static const char *card_cite(const cli_output *o, size_t k)
{
	const char *cite = rulebook_scorecard_cite(o->rb, k);
	return cite ? cite : "";
}

void cli_json_put_string(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	char small[512];
	size_t len = strlen(s), need = 0;
	if (rulebook_json_string(s, len, small, sizeof small, &need) == RULEBOOK_OK) {
		fwrite(small, 1, need, fp);
		return;
	}
	char *big = malloc(need + 1);
	if (big && rulebook_json_string(s, len, big, need + 1, &need) == RULEBOOK_OK)
		fwrite(big, 1, need, fp);
	else
		fputs("null", fp); /* out of memory: a valid document all the same */
	free(big);
}

static void free_output(cli_output *o)
{
	free(o->rows);
	free(o);
}

cli_output *cli_output_new(FILE *fp, cli_format fmt, const rulebook *rb, bool en, uint32_t only,
			   bool population)
{
	cli_output *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->fp = fp;
	o->fmt = fmt;
	o->rb = rb;
	o->en = en;
	o->only = only;
	o->population = population;
	const char *const *h = en ? headers_en : headers_zh;
	o->w_record = cli_text_width(h[0]);
	o->w_rule = cli_text_width(h[1]);
	o->w_cite = cli_text_width(h[2]);
	o->w_verdict = cli_text_width(h[3]);
	o->w_gap = cli_text_width(h[4]);
	for (size_t i = 0; i < rulebook_rule_count(rb); i++) {
		o->w_rule = max_size(o->w_rule, cli_text_width(rulebook_rule_id(rb, i)));
		o->w_cite = max_size(o->w_cite, cli_text_width(rulebook_rule_cite(rb, i)));
	}
	for (size_t k = 0; !only && k < rulebook_scorecard_count(rb); k++) {
		o->w_rule = max_size(o->w_rule, cli_text_width(rulebook_scorecard_id(rb, k)));
		o->w_cite = max_size(o->w_cite, cli_text_width(card_cite(o, k)));
	}
	for (size_t a = 0; population && a < rulebook_aggregate_count(rb); a++) {
		o->w_rule = max_size(o->w_rule, cli_text_width(rulebook_aggregate_id(rb, a)));
		o->w_cite = max_size(o->w_cite, cli_text_width(rulebook_aggregate_cite(rb, a)));
	}
	for (int v = RULEBOOK_PASS; v <= RULEBOOK_ERROR; v++)
		if (!only || (only & (1u << v)))
			o->w_verdict = max_size(o->w_verdict,
						strlen(rulebook_verdict_str((rulebook_verdict)v)));
	switch (fmt) {
	case CLI_OUT_TABLE:
		o->held = true;
		break;
	case CLI_OUT_CSV:
	case CLI_OUT_MARKDOWN:
		o->header_due = true; /* after cli_output_provenance() */
		break;
	case CLI_OUT_JSON:
		fputs(population ? "{\"records\":[" : "[", fp);
		break;
	case CLI_OUT_JSONL:
		break;
	case CLI_OUT_XLSX:
		o->xlsx = cli_xlsx_new(rb, en);
		if (!o->xlsx) {
			free_output(o);
			return NULL;
		}
		break;
	}
	return o;
}

/* The note shown beside a verdict: the message for pass and fail, the
 * exception that applied, the missing inputs. */
static const char *verdict_note(rulebook_result *res, size_t rule, bool en, char *buf,
				size_t size)
{
	buf[0] = '\0';
	switch (rulebook_result_verdict(res, rule)) {
	case RULEBOOK_PASS:
	case RULEBOOK_FAIL:
		return rulebook_result_message(res, rule, en ? "en" : "zh");
	case RULEBOOK_EXEMPT: {
		const char *x = rulebook_result_exception(res, rule);
		snprintf(buf, size, en ? "exempt by %s" : "适用例外 %s", x ? x : "?");
		return buf;
	}
	case RULEBOOK_UNKNOWN: {
		size_t len = (size_t)snprintf(buf, size, "%s", en ? "missing: " : "缺少数据：");
		size_t n = rulebook_result_missing_count(res, rule);
		for (size_t j = 0; j < n && len < size; j++)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", j ? ", " : "",
						rulebook_result_missing(res, rule, j));
		return buf;
	}
	case RULEBOOK_ERROR:
		return en ? "could not be computed (division by zero or a number out of range)"
			  : "无法计算（除数为零或数值超出范围）";
	default:
		return buf;
	}
}

static bool record_shown(const cli_output *o, const rulebook_result *res)
{
	if (!o->only)
		return true;
	for (size_t i = 0; i < rulebook_rule_count(o->rb); i++)
		if (o->only & (1u << rulebook_result_verdict(res, i)))
			return true;
	return false;
}

static void json_record(cli_output *o, rulebook_result *res)
{
	const char *text;
	size_t len;
	if (!record_shown(o, res))
		return;
	if (rulebook_result_json(res, o->en ? RULEBOOK_OUT_LANG_EN : 0, &text, &len) != RULEBOOK_OK) {
		fputs("rulebook: out of memory while writing a result\n", stderr);
		return;
	}
	if (o->fmt == CLI_OUT_JSON)
		fputs(o->records ? ",\n" : "\n", o->fp);
	fwrite(text, 1, len, o->fp);
	if (o->fmt == CLI_OUT_JSONL)
		fputc('\n', o->fp);
	o->records++;
}

static void table_widen(cli_output *o, const char *const cols[6])
{
	o->w_record = max_size(o->w_record, cli_text_width(cols[0]));
	o->w_rule = max_size(o->w_rule, cli_text_width(cols[1]));
	o->w_cite = max_size(o->w_cite, cli_text_width(cols[2]));
	o->w_verdict = max_size(o->w_verdict, cli_text_width(cols[3]));
	o->w_gap = max_size(o->w_gap, cli_text_width(cols[4]));
}

/* Print the rows held back, with columns as wide as they need; later rows
 * can only widen them. */
static void table_release(cli_output *o)
{
	if (!o->held) {
		free(o->rows);
		o->rows = NULL;
		return;
	}
	o->held = false;
	const char *cols[6];
	for (size_t pass = 0; pass < 2; pass++) {
		const char *p = o->rows;
		if (pass == 1)
			table_row(o, o->en ? headers_en : headers_zh);
		for (size_t r = 0; r < o->nrows; r++) {
			for (int i = 0; i < 6; i++) {
				cols[i] = p;
				p += strlen(p) + 1;
			}
			if (pass == 0)
				table_widen(o, cols);
			else
				table_row(o, cols);
		}
	}
	free(o->rows);
	o->rows = NULL;
}

static void table_add(cli_output *o, const char *const cols[6])
{
	if (o->held) {
		size_t need = o->rows_len;
		for (int i = 0; i < 6; i++)
			need += strlen(cols[i]) + 1;
		if (need > o->rows_cap) {
			size_t cap = o->rows_cap ? o->rows_cap : 4096;
			while (cap < need)
				cap *= 2;
			char *p = realloc(o->rows, cap);
			if (!p) {
				table_release(o); /* no memory to wait: print what there is */
				table_add(o, cols);
				return;
			}
			o->rows = p;
			o->rows_cap = cap;
		}
		for (int i = 0; i < 6; i++) {
			size_t n = strlen(cols[i]) + 1;
			memcpy(o->rows + o->rows_len, cols[i], n);
			o->rows_len += n;
		}
		if (++o->nrows == TABLE_WINDOW)
			table_release(o);
		return;
	}
	table_widen(o, cols);
	table_row(o, cols);
}

static void write_header(cli_output *o)
{
	if (!o->header_due)
		return;
	o->header_due = false;
	if (o->fmt == CLI_OUT_CSV) {
		csv_row(o, headers_csv);
	} else {
		markdown_row(o->fp, o->en ? headers_en : headers_zh);
		fputs("|---|---|---|---|---|---|\n", o->fp);
	}
}

void cli_output_provenance(cli_output *o, int32_t as_of)
{
	o->as_of = as_of;
}

/* Table and Markdown end with the result's identity: rulebook id, closure
 * hash, as-of date and library version. */
static void footer(cli_output *o)
{
	char date[16];
	const char *d = o->as_of ? cli_date_text(o->as_of, date) : "?";
	if (o->fmt == CLI_OUT_TABLE) {
		fputs(o->en ? "\nrulebook " : "\n规则集 ", o->fp);
		cli_put_clean(o->fp, rulebook_id(o->rb));
		fprintf(o->fp, o->en ? "  hash %s  as of %s  rulebook %s\n"
				     : "  哈希 %s  评价日期 %s  rulebook %s\n",
			rulebook_hash(o->rb), d, rulebook_version());
	} else if (o->fmt == CLI_OUT_MARKDOWN) {
		fputs(o->en ? "\nRulebook `" : "\n规则集 `", o->fp);
		cli_markdown_cell(o->fp, rulebook_id(o->rb));
		fprintf(o->fp, o->en ? "`, hash `%s`, as of %s, rulebook %s.\n"
				     : "`，哈希 `%s`，评价日期 %s，rulebook %s。\n",
			rulebook_hash(o->rb), d, rulebook_version());
	}
}

static void add_row(cli_output *o, const char *const cols[6])
{
	write_header(o);
	switch (o->fmt) {
	case CLI_OUT_TABLE:
		table_add(o, cols);
		break;
	case CLI_OUT_CSV:
		csv_row(o, cols);
		break;
	case CLI_OUT_XLSX: {
		char date[16];
		const char *row[10] = {cols[0], cols[1], cols[2], cols[3], cols[4], cols[5],
				       rulebook_id(o->rb), rulebook_hash(o->rb),
				       o->as_of ? cli_date_text(o->as_of, date) : "",
				       rulebook_version()};
		cli_xlsx_row(o->xlsx, row);
		break;
	}
	default:
		markdown_row(o->fp, cols);
		break;
	}
}

/* Append printf-style text to o->note. */
static void note_add(cli_output *o, size_t *len, const char *fmt, ...) CLI_PRINTF(3, 4);

static void note_add(cli_output *o, size_t *len, const char *fmt, ...)
{
	if (*len >= sizeof o->note)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->note + *len, sizeof o->note - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* The verdict column of a scorecard row: "class A", or not_rated,
 * not_in_force, unknown. */
static const char *class_cell(cli_output *o, size_t k, const char *cls)
{
	if (!cls)
		return "unknown";
	for (size_t i = 0; i < rulebook_scorecard_class_count(o->rb, k); i++)
		if (strcmp(rulebook_scorecard_class_id(o->rb, k, i), cls) == 0) {
			snprintf(o->cell, sizeof o->cell, "class %s", cls);
			return o->cell;
		}
	return cls;
}

/* One row per scorecard: the class, and the score, veto and consequences. */
static void scorecard_rows(cli_output *o, rulebook_result *res, const char *label)
{
	const char *sep = o->en ? "; " : "；";
	for (size_t k = 0; k < rulebook_scorecard_count(o->rb); k++) {
		const char *cls = rulebook_result_class(res, k);
		if (o->population && !cls)
			continue; /* decided by rank, after the last record */
		size_t len = 0;
		char num[160];
		o->note[0] = '\0';
		const char *score = rulebook_result_score(res, k);
		if (score)
			note_add(o, &len, "%s %s", o->en ? "score" : "得分",
				 cli_people(score, num, sizeof num));
		size_t nm = rulebook_result_class_missing_count(res, k);
		if (score && !cls && !nm)
			note_add(o, &len, "%s",
				 o->en ? " (no class: classes go by rank: --population)"
				       : "（类别未定：按排名定类：--population）");
		const char *veto = rulebook_result_veto(res, k);
		if (veto)
			note_add(o, &len, "%s%s%s", len ? sep : "", o->en ? "veto: " : "一票否决：",
				 veto);
		const char *why = rulebook_result_class_error(res, k);
		if (why)
			note_add(o, &len, "%s%s%s", len ? sep : "", o->en ? "error: " : "错误：", why);
		/* what an undecided class misses, by part: "component:mu_tax: tax, land_area" */
		for (size_t j = 0; j < nm; j++) {
			const char *part = rulebook_result_class_missing_part(res, k, j);
			const char *prev = j ? rulebook_result_class_missing_part(res, k, j - 1) : NULL;
			bool same = prev && part && strcmp(prev, part) == 0;
			note_add(o, &len, "%s%s%s%s%s", j ? (same ? ", " : "; ") : (len ? sep : ""),
				 j ? "" : (o->en ? "missing: " : "缺少数据："), same ? "" : part,
				 same ? "" : ": ", rulebook_result_class_missing(res, k, j));
		}
		size_t nc = rulebook_result_consequence_count(res, k);
		for (size_t j = 0; j < nc; j++) {
			const char *v = rulebook_result_consequence_value(res, k, j);
			const char *unit = rulebook_result_consequence_unit(res, k, j);
			note_add(o, &len, "%s%s%s %s%s%s", len ? sep : "",
				 j ? "" : (o->en ? "consequences: " : "后果："),
				 rulebook_result_consequence_name(res, k, j),
				 v ? cli_people(v, num, sizeof num) : "?", unit && unit[0] ? " " : "",
				 unit ? unit : "");
		}
		const char *cols[6] = {label, rulebook_scorecard_id(o->rb, k), card_cite(o, k),
				       class_cell(o, k, cls), "", o->note};
		add_row(o, cols);
	}
}

void cli_output_record(cli_output *o, rulebook_result *res, const char *label)
{
	if (o->fmt == CLI_OUT_JSON || o->fmt == CLI_OUT_JSONL) {
		json_record(o, res);
		return;
	}
	for (size_t i = 0; i < rulebook_rule_count(o->rb); i++) {
		rulebook_verdict v = rulebook_result_verdict(res, i);
		if (o->only && !(o->only & (1u << v)))
			continue;
		const char *gap = rulebook_result_gap(res, i);
		const char *cols[6] = {label,
				       rulebook_rule_id(o->rb, i),
				       rulebook_rule_cite(o->rb, i),
				       rulebook_verdict_str(v),
				       gap ? gap : "",
				       verdict_note(res, i, o->en, o->note, sizeof o->note)};
		add_row(o, cols);
	}
	if (!o->only)
		scorecard_rows(o, res, label);
	if (o->xlsx)
		cli_xlsx_record(o->xlsx, res);
	o->records++;
}

void cli_output_source(cli_output *o, const char *path)
{
	if (o && o->xlsx)
		cli_xlsx_source(o->xlsx, path);
}

/* The label of the population's rows in the record column. */
static const char *population_label(const cli_output *o)
{
	if (o->fmt == CLI_OUT_CSV || o->en)
		return "(population)";
	return "（总体）";
}

/* Does the number at the start of text have a nonzero digit? */
static bool nonzero_figure(const char *text)
{
	for (; *text && *text != ' ' && *text != '%'; text++)
		if (*text >= '1' && *text <= '9')
			return true;
	return false;
}

/* A gap for people: rounded like other figures, unless that would make a
 * miss read as zero; then every digit. */
static const char *people_gap(const char *text, char *buf, size_t size)
{
	const char *r = cli_people(text, buf, size);
	if (r && text && nonzero_figure(text) && !nonzero_figure(r))
		return text;
	return r;
}

static void aggregate_rows(cli_output *o, rulebook_population *pop)
{
	for (size_t a = 0; a < rulebook_aggregate_count(o->rb); a++) {
		rulebook_verdict v = rulebook_population_aggregate_verdict(pop, a);
		if (o->only && !(o->only & (1u << v)))
			continue;
		const char *f[6];
		char buf[6][160];
		for (int k = 0; k < 6; k++)
			f[k] = (k == RULEBOOK_AGGREGATE_GAP ? people_gap : cli_people)(
				rulebook_population_aggregate_value(pop, a, (rulebook_aggregate_field)k),
				buf[k], sizeof buf[k]);
		size_t len = 0;
		o->note[0] = '\0';
		const char *sep = o->en ? ", " : "，";
		if (f[RULEBOOK_AGGREGATE_VALUE])
			note_add(o, &len, "%s %s", o->en ? "value" : "值", f[RULEBOOK_AGGREGATE_VALUE]);
		if (f[RULEBOOK_AGGREGATE_NUMERATOR] && f[RULEBOOK_AGGREGATE_DENOMINATOR])
			note_add(o, &len, o->en ? " (%s / %s)" : "（%s / %s）", f[RULEBOOK_AGGREGATE_NUMERATOR],
				 f[RULEBOOK_AGGREGATE_DENOMINATOR]);
		if (f[RULEBOOK_AGGREGATE_THRESHOLD])
			note_add(o, &len, "%s%s %s", len ? sep : "", o->en ? "threshold" : "阈值",
				 f[RULEBOOK_AGGREGATE_THRESHOLD]);
		if (f[RULEBOOK_AGGREGATE_COUNTED])
			note_add(o, &len, o->en ? "%s%s counted" : "%s计入 %s 条", len ? sep : "",
				 f[RULEBOOK_AGGREGATE_COUNTED]);
		/* unknown: how many records lacked data, and what */
		size_t nu = rulebook_population_aggregate_undecided_count(pop, a);
		if (nu)
			note_add(o, &len, o->en ? "%s%zu undecided" : "%s%zu 条无法判定", len ? sep : "",
				 nu);
		size_t nm = rulebook_population_aggregate_missing_count(pop, a);
		for (size_t j = 0; j < nm; j++)
			note_add(o, &len, "%s%s", j ? ", " : (o->en ? " (missing: " : "（缺少数据："),
				 rulebook_population_aggregate_missing(pop, a, j));
		if (nm)
			note_add(o, &len, "%s", o->en ? ")" : "）");
		const char *cols[6] = {population_label(o),
				       rulebook_aggregate_id(o->rb, a),
				       rulebook_aggregate_cite(o->rb, a),
				       rulebook_verdict_str(v),
				       f[RULEBOOK_AGGREGATE_GAP] ? f[RULEBOOK_AGGREGATE_GAP] : "",
				       o->note};
		add_row(o, cols);
	}
}

/* JSON: the population's own document and every record's class. */
static void population_json(cli_output *o, rulebook_population *pop, const char *const *labels)
{
	const char *text;
	size_t len;
	if (rulebook_population_json(pop, o->en ? RULEBOOK_OUT_LANG_EN : 0, &text, &len) !=
	    RULEBOOK_OK) {
		fputs("rulebook: out of memory while writing the population\n", stderr);
		text = "null";
		len = 4;
	}
	if (o->fmt == CLI_OUT_JSON)
		fputs(o->records ? "\n]," : "],", o->fp);
	else
		fputc('{', o->fp);
	fputs("\"population\":", o->fp);
	fwrite(text, 1, len, o->fp);
	fputs(",\"classes\":[", o->fp);
	size_t n = rulebook_population_size(pop), nk = rulebook_scorecard_count(o->rb), out = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nk; k++) {
			fputs(out++ ? ",{\"record\":" : "{\"record\":", o->fp);
			cli_json_put_string(o->fp, labels[i]);
			fputs(",\"scorecard\":", o->fp);
			cli_json_put_string(o->fp, rulebook_scorecard_id(o->rb, k));
			fputs(",\"class\":", o->fp);
			cli_json_put_string(o->fp, rulebook_population_class(pop, i, k));
			fputs(",\"score\":", o->fp);
			cli_json_put_string(o->fp, rulebook_population_score(pop, i, k));
			fputs(",\"veto\":", o->fp);
			cli_json_put_string(o->fp, rulebook_population_veto(pop, i, k));
			fputs(",\"consequences\":[", o->fp);
			size_t nq = rulebook_population_consequence_count(pop, i, k);
			for (size_t j = 0; j < nq; j++) {
				fputs(j ? ",{\"id\":" : "{\"id\":", o->fp);
				cli_json_put_string(o->fp, rulebook_population_consequence_name(pop, i, k, j));
				fputs(",\"value\":", o->fp);
				cli_json_put_string(o->fp, rulebook_population_consequence_value(pop, i, k, j));
				fputs(",\"unit\":", o->fp);
				cli_json_put_string(o->fp, rulebook_population_consequence_unit(pop, i, k, j));
				fputc('}', o->fp);
			}
			fputs("]}", o->fp);
		}
	fputs("]}\n", o->fp);
	o->closed = true;
}

void cli_output_population(cli_output *o, rulebook_population *pop, const char *const *labels,
			   const uint8_t *undecided)
{
	if (o->fmt == CLI_OUT_JSON || o->fmt == CLI_OUT_JSONL) {
		population_json(o, pop, labels);
		return;
	}
	if (o->xlsx)
		cli_xlsx_population(o->xlsx, pop);
	size_t n = rulebook_population_size(pop), nk = rulebook_scorecard_count(o->rb);
	char num[160];
	for (size_t i = 0; !o->only && i < n; i++)
		for (size_t k = 0; k < nk; k++) {
			if (!undecided[i * nk + k])
				continue;
			const char *score = rulebook_population_score(pop, i, k);
			const char *cls = rulebook_population_class(pop, i, k);
			size_t len = 0;
			o->note[0] = '\0';
			if (score)
				note_add(o, &len, "%s %s%s", o->en ? "score" : "得分",
					 cli_people(score, num, sizeof num),
					 !cls ? ""
					 : o->en ? "; class by rank in the population"
						 : "；按总体排名定类");
			/* a class by rank carries its consequences like any other */
			size_t nq = rulebook_population_consequence_count(pop, i, k);
			for (size_t j = 0; j < nq; j++) {
				const char *v = rulebook_population_consequence_value(pop, i, k, j);
				const char *unit = rulebook_population_consequence_unit(pop, i, k, j);
				note_add(o, &len, "%s%s%s %s%s%s", len ? (o->en ? "; " : "；") : "",
					 j ? "" : (o->en ? "consequences: " : "后果："),
					 rulebook_population_consequence_name(pop, i, k, j),
					 v ? cli_people(v, num, sizeof num) : "?",
					 unit && unit[0] ? " " : "", unit ? unit : "");
			}
			const char *cols[6] = {labels[i], rulebook_scorecard_id(o->rb, k),
					       card_cite(o, k), class_cell(o, k, cls), "",
					       o->note};
			add_row(o, cols);
		}
	aggregate_rows(o, pop);
}

void cli_output_finish(cli_output *o, bool complete)
{
	if (!o)
		return;
	if (!complete && !o->nrows)
		o->held = false;
	if (o->fmt == CLI_OUT_JSON && !o->closed)
		fputs(o->records ? "\n]" : "]", o->fp);
	if (o->fmt == CLI_OUT_JSON && !o->closed)
		fputs(o->population ? "}\n" : "\n", o->fp);
	write_header(o);
	if (o->xlsx) {
		if (!cli_xlsx_finish(o->xlsx, o->fp, o->as_of))
			fputs("rulebook: the workbook is incomplete\n", stderr);
		o->xlsx = NULL;
	}
	bool rows = o->nrows || o->records;
	table_release(o);
	if (complete || rows)
		footer(o);
	free_output(o);
}
