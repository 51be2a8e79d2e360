/* Input: rulebook files, and records from CSV, JSON or JSON Lines.
 *
 * Records are read in 64 KiB chunks and handed over one at a time, so
 * memory stays flat however many rows a file has. CSV goes through libcsv,
 * fed one line at a time so that every record knows its line. JSON is cut
 * into records by a small scanner that follows strings, escapes and nesting;
 * each record is then given to rulebook_facts_set_json. */
#include "cli.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define MAX_BOOKS 2

int cli_input_format_parse(const char *text, cli_input_format *out)
{
	static const struct {
		const char *name;
		cli_input_format format;
	} names[] = {{"csv", CLI_IN_CSV},     {"json", CLI_IN_JSON}, {"jsonl", CLI_IN_JSONL},
		     {"ndjson", CLI_IN_JSONL}, {"auto", CLI_IN_AUTO}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i].name) == 0) {
			*out = names[i].format;
			return 0;
		}
	return -1;
}

static const char *display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Open path for reading ("-" is stdin); prints the error. */
static FILE *open_input(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
	return fp;
}

/* ---- rulebooks ---- */

int cli_load_rulebook_text(const char *path, FILE *diag, rulebook **out, char **text,
			   size_t *text_len)
{
	*out = NULL;
	if (text)
		*text = NULL;
	/* A rulebook may be given by id (linan.enterprise): see cli.h. */
	char found[4096];
	path = cli_rulebook_path(path, found, sizeof found);
	if (!path)
		return CLI_TROUBLE;
	const char *name = display_name(path);
	FILE *fp = open_input(path);
	if (!fp)
		return CLI_TROUBLE;
	/* Read one byte past the size limit, so the library reports it. */
	const rulebook_options *opts = cli_rulebook_options();
	uint64_t limit = rulebook_options_get_limit(opts, RULEBOOK_LIMIT_FILE_SIZE);
	size_t len = 0, cap = 0;
	char *data = NULL;
	int status = CLI_OK;
	while (len <= limit) {
		if (len == cap) {
			size_t grown = cap ? cap * 2 : CHUNK;
			char *p = realloc(data, grown);
			if (!p) {
				fprintf(stderr, "%s: out of memory\n", name);
				status = CLI_TROUBLE;
				break;
			}
			data = p;
			cap = grown;
		}
		size_t want = cap - len;
		if (want > limit + 1 - len)
			want = (size_t)(limit + 1 - len);
		size_t n = fread(data + len, 1, want, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				fprintf(stderr, "%s: cannot read: %s\n", name, strerror(errno));
				status = CLI_TROUBLE;
			}
			break;
		}
	}
	if (fp != stdin)
		fclose(fp);
	if (status == CLI_OK) {
		rulebook_error *err = rulebook_error_new();
		if (!err) {
			fprintf(stderr, "%s: out of memory\n", name);
			status = CLI_TROUBLE;
		} else if (rulebook_load_buffer(data, len, name, opts, out, err) != RULEBOOK_OK) {
			cli_print_errors(diag, err, name, "error");
			status = rulebook_error_status(err) == RULEBOOK_ERR_NOMEM ? CLI_TROUBLE
										  : CLI_FINDINGS;
		}
		rulebook_error_free(err);
	}
	if (status == CLI_OK && text) {
		*text = data;
		*text_len = len;
		return status;
	}
	free(data);
	return status;
}

int cli_load_rulebook(const char *path, FILE *diag, rulebook **out)
{
	return cli_load_rulebook_text(path, diag, out, NULL, NULL);
}

/* ---- records: shared state ---- */

typedef enum column_kind { COL_INPUT, COL_ID, COL_IGNORED } column_kind;

typedef struct column {
	char *header;                 /* as written in the file */
	char *unit;                   /* from "name[unit]", or NULL */
	column_kind kind;
	size_t input[MAX_BOOKS];      /* SIZE_MAX: not an input of that rulebook */
	bool numeric[MAX_BOOKS];
} column;

typedef struct field {
	char *data;
	size_t len, cap;
	bool null;
} field;

typedef struct edit {
	size_t at;
	long shift;
} edit;

typedef struct edit_list {
	edit *v;
	size_t n, cap;
} edit_list;

typedef enum json_state {
	J_TOP,          /* between top-level values */
	J_ARRAY_FIRST,  /* after '[' */
	J_ARRAY_NEXT,   /* after ',' */
	J_ARRAY_SEP,    /* after an element */
	J_CAPTURE       /* inside a record */
} json_state;

typedef struct reader {
	const char *name;
	FILE *fp;
	cli_input_format format;
	const rulebook *const *rbs;
	rulebook_facts *const *facts;
	size_t n;
	cli_record_fn fn;
	void *payload;
	rulebook_error *err;
	bool ignore_unknown;          /* columns and keys that are no input are skipped */
	bool stop;                    /* fn asked to stop, or a fatal error */
	int status;
	size_t records;
	size_t line;                  /* current line, 1-based */
	size_t col;                   /* bytes into the current line */
	uint64_t max_record;          /* bytes of one JSON record */

	/* progress on a terminal */
	bool progress;
	bool progress_shown;
	uint64_t bytes, total;
	struct timespec started, shown_at;

	/* growing scratch text (unit suffixes, ids, rewritten JSON) */
	char *scratch;
	size_t scratch_cap;
	char *joined;                 /* JSON text with surrogate pairs joined */
	size_t joined_cap;
	edit_list joined_edits;

	/* CSV */
	struct csv_parser csv;
	bool csv_ready;
	bool skip_line;               /* after a malformed row: drop the rest of the line */
	column *cols;
	size_t ncols;
	bool header_done;
	field *fields;
	size_t nfields, fields_cap;
	size_t row_line;

	/* JSON and JSON Lines */
	json_state js;
	char *rec;
	size_t rec_len, rec_cap;
	bool rec_too_big;
	size_t rec_line, rec_col;
	size_t depth;
	bool in_string, escaped, scalar, top_level;
} reader;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_clear(reader *r)
{
	if (r->progress_shown) {
		fputs("\r\033[K", stderr);
		r->progress_shown = false;
	}
}

/* Shown only after a second, at most five times a second. */
static void progress_update(reader *r)
{
	struct timespec now;
	if (!r->progress || clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return;
	if (seconds_between(&r->started, &now) < 1.0 ||
	    (r->progress_shown && seconds_between(&r->shown_at, &now) < 0.2))
		return;
	r->shown_at = now;
	fprintf(stderr, "\rrulebook: %s: %zu records", r->name, r->records);
	if (r->total)
		fprintf(stderr, " (%d%%)", (int)(r->bytes * 100 / r->total));
	fputs("\033[K", stderr);
	r->progress_shown = true;
}

static bool grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	char *p = realloc(*buf, c);
	if (!p)
		return false;
	*buf = p;
	*cap = c;
	return true;
}

static void fatal(reader *r, size_t line, size_t col, const char *msg)
{
	progress_clear(r);
	cli_print_position(stderr, r->name, line, col);
	fprintf(stderr, "%s\n", msg);
	r->status = CLI_TROUBLE;
	r->stop = true;
}

static void out_of_memory(reader *r)
{
	fatal(r, 0, 0, "out of memory");
}

/* Offset of the first byte that is not valid UTF-8 (or is NUL); len if none. */
static size_t bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t c;
		size_t n = cli_utf8_char(s + i, len - i, &c);
		if (!n || c == 0)
			return i;
		i += n;
	}
	return len;
}

/* Hand a finished record to the caller. */
static void deliver(reader *r, bool ok, size_t line)
{
	cli_record rec = {ok, r->records, line};
	if (!ok)
		progress_clear(r);
	if (r->fn(&rec, r->payload))
		r->stop = true;
}

static void clear_facts(reader *r)
{
	for (size_t i = 0; i < r->n; i++)
		rulebook_facts_clear(r->facts[i]);
}

/* ---- CSV ---- */

static void free_columns(reader *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		free(r->cols[i].header);
		free(r->cols[i].unit);
	}
	free(r->cols);
	r->cols = NULL;
	r->ncols = 0;
}

static size_t count_newlines(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static void csv_on_field(void *s, size_t len, void *payload)
{
	reader *r = payload;
	if (r->stop)
		return;
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		field *f = realloc(r->fields, cap * sizeof(*f));
		if (!f) {
			out_of_memory(r);
			return;
		}
		memset(f + r->fields_cap, 0, (cap - r->fields_cap) * sizeof(*f));
		r->fields = f;
		r->fields_cap = cap;
	}
	field *f = &r->fields[r->nfields];
	if (r->nfields == 0)
		r->row_line = r->line - (s ? count_newlines(s, len) : 0);
	f->null = s == NULL;
	f->len = 0;
	if (s) {
		if (!grow(&f->data, &f->cap, len + 1)) {
			out_of_memory(r);
			return;
		}
		memcpy(f->data, s, len);
		f->data[len] = '\0';
		f->len = len;
	}
	r->nfields++;
}

static bool empty_field(const field *f)
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
	progress_clear(r);
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
	if (!grow(&r->scratch, &r->scratch_cap, ulen + 3))
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
	if (!split_header(&r->fields[c], col))
		return "out of memory";
	const char *h = col->header;
	if (!h[0])
		return "the column has no name";
	if (bad_utf8((const unsigned char *)h, strlen(h)) < strlen(h))
		return "the name is not valid UTF-8 (if the file is in GBK, convert it: iconv -f GBK "
		       "-t UTF-8)";
	for (size_t k = 0; k < c; k++)
		if (strcmp(r->cols[k].header, h) == 0)
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

static void csv_header(reader *r)
{
	r->cols = calloc(r->nfields ? r->nfields : 1, sizeof(*r->cols));
	if (!r->cols) {
		out_of_memory(r);
		return;
	}
	r->ncols = r->nfields;
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
	progress_clear(r);
	cli_print_position(stderr, r->name, r->row_line, 0);
	fputs("column ", stderr);
	cli_put_clean(stderr, r->cols[c].header);
	fputs(": ", stderr);
	cli_put_clean(stderr, msg);
	fputc('\n', stderr);
}

static bool set_record_id(reader *r, const field *f)
{
	for (size_t b = 0; b < r->n; b++)
		if (rulebook_facts_set_id(r->facts[b], f->data, f->len) != RULEBOOK_OK) {
			out_of_memory(r);
			return false;
		}
	return true;
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
		if (!grow(&r->scratch, &r->scratch_cap, len + ulen + 2)) {
			out_of_memory(r);
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

static void csv_record(reader *r)
{
	bool blank = true;
	for (size_t i = 0; i < r->nfields; i++)
		blank = blank && empty_field(&r->fields[i]);
	if (blank)
		return; /* an empty line, or a row of empty cells */
	r->records++;
	clear_facts(r);
	bool ok = true;
	if (r->nfields != r->ncols) {
		char msg[128];
		snprintf(msg, sizeof msg, "the row has %zu field%s, the header has %zu", r->nfields,
			 r->nfields == 1 ? "" : "s", r->ncols);
		progress_clear(r);
		cli_print_position(stderr, r->name, r->row_line, 0);
		fprintf(stderr, "%s\n", msg);
		ok = false;
	}
	/* Every bad cell of the row is reported, not only the first. */
	for (size_t c = 0; r->nfields == r->ncols && !r->stop && c < r->ncols; c++) {
		const field *f = &r->fields[c];
		if (r->cols[c].kind == COL_IGNORED || empty_field(f))
			continue;
		if (bad_utf8((const unsigned char *)f->data, f->len) < f->len) {
			cell_error(r, c, memchr(f->data, 0, f->len)
						 ? "the value contains a NUL byte"
						 : "the value is not valid UTF-8 (if the file is in GBK, "
						   "convert it: iconv -f GBK -t UTF-8)");
			ok = false;
		} else if (r->cols[c].kind == COL_ID) {
			if (!set_record_id(r, f))
				ok = false;
		} else if (!csv_cell(r, c)) {
			ok = false;
		}
	}
	if (!r->stop)
		deliver(r, ok, r->row_line);
}

static void csv_on_row(int c, void *payload)
{
	reader *r = payload;
	(void)c;
	if (!r->stop) {
		if (r->header_done)
			csv_record(r);
		else if (r->nfields)
			csv_header(r);
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
		fatal(r, line, 0, "malformed CSV header: misplaced quote character");
		return;
	}
	progress_clear(r);
	cli_print_position(stderr, r->name, line, 0);
	fputs("malformed CSV row: misplaced quote character or unterminated quoted field\n",
	      stderr);
	r->records++;
	deliver(r, false, line);
	csv_restart(r);
}

static void csv_feed(reader *r, const char *data, size_t len)
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
					out_of_memory(r);
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

static void csv_finish(reader *r)
{
	if (r->stop)
		return;
	if (csv_fini(&r->csv, csv_on_field, csv_on_row, r) != 0 && !r->stop) {
		if (csv_error(&r->csv) == CSV_EPARSE)
			csv_malformed(r, r->nfields ? r->row_line : r->line);
		else
			out_of_memory(r);
	}
}

/* ---- JSON records ---- */

static bool json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int hex4(const char *s, size_t len, size_t at)
{
	int v = 0;
	if (at + 4 > len)
		return -1;
	for (size_t i = at; i < at + 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Where a rewritten text differs in length from the text it came from:
 * bytes of the rewritten text at offset >= at are shift bytes further than
 * in the original. Lets diagnostics point into the original. */
static bool edit_add(edit_list *e, size_t at, long shift)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		edit *v = realloc(e->v, cap * sizeof(*v));
		if (!v)
			return false;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n].at = at;
	e->v[e->n].shift = shift;
	e->n++;
	return true;
}

static size_t edit_unmap(const edit_list *e, size_t off)
{
	long shift = 0;
	for (size_t i = 0; i < e->n && e->v[i].at <= off; i++)
		shift += e->v[i].shift;
	return (size_t)((long)off - shift);
}

/* JSON writes characters beyond U+FFFF as two \u escapes (a surrogate
 * pair), which the YAML reader behind rulebook_facts_set_json refuses;
 * rewrite each pair as one \UXXXXXXXX escape into r->joined. */
static const char *join_surrogates(reader *r, const char *s, size_t n, size_t *out_len)
{
	r->joined_edits.n = 0;
	if (!strstr(s, "\\u") && !strstr(s, "\\U")) {
		*out_len = n;
		return s;
	}
	if (!grow(&r->joined, &r->joined_cap, n + 1)) {
		out_of_memory(r);
		return NULL;
	}
	char *o = r->joined;
	size_t in = 0, out = 0;
	bool str = false;
	while (in < n) {
		char c = s[in];
		if (!str || c == '"' || c != '\\' || in + 1 >= n) {
			if (c == '"')
				str = !str;
			o[out++] = s[in++];
			continue;
		}
		int hi = s[in + 1] == 'u' ? hex4(s, n, in + 2) : -1;
		int lo = hi >= 0xD800 && hi <= 0xDBFF && in + 7 < n && s[in + 6] == '\\' &&
				 s[in + 7] == 'u'
			 ? hex4(s, n, in + 8)
			 : -1;
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			unsigned long cp = 0x10000ul + (((unsigned long)hi - 0xD800ul) << 10) +
					   ((unsigned long)lo - 0xDC00ul);
			char buf[11];
			snprintf(buf, sizeof buf, "\\U%08lX", cp);
			memcpy(o + out, buf, 10);
			out += 10;
			in += 12;
			if (!edit_add(&r->joined_edits, out, -2)) {
				out_of_memory(r);
				return NULL;
			}
			continue;
		}
		/* Any other escape: the backslash and the escaped byte. */
		o[out++] = s[in++];
		o[out++] = s[in++];
	}
	o[out] = '\0';
	*out_len = out;
	return o;
}

/* Byte offset of 1-based line and column in s; len if beyond. */
static size_t offset_of(const char *s, size_t len, size_t line, size_t col)
{
	size_t off = 0;
	for (size_t l = 1; l < line && off < len; off++)
		if (s[off] == '\n')
			l++;
	off += col ? col - 1 : 0;
	return off < len ? off : len;
}

/* In a two-rulebook run, a key that is not an input of book b but is one
 * of the other book is no error. */
static bool other_books_key(const reader *r, size_t b, size_t i)
{
	const char *key = rulebook_error_subject(r->err, i);
	size_t idx;
	return r->n > 1 && key && rulebook_error_status_at(r->err, i) == RULEBOOK_ERR_NOT_FOUND &&
	       rulebook_input_index(r->rbs[1 - b], key, strlen(key), &idx) == RULEBOOK_OK;
}

/* The diagnostics of set_json, moved from the rewritten record text to the
 * position in the file. Returns how many were printed. */
static size_t json_error(reader *r, size_t b, const char *text, size_t len)
{
	size_t n = rulebook_error_count(r->err), printed = 0;
	for (size_t i = 0; i < n; i++) {
		if (other_books_key(r, b, i))
			continue;
		size_t l = rulebook_error_line(r->err, i), c = rulebook_error_column(r->err, i);
		size_t line = r->rec_line, col = 0;
		if (l) {
			size_t off = edit_unmap(&r->joined_edits, offset_of(text, len, l, c));
			size_t l0 = 1, c0 = 1;
			for (size_t k = 0; k < off && k < r->rec_len; k++) {
				if (r->rec[k] == '\n') {
					l0++;
					c0 = 1;
				} else {
					c0++;
				}
			}
			line = r->rec_line + l0 - 1;
			col = c ? (l0 == 1 ? r->rec_col + c0 - 1 : c0) : 0;
		}
		progress_clear(r);
		cli_print_position(stderr, r->name, line, col);
		cli_put_clean(stderr, rulebook_error_message(r->err, i));
		fputs(b ? " (new rulebook)\n" : "\n", stderr);
		printed++;
	}
	return printed;
}

/* Set the facts of every book from one JSON record. Each book reads it
 * strictly first, so that a key neither book knows is reported; when the
 * only keys refused are inputs of the other book, it reads the record again
 * skipping unknown keys. */
static bool json_facts(reader *r, const char *text, size_t len)
{
	for (size_t b = 0; b < r->n; b++) {
		if (rulebook_facts_set_json(r->facts[b], text, len, r->err) == RULEBOOK_OK)
			continue;
		if (json_error(r, b, text, len))
			return false;
		/* Only keys of the other book were refused: take the rest. */
		rulebook_facts_ignore_unknown(r->facts[b], 1);
		rulebook_status st = rulebook_facts_set_json(r->facts[b], text, len, r->err);
		rulebook_facts_ignore_unknown(r->facts[b], r->ignore_unknown);
		if (st != RULEBOOK_OK) {
			json_error(r, b, text, len);
			return false;
		}
	}
	return true;
}

static void json_record(reader *r)
{
	r->records++;
	clear_facts(r);
	bool ok = true;
	if (r->rec_too_big) {
		char msg[96];
		snprintf(msg, sizeof msg, "the record is larger than the limit of %llu bytes",
			 (unsigned long long)r->max_record);
		progress_clear(r);
		cli_print_position(stderr, r->name, r->rec_line, r->rec_col);
		fprintf(stderr, "%s\n", msg);
		ok = false;
	} else {
		size_t len = 0;
		const char *text = join_surrogates(r, r->rec, r->rec_len, &len);
		if (!text)
			return;
		ok = json_facts(r, text, len);
	}
	deliver(r, ok, r->rec_line);
}

static void capture_byte(reader *r, char c)
{
	if (r->rec_too_big)
		return;
	if (r->rec_len + 1 > r->max_record) {
		r->rec_too_big = true;
		return;
	}
	if (!grow(&r->rec, &r->rec_cap, r->rec_len + 2)) {
		out_of_memory(r);
		return;
	}
	r->rec[r->rec_len++] = c;
	r->rec[r->rec_len] = '\0';
}

static void capture_bytes(reader *r, const char *data, size_t len)
{
	if (r->rec_too_big || len == 0)
		return;
	if (len > r->max_record - r->rec_len) {
		r->rec_too_big = true;
		return;
	}
	if (!grow(&r->rec, &r->rec_cap, r->rec_len + len + 1)) {
		out_of_memory(r);
		return;
	}
	memcpy(r->rec + r->rec_len, data, len);
	r->rec_len += len;
	r->rec[r->rec_len] = '\0';
}

static void capture_start(reader *r, char c, bool top)
{
	r->js = J_CAPTURE;
	r->rec_len = 0;
	r->rec_too_big = false;
	r->rec_line = r->line;
	r->rec_col = r->col;
	r->top_level = top;
	r->in_string = c == '"';
	r->escaped = false;
	r->scalar = c != '{' && c != '[';
	r->depth = r->scalar ? 0 : 1;
	capture_byte(r, c);
}

static void capture_end(reader *r)
{
	r->js = r->top_level ? J_TOP : J_ARRAY_SEP;
	json_record(r);
}

/* One byte of a JSON document; r->line and r->col locate it. */
static void json_byte(reader *r, char c)
{
	switch (r->js) {
	case J_TOP:
		if (json_space(c))
			return;
		if (c == '[')
			r->js = J_ARRAY_FIRST;
		else if (c == '{')
			capture_start(r, c, true);
		else
			fatal(r, r->line, r->col, "expected a JSON object or an array of objects");
		return;
	case J_ARRAY_FIRST:
	case J_ARRAY_NEXT:
		if (json_space(c))
			return;
		if (c == ']')
			r->js = J_TOP; /* [] and a trailing comma, as the library allows */
		else if (c == ',')
			fatal(r, r->line, r->col, "expected a record before ','");
		else
			capture_start(r, c, false);
		return;
	case J_ARRAY_SEP:
		if (json_space(c))
			return;
		if (c == ',')
			r->js = J_ARRAY_NEXT;
		else if (c == ']')
			r->js = J_TOP;
		else
			fatal(r, r->line, r->col, "expected ',' or ']' after a record");
		return;
	case J_CAPTURE:
		break;
	}
	if (r->in_string) {
		capture_byte(r, c);
		if (r->escaped)
			r->escaped = false;
		else if (c == '\\')
			r->escaped = true;
		else if (c == '"') {
			r->in_string = false;
			if (r->scalar)
				capture_end(r);
		}
		return;
	}
	if (r->scalar) {
		/* A bare number or word ends before a separator, which is then
		 * read in the array's state. */
		if (json_space(c) || c == ',' || c == ']') {
			capture_end(r);
			if (!r->stop)
				json_byte(r, c);
			return;
		}
		capture_byte(r, c);
		return;
	}
	capture_byte(r, c);
	if (c == '"')
		r->in_string = true;
	else if (c == '{' || c == '[')
		r->depth++;
	else if ((c == '}' || c == ']') && --r->depth == 0)
		capture_end(r);
}

static void json_feed(reader *r, const char *data, size_t len)
{
	for (size_t i = 0; i < len && !r->stop; i++) {
		r->col++;
		json_byte(r, data[i]);
		if (data[i] == '\n') {
			r->line++;
			r->col = 0;
		}
	}
}

static void json_finish(reader *r)
{
	if (r->stop)
		return;
	if (r->js == J_CAPTURE && r->scalar && !r->in_string && !r->top_level) {
		capture_end(r);
		if (r->stop)
			return;
	}
	if (r->js == J_TOP)
		return;
	fatal(r, r->line, r->col + 1,
	      r->js == J_CAPTURE && r->in_string ? "unexpected end of data in a string"
	      : r->js == J_CAPTURE && r->top_level ? "unexpected end of data: the object is not closed"
						  : "unexpected end of data: the array is not closed");
}

/* JSON Lines: a record per line; blank lines are skipped. */
static void jsonl_line(reader *r)
{
	while (r->rec_len && (r->rec[r->rec_len - 1] == '\r'))
		r->rec[--r->rec_len] = '\0';
	bool blank = !r->rec_too_big;
	for (size_t i = 0; blank && i < r->rec_len; i++)
		blank = json_space(r->rec[i]);
	if (!blank) {
		r->rec_col = 1;
		json_record(r);
	}
	r->rec_len = 0;
	r->rec_too_big = false;
}

static void jsonl_feed(reader *r, const char *data, size_t len)
{
	size_t at = 0;
	while (at < len && !r->stop) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (r->rec_len == 0)
			r->rec_line = r->line;
		capture_bytes(r, data + at, end - at);
		if (nl) {
			jsonl_line(r);
			r->line++;
			at = end + 1;
		} else {
			at = end;
		}
	}
}

static void jsonl_finish(reader *r)
{
	if (!r->stop && (r->rec_len || r->rec_too_big))
		jsonl_line(r);
}

/* ---- the reading loop ---- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char c = s[n - k + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

static cli_input_format by_name(const char *path)
{
	if (has_suffix(path, ".csv"))
		return CLI_IN_CSV;
	if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson"))
		return CLI_IN_JSONL;
	if (has_suffix(path, ".json"))
		return CLI_IN_JSON;
	return CLI_IN_AUTO;
}

/* The first byte that is not white space decides: '[' or '{' is JSON. */
static cli_input_format sniff(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!json_space(data[i]))
			return data[i] == '[' || data[i] == '{' ? CLI_IN_JSON : CLI_IN_CSV;
	return CLI_IN_AUTO;
}

static void feed(reader *r, const char *data, size_t len)
{
	if (r->format == CLI_IN_CSV)
		csv_feed(r, data, len);
	else if (r->format == CLI_IN_JSON)
		json_feed(r, data, len);
	else
		jsonl_feed(r, data, len);
}

static void finish(reader *r)
{
	if (r->format == CLI_IN_CSV)
		csv_finish(r);
	else if (r->format == CLI_IN_JSON)
		json_finish(r);
	else if (r->format == CLI_IN_JSONL)
		jsonl_finish(r);
}

static void reader_free(reader *r)
{
	if (r->csv_ready)
		csv_free(&r->csv);
	free_columns(r);
	for (size_t i = 0; i < r->fields_cap; i++)
		free(r->fields[i].data);
	free(r->fields);
	free(r->rec);
	free(r->scratch);
	free(r->joined);
	free(r->joined_edits.v);
	rulebook_error_free(r->err);
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
}

int cli_read_records(const cli_source *src, const rulebook *const *rbs,
		     rulebook_facts *const *facts, size_t n, cli_record_fn fn, void *payload)
{
	reader r;
	memset(&r, 0, sizeof(r));
	r.name = display_name(src->path);
	r.rbs = rbs;
	r.facts = facts;
	r.n = n > MAX_BOOKS ? MAX_BOOKS : n;
	r.fn = fn;
	r.payload = payload;
	r.line = 1;
	r.status = CLI_OK;
	r.err = rulebook_error_new();
	r.ignore_unknown = src->ignore_unknown;
	r.max_record = rulebook_options_get_limit(cli_rulebook_options(), RULEBOOK_LIMIT_FILE_SIZE);
	for (size_t b = 0; b < r.n; b++)
		rulebook_facts_ignore_unknown(facts[b], r.ignore_unknown);
	char *buf = malloc(CHUNK);
	if (!r.err || !buf) {
		fprintf(stderr, "%s: out of memory\n", r.name);
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	r.fp = open_input(src->path);
	if (!r.fp) {
		free(buf);
		reader_free(&r);
		return CLI_TROUBLE;
	}
	r.format = src->format != CLI_IN_AUTO ? src->format : by_name(src->path);
	struct stat st;
	if (fstat(fileno(r.fp), &st) == 0 && S_ISREG(st.st_mode))
		r.total = (uint64_t)st.st_size;
	r.progress = src->progress && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &r.started);

	bool first = true;
	while (!r.stop) {
		/* read(2) rather than fread: records from a pipe are handled as
		 * they arrive, not when 64 KiB have accumulated. */
		ssize_t got = read(fileno(r.fp), buf, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0) {
				progress_clear(&r);
				fprintf(stderr, "%s: cannot read: %s\n", r.name, strerror(errno));
				r.status = CLI_TROUBLE;
			}
			break;
		}
		size_t len = (size_t)got;
		r.bytes += len;
		const char *data = buf;
		if (first && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3; /* a byte order mark, as spreadsheets write */
			len -= 3;
		}
		first = false;
		if (r.format == CLI_IN_AUTO)
			r.format = sniff(data, len);
		if (r.format == CLI_IN_CSV && !r.csv_ready) {
			csv_init(&r.csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
			r.csv_ready = true;
		}
		if (r.format == CLI_IN_AUTO) {
			r.line += count_newlines(data, len); /* only white space so far */
			continue;
		}
		feed(&r, data, len);
		progress_update(&r);
	}
	if (!r.stop && r.status == CLI_OK)
		finish(&r);
	progress_clear(&r);
	free(buf);
	int status = r.status;
	reader_free(&r);
	return status;
}
