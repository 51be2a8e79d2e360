/* Lists in the rule language: list inputs, folds over them (count, sum,
 * min, max, any, all, with conditions and values per element), facts from
 * C, JSON and one-cell text, compile errors with positions, explanations
 * and JSON output, limits, extends and the embedded tests. Every expected
 * value is worked out by hand in a comment. */
#include "common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HDR (5 lines), then: */
#define LISTS                                                                      \
	HDR "units:\n"                                          /* line 6 */      \
	    "  - {id: m, base: true}\n"                         /* line 7 */      \
	    "inputs:\n"                                         /* line 8 */      \
	    "  - {id: hs, type: list, of: number, unit: m}\n"   /* line 9 */      \
	    "  - {id: fs, type: list, of: enum, values: [食堂, 宿舍, 办公楼]}\n"  \
	    "  - {id: names, type: list, of: text}\n"           /* line 11 */     \
	    "  - id: st\n"                                      /* line 12 */     \
	    "    type: list\n"                                                     \
	    "    fields:\n"                                                        \
	    "      - {id: height, type: number, unit: m}\n"                        \
	    "      - {id: area, type: number, unit: m²}\n"                         \
	    "      - {id: use, type: enum, values: [生产, 仓储]}\n" /* line 17 */  \
	    "  - {id: x, type: number, unit: m}\n"              /* line 18 */     \
	    "  - {id: flags, type: list, of: boolean}\n"        /* line 19 */     \
	    "parameters:\n"                                     /* line 20 */     \
	    "  - {id: tall, unit: m, cite: A1, provenance: illustrative, value: 8, note: a test value}\n"

/* A rulebook of LISTS with one indicator v = expr (in unit, "" for none)
 * and one rule R requiring cond ("" for none), evaluated on json. */
typedef struct run {
	rulebook *rb;
	rulebook_facts *f;
	rulebook_result *res;
} run;

static run start(const char *expr, const char *unit, const char *cond)
{
	char yaml[8192];
	int n = snprintf(yaml, sizeof yaml,
			 LISTS "indicators:\n  - {id: v, expr: '%s'%s%s}\nrules:\n"
			       "  - {id: R, cite: A1, require: '%s'}\n",
			 expr, unit[0] ? ", unit: " : "", unit, cond[0] ? cond : "true");
	ck_assert(n > 0 && (size_t)n < sizeof yaml);
	run r = {.rb = load_str(yaml)};
	r.f = rulebook_facts_new(r.rb);
	r.res = rulebook_result_new(r.rb);
	ck_assert_ptr_nonnull(r.f);
	ck_assert_ptr_nonnull(r.res);
	return r;
}

static void stop(run *r)
{
	rulebook_result_free(r->res);
	rulebook_facts_free(r->f);
	rulebook_free(r->rb);
}

/* The value of v with the facts in json, NULL when missing. */
static const char *value_with(run *r, const char *json)
{
	rulebook_facts_clear(r->f);
	set_json(r->f, json);
	eval_ok(r->rb, r->f, 20230630, r->res);
	return rulebook_result_value(r->res, "v");
}

static void expect_value(const char *expr, const char *unit, const char *json, const char *want)
{
	run r = start(expr, unit, "");
	const char *got = value_with(&r, json);
	if (want)
		ck_assert_msg(got && strcmp(got, want) == 0, "%s on %s: %s, wanted %s", expr, json,
			      got ? got : "(missing)", want);
	else
		ck_assert_msg(got == NULL, "%s on %s: %s, wanted missing", expr, json, got);
	stop(&r);
}

/* ---- folds ---- */

#define HEIGHTS "{\"hs\": [3.5, 9, 4.5, 10]}"

START_TEST(test_plain_folds)
{
	/* 3.5 + 9 + 4.5 + 10 = 27; four elements; least 3.5, greatest 10 */
	expect_value("sum(hs)", "m", HEIGHTS, "27");
	expect_value("count(hs)", "", HEIGHTS, "4");
	expect_value("min(hs)", "m", HEIGHTS, "3.5");
	expect_value("max(hs)", "m", HEIGHTS, "10");
	/* booleans: one true → any; not all */
	expect_value("any(flags)", "", "{\"flags\": [false, true]}", "true");
	expect_value("all(flags)", "", "{\"flags\": [false, true]}", "false");
}
END_TEST

START_TEST(test_filtered_folds)
{
	/* over 8 m: 9 and 10 → two of them, summing to 19 */
	expect_value("count(h in hs where h > 8 [m])", "", HEIGHTS, "2");
	expect_value("sum(h in hs where h > 8)", "m", HEIGHTS, "19");
	/* a parameter in the condition: tall = 8 m */
	expect_value("count(h in hs where h > tall)", "", HEIGHTS, "2");
	/* the least over 4 m is 4.5; the greatest under 9.5 m is 9 */
	expect_value("min(h in hs where h > 4)", "m", HEIGHTS, "4.5");
	expect_value("max(h in hs where h < 9.5)", "m", HEIGHTS, "9");
	/* any / all: the condition is the test */
	expect_value("any(f in fs where f == \"食堂\")", "", "{\"fs\": [\"宿舍\", \"食堂\"]}", "true");
	expect_value("any(f in fs where f == \"办公楼\")", "", "{\"fs\": [\"宿舍\", \"食堂\"]}", "false");
	expect_value("all(h in hs where h <= 24)", "", HEIGHTS, "true");
	expect_value("all(h in hs where h <= 9.5)", "", HEIGHTS, "false");
	/* text elements */
	expect_value("count(n in names where n == \"A 栋\")", "", "{\"names\": [\"A 栋\", \"B 栋\", \"A 栋\"]}", "2");
	/* units convert exactly: 0.5 m² is not comparable, but 9 m is 9 m;
	 * a sum in m converted to an indicator unit of m is 27 */
	expect_value("sum(h in hs where h >= 9 [m])", "m", HEIGHTS, "19");
}
END_TEST

START_TEST(test_records)
{
	/* storeys 9 m × 300 m² (over 8 m: counts twice, 600) and 4 m × 500 m²:
	 * floor area 600 + 500 = 1100 m² */
	const char *storeys = "{\"st\": [{\"height\": 9, \"area\": 300, \"use\": \"生产\"},"
			      " {\"height\": 4, \"area\": 500, \"use\": \"仓储\"}]}";
	expect_value("sum(if s.height > tall then 2 * s.area else s.area for s in st)", "m²",
		     storeys, "1100");
	/* only production storeys: 600 */
	expect_value("sum(if s.height > tall then 2 * s.area else s.area for s in st where "
		     "s.use == \"生产\")", "m²", storeys, "600");
	expect_value("sum(s.area for s in st)", "m²", storeys, "800");
	expect_value("count(s in st where s.height > 8)", "", storeys, "1");
	expect_value("max(s.height for s in st)", "m", storeys, "9");
	/* for any/all a value before 'for' is the test, where selects */
	expect_value("all(s.height <= 8 for s in st where s.use == \"仓储\")", "", storeys, "true");
	expect_value("all(s.height <= 8 for s in st)", "", storeys, "false");
	/* a field a record leaves out is missing: sum of areas undecided */
	expect_value("sum(s.area for s in st)", "m²", "{\"st\": [{\"height\": 9}, {\"area\": 5}]}", NULL);
}
END_TEST

START_TEST(test_empty_lists)
{
	/* count 0; sum 0 in the list's unit; min and max have no value */
	expect_value("count(hs)", "", "{\"hs\": []}", "0");
	expect_value("sum(hs)", "m", "{\"hs\": []}", "0");
	expect_value("min(hs)", "m", "{\"hs\": []}", NULL);
	expect_value("max(h in hs where h > 100)", "m", HEIGHTS, NULL);
	expect_value("any(flags)", "", "{\"flags\": []}", "false");
	expect_value("all(flags)", "", "{\"flags\": []}", "true");
	/* the rule that needs min of an empty list is unknown and names it */
	run r = start("min(hs)", "m", "v >= 3");
	value_with(&r, "{\"hs\": []}");
	ck_assert_int_eq(rulebook_result_verdict(r.res, 0), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(r.res, 0), 1);
	ck_assert_str_eq(rulebook_result_missing(r.res, 0, 0), "hs");
	stop(&r);
}
END_TEST

START_TEST(test_missing)
{
	/* no list: every fold is missing, the rule unknown, naming the list */
	run r = start("count(hs)", "", "v >= 1");
	ck_assert_ptr_null(value_with(&r, "{\"x\": 1}"));
	ck_assert_int_eq(rulebook_result_verdict(r.res, 0), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_result_missing(r.res, 0, 0), "hs");
	stop(&r);
	/* a missing element: count undecided where its condition is needed */
	expect_value("count(h in hs where h > 8)", "", "{\"hs\": [9, null]}", NULL);
	/* but count(hs) counts it */
	expect_value("count(hs)", "", "{\"hs\": [9, null]}", "2");
	/* any: one true element decides; all: one false element decides */
	expect_value("any(h in hs where h > 8)", "", "{\"hs\": [null, 9]}", "true");
	expect_value("all(h in hs where h > 8)", "", "{\"hs\": [null, 3]}", "false");
	expect_value("all(h in hs where h > 8)", "", "{\"hs\": [null, 9]}", NULL);
	/* the rule left unknown by a missing element names the list */
	r = start("sum(hs)", "m", "v >= 3");
	value_with(&r, "{\"hs\": [9, null]}");
	ck_assert_int_eq(rulebook_result_verdict(r.res, 0), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_result_missing(r.res, 0, 0), "hs");
	stop(&r);
}
END_TEST

/* ---- facts ---- */

START_TEST(test_c_setters)
{
	run r = start("sum(hs)", "m", "count(h in hs where h > 8) == 2");
	rulebook_error *err = rulebook_error_new();
	size_t hs = 0, fs = 0, st = 0, x = 0;
	ck_assert_int_eq(rulebook_input_index(r.rb, "hs", 2, &hs), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(r.rb, "fs", 2, &fs), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(r.rb, "st", 2, &st), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(r.rb, "x", 1, &x), RULEBOOK_OK);
	/* doubles: 3.5 + 9 + 4.5 + 10 = 27, two over 8 m */
	const double d[] = {3.5, 9, 4.5, 10};
	ck_assert_int_eq(rulebook_facts_set_list_double(r.f, "hs", d, 4, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "27");
	ck_assert_int_eq(rulebook_result_verdict(r.res, 0), RULEBOOK_PASS);
	/* exact decimal text with lengths and units: 0.1 + 0.2 m + 300 cm…
	 * (no cm here: m only) 0.1 + 0.2 = 0.3 exactly; NULL is missing */
	const char *t[] = {"0.1xx", "0.2 m", NULL};
	const size_t len[] = {3, 5, 0};
	ck_assert_int_eq(rulebook_facts_set_list_text_at(r.f, hs, t, len, 2, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "0.3");
	ck_assert_int_eq(rulebook_facts_set_list_text_at(r.f, hs, t, len, 3, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_ptr_null(rulebook_result_value(r.res, "v")); /* a missing element */
	/* the result keeps its own copy: facts changed after evaluating */
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, hs, d, 2, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, hs, d + 2, 2, err), RULEBOOK_OK);
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[3.5, 9]");
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "12.5");
	/* records: one text per field, element after element */
	const char *recs[] = {"9", "300", "生产", "4", NULL, "仓储"};
	ck_assert_int_eq(rulebook_facts_set_list_text_at(r.f, st, recs, NULL, 6, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "st"),
			 "[{height: 9, area: 300, use: 生产}, {height: 4, area: null, use: 仓储}]");
	/* errors leave the list unchanged and name the element */
	ck_assert_int_eq(rulebook_facts_set_list_text_at(r.f, st, recs, NULL, 5, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert(contains(rulebook_error_message(err, 0), "3 fields per element"));
	const char *bad[] = {"3", "4 m²"};
	ck_assert_int_eq(rulebook_facts_set_list_text_at(r.f, hs, bad, NULL, 2, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "element 2 of list 'hs'"));
	const char *badenum[] = {"食堂", "车间"};
	ck_assert_int_eq(rulebook_facts_set_list_text(r.f, "fs", badenum, NULL, 2, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "element 2 of list 'fs'"));
	const double nan[] = {1, 0.0 / 0.0};
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, hs, nan, 2, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "element 2 of list 'hs': NaN"));
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, fs, d, 1, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "holds enum values, not numbers"));
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, x, d, 1, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "input 'x' is a number, not a list"));
	ck_assert_int_eq(rulebook_facts_set_list_double(r.f, "nope", d, 1, err), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, 99, d, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, hs, NULL, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_list_double_at(NULL, hs, d, 1, err), RULEBOOK_ERR_INVALID);
	/* still the list set last: 4.5, 10 */
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "14.5");
	/* n = 0: the empty list */
	ck_assert_int_eq(rulebook_facts_set_list_double_at(r.f, hs, NULL, 0, err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "0");
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[]");
	rulebook_error_free(err);
	stop(&r);
}
END_TEST

START_TEST(test_text_form)
{
	run r = start("sum(hs)", "m", "");
	rulebook_error *err = rulebook_error_new();
	/* ; ；、 separate, spaces (also U+3000) around elements are dropped:
	 * 1 + 2 + 3 + 4 = 10 */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", " 1; 2；3、\xe3\x80\x80" "4 ", err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "10");
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[1, 2, 3, 4]");
	/* an empty element is missing; an empty text the empty list */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", "1;;2", err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[1, null, 2]");
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", "", err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[]");
	/* enum values with 、 */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "fs", "食堂、宿舍", err), RULEBOOK_OK);
	/* an element that is not a number, named by position */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", "1；二", err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "element 2 of list 'hs': '二' is not a decimal number"));
	/* records cannot be written in one cell */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "st", "1;2", err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "holds records"));
	/* a JSON array in one text: records, texts holding a separator */
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", " [1, 2.5, null] ", err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "st", "[{\"height\": 9, \"area\": 300}]", err),
			 RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "names", "[\"a;b\", \"c、d\"]", err), RULEBOOK_OK);
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "hs"), "[1, 2.5, null]");
	ck_assert_str_eq(rulebook_result_value(r.res, "st"), "[{height: 9, area: 300, use: null}]");
	ck_assert_str_eq(rulebook_result_value(r.res, "names"), "[a;b, c、d]");
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", "[1, \"x\"]", err), RULEBOOK_ERR_VALUE);
	ck_assert_msg(contains(rulebook_error_message(err, 0),
			       "the list of input 'hs' (JSON, column 5): element 2 of list 'hs': 'x' is "
			       "not a decimal number"), "%s", rulebook_error_message(err, 0));
	ck_assert_int_eq(rulebook_facts_set_text(r.f, "hs", "[1,", err), RULEBOOK_ERR_SYNTAX);
	/* JSON: a string is the text form too */
	rulebook_facts_clear(r.f);
	set_json(r.f, "{\"hs\": \"2；3\"}");
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_str_eq(rulebook_result_value(r.res, "v"), "5");
	rulebook_error_free(err);
	stop(&r);
}
END_TEST

static void expect_json_error(run *r, const char *json, rulebook_status st, const char *fragment,
			      uint32_t line, uint32_t col)
{
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_facts_set_json(r->f, json, strlen(json), err), st);
	ck_assert_msg(contains(rulebook_error_message(err, 0), fragment), "%s lacks %s",
		      rulebook_error_message(err, 0), fragment);
	ck_assert_uint_eq(rulebook_error_line(err, 0), line);
	ck_assert_uint_eq(rulebook_error_column(err, 0), col);
	rulebook_error_free(err);
}

START_TEST(test_json_errors)
{
	run r = start("sum(hs)", "m", "");
	/* each error at the element: line 1, the column of its first byte */
	expect_json_error(&r, "{\"hs\": [1, true]}", RULEBOOK_ERR_VALUE,
			  "element 2 of list 'hs': 'true' is not a decimal number", 1, 12);
	expect_json_error(&r, "{\"fs\": [食堂]}", RULEBOOK_ERR_SYNTAX, "", 1, 9);
	expect_json_error(&r, "{\"names\": [1]}", RULEBOOK_ERR_VALUE,
			  "element 1 of list 'names' is text and needs a quoted string", 1, 12);
	expect_json_error(&r, "{\"st\": [{\"depth\": 1}]}", RULEBOOK_ERR_NOT_FOUND,
			  "'depth' is not a field of list 'st'", 1, 10);
	expect_json_error(&r, "{\"st\": [1]}", RULEBOOK_ERR_VALUE,
			  "element 1 of list 'st' must be an object", 1, 9);
	expect_json_error(&r, "{\"hs\": [[1]]}", RULEBOOK_ERR_VALUE,
			  "must be a string, number, boolean or null", 1, 9);
	expect_json_error(&r, "{\"hs\": {\"a\": 1}}", RULEBOOK_ERR_VALUE,
			  "list input 'hs' takes an array, not an object", 1, 8);
	/* a list where a number is expected */
	expect_json_error(&r, "{\"x\": [1]}", RULEBOOK_ERR_VALUE,
			  "must be a string, number, boolean or null", 1, 7);
	/* refused records leave the facts unchanged: still missing */
	eval_ok(r.rb, r.f, 20230630, r.res);
	ck_assert_ptr_null(rulebook_result_value(r.res, "hs"));
	stop(&r);
}
END_TEST

START_TEST(test_limit)
{
	rulebook_options *o = rulebook_options_new();
	ck_assert_int_eq(rulebook_options_set_limit(o, RULEBOOK_LIMIT_LIST_LENGTH, 3), RULEBOOK_OK);
	const char *yaml = LISTS;
	rulebook *rb = NULL;
	rulebook_error *err = rulebook_error_new();
	ck_assert_int_eq(rulebook_load_buffer(yaml, strlen(yaml), "t.yaml", o, &rb, err), RULEBOOK_OK);
	rulebook_facts *f = rulebook_facts_new(rb);
	const double d[] = {1, 2, 3, 4};
	ck_assert_int_eq(rulebook_facts_set_list_double(f, "hs", d, 3, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_list_double(f, "hs", d, 4, err), RULEBOOK_ERR_LIMIT);
	ck_assert(contains(rulebook_error_message(err, 0),
			   "list input 'hs' has more than 3 elements (RULEBOOK_LIMIT_LIST_LENGTH)"));
	const char *json = "{\"hs\": [1, 2, 3, 4]}";
	ck_assert_int_eq(rulebook_facts_set_json(f, json, strlen(json), err), RULEBOOK_ERR_LIMIT);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 18); /* at the fourth element */
	ck_assert_int_eq(rulebook_facts_set_text(f, "hs", "1;2;3;4", err), RULEBOOK_ERR_LIMIT);
	rulebook_facts_free(f);
	rulebook_free(rb);
	rulebook_error_free(err);
	rulebook_options_free(o);
}
END_TEST

START_TEST(test_introspection)
{
	run r = start("count(hs)", "", "");
	size_t hs = 0, st = 0, x = 0;
	rulebook_input_index(r.rb, "hs", 2, &hs);
	rulebook_input_index(r.rb, "st", 2, &st);
	rulebook_input_index(r.rb, "x", 1, &x);
	ck_assert_str_eq(rulebook_input_type(r.rb, hs), "list");
	ck_assert_str_eq(rulebook_input_element_type(r.rb, hs), "number");
	ck_assert_str_eq(rulebook_input_unit(r.rb, hs), "m");
	ck_assert_str_eq(rulebook_input_element_type(r.rb, st), "record");
	ck_assert_ptr_null(rulebook_input_element_type(r.rb, x));
	ck_assert_ptr_null(rulebook_input_element_type(r.rb, 99));
	ck_assert_uint_eq(rulebook_input_field_count(r.rb, st), 3);
	ck_assert_uint_eq(rulebook_input_field_count(r.rb, hs), 0);
	ck_assert_uint_eq(rulebook_input_field_count(NULL, 0), 0);
	ck_assert_str_eq(rulebook_input_field_name(r.rb, st, 1), "area");
	ck_assert_str_eq(rulebook_input_field_type(r.rb, st, 2), "enum");
	ck_assert_str_eq(rulebook_input_field_unit(r.rb, st, 1), "m²");
	ck_assert_str_eq(rulebook_input_field_unit(r.rb, st, 2), "");
	ck_assert_ptr_null(rulebook_input_field_name(r.rb, st, 3));
	ck_assert_ptr_null(rulebook_input_field_type(r.rb, hs, 0));
	ck_assert_ptr_null(rulebook_input_field_unit(r.rb, 99, 0));
	/* fields are not inputs */
	size_t k;
	ck_assert_int_eq(rulebook_input_index(r.rb, "height", 6, &k), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_uint_eq(rulebook_input_count(r.rb), 6);
	stop(&r);
}
END_TEST

/* ---- compile errors ---- */

/* The rule R's requirement starts at line 23 (after the parameters),
 * column 33. */
static void expect_rule_error(const char *expr, rulebook_status st, const char *fragment,
			      uint32_t offset)
{
	char yaml[8192];
	snprintf(yaml, sizeof yaml, LISTS "rules:\n  - {id: R, cite: A1, require: '%s'}\n", expr);
	expect_load_error(yaml, st, fragment, 23, 33 + offset);
}

START_TEST(test_compile_errors)
{
	expect_rule_error("sum(names) > 1", RULEBOOK_ERR_TYPE, "sum() needs numbers, not text values", 4);
	/* at the comparison's operator: 8 m² against metres */
	expect_rule_error("count(h in hs where h > 8 [m²]) > 1", RULEBOOK_ERR_UNIT,
			  "the units measure different things", 22);
	expect_rule_error("sum(s.depth for s in st) > 1", RULEBOOK_ERR_NAME,
			  "unknown field 'depth' of list 'st' (fields: height, area, use)", 4);
	expect_rule_error("hs > 1", RULEBOOK_ERR_TYPE, "cannot compare a list with a number", 3);
	expect_rule_error("sum(hs) + hs > 1", RULEBOOK_ERR_TYPE, "'+' needs a number, not a list", 10);
	expect_rule_error("count(s.height for s in st) > 1", RULEBOOK_ERR_EXPR,
			  "count() counts elements", 6);
	expect_rule_error("count(x in hs) > 1", RULEBOOK_ERR_NAME, "'x' already names a value", 6);
	expect_rule_error("sum(st) > 1", RULEBOOK_ERR_TYPE, "its elements are records", 4);
	expect_rule_error("count(x) > 1", RULEBOOK_ERR_TYPE, "count() runs over a list input; 'x' is not one", 6);
	expect_rule_error("any(h in hs where h + 1)", RULEBOOK_ERR_TYPE, "'where' needs a boolean, not a number", 20);
	expect_rule_error("any(hs)", RULEBOOK_ERR_TYPE, "any() needs a condition per element", 4);
	expect_rule_error("count(s in st where s > 1) > 0", RULEBOOK_ERR_TYPE, "'s' is a record of list 'st'", 20);
	expect_rule_error("sum(h in hs where h > 1, 2) > 0", RULEBOOK_ERR_EXPR, "expected ')' to close '('", 23);
	expect_rule_error("sum(hs, hs) > 0", RULEBOOK_ERR_EXPR, "sum() takes one list", 0);
	expect_rule_error("average(h in hs) > 0", RULEBOOK_ERR_NAME, "'average' does not run over a list", 0);
	expect_rule_error("(if x > 1 [m] then hs else hs) == 1", RULEBOOK_ERR_TYPE,
			  "cannot choose between lists", 1);
	/* an indicator cannot hold a list (line 23, the expression at column 20) */
	expect_load_error(LISTS "indicators:\n  - {id: v, expr: 'hs'}\n", RULEBOOK_ERR_TYPE,
			  "indicator 'v' is a list", 23, 20);
	/* schema: 'of' on a number, a list without 'of' or 'fields', a list
	 * of lists, fields (line 7, at the offending value) */
	expect_load_error(HDR "inputs:\n  - {id: y, type: number, of: number}\n", RULEBOOK_ERR_SCHEMA,
			  "input 'y' has 'of' but its type is number, not list", 7, 31);
	expect_load_error(HDR "inputs:\n  - {id: y, type: list}\n", RULEBOOK_ERR_SCHEMA,
			  "list input 'y' needs exactly one of 'of'", 7, 5);
	expect_load_error(HDR "inputs:\n  - {id: y, type: list, of: list}\n", RULEBOOK_ERR_SCHEMA,
			  "a list of lists is not supported", 7, 29);
	expect_load_error(HDR "inputs:\n  - {id: y, type: list, fields: [{id: a, type: list}]}\n",
			  RULEBOOK_ERR_SCHEMA, "field type must be one of", 7, 48);
	expect_load_error(HDR "inputs:\n  - {id: y, type: list, fields: [{id: a, type: text}, {id: a, type: text}]}\n",
			  RULEBOOK_ERR_SCHEMA, "field 'a' appears twice in list input 'y'", 7, 55);
}
END_TEST

/* ---- explanations, JSON, fast path, illustrative ---- */

START_TEST(test_output)
{
	run r = start("count(h in hs where h > tall)", "", "v <= 1");
	value_with(&r, HEIGHTS);
	ck_assert_int_eq(rulebook_result_verdict(r.res, 0), RULEBOOK_FAIL);
	const char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(r.res, 0, &out, &len), RULEBOOK_OK);
	/* the list, the fold with the elements it took (9 and 10: #2, #4) */
	ck_assert_msg(contains(out, "\"hs\":{\"value\":\"[3.5, 9, 4.5, 10]\",\"unit\":\"m\",\"kind\":\"input\"}"), "%s", out);
	ck_assert_msg(contains(out, "\"count(h in hs where h > tall)\":{\"value\":\"2\",\"unit\":\"\",\"kind\":\"fold\",\"took\":[2,4]}"), "%s", out);
	ck_assert_int_eq(rulebook_result_explain(r.res, 0, &out, &len), RULEBOOK_OK);
	ck_assert_msg(contains(out, "hs = [3.5, 9, 4.5, 10] m"), "%s", out);
	ck_assert_msg(contains(out, "count(h in hs where h > tall) 计入：#2 9, #4 10"), "%s", out);
	ck_assert_int_eq(rulebook_result_explain(r.res, RULEBOOK_OUT_LANG_EN, &out, &len), RULEBOOK_OK);
	ck_assert_msg(contains(out, "count(h in hs where h > tall) took: #2 9, #4 10"), "%s", out);
	/* the threshold tall is illustrative and the fold used it */
	ck_assert_int_eq(rulebook_result_illustrative(r.res, 0), 1);
	/* no list: took is null */
	value_with(&r, "{}");
	ck_assert_int_eq(rulebook_result_json(r.res, 0, &out, &len), RULEBOOK_OK);
	ck_assert_msg(contains(out, "\"kind\":\"fold\",\"took\":null"), "%s", out);
	stop(&r);
}
END_TEST

START_TEST(test_fast_and_exact_agree)
{
	/* every record: the verdicts with the fast path equal those of the
	 * exact program alone; a record with the list is decided exactly */
	run r = start("sum(h in hs where h > tall)", "m", "v + x >= 19.1");
	rulebook_result *exact = rulebook_result_new(r.rb);
	rulebook_result_set_exact_only(exact, 1);
	const char *recs[] = {"{\"hs\": [3.5, 9, 4.5, 10], \"x\": 0.1}", /* 19.1: pass */
			      "{\"hs\": [3.5, 9, 4.5, 10], \"x\": 0}",   /* 19: fail */
			      "{\"x\": 100}",                             /* unknown */
			      "{\"hs\": [], \"x\": 19.1}"};               /* 0 + 19.1: pass */
	const rulebook_verdict want[] = {RULEBOOK_PASS, RULEBOOK_FAIL, RULEBOOK_UNKNOWN, RULEBOOK_PASS};
	for (int k = 0; k < 4; k++) {
		value_with(&r, recs[k]);
		eval_ok(r.rb, r.f, 20230630, exact);
		ck_assert_int_eq(rulebook_result_verdict(r.res, 0), want[k]);
		ck_assert_int_eq(rulebook_result_verdict(exact, 0), want[k]);
	}
	/* without the list the fold is missing in the fast path too */
	value_with(&r, recs[2]);
	ck_assert_int_eq(rulebook_result_decided_exactly(r.res), 0);
	value_with(&r, recs[0]);
	ck_assert_int_eq(rulebook_result_decided_exactly(r.res), 1);
	rulebook_result_free(exact);
	stop(&r);
}
END_TEST

/* ---- the rulebook's own tests, extends ---- */

START_TEST(test_fixture_selftest_and_extends)
{
	rulebook *rb = load_fixture("lists.yaml");
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	ck_assert_uint_ge(rulebook_test_report_passed(rep), 10);
	rulebook_test_report_free(rep);
	/* lint: the lists are used (by folds), the test facts are valid */
	rulebook_error *lint = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(rb, 0, lint), RULEBOOK_OK);
	for (size_t k = 0; k < rulebook_error_count(lint); k++)
		ck_assert_msg(!contains(rulebook_error_message(lint, k), "not used") &&
			      !contains(rulebook_error_message(lint, k), "test '"),
			      "%s", rulebook_error_message(lint, k));
	rulebook_error_free(lint);
	/* a bad element in a test case's facts is a lint finding at the list */
	rulebook *bad = load_str(LISTS "rules:\n  - {id: R, cite: A1, require: 'count(hs) > 0'}\n"
				       "tests:\n  - name: bad\n    as_of: 2023-06-30\n"
				       "    facts: {hs: [1, x]}\n    expect: {verdicts: {R: pass}}\n");
	lint = rulebook_error_new();
	ck_assert_int_eq(rulebook_lint(bad, 0, lint), RULEBOOK_OK);
	bool found = false;
	for (size_t k = 0; k < rulebook_error_count(lint); k++)
		if (contains(rulebook_error_message(lint, k),
			     "test 'bad': element 2 of list 'hs': 'x' is not a decimal number")) {
			found = true;
			/* line 27 (tests: at 24), the element x at column 21 */
			ck_assert_uint_eq(rulebook_error_line(lint, k), 27);
			ck_assert_uint_eq(rulebook_error_column(lint, k), 21);
		}
	ck_assert(found);
	rulebook_error_free(lint);
	rulebook_free(bad);
	/* the child counts storeys over 6 m twice: heights 3.5, 9, 4.5, 10,
	 * 7 → three tall ones (9, 10, 7) instead of two */
	rulebook *child = load_fixture("lists-child.yaml");
	const char *json = "{\"storey_heights\": [3.5, 9, 4.5, 10, 7],"
			   " \"storeys\": [{\"height\": 7, \"area\": 100}], \"land_area\": 100}";
	rulebook *both[2] = {rb, child};
	const char *tall[2] = {"2", "3"};
	/* 7 m × 100 m²: counts once in the parent (1), twice in the child (2) */
	const char *far[2] = {"1", "2"};
	for (int k = 0; k < 2; k++) {
		rulebook_facts *f = rulebook_facts_new(both[k]);
		rulebook_result *res = rulebook_result_new(both[k]);
		set_json(f, json);
		eval_ok(both[k], f, 20230630, res);
		ck_assert_str_eq(rulebook_result_value(res, "tall_count"), tall[k]);
		ck_assert_str_eq(rulebook_result_value(res, "far"), far[k]);
		rulebook_result_free(res);
		rulebook_facts_free(f);
	}
	rulebook_free(child);
	rulebook_free(rb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lists");
	TCase *tc = tcase_create("lists");
	tcase_add_test(tc, test_plain_folds);
	tcase_add_test(tc, test_filtered_folds);
	tcase_add_test(tc, test_records);
	tcase_add_test(tc, test_empty_lists);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_c_setters);
	tcase_add_test(tc, test_text_form);
	tcase_add_test(tc, test_json_errors);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_introspection);
	tcase_add_test(tc, test_compile_errors);
	tcase_add_test(tc, test_output);
	tcase_add_test(tc, test_fast_and_exact_agree);
	tcase_add_test(tc, test_fixture_selftest_and_extends);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
