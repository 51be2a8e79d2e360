/* CSV through libcsv, fed one line at a time so that every record knows
 * its line. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

static void csv_on_field(void *s, size_t len, void *payload)
{
	reader *r = payload;
	if (r->stop)
		return;
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		field *f = realloc(r->fields, cap * sizeof(*f));
		if (!f) {
			input_out_of_memory(r);
			return;
		}
		memset(f + r->fields_cap, 0, (cap - r->fields_cap) * sizeof(*f));
		r->fields = f;
		r->fields_cap = cap;
	}
	field *f = &r->fields[r->nfields];
	if (r->nfields == 0)
		r->row_line = r->line - (s ? input_count_newlines(s, len) : 0);
	f->null = s == NULL;
	f->len = 0;
	if (s) {
		if (!input_grow(&f->data, &f->cap, len + 1)) {
			input_out_of_memory(r);
			return;
		}
		memcpy(f->data, s, len);
		f->data[len] = '\0';
		f->len = len;
	}
	r->nfields++;
}
static void csv_on_row(int c, void *payload)
{
	reader *r = payload;
	(void)c;
	if (!r->stop) {
		if (r->header_done)
			input_record(r);
		else if (r->nfields)
			input_header(r);
	}
	r->nfields = 0;
}

static void csv_restart(reader *r)
{
	csv_free(&r->csv);
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
	r->nfields = 0;
}

static void csv_malformed(reader *r, size_t line)
{
	if (!r->header_done) {
		input_fatal(r, line, 0, "malformed CSV header: misplaced quote character");
		return;
	}
	input_progress_clear(r);
	cli_print_position(stderr, r->name, line, 0);
	fputs("malformed CSV row: misplaced quote character or unterminated quoted field\n",
	      stderr);
	r->records++;
	input_deliver(r, false, line);
	csv_restart(r);
}

void input_csv_feed(reader *r, const char *data, size_t len)
{
	size_t at = 0;
	while (at < len && !r->stop) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		if (!r->skip_line) {
			size_t n = end - at;
			if (csv_parse(&r->csv, data + at, n, csv_on_field, csv_on_row, r) != n &&
			    !r->stop) {
				if (csv_error(&r->csv) == CSV_EPARSE) {
					csv_malformed(r, r->nfields ? r->row_line : r->line);
					r->skip_line = !nl;
				} else {
					input_out_of_memory(r);
				}
			}
		}
		if (nl) {
			r->line++;
			r->skip_line = false;
		}
		at = end;
	}
}

void input_csv_finish(reader *r)
{
	if (r->stop)
		return;
	if (csv_fini(&r->csv, csv_on_field, csv_on_row, r) != 0 && !r->stop) {
		if (csv_error(&r->csv) == CSV_EPARSE)
			csv_malformed(r, r->nfields ? r->row_line : r->line);
		else
			input_out_of_memory(r);
	}
}
