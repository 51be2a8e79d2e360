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
	if (s && len == 2 && memcmp(s, "\\N", 2) == 0)
		s = NULL; /* missing, as PostgreSQL COPY and Hive write it */
	f->null = s == NULL;
	uint64_t max_cell = cli_input_options_get()->max_cell;
	if (s && len > max_cell) {
		if (!r->row_bad)
			snprintf(r->row_problem, sizeof r->row_problem,
				 "column %zu: the cell is longer than the limit of %llu bytes "
				 "(--max-cell)",
				 r->nfields + 1, (unsigned long long)max_cell);
		r->row_bad = true;
		s = NULL;
		f->null = true;
	}
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
	r->row_ended = true;
	if (!r->stop) {
		if (r->header_done)
			input_record(r);
		else if (r->nfields)
			input_header(r);
	}
	r->nfields = 0;
	r->row_bad = false;
}

static void csv_start(reader *r)
{
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
	csv_set_delim(&r->csv, r->delimiter);
	/* libcsv grows a field's buffer by this much at a time; the default
	 * (128 bytes) makes long cells slow to read. */
	csv_set_blk_size(&r->csv, 64 * 1024);
}

/* The delimiter that occurs most often outside quotes in the first line;
 * ',' when none does. */
static char detect_delimiter(const char *data, size_t len)
{
	static const char candidates[] = {',', ';', '\t', '|'};
	size_t count[4] = {0};
	bool quoted = false;
	for (size_t i = 0; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		for (int k = 0; !quoted && k < 4; k++)
			count[k] += data[i] == candidates[k];
	}
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (count[k] > count[best])
			best = k;
	return candidates[best];
}

void input_csv_init(reader *r, const char *data, size_t len)
{
	const cli_input_options *io = cli_input_options_get();
	r->delimiter = io->delimiter ? io->delimiter : detect_delimiter(data, len);
	csv_start(r);
	if (!io->columns)
		return;
	/* --no-header --columns: the names given stand for the header row. */
	for (size_t i = 0; i < io->ncolumns && !r->stop; i++)
		csv_on_field(io->columns[i], strlen(io->columns[i]), r);
	r->row_line = 0;
	if (!r->stop)
		input_header(r);
	r->nfields = 0;
}

static void csv_restart(reader *r)
{
	csv_free(&r->csv);
	csv_start(r);
	r->nfields = 0;
	r->row_bad = false;
	r->row_bytes = 0;
}

static void csv_malformed(reader *r, size_t line)
{
	if (!r->header_done) {
		input_fatal(r, line, 0, "malformed CSV header: misplaced quote character");
		return;
	}
	input_refuse(r, line, 0, NULL,
		     "malformed CSV row: misplaced quote character or unterminated quoted field");
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
		uint64_t max_row = cli_input_options_get()->max_row;
		if (!r->skip_line && r->row_bytes + (end - at) > max_row) {
			char msg[128];
			snprintf(msg, sizeof msg, "the %s is longer than the limit of %llu bytes (--max-row)",
				 r->header_done ? "row" : "header row", (unsigned long long)max_row);
			if (!r->header_done) {
				input_fatal(r, r->nfields ? r->row_line : r->line, 0, msg);
				return;
			}
			size_t line = r->nfields ? r->row_line : r->line - r->row_lines;
			r->nfields = 0;
			input_refuse(r, line, 0, NULL, msg);
			r->records++;
			input_deliver(r, false, line);
			csv_restart(r);
			r->skip_line = true; /* up to the end of the line */
		}
		if (!r->skip_line) {
			size_t n = end - at;
			r->row_ended = false;
			if (csv_parse(&r->csv, data + at, n, csv_on_field, csv_on_row, r) != n &&
			    !r->stop) {
				if (csv_error(&r->csv) == CSV_EPARSE) {
					csv_malformed(r, r->nfields ? r->row_line : r->line);
					r->skip_line = !nl;
				} else {
					input_out_of_memory(r);
				}
			}
			if (r->row_ended) {
				r->row_bytes = 0;
				r->row_lines = 0;
			} else {
				r->row_bytes += n;
				r->row_lines += nl != NULL;
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
