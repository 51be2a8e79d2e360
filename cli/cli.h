/* The rulebook command-line tool: declarations shared by its modules.
 * Each subcommand lives in its own file; input.c reads rulebooks and
 * records, output.c writes diagnostics and results, summary.c tallies an
 * evaluation run. Only the public header of the library is used. */
#ifndef RULEBOOK_CLI_H
#define RULEBOOK_CLI_H

#include <rulebook.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses, the same for every subcommand. */
enum {
	CLI_OK = 0,       /* success, nothing to report */
	CLI_FINDINGS = 1, /* failed tests, diagnostics, differences, --fail-on */
	CLI_TROUBLE = 2   /* usage error, unreadable or unusable input */
};

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* ---- main.c: options shared by the subcommands ---- */

/* Print "rulebook CMD: MESSAGE" and a pointer to --help on stderr;
 * returns CLI_TROUBLE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Report an option that getopt_long refused (the '?' or ':' case). */
int cli_bad_option(const char *cmd, char **argv, int optopt_char, int missing_arg);
/* Parse --as-of; prints the error and returns -1 when text is no date. */
int cli_parse_date(const char *cmd, const char *text, int32_t *out);
/* Today's date (local time) as YYYYMMDD. */
int32_t cli_today(void);
/* Parse --lang ("zh" or "en"); returns -1 after printing the error. */
int cli_parse_lang(const char *cmd, const char *text, bool *en);

/* ---- subcommands ---- */

int cli_check(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_diff(int argc, char **argv);

/* ---- input.c ---- */

typedef enum cli_input_format {
	CLI_IN_AUTO = 0, /* by file name, else by the first byte of the data */
	CLI_IN_CSV,
	CLI_IN_JSON,     /* an object, an array of objects, or objects one after another */
	CLI_IN_JSONL     /* one object per line */
} cli_input_format;

/* Parse an --input-format value; -1 when it names no format. */
int cli_input_format_parse(const char *text, cli_input_format *out);

/* Read a rulebook file ("-" is stdin) and compile it. On failure *out is
 * NULL. Returns CLI_OK; CLI_TROUBLE when the file cannot be read (said on
 * stderr); or CLI_FINDINGS when it does not compile, each diagnostic
 * printed on diag as "file:line:col: error: message". */
int cli_load_rulebook(const char *path, FILE *diag, rulebook **out);

typedef struct cli_record {
	bool ok;          /* false: malformed, diagnostics printed, facts unusable */
	size_t number;    /* 1-based position among all records of the file */
	size_t line;      /* line of the file where the record starts */
} cli_record;

/* Called once per record, after facts[0..n-1] were cleared and filled.
 * Return nonzero to stop reading. */
typedef int (*cli_record_fn)(const cli_record *rec, void *payload);

typedef struct cli_source {
	const char *path;          /* "-" is stdin */
	cli_input_format format;
	bool progress;             /* show progress on a terminal for long runs */
} cli_source;

/* Read the records of src one at a time into facts[i] (for rulebook
 * rbs[i]; n is 1 or 2). A CSV column or JSON key must be an input of at
 * least one of the rulebooks; it is ignored for the others. Returns CLI_OK
 * (also when fn stopped the reading) or CLI_TROUBLE after printing why the
 * data cannot be read at all. */
int cli_read_records(const cli_source *src, const rulebook *const *rbs,
		     rulebook_facts *const *facts, size_t n, cli_record_fn fn, void *payload);

/* ---- output.c ---- */

/* "file:line:col: " with the parts that are known (line 0: "file: "). */
void cli_print_position(FILE *fp, const char *file, size_t line, size_t col);
/* Every diagnostic held by err as "file:line:col: KIND: message" on fp;
 * file defaults to fallback. kind may be NULL ("file:…: message"). */
void cli_print_errors(FILE *fp, const rulebook_error *err, const char *fallback,
		      const char *kind);
/* The UTF-8 character at s (avail bytes readable): its length, and its
 * code point in *cp; 0 when the bytes are not valid UTF-8. */
size_t cli_utf8_char(const unsigned char *s, size_t avail, uint32_t *cp);
/* Write s with control characters and invalid bytes replaced by '?', so
 * that data cannot move the cursor or change a terminal's state. */
void cli_put_clean(FILE *fp, const char *s);
/* Columns a UTF-8 string takes on a terminal (East Asian wide = 2). */
size_t cli_text_width(const char *s);
/* Write s and pad with spaces to width columns. */
void cli_put_padded(FILE *fp, const char *s, size_t width);

typedef enum cli_format {
	CLI_OUT_TABLE = 0,
	CLI_OUT_JSON,
	CLI_OUT_JSONL,
	CLI_OUT_CSV,
	CLI_OUT_MARKDOWN
} cli_format;

int cli_format_parse(const char *text, cli_format *out);
/* Machine formats send the summary to stderr. */
bool cli_format_is_machine(cli_format fmt);

/* Verdict sets are bit masks indexed by rulebook_verdict. Parse a
 * comma-separated list of verdict names; -1 when a name is unknown. */
int cli_verdicts_parse(const char *text, uint32_t *mask);

typedef struct cli_output cli_output;

/* Results of rb in format fmt on fp; only: rules shown (table, csv,
 * markdown) or records shown (json, jsonl: those with at least one such
 * verdict); 0 shows everything. NULL when memory runs out. */
cli_output *cli_output_new(FILE *fp, cli_format fmt, const rulebook *rb, bool en, uint32_t only);
/* One evaluated record; label is its _id or "#N". */
void cli_output_record(cli_output *o, rulebook_result *res, const char *label);
/* Close the document (the JSON array) and free o. complete is false when
 * the run failed: a table then gets no header if it has no rows. */
void cli_output_finish(cli_output *o, bool complete);

/* ---- summary.c ---- */

typedef struct cli_summary cli_summary;

cli_summary *cli_summary_new(const rulebook *rb);
void cli_summary_free(cli_summary *s);
void cli_summary_add(cli_summary *s, const rulebook_result *res);
void cli_summary_skipped(cli_summary *s);
/* Counts by verdict and the failures by responsible unit (督办清单). */
void cli_summary_print(const cli_summary *s, FILE *fp, bool markdown, bool en);

#endif
