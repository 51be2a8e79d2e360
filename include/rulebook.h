/*
 * rulebook — evaluate enterprises, projects and districts against policy
 * rules written as versioned, cited YAML rulebooks.
 *
 * This header is the API reference. Conventions used throughout:
 *
 *  - Objects are opaque handles with a create/free pair. Every free function
 *    accepts NULL.
 *  - Fallible calls return a rulebook_status (RULEBOOK_OK is 0) and, when the
 *    caller passes a non-NULL rulebook_error, fill it with the details
 *    (message, file, 1-based line and column, the id of the rule or name
 *    involved). Pass NULL when the status is enough.
 *  - Results are returned through a last parameter called `out`.
 *  - Strings are UTF-8. A `const char *` returned by the library is owned by
 *    the object it came from; each function says how long it stays valid.
 *    Memory the caller must release is released with rulebook_mem_free(),
 *    never with the C library's free().
 *  - Dates are int32_t values of the form YYYYMMDD (2023-12-31 is 20231231).
 *  - Decimal values cross the API as text ("37", "1158.1", "-0.05") so that
 *    nothing is lost to binary floating point.
 *  - A compiled rulebook is immutable and may be used by any number of
 *    threads at once. Facts, results and errors belong to one thread at a
 *    time.
 */
#ifndef RULEBOOK_H
#define RULEBOOK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(RULEBOOK_BUILDING)
#define RULEBOOK_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define RULEBOOK_API __attribute__((visibility("default")))
#else
#define RULEBOOK_API
#endif

/* ------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------ */

#define RULEBOOK_VERSION_MAJOR 0
#define RULEBOOK_VERSION_MINOR 1
#define RULEBOOK_VERSION_PATCH 0
#define RULEBOOK_VERSION "0.1.0"
/* MAJOR * 1000000 + MINOR * 1000 + PATCH */
#define RULEBOOK_VERSION_NUMBER 1000

/* The library's version string, e.g. "0.1.0". Static storage. */
RULEBOOK_API const char *rulebook_version(void);
/* The library's RULEBOOK_VERSION_NUMBER; compare with the header's macro to
 * check that the header and the linked library agree. */
RULEBOOK_API uint32_t rulebook_version_number(void);

/* ------------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------------ */

/* Values are stable: new codes are added at the end, none is renumbered. */
typedef enum rulebook_status {
	RULEBOOK_OK = 0,
	RULEBOOK_ERR_NOMEM = 1,     /* memory allocation failed */
	RULEBOOK_ERR_IO = 2,        /* a file could not be opened or read */
	RULEBOOK_ERR_SYNTAX = 3,    /* the YAML or JSON text is not well formed */
	RULEBOOK_ERR_SCHEMA = 4,    /* unknown, duplicate or missing key; wrong kind of value */
	RULEBOOK_ERR_EXPR = 5,      /* an expression or unit does not parse */
	RULEBOOK_ERR_NAME = 6,      /* unknown or duplicate name */
	RULEBOOK_ERR_TYPE = 7,      /* operands of the wrong type */
	RULEBOOK_ERR_UNIT = 8,      /* incompatible or unknown units */
	RULEBOOK_ERR_CYCLE = 9,     /* indicators that depend on themselves */
	RULEBOOK_ERR_VALUE = 10,    /* a bad fact value: wrong type, bad number or date */
	RULEBOOK_ERR_RANGE = 11,    /* a number outside the decimal range or precision */
	RULEBOOK_ERR_LIMIT = 12,    /* a size, depth or count limit was exceeded */
	RULEBOOK_ERR_INVALID = 13,  /* invalid argument (NULL, wrong rulebook, bad index) */
	RULEBOOK_ERR_NOT_FOUND = 14,/* no such input, rule or name */
	RULEBOOK_ERR_TEST = 15,     /* a rulebook's own test cases failed */
	RULEBOOK_LINT = 16,         /* a lint finding (rulebook_lint): not an error */
	RULEBOOK_NOTE = 17          /* information from rulebook_lint (e.g. the illustrative count) */
} rulebook_status;

/* A short English description of a status ("out of memory"). Static
 * storage; never NULL (unknown values give "unknown status"). */
RULEBOOK_API const char *rulebook_status_str(rulebook_status status);

/* An error object collects the diagnostics of one failed call: usually one,
 * several when compiling a rulebook with several mistakes. Reusable: each
 * fallible call that receives it clears it first. */
typedef struct rulebook_error rulebook_error;

/* NULL when memory runs out. Free with rulebook_error_free(). */
RULEBOOK_API rulebook_error *rulebook_error_new(void);
RULEBOOK_API void rulebook_error_free(rulebook_error *err);
/* Remove all diagnostics; the status becomes RULEBOOK_OK. */
RULEBOOK_API void rulebook_error_clear(rulebook_error *err);
/* The status of the first diagnostic, RULEBOOK_OK when there is none. */
RULEBOOK_API rulebook_status rulebook_error_status(const rulebook_error *err);
/* Number of diagnostics held. At most RULEBOOK_LIMIT_DIAGNOSTICS (of the
 * options of the load that filled err; 1000 by default) are kept, plus one
 * last diagnostic "and N more diagnostics (at most M are kept)" whose
 * status is that of the first one left out. */
RULEBOOK_API size_t rulebook_error_count(const rulebook_error *err);
/* Accessors of diagnostic i (0 is the first). Strings are owned by err and
 * valid until it is cleared, reused or freed. Out of range: message "",
 * file NULL, line and column 0. */
RULEBOOK_API const char *rulebook_error_message(const rulebook_error *err, size_t i);
/* The file (or buffer name) the diagnostic points into; NULL if none. */
RULEBOOK_API const char *rulebook_error_file(const rulebook_error *err, size_t i);
/* 1-based line and column (columns count bytes); 0 when unknown. */
RULEBOOK_API uint32_t rulebook_error_line(const rulebook_error *err, size_t i);
RULEBOOK_API uint32_t rulebook_error_column(const rulebook_error *err, size_t i);
/* The id of the rule, input, parameter, indicator or test case involved;
 * NULL if none. */
RULEBOOK_API const char *rulebook_error_subject(const rulebook_error *err, size_t i);
/* The status of diagnostic i. */
RULEBOOK_API rulebook_status rulebook_error_status_at(const rulebook_error *err, size_t i);

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------ */

/* Release memory the library handed to the caller (rulebook_eval_json).
 * NULL is ignored. */
RULEBOOK_API void rulebook_mem_free(void *p);

typedef void *(*rulebook_malloc_fn)(size_t size, void *payload);
typedef void *(*rulebook_realloc_fn)(void *p, size_t size, void *payload);
typedef void (*rulebook_free_fn)(void *p, void *payload);

/* Route all of the library's allocations through these functions. Call it
 * before creating any object and not while any object exists. Passing NULL
 * for any of the three restores the C library's allocator. Not thread-safe. */
RULEBOOK_API void rulebook_set_allocator(rulebook_malloc_fn malloc_fn,
					 rulebook_realloc_fn realloc_fn,
					 rulebook_free_fn free_fn, void *payload);

/* ------------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------------ */

/* Parse an ISO date "YYYY-MM-DD" (exactly that form, a real calendar day,
 * years 1000-9999) into YYYYMMDD. text need not be NUL-terminated.
 * Returns RULEBOOK_ERR_VALUE for anything else. */
RULEBOOK_API rulebook_status rulebook_date_parse(const char *text, size_t len, int32_t *out);

/* ------------------------------------------------------------------------
 * Decimal numbers as text
 * ------------------------------------------------------------------------ */

/* The figures the library hands out (values, gaps, scores, aggregates) are
 * exact decimal text. These functions read such text, compare it, compute
 * with it and format it for people, exactly and without the C locale, so a
 * program needs no decimal library of its own.
 *
 * A decimal text is an optional sign, digits with an optional '.' and
 * fraction, an optional exponent ("1158.1", "-0.05", ".5", "1.5e3"), and
 * optionally a trailing '%' (2.3% is 0.023) -- without spaces, units or
 * thousands separators. It may have at most 18 significant digits (leading
 * zeros and trailing fractional zeros do not count) and a magnitude below
 * 10^318. text need not be NUL-terminated: len bytes are read.
 *
 * Results are written into buf (size bytes) with a NUL; *out_len (when
 * out_len is not NULL) receives their length without the NUL. A buffer of
 * RULEBOOK_DECIMAL_BUFSIZE bytes is always large enough; a smaller one that
 * is too small gives RULEBOOK_ERR_LIMIT, buf "" (when size > 0) and the
 * length needed in *out_len. */
#define RULEBOOK_DECIMAL_BUFSIZE 1024

/* Parse a decimal text and write it in plain form: no exponent, no
 * trailing fractional zeros, no '+', "0" for zero ("37.00" -> "37",
 * "1.5e3" -> "1500", "2.3%" -> "0.023", "-0" -> "0"). Errors:
 * RULEBOOK_ERR_VALUE when text is not a decimal text (err's column is the
 * 1-based byte position of the first character that does not fit),
 * RULEBOOK_ERR_RANGE for more than 18 significant digits or a magnitude out
 * of range, RULEBOOK_ERR_INVALID for NULL text (or NULL buf with size > 0),
 * RULEBOOK_ERR_LIMIT when buf is too small. err may be NULL. */
RULEBOOK_API rulebook_status rulebook_decimal_parse(const char *text, size_t len, char *buf,
						    size_t size, size_t *out_len,
						    rulebook_error *err);

/* Compare two decimal texts exactly: *out is -1, 0 or 1 as a < b, a == b,
 * a > b ("1.20" equals "1.2", "7%" equals "0.07"). Errors as
 * rulebook_decimal_parse (RULEBOOK_ERR_VALUE, RULEBOOK_ERR_RANGE) for
 * either text; RULEBOOK_ERR_INVALID when a, b or out is NULL. *out is not
 * changed on error. */
RULEBOOK_API rulebook_status rulebook_decimal_compare(const char *a, size_t alen, const char *b,
						      size_t blen, int *out);

/* Arithmetic for rulebook_decimal_calc. Values are stable. */
typedef enum rulebook_decimal_op {
	RULEBOOK_DECIMAL_ADD = 0,
	RULEBOOK_DECIMAL_SUB = 1, /* a - b */
	RULEBOOK_DECIMAL_MUL = 2,
	RULEBOOK_DECIMAL_DIV = 3  /* a / b */
} rulebook_decimal_op;

/* a op b in plain form (as rulebook_decimal_parse writes it). Exact when
 * the exact result has at most 18 significant digits; otherwise (and for
 * a quotient such as 1/3) correctly rounded to 18 significant digits, ties
 * to even -- multiply back to check a quotient is exact. Errors:
 * RULEBOOK_ERR_VALUE for a text that is not decimal or a division by zero,
 * RULEBOOK_ERR_RANGE for a number or result out of range,
 * RULEBOOK_ERR_INVALID for NULL text, NULL buf with size > 0 or an unknown
 * op, RULEBOOK_ERR_LIMIT when buf is too small. */
RULEBOOK_API rulebook_status rulebook_decimal_calc(const char *a, size_t alen,
						   rulebook_decimal_op op, const char *b,
						   size_t blen, char *buf, size_t size,
						   size_t *out_len);

/* Rounding modes of rulebook_decimal_format. Values are stable. */
typedef enum rulebook_rounding {
	RULEBOOK_ROUND_HALF_UP = 0,   /* ties away from zero (四舍五入): 2.5 -> 3, -2.5 -> -3 */
	RULEBOOK_ROUND_HALF_EVEN = 1, /* ties to even: 2.5 -> 2, 3.5 -> 4 */
	RULEBOOK_ROUND_DOWN = 2,      /* towards zero: 2.9 -> 2, -2.9 -> -2 */
	RULEBOOK_ROUND_FLOOR = 3,     /* towards -infinity: -2.1 -> -3 */
	RULEBOOK_ROUND_CEILING = 4    /* towards +infinity: 2.1 -> 3 */
} rulebook_rounding;

/* places for rulebook_decimal_format: keep every digit, no rounding. */
#define RULEBOOK_DECIMAL_ALL_PLACES (-1)
/* Flags of rulebook_decimal_format. */
#define RULEBOOK_FORMAT_THOUSANDS 0x1u /* ',' between groups of three integer digits: 1,234,567.891 */
#define RULEBOOK_FORMAT_FIXED 0x2u     /* exactly `places` digits after the point: 37.00 */
#define RULEBOOK_FORMAT_SIGN 0x4u      /* '+' before a positive number (not before 0) */

/* A decimal text for people: rounded to places digits after the point
 * (0..300) with the given rounding, or every digit with
 * RULEBOOK_DECIMAL_ALL_PLACES; trailing fractional zeros dropped unless
 * RULEBOOK_FORMAT_FIXED; never an exponent ("1158.149", 2, HALF_UP ->
 * "1158.15"; "1234567.5", 0, HALF_EVEN, THOUSANDS -> "1,234,568"; "37", 2,
 * FIXED -> "37.00"). A number that rounds to zero is "0" ("-0.001" at 2
 * places). Errors as rulebook_decimal_parse for text; RULEBOOK_ERR_INVALID
 * for places out of range, an unknown rounding or flag, FIXED with
 * RULEBOOK_DECIMAL_ALL_PLACES, NULL text or NULL buf with size > 0;
 * RULEBOOK_ERR_LIMIT when buf is too small. */
RULEBOOK_API rulebook_status rulebook_decimal_format(const char *text, size_t len, int32_t places,
						     rulebook_rounding rounding, uint32_t flags,
						     char *buf, size_t size, size_t *out_len);

/* ------------------------------------------------------------------------
 * Options and limits
 * ------------------------------------------------------------------------ */

/* Limits protect a program from hostile or broken input. Exceeding one is a
 * RULEBOOK_ERR_LIMIT whose message names the limit. Defaults are in
 * docs/reliability.md. */
typedef enum rulebook_limit {
	RULEBOOK_LIMIT_FILE_SIZE = 0,   /* bytes of one rulebook or facts document */
	RULEBOOK_LIMIT_DEPTH = 1,       /* nesting of YAML collections */
	RULEBOOK_LIMIT_NODES = 2,       /* YAML nodes, counting alias expansions */
	RULEBOOK_LIMIT_SCALAR = 3,      /* bytes of one YAML scalar */
	RULEBOOK_LIMIT_EXPR_DEPTH = 4,  /* nesting of one expression */
	RULEBOOK_LIMIT_EXPR_LENGTH = 5, /* bytes of one expression */
	RULEBOOK_LIMIT_NAMES = 6,       /* inputs + parameters + indicators + rules */
	RULEBOOK_LIMIT_ITEMS = 7,       /* entries of one YAML list or mapping: rules,
					   exceptions of a rule, targets, test cases, ... */
	RULEBOOK_LIMIT_CHAIN_SIZE = 8,  /* bytes of all the files of an extends chain */
	RULEBOOK_LIMIT_DIAGNOSTICS = 9, /* diagnostics kept by one load; the rest are
					   counted in a last "and N more" diagnostic */
	RULEBOOK_LIMIT_LIST_LENGTH = 10 /* elements of one list input of one record; the
					   limit of the options a rulebook was loaded with */
} rulebook_limit;

typedef struct rulebook_options rulebook_options;

/* Options with every limit at its default. NULL when memory runs out. */
RULEBOOK_API rulebook_options *rulebook_options_new(void);
RULEBOOK_API void rulebook_options_free(rulebook_options *opts);
/* Set a limit; value 0 restores the default. RULEBOOK_ERR_INVALID for an
 * unknown limit. */
RULEBOOK_API rulebook_status rulebook_options_set_limit(rulebook_options *opts,
							rulebook_limit limit, uint64_t value);
/* The limit in force (the default when never set, or when opts is NULL).
 * 0 for an unknown limit. */
RULEBOOK_API uint64_t rulebook_options_get_limit(const rulebook_options *opts,
						 rulebook_limit limit);

/* Add a directory where `extends: <id>` looks for <id>.yaml (or the id with
 * dots as directories, zhejiang.mujun -> zhejiang/mujun.yaml), after the
 * extending file's own directory. The string is copied. */
RULEBOOK_API rulebook_status rulebook_options_add_search_path(rulebook_options *opts,
							      const char *dir);

/* Whether `extends` may load other files (allowed by default). A program
 * that loads rulebooks it did not write should forbid it: `extends` can
 * name any readable file by an absolute path. When forbidden, a rulebook
 * with `extends` fails to load with RULEBOOK_ERR_INVALID at that key. */
RULEBOOK_API rulebook_status rulebook_options_allow_extends(rulebook_options *opts, int allow);

/* Supplies the source text of the parent rulebook that `extends: <name>`
 * names, for programs that keep rulebooks somewhere other than in files (a
 * database table, an archive, memory). name is the value of `extends`,
 * name_len bytes, NUL-terminated. On success the callback sets *data to
 * *len bytes of rulebook source and returns RULEBOOK_OK; the bytes stay
 * the caller's and must remain valid until the loading call that invoked
 * the callback returns (the library copies what it keeps). It returns
 * RULEBOOK_ERR_NOT_FOUND when it has no rulebook of that name (the load
 * then fails with RULEBOOK_ERR_NOT_FOUND at the `extends` key); any other
 * status fails the load with that status. payload is the pointer given to
 * rulebook_options_set_resolver. The callback runs on the loading thread,
 * once per parent in the chain. */
typedef rulebook_status (*rulebook_resolver_fn)(const char *name, size_t name_len,
						const char **data, size_t *len, void *payload);

/* Resolve `extends` through fn instead of the file system: with a resolver
 * set, loading never opens a file for a parent and the search path is not
 * used; each parent is named by its `extends` value in diagnostics
 * (name:line:column) and cycles are found by name. Extends must still be
 * allowed (rulebook_options_allow_extends). fn NULL restores lookup in
 * files. payload is not dereferenced by the library and must outlive every
 * load that uses opts. RULEBOOK_ERR_INVALID when opts is NULL. */
RULEBOOK_API rulebook_status rulebook_options_set_resolver(rulebook_options *opts,
							  rulebook_resolver_fn fn, void *payload);

/* ------------------------------------------------------------------------
 * Rulebooks: loading and compiling
 * ------------------------------------------------------------------------ */

typedef struct rulebook rulebook;

/* Load and compile the rulebook in the file at path. opts may be NULL for
 * the defaults. On success *out is a new rulebook the caller frees with
 * rulebook_free(); on failure *out is NULL and err (if given) holds every
 * diagnostic found, each with file, line and column. */
RULEBOOK_API rulebook_status rulebook_load_file(const char *path, const rulebook_options *opts,
						rulebook **out, rulebook_error *err);

/* As rulebook_load_file, from len bytes at data (need not be
 * NUL-terminated). name is used in diagnostics and may be NULL
 * ("<buffer>"). The bytes are not referenced after the call returns. */
RULEBOOK_API rulebook_status rulebook_load_buffer(const char *data, size_t len, const char *name,
						  const rulebook_options *opts, rulebook **out,
						  rulebook_error *err);

RULEBOOK_API void rulebook_free(rulebook *rb);

/* Header fields. Strings are owned by rb and valid until rulebook_free().
 * lang is "zh" or "en"; a missing translation falls back to the other. */
RULEBOOK_API const char *rulebook_id(const rulebook *rb);
RULEBOOK_API const char *rulebook_title(const rulebook *rb, const char *lang);
/* The subject kind the rulebook evaluates: "enterprise", "project", ... */
RULEBOOK_API const char *rulebook_subject(const rulebook *rb);
/* First and last day in force (YYYYMMDD); 0 when open-ended. */
RULEBOOK_API int32_t rulebook_in_force_from(const rulebook *rb);
RULEBOOK_API int32_t rulebook_in_force_until(const rulebook *rb);
/* The identity of the rulebook and of everything it extends, as 64
 * lowercase hex digits, owned by rb. For a rulebook without `extends` it
 * is the SHA-256 of its source bytes (after a UTF-8 byte order mark), what
 * `sha256sum` prints. For one with parents it is the SHA-256 of the text
 * made of one line per rulebook of the closure, "<file hash> <id>\n", the
 * rulebook itself first, then its parent, up to the root: editing any
 * parent changes it. NULL when rb is NULL. */
RULEBOOK_API const char *rulebook_hash(const rulebook *rb);
/* SHA-256 of this rulebook's own source bytes only (equal to
 * rulebook_hash() when it extends nothing); owned by rb, NULL when rb is
 * NULL. */
RULEBOOK_API const char *rulebook_file_hash(const rulebook *rb);
/* The rulebooks rb extends, the direct parent first (i = 0) and the root
 * last; 0 when it extends nothing or rb is NULL. */
RULEBOOK_API size_t rulebook_parent_count(const rulebook *rb);
/* Parent i's id and the SHA-256 of its own source bytes; owned by rb and
 * valid until rulebook_free(). NULL when rb is NULL or i is out of range. */
RULEBOOK_API const char *rulebook_parent_id(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_parent_hash(const rulebook *rb, size_t i);

/* Inputs, in declaration order. */
RULEBOOK_API size_t rulebook_input_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_input_name(const rulebook *rb, size_t i);
/* The input's type: "number", "integer", "boolean", "text", "enum", "date",
 * "list". */
RULEBOOK_API const char *rulebook_input_type(const rulebook *rb, size_t i);
/* A list input's element type: "number", "integer", "boolean", "text",
 * "enum", "date", or "record" when its elements have fields. NULL when the
 * input is not a list or i is out of range. Static storage. */
RULEBOOK_API const char *rulebook_input_element_type(const rulebook *rb, size_t i);
/* The fields of the elements of a list input of records, in declaration
 * order: their number (0 when the input has none or i is out of range),
 * field j's name, type ("number", "integer", "boolean", "text", "enum",
 * "date") and unit as written ("" when none). NULL when j is out of range.
 * Owned by rb, valid until rulebook_free(). */
RULEBOOK_API size_t rulebook_input_field_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_input_field_name(const rulebook *rb, size_t i, size_t j);
RULEBOOK_API const char *rulebook_input_field_type(const rulebook *rb, size_t i, size_t j);
RULEBOOK_API const char *rulebook_input_field_unit(const rulebook *rb, size_t i, size_t j);
/* The input's unit as written in the rulebook (a list's: its elements');
 * "" when it has none. */
RULEBOOK_API const char *rulebook_input_unit(const rulebook *rb, size_t i);
/* The input's label in lang ("zh" or "en"; a missing translation falls
 * back to the other, NULL lang means "zh"); NULL when the input has no
 * label or i is out of range. Owned by rb, valid until rulebook_free(). */
RULEBOOK_API const char *rulebook_input_label(const rulebook *rb, size_t i, const char *lang);
/* Other names of the input's column in data files (`aliases:` in the
 * rulebook, e.g. 实缴税收（万元）), in the order written: their number (0
 * when there are none or i is out of range) and alias j (NULL when out of
 * range). Owned by rb, valid until rulebook_free(). */
RULEBOOK_API size_t rulebook_input_alias_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_input_alias(const rulebook *rb, size_t i, size_t j);
/* The names the column holding each record's id may have in data files
 * (`id_column:`, e.g. 统一社会信用代码), in the order written; a rulebook
 * without the key takes its parent's. Count 0 when none (or rb is NULL);
 * name j NULL when out of range. Owned by rb, valid until rulebook_free(). */
RULEBOOK_API size_t rulebook_id_column_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_id_column(const rulebook *rb, size_t j);
/* Index of the input called name (len bytes), for the *_at setters.
 * RULEBOOK_ERR_NOT_FOUND when there is none. */
RULEBOOK_API rulebook_status rulebook_input_index(const rulebook *rb, const char *name,
						  size_t len, size_t *out);

/* Rules, in declaration order. */
RULEBOOK_API size_t rulebook_rule_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_rule_id(const rulebook *rb, size_t i);
/* The clause of the source document, e.g. "三（一）4". */
RULEBOOK_API const char *rulebook_rule_cite(const rulebook *rb, size_t i);
/* "info", "minor", "major" or "critical". */
RULEBOOK_API const char *rulebook_rule_severity(const rulebook *rb, size_t i);
/* Responsible units (责任单位) of rule i. */
RULEBOOK_API size_t rulebook_rule_responsible_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_rule_responsible(const rulebook *rb, size_t i, size_t j);
RULEBOOK_API rulebook_status rulebook_rule_index(const rulebook *rb, const char *id,
						 size_t len, size_t *out);
/* The rule's title in lang ("zh" or "en", falling back to the other); NULL
 * when it has none. Owned by rb. */
RULEBOOK_API const char *rulebook_rule_title(const rulebook *rb, size_t i, const char *lang);

/* Rules, targets, scorecards, aggregates and indicators alike, for tools
 * that explain or compare rulebooks. Index i is the one the kind's own
 * accessors use (rulebook_rule_id, rulebook_target_id, ...); indicators
 * are numbered in evaluation order. */
typedef enum rulebook_item_kind {
	RULEBOOK_ITEM_RULE = 0,
	RULEBOOK_ITEM_TARGET = 1,
	RULEBOOK_ITEM_SCORECARD = 2,
	RULEBOOK_ITEM_AGGREGATE = 3,
	RULEBOOK_ITEM_INDICATOR = 4
} rulebook_item_kind;

/* How many items of the kind rb has; 0 for NULL rb or an unknown kind. */
RULEBOOK_API size_t rulebook_item_count(const rulebook *rb, rulebook_item_kind kind);
/* Item i's id, owned by rb; NULL when rb is NULL, the kind unknown or i
 * out of range (as for every accessor below). */
RULEBOOK_API const char *rulebook_item_id(const rulebook *rb, rulebook_item_kind kind, size_t i);
/* The inputs, parameters and indicators item i uses (through indicators
 * too), in the order they were first used; names owned by rb. Indicators
 * report 0 uses. */
RULEBOOK_API size_t rulebook_item_uses_count(const rulebook *rb, rulebook_item_kind kind, size_t i);
RULEBOOK_API const char *rulebook_item_uses(const rulebook *rb, rulebook_item_kind kind, size_t i,
					    size_t j);
/* Where item i is defined: the file (as given when loading; a parent's
 * path for an inherited item) and the 1-based line of its id. NULL / 0
 * when out of range. */
RULEBOOK_API const char *rulebook_item_file(const rulebook *rb, rulebook_item_kind kind, size_t i);
RULEBOOK_API uint32_t rulebook_item_line(const rulebook *rb, rulebook_item_kind kind, size_t i);
/* The 1-based column (counting bytes) of item i's id on that line; 0 when
 * out of range. With rulebook_item_file and rulebook_item_line: where a
 * rule is written, file:line:column. */
RULEBOOK_API uint32_t rulebook_item_column(const rulebook *rb, rulebook_item_kind kind, size_t i);
/* Item i's definition as canonical text, owned by rb: one line
 * "path: value" per scalar of its YAML mapping, keys in byte order, list
 * items keyed by their id ("components[mu_tax].benchmark: bench_mu_tax")
 * or position, newlines in values written as \n. Two versions of an item
 * are defined alike exactly when the texts are equal: layout, key order
 * and comments do not count. Parameter overrides are not part of it
 * (compare rulebook_param_value). "" when the definition cannot be found
 * (a rulebook compiled from a model without its document). */
RULEBOOK_API const char *rulebook_item_definition(const rulebook *rb, rulebook_item_kind kind,
						  size_t i);

/* Documents the rulebook cites: its `source` (id "") and its `sources:`,
 * then those of its parents (a parent's documents stay its own). Strings
 * are owned by rb and valid until rulebook_free(); NULL when rb is NULL, d
 * is out of range or the field was not given. */
RULEBOOK_API size_t rulebook_document_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_document_id(const rulebook *rb, size_t d);
RULEBOOK_API const char *rulebook_document_issuer(const rulebook *rb, size_t d);
RULEBOOK_API const char *rulebook_document_title(const rulebook *rb, size_t d);
/* The document number (文号), e.g. "国土资发〔2008〕24号". */
RULEBOOK_API const char *rulebook_document_number(const rulebook *rb, size_t d);
/* The issue date as YYYYMMDD, 0 when unknown or out of range. */
RULEBOOK_API int32_t rulebook_document_issued(const rulebook *rb, size_t d);
/* The document rule i cites (an index for rulebook_document_*), or -1 when
 * rb is NULL, i is out of range or the rulebook lists no document. */
RULEBOOK_API int64_t rulebook_rule_document(const rulebook *rb, size_t i);
/* The document the citation of item i of a kind names (rules, targets,
 * scorecards, aggregates; an index for rulebook_document_*), or -1 when rb
 * is NULL, i is out of range, the item is an indicator (which has no
 * citation) or the rulebook lists no document. */
RULEBOOK_API int64_t rulebook_item_document(const rulebook *rb, rulebook_item_kind kind,
					    size_t i);

/* Parameters, in declaration order. */
RULEBOOK_API size_t rulebook_param_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_param_name(const rulebook *rb, size_t i);
/* The unit as written; "" when none. */
RULEBOOK_API const char *rulebook_param_unit(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_param_cite(const rulebook *rb, size_t i);
/* "cited" or "illustrative". */
RULEBOOK_API const char *rulebook_param_provenance(const rulebook *rb, size_t i);
/* The value in force on as_of as decimal text, as written in the rulebook
 * ("37.0" stays "37.0"), or NULL when none is. The string is owned by rb and
 * valid until rulebook_free(). */
RULEBOOK_API const char *rulebook_param_value(const rulebook *rb, size_t i, int32_t as_of);

/* Check a compiled rulebook for likely mistakes that are not errors: inputs
 * that no rule, target, scorecard or aggregate uses (directly or through
 * indicators), rules whose `when` cannot hold, exceptions
 * that repeat an earlier one or always apply, parameters with no value in
 * force on as_of (0 skips the date checks), a rulebook no longer in force on
 * as_of, and a count of illustrative parameters. Each finding is added to
 * out (which is cleared first) with status RULEBOOK_LINT (a likely mistake)
 * or RULEBOOK_NOTE (information: the illustrative count), a position and
 * the name involved. Returns RULEBOOK_OK, or an error for invalid
 * arguments or lack of memory. */
RULEBOOK_API rulebook_status rulebook_lint(const rulebook *rb, int32_t as_of, rulebook_error *out);

/* ------------------------------------------------------------------------
 * Facts: the inputs of one subject (an enterprise, a project, a district)
 * ------------------------------------------------------------------------ */

typedef struct rulebook_facts rulebook_facts;

/* Facts for records of rb, all inputs missing. rb must outlive the facts.
 * NULL when memory runs out or rb is NULL. */
RULEBOOK_API rulebook_facts *rulebook_facts_new(const rulebook *rb);
RULEBOOK_API void rulebook_facts_free(rulebook_facts *facts);
/* Mark every input missing again, to reuse the object for the next record. */
RULEBOOK_API void rulebook_facts_clear(rulebook_facts *facts);

/* Setters by input name (NUL-terminated). Each fails with
 * RULEBOOK_ERR_NOT_FOUND for an unknown name and RULEBOOK_ERR_VALUE when the
 * value does not suit the input's type; the input is then left unchanged.
 *
 * set_decimal takes decimal text: an optional sign, digits, an optional
 * fraction and exponent ("1158.1", "-2", "1.5e3"), optionally followed by a
 * unit after a space ("20000 m²"), which is converted exactly into the
 * input's unit. Parsing ignores the C locale. */
RULEBOOK_API rulebook_status rulebook_facts_set_decimal(rulebook_facts *facts, const char *name,
							const char *value, rulebook_error *err);
/* A binary double is converted to the shortest decimal that reads back as
 * the same double (0.1 becomes 0.1). NaN and infinities are refused. */
RULEBOOK_API rulebook_status rulebook_facts_set_double(rulebook_facts *facts, const char *name,
						       double value, rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_int(rulebook_facts *facts, const char *name,
						    int64_t value, rulebook_error *err);
/* For boolean inputs: 0 is false, anything else true. */
RULEBOOK_API rulebook_status rulebook_facts_set_bool(rulebook_facts *facts, const char *name,
						     int value, rulebook_error *err);
/* For text and enum inputs (an enum value must be one of the declared
 * ones); also accepted for other types and parsed as their text form
 * ("true", "2023-05-01", "37 万元"). */
RULEBOOK_API rulebook_status rulebook_facts_set_text(rulebook_facts *facts, const char *name,
						     const char *value, rulebook_error *err);
/* For date inputs: YYYYMMDD. */
RULEBOOK_API rulebook_status rulebook_facts_set_date(rulebook_facts *facts, const char *name,
						     int32_t value, rulebook_error *err);
/* Explicitly missing: rules that need the input become unknown. */
RULEBOOK_API rulebook_status rulebook_facts_set_missing(rulebook_facts *facts, const char *name,
							rulebook_error *err);

/* The same by input index (rulebook_input_index) with length-counted text:
 * no name lookup, for tight loops and bindings. An index out of range is
 * RULEBOOK_ERR_INVALID. */
RULEBOOK_API rulebook_status rulebook_facts_set_text_at(rulebook_facts *facts, size_t input,
							const char *value, size_t len,
							rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_decimal_at(rulebook_facts *facts, size_t input,
							   const char *value, size_t len,
							   rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_double_at(rulebook_facts *facts, size_t input,
							  double value, rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_missing_at(rulebook_facts *facts, size_t input);
/* An exact decimal given as its parts, for callers that hold decimals in
 * binary (SQL numeric, Arrow decimal128, a fixed-point column): the value
 * is unscaled × 10^-scale (12345 with scale 2 is 123.45; a negative scale
 * multiplies: 37 with scale -4 is 370000). For number and integer inputs
 * (else RULEBOOK_ERR_VALUE; a value with a fraction for an integer input is
 * RULEBOOK_ERR_VALUE too). Never rounded: a value that needs more than 18
 * significant digits (trailing zeros do not count) or lies outside the
 * decimal range is RULEBOOK_ERR_RANGE, and the input is left unchanged. */
RULEBOOK_API rulebook_status rulebook_facts_set_scaled_at(rulebook_facts *facts, size_t input,
							  int64_t unscaled, int32_t scale,
							  rulebook_error *err);
/* For boolean inputs by index: 0 is false, anything else true
 * (RULEBOOK_ERR_VALUE for an input of another type). */
RULEBOOK_API rulebook_status rulebook_facts_set_bool_at(rulebook_facts *facts, size_t input,
							int value, rulebook_error *err);
/* For date inputs by index: YYYYMMDD, a real calendar day in the years
 * 1000 to 9999 (else RULEBOOK_ERR_VALUE, as for an input of another type). */
RULEBOOK_API rulebook_status rulebook_facts_set_date_at(rulebook_facts *facts, size_t input,
							int32_t value, rulebook_error *err);

/* Lists (inputs of type list). The whole list is replaced; on any error the
 * input is left unchanged. Not a list input: RULEBOOK_ERR_VALUE. More than
 * RULEBOOK_LIMIT_LIST_LENGTH elements: RULEBOOK_ERR_LIMIT. n = 0 sets the
 * empty list (count 0, sum 0, min and max without a value).
 *
 * set_list_text takes n texts, each parsed as a scalar input of the
 * element type is (decimal text with an optional unit, an enum value,
 * "true", "2023-05-01"); lens[k] is the length of values[k] in bytes, or
 * lens NULL for NUL-terminated texts; values[k] NULL is a missing element.
 * For a list of records, values holds n / fields elements of one text per
 * field, in the order of rulebook_input_field_name (NULL: that field is
 * missing); n must be a multiple of the number of fields
 * (RULEBOOK_ERR_INVALID). The texts are copied. Errors name the element
 * ("element 2 of list 'storey_heights': ...").
 *
 * set_list_double takes n doubles for a list of numbers, each converted as
 * rulebook_facts_set_double does (NaN and infinities refused). */
RULEBOOK_API rulebook_status rulebook_facts_set_list_text(rulebook_facts *facts, const char *name,
							  const char *const *values,
							  const size_t *lens, size_t n,
							  rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_list_double(rulebook_facts *facts, const char *name,
							    const double *values, size_t n,
							    rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_list_text_at(rulebook_facts *facts, size_t input,
							     const char *const *values,
							     const size_t *lens, size_t n,
							     rulebook_error *err);
RULEBOOK_API rulebook_status rulebook_facts_set_list_double_at(rulebook_facts *facts, size_t input,
							       const double *values, size_t n,
							       rulebook_error *err);

/* Set inputs from a JSON object ({"tax": 1158.1, "land_area": "31.3"}) of
 * len bytes, read strictly as RFC 8259 (anything else, YAML syntax
 * included, is RULEBOOK_ERR_SYNTAX; "\u0000" in a string is
 * RULEBOOK_ERR_VALUE). Numbers keep their exact decimal text. "_id": null
 * names no record. Keys not declared as inputs
 * are an error (RULEBOOK_ERR_NOT_FOUND) unless they start with "_" (kept for
 * record ids and comments; "_id" names the record in results). null marks an
 * input missing. Inputs not mentioned keep their values. Diagnostics carry
 * line and column within the JSON text. */
RULEBOOK_API rulebook_status rulebook_facts_set_json(rulebook_facts *facts, const char *json,
						     size_t len, rulebook_error *err);

/* Name the record (what "_id" does in JSON): len bytes of UTF-8 text
 * without NUL bytes (else RULEBOOK_ERR_VALUE), copied. NULL clears it. */
RULEBOOK_API rulebook_status rulebook_facts_set_id(rulebook_facts *facts, const char *id, size_t len);

/* When ignore is nonzero, rulebook_facts_set_json skips keys that are not
 * inputs of the rulebook instead of failing, so one record can feed
 * rulebooks with different inputs. Off by default. */
RULEBOOK_API void rulebook_facts_ignore_unknown(rulebook_facts *facts, int ignore);

/* ------------------------------------------------------------------------
 * Evaluation and results
 * ------------------------------------------------------------------------ */

/* Values are stable. */
typedef enum rulebook_verdict {
	RULEBOOK_PASS = 1,           /* the requirement holds */
	RULEBOOK_FAIL = 2,           /* the requirement does not hold */
	RULEBOOK_NOT_APPLICABLE = 3, /* the rule's `when` condition does not hold */
	RULEBOOK_EXEMPT = 4,         /* an exception (`unless`) applied */
	RULEBOOK_UNKNOWN = 5,        /* inputs the rule needs are missing */
	RULEBOOK_NOT_IN_FORCE = 6,   /* the as-of date is outside the rule's validity */
	RULEBOOK_ERROR = 7           /* the rule could not be computed (division by zero, overflow) */
} rulebook_verdict;

/* "pass", "fail", "not_applicable", "exempt", "unknown", "not_in_force",
 * "error"; "invalid" for other values. Static storage. */
RULEBOOK_API const char *rulebook_verdict_str(rulebook_verdict verdict);

typedef struct rulebook_result rulebook_result;

/* A result object for evaluations of rb; reuse it for every record so that
 * evaluation allocates nothing. rb must outlive it. */
RULEBOOK_API rulebook_result *rulebook_result_new(const rulebook *rb);
RULEBOOK_API void rulebook_result_free(rulebook_result *res);

/* Evaluate facts as of the date as_of (YYYYMMDD) into out, replacing what
 * out held. facts and out must belong to rb. Missing inputs are not errors:
 * they make rules unknown. Fails only on invalid arguments (or, rarely, lack
 * of memory). Allocates nothing once out has held a record as large as this
 * one: text inputs and the record id are copied into storage of out that
 * only grows (a text equal to one the rulebook compares the input with is
 * read from rb instead), so out stays readable after the facts change. When
 * memory runs out, out holds no evaluation (rulebook_result_as_of gives 0). */
RULEBOOK_API rulebook_status rulebook_eval(const rulebook *rb, const rulebook_facts *facts,
					   int32_t as_of, rulebook_result *out, rulebook_error *err);

/* How evaluations into res are decided. By default a record is first run
 * in binary floating point with a proven error bound on every number; a
 * comparison is decided there only when the bound shows that exact decimal
 * arithmetic gives the same answer, and otherwise (a value at or next to a
 * threshold) that comparison, with what it depends on, is computed in
 * exact decimals and the run goes on. Verdicts and classes are identical
 * either way; values, scores, gaps and explanations are always the exact
 * decimals, computed when first read and only for what is read.
 * exact_only != 0 skips the binary run (for checking, or to measure what it
 * saves). */
RULEBOOK_API void rulebook_result_set_exact_only(rulebook_result *res, int exact_only);
/* 1 when the last evaluation's verdicts needed exact decimals (some
 * comparison was too close to a threshold for binary, or exact_only is
 * set), 0 when binary decided them all; -1 before any evaluation. */
RULEBOOK_API int rulebook_result_decided_exactly(const rulebook_result *res);

/* The as-of date of the last evaluation. */
RULEBOOK_API int32_t rulebook_result_as_of(const rulebook_result *res);
/* The "_id" given with the facts, or NULL. Valid until the next evaluation. */
RULEBOOK_API const char *rulebook_result_record_id(const rulebook_result *res);
/* Rules are indexed as in the rulebook (rulebook_rule_count). */
RULEBOOK_API rulebook_verdict rulebook_result_verdict(const rulebook_result *res, size_t rule);
/* How many rules got each verdict: out must have room for 8 counters,
 * indexed by rulebook_verdict (index 0 unused). */
RULEBOOK_API void rulebook_result_counts(const rulebook_result *res, uint32_t *out);
/* For an exempt rule, the id of the exception that applied; else NULL.
 * Owned by the rulebook. */
RULEBOOK_API const char *rulebook_result_exception(const rulebook_result *res, size_t rule);
/* For a rule whose verdict is RULEBOOK_ERROR, why: "division by zero" or
 * "number out of the decimal range"; else NULL. Static storage. */
RULEBOOK_API const char *rulebook_result_error(const rulebook_result *res, size_t rule);
/* For an unknown rule, the inputs whose absence made it unknown. */
RULEBOOK_API size_t rulebook_result_missing_count(const rulebook_result *res, size_t rule);
RULEBOOK_API const char *rulebook_result_missing(const rulebook_result *res, size_t rule, size_t j);
/* 1 when the verdict of rule (or an obligation it created) rests on an
 * illustrative parameter along the branches this record took: a parameter
 * in an `else` not taken, an `and` already false, or an exception not
 * reached does not count. 0 when it does not, -1 when res is NULL, not yet
 * evaluated, or rule is out of range. May run the exact program once
 * (see rulebook_result_set_exact_only). */
RULEBOOK_API int rulebook_result_illustrative(const rulebook_result *res, size_t rule);

/* The value of an input, parameter or indicator by name after evaluation,
 * as decimal text in its declared unit ("37", "true", "2023-05-01", "text").
 * NULL when missing, undefined or unknown. The string is owned by res and
 * valid until the next evaluation into res or its free. */
RULEBOOK_API const char *rulebook_result_value(rulebook_result *res, const char *name);

/* The values rule `rule` used: every input, parameter, indicator and table
 * lookup its `when`, `require`, exceptions and obligations read (through
 * indicators too), in the order first used -- the "values" of the rule in
 * rulebook_result_json. The count, names, kinds and units do not depend on
 * the evaluation; 0 / NULL when res is NULL or rule or j is out of range.
 * Strings are owned by res (name, kind, unit: by its rulebook). */
RULEBOOK_API size_t rulebook_result_used_count(const rulebook_result *res, size_t rule);
RULEBOOK_API const char *rulebook_result_used_name(const rulebook_result *res, size_t rule,
						   size_t j);
/* "input", "parameter", "indicator" or "table" (a lookup in a table of
 * parameters). */
RULEBOOK_API const char *rulebook_result_used_kind(const rulebook_result *res, size_t rule,
						   size_t j);
/* The unit as declared; "" when none. */
RULEBOOK_API const char *rulebook_result_used_unit(const rulebook_result *res, size_t rule,
						   size_t j);
/* Its value in the last evaluation, as rulebook_result_value gives it
 * (decimal text in its unit, "true", "2023-05-01", text); NULL when
 * missing, not computed, or before any evaluation. Valid until the next
 * evaluation into res. */
RULEBOOK_API const char *rulebook_result_used_value(rulebook_result *res, size_t rule, size_t j);

/* Obligations a rule created (e.g. compensating land 1.2 × converted area).
 * Computed only when the rule applied (pass or fail). */
RULEBOOK_API size_t rulebook_result_obligation_count(const rulebook_result *res, size_t rule);
/* Name, value (decimal text) and unit of obligation j; strings valid until
 * the next evaluation. Value NULL when it could not be computed. */
RULEBOOK_API const char *rulebook_result_obligation_name(const rulebook_result *res, size_t rule,
							 size_t j);
RULEBOOK_API const char *rulebook_result_obligation_value(rulebook_result *res, size_t rule,
							  size_t j);
RULEBOOK_API const char *rulebook_result_obligation_unit(const rulebook_result *res, size_t rule,
							 size_t j);

/* The rendered message of a rule in lang ("zh" or "en"), placeholders
 * filled in; for a failed comparison it ends with the gap to the threshold.
 * Owned by res, valid until the next evaluation. "" if the rule has none. */
RULEBOOK_API const char *rulebook_result_message(rulebook_result *res, size_t rule,
						 const char *lang);
/* For a failed comparison, the change the value needs to reach the
 * threshold, in the value's unit, as signed decimal text followed by the
 * unit ("+4.2 万元/亩"): + when the value must rise, - when it must fall.
 * Rounded to 4 decimals for people, except that a miss never reads as
 * zero: a gap that would round to 0 is shown with every digit
 * ("-0.000025%"). A strict comparison (> or <) is marked ">+0.5%": the
 * change must exceed it. A rule whose requirement is an 'and' of
 * comparisons lists every failed part, "; "-separated and each named by
 * its value ("mu_tax +4.2 万元/亩; employees +5 人"); for an 'or' of
 * comparisons, the gap of the alternative nearest to holding (relative to
 * its threshold). A side that is no single name keeps the unit written in
 * the comparison (`tax / land_area >= 37 [万元/亩]` gives 万元/亩). NULL
 * when there is none (also for NULL res). Valid until the next
 * evaluation. */
RULEBOOK_API const char *rulebook_result_gap(rulebook_result *res, size_t rule);

/* The parts of a failed rule's gap, exactly (see rulebook_result_gap for
 * which comparisons count): how many there are; 0 when the rule did not
 * fail, has no comparison to measure, res is NULL or rule is out of
 * range. */
RULEBOOK_API size_t rulebook_result_gap_count(const rulebook_result *res, size_t rule);

typedef enum rulebook_gap_field {
	RULEBOOK_GAP_VALUE = 0,     /* threshold - actual, every digit ("-0.000025") */
	RULEBOOK_GAP_ACTUAL = 1,    /* the value side, in UNIT */
	RULEBOOK_GAP_THRESHOLD = 2, /* the threshold, in UNIT */
	RULEBOOK_GAP_UNIT = 3,      /* the unit of the three figures; "" when none */
	RULEBOOK_GAP_OPERATOR = 4,  /* "<", "<=", ">", ">=", "==": strict for "<" and ">" */
	RULEBOOK_GAP_NAME = 5,      /* the input, parameter or indicator on the value
				     * side; NULL when that side is an expression */
	RULEBOOK_GAP_TEXT = 6,      /* the part's text for people, as in rulebook_result_gap
				     * (rulebook_result_comparison: NULL when it holds) */
	RULEBOOK_GAP_THRESHOLD_NAME = 7, /* the parameter, input or indicator on the
					  * threshold side; NULL when that side is a
					  * number or an expression */
	RULEBOOK_GAP_HOLDS = 8      /* "true" or "false": whether the comparison holds
				     * (always "false" for a gap part); NULL when a side
				     * is missing */
} rulebook_gap_field;

/* One field of part j (0-based) of the gap of rule `rule`, as text owned
 * by res and valid until its next evaluation. NULL when res is NULL, the
 * part does not exist or the field is unknown. */
RULEBOOK_API const char *rulebook_result_gap_part(rulebook_result *res, size_t rule, size_t j,
						  rulebook_gap_field field);

/* Every comparison of rule `rule`'s requirement that gaps are measured on
 * (those joined by its top-level 'and' and 'or'), in the order written,
 * whether it holds or not: how many there are (0 for NULL rb or a rule out
 * of range), and field `field` of comparison j after the last evaluation
 * into res, as for rulebook_result_gap_part: VALUE (threshold - value,
 * every digit; "0" exactly at the threshold), ACTUAL, THRESHOLD, UNIT,
 * OPERATOR ("<" and ">" are strict), NAME, THRESHOLD_NAME, HOLDS, and TEXT
 * (NULL when it holds). The figures are NULL when a side is missing or not
 * computed (a part after an 'and' already false); everything is NULL
 * before an evaluation, for NULL res, an index out of range or an unknown
 * field. Comparisons inside `when`, exceptions or other expressions are
 * not listed. Text owned by res, valid until its next evaluation. */
RULEBOOK_API size_t rulebook_rule_comparison_count(const rulebook *rb, size_t rule);
RULEBOOK_API const char *rulebook_result_comparison(rulebook_result *res, size_t rule, size_t j,
						    rulebook_gap_field field);

/* Output flags for rulebook_result_json and rulebook_result_explain. */
#define RULEBOOK_OUT_LANG_EN 0x1u   /* English messages (default Chinese) */
#define RULEBOOK_OUT_PRETTY 0x2u    /* indented JSON */
#define RULEBOOK_OUT_VERDICTS 0x4u  /* verdicts only, no values or messages */
/* Input flag for rulebook_eval_json: skip keys that are not inputs (as
 * rulebook_facts_ignore_unknown). */
#define RULEBOOK_IN_IGNORE_UNKNOWN 0x100u

/* The result as JSON (schema in docs/api.md). *out points to len bytes,
 * NUL-terminated, owned by res and valid until the next evaluation or
 * output call on res. */
RULEBOOK_API rulebook_status rulebook_result_json(rulebook_result *res, uint32_t flags,
						  const char **out, size_t *len);
/* A plain-text explanation for a person: each rule with its citation,
 * verdict, message, the values it used, gap, exception and obligations.
 * Same ownership as rulebook_result_json. */
RULEBOOK_API rulebook_status rulebook_result_explain(rulebook_result *res, uint32_t flags,
						     const char **out, size_t *len);

/* JSON in, JSON out, for bindings and quick use: evaluate the facts object
 * (or an array of objects) in json as of as_of and return the result (or an
 * array of results) as JSON in a new buffer the caller releases with
 * rulebook_mem_free(). */
RULEBOOK_API rulebook_status rulebook_eval_json(const rulebook *rb, const char *json, size_t len,
						int32_t as_of, uint32_t flags, char **out,
						size_t *out_len, rulebook_error *err);

/* text (len bytes, need not be NUL-terminated) as a JSON string literal
 * with its quotes, escaped as rulebook_result_json escapes strings: '"',
 * '\\' and control characters (\n, \t, \u001f, ...); other bytes are
 * copied as they are, so text should be UTF-8. Written into buf (size
 * bytes) with a NUL, its length in *out_len (when not NULL). Errors:
 * RULEBOOK_ERR_LIMIT when buf is too small (buf "" when size > 0; *out_len
 * is the length needed, so size 0 asks for it), RULEBOOK_ERR_INVALID for
 * NULL text or NULL buf with size > 0, RULEBOOK_ERR_NOMEM. */
RULEBOOK_API rulebook_status rulebook_json_string(const char *text, size_t len, char *buf,
						  size_t size, size_t *out_len);

/* ------------------------------------------------------------------------
 * Packed records: one call per record, for bindings
 * ------------------------------------------------------------------------ */

/* A packed record holds every input of one record in one buffer, laid out
 * by the rulebook's inputs (n = rulebook_input_count):
 *
 *   bytes 0 .. 8(n+1)        one 8-byte slot per input, in input order,
 *                            then one slot for the record id ("_id")
 *   bytes 8(n+1) .. 9(n+1)   one tag byte per slot (rulebook_packed_tag)
 *   the rest                 text the TEXT and DECIMAL slots point into
 *
 * A slot holds, by its tag: a double (native byte order), or two uint32
 * (native byte order): the offset of the text from the start of the record
 * and its length in bytes. rulebook_packed_record_size gives the fixed part,
 * 9(n+1) bytes. No alignment is required. Values are stable. */
typedef enum rulebook_packed_tag {
	RULEBOOK_PACKED_MISSING = 0, /* the input is missing (the id: no id) */
	RULEBOOK_PACKED_DOUBLE = 1,  /* a double, as rulebook_facts_set_double_at takes it */
	RULEBOOK_PACKED_TEXT = 2,    /* text, as rulebook_facts_set_text_at (the id: as
				      * rulebook_facts_set_id) */
	RULEBOOK_PACKED_DECIMAL = 3, /* decimal text, as rulebook_facts_set_decimal_at */
	RULEBOOK_PACKED_BOOL = 4,    /* a double, nonzero for true; boolean inputs only */
	RULEBOOK_PACKED_DATE = 5     /* a double holding YYYYMMDD; date inputs only */
} rulebook_packed_tag;

/* The fixed part of a packed record of rb, 9 × (inputs + 1) bytes; 0 when
 * rb is NULL. */
RULEBOOK_API size_t rulebook_packed_record_size(const rulebook *rb);
/* The size of packed results of rb, 2 × scorecards + rules bytes: first an
 * int16 (native byte order) per scorecard, the class index (0 is the best,
 * as rulebook_scorecard_class_id numbers them) or one of the
 * RULEBOOK_CLASS_* codes of rulebook_population_classes (a class that only
 * a population decides, by rank, is RULEBOOK_CLASS_UNKNOWN here); then one
 * byte per rule, its rulebook_verdict. 0 when rb is NULL. */
RULEBOOK_API size_t rulebook_packed_result_size(const rulebook *rb);

/* Set every input of facts, and the record id, from the packed record of
 * len bytes; each slot goes through the setter its tag names, with that
 * setter's checks and errors (RULEBOOK_ERR_VALUE naming the input for a
 * value its type refuses, RULEBOOK_ERR_RANGE for a number out of range).
 * RULEBOOK_ERR_INVALID for NULL arguments, len below
 * rulebook_packed_record_size, an unknown tag, or text outside the len
 * bytes. On any error the facts are left with every input missing and no
 * id. The record is not referenced afterwards. */
RULEBOOK_API rulebook_status rulebook_facts_set_packed(rulebook_facts *facts, const void *record,
						       size_t len, rulebook_error *err);
/* The verdicts and classes of the last evaluation into res, packed into out
 * (room for len >= rulebook_packed_result_size bytes). Before any
 * evaluation: verdicts 0, classes RULEBOOK_CLASS_UNKNOWN.
 * RULEBOOK_ERR_INVALID for a NULL argument or too small a buffer. Scores,
 * values and explanations stay with res and its accessors, computed only
 * when read. */
RULEBOOK_API rulebook_status rulebook_result_packed(const rulebook_result *res, void *out,
						    size_t len);
/* One record in one call: rulebook_facts_set_packed, rulebook_eval into
 * res, and (when out is not NULL) rulebook_result_packed into out of
 * out_len bytes. facts and res must belong to rb. Errors as those calls
 * give them; when the record is refused, res keeps its previous
 * evaluation. Allocates nothing once facts and res have held a record as
 * large as this one. */
RULEBOOK_API rulebook_status rulebook_eval_packed(const rulebook *rb, rulebook_facts *facts,
						  const void *record, size_t len, int32_t as_of,
						  rulebook_result *res, void *out, size_t out_len,
						  rulebook_error *err);

/* Packed results with scores: what a binding reads of most records, written
 * in the same call that evaluates them. Laid out as
 *
 *   bytes 0 .. 8s            per scorecard (s = rulebook_scorecard_count) a
 *                            double (native byte order): the score as
 *                            rulebook_result_score_double gives it, NaN
 *                            when there is none
 *   then                     the packed results as rulebook_result_packed
 *                            writes them (rulebook_packed_result_size bytes:
 *                            class codes, then verdicts)
 *   then                     per scorecard a byte (rulebook_packed_score)
 *
 * No alignment is required; a buffer aligned to 8 bytes keeps the doubles
 * and class codes aligned. The exact score stays with the result
 * (rulebook_result_score), computed only when read. Values are stable. */
typedef enum rulebook_packed_score {
	RULEBOOK_PACKED_SCORE_NONE = 0, /* no score: rulebook_result_score is NULL (unknown,
					 * not rated, not in force) or nothing was evaluated */
	RULEBOOK_PACKED_SCORE_KNOWN = 1 /* the double is the score, within the bound of
					 * rulebook_result_score_double */
} rulebook_packed_score;

/* The size of packed results with scores of rb: 9 × scorecards +
 * rulebook_packed_result_size bytes; 0 when rb is NULL. */
RULEBOOK_API size_t rulebook_packed_scored_size(const rulebook *rb);
/* The scores, classes and verdicts of the last evaluation into res, packed
 * into out (room for len >= rulebook_packed_scored_size bytes) as laid out
 * above. Reading the scores may compute them (as rulebook_result_score_double
 * does), so res is not const; it allocates nothing. Before any evaluation:
 * scores NaN with RULEBOOK_PACKED_SCORE_NONE, classes RULEBOOK_CLASS_UNKNOWN,
 * verdicts 0. RULEBOOK_ERR_INVALID for a NULL argument or too small a
 * buffer. */
RULEBOOK_API rulebook_status rulebook_result_packed_scored(rulebook_result *res, void *out,
							   size_t len);
/* rulebook_eval_packed with the scores: rulebook_facts_set_packed,
 * rulebook_eval into res, and (when out is not NULL)
 * rulebook_result_packed_scored into out of out_len bytes, in one call.
 * facts and res must belong to rb. Errors as rulebook_eval_packed gives
 * them, and RULEBOOK_ERR_INVALID (before anything is set) when out_len is
 * below rulebook_packed_scored_size; when the record is refused, res keeps
 * its previous evaluation and out is not written. Allocates nothing once
 * facts and res have held a record as large as this one. Thread safety as
 * rulebook_eval_packed: facts and res belong to one thread at a time. */
RULEBOOK_API rulebook_status rulebook_eval_packed_scored(const rulebook *rb,
							 rulebook_facts *facts,
							 const void *record, size_t len,
							 int32_t as_of, rulebook_result *res,
							 void *out, size_t out_len,
							 rulebook_error *err);

/* rulebook_eval_packed_scored with every argument in one block of memory,
 * for a binding whose calls cost by the argument (one pointer crosses
 * instead of nine). The record and the packed results lie in the same
 * buffer as the block, after it, at byte offsets from the block's start,
 * so that a binding writes a few integers per record and sets the pointers
 * once. Fields in this order; on a 64-bit platform 56 bytes. */
typedef struct rulebook_packed_call {
	const rulebook *rb;     /* the rulebook */
	rulebook_facts *facts;  /* facts of rb, set from the record */
	rulebook_result *res;   /* a result of rb, evaluated into */
	rulebook_error *err;    /* what went wrong; may be NULL */
	uint32_t record_at;     /* the packed record: at (char *)call + record_at, */
	uint32_t record_len;    /*   record_len bytes */
	uint32_t out_at;        /* the packed results with scores: at (char *)call + out_at, */
	uint32_t out_len;       /*   out_len bytes; 0 writes none */
	int32_t as_of;          /* the evaluation date, YYYYMMDD */
	uint32_t reserved;      /* 0 */
} rulebook_packed_call;

/* rulebook_eval_packed_scored(call->rb, call->facts, record, record_len,
 * as_of, call->res, out (NULL when out_len is 0), out_len, call->err), the
 * record and out at their offsets from call: the same checks, errors and
 * results. RULEBOOK_ERR_INVALID (with no error to write) when call is
 * NULL; RULEBOOK_ERR_INVALID with a message when reserved is not 0, when
 * the record (or, with out_len above 0, the results) starts inside the
 * block, or when the results overlap the record. No length of the buffer
 * is passed: the caller vouches that it holds both ranges, as for any
 * pointer and length. The block's fields are only read (the buffer after
 * it is written at out_at); it may be reused for the next record. Thread
 * safety as rulebook_eval_packed. */
RULEBOOK_API rulebook_status rulebook_eval_packed_call(rulebook_packed_call *call);

/* ------------------------------------------------------------------------
 * Targets against time progress (五（三）: 月度监测、季度通报、年度考核)
 * ------------------------------------------------------------------------ */

/* Targets are evaluated by rulebook_eval along with the rules, from the
 * record's achieved values. Values are stable. */
typedef enum rulebook_target_status {
	RULEBOOK_TARGET_MET = 1,          /* the target is reached */
	RULEBOOK_TARGET_ON_PACE = 2,      /* completion progress >= time progress */
	RULEBOOK_TARGET_BEHIND_PACE = 3,  /* completion progress < time progress: flagged */
	RULEBOOK_TARGET_MISSED = 4,       /* the period is over and the target was not reached */
	RULEBOOK_TARGET_NOT_STARTED = 5,  /* the as-of date is before the period */
	RULEBOOK_TARGET_UNKNOWN = 6,      /* the achieved value (or the target) is missing */
	RULEBOOK_TARGET_NOT_IN_FORCE = 7  /* the rulebook is not in force on the as-of date */
} rulebook_target_status;

/* "met", "on_pace", "behind_pace", "missed", "not_started", "unknown",
 * "not_in_force"; "invalid" otherwise. Static storage. */
RULEBOOK_API const char *rulebook_target_status_str(rulebook_target_status status);

RULEBOOK_API size_t rulebook_target_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_target_id(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_target_cite(const rulebook *rb, size_t i);
/* Title in lang, falling back to the other language; NULL when none. */
RULEBOOK_API const char *rulebook_target_title(const rulebook *rb, size_t i, const char *lang);
RULEBOOK_API size_t rulebook_target_responsible_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_target_responsible(const rulebook *rb, size_t i, size_t j);

RULEBOOK_API rulebook_target_status rulebook_result_target_status(const rulebook_result *res,
								  size_t target);

/* Figures of a target after evaluation, for rulebook_result_target_value. */
typedef enum rulebook_target_field {
	RULEBOOK_TARGET_ACHIEVED = 0,      /* achieved value (for reduction/growth: the achieved change) */
	RULEBOOK_TARGET_GOAL = 1,          /* the target value */
	RULEBOOK_TARGET_COMPLETION = 2,    /* completion progress: achieved / target */
	RULEBOOK_TARGET_TIME_PROGRESS = 3, /* elapsed share of the period, 0..1 */
	RULEBOOK_TARGET_SHORTFALL = 4,     /* how much is still missing (0 when met) */
	RULEBOOK_TARGET_NEEDED_PER_MONTH = 5 /* shortfall spread over the remaining months */
} rulebook_target_field;

/* A figure as decimal text ("0.62"), in the target's unit for ACHIEVED,
 * GOAL, SHORTFALL and NEEDED_PER_MONTH, a plain ratio for COMPLETION and
 * TIME_PROGRESS. NULL when it cannot be computed. Valid until the next
 * evaluation into res. */
RULEBOOK_API const char *rulebook_result_target_value(rulebook_result *res, size_t target,
						      rulebook_target_field field);
/* For a target whose status is RULEBOOK_TARGET_UNKNOWN, the inputs and
 * parameters without a value that it uses (its measure, target and base,
 * through any indicator): how many, then the j-th name. 0 and NULL for any
 * other status, a NULL res, an index out of range or before evaluation.
 * The name is owned by the rulebook (or, for a table lookup "table[key]",
 * by res until its next evaluation). */
RULEBOOK_API size_t rulebook_result_target_missing_count(const rulebook_result *res,
							 size_t target);
RULEBOOK_API const char *rulebook_result_target_missing(const rulebook_result *res, size_t target,
							size_t j);
/* The unit of the target's figures as written; "" when none, and for
 * reduction and growth targets, whose figures are ratios (10 % = 0.1). */
RULEBOOK_API const char *rulebook_target_unit(const rulebook *rb, size_t i);

/* ------------------------------------------------------------------------
 * Scorecards and classes (亩均效益综合评价)
 * ------------------------------------------------------------------------ */

/* Scorecards are evaluated by rulebook_eval along with the rules. */
RULEBOOK_API size_t rulebook_scorecard_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_scorecard_id(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_scorecard_cite(const rulebook *rb, size_t i);
/* Title in lang, falling back to the other language; NULL when none. */
RULEBOOK_API const char *rulebook_scorecard_title(const rulebook *rb, size_t i, const char *lang);
RULEBOOK_API size_t rulebook_scorecard_component_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_scorecard_component_id(const rulebook *rb, size_t i, size_t k);
/* Classes from best to worst. */
RULEBOOK_API size_t rulebook_scorecard_class_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_scorecard_class_id(const rulebook *rb, size_t i, size_t k);
/* The consequences scorecard i declares, in the order written: how many,
 * then consequence j's id, the class it is attached to (a class id as
 * rulebook_scorecard_class_id gives it), its unit as written ("" when
 * none) and its citation (NULL when none). Its amount may depend on the
 * date or the record: a result or a population gives it
 * (rulebook_result_consequence_value). Strings are owned by rb; 0 and NULL
 * for a NULL rb or an index out of range. */
RULEBOOK_API size_t rulebook_scorecard_consequence_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_scorecard_consequence_id(const rulebook *rb, size_t i,
							   size_t j);
RULEBOOK_API const char *rulebook_scorecard_consequence_class(const rulebook *rb, size_t i,
							      size_t j);
RULEBOOK_API const char *rulebook_scorecard_consequence_unit(const rulebook *rb, size_t i,
							     size_t j);
RULEBOOK_API const char *rulebook_scorecard_consequence_cite(const rulebook *rb, size_t i,
							     size_t j);

/* The class of the record: a class id, "not_rated" when the record is out
 * of the scorecard's scope, "not_in_force" outside the rulebook's validity,
 * "error" when a component's figures make no score on the as-of date (see
 * rulebook_result_class_error), or NULL when it cannot be decided for
 * missing data (see rulebook_result_class_missing) or is decided by rank
 * in a population. Owned by the rulebook (or static). */
RULEBOOK_API const char *rulebook_result_class(const rulebook_result *res, size_t scorecard);
/* The weighted score as decimal text; NULL when unknown or not rated.
 * Valid until the next evaluation into res. */
RULEBOOK_API const char *rulebook_result_score(rulebook_result *res, size_t scorecard);
/* The weighted score as a double in *out, without decimal text: the same
 * score as rulebook_result_score. When the record was decided in binary
 * (rulebook_result_decided_exactly is 0) and the binary score's error
 * bound is at most 2^-44 of its magnitude, that binary value is returned
 * and no exact arithmetic runs: it differs from the exact score s by less
 * than |s| × 2^-43 (about 1.1e-13 of the score; in practice a unit or two
 * in the last place). Otherwise the exact score is computed (as
 * rulebook_result_score does) and *out is its nearest double. Allocates
 * nothing. RULEBOOK_OK; RULEBOOK_ERR_NOT_FOUND (*out NaN) exactly when
 * rulebook_result_score is NULL: the score is unknown, the record is not
 * rated or the rulebook is not in force; RULEBOOK_ERR_INVALID (*out NaN when out
 * is not NULL) for a NULL res or out, a result not evaluated or a
 * scorecard index out of range. */
RULEBOOK_API rulebook_status rulebook_result_score_double(rulebook_result *res, size_t scorecard,
							  double *out);
/* The veto (一票否决) that forced the class, or NULL. Owned by the rulebook. */
RULEBOOK_API const char *rulebook_result_veto(const rulebook_result *res, size_t scorecard);
/* When the class is "error", why: a component's benchmark is not above 0,
 * its weight is negative, its cap is below its floor or its scale's max is
 * not above its min on the as-of date (a parameter made it so), e.g. "the
 * benchmark of component 'mu_tax' is 0 on this date: a benchmark must be
 * above 0". NULL otherwise (and for a NULL res or an index out of range).
 * Valid until the next evaluation into res. */
RULEBOOK_API const char *rulebook_result_class_error(rulebook_result *res, size_t scorecard);
/* When the class cannot be decided for missing data (rulebook_result_class
 * is NULL and the class does not go by rank), what is missing: how many
 * entries, then entry j's input or parameter name and the part of the
 * scorecard that needs it: "scope", "veto:ID" (a veto's condition),
 * "component:ID" (a component's points) or "class:ID" (a class's
 * cut-off). A name used by two parts is listed for each. 0 and NULL
 * otherwise. The name is owned by the rulebook (a table lookup's
 * "table[key]" by res); the part is valid until the next evaluation into
 * res. */
RULEBOOK_API size_t rulebook_result_class_missing_count(rulebook_result *res, size_t scorecard);
RULEBOOK_API const char *rulebook_result_class_missing(rulebook_result *res, size_t scorecard,
						       size_t j);
RULEBOOK_API const char *rulebook_result_class_missing_part(rulebook_result *res,
							    size_t scorecard, size_t j);

typedef enum rulebook_component_field {
	RULEBOOK_COMPONENT_VALUE = 0,  /* the indicator's value, in its unit */
	RULEBOOK_COMPONENT_RATIO = 1,  /* value / benchmark (or scaled), after floor and cap */
	RULEBOOK_COMPONENT_WEIGHT = 2,
	RULEBOOK_COMPONENT_POINTS = 3  /* weight × ratio */
} rulebook_component_field;

/* A component's figure as decimal text, NULL when missing. Valid until the
 * next evaluation into res. */
RULEBOOK_API const char *rulebook_result_component(rulebook_result *res, size_t scorecard,
						   size_t component, rulebook_component_field field);

/* Consequences attached to the record's class (e.g. a surcharge of 0.3
 * 元/kWh for class D): count, then name, value (decimal text, valid until
 * the next evaluation) and unit of consequence j. */
RULEBOOK_API size_t rulebook_result_consequence_count(const rulebook_result *res, size_t scorecard);
RULEBOOK_API const char *rulebook_result_consequence_name(const rulebook_result *res,
							  size_t scorecard, size_t j);
RULEBOOK_API const char *rulebook_result_consequence_value(rulebook_result *res, size_t scorecard,
							   size_t j);
RULEBOOK_API const char *rulebook_result_consequence_unit(const rulebook_result *res,
							  size_t scorecard, size_t j);
/* Which of the scorecard's declarations consequence j is: the index j'
 * that rulebook_scorecard_consequence_*(rb, scorecard, j') take (its
 * clause, its class). Two declarations may share an id and a class under
 * different conditions (`when:`); this tells them apart. SIZE_MAX for a
 * NULL res or an index out of range. */
RULEBOOK_API size_t rulebook_result_consequence_index(const rulebook_result *res,
						      size_t scorecard, size_t j);

/* ------------------------------------------------------------------------
 * Populations and aggregates
 * ------------------------------------------------------------------------ */

/* A population is a set of records evaluated together as of one date: each
 * record's verdicts, scores and classes are kept (not its facts), the
 * rulebook's aggregates are accumulated as records are added, and classes
 * by rank (A = top 20 %, ...) are decided over the whole population. */
typedef struct rulebook_population rulebook_population;

/* An empty population for records of rb as of as_of (YYYYMMDD). NULL when
 * memory runs out, rb is NULL or the date is invalid. rb must outlive it. */
RULEBOOK_API rulebook_population *rulebook_population_new(const rulebook *rb, int32_t as_of);
RULEBOOK_API void rulebook_population_free(rulebook_population *pop);
/* Evaluate one record and add it. The facts are not referenced afterwards.
 * Amortised allocation only for the per-record arrays. */
RULEBOOK_API rulebook_status rulebook_population_add(rulebook_population *pop,
						     const rulebook_facts *facts,
						     rulebook_error *err);
/* Add n records in one call, given as a row-major table of text cells:
 * cells[r * ncols + c] is record r's value of input inputs[c] (an index
 * from rulebook_input_index), in the forms rulebook_facts_set_text_at
 * takes ("1158.1", "20000 m²", "true", "2023-05-01"), or NULL when missing.
 * ids is NULL or n record ids (each may be NULL). A record with a bad cell
 * or an id that is not UTF-8 is not added: its row index goes into bad_rows
 * (when not NULL, room for n) and *bad_count counts them; the call still
 * returns RULEBOOK_OK, and err, when given, holds one diagnostic for the
 * first bad row ("row 3, column 'tax': ...", "row 5, column '_id': ..."),
 * its subject the column. Errors only for invalid arguments or lack of
 * memory. For bindings: one crossing for a whole population. */
RULEBOOK_API rulebook_status rulebook_population_add_table(rulebook_population *pop, size_t n,
							   const size_t *inputs, size_t ncols,
							   const char *const *cells,
							   const char *const *ids, size_t *bad_rows,
							   size_t *bad_count, rulebook_error *err);
/* The same from numeric columns: values[c * n + r] is record r's value of
 * numeric input inputs[c] (column-major, one array per input, as data
 * frames hold them), valid[c * n + r] nonzero when present (valid may be
 * NULL: all present); NaN is missing too. Doubles are converted as
 * rulebook_facts_set_double does; a value the input refuses (an infinity,
 * 2.5 for an integer input, a number out of range) stops the call with its
 * status (records before it stay added). Non-numeric inputs are
 * RULEBOOK_ERR_VALUE. */
RULEBOOK_API rulebook_status rulebook_population_add_columns(rulebook_population *pop, size_t n,
							     const size_t *inputs, size_t ncols,
							     const double *values,
							     const uint8_t *valid,
							     rulebook_error *err);
/* How many threads the batch calls of pop (rulebook_population_add_table,
 * _add_columns, _add_arrow) may use: each thread evaluates a slice of the
 * batch (of at least 2048 rows) into a population of its own, and the
 * slices are merged in order as rulebook_population_merge does, so the
 * records, verdicts, scores, classes, aggregates, bad rows and
 * diagnostics are the same for any number of threads. 1 (the default)
 * evaluates in the calling thread; 0 means one per online processor; at
 * most 64. The threads start and end within each call. Only pop's batch
 * calls are affected; pop itself must not be used from another thread
 * meanwhile. RULEBOOK_ERR_INVALID for a NULL pop. */
RULEBOOK_API rulebook_status rulebook_population_set_threads(rulebook_population *pop,
							    size_t threads);
/* A new population holding the same records (for what-if: copy, add the
 * proposed record, compare the aggregates). NULL when memory runs out. */
RULEBOOK_API rulebook_population *rulebook_population_copy(const rulebook_population *pop);
/* Convenience: a new population of n records in one call. */
RULEBOOK_API rulebook_status rulebook_eval_population(const rulebook *rb,
						      const rulebook_facts *const *records,
						      size_t n, int32_t as_of,
						      rulebook_population **out,
						      rulebook_error *err);

RULEBOOK_API size_t rulebook_population_size(const rulebook_population *pop);
/* The as-of date the population evaluates its records at (YYYYMMDD); 0
 * when pop is NULL. */
RULEBOOK_API int32_t rulebook_population_as_of(const rulebook_population *pop);
/* The "_id" of record i, or NULL. Owned by pop. */
RULEBOOK_API const char *rulebook_population_record_id(const rulebook_population *pop, size_t i);
RULEBOOK_API rulebook_verdict rulebook_population_verdict(const rulebook_population *pop,
							  size_t record, size_t rule);
/* How many (record, rule) pairs got each verdict: out has 8 counters
 * indexed by rulebook_verdict. */
RULEBOOK_API void rulebook_population_counts(const rulebook_population *pop, uint32_t *out);
/* The class of record i in scorecard k: as rulebook_result_class, with
 * classes by rank decided within the population (ties: equal scores get
 * the same, better class). NULL when unknown. */
RULEBOOK_API const char *rulebook_population_class(rulebook_population *pop, size_t record,
						   size_t scorecard);
/* The score as decimal text; NULL when unknown or not rated. Valid until
 * the next call that adds to or frees pop. */
RULEBOOK_API const char *rulebook_population_score(rulebook_population *pop, size_t record,
						   size_t scorecard);
/* The veto (一票否决) that forced the record's class in a scorecard, or
 * NULL (none, a NULL pop, an index out of range). Owned by the rulebook. */
RULEBOOK_API const char *rulebook_population_veto(const rulebook_population *pop, size_t record,
						  size_t scorecard);
/* The consequences attached to the record's class in the population, as
 * rulebook_result_consequence_* give them for one result, but for the
 * class rulebook_population_class decides: a class by rank (a D by rank
 * gets the surcharges of D like a D by veto) or with a population average
 * included. How many, then the name (owned by the rulebook), the value as
 * decimal text (valid until the next call that adds to or frees pop; NULL
 * when it could not be computed) and the unit of consequence j. 0 and NULL
 * for a record without a class, a NULL pop or an index out of range. */
RULEBOOK_API size_t rulebook_population_consequence_count(rulebook_population *pop, size_t record,
							  size_t scorecard);
RULEBOOK_API const char *rulebook_population_consequence_name(rulebook_population *pop,
							      size_t record, size_t scorecard,
							      size_t j);
RULEBOOK_API const char *rulebook_population_consequence_value(rulebook_population *pop,
							       size_t record, size_t scorecard,
							       size_t j);
RULEBOOK_API const char *rulebook_population_consequence_unit(rulebook_population *pop,
							      size_t record, size_t scorecard,
							      size_t j);
/* Which of the scorecard's declarations the record's consequence j is, as
 * rulebook_result_consequence_index gives it; SIZE_MAX for a record
 * without a class, a NULL pop, an index out of range, or when the classes
 * cannot be ranked (as rulebook_population_class returns NULL then). */
RULEBOOK_API size_t rulebook_population_consequence_index(rulebook_population *pop,
							  size_t record, size_t scorecard,
							  size_t j);

/* Aggregates declared by the rulebook (`aggregates:`). */
RULEBOOK_API size_t rulebook_aggregate_count(const rulebook *rb);
RULEBOOK_API const char *rulebook_aggregate_id(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_aggregate_cite(const rulebook *rb, size_t i);
/* Title in lang, falling back to the other language; NULL when none. */
RULEBOOK_API const char *rulebook_aggregate_title(const rulebook *rb, size_t i, const char *lang);
/* The unit of the aggregate's value as written; "" for a share or a count. */
RULEBOOK_API const char *rulebook_aggregate_unit(const rulebook *rb, size_t i);
RULEBOOK_API size_t rulebook_aggregate_responsible_count(const rulebook *rb, size_t i);
RULEBOOK_API const char *rulebook_aggregate_responsible(const rulebook *rb, size_t i, size_t j);

/* The verdict of aggregate i over the records added so far: pass, fail,
 * unknown (a counted record lacks the value), not_applicable (no record
 * counted), not_in_force or error (a division by zero, or a sum that is
 * 10^318 or more in magnitude, beyond the decimal range, when rounded).
 * Sums are kept exactly, whatever the scales of their terms (1e300 and
 * 1e-300 alike), and rounded once to 18 significant digits when read: the
 * same for any order of the records, number of threads or partitioning
 * merged. */
RULEBOOK_API rulebook_verdict rulebook_population_aggregate_verdict(rulebook_population *pop,
								    size_t i);

typedef enum rulebook_aggregate_field {
	RULEBOOK_AGGREGATE_VALUE = 0,       /* the aggregate (a share as a ratio) */
	RULEBOOK_AGGREGATE_NUMERATOR = 1,   /* share: the sum or count of the records `where` holds */
	RULEBOOK_AGGREGATE_DENOMINATOR = 2, /* share: the sum or count of all counted records */
	RULEBOOK_AGGREGATE_COUNTED = 3,     /* records that passed the filter */
	RULEBOOK_AGGREGATE_THRESHOLD = 4,   /* the threshold of its requirement, when a comparison */
	RULEBOOK_AGGREGATE_GAP = 5          /* for a failed requirement: the change needed, with unit */
} rulebook_aggregate_field;

/* A figure of aggregate i as text (decimal; GAP with its unit); NULL when
 * it does not apply. Valid until the next call that adds to or frees pop. */
RULEBOOK_API const char *rulebook_population_aggregate_value(rulebook_population *pop, size_t i,
							     rulebook_aggregate_field field);
/* The records counted by aggregate i (indices into the population). */
RULEBOOK_API size_t rulebook_population_aggregate_record_count(rulebook_population *pop, size_t i);
RULEBOOK_API size_t rulebook_population_aggregate_record(rulebook_population *pop, size_t i,
							  size_t j);
/* The records that left aggregate i unknown (their filter, `where` or value
 * was missing), as indices into the population in the order they were
 * added: how many, then the j-th (SIZE_MAX past the last, for a NULL pop or
 * an index out of range). */
RULEBOOK_API size_t rulebook_population_aggregate_undecided_count(const rulebook_population *pop,
								  size_t i);
RULEBOOK_API size_t rulebook_population_aggregate_undecided(const rulebook_population *pop,
							    size_t i, size_t j);
/* The inputs and parameters those records lacked, each once, in the order
 * the aggregate uses them: how many, then the j-th name (owned by the
 * rulebook; NULL past the last). */
RULEBOOK_API size_t rulebook_population_aggregate_missing_count(const rulebook_population *pop,
								size_t i);
RULEBOOK_API const char *rulebook_population_aggregate_missing(const rulebook_population *pop,
							       size_t i, size_t j);

/* The population's verdict counts, classes and aggregates as JSON; same
 * ownership as rulebook_result_json (owned by pop, valid until the next
 * call on pop). */
RULEBOOK_API rulebook_status rulebook_population_json(rulebook_population *pop, uint32_t flags,
						      const char **out, size_t *len);

/* The report: one self-contained HTML page (inline CSS and SVG charts, no
 * script, no network, no external fonts; prints on A4) presenting a
 * population: the rulebook's document, id, hash and as-of date; classes,
 * ranking, vetoes and consequences of each scorecard; failures per rule and
 * per responsible unit (督办清单) linked to each record's explanation;
 * targets against time progress with a green/yellow/red light; aggregates.
 * Every piece of data is HTML-escaped. docs/report.md describes the page.
 *
 * results: NULL, or a JSON array (results_len bytes) holding one result per
 * record of pop, in the order they were added, each as
 * rulebook_result_json writes it without RULEBOOK_OUT_VERDICTS (the array
 * rulebook_eval_json returns for the same records will do). Messages,
 * gaps, values, vetoes, consequences and target figures come from it (the
 * messages in the language it was written in: RULEBOOK_OUT_LANG_EN);
 * without it the page shows what pop keeps (verdicts, classes, scores,
 * aggregates) and says what is left out.
 * settings: NULL, or a JSON object (settings_len bytes) with any of
 * "lang" ("zh", the default, or "en"), "data" (the data's name for the
 * header), "yellow_behind" and "red_behind" (points behind time progress
 * beyond which a target behind pace is yellow or red; default "10" and
 * "30", decimal text, yellow_behind <= red_behind).
 *
 * On success *out receives the page, NUL-terminated, *out_len (may be
 * NULL) its length; the caller releases it with rulebook_mem_free(). pop is
 * not changed. Errors: RULEBOOK_ERR_INVALID (pop or out NULL; settings not
 * an object, an unknown setting or bad value; results not an array of
 * full results of pop's rulebook, not one per record, or whose record ids
 * differ from pop's), RULEBOOK_ERR_SYNTAX (results or settings are not
 * JSON, with line and column), RULEBOOK_ERR_NOMEM; *out is then NULL. */
RULEBOOK_API rulebook_status rulebook_population_report_html(rulebook_population *pop,
							     const char *results,
							     size_t results_len,
							     const char *settings,
							     size_t settings_len, char **out,
							     size_t *out_len, rulebook_error *err);

/* ---- Results in bulk, merging, and moving populations between processes ---- */

/* The whole verdict matrix in one call: out (room for
 * rulebook_population_size(pop) × rulebook_rule_count(rb) bytes) receives
 * out[record * rule_count + rule] = the rulebook_verdict of that pair, as
 * rulebook_population_verdict gives it. RULEBOOK_ERR_INVALID when pop or
 * out is NULL. */
RULEBOOK_API rulebook_status rulebook_population_verdicts(const rulebook_population *pop,
							  uint8_t *out);

/* Class codes of rulebook_population_classes besides the class indices. */
#define RULEBOOK_CLASS_UNKNOWN (-1)      /* cannot be decided for missing data */
#define RULEBOOK_CLASS_NOT_RATED (-2)    /* out of the scorecard's scope */
#define RULEBOOK_CLASS_NOT_IN_FORCE (-3) /* the rulebook is not in force */
/* a parameter makes a component's figures meaningless on the as-of date
 * (rulebook_result_class_error says which); the class is "error" */
#define RULEBOOK_CLASS_ERROR (-4)

/* The class of every record in scorecard k, in one call: out (room for
 * rulebook_population_size(pop) values) receives the class index (0 is the
 * best, as rulebook_scorecard_class_id numbers them) or one of the
 * RULEBOOK_CLASS_* codes, exactly as rulebook_population_class decides
 * (classes by rank over the whole population). RULEBOOK_ERR_INVALID for a
 * NULL argument or k out of range; RULEBOOK_ERR_NOMEM when ranking runs out
 * of memory. */
RULEBOOK_API rulebook_status rulebook_population_classes(rulebook_population *pop, size_t k,
							 int16_t *out);

/* Every record's score in scorecard k as exact decimal text, in one new
 * buffer: one line per record, each ended by '\n', an empty line when the
 * record has no score (as rulebook_population_score returns NULL). *out is
 * NUL-terminated, *len bytes long without the NUL; the caller releases it
 * with rulebook_mem_free(). On error *out is NULL: RULEBOOK_ERR_INVALID
 * (NULL argument, k out of range) or RULEBOOK_ERR_NOMEM. */
RULEBOOK_API rulebook_status rulebook_population_scores_text(rulebook_population *pop, size_t k,
							     char **out, size_t *len);

/* Every record's score in scorecard k as a double: out (room for
 * rulebook_population_size(pop) values) receives, for each record, what
 * rulebook_result_score_double gives for it: the binary score when the
 * record was decided in binary and its error bound is at most 2^-44 of
 * its magnitude (within |s| × 2^-43 of the exact score s), else the exact
 * score's nearest double; NaN where the record has no score (as
 * rulebook_population_score returns NULL). Computes no exact score for a
 * record decided in binary with a tight bound. RULEBOOK_ERR_INVALID for a
 * NULL argument or k out of range; RULEBOOK_ERR_NOMEM (out partly
 * written). */
RULEBOOK_API rulebook_status rulebook_population_scores_double(rulebook_population *pop, size_t k,
							       double *out);

/* Every record's score in scorecard k as Arrow decimal128 values at the
 * given scale (0..38): out (room for 16 × size bytes) receives each score's
 * unscaled value as a 128-bit two's complement integer in native byte
 * order, valid (when not NULL, room for size bytes) 1 where the record has
 * a score and 0 where not (the value is then 0). Exact or nothing: a score
 * with more decimal places than scale, or more than 38 digits at that
 * scale, is RULEBOOK_ERR_RANGE naming the record and the scorecard (the
 * buffers are then partly written). RULEBOOK_ERR_INVALID for a NULL
 * argument, k or scale out of range. */
RULEBOOK_API rulebook_status rulebook_population_scores_decimal128(rulebook_population *pop,
								   size_t k, int32_t scale,
								   uint8_t *out, uint8_t *valid,
								   rulebook_error *err);

/* Append the records of src to pop, as if they had been added to pop after
 * its own: verdicts, scores, classes, record ids and aggregate states are
 * combined, so that populations evaluated separately (the partitions of a
 * table, on several threads, processes or machines) and merged give the
 * same aggregates, classes by rank and `missing: average` figures as one
 * population of all the records -- record order aside (ranks break ties
 * by record order, but tied records always share their class). Aggregate
 * sums are exact while they stay within 18 significant digits; beyond
 * that they are rounded, and the last digit may depend on the grouping.
 * src is not changed (it may be pop itself). Both must come from the same
 * rulebook (the same object, or one with the same rulebook_hash) and the
 * same as-of date, else RULEBOOK_ERR_INVALID. RULEBOOK_ERR_NOMEM leaves pop
 * as it was. */
RULEBOOK_API rulebook_status rulebook_population_merge(rulebook_population *pop,
						       const rulebook_population *src,
						       rulebook_error *err);

/* The population as bytes, to move it to another process or machine
 * (rulebook_population_load there): everything the population keeps, with
 * the rulebook's hash and the as-of date. The format is for this version of
 * the library and machines of the same byte order, not for archiving.
 * *out is a new buffer of *len bytes the caller releases with
 * rulebook_mem_free(). RULEBOOK_ERR_INVALID for NULL arguments,
 * RULEBOOK_ERR_NOMEM. */
RULEBOOK_API rulebook_status rulebook_population_save(const rulebook_population *pop, char **out,
						      size_t *len);

/* As rulebook_population_save, but the exact scores the population has not
 * computed yet (records decided by their binary scores) are not computed:
 * the bytes carry those records' inputs instead (about 8 to 13 bytes an
 * input), and the loaded population computes them when they are read,
 * exported or needed to place a record among classes by rank -- the same
 * scores as the population would have given. Quicker to write, larger. */
RULEBOOK_API rulebook_status rulebook_population_save_deferred(const rulebook_population *pop,
							       char **out, size_t *len);

/* A population from the len bytes rulebook_population_save wrote, for rb,
 * which must be the same rulebook (the same rulebook_hash; else
 * RULEBOOK_ERR_INVALID). The bytes are checked: anything truncated,
 * damaged or not saved by this library is RULEBOOK_ERR_VALUE. *out
 * receives the population (free with rulebook_population_free), NULL on
 * error; rb must outlive it. data is not referenced after the call. */
RULEBOOK_API rulebook_status rulebook_population_load(const rulebook *rb, const char *data,
						      size_t len, rulebook_population **out,
						      rulebook_error *err);

/* ------------------------------------------------------------------------
 * Columnar batches: the Arrow C Data Interface
 * ------------------------------------------------------------------------ */

/* The structures of the Arrow C Data Interface, as the Arrow specification
 * declares them (https://arrow.apache.org/docs/format/CDataInterface.html),
 * guarded so that they coexist with Arrow's own headers and with other
 * libraries that declare them. No Arrow library is needed. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
	/* Array type description */
	const char *format;
	const char *name;
	const char *metadata;
	int64_t flags;
	int64_t n_children;
	struct ArrowSchema **children;
	struct ArrowSchema *dictionary;

	/* Release callback */
	void (*release)(struct ArrowSchema *);
	/* Opaque producer-specific data */
	void *private_data;
};

struct ArrowArray {
	/* Array data description */
	int64_t length;
	int64_t null_count;
	int64_t offset;
	int64_t n_buffers;
	int64_t n_children;
	const void **buffers;
	struct ArrowArray **children;
	struct ArrowArray *dictionary;

	/* Release callback */
	void (*release)(struct ArrowArray *);
	/* Opaque producer-specific data */
	void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/* Evaluate the records of an Arrow record batch and add them to pop, in
 * one call. schema must describe a struct ("+s") whose children are the
 * columns; batch is the matching struct array (its offset and length
 * select the rows: a slice with a non-zero offset is read from there).
 *
 * Each column binds by its name to the input of that name
 * (rulebook_input_index). A column "_id" names the records (utf8,
 * large_utf8, a dictionary of them, or an integer type); other columns
 * whose name starts with "_" are skipped. A column that names no input is
 * RULEBOOK_ERR_NOT_FOUND unless flags has RULEBOOK_IN_IGNORE_UNKNOWN (it is
 * then skipped); two columns for one input are RULEBOOK_ERR_NAME.
 *
 * Supported column types (Arrow format strings) and how they are read:
 *   "c" "s" "i" "l", "C" "S" "I" "L"  int8..int64, uint8..uint64: exact
 *                      integers for number and integer inputs (beyond 18
 *                      digits the row is refused, never rounded)
 *   "d:P,S", "d:P,S,128"  decimal128: exact, for number and integer inputs
 *                      (more than 18 significant digits refuse the row)
 *   "g"                float64, converted as rulebook_facts_set_double does;
 *                      NaN is missing
 *   "u" "U"            utf8, large_utf8: text in the forms
 *                      rulebook_facts_set_text_at takes, for any input
 *                      ("1158.1", "20000 m²", "true", "2023-05-01", enum ids)
 *   "b"                boolean (bit-packed), for boolean inputs
 *   "tdD"              date32 (days since 1970-01-01), for date inputs
 *   "n"                null: every value missing
 *   dictionary-encoded columns (integer indices) of any of these
 * A null in a column's validity bitmap is a missing value. Any other type
 * (float32, timestamps, decimal256, nested types, ...) is
 * RULEBOOK_ERR_VALUE naming the column, and a column whose type does not
 * suit its input (a float64 column for a date input) is RULEBOOK_ERR_TYPE;
 * both are found before any record is added.
 *
 * A row with a value its input refuses (text that does not parse, an
 * enum value not declared, 2.5 for an integer input, a null record of the
 * struct) is not added: its index within the batch (0 is the batch's first
 * row, after its offset) goes into bad_rows (when not NULL, room for
 * batch->length) and *bad_count (when not NULL) counts them; the call
 * still returns RULEBOOK_OK, and err, when given, holds one diagnostic for
 * the first bad row ("row 3, column 'tax': ..."), its subject the column.
 * A malformed batch (a buffer missing, offsets out of order, a dictionary
 * index out of range, children shorter than the batch) is RULEBOOK_ERR_INVALID;
 * the records before the malformed value stay added.
 *
 * Ownership: nothing is taken over. The library reads schema and batch
 * during the call only and never calls their release callbacks: the caller
 * releases them (and may do so as soon as the call returns). */
RULEBOOK_API rulebook_status rulebook_population_add_arrow(rulebook_population *pop,
							   const struct ArrowSchema *schema,
							   const struct ArrowArray *batch,
							   uint32_t flags, size_t *bad_rows,
							   size_t *bad_count, rulebook_error *err);

/* The stream structure of the Arrow C Stream Interface
 * (https://arrow.apache.org/docs/format/CStreamInterface.html), guarded
 * like the structures above. */
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
	/* Callbacks providing stream functionality */
	int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
	int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
	const char *(*get_last_error)(struct ArrowArrayStream *);

	/* Release callback */
	void (*release)(struct ArrowArrayStream *);

	/* Opaque producer-specific data */
	void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* The results of every record of pop as one Arrow record batch: *schema
 * receives a struct ("+s") and *array the matching struct array of
 * rulebook_population_size(pop) rows, in the order the records were added,
 * with these columns:
 *   "_id"          utf8: the record id, null where the record has none
 *   <rule id>      one per rule, in declaration order: the verdict,
 *                  dictionary-encoded: int8 indices ("c") into the utf8
 *                  dictionary pass, fail, not_applicable, exempt, unknown,
 *                  not_in_force, error (index = rulebook_verdict - 1)
 *   "<sc>.class"   one per scorecard: int16 indices ("s") into a utf8
 *                  dictionary of the scorecard's class ids in order
 *                  (index = rulebook_scorecard_class_id's k), then
 *                  "not_rated" and "not_in_force"; null where the class
 *                  cannot be decided for missing data. Classes by rank are
 *                  decided over the whole population.
 *   "<sc>.score"   decimal128 ("d:38,S"): the exact score at scale S, the
 *                  fewest decimal places that hold every score of the
 *                  column exactly; null where the record has no score
 * Ownership: everything is copied out of pop, so the arrays may outlive
 * it. The caller releases both with their release callbacks (schema->
 * release(schema), array->release(array)), which free every buffer,
 * child and dictionary with the library's allocator; a consumer may move
 * children out as the Arrow specification allows. On error both release
 * members are NULL and nothing needs releasing: RULEBOOK_ERR_INVALID for
 * a NULL argument, RULEBOOK_ERR_RANGE for a score that decimal128 cannot
 * hold exactly (more than 38 digits at the scale), RULEBOOK_ERR_LIMIT for
 * ids of more than 2 GiB in all, RULEBOOK_ERR_NOMEM. */
RULEBOOK_API rulebook_status rulebook_population_results_arrow(rulebook_population *pop,
							       struct ArrowSchema *schema,
							       struct ArrowArray *array,
							       rulebook_error *err);

/* The same as an Arrow stream of one batch, for consumers that import
 * streams (pyarrow's RecordBatchReader, DuckDB, Polars): get_schema gives
 * a new copy of the schema at every call, the first get_next the batch and
 * later calls the end of the stream (an array whose release is NULL);
 * callbacks return 0 or ENOMEM. The caller releases the stream with
 * stream->release(stream) (a batch already taken is the caller's to
 * release). On error stream->release is NULL; errors as
 * rulebook_population_results_arrow. */
RULEBOOK_API rulebook_status rulebook_population_results_arrow_stream(
	rulebook_population *pop, struct ArrowArrayStream *stream, rulebook_error *err);

/* ------------------------------------------------------------------------
 * The rulebook's own test cases
 * ------------------------------------------------------------------------ */

typedef struct rulebook_test_report rulebook_test_report;

/* Run every case under `tests:` in rb. *out receives a report (free with
 * rulebook_test_report_free) even when cases fail; the status is then
 * RULEBOOK_ERR_TEST. */
RULEBOOK_API rulebook_status rulebook_run_tests(const rulebook *rb, rulebook_test_report **out,
						rulebook_error *err);
RULEBOOK_API void rulebook_test_report_free(rulebook_test_report *report);
/* Number of checks (one per expected verdict, value or obligation). */
RULEBOOK_API size_t rulebook_test_report_passed(const rulebook_test_report *report);
RULEBOOK_API size_t rulebook_test_report_failed(const rulebook_test_report *report);
/* Failure i: the case name, what was checked ("verdict of T1", "value of
 * mu_tax"), the expected and the actual text, and the line in the rulebook
 * of the failed expectation (of the fact, for a fact that could not be
 * set). Strings owned by the report. */
RULEBOOK_API const char *rulebook_test_report_case(const rulebook_test_report *report, size_t i);
RULEBOOK_API const char *rulebook_test_report_check(const rulebook_test_report *report, size_t i);
RULEBOOK_API const char *rulebook_test_report_expected(const rulebook_test_report *report,
						       size_t i);
RULEBOOK_API const char *rulebook_test_report_actual(const rulebook_test_report *report, size_t i);
RULEBOOK_API uint32_t rulebook_test_report_line(const rulebook_test_report *report, size_t i);
/* Column of failure i's position (see rulebook_test_report_line); 1-based,
 * counting bytes; 0 when out of range. */
RULEBOOK_API uint32_t rulebook_test_report_column(const rulebook_test_report *report,
						  size_t i);

/* The test cases as data, for programs that run them their own way: a
 * case's facts (as written, set with rulebook_facts_set_text_at or
 * rulebook_facts_set_text, never pasted into a document), its as-of date
 * and what it expects. Only the rulebook's own cases count: a parent's
 * stay with the parent. Strings are owned by rb and valid until
 * rulebook_free(); positions are 1-based lines and byte columns in
 * rulebook_item_file's file of the rulebook itself. Out-of-range indices
 * (and NULL rb) give 0, NULL or -1 as each function says. */
RULEBOOK_API size_t rulebook_test_count(const rulebook *rb);
/* The case's `name`; NULL out of range. */
RULEBOOK_API const char *rulebook_test_name(const rulebook *rb, size_t i);
/* The case's `as_of` (YYYYMMDD); 0 out of range. */
RULEBOOK_API int32_t rulebook_test_as_of(const rulebook *rb, size_t i);
/* Where the case's name is written; 0 out of range. */
RULEBOOK_API uint32_t rulebook_test_line(const rulebook *rb, size_t i);
RULEBOOK_API uint32_t rulebook_test_column(const rulebook *rb, size_t i);
/* 1 for a population case (`records:`), 0 for a case of one record
 * (`facts:`), -1 out of range. */
RULEBOOK_API int rulebook_test_is_population(const rulebook *rb, size_t i);
/* The records of the case: 1 for a case of one record, the number of
 * `records:` for a population case; 0 out of range. */
RULEBOOK_API size_t rulebook_test_record_count(const rulebook *rb, size_t i);
/* Facts of record r of case i, in the order written ("_id" included). */
RULEBOOK_API size_t rulebook_test_fact_count(const rulebook *rb, size_t i, size_t r);
RULEBOOK_API const char *rulebook_test_fact_name(const rulebook *rb, size_t i, size_t r,
						 size_t j);
/* The fact's value as written ("1158.1", "31.3 亩", "true"); NULL when it
 * is written null (the input is missing) and out of range. */
RULEBOOK_API const char *rulebook_test_fact_value(const rulebook *rb, size_t i, size_t r,
						  size_t j);
/* Where the fact's name is written; 0 out of range. */
RULEBOOK_API uint32_t rulebook_test_fact_line(const rulebook *rb, size_t i, size_t r, size_t j);
RULEBOOK_API uint32_t rulebook_test_fact_column(const rulebook *rb, size_t i, size_t r,
						size_t j);

/* What an expectation of a case checks (the keys under `expect:`). Values
 * are stable. */
typedef enum rulebook_expect_kind {
	RULEBOOK_EXPECT_VERDICT = 0,        /* verdicts: rule id -> verdict ("exempt:key") */
	RULEBOOK_EXPECT_VALUE = 1,          /* values: input, parameter or indicator -> value */
	RULEBOOK_EXPECT_OBLIGATION = 2,     /* obligations: "rule.obligation" -> value or none */
	RULEBOOK_EXPECT_TARGET = 3,         /* targets: target id -> status */
	RULEBOOK_EXPECT_CLASS = 4,          /* classes: scorecard (or "record.scorecard") -> class */
	RULEBOOK_EXPECT_SCORE = 5,          /* scores: scorecard -> score */
	RULEBOOK_EXPECT_AGGREGATE = 6,      /* aggregates: aggregate -> verdict */
	RULEBOOK_EXPECT_AGGREGATE_VALUE = 7 /* aggregate_values: aggregate -> value */
} rulebook_expect_kind;

/* The expectations of case i, kind by kind in the order of
 * rulebook_expect_kind, each kind's in the order written. */
RULEBOOK_API size_t rulebook_test_expect_count(const rulebook *rb, size_t i);
/* Expectation j's rulebook_expect_kind; -1 out of range. */
RULEBOOK_API int rulebook_test_expect_kind(const rulebook *rb, size_t i, size_t j);
/* What it names (a rule id, a value's name, ...) and the expected text as
 * written ("fail", "37", "exempt:key_chain"); NULL out of range. */
RULEBOOK_API const char *rulebook_test_expect_name(const rulebook *rb, size_t i, size_t j);
RULEBOOK_API const char *rulebook_test_expect_value(const rulebook *rb, size_t i, size_t j);
/* The places a number is compared at ({value: 0.9333, places: 4}): the
 * actual value is rounded half up to them; -1 when compared exactly (and
 * out of range). */
RULEBOOK_API int32_t rulebook_test_expect_places(const rulebook *rb, size_t i, size_t j);
/* Where the expected value is written; 0 out of range. */
RULEBOOK_API uint32_t rulebook_test_expect_line(const rulebook *rb, size_t i, size_t j);
RULEBOOK_API uint32_t rulebook_test_expect_column(const rulebook *rb, size_t i, size_t j);

#ifdef __cplusplus
}
#endif

#endif /* RULEBOOK_H */
