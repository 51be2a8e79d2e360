/* The rulebook command-line tool: declarations shared by its modules.
 * Each subcommand lives in its own file; input/ reads rulebooks and
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
/* -I DIR / --search-path DIR: add a directory where `extends: <id>` looks
 * for parent rulebooks. Returns -1 after printing the error (DIR is not a
 * directory, or memory ran out). */
int cli_add_search_path(const char *cmd, const char *dir);
/* The options every rulebook is loaded with (NULL: the defaults): the -I
 * directories, then the installed rulebooks (cli_rules_dir) if present. */
const rulebook_options *cli_rulebook_options(void);
/* Where the shipped rulebooks are installed ("" when unknown): the last
 * place a rulebook given by id is looked for. Set when building
 * (meson -Drules_dir=..., default DATADIR/rulebook/rules). */
const char *cli_rules_dir(void);
/* The file to read for a rulebook argument: arg itself when it is "-", an
 * existing file or not an id (it contains '/', starts with '.' or ends in
 * .yaml or .yml); otherwise <id>.yaml or the id with dots as directories
 * (linan.enterprise -> linan/enterprise.yaml), looked for in each -I
 * directory in order and then in cli_rules_dir(), written into buf (size
 * bytes). NULL, after "ARG: cannot open: ..." on stderr, when an id is
 * found nowhere. */
const char *cli_rulebook_path(const char *arg, char *buf, size_t size);
/* "path: warning: the rulebook is not in force on DATE ..." on stderr when
 * as_of is outside the rulebook's validity. */
void cli_warn_not_in_force(const char *path, const rulebook *rb, int32_t as_of);
/* Format YYYYMMDD as YYYY-MM-DD into buf (at least 16 bytes). */
const char *cli_date_text(int32_t date, char *buf);

/* ---- subcommands ---- */

int cli_check(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_monitor(int argc, char **argv);
int cli_report(int argc, char **argv);

/* ---- test.c / boundaries.c ---- */

/* Generate and run boundary cases for the rules of rb, named name in
 * messages. Adds one check per rule with a threshold tested to *passed or
 * *failed, and lists each comparison that could not be tested and why.
 * Returns CLI_OK, CLI_FINDINGS when a check failed, or CLI_TROUBLE (out of
 * memory). */
int cli_boundaries(const char *name, const rulebook *rb, size_t *passed, size_t *failed);

/* ---- input/: rulebooks and records ---- */

typedef enum cli_input_format {
	CLI_IN_AUTO = 0, /* by file name, else by the first byte of the data */
	CLI_IN_CSV,
	CLI_IN_JSON,     /* an object, an array of objects, or objects one after another */
	CLI_IN_JSONL,    /* one object per line */
	CLI_IN_XLSX      /* an Excel workbook */
} cli_input_format;

/* Parse an --input-format value; -1 when it names no format. */
int cli_input_format_parse(const char *text, cli_input_format *out);

/* Read a rulebook file ("-" is stdin) and compile it. On failure *out is
 * NULL. Returns CLI_OK; CLI_TROUBLE when the file cannot be read (said on
 * stderr); or CLI_FINDINGS when it does not compile, each diagnostic
 * printed on diag as "file:line:col: error: message". */
int cli_load_rulebook(const char *path, FILE *diag, rulebook **out);
/* The same, also handing back the source text (free() it) in *data. */
int cli_load_rulebook_text(const char *path, FILE *diag, rulebook **out, char **data,
			   size_t *len);

/* Options of every subcommand that reads records: how to read the data
 * and what to do with records that cannot be used. Parsed once per run by
 * cli_input_option, read by cli_read_records. */
typedef struct cli_input_options {
	const char *encoding;      /* --encoding; NULL: detect */
	char delimiter;            /* --delimiter; 0: detect from the header */
	bool skip_bad;             /* --skip-bad: refused records do not set status 3 */
	FILE *rejects;             /* --rejects FILE: refused records with reasons */
	uint64_t max_cell;         /* --max-cell: bytes in one CSV cell */
	uint64_t max_row;          /* --max-row: bytes in one CSV row */
	const char *id_column;     /* --id COLUMN: the record id's column */
	char **columns;            /* --no-header --columns A,B,...: the header */
	size_t ncolumns;
	const char *sheet;         /* --sheet NAME: the workbook's sheet */
	uint64_t max_unzipped;     /* --max-unzipped: bytes a workbook may unpack to */
	uint64_t max_cells;        /* --max-cells: cells of a sheet */
} cli_input_options;

enum {
	CLI_OPT_ENCODING = 0x1000,
	CLI_OPT_DELIMITER,
	CLI_OPT_SKIP_BAD,
	CLI_OPT_REJECTS,
	CLI_OPT_MAX_CELL,
	CLI_OPT_MAX_ROW,
	CLI_OPT_ID,
	CLI_OPT_NO_HEADER,
	CLI_OPT_COLUMNS,
	CLI_OPT_SHEET,
	CLI_OPT_MAX_UNZIPPED,
	CLI_OPT_MAX_CELLS
};

/* Entries for a subcommand's getopt_long table. */
#define CLI_INPUT_LONGOPTS                                                   \
	{"encoding", required_argument, NULL, CLI_OPT_ENCODING},             \
	{"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},           \
	{"skip-bad", no_argument, NULL, CLI_OPT_SKIP_BAD},                   \
	{"rejects", required_argument, NULL, CLI_OPT_REJECTS},               \
	{"max-cell", required_argument, NULL, CLI_OPT_MAX_CELL},             \
	{"max-row", required_argument, NULL, CLI_OPT_MAX_ROW},               \
	{"id", required_argument, NULL, CLI_OPT_ID},                         \
	{"no-header", no_argument, NULL, CLI_OPT_NO_HEADER},                 \
	{"columns", required_argument, NULL, CLI_OPT_COLUMNS},               \
	{"sheet", required_argument, NULL, CLI_OPT_SHEET},                   \
	{"max-unzipped", required_argument, NULL, CLI_OPT_MAX_UNZIPPED},     \
	{"max-cells", required_argument, NULL, CLI_OPT_MAX_CELLS}

/* Their lines in --help. */
#define CLI_INPUT_HELP                                                                  \
	"      --encoding ENC         the data's encoding: utf-8, gb18030 (also gbk,\n"    \
	"                             gb2312), utf-16le, utf-16be (default: detected)\n"   \
	"      --delimiter CHAR       CSV delimiter: ',', ';', tab ('\\t') or '|'\n"     \
	"                             (default: detected from the header)\n"              \
	"      --id COLUMN            the column that names each record (default:\n"     \
	"                             _id, or the rulebook's id_column)\n"                \
	"      --no-header --columns NAME,...  CSV without a header row: these are\n"    \
	"                             its columns (\\N is a missing value)\n"             \
	"      --skip-bad             refused records do not change the exit status\n"    \
	"      --rejects FILE         write refused records and why to FILE (CSV)\n"      \
	"      --max-cell BYTES       refuse CSV cells longer than BYTES (default 1 MiB)\n" \
	"      --max-row BYTES        refuse CSV rows longer than BYTES (default 8 MiB)\n" \
	"      --sheet NAME           the sheet of an .xlsx workbook (default: first)\n"   \
	"      --max-unzipped BYTES   refuse workbooks unpacking to more (default 1 GiB)\n" \
	"      --max-cells N          refuse sheets with more cells (default 100 million)\n"

/* Handle option c (from getopt_long) if it is one of CLI_INPUT_LONGOPTS:
 * 1 when handled, 0 when it is not an input option, -1 after printing a
 * usage error. */
int cli_input_option(const char *cmd, int c, const char *arg);

/* What the options shared by the commands that read data set: -d/--as-of,
 * -l/--lang, -i/--input-format, -I/--search-path, --strict,
 * --ignore-unknown, and the input options above. A command lists in its
 * own long options those of them it takes. */
typedef struct cli_common {
	int32_t as_of;                  /* --as-of; today after cli_common_finish */
	bool have_date;
	bool en;                        /* --lang en */
	cli_input_format input_format;  /* --input-format, CLI_IN_AUTO by default */
	bool strict;                    /* --strict */
	bool ignore_unknown;            /* --ignore-unknown */
} cli_common;

enum { CLI_OPT_STRICT = 0x1100, CLI_OPT_IGNORE_UNKNOWN };

/* The long options every data command takes; a command adds its own and,
 * where it has them, CLI_LANG_LONGOPT and CLI_STRICT_LONGOPT. Ends the
 * table (with --help). */
#define CLI_DATA_LONGOPTS                                                     \
	{"as-of", required_argument, NULL, 'd'},                              \
	{"input-format", required_argument, NULL, 'i'},                       \
	{"search-path", required_argument, NULL, 'I'},                        \
	{"ignore-unknown", no_argument, NULL, CLI_OPT_IGNORE_UNKNOWN},        \
	CLI_INPUT_LONGOPTS,                                                   \
	{"help", no_argument, NULL, 'h'},                                     \
	{NULL, 0, NULL, 0}
#define CLI_LANG_LONGOPT {"lang", required_argument, NULL, 'l'}
#define CLI_STRICT_LONGOPT {"strict", no_argument, NULL, CLI_OPT_STRICT}

/* Option c of command cmd (getopt_long's return with its optarg), when it is
 * not one of the command's own: a shared option is stored in *o and CLI_OK
 * returned; anything else is a usage error, said, with its exit status. */
int cli_common_option(const char *cmd, char **argv, int c, const char *arg, cli_common *o);
/* After the options: today's date when --as-of was not given. */
void cli_common_finish(cli_common *o);
/* After the options: CLI_OK, or CLI_TROUBLE after a usage error when more
 * than one of the operands argv[optind..] is stdin ('-'). */
int cli_stdin_once(const char *cmd, int argc, char **argv);
const cli_input_options *cli_input_options_get(void);
/* After the options: CLI_OK, or CLI_TROUBLE after a usage error (--no-header
 * without --columns, or the other way round). cmd NULL: the subcommand
 * that gave the last input option. cli_read_records checks this. */
int cli_input_options_check(const char *cmd);
/* Exit status 3: records were refused. */
enum { CLI_REFUSED = 3 };
/* The status a subcommand that read records ends with: status, or
 * CLI_REFUSED when it is CLI_OK or CLI_FINDINGS, records were refused and
 * --skip-bad was not given (said on stderr). Closes the --rejects file. */
int cli_input_finish(const char *cmd, int status);
/* Whether iconv can read the named encoding: 0 yes, -1 no. */
int cli_encoding_check(const char *name);

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
	bool ignore_unknown;       /* keys and columns that are no input are skipped */
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
/* Bidirectional controls and zero-width characters (shown as <U+XXXX>). */
bool cli_invisible(uint32_t c);
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
	CLI_OUT_MARKDOWN,
	CLI_OUT_XLSX     /* eval only: an Excel workbook (output/xlsx.c) */
} cli_format;

int cli_format_parse(const char *text, cli_format *out);
/* Machine formats send the summary to stderr. */
bool cli_format_is_machine(cli_format fmt);

/* Verdict sets are bit masks indexed by rulebook_verdict. Parse a
 * comma-separated list of verdict names; -1 when a name is unknown. */
int cli_verdicts_parse(const char *text, uint32_t *mask);
/* A comma-separated list of the names name_of gives the codes first..last
 * (each below 32) into a mask of 1 << code; -1 for a name not among them. */
int cli_names_parse(const char *text, int first, int last, const char *(*name_of)(int),
		    uint32_t *mask);
/* The number of targets in each status (indexed by rulebook_target_status),
 * as Markdown table rows or as " met 3, on_pace 1, ..." ending the line. */
void cli_print_status_counts(FILE *fp, const uint64_t counts[8], bool markdown);

typedef struct cli_output cli_output;

/* Results of rb in format fmt on fp; only: rules shown (table, csv,
 * markdown) or records shown (json, jsonl: those with at least one such
 * verdict); 0 shows everything (with --only, the rows of scorecards are
 * left out). population: the records also form a population, whose
 * classes by rank and aggregates cli_output_population writes at the end.
 * NULL when memory runs out. */
cli_output *cli_output_new(FILE *fp, cli_format fmt, const rulebook *rb, bool en, uint32_t only,
			   bool population);
/* The as-of date of the results, for their provenance: CSV rows end with
 * the columns rulebook, rulebook_hash, as_of and library_version; a table
 * or Markdown document ends with a line naming the same. Call before the
 * first record. */
void cli_output_provenance(cli_output *o, int32_t as_of);
/* One evaluated record; label is its _id or "#N". Table, CSV and Markdown
 * get a row per rule and one per scorecard (in population mode only the
 * classes decided without the population). */
void cli_output_record(cli_output *o, rulebook_result *res, const char *label);
/* After the records of a population: the classes that only the population
 * decides (undecided[i * nscorecards + k] nonzero for record i) and the
 * aggregates. labels[i] is record i's label. */
void cli_output_population(cli_output *o, rulebook_population *pop, const char *const *labels,
			   const uint8_t *undecided);
/* Close the document (the JSON array) and free o. complete is false when
 * the run failed: a table then gets no header if it has no rows. */
void cli_output_finish(cli_output *o, bool complete);
/* Figures for people: a decimal (with an optional leading '>'/'<', sign
 * and a trailing unit) rounded to 4 places. */
const char *cli_people(const char *text, char *buf, size_t size);
/* The data file path is evaluated (named in an xlsx workbook's 来源 sheet). */
void cli_output_source(cli_output *o, const char *path);
/* Write CSV and Markdown cells. A CSV cell a spreadsheet would run as a
 * formula (= + - @ first) is written with a leading apostrophe. */
void cli_csv_field(FILE *fp, const char *s);
void cli_markdown_cell(FILE *fp, const char *s);
/* s as a JSON string (rulebook_json_string); null for NULL. */
void cli_json_put_string(FILE *fp, const char *s);

/* ---- output/xlsx.c: results as an Excel workbook ---- */

typedef struct cli_xlsx cli_xlsx;

/* A workbook for results of rb, headers in Chinese or (en) English. NULL
 * after saying why on stderr. */
cli_xlsx *cli_xlsx_new(const rulebook *rb, bool en);
/* One row of the results sheet: the six CSV columns and the four of the
 * provenance. */
void cli_xlsx_row(cli_xlsx *x, const char *const cols[10]);
/* Count the failures of one record by responsible unit (督办清单). */
void cli_xlsx_record(cli_xlsx *x, rulebook_result *res);
/* The records formed a population: the 后果 sheet counts the consequences
 * from it (classes by rank included). */
void cli_xlsx_population(cli_xlsx *x, rulebook_population *pop);
/* A data file, for the 来源 sheet. */
void cli_xlsx_source(cli_xlsx *x, const char *path);
/* Write the 督办清单, 后果 and 来源 sheets, the workbook to out, and free x.
 * false when it could not be written. */
bool cli_xlsx_finish(cli_xlsx *x, FILE *out, int32_t as_of);

/* ---- output/consequences.c: the consequences records get ---- */

typedef struct cli_consequences cli_consequences;

/* A line for every consequence rb's scorecards declare, by scorecard, in
 * the order written (two declarations of one id for one class, under
 * different conditions, are two lines). NULL when memory runs out. */
cli_consequences *cli_consequences_new(const rulebook *rb);
void cli_consequences_free(cli_consequences *c);
/* Count the consequences of one record. */
void cli_consequences_add(cli_consequences *c, rulebook_result *res);
/* Count them again from a population (classes by rank included). */
void cli_consequences_population(cli_consequences *c, rulebook_population *pop);
/* Scorecard k's lines are first .. end - 1. */
size_t cli_consequences_first(const cli_consequences *c, size_t k);
size_t cli_consequences_end(const cli_consequences *c, size_t k);

typedef struct cli_consequence_line {
	size_t scorecard;
	const char *id, *cls; /* owned by the rulebook */
	const char *cite;     /* NULL when none; owned by the rulebook */
	uint64_t records;     /* records it applies to */
	/* for people: "0.1 元/kWh"; with amounts that differ by record the
	 * lowest and highest, "0.5～1 元/立方米（因对象而异）"; and how many
	 * records got it without an amount */
	char amount[512];
} cli_consequence_line;

/* Line i in out (in English with en); false when out of range. */
bool cli_consequences_line(const cli_consequences *c, size_t i, bool en,
			   cli_consequence_line *out);

/* ---- summary.c ---- */

typedef struct cli_summary cli_summary;

/* NULL when memory runs out. */
cli_summary *cli_summary_new(const rulebook *rb);
void cli_summary_free(cli_summary *s);
/* Count the verdicts, classes and target statuses of one record. */
void cli_summary_add(cli_summary *s, rulebook_result *res);
void cli_summary_skipped(cli_summary *s);
/* The records formed a population: classes are counted from it (classes
 * by rank included) and its aggregates are listed. pop must outlive s's
 * last print. */
void cli_summary_population(cli_summary *s, rulebook_population *pop);
/* Counts by verdict, by class of each scorecard, by target status, the
 * aggregates of a population, and the failures by responsible unit
 * (督办清单). */
void cli_summary_print(const cli_summary *s, FILE *fp, bool markdown, bool en);

/* ---- output.c: figures for people ---- */

/* text ("[>|<][+|-]number[ unit|%]") with the number multiplied by
 * 10^shift and rounded to places decimals (half away from zero), the rest
 * kept; text itself when it is no number. NULL for NULL. */
const char *cli_round_text(const char *text, int places, int shift, char *buf, size_t size);
/* Compare two decimal texts exactly (-1, 0, 1); false when either is no
 * decimal. */
bool cli_decimal_cmp(const char *a, const char *b, int *out);

#endif
