/* Rows of cells (from CSV or a spreadsheet) into facts: the header row
 * decides which input each column sets, and every later row is one record. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

size_t input_count_newlines(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

bool input_empty_field(const field *f)
{
	return f->null || f->len == 0;
}

static void cell_error(reader *r, size_t c, const char *msg)
{
	char what[512];
	snprintf(what, sizeof what, "column %s", r->cols[c].header);
	if (r->xlsx)
		input_cell_name(c, r->row_line, r->cell_ref, sizeof r->cell_ref);
	input_refuse(r, r->row_line, 0, what, msg);
	r->cell_ref[0] = '\0';
}

void input_field_put(reader *r, size_t i, const char *s, size_t len, bool serial)
{
	if (i >= r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap : 16;
		while (cap <= i)
			cap *= 2;
		field *f = realloc(r->fields, cap * sizeof(*f));
		if (!f) {
			input_out_of_memory(r);
			return;
		}
		memset(f + r->fields_cap, 0, (cap - r->fields_cap) * sizeof(*f));
		r->fields = f;
		r->fields_cap = cap;
	}
	while (r->nfields < i) {
		r->fields[r->nfields].null = true;
		r->fields[r->nfields].len = 0;
		r->fields[r->nfields].serial = false;
		r->nfields++;
	}
	field *f = &r->fields[i];
	f->null = s == NULL;
	f->len = 0;
	f->serial = serial;
	if (s) {
		if (!input_grow(&f->data, &f->cap, len + 1)) {
			input_out_of_memory(r);
			return;
		}
		memcpy(f->data, s, len);
		f->data[len] = '\0';
		f->len = len;
	}
	if (r->nfields <= i)
		r->nfields = i + 1;
}

static bool set_record_id(reader *r, const field *f)
{
	for (size_t b = 0; b < r->n; b++)
		if (rulebook_facts_set_id(r->facts[b], f->data, f->len) != RULEBOOK_OK) {
			input_out_of_memory(r);
			return false;
		}
	return true;
}

/* The ways spreadsheets write yes and no: 是/否, 有/无, Y/N, 1/0,
 * true/false (any case). "true" or "false", or NULL for anything else. */
static const char *boolean_word(const char *s, size_t len)
{
	static const char *const yes[] = {"是", "有", "y", "yes", "1", "true", "t"};
	static const char *const no[] = {"否", "无", "n", "no", "0", "false", "f"};
	char low[8];
	if (len == 0 || len >= sizeof low)
		return NULL;
	for (size_t i = 0; i < len; i++)
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	low[len] = '\0';
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcmp(low, yes[i]) == 0)
			return "true";
		if (strcmp(low, no[i]) == 0)
			return "false";
	}
	return NULL;
}

/* Set one cell for every rulebook that has the column; report failures. */
static bool csv_cell(reader *r, size_t c)
{
	const column *col = &r->cols[c];
	const field *f = &r->fields[c];
	const char *value = f->data;
	size_t len = f->len;
	/* A cell that carries its own unit ("20000 m2") keeps it. */
	if (col->unit && !memchr(value, ' ', len)) {
		size_t ulen = strlen(col->unit);
		if (!input_grow(&r->scratch, &r->scratch_cap, len + ulen + 2)) {
			input_out_of_memory(r);
			return false;
		}
		memcpy(r->scratch, f->data, len);
		r->scratch[len] = ' ';
		memcpy(r->scratch + len + 1, col->unit, ulen + 1);
		value = r->scratch;
		len += ulen + 1;
	}
	bool ok = true;
	char *first = NULL;
	for (size_t b = 0; b < r->n; b++) {
		if (col->input[b] == SIZE_MAX)
			continue;
		const char *word = col->boolean[b] ? boolean_word(value, len) : NULL;
		if (word) {
			value = word;
			len = strlen(word);
		}
		char day[32];
		if (col->date[b] && f->serial &&
		    input_serial_date(f->data, r->xlsx_date1904, day, sizeof day)) {
			value = day;
			len = strlen(day);
		}
		rulebook_status st =
			col->numeric[b]
				? rulebook_facts_set_decimal_at(r->facts[b], col->input[b], value, len,
								r->err)
				: rulebook_facts_set_text_at(r->facts[b], col->input[b], value, len,
							     r->err);
		if (st == RULEBOOK_OK)
			continue;
		const char *msg = rulebook_error_message(r->err, 0);
		if (!first || strcmp(first, msg) != 0)
			cell_error(r, c, msg);
		if (!first)
			first = strdup(msg);
		ok = false;
	}
	free(first);
	return ok;
}

/* 合计, 小计 or 总计 (spaces allowed between the characters) as the id, or
 * as the first cell of a row without an id column: the row a spreadsheet
 * adds under the data. The word, or NULL. */
static const char *totals_word(const reader *r)
{
	static const char *const words[] = {"合计", "小计", "总计"};
	size_t at = SIZE_MAX;
	for (size_t c = 0; c < r->ncols && c < r->nfields && at == SIZE_MAX; c++)
		if (r->cols[c].kind == COL_ID)
			at = c;
	if (at == SIZE_MAX)
		at = 0;
	if (at >= r->nfields || r->fields[at].null)
		return NULL;
	char *k = input_fold(r->fields[at].data, r->fields[at].len);
	if (!k)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; k[i]; i++)
		if (k[i] != ' ' && k[i] != ':' && k[i] != '\t')
			k[n++] = k[i];
	k[n] = '\0';
	const char *found = NULL;
	for (size_t i = 0; i < 3 && !found; i++)
		if (strcmp(k, words[i]) == 0)
			found = words[i];
	free(k);
	return found;
}

void input_record(reader *r)
{
	bool blank = true;
	for (size_t i = 0; i < r->nfields; i++)
		blank = blank && input_empty_field(&r->fields[i]);
	if (blank)
		return; /* an empty line, or a row of empty cells */
	r->records++;
	input_clear_facts(r);
	bool ok = true;
	const char *total = totals_word(r);
	if (total) {
		char msg[160];
		snprintf(msg, sizeof msg, "the row looks like a totals row (%s), not a record", total);
		input_refuse(r, r->row_line, 0, NULL, msg);
		input_deliver(r, false, r->row_line);
		return;
	}
	if (r->nfields != r->ncols) {
		char msg[128];
		snprintf(msg, sizeof msg, "the row has %zu field%s, the header has %zu", r->nfields,
			 r->nfields == 1 ? "" : "s", r->ncols);
		input_refuse(r, r->row_line, 0, NULL, msg);
		ok = false;
	}
	if (r->row_bad) {
		input_refuse(r, r->row_line, 0, NULL, r->row_problem);
		ok = false;
	}
	/* Every bad cell of the row is reported, not only the first. */
	for (size_t c = 0; r->nfields == r->ncols && !r->stop && c < r->ncols; c++) {
		const field *f = &r->fields[c];
		if (r->cols[c].kind == COL_IGNORED || r->cols[c].kind == COL_UNMATCHED ||
		    input_empty_field(f))
			continue;
		if (input_bad_utf8((const unsigned char *)f->data, f->len) < f->len) {
			cell_error(r, c, memchr(f->data, 0, f->len)
						 ? "the value contains a NUL byte"
						 : "the value is not valid UTF-8 (name the file's "
						   "encoding with --encoding, e.g. --encoding "
						   "gb18030)");
			ok = false;
		} else if (r->cols[c].kind == COL_ID) {
			if (!set_record_id(r, f))
				ok = false;
		} else if (!csv_cell(r, c)) {
			ok = false;
		}
	}
	if (!r->stop)
		input_deliver(r, ok, r->row_line);
}
