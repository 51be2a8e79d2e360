/* Excel workbooks (.xlsx): the first sheet, or the one named by --sheet,
 * read as rows of cells and handed to records.c like CSV rows.
 *
 * An .xlsx file is a zip archive of XML parts (ECMA-376): libzip opens it
 * and expat reads the parts as a stream. Numbers are taken from each
 * cell's stored text, so 1158.1 stays exactly 1158.1; shared and inline
 * strings, booleans and formula results are text; a date is a serial
 * number of days (the 1900 or the 1904 system, from workbook.xml) in a
 * cell whose number format is a date, or in a column of a date input.
 * Against archives built to exhaust memory, the bytes unpacked, the cells
 * read and the length of one cell are limited. */
#include "input.h"

#include <errno.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

typedef struct strings {
	char **v;
	size_t n, cap;
} strings;

typedef struct xlsx {
	reader *r;
	zip_t *zip;
	uint64_t unpacked;       /* bytes unpacked so far, all parts */
	uint64_t cells;
	bool failed;             /* a limit or a malformed part: said already */
	bool date1904;
	char *sheet_rid;         /* the relationship id of the sheet to read */
	char *sheet_path;        /* e.g. xl/worksheets/sheet1.xml */
	strings shared;          /* shared strings */
	unsigned char *date_style; /* per cellXfs index: the number format is a date */
	size_t nstyles;
	/* number formats defined in styles.xml that are dates */
	uint32_t *date_fmts;
	size_t ndate_fmts;
	/* parsing state */
	XML_Parser parser;
	int depth;
	bool in_text;            /* inside <t> (shared strings, inline strings) */
	bool in_v;               /* inside <v> */
	bool in_si, in_rph, in_cellxfs, in_numfmts;
	char *text;              /* collected character data */
	size_t text_len, text_cap;
	bool text_too_long;
	/* the current cell */
	size_t col;
	char type[16];
	long style;
	uint64_t row;            /* 1-based row number */
	bool row_open;
	bool header_skipped_title;
} xlsx;

static void xfail(xlsx *x, const char *msg)
{
	if (!x->failed)
		input_fatal(x->r, 0, 0, msg);
	x->failed = true;
	if (x->parser)
		XML_StopParser(x->parser, XML_FALSE);
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *a = atts[i];
		const char *colon = strchr(a, ':');
		if (strcmp(a, name) == 0 || (colon && strcmp(colon + 1, name) == 0))
			return atts[i + 1];
	}
	return NULL;
}

/* The element's local name (without a namespace prefix). */
static const char *local(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static void text_add(xlsx *x, const char *s, int len)
{
	if (x->text_too_long || len <= 0)
		return;
	uint64_t max = cli_input_options_get()->max_cell;
	if (x->text_len + (size_t)len > max) {
		x->text_too_long = true;
		return;
	}
	if (!input_grow(&x->text, &x->text_cap, x->text_len + (size_t)len + 1)) {
		xfail(x, "out of memory");
		return;
	}
	memcpy(x->text + x->text_len, s, (size_t)len);
	x->text_len += (size_t)len;
	x->text[x->text_len] = '\0';
}

static void text_reset(xlsx *x)
{
	x->text_len = 0;
	x->text_too_long = false;
	if (x->text)
		x->text[0] = '\0';
}

static void on_text(void *payload, const char *s, int len)
{
	xlsx *x = payload;
	if (x->in_v || (x->in_text && !x->in_rph))
		text_add(x, s, len);
}

/* Read one part of the archive through expat. false when it is missing
 * (and not required) or failed. */
static bool parse_part(xlsx *x, const char *name, XML_StartElementHandler start,
		       XML_EndElementHandler end, bool required)
{
	zip_int64_t index = zip_name_locate(x->zip, name, 0);
	if (index < 0) {
		if (required) {
			char msg[300];
			snprintf(msg, sizeof msg, "not a workbook: the archive has no %s", name);
			xfail(x, msg);
		}
		return false;
	}
	zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)index, 0);
	if (!zf) {
		xfail(x, "cannot read the workbook (a damaged or encrypted archive)");
		return false;
	}
	x->parser = XML_ParserCreate("UTF-8");
	if (!x->parser) {
		zip_fclose(zf);
		xfail(x, "out of memory");
		return false;
	}
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, start, end);
	XML_SetCharacterDataHandler(x->parser, on_text);
	const cli_input_options *io = cli_input_options_get();
	char buf[65536];
	bool ok = true;
	for (;;) {
		zip_int64_t got = zip_fread(zf, buf, sizeof buf);
		if (got < 0) {
			xfail(x, "cannot read the workbook (a damaged archive)");
			ok = false;
			break;
		}
		x->unpacked += (uint64_t)got;
		if (x->unpacked > io->max_unzipped) {
			char msg[200];
			snprintf(msg, sizeof msg,
				 "the workbook unpacks to more than the limit of %llu bytes "
				 "(--max-unzipped)",
				 (unsigned long long)io->max_unzipped);
			xfail(x, msg);
			ok = false;
			break;
		}
		if (XML_Parse(x->parser, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
			if (!x->failed && !x->r->stop) {
				char msg[400];
				snprintf(msg, sizeof msg, "%s:%lu: malformed XML in the workbook: %s", name,
					 (unsigned long)XML_GetCurrentLineNumber(x->parser),
					 XML_ErrorString(XML_GetErrorCode(x->parser)));
				xfail(x, msg);
			}
			ok = false;
			break;
		}
		if (got == 0 || x->r->stop)
			break;
	}
	XML_ParserFree(x->parser);
	x->parser = NULL;
	zip_fclose(zf);
	return ok && !x->failed;
}

/* ---- workbook.xml and its relationships ---- */

static void wb_start(void *payload, const char *name, const char **atts)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(el, "sheet") == 0 && !x->sheet_rid) {
		const char *want = cli_input_options_get()->sheet;
		const char *sheet = attr(atts, "name"), *rid = attr(atts, "id");
		if (rid && (!want || (sheet && strcmp(sheet, want) == 0))) {
			x->sheet_rid = strdup(rid);
			if (!x->sheet_rid)
				xfail(x, "out of memory");
		}
	}
}

static void no_end(void *payload, const char *name)
{
	(void)payload;
	(void)name;
}

static void rels_start(void *payload, const char *name, const char **atts)
{
	xlsx *x = payload;
	if (strcmp(local(name), "Relationship") != 0 || x->sheet_path || !x->sheet_rid)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	if (!id || !target || strcmp(id, x->sheet_rid) != 0)
		return;
	/* Targets are relative to xl/, or absolute from the archive's root. */
	size_t n = strlen(target) + 4;
	x->sheet_path = malloc(n);
	if (!x->sheet_path) {
		xfail(x, "out of memory");
		return;
	}
	if (target[0] == '/')
		snprintf(x->sheet_path, n, "%s", target + 1);
	else
		snprintf(x->sheet_path, n, "xl/%s", target);
}

/* ---- sharedStrings.xml ---- */

static void ss_start(void *payload, const char *name, const char **atts)
{
	xlsx *x = payload;
	(void)atts;
	const char *el = local(name);
	if (strcmp(el, "si") == 0) {
		x->in_si = true;
		text_reset(x);
	} else if (strcmp(el, "t") == 0 && x->in_si) {
		x->in_text = true;
	} else if (strcmp(el, "rPh") == 0) {
		x->in_rph = true; /* phonetic guide: not part of the text */
	}
}

static void ss_end(void *payload, const char *name)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "t") == 0) {
		x->in_text = false;
	} else if (strcmp(el, "rPh") == 0) {
		x->in_rph = false;
	} else if (strcmp(el, "si") == 0) {
		x->in_si = false;
		strings *s = &x->shared;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			char **v = realloc(s->v, cap * sizeof(*v));
			if (!v) {
				xfail(x, "out of memory");
				return;
			}
			s->v = v;
			s->cap = cap;
		}
		/* An over-long string is kept as NULL and refused where used. */
		s->v[s->n] = x->text_too_long ? NULL : strdup(x->text ? x->text : "");
		if (!x->text_too_long && !s->v[s->n]) {
			xfail(x, "out of memory");
			return;
		}
		s->n++;
	}
}

/* ---- styles.xml: which cell styles show dates ---- */

/* The built-in number formats that are dates (ECMA-376 18.8.30). */
static bool builtin_date(uint32_t id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/* A format code shows a date when it has y or d outside quotes and
 * brackets ("yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\""). */
static bool code_is_date(const char *code)
{
	bool quoted = false, bracket = false;
	for (const char *p = code; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '[')
			bracket = true;
		else if (!quoted && *p == ']')
			bracket = false;
		else if (!quoted && !bracket && *p == '\\' && p[1])
			p++;
		else if (!quoted && !bracket && strchr("yYdD", *p))
			return true;
	}
	return false;
}

static bool is_date_format(const xlsx *x, uint32_t id)
{
	if (builtin_date(id))
		return true;
	for (size_t i = 0; i < x->ndate_fmts; i++)
		if (x->date_fmts[i] == id)
			return true;
	return false;
}

static void st_start(void *payload, const char *name, const char **atts)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "numFmts") == 0) {
		x->in_numfmts = true;
	} else if (strcmp(el, "numFmt") == 0 && x->in_numfmts) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (id && code && code_is_date(code)) {
			uint32_t *v = realloc(x->date_fmts, (x->ndate_fmts + 1) * sizeof(*v));
			if (!v) {
				xfail(x, "out of memory");
				return;
			}
			x->date_fmts = v;
			x->date_fmts[x->ndate_fmts++] = (uint32_t)strtoul(id, NULL, 10);
		}
	} else if (strcmp(el, "cellXfs") == 0) {
		x->in_cellxfs = true;
	} else if (strcmp(el, "xf") == 0 && x->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");
		unsigned char *v = realloc(x->date_style, x->nstyles + 1);
		if (!v) {
			xfail(x, "out of memory");
			return;
		}
		x->date_style = v;
		x->date_style[x->nstyles++] = id && is_date_format(x, (uint32_t)strtoul(id, NULL, 10));
	}
}

static void st_end(void *payload, const char *name)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "numFmts") == 0)
		x->in_numfmts = false;
	else if (strcmp(el, "cellXfs") == 0)
		x->in_cellxfs = false;
}

/* ---- the sheet ---- */

/* "BC12": column index 54 (0-based) and row 12. false when malformed. */
static bool cell_ref(const char *ref, size_t *col, uint64_t *row)
{
	size_t c = 0;
	const char *p = ref;
	while (*p >= 'A' && *p <= 'Z' && p - ref < 4)
		c = c * 26 + (size_t)(*p++ - 'A' + 1);
	if (!c || *p < '1' || *p > '9')
		return false;
	char *end;
	unsigned long long n = strtoull(p, &end, 10);
	if (*end)
		return false;
	*col = c - 1;
	*row = n;
	return true;
}

void input_cell_name(size_t col, uint64_t row, char *buf, size_t size)
{
	char letters[8];
	size_t n = 0;
	col++;
	while (col && n < sizeof letters) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	size_t k = 0;
	while (n && k + 1 < size)
		buf[k++] = letters[--n];
	snprintf(buf + k, size - k, "%llu", (unsigned long long)row);
}

/* Days from 1970-01-01 to y-m-d, and back (proleptic Gregorian). */
static void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned long doe = (unsigned long)(z - era * 146097);
	unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned long mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

bool input_serial_date(const char *text, bool date1904, char *buf, size_t size)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || *end || v < 0 || v >= 2958466) /* up to 9999-12-31 */
		return false;
	long serial = (long)v;
	long days; /* from 1970-01-01 */
	if (date1904) {
		days = serial - 24107; /* 1904-01-01 is serial 0 */
	} else {
		if (serial == 60 || serial < 1)
			return false; /* 1900-02-29 never was; 0 is no day */
		/* Serial 1 is 1900-01-01; Excel counts a 29 February 1900. */
		days = serial - 25569 + (serial < 60 ? 1 : 0);
	}
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
	return true;
}

static void put_cell(xlsx *x)
{
	reader *r = x->r;
	const char *t = x->type;
	const char *value = x->text ? x->text : "";
	size_t len = x->text_len;
	char buf[32];
	if (x->text_too_long) {
		char ref[24];
		input_cell_name(x->col, x->row, ref, sizeof ref);
		if (!r->row_bad)
			snprintf(r->row_problem, sizeof r->row_problem,
				 "cell %s: the cell is longer than the limit of %llu bytes (--max-cell)",
				 ref, (unsigned long long)cli_input_options_get()->max_cell);
		r->row_bad = true;
		input_field_put(r, x->col, NULL, 0, false);
		return;
	}
	if (strcmp(t, "s") == 0) {
		unsigned long i = strtoul(value, NULL, 10);
		if (i >= x->shared.n || !x->shared.v[i]) {
			char ref[24];
			input_cell_name(x->col, x->row, ref, sizeof ref);
			if (!r->row_bad)
				snprintf(r->row_problem, sizeof r->row_problem,
					 i >= x->shared.n ? "cell %s: no such shared string"
							  : "cell %s: the cell is longer than the limit "
							    "(--max-cell)",
					 ref);
			r->row_bad = true;
			input_field_put(r, x->col, NULL, 0, false);
			return;
		}
		value = x->shared.v[i];
		len = strlen(value);
	} else if (strcmp(t, "b") == 0) {
		value = strcmp(value, "1") == 0 ? "true" : "false";
		len = strlen(value);
	} else if (strcmp(t, "e") == 0) {
		char ref[24];
		input_cell_name(x->col, x->row, ref, sizeof ref);
		if (!r->row_bad)
			snprintf(r->row_problem, sizeof r->row_problem,
				 "cell %s: the spreadsheet could not compute it (%.40s)", ref, value);
		r->row_bad = true;
		input_field_put(r, x->col, NULL, 0, false);
		return;
	} else if (strcmp(t, "d") == 0) {
		len = len > 10 ? 10 : len; /* ISO 8601: the date part */
	} else if (strcmp(t, "str") != 0 && strcmp(t, "inlineStr") != 0 && len) {
		/* A number: a date when its style says so. */
		bool dated = x->style >= 0 && (size_t)x->style < x->nstyles && x->date_style[x->style];
		if (dated && input_serial_date(value, x->date1904, buf, sizeof buf)) {
			value = buf;
			len = strlen(buf);
		}
		input_field_put(r, x->col, value, len, !dated);
		return;
	}
	input_field_put(r, x->col, value, len, false);
}

static void end_row(xlsx *x)
{
	reader *r = x->r;
	x->row_open = false;
	r->row_line = (size_t)x->row;
	size_t filled = 0;
	for (size_t i = 0; i < r->nfields; i++)
		filled += !input_empty_field(&r->fields[i]);
	if (!r->header_done) {
		/* A title above the header (one merged cell) is skipped: the
		 * header is the first row with two cells or more. */
		if (filled >= 2)
			input_header(r);
	} else if (filled) {
		/* Cells left empty at the end of a row are not written. */
		while (r->nfields < r->ncols)
			input_field_put(r, r->nfields, NULL, 0, false);
		while (r->nfields > r->ncols && input_empty_field(&r->fields[r->nfields - 1]))
			r->nfields--;
		input_record(r);
	}
	r->nfields = 0;
	r->row_bad = false;
}

static void sheet_start(void *payload, const char *name, const char **atts)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "row") == 0) {
		const char *n = attr(atts, "r");
		x->row = n ? strtoull(n, NULL, 10) : x->row + 1;
		x->row_open = true;
		x->col = 0;
		x->r->nfields = 0;
	} else if (strcmp(el, "c") == 0) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		uint64_t row;
		size_t col = x->col;
		if (ref && !cell_ref(ref, &col, &row)) {
			xfail(x, "malformed cell reference in the sheet");
			return;
		}
		if (col > 16383) {
			xfail(x, "a cell beyond column XFD in the sheet");
			return;
		}
		x->col = col;
		snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
		x->style = s ? strtol(s, NULL, 10) : -1;
		text_reset(x);
		if (++x->cells > cli_input_options_get()->max_cells) {
			char msg[160];
			snprintf(msg, sizeof msg, "the sheet has more than the limit of %llu cells "
						  "(--max-cells)",
				 (unsigned long long)cli_input_options_get()->max_cells);
			xfail(x, msg);
		}
	} else if (strcmp(el, "v") == 0) {
		x->in_v = true;
	} else if (strcmp(el, "t") == 0) {
		x->in_text = true;
	} else if (strcmp(el, "rPh") == 0) {
		x->in_rph = true;
	}
}

static void sheet_end(void *payload, const char *name)
{
	xlsx *x = payload;
	const char *el = local(name);
	if (strcmp(el, "v") == 0) {
		x->in_v = false;
	} else if (strcmp(el, "t") == 0) {
		x->in_text = false;
	} else if (strcmp(el, "rPh") == 0) {
		x->in_rph = false;
	} else if (strcmp(el, "c") == 0) {
		put_cell(x);
		x->col++;
	} else if (strcmp(el, "row") == 0) {
		end_row(x);
		if (x->r->stop && x->parser)
			XML_StopParser(x->parser, XML_FALSE);
	}
}

/* ---- the whole ---- */

/* The archive's directory is at its end: the file is read whole (the
 * first bytes were read already), up to the --max-unzipped limit. */
static zip_t *open_archive(xlsx *x, const char *first, size_t first_len, char **mem)
{
	size_t len = first_len, cap = 0;
	uint64_t max = cli_input_options_get()->max_unzipped;
	*mem = NULL;
	if (!input_grow(mem, &cap, len + 65536)) {
		xfail(x, "out of memory");
		return NULL;
	}
	memcpy(*mem, first, first_len);
	for (;;) {
		if (!input_grow(mem, &cap, len + 65536)) {
			xfail(x, "out of memory");
			return NULL;
		}
		ssize_t got = read(fileno(x->r->fp), *mem + len, 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			xfail(x, "cannot read the workbook");
			return NULL;
		}
		len += (size_t)got;
		if (len > max) {
			xfail(x, "the workbook is larger than the limit (--max-unzipped)");
			return NULL;
		}
		if (got == 0)
			break;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(*mem, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		if (src)
			zip_source_free(src);
		xfail(x, "not a workbook: cannot open it as a zip archive");
	}
	zip_error_fini(&ze);
	return z;
}

void input_xlsx_read(reader *r, const char *first, size_t first_len)
{
	xlsx x;
	memset(&x, 0, sizeof x);
	x.r = r;
	char *mem = NULL;
	x.zip = open_archive(&x, first, first_len, &mem);
	if (x.zip && parse_part(&x, "xl/workbook.xml", wb_start, no_end, true)) {
		const char *want = cli_input_options_get()->sheet;
		if (!x.sheet_rid) {
			char msg[300];
			snprintf(msg, sizeof msg, want ? "the workbook has no sheet called '%s'"
						       : "the workbook has no sheet%s",
				 want ? want : "");
			xfail(&x, msg);
		} else {
			parse_part(&x, "xl/_rels/workbook.xml.rels", rels_start, no_end, true);
			if (!x.failed && !x.sheet_path)
				xfail(&x, "not a workbook: the sheet's part is not named");
		}
	}
	if (!x.failed)
		parse_part(&x, "xl/sharedStrings.xml", ss_start, ss_end, false);
	if (!x.failed)
		parse_part(&x, "xl/styles.xml", st_start, st_end, false);
	if (!x.failed) {
		r->xlsx_date1904 = x.date1904;
		parse_part(&x, x.sheet_path, sheet_start, sheet_end, true);
	}
	if (x.zip)
		zip_discard(x.zip);
	for (size_t i = 0; i < x.shared.n; i++)
		free(x.shared.v[i]);
	free(x.shared.v);
	free(x.date_style);
	free(x.date_fmts);
	free(x.sheet_rid);
	free(x.sheet_path);
	free(x.text);
	free(mem);
}
