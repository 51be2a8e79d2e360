/* The input layer of the command-line tool: what its files share. Not a
 * public interface; cli.h declares what the subcommands use.
 *
 * read.c runs the reading loop: it opens the file, decodes it to UTF-8
 * (encoding.c), picks the format and feeds chunks to csv.c or json.c.
 * csv.c cuts CSV into rows of cells; records.c turns rows into facts,
 * matching the header row to inputs; json.c hands JSON records to the
 * library. rulebook.c loads rulebooks. */
#ifndef RULEBOOK_CLI_INPUT_H
#define RULEBOOK_CLI_INPUT_H

#include "../cli.h"

#include <csv.h>
#include <iconv.h>
#include <time.h>

#define MAX_BOOKS 2

typedef enum column_kind {
	COL_INPUT,
	COL_ID,
	COL_IGNORED,   /* starts with '_' */
	COL_UNMATCHED  /* matches no input: ignored after one warning */
} column_kind;

typedef struct column {
	char *header;                 /* as written in the file (without a unit) */
	char *key;                    /* folded for matching (headers.c) */
	char *unit;                   /* from "name[unit]", or NULL */
	column_kind kind;
	bool duplicate;               /* an earlier column has the same name */
	size_t input[MAX_BOOKS];      /* SIZE_MAX: not an input of that rulebook */
	bool numeric[MAX_BOOKS];
	bool boolean[MAX_BOOKS];
	bool date[MAX_BOOKS];
} column;

typedef struct field {
	char *data;
	size_t len, cap;
	bool null;
	bool serial;                  /* xlsx: a number, maybe a date's serial */
} field;

typedef enum json_state {
	J_TOP,          /* between top-level values */
	J_ARRAY_FIRST,  /* after '[' */
	J_ARRAY_NEXT,   /* after ',' */
	J_ARRAY_SEP,    /* after an element */
	J_CAPTURE       /* inside a record */
} json_state;

/* ---- encoding.c ---- */

typedef enum decoder_state { DEC_UNDECIDED, DEC_UTF8, DEC_ICONV } decoder_state;

typedef struct input_decoder {
	decoder_state state;
	bool forced;                  /* named by --encoding */
	bool started;
	char name[32];                /* the encoding, once decided */
	iconv_t cd;
	char carry[8];                /* a character cut by the end of a chunk */
	size_t ncarry;
	char *out;
	size_t out_cap;
	uint64_t consumed;            /* bytes of the file converted so far */
	uint64_t bad_at;              /* where an invalid sequence starts */
} input_decoder;

/* encoding NULL: detect. false when iconv does not know the encoding. */
bool input_decoder_init(input_decoder *d, const char *encoding);
void input_decoder_free(input_decoder *d);
/* in[0..len) as UTF-8 (*out_len bytes, valid until the next call). last:
 * no more data follows. On a problem, *problem says what, and the text
 * converted before it is returned. */
const char *input_decode(input_decoder *d, const char *in, size_t len, bool last,
			 size_t *out_len, const char **problem);

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
	bool stop;                    /* fn asked to stop, or a input_fatal error */
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

	/* why the current record is refused, for --rejects */
	char *reasons;
	size_t reasons_len, reasons_cap;
	char cell_ref[24];            /* spreadsheet cell of the refusal ("B7"), or "" */
	bool xlsx;                    /* reading a workbook: positions are cells */
	bool xlsx_date1904;

	input_decoder dec;
	bool dec_ready;
	char delimiter;               /* CSV: decided from the header line */
	uint64_t row_bytes;           /* CSV: bytes of the current row so far */
	size_t row_lines;             /* CSV: lines of the current row before this one */
	bool row_ended;               /* CSV: a row ended in the piece just parsed */
	bool row_bad;                 /* a cell of the row was refused while cutting it */
	char row_problem[128];

	/* growing scratch text (unit suffixes, ids, rewritten JSON) */
	char *scratch;
	size_t scratch_cap;

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

/* ---- read.c ---- */

const char *input_display_name(const char *path);
/* Open path for reading ("-" is stdin); prints the error. */
FILE *input_open(const char *path);
void input_progress_clear(reader *r);
bool input_grow(char **buf, size_t *cap, size_t need);
/* Print "file:line:col: msg" and stop reading with CLI_TROUBLE. */
void input_fatal(reader *r, size_t line, size_t col, const char *msg);
void input_out_of_memory(reader *r);
/* Offset of the first byte that is not valid UTF-8 (or is NUL); len if none. */
size_t input_bad_utf8(const unsigned char *s, size_t len);
/* Print "file:line:col: what: msg" for a record being refused, and keep
 * the reason for --rejects. what may be NULL. */
void input_refuse(reader *r, size_t line, size_t col, const char *what, const char *msg);
/* Hand a finished record to the caller; a refused one (ok false) is
 * counted and written to --rejects with the reasons given so far. */
void input_deliver(reader *r, bool ok, size_t line);
void input_clear_facts(reader *r);
size_t input_count_newlines(const char *s, size_t len);
bool input_json_space(char c);

/* ---- headers.c ---- */

/* s[0..len) folded for comparing names: full-width forms to half-width,
 * ASCII letters to lower case, surrounding spaces dropped. malloc'd; NULL
 * when memory runs out. */
char *input_fold(const char *s, size_t len);
void input_free_columns(reader *r);
/* r->fields holds the header row: match each column to an input. */
void input_header(reader *r);

/* ---- records.c ---- */

bool input_empty_field(const field *f);
/* r->fields holds a row after the header: one record. */
void input_record(reader *r);

/* ---- options.c ---- */

void input_count_refused(void);

/* Set field i of the current row (NULL: empty), after empty ones up to
 * it. serial: the cell is a number (a date input takes it as a serial). */
void input_field_put(reader *r, size_t i, const char *s, size_t len, bool serial);

/* ---- xlsx.c ---- */

/* Read the workbook whose first bytes are first[0..first_len) and whose
 * rest comes from r->fp. */
void input_xlsx_read(reader *r, const char *first, size_t first_len);
/* "B7" for column 1, row 7. */
void input_cell_name(size_t col, uint64_t row, char *buf, size_t size);
/* A spreadsheet's date serial (1900 or 1904 system) as YYYY-MM-DD. */
bool input_serial_date(const char *text, bool date1904, char *buf, size_t size);

/* ---- csv.c ---- */

/* Start the CSV parser; the delimiter is --delimiter or decided from the
 * first line of data. */
void input_csv_init(reader *r, const char *data, size_t len);
void input_csv_feed(reader *r, const char *data, size_t len);
void input_csv_finish(reader *r);

/* ---- json.c ---- */

void input_json_feed(reader *r, const char *data, size_t len);
void input_json_finish(reader *r);
void input_jsonl_feed(reader *r, const char *data, size_t len);
void input_jsonl_finish(reader *r);

#endif
