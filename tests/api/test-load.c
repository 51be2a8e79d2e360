/* Loading rulebooks through the public API, and every schema and compile
 * error a rulebook author can make. Positions were worked out by hand from
 * the YAML text: lines and columns are 1-based, columns count bytes (a CJK
 * character counts 3). HDR is five lines, so the text after it starts on
 * line 6. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether err holds a diagnostic with this status, fragment and position. */
static int has_diag(const rulebook_error *err, rulebook_status st, const char *fragment,
		    uint32_t line, uint32_t col)
{
	for (size_t i = 0; i < rulebook_error_count(err); i++)
		if (rulebook_error_status_at(err, i) == st &&
		    contains(rulebook_error_message(err, i), fragment) &&
		    rulebook_error_line(err, i) == line && rulebook_error_column(err, i) == col)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------ */

START_TEST(test_load_minimal)
{
	rulebook *rb = load_str(HDR);
	ck_assert_str_eq(rulebook_id(rb), "t");
	ck_assert_str_eq(rulebook_subject(rb), "enterprise");
	ck_assert_uint_eq(rulebook_rule_count(rb), 0);
	ck_assert_uint_eq(rulebook_input_count(rb), 0);
	rulebook_free(rb);
}
END_TEST

/* Bidirectional controls and zero-width characters in an id are refused
 * at the character, and the message shows them escaped. */
START_TEST(test_invisible_characters_in_ids)
{
	/* U+202E (E2 80 AE) after "ab", which starts at column 10 */
	expect_load_error(HDR "inputs:\n  - {id: ab\xE2\x80\xAE" "cd, type: number}\n",
			  RULEBOOK_ERR_SCHEMA,
			  "input id 'ab<U+202E>cd' contains U+202E, an invisible bidirectional control "
			  "character: not allowed in an identifier",
			  7, 12);
	/* a zero-width space in a quoted rule id: the quote adds one column */
	expect_load_error(HDR "rules:\n  - {id: \"R\xE2\x80\x8B" "1\", cite: c}\n",
			  RULEBOOK_ERR_SCHEMA,
			  "contains U+200B, an invisible zero-width character", 7, 12);
	/* U+2066 (first strong isolate) and U+FEFF inside an exception id */
	expect_load_error(HDR "inputs:\n  - {id: x, type: boolean}\nrules:\n"
			      "  - {id: R, cite: c, unless: [{id: e\xE2\x81\xA6, cite: c, when: x}]}\n",
			  RULEBOOK_ERR_SCHEMA, "U+2066", 9, 37);
	expect_load_error(HDR "parameters:\n  - {id: p\xEF\xBB\xBF, cite: c, provenance: cited, "
			      "value: 1}\n",
			  RULEBOOK_ERR_SCHEMA, "contains U+FEFF", 7, 11);
	/* other non-ASCII letters stay fine */
	rulebook_free(load_str(HDR "inputs:\n  - {id: 亩均税收, type: number}\n"));
}
END_TEST

/* Text for people shows them escaped; JSON keeps them as they are. */
START_TEST(test_invisible_characters_escaped_in_explanation)
{
	rulebook *rb = load_str(HDR "inputs:\n  - {id: x, type: text}\n"
				    "rules:\n  - {id: R, cite: c, require: x == \"a\"}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_int_eq(rulebook_facts_set_id(f, "evil\xE2\x80\xAEgnp.exe", 14), RULEBOOK_OK);
	eval_ok(rb, f, 20230101, res);
	const char *text = NULL;
	ck_assert_int_eq(rulebook_result_explain(res, RULEBOOK_OUT_LANG_EN, &text, NULL), RULEBOOK_OK);
	ck_assert_msg(strstr(text, "record evil<U+202E>gnp.exe") != NULL, "%s", text);
	ck_assert_ptr_null(strstr(text, "\xE2\x80\xAE"));
	const char *json = NULL;
	ck_assert_int_eq(rulebook_result_json(res, 0, &json, NULL), RULEBOOK_OK);
	ck_assert_ptr_nonnull(strstr(json, "evil\xE2\x80\xAEgnp.exe"));
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_load_file)
{
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(fixture_path("enterprise.yaml"), NULL, &rb, err),
			 RULEBOOK_OK);
	ck_assert_ptr_nonnull(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_assert_str_eq(rulebook_id(rb), "test.enterprise");
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_load_buffer_not_terminated)
{
	/* The buffer need not be NUL-terminated: only len bytes are read. */
	size_t len = strlen(HDR);
	char *copy = malloc(len + 8);
	memcpy(copy, HDR, len);
	memcpy(copy + len, "colour:", 7);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(copy, len, "t.yaml", NULL, &rb, NULL), RULEBOOK_OK);
	free(copy);
	/* The bytes are not referenced after the call. */
	ck_assert_str_eq(rulebook_id(rb), "t");
	rulebook_free(rb);
}
END_TEST

START_TEST(test_load_buffer_null_name)
{
	const char *yaml = HDR "colour: red\n";
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(yaml, strlen(yaml), NULL, NULL, &rb, err),
			 RULEBOOK_ERR_SCHEMA);
	ck_assert_ptr_null(rb);
	check_diag(err, 0, RULEBOOK_ERR_SCHEMA, "unknown key 'colour'", "<buffer>", 6, 1);
	/* Also fine on success. */
	ck_assert_int_eq(rulebook_load_buffer(HDR, strlen(HDR), NULL, NULL, &rb, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_load_missing_file)
{
	const char *path = fixture_path("does-not-exist.yaml");
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", path);
	rulebook_error *err = rulebook_error_new();
	rulebook *rb = (rulebook *)&rb;
	ck_assert_int_eq(rulebook_load_file(copy, NULL, &rb, err), RULEBOOK_ERR_IO);
	ck_assert_ptr_null(rb);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_IO);
	ck_assert_str_eq(rulebook_error_file(err, 0), copy);
	ck_assert(contains(rulebook_error_message(err, 0), "does-not-exist.yaml"));
	ck_assert_uint_eq(rulebook_error_line(err, 0), 0);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 0);
	/* A directory cannot be read as a rulebook either. */
	ck_assert_int_eq(rulebook_load_file(source_path("tests/api/fixtures"), NULL, &rb, NULL),
			 RULEBOOK_ERR_IO);
	ck_assert_ptr_null(rb);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_load_yaml_syntax)
{
	/* An unterminated flow sequence. */
	rulebook_error *err = load_fail(HDR "inputs: [a, b\n", RULEBOOK_ERR_SYNTAX, 1);
	ck_assert_str_eq(rulebook_error_file(err, 0), "t.yaml");
	ck_assert_uint_ge(rulebook_error_line(err, 0), 6);
	rulebook_error_free(err);
	expect_load_error("", RULEBOOK_ERR_SCHEMA, "empty document", 1, 1);
	expect_load_error("- 1\n- 2\n", RULEBOOK_ERR_SCHEMA, "must be a mapping", 1, 1);
}
END_TEST

/* ------------------------------------------------------------------------
 * Schema errors
 * ------------------------------------------------------------------------ */

START_TEST(test_unknown_key)
{
	expect_load_error(HDR "colour: red\n", RULEBOOK_ERR_SCHEMA,
			  "unknown key 'colour' in the rulebook", 6, 1);
	/* The message lists the keys that are allowed. */
	rulebook_error *err = load_fail(HDR "colour: red\n", RULEBOOK_ERR_SCHEMA, 1);
	const char *msg = rulebook_error_message(err, 0);
	ck_assert(contains(msg, "rulebook"));
	ck_assert(contains(msg, "subject"));
	ck_assert(contains(msg, "inputs"));
	ck_assert(contains(msg, "tests"));
	rulebook_error_free(err);

	expect_load_error(HDR
			  "inputs:\n"          /* 6 */
			  "  - id: tax\n"      /* 7 */
			  "    type: number\n" /* 8 */
			  "    colour: red\n", /* 9: key at column 5 */
			  RULEBOOK_ERR_SCHEMA, "unknown key 'colour' in input", 9, 5);
}
END_TEST

START_TEST(test_duplicate_key)
{
	expect_load_error(HDR "id: again\n", RULEBOOK_ERR_SCHEMA, "duplicate key 'id' (first at line 2)",
			  6, 1);
	expect_load_error(HDR
			  "inputs:\n"          /* 6 */
			  "  - id: tax\n"      /* 7 */
			  "    type: number\n" /* 8 */
			  "    type: text\n",  /* 9 */
			  RULEBOOK_ERR_SCHEMA, "duplicate key 'type' (first at line 8)", 9, 5);
}
END_TEST

START_TEST(test_missing_required_key)
{
	/* Reported at the mapping that lacks the key. */
	expect_load_error("rulebook: 1\n"
			  "id: t\n"
			  "title: T\n"
			  "source: {issuer: X, document: D, issued: 2022-05-19}\n",
			  RULEBOOK_ERR_SCHEMA, "missing required key 'subject' in the rulebook", 1, 1);
	expect_load_error("rulebook: 1\n"
			  "id: t\n"
			  "title: T\n"
			  "subject: enterprise\n"
			  "source: {issuer: X, document: D}\n", /* '{' at column 9 */
			  RULEBOOK_ERR_SCHEMA, "missing required key 'issued' in source", 5, 9);
	expect_load_error(HDR
			  "parameters:\n"           /* 6 */
			  "  - id: p\n"             /* 7: the mapping starts at column 5 */
			  "    provenance: cited\n" /* 8 */
			  "    value: 1\n",         /* 9 */
			  RULEBOOK_ERR_SCHEMA, "missing required key 'cite' in parameter", 7, 5);
}
END_TEST

START_TEST(test_wrong_kind)
{
	expect_load_error(HDR
			  "inputs:\n"          /* 6 */
			  "  - id: [a, b]\n"   /* 7: '[' at column 9 */
			  "    type: number\n",
			  RULEBOOK_ERR_SCHEMA, "'id' in input must be a scalar, not a list", 7, 9);
	expect_load_error(HDR "inputs: {id: x}\n", /* '{' at column 9 */
			  RULEBOOK_ERR_SCHEMA, "'inputs' in the rulebook must be a list, not a mapping", 6,
			  9);
}
END_TEST

START_TEST(test_bad_boolean)
{
	expect_load_error(HDR
			  "inputs:\n"          /* 6 */
			  "  - id: flag\n"     /* 7 */
			  "    type: boolean\n"/* 8 */
			  "    required: yes\n",/* 9: 'yes' at column 15 */
			  RULEBOOK_ERR_SCHEMA, "required must be true or false", 9, 15);
	/* A quoted "true" is text, not a boolean. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - id: flag\n"
			  "    type: boolean\n"
			  "    required: \"true\"\n",
			  RULEBOOK_ERR_SCHEMA, "required must be true or false", 9, 15);
}
END_TEST

START_TEST(test_bad_date)
{
	/* "in_force: {from: " is 17 bytes: the date starts at column 18. */
	expect_load_error(HDR "in_force: {from: 2023-02-30}\n", RULEBOOK_ERR_SCHEMA, "2023-02-30", 6, 18);
	expect_load_error(HDR "in_force: {from: 2023-02-30}\n", RULEBOOK_ERR_SCHEMA,
			  "in_force.from must be a date", 6, 18);
	/* until before from: at the until date. */
	expect_load_error(HDR "in_force: {from: 2023-01-01, until: 2022-12-31}\n", RULEBOOK_ERR_SCHEMA,
			  "before", 6, 37);
}
END_TEST

START_TEST(test_bad_parameter_number)
{
	/* "    value: " is 11 bytes: the value starts at column 12; the error
	 * points at the offending character. */
	expect_load_error(HDR
			  "parameters:\n"           /* 6 */
			  "  - id: p\n"             /* 7 */
			  "    cite: 二\n"          /* 8 */
			  "    provenance: cited\n" /* 9 */
			  "    value: abc\n",       /* 10 */
			  RULEBOOK_ERR_VALUE, "value 'abc' of parameter 'p' is not a decimal number", 10,
			  12);
	expect_load_error(HDR
			  "parameters:\n"
			  "  - id: p\n"
			  "    cite: 二\n"
			  "    provenance: cited\n"
			  "    value: 1,5\n", /* ',' at column 13 */
			  RULEBOOK_ERR_VALUE, "'1,5'", 10, 13);
	rulebook_error *err = load_fail(HDR
					"parameters:\n"
					"  - id: p\n"
					"    cite: 二\n"
					"    provenance: cited\n"
					"    value: 1e999\n",
					RULEBOOK_ERR_RANGE, 1);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 10);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "p");
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_more_schema_errors)
{
	/* Dated values out of order: "      - {from: " is 15 bytes. */
	expect_load_error(HDR
			  "parameters:\n"                           /* 6 */
			  "  - id: p\n"                             /* 7 */
			  "    cite: 一\n"                          /* 8 */
			  "    provenance: cited\n"                 /* 9 */
			  "    values:\n"                           /* 10 */
			  "      - {from: 2023-01-01, value: 1}\n"  /* 11 */
			  "      - {from: 2022-01-01, value: 2}\n", /* 12 */
			  RULEBOOK_ERR_SCHEMA, "increasing order", 12, 16);
	/* A unit on a text input: the unit's value at column 34. */
	expect_load_error(HDR "inputs:\n  - {id: name, type: text, unit: 万元}\n", RULEBOOK_ERR_SCHEMA,
			  "only numbers have units", 7, 34);
	/* An unknown type: "type: " ends at column 21. */
	expect_load_error(HDR "inputs:\n  - {id: name, type: string}\n", RULEBOOK_ERR_SCHEMA,
			  "input type must be one of", 7, 22);
	/* An enum without values, reported at the input's mapping. */
	expect_load_error(HDR "inputs:\n  - {id: sector, type: enum}\n", RULEBOOK_ERR_SCHEMA,
			  "needs 'values'", 7, 5);
	/* A severity that does not exist: the value at column 15. */
	expect_load_error(HDR "rules:\n  - id: R\n    cite: 一\n    severity: high\n",
			  RULEBOOK_ERR_SCHEMA, "severity must be one of", 9, 15);
}
END_TEST

START_TEST(test_more_unit_errors)
{
	/* An unknown unit: "    unit: " is 10 bytes. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - id: land\n"
			  "    type: number\n"
			  "    unit: furlong\n",
			  RULEBOOK_ERR_UNIT, "unknown unit", 9, 11);
	/* A numeric indicator with a dimension must declare its unit: at its
	 * id, column 10. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: tax, type: number, unit: 万元}\n"
			  "indicators:\n"
			  "  - {id: x, expr: tax * 2}\n",
			  RULEBOOK_ERR_UNIT, "declare its unit", 9, 10);
	/* Declared in a unit of another dimension: at the unit, column 34. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: tax, type: number, unit: 万元}\n"
			  "indicators:\n"
			  "  - {id: x, expr: tax * 2, unit: 亩}\n",
			  RULEBOOK_ERR_UNIT, "亩", 9, 34);
	/* Energy bases never mix. */
	rulebook_error *err = load_fail(HDR
					"inputs:\n"
					"  - {id: a, type: number, unit: tce(等价值)}\n"
					"  - {id: b, type: number, unit: tce(当量值)}\n"
					"rules:\n"
					"  - {id: R, cite: 一, require: a >= b}\n",
					RULEBOOK_ERR_UNIT, 1);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 10);
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_invalid_identifier)
{
	expect_load_error("rulebook: 1\n"
			  "id: 9abc\n" /* column 5 */
			  "title: T\n"
			  "subject: enterprise\n"
			  "source: {issuer: X, document: D, issued: 2022-05-19}\n",
			  RULEBOOK_ERR_SCHEMA, "not a valid identifier", 2, 5);
}
END_TEST

START_TEST(test_format_version)
{
	expect_load_error("rulebook: 2\n"
			  "id: t\n"
			  "title: T\n"
			  "subject: enterprise\n"
			  "source: {issuer: X, document: D, issued: 2022-05-19}\n",
			  RULEBOOK_ERR_SCHEMA, "unsupported rulebook format version '2'", 1, 11);
}
END_TEST

START_TEST(test_illustrative_without_note)
{
	rulebook_error *err = load_fail(HDR
					"parameters:\n"                  /* 6 */
					"  - id: p\n"                    /* 7 */
					"    cite: 二\n"                 /* 8 */
					"    provenance: illustrative\n" /* 9 */
					"    value: 1\n",                /* 10 */
					RULEBOOK_ERR_SCHEMA, 1);
	check_diag(err, 0, RULEBOOK_ERR_SCHEMA, "illustrative parameter 'p' needs a 'note'", "t.yaml",
		   7, 5);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "p");
	rulebook_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Compile errors
 * ------------------------------------------------------------------------ */

#define TAX_RULE(req)                                  \
	HDR "inputs:\n"                                /* 6 */ \
	"  - {id: tax, type: number, unit: 万元}\n"    /* 7 */ \
	"rules:\n"                                     /* 8 */ \
	"  - id: R1\n"                                 /* 9 */ \
	"    cite: 一\n"                               /* 10 */ \
	"    require: " req "\n"                       /* 11: the expression starts at column 14 */

START_TEST(test_unknown_name)
{
	/* "tax >= " is 7 bytes: 'limit' at column 14 + 7 = 21. */
	expect_load_error(TAX_RULE("tax >= limit"), RULEBOOK_ERR_NAME, "unknown name 'limit'", 11, 21);
	/* Double-quoted: one more column for the quote. */
	expect_load_error(TAX_RULE("\"tax >= limit\""), RULEBOOK_ERR_NAME, "unknown name 'limit'", 11,
			  22);
	/* Literal block: content lines are indented 6 and 8. */
	expect_load_error(HDR
			  "inputs:\n"                               /* 6 */
			  "  - {id: tax, type: number, unit: 万元}\n" /* 7 */
			  "rules:\n"                                /* 8 */
			  "  - id: R1\n"                            /* 9 */
			  "    cite: 一\n"                          /* 10 */
			  "    require: |\n"                        /* 11 */
			  "      tax >=\n"                          /* 12 */
			  "        limit\n",                        /* 13: column 9 */
			  RULEBOOK_ERR_NAME, "unknown name 'limit'", 13, 9);
	/* In an indicator. */
	expect_load_error(HDR
			  "inputs:\n"                               /* 6 */
			  "  - {id: tax, type: number, unit: 万元}\n" /* 7 */
			  "indicators:\n"                           /* 8 */
			  "  - {id: x, expr: tax * ratio}\n",       /* 9: 'ratio' at column 25 */
			  RULEBOOK_ERR_NAME, "unknown name 'ratio'", 9, 25);
}
END_TEST

START_TEST(test_columns_count_bytes)
{
	/* "税收 >= " is 3 + 3 + 4 = 10 bytes: 'limit' at column 14 + 10. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: 税收, type: number, unit: 万元}\n"
			  "rules:\n"
			  "  - id: R1\n"
			  "    cite: 一\n"
			  "    require: 税收 >= limit\n",
			  RULEBOOK_ERR_NAME, "unknown name 'limit'", 11, 24);
}
END_TEST

START_TEST(test_crlf_and_bom)
{
	/* CRLF line ends count as one line break. */
	const char *crlf = "rulebook: 1\r\n"
			   "id: t\r\n"
			   "title: T\r\n"
			   "subject: enterprise\r\n"
			   "source: {issuer: X, document: D, issued: 2022-05-19}\r\n"
			   "inputs:\r\n"
			   "  - {id: tax, type: number}\r\n"
			   "rules:\r\n"
			   "  - id: R1\r\n"
			   "    cite: 一\r\n"
			   "    require: tax >= limit\r\n";
	expect_load_error(crlf, RULEBOOK_ERR_NAME, "unknown name 'limit'", 11, 21);
	/* Columns start after a byte order mark. */
	expect_load_error("\xEF\xBB\xBF" HDR "colour: red\n", RULEBOOK_ERR_SCHEMA, "colour", 6, 1);
	expect_load_error("\xEF\xBB\xBFrulebook: 2\n"
			  "id: t\n"
			  "title: T\n"
			  "subject: enterprise\n"
			  "source: {issuer: X, document: D, issued: 2022-05-19}\n",
			  RULEBOOK_ERR_SCHEMA, "version '2'", 1, 11);
}
END_TEST

START_TEST(test_expression_syntax)
{
	/* '=' of "=>" at column 14 + 4 = 18. */
	expect_load_error(TAX_RULE("tax => 37"), RULEBOOK_ERR_EXPR, "'=='", 11, 18);
	/* The second '<' at offset 20. */
	expect_load_error(TAX_RULE("1 < tax and tax < 3 < 4"), RULEBOOK_ERR_EXPR, "do not chain", 11,
			  14 + 20);
	/* An unknown character at column 14 + 4 = 18. */
	expect_load_error(TAX_RULE("tax & 3"), RULEBOOK_ERR_EXPR, "'and'", 11, 18);
}
END_TEST

START_TEST(test_unit_mismatch)
{
	rulebook_error *err = load_fail(HDR
					"inputs:\n" /* 6 */
					"  - {id: tax, type: number, unit: 万元}\n"
					"parameters:\n" /* 8 */
					"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
					"rules:\n"      /* 10 */
					"  - id: R1\n"  /* 11 */
					"    cite: 二\n" /* 12 */
					"    require: tax >= min_mu_tax\n", /* 13 */
					RULEBOOK_ERR_UNIT, 1);
	ck_assert(contains(rulebook_error_message(err, 0), "cannot compare"));
	ck_assert_str_eq(rulebook_error_file(err, 0), "t.yaml");
	ck_assert_uint_eq(rulebook_error_line(err, 0), 13);
	rulebook_error_free(err);
}
END_TEST

/* "A compile error at the position of the operator". */
START_TEST(test_unit_mismatch_column_at_operator)
{
	/* ">=" at column 14 + 4 = 18. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: tax, type: number, unit: 万元}\n"
			  "parameters:\n"
			  "  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
			  "rules:\n"
			  "  - id: R1\n"
			  "    cite: 二\n"
			  "    require: tax >= min_mu_tax\n",
			  RULEBOOK_ERR_UNIT, "cannot compare", 13, 18);
	/* '+' in "  - {id: x, expr: tax + land, unit: 万元}" at column 23. */
	expect_load_error(HDR
			  "inputs:\n"                               /* 6 */
			  "  - {id: tax, type: number, unit: 万元}\n" /* 7 */
			  "  - {id: land, type: number, unit: 亩}\n"  /* 8 */
			  "indicators:\n"                           /* 9 */
			  "  - {id: x, expr: tax + land, unit: 万元}\n", /* 10 */
			  RULEBOOK_ERR_UNIT, "cannot add", 10, 23);
}
END_TEST

START_TEST(test_energy_without_basis)
{
	/* "    unit: " is 10 bytes. */
	expect_load_error(HDR
			  "inputs:\n"          /* 6 */
			  "  - id: energy\n"   /* 7 */
			  "    type: number\n" /* 8 */
			  "    unit: tce\n",   /* 9 */
			  RULEBOOK_ERR_UNIT, "basis", 9, 11);
	/* In an expression: "energy >= 3 [" is 13 bytes, the unit at 14 + 13. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: energy, type: number, unit: tce(等价值)}\n"
			  "rules:\n"
			  "  - id: R1\n"
			  "    cite: 一\n"
			  "    require: energy >= 3 [tce]\n",
			  RULEBOOK_ERR_UNIT, "basis", 11, 27);
}
END_TEST

START_TEST(test_indicator_cycle)
{
	rulebook_error *err = load_fail(HDR
					"indicators:\n"                /* 6 */
					"  - {id: a, expr: b + 1}\n"   /* 7: 'a' at column 10 */
					"  - {id: b, expr: a + 1}\n",  /* 8 */
					RULEBOOK_ERR_CYCLE, 1);
	check_diag(err, 0, RULEBOOK_ERR_CYCLE, "indicator 'a' depends on itself", "t.yaml", 7, 10);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "a");
	rulebook_error_free(err);
	/* Self-reference. */
	expect_load_error(HDR "indicators:\n  - {id: a, expr: a * 2}\n", RULEBOOK_ERR_CYCLE,
			  "indicator 'a'", 7, 10);
	/* Order of declaration does not matter without a cycle. */
	rulebook *rb = load_str(HDR
				"indicators:\n"
				"  - {id: a, expr: b + 1}\n"
				"  - {id: b, expr: 2}\n");
	rulebook_free(rb);
}
END_TEST

START_TEST(test_duplicate_ids)
{
	expect_load_error(HDR
			  "inputs:\n"                      /* 6 */
			  "  - {id: tax, type: number}\n"  /* 7 */
			  "  - {id: tax, type: number}\n", /* 8: 'tax' at column 10 */
			  RULEBOOK_ERR_NAME, "'tax' is already defined", 8, 10);
	expect_load_error(HDR
			  "inputs:\n"                    /* 6 */
			  "  - {id: x, type: number}\n"  /* 7 */
			  "parameters:\n"                /* 8 */
			  "  - {id: x, cite: 一, provenance: cited, value: 1}\n", /* 9 */
			  RULEBOOK_ERR_NAME, "'x' is already defined", 9, 10);
	expect_load_error(HDR
			  "rules:\n"         /* 6 */
			  "  - id: R1\n"     /* 7 */
			  "    cite: 一\n"   /* 8 */
			  "  - id: R1\n"     /* 9: 'R1' at column 9 */
			  "    cite: 二\n",
			  RULEBOOK_ERR_NAME, "rule 'R1' is already defined", 9, 9);
}
END_TEST

START_TEST(test_reserved_word)
{
	expect_load_error(HDR "inputs:\n  - {id: gap, type: number}\n", RULEBOOK_ERR_NAME,
			  "'gap' is a reserved word", 7, 10);
	expect_load_error(HDR "inputs:\n  - {id: as_of, type: date}\n", RULEBOOK_ERR_NAME,
			  "'as_of' is a reserved word", 7, 10);
	expect_load_error(HDR "indicators:\n  - {id: in, expr: 1}\n", RULEBOOK_ERR_NAME,
			  "'in' is a reserved word", 7, 10);
}
END_TEST

START_TEST(test_unknown_placeholder)
{
	/* "    message: {zh: \"" is 19 bytes; "税收 {" 8 more: 't' at 28. */
	rulebook_error *err = load_fail(HDR
					"inputs:\n"                               /* 6 */
					"  - {id: tax, type: number, unit: 万元}\n" /* 7 */
					"rules:\n"                                /* 8 */
					"  - id: R1\n"                            /* 9 */
					"    cite: 一\n"                          /* 10 */
					"    require: tax >= 1\n"                 /* 11 */
					"    message: {zh: \"税收 {taxx}\"}\n",   /* 12 */
					RULEBOOK_ERR_NAME, 1);
	check_diag(err, 0, RULEBOOK_ERR_NAME, "unknown name '{taxx}'", "t.yaml", 12, 28);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "R1");
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_enum_string)
{
	/* "sector == " is 10 bytes: the string at column 24. */
	expect_load_error(HDR
			  "inputs:\n"                                          /* 6 */
			  "  - {id: sector, type: enum, values: [纺织, 化工]}\n" /* 7 */
			  "rules:\n"                                           /* 8 */
			  "  - id: R1\n"                                       /* 9 */
			  "    cite: 一\n"                                     /* 10 */
			  "    require: sector == \"钢铁\"\n",                 /* 11 */
			  RULEBOOK_ERR_TYPE, "\"钢铁\" is not a value of enum input 'sector'", 11, 24);
	/* Inside 'in' (single-quoted, so one more column): the second item's
	 * quote is at offset 21. */
	expect_load_error(HDR
			  "inputs:\n"
			  "  - {id: sector, type: enum, values: [纺织, 化工]}\n"
			  "rules:\n"
			  "  - id: R1\n"
			  "    cite: 一\n"
			  "    require: 'sector in [\"纺织\", \"钢铁\"]'\n",
			  RULEBOOK_ERR_TYPE, "\"钢铁\"", 11, 14 + 1 + 21);
}
END_TEST

START_TEST(test_function_arity)
{
	expect_load_error(TAX_RULE("abs(tax, 1) >= 1"), RULEBOOK_ERR_EXPR, "abs() takes one argument",
			  11, 14);
	expect_load_error(TAX_RULE("clamp(tax, 1) >= 1"), RULEBOOK_ERR_EXPR, "clamp()", 11, 14);
	/* "tax >= " then round( at column 21. */
	expect_load_error(TAX_RULE("tax >= round(1, 2, 3)"), RULEBOOK_ERR_EXPR, "round()", 11, 21);
	expect_load_error(TAX_RULE("tax >= frobnicate(1)"), RULEBOOK_ERR_NAME, "unknown function", 11,
			  21);
	/* round() places from -30 to 30: the second argument at 14 + 11. */
	expect_load_error(TAX_RULE("round(tax, 31) >= 1"), RULEBOOK_ERR_EXPR, "-30 to 30", 11, 25);
	expect_load_error(TAX_RULE("round(tax, -31) >= 1"), RULEBOOK_ERR_EXPR, "-30 to 30", 11, 25);
	expect_load_error(TAX_RULE("round(tax, 0.5) >= 1"), RULEBOOK_ERR_EXPR, "-30 to 30", 11, 25);
}
END_TEST

START_TEST(test_type_errors)
{
	/* 'and' needs conditions: the number operand at column 14 + 13. */
	expect_load_error(TAX_RULE("tax >= 1 and tax"), RULEBOOK_ERR_TYPE, "needs a boolean", 11, 27);
	/* require must be a condition: reported at the expression. */
	expect_load_error(TAX_RULE("tax * 2"), RULEBOOK_ERR_TYPE, "must be a condition", 11, 14);
}
END_TEST

START_TEST(test_several_errors)
{
	/* Schema errors of one file are all reported. */
	rulebook_error *err = load_fail(HDR
					"colour: red\n"                  /* 6 */
					"inputs:\n"                      /* 7 */
					"  - id: flag\n"                 /* 8 */
					"    type: boolean\n"            /* 9 */
					"    required: yes\n"            /* 10 */
					"in_force: {from: 2023-02-30}\n", /* 11 */
					RULEBOOK_ERR_SCHEMA, 3);
	ck_assert(has_diag(err, RULEBOOK_ERR_SCHEMA, "unknown key 'colour'", 6, 1));
	ck_assert(has_diag(err, RULEBOOK_ERR_SCHEMA, "required must be true or false", 10, 15));
	ck_assert(has_diag(err, RULEBOOK_ERR_SCHEMA, "2023-02-30", 11, 18));
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(rulebook_error_file(err, i), "t.yaml");
	rulebook_error_free(err);

	/* So are compile errors. */
	err = load_fail(HDR
			"inputs:\n"                               /* 6 */
			"  - {id: tax, type: number, unit: 万元}\n" /* 7 */
			"rules:\n"                                /* 8 */
			"  - id: R1\n"                            /* 9 */
			"    cite: 一\n"                          /* 10 */
			"    require: tax >= limit\n"             /* 11: column 21 */
			"  - id: R2\n"                            /* 12 */
			"    cite: 二\n"                          /* 13 */
			"    require: taxes >= 1\n",              /* 14: column 14 */
			RULEBOOK_ERR_NAME, 2);
	ck_assert(has_diag(err, RULEBOOK_ERR_NAME, "'limit'", 11, 21));
	ck_assert(has_diag(err, RULEBOOK_ERR_NAME, "'taxes'", 14, 14));
	rulebook_error_free(err);
}
END_TEST

/* The subject is "the id of the rule ... involved". */
START_TEST(test_expression_error_subject)
{
	rulebook_error *err = load_fail(TAX_RULE("tax >= limit"), RULEBOOK_ERR_NAME, 1);
	ck_assert_ptr_nonnull(rulebook_error_subject(err, 0));
	ck_assert_str_eq(rulebook_error_subject(err, 0), "R1");
	rulebook_error_free(err);
	err = load_fail(HDR "indicators:\n  - {id: x, expr: 2 * ratio}\n", RULEBOOK_ERR_NAME, 1);
	ck_assert_ptr_nonnull(rulebook_error_subject(err, 0));
	ck_assert_str_eq(rulebook_error_subject(err, 0), "x");
	rulebook_error_free(err);
}
END_TEST

START_TEST(test_error_object_reused)
{
	/* Each call that receives the error object clears it first. */
	rulebook_error *err = load_fail(HDR "colour: red\n", RULEBOOK_ERR_SCHEMA, 1);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_buffer(HDR, strlen(HDR), "t.yaml", NULL, &rb, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_OK);
	rulebook_free(rb);
	rulebook_error_free(err);
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, test_load_minimal);
	tcase_add_test(tc, test_invisible_characters_in_ids);
	tcase_add_test(tc, test_invisible_characters_escaped_in_explanation);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_load_buffer_not_terminated);
	tcase_add_test(tc, test_load_buffer_null_name);
	tcase_add_test(tc, test_load_missing_file);
	tcase_add_test(tc, test_load_yaml_syntax);
	tcase_add_test(tc, test_error_object_reused);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_test(tc, test_missing_required_key);
	tcase_add_test(tc, test_wrong_kind);
	tcase_add_test(tc, test_bad_boolean);
	tcase_add_test(tc, test_bad_date);
	tcase_add_test(tc, test_bad_parameter_number);
	tcase_add_test(tc, test_invalid_identifier);
	tcase_add_test(tc, test_more_schema_errors);
	tcase_add_test(tc, test_format_version);
	tcase_add_test(tc, test_illustrative_without_note);
	tcase_add_test(tc, test_several_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("compile");
	tcase_add_test(tc, test_unknown_name);
	tcase_add_test(tc, test_columns_count_bytes);
	tcase_add_test(tc, test_crlf_and_bom);
	tcase_add_test(tc, test_expression_syntax);
	tcase_add_test(tc, test_unit_mismatch);
	tcase_add_test(tc, test_energy_without_basis);
	tcase_add_test(tc, test_more_unit_errors);
	tcase_add_test(tc, test_indicator_cycle);
	tcase_add_test(tc, test_duplicate_ids);
	tcase_add_test(tc, test_reserved_word);
	tcase_add_test(tc, test_unknown_placeholder);
	tcase_add_test(tc, test_enum_string);
	tcase_add_test(tc, test_function_arity);
	tcase_add_test(tc, test_type_errors);
	tcase_add_test(tc, test_unit_mismatch_column_at_operator);
	tcase_add_test(tc, test_expression_error_subject);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(load_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
