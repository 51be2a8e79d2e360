/* Rows of cells (from CSV or a spreadsheet) into facts: the header row
 * decides which input each column sets, and every later row is one record. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

/* ---- CSV ---- */

void input_free_columns(reader *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		free(r->cols[i].header);
		free(r->cols[i].unit);
	}
	free(r->cols);
	r->cols = NULL;
	r->ncols = 0;
}

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

/* "name[unit]" or "name [unit]": split into the two parts. */
static bool split_header(const field *f, column *c)
{
	const char *s = f->null ? "" : f->data;
	size_t len = f->null ? 0 : f->len;
	size_t name_end = len;
	const char *unit = NULL;
	size_t unit_len = 0;
	if (len >= 2 && s[len - 1] == ']') {
		const char *open = memchr(s, '[', len);
		if (open) {
			unit = open + 1;
			unit_len = (size_t)(s + len - 1 - unit);
			name_end = (size_t)(open - s);
		}
	}
	while (name_end > 0 && (s[name_end - 1] == ' ' || s[name_end - 1] == '\t'))
		name_end--;
	while (unit && unit_len && *unit == ' ') {
		unit++;
		unit_len--;
	}
	while (unit && unit_len && unit[unit_len - 1] == ' ')
		unit_len--;
	c->header = malloc(name_end + 1);
	c->unit = unit ? malloc(unit_len + 1) : NULL;
	if (!c->header || (unit && !c->unit))
		return false;
	memcpy(c->header, s, name_end);
	c->header[name_end] = '\0';
	if (unit) {
		memcpy(c->unit, unit, unit_len);
		c->unit[unit_len] = '\0';
	}
	return true;
}

static void header_error(reader *r, size_t col, const char *msg)
{
	input_progress_clear(r);
	cli_print_position(stderr, r->name, r->row_line, 0);
	fprintf(stderr, "column %zu", col + 1);
	if (r->cols[col].header && r->cols[col].header[0]) {
		fputs(" (", stderr);
		cli_put_clean(stderr, r->cols[col].header);
		fputc(')', stderr);
	}
	fputs(": ", stderr);
	cli_put_clean(stderr, msg);
	fputc('\n', stderr);
	r->status = CLI_TROUBLE;
	r->stop = true;
}

/* Check a column's unit by converting a zero from it. NULL if it is fine. */
static const char *unit_problem(reader *r, size_t c, size_t book)
{
	column *col = &r->cols[c];
	size_t ulen = strlen(col->unit);
	if (!input_grow(&r->scratch, &r->scratch_cap, ulen + 3))
		return "out of memory";
	memcpy(r->scratch, "0 ", 2);
	memcpy(r->scratch + 2, col->unit, ulen + 1);
	rulebook_status st = rulebook_facts_set_decimal_at(r->facts[book], col->input[book],
							   r->scratch, ulen + 2, r->err);
	rulebook_facts_clear(r->facts[book]);
	return st == RULEBOOK_OK ? NULL : rulebook_error_message(r->err, 0);
}

/* What is wrong with column c of the header; NULL if nothing. */
static const char *column_problem(reader *r, size_t c, char *buf, size_t size)
{
	column *col = &r->cols[c];
	const char *h = col->header;
	if (!h[0])
		return "the column has no name";
	if (input_bad_utf8((const unsigned char *)h, strlen(h)) < strlen(h))
		return "the name is not valid UTF-8 (name the file's encoding with --encoding, e.g. "
		       "--encoding gb18030)";
	if (col->duplicate)
		return "the column appears twice";
	if (col->unit && !col->unit[0])
		return "the brackets after the name hold no unit";
	if (h[0] == '_') {
		col->kind = strcmp(h, "_id") == 0 ? COL_ID : COL_IGNORED;
		return col->unit ? "only input columns may have a unit" : NULL;
	}
	bool known = false;
	for (size_t b = 0; b < r->n; b++) {
		size_t idx;
		col->input[b] = SIZE_MAX;
		if (rulebook_input_index(r->rbs[b], h, strlen(h), &idx) != RULEBOOK_OK)
			continue;
		known = true;
		col->input[b] = idx;
		const char *type = rulebook_input_type(r->rbs[b], idx);
		col->numeric[b] = strcmp(type, "number") == 0 || strcmp(type, "integer") == 0;
		col->boolean[b] = strcmp(type, "boolean") == 0;
		if (col->unit && !col->numeric[b]) {
			snprintf(buf, size, "a unit is only allowed for number inputs; '%s' is of type %s",
				 h, type);
			return buf;
		}
		const char *bad = col->unit ? unit_problem(r, c, b) : NULL;
		if (bad)
			return bad;
	}
	if (!known && r->ignore_unknown) {
		col->kind = COL_IGNORED; /* --ignore-unknown */
		return NULL;
	}
	if (!known)
		return r->n > 1 ? "not an input of either rulebook (start a column's name with _ "
				  "to have it ignored)"
				: "not an input of the rulebook (start a column's name with _ to have "
				  "it ignored)";
	return NULL;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Mark every column whose name an earlier column has: a hash set, so that
 * a header of many columns takes time in proportion to their number. */
static bool mark_duplicates(reader *r)
{
	size_t size = 16;
	while (size < r->ncols * 2)
		size *= 2;
	size_t *slot = malloc(size * sizeof(*slot));
	if (!slot)
		return false;
	for (size_t i = 0; i < size; i++)
		slot[i] = SIZE_MAX;
	for (size_t c = 0; c < r->ncols; c++) {
		size_t i = (size_t)hash_text(r->cols[c].header) & (size - 1);
		while (slot[i] != SIZE_MAX && strcmp(r->cols[slot[i]].header, r->cols[c].header) != 0)
			i = (i + 1) & (size - 1);
		if (slot[i] == SIZE_MAX)
			slot[i] = c;
		else
			r->cols[c].duplicate = true;
	}
	free(slot);
	return true;
}

void input_header(reader *r)
{
	r->cols = calloc(r->nfields ? r->nfields : 1, sizeof(*r->cols));
	if (!r->cols) {
		input_out_of_memory(r);
		return;
	}
	r->ncols = r->nfields;
	for (size_t c = 0; c < r->ncols; c++)
		if (!split_header(&r->fields[c], &r->cols[c])) {
			input_out_of_memory(r);
			return;
		}
	if (!mark_duplicates(r)) {
		input_out_of_memory(r);
		return;
	}
	for (size_t c = 0; c < r->ncols; c++) {
		char buf[256];
		const char *problem = column_problem(r, c, buf, sizeof buf);
		if (problem) {
			header_error(r, c, problem);
			return;
		}
	}
	r->header_done = true;
}

static void cell_error(reader *r, size_t c, const char *msg)
{
	char what[512];
	snprintf(what, sizeof what, "column %s", r->cols[c].header);
	input_refuse(r, r->row_line, 0, what, msg);
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
		if (r->cols[c].kind == COL_IGNORED || input_empty_field(f))
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
