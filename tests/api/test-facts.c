/* The facts API: every setter, the index variants and JSON records, with
 * the statuses of bad values. Uses fixtures/enterprise.yaml, whose inputs
 * are tax (万元), land_area (亩), energy, converted_area,
 * is_key_chain_project (boolean), sector (enum), employees (integer),
 * name (text) and founded (date). */
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rulebook *rb;
static rulebook_facts *facts;
static rulebook_result *res;
static rulebook_error *err;

static void setup(void)
{
	rb = load_fixture("enterprise.yaml");
	facts = rulebook_facts_new(rb);
	res = rulebook_result_new(rb);
	err = rulebook_error_new();
	ck_assert_ptr_nonnull(facts);
	ck_assert_ptr_nonnull(res);
}

static void teardown(void)
{
	rulebook_error_free(err);
	rulebook_result_free(res);
	rulebook_facts_free(facts);
	rulebook_free(rb);
}

/* The value of name after evaluating the current facts. */
static const char *val(const char *name)
{
	eval_ok(rb, facts, 20230630, res);
	return rulebook_result_value(res, name);
}

static void ck_val(const char *name, const char *want)
{
	const char *got = val(name);
	if (want) {
		ck_assert_msg(got != NULL, "%s is missing, wanted %s", name, want);
		ck_assert_str_eq(got, want);
	} else {
		ck_assert_msg(got == NULL, "%s is %s, wanted missing", name, got);
	}
}

static rulebook_status dec(const char *name, const char *text)
{
	return rulebook_facts_set_decimal(facts, name, text, err);
}

static rulebook_status json(const char *text)
{
	return rulebook_facts_set_json(facts, text, strlen(text), err);
}

/* ------------------------------------------------------------------------
 * Setters by name
 * ------------------------------------------------------------------------ */

START_TEST(test_set_decimal)
{
	ck_assert_int_eq(dec("tax", "1158.1"), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_val("tax", "1158.1");
	ck_assert_int_eq(dec("tax", "-2"), RULEBOOK_OK);
	ck_val("tax", "-2");
	ck_assert_int_eq(dec("tax", "1.5e3"), RULEBOOK_OK);
	ck_val("tax", "1500");
	ck_assert_int_eq(dec("tax", "0.100"), RULEBOOK_OK);
	ck_val("tax", "0.1");
	/* 2.5 千元 = 0.25 万元 */
	ck_assert_int_eq(dec("tax", "2.5 千元"), RULEBOOK_OK);
	ck_val("tax", "0.25");
	ck_assert_int_eq(dec("employees", "1.2e1"), RULEBOOK_OK);
	ck_val("employees", "12");
}
END_TEST

START_TEST(test_set_decimal_with_unit)
{
	/* 20000 m² = 30 亩 exactly (1 亩 = 10000/15 m²). */
	ck_assert_int_eq(dec("land_area", "20000 m²"), RULEBOOK_OK);
	ck_val("land_area", "30");
	ck_assert_int_eq(dec("land_area", "1 km²"), RULEBOOK_OK);
	ck_val("land_area", "1500");
	ck_assert_int_eq(dec("land_area", "12 亩"), RULEBOOK_OK);
	ck_val("land_area", "12");
	/* Another dimension is refused and the input keeps its value. */
	ck_assert_int_eq(dec("land_area", "5 万元"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_VALUE);
	ck_assert_uint_eq(rulebook_error_count(err), 1);
	ck_assert(contains(rulebook_error_message(err, 0), "land_area"));
	ck_assert_str_eq(rulebook_error_subject(err, 0), "land_area");
	ck_val("land_area", "12");
	ck_assert_int_eq(dec("land_area", "5 furlongs"), RULEBOOK_ERR_VALUE);
	ck_val("land_area", "12");
	/* tce without a basis is not a unit. */
	ck_assert_int_eq(dec("energy", "5 tce"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(dec("energy", "5 tce(等价值)"), RULEBOOK_OK);
	ck_val("energy", "5");
	ck_assert_int_eq(dec("energy", "5 tce(当量值)"), RULEBOOK_ERR_VALUE);
	ck_val("energy", "5");
}
END_TEST

START_TEST(test_set_decimal_bad)
{
	ck_assert_int_eq(dec("tax", "37"), RULEBOOK_OK);
	static const struct {
		const char *text;
		rulebook_status st;
	} bad[] = {
		{"NaN", RULEBOOK_ERR_VALUE},  {"nan", RULEBOOK_ERR_VALUE},   {"inf", RULEBOOK_ERR_VALUE},
		{"-inf", RULEBOOK_ERR_VALUE}, {"--1", RULEBOOK_ERR_VALUE},   {"", RULEBOOK_ERR_VALUE},
		{"1,5", RULEBOOK_ERR_VALUE},  {"0x10", RULEBOOK_ERR_VALUE},  {"1e", RULEBOOK_ERR_VALUE},
		{"abc", RULEBOOK_ERR_VALUE},  {"1e999", RULEBOOK_ERR_RANGE},
		{"1234567890123456789", RULEBOOK_ERR_RANGE}, /* 19 significant digits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(dec("tax", bad[i].text) == bad[i].st, "'%s': %s", bad[i].text,
			      rulebook_error_message(err, 0));
		ck_assert_int_eq(rulebook_error_status(err), bad[i].st);
	}
	ck_val("tax", "37");
	/* 18 digits are fine. */
	ck_assert_int_eq(dec("tax", "123456789012345678"), RULEBOOK_OK);
	ck_val("tax", "123456789012345678");
	/* Not a number input, unknown input, NULL. */
	ck_assert_int_eq(dec("is_key_chain_project", "1"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(dec("name", "1"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(dec("bogus", "1"), RULEBOOK_ERR_NOT_FOUND);
	ck_assert(contains(rulebook_error_message(err, 0), "bogus"));
	ck_assert_int_eq(dec("tax", NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(dec(NULL, "1"), RULEBOOK_ERR_INVALID);
	/* An integer input refuses fractions. */
	ck_assert_int_eq(dec("employees", "12.5"), RULEBOOK_ERR_VALUE);
	ck_val("employees", NULL);
}
END_TEST

START_TEST(test_set_double)
{
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", 0.1, err), RULEBOOK_OK);
	ck_val("tax", "0.1");
	/* The shortest text that reads back as the same double. */
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", 0.1 + 0.2, err), RULEBOOK_OK);
	ck_val("tax", "0.30000000000000004");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", 1158.1, err), RULEBOOK_OK);
	ck_val("tax", "1158.1");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", -31.3, err), RULEBOOK_OK);
	ck_val("tax", "-31.3");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", 0.0, err), RULEBOOK_OK);
	ck_val("tax", "0");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", NAN, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", INFINITY, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_double(facts, "tax", -INFINITY, err), RULEBOOK_ERR_VALUE);
	ck_val("tax", "0");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "employees", 12.0, err), RULEBOOK_OK);
	ck_val("employees", "12");
	ck_assert_int_eq(rulebook_facts_set_double(facts, "employees", 12.5, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_double(facts, "sector", 1, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_double(facts, "bogus", 1, err), RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_set_int)
{
	ck_assert_int_eq(rulebook_facts_set_int(facts, "employees", 42, err), RULEBOOK_OK);
	ck_val("employees", "42");
	ck_assert_int_eq(rulebook_facts_set_int(facts, "tax", -7, err), RULEBOOK_OK);
	ck_val("tax", "-7");
	ck_assert_int_eq(rulebook_facts_set_int(facts, "tax", 100000000000000000, err), RULEBOOK_OK);
	ck_val("tax", "100000000000000000");
	ck_assert_int_eq(rulebook_facts_set_int(facts, "is_key_chain_project", 1, err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_int(facts, "founded", 20230101, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_int(facts, "bogus", 1, err), RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_set_bool)
{
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "is_key_chain_project", 5, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "is_key_chain_project", 0, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "false");
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "is_key_chain_project", -1, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "tax", 1, err), RULEBOOK_ERR_VALUE);
	ck_val("tax", NULL);
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "bogus", 1, err), RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_set_text)
{
	char buf[64];
	strcpy(buf, "临安某新材料有限公司");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "name", buf, err), RULEBOOK_OK);
	/* The text is copied. */
	memset(buf, 'x', sizeof buf - 1);
	ck_val("name", "临安某新材料有限公司");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "name", "", err), RULEBOOK_OK);
	ck_val("name", "");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "sector", "化工", err), RULEBOOK_OK);
	ck_val("sector", "化工");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "sector", "钢铁", err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "钢铁"));
	ck_val("sector", "化工");
	/* Other types parse their text form. */
	ck_assert_int_eq(rulebook_facts_set_text(facts, "tax", "37 万元", err), RULEBOOK_OK);
	ck_val("tax", "37");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "land_area", "20000 m²", err), RULEBOOK_OK);
	ck_val("land_area", "30");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "is_key_chain_project", "true", err),
			 RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "is_key_chain_project", "yes", err),
			 RULEBOOK_ERR_VALUE);
	ck_val("is_key_chain_project", "true");
	/* by index, near misses of both words are refused, the value kept */
	size_t kc;
	ck_assert_int_eq(rulebook_input_index(rb, "is_key_chain_project", 20, &kc), RULEBOOK_OK);
	static const char *const near[] = {"fals", "falsx", "truee", "True", "tru", "false "};
	for (size_t k = 0; k < sizeof near / sizeof near[0]; k++)
		ck_assert_msg(rulebook_facts_set_text_at(facts, kc, near[k], strlen(near[k]), err) ==
				      RULEBOOK_ERR_VALUE,
			      "'%s' taken", near[k]);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, kc, "false", 5, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "false");
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, kc, "true", 4, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "founded", "2023-05-01", err), RULEBOOK_OK);
	ck_val("founded", "2023-05-01");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "founded", "2023-02-30", err),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_text(facts, "founded", "2023-5-1", err), RULEBOOK_ERR_VALUE);
	ck_val("founded", "2023-05-01");
	ck_assert_int_eq(rulebook_facts_set_text(facts, "name", NULL, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text(facts, "bogus", "x", err), RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_set_date)
{
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 20230501, err), RULEBOOK_OK);
	ck_val("founded", "2023-05-01");
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 20240229, err), RULEBOOK_OK);
	ck_val("founded", "2024-02-29");
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 20230229, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 20230230, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 20231301, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_date(facts, "founded", 0, err), RULEBOOK_ERR_VALUE);
	ck_val("founded", "2024-02-29");
	ck_assert_int_eq(rulebook_facts_set_date(facts, "tax", 20230501, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_date(facts, "bogus", 20230501, err),
			 RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_set_missing)
{
	ck_assert_int_eq(dec("tax", "984"), RULEBOOK_OK);
	ck_assert_int_eq(dec("land_area", "30"), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_bool(facts, "is_key_chain_project", 0, err), RULEBOOK_OK);
	ck_val("tax", "984");
	ck_assert_int_eq(rulebook_result_verdict(res, rule_at(rb, "T1.mu_tax")), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_facts_set_missing(facts, "tax", err), RULEBOOK_OK);
	ck_val("tax", NULL);
	size_t t1 = rule_at(rb, "T1.mu_tax");
	ck_assert_int_eq(rulebook_result_verdict(res, t1), RULEBOOK_UNKNOWN);
	ck_assert_uint_eq(rulebook_result_missing_count(res, t1), 1);
	ck_assert_str_eq(rulebook_result_missing(res, t1, 0), "tax");
	ck_assert_int_eq(rulebook_facts_set_missing(facts, "bogus", err), RULEBOOK_ERR_NOT_FOUND);
	/* clear marks everything missing */
	rulebook_facts_clear(facts);
	ck_val("land_area", NULL);
	ck_val("is_key_chain_project", NULL);
}
END_TEST

/* ------------------------------------------------------------------------
 * Setters by index
 * ------------------------------------------------------------------------ */

static size_t idx(const char *name)
{
	size_t i = 999;
	ck_assert_int_eq(rulebook_input_index(rb, name, strlen(name), &i), RULEBOOK_OK);
	return i;
}

START_TEST(test_input_index)
{
	/* Declaration order. */
	ck_assert_uint_eq(idx("tax"), 0);
	ck_assert_uint_eq(idx("land_area"), 1);
	ck_assert_uint_eq(idx("founded"), 8);
	size_t i = 999;
	/* Length-counted: "taxes" cut to 3 bytes is "tax". */
	ck_assert_int_eq(rulebook_input_index(rb, "taxes", 3, &i), RULEBOOK_OK);
	ck_assert_uint_eq(i, 0);
	ck_assert_int_eq(rulebook_input_index(rb, "taxes", 5, &i), RULEBOOK_ERR_NOT_FOUND);
	/* Parameters, indicators and rules are not inputs. */
	ck_assert_int_eq(rulebook_input_index(rb, "min_mu_tax", 10, &i), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_input_index(rb, "mu_tax", 6, &i), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_input_index(rb, "T1.mu_tax", 9, &i), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_input_index(NULL, "tax", 3, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_input_index(rb, NULL, 3, &i), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_input_index(rb, "tax", 3, NULL), RULEBOOK_ERR_INVALID);
}
END_TEST

START_TEST(test_setters_at)
{
	size_t tax = idx("tax"), land = idx("land_area"), name = idx("name"), sector = idx("sector");
	/* Length-counted text need not be NUL-terminated. */
	ck_assert_int_eq(rulebook_facts_set_decimal_at(facts, tax, "37abc", 2, err), RULEBOOK_OK);
	ck_val("tax", "37");
	/* "20000 m²" is 9 bytes ('²' is 2). */
	ck_assert_int_eq(rulebook_facts_set_decimal_at(facts, land, "20000 m²xyz", 9, err),
			 RULEBOOK_OK);
	ck_val("land_area", "30");
	ck_assert_int_eq(rulebook_facts_set_decimal_at(facts, tax, "--1", 3, err), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_decimal_at(facts, sector, "1", 1, err), RULEBOOK_ERR_VALUE);
	ck_val("tax", "37");
	/* "临安" is 6 bytes of "临安XYZ". */
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, name, "临安XYZ", 6, err), RULEBOOK_OK);
	ck_val("name", "临安");
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, sector, "纺织品", 6, err), RULEBOOK_OK);
	ck_val("sector", "纺织");
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, tax, "1.5e3 万元", 12, err), RULEBOOK_OK);
	ck_val("tax", "1500");
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, tax, 0.25, err), RULEBOOK_OK);
	ck_val("tax", "0.25");
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, tax, NAN, err), RULEBOOK_ERR_VALUE);
	ck_val("tax", "0.25");
	/* an integer input takes whole doubles only; a text input none */
	size_t employees = idx("employees");
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, employees, 3.5, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "not a whole number"));
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, employees, 40.0, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_val("employees", "40");
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, name, 1.5, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "is a text, not a number"));
	ck_val("name", "临安");
	/* a plain cell after an error leaves no error behind */
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, tax, "12.50", 5, err), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	ck_val("tax", "12.5");
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, employees, "7.5", 3, err), RULEBOOK_ERR_VALUE);
	ck_assert(contains(rulebook_error_message(err, 0), "not a whole number"));
	ck_val("employees", "40");
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, tax, 0.25, err), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_missing_at(facts, tax), RULEBOOK_OK);
	ck_val("tax", NULL);
	ck_val("name", "临安");
	/* NULL facts. */
	ck_assert_int_eq(rulebook_facts_set_missing_at(NULL, 0), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text_at(NULL, 0, "x", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_decimal_at(NULL, 0, "1", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_double_at(NULL, 0, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, name, NULL, 0, err), RULEBOOK_ERR_INVALID);
}
END_TEST

/* Text cells by index: UTF-8 is checked eight ASCII bytes or one
 * three-byte character at a time, so each bad byte is placed inside such
 * a run, at its end and right after it. Each case was checked by hand
 * against RFC 3629 (table 3-7 of Unicode: E0 needs A0..BF next, ED
 * 80..9F, F0 90..BF, F4 80..8F; C0, C1 and F5..FF never occur). */
START_TEST(test_text_at_utf8)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
	} cases[] = {
		{"abcdefghijklmnopqrstuvwx", 24, 1},       /* three ASCII words */
		{"abcdefghijklmnopqrstuvwxy", 25, 1},      /* and one byte more */
		{"abcdefghij\0lmnopqrstuvwx", 24, 0},      /* NUL inside the second word */
		{"abcdefghijklmnopqrstuvw\0", 24, 0},      /* NUL as the last byte of a word */
		{"abcdefgh\0", 9, 0},                      /* NUL after a whole word */
		{"\0abcdefghijklmnop", 17, 0},             /* NUL first */
		{"abcdefghijk\x80mnopqrst", 20, 0},        /* a lone continuation byte in a word */
		{"abcdefghijklmnop\xff", 17, 0},           /* FF right after two words */
		{"abcdefghijk\xe4\xb8\xadxyz", 17, 1},     /* 中 inside ASCII */
		{"临安临安临安", 18, 1},                   /* a run of three-byte characters */
		{"临安临安\xe4\xb8", 14, 0},               /* cut inside the last character */
		{"临安临安\xe4", 13, 0},
		{"临安\xe4\x41\x80临安", 15, 0},          /* ASCII where a continuation must be */
		{"临安\xe4\xc0\x80临安", 15, 0},          /* C0 where a continuation must be */
		{"临安\xe4\xb8\xc0", 9, 0},                /* the third byte bad */
		{"临安\xed\xa0\x80", 9, 0},                /* a surrogate (ED A0..BF) */
		{"临安\xed\x9f\xbf", 9, 1},                /* U+D7FF, the last before them */
		{"临安\xe0\x80\x80", 9, 0},                /* overlong (E0 80..9F) */
		{"临安\xe0\xa0\x80", 9, 1},                /* U+0800 */
		{"临安\xef\xbc\x9b临安", 15, 1},          /* EF (；) between runs */
		{"临安\xf0\x9f\x98\x80临安abcdefghij", 26, 1}, /* four bytes, CJK, ASCII */
		{"临安\xf4\x90\x80\x80", 10, 0},           /* above U+10FFFF */
		{"临安\xc0\x80", 8, 0},                    /* an overlong NUL */
		{"临安\xc3\xa9" "abcdefgh临", 19, 1},     /* é, then a word, then 临 */
		{"临安abcdefgh\0", 15, 0},                 /* NUL after CJK and a word */
		{"临安\0", 7, 0},                          /* NUL right after a CJK run */
		{"", 0, 1},
	};
	size_t name = idx("name");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ck_assert_int_eq(rulebook_facts_set_text_at(facts, name, "before", 6, err), RULEBOOK_OK);
		rulebook_status st = rulebook_facts_set_text_at(facts, name, cases[k].s, cases[k].len, err);
		if (cases[k].ok) {
			ck_assert_msg(st == RULEBOOK_OK, "case %zu refused", k);
			ck_assert_uint_eq(rulebook_error_count(err), 0);
			const char *got = val("name");
			ck_assert_ptr_nonnull(got);
			ck_assert_msg(strlen(got) == cases[k].len && memcmp(got, cases[k].s, cases[k].len) == 0,
				      "case %zu: the value is not the text set", k);
		} else {
			ck_assert_msg(st == RULEBOOK_ERR_VALUE, "case %zu accepted", k);
			ck_assert_str_eq(rulebook_error_message(err, 0),
					 "the value for input 'name' is not UTF-8 text (invalid or NUL byte)");
			ck_val("name", "before");
		}
	}
}
END_TEST

/* Decimals as unscaled × 10^-scale: each value worked out by hand. */
START_TEST(test_set_scaled_at)
{
	size_t tax = idx("tax"), emp = idx("employees"), sector = idx("sector");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, 12345, 2, err), RULEBOOK_OK);
	ck_val("tax", "123.45");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, -5, 3, err), RULEBOOK_OK);
	ck_val("tax", "-0.005");
	/* a negative scale multiplies */
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, 37, -4, err), RULEBOOK_OK);
	ck_val("tax", "370000");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, 0, 7, err), RULEBOOK_OK);
	ck_val("tax", "0");
	/* 19 digits whose trailing zeros leave 18 significant ones: exact */
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, INT64_C(1234567890123456780), 10, err),
			 RULEBOOK_OK);
	ck_val("tax", "123456789.012345678");
	/* 19 significant digits: refused, never rounded; the input keeps its value */
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, INT64_C(1234567890123456789), 0, err),
			 RULEBOOK_ERR_RANGE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'1234567890123456789' is not a number of at most 18 significant digits for input 'tax'");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, INT64_C(1234567890123456789), 9, err),
			 RULEBOOK_ERR_RANGE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'1234567890.123456789' is not a number of at most 18 significant digits for input 'tax'");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, INT64_C(-1234567890123456789), 21, err),
			 RULEBOOK_ERR_RANGE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'-0.001234567890123456789' is not a number of at most 18 significant digits for input 'tax'");
	ck_assert_str_eq(rulebook_error_subject(err, 0), "tax");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, INT64_MIN, 0, err), RULEBOOK_ERR_RANGE);
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, 1, -400, err), RULEBOOK_ERR_RANGE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'1e400' is not a number within the decimal range for input 'tax'");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, tax, 7, 400, err), RULEBOOK_ERR_RANGE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'7e-400' is not a number within the decimal range for input 'tax'");
	ck_val("tax", "123456789.012345678");
	/* integer inputs take whole numbers, 1200 with scale 2 included */
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, emp, 1200, 2, err), RULEBOOK_OK);
	ck_val("employees", "12");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, emp, 1250, 2, err), RULEBOOK_ERR_VALUE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "'12.50' is not a whole number for integer input 'employees'");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, sector, 1, 0, err), RULEBOOK_ERR_VALUE);
	ck_assert_str_eq(rulebook_error_message(err, 0), "input 'sector' is a enum, not a number");
	ck_val("employees", "12");
	ck_assert_int_eq(rulebook_facts_set_scaled_at(NULL, 0, 1, 0, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_scaled_at(facts, rulebook_input_count(rb), 1, 0, err),
			 RULEBOOK_ERR_INVALID);
}
END_TEST

START_TEST(test_set_bool_date_at)
{
	size_t key = idx("is_key_chain_project"), founded = idx("founded"), tax = idx("tax");
	ck_assert_int_eq(rulebook_facts_set_bool_at(facts, key, 7, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_assert_int_eq(rulebook_facts_set_bool_at(facts, key, 0, err), RULEBOOK_OK);
	ck_val("is_key_chain_project", "false");
	ck_assert_int_eq(rulebook_facts_set_bool_at(facts, tax, 1, err), RULEBOOK_ERR_VALUE);
	ck_assert_str_eq(rulebook_error_message(err, 0), "input 'tax' is a number, not a boolean");
	ck_assert_int_eq(rulebook_facts_set_date_at(facts, founded, 20230228, err), RULEBOOK_OK);
	ck_val("founded", "2023-02-28");
	ck_assert_int_eq(rulebook_facts_set_date_at(facts, founded, 20230229, err), RULEBOOK_ERR_VALUE);
	ck_assert_str_eq(rulebook_error_message(err, 0), "20230229 is not a valid YYYYMMDD date");
	ck_assert_int_eq(rulebook_facts_set_date_at(facts, founded, 9991231, err), RULEBOOK_ERR_VALUE);
	ck_val("founded", "2023-02-28");
	ck_assert_int_eq(rulebook_facts_set_date_at(facts, key, 20230101, err), RULEBOOK_ERR_VALUE);
	ck_assert_str_eq(rulebook_error_message(err, 0),
			 "input 'is_key_chain_project' is a boolean, not a date");
	ck_assert_int_eq(rulebook_facts_set_bool_at(NULL, 0, 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_date_at(NULL, 0, 20230101, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_bool_at(facts, rulebook_input_count(rb), 1, err),
			 RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_date_at(facts, rulebook_input_count(rb), 20230101, err),
			 RULEBOOK_ERR_INVALID);
}
END_TEST

/* The status list documents RULEBOOK_ERR_INVALID for "a bad index". */
START_TEST(test_setters_at_bad_index)
{
	size_t n = rulebook_input_count(rb);
	ck_assert_int_eq(rulebook_facts_set_missing_at(facts, n), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_text_at(facts, n, "1", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_decimal_at(facts, n, "1", 1, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_double_at(facts, (size_t)-1, 1, err), RULEBOOK_ERR_INVALID);
}
END_TEST

/* ------------------------------------------------------------------------
 * JSON records
 * ------------------------------------------------------------------------ */

START_TEST(test_json_numbers_kept_as_text)
{
	ck_assert_int_eq(json("{\"tax\": 1158.1, \"land_area\": 31.3, \"is_key_chain_project\": false}"),
			 RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_error_count(err), 0);
	/* 1158.1 / 31.3 is exactly 37: no binary rounding on the way in. */
	ck_val("mu_tax", "37");
	ck_assert_int_eq(rulebook_result_verdict(res, rule_at(rb, "T1.mu_tax")), RULEBOOK_PASS);
	ck_assert_int_eq(json("{\"tax\": 0.1, \"energy\": 1e2, \"employees\": 12}"), RULEBOOK_OK);
	ck_val("tax", "0.1");
	ck_val("energy", "100");
	ck_val("employees", "12");
	/* Strings carry numbers with units. */
	ck_assert_int_eq(json("{\"tax\": \"1158.1\", \"land_area\": \"20000 m²\"}"), RULEBOOK_OK);
	ck_val("tax", "1158.1");
	ck_val("land_area", "30");
	/* Other types. */
	ck_assert_int_eq(json("{\"is_key_chain_project\": true, \"sector\": \"化工\","
			      " \"name\": \"某公司\", \"founded\": \"2020-02-29\"}"),
			 RULEBOOK_OK);
	ck_val("is_key_chain_project", "true");
	ck_val("sector", "化工");
	ck_val("name", "某公司");
	ck_val("founded", "2020-02-29");
	ck_assert_int_eq(json("{\"name\": \"a \\\"quoted\\\" name\"}"), RULEBOOK_OK);
	ck_val("name", "a \"quoted\" name");
}
END_TEST

START_TEST(test_json_null_and_untouched)
{
	ck_assert_int_eq(json("{\"tax\": 1, \"land_area\": 2}"), RULEBOOK_OK);
	/* Inputs not mentioned keep their values; null marks missing. */
	ck_assert_int_eq(json("{\"land_area\": null}"), RULEBOOK_OK);
	ck_val("tax", "1");
	ck_val("land_area", NULL);
	ck_assert_int_eq(json("{}"), RULEBOOK_OK);
	ck_val("tax", "1");
	/* Compact JSON. */
	ck_assert_int_eq(json("{\"tax\":1158.1,\"land_area\":31.3,\"name\":\"a:b\"}"), RULEBOOK_OK);
	ck_val("mu_tax", "37");
	ck_val("name", "a:b");
	/* Whitespace and line breaks are fine. */
	ck_assert_int_eq(json("\n  {\n\t\"tax\" : 2 ,\n  \"land_area\":3}\n"), RULEBOOK_OK);
	ck_val("tax", "2");
	ck_val("land_area", "3");
}
END_TEST

START_TEST(test_json_unknown_key)
{
	/* {"tax": 1, "bogus": 2}: the key's quote is at column 12. */
	ck_assert_int_eq(json("{\"tax\": 1, \"bogus\": 2}"), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_NOT_FOUND);
	check_diag(err, 0, RULEBOOK_ERR_NOT_FOUND, "'bogus'", "<json>", 1, 12);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "bogus");
	/* On the third line, after two spaces. */
	ck_assert_int_eq(json("{\n  \"tax\": 1,\n  \"bogus\": 2\n}"), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_uint_eq(rulebook_error_line(err, 0), 3);
	ck_assert_uint_eq(rulebook_error_column(err, 0), 3);
	/* Nothing was set. */
	ck_val("tax", NULL);
	/* Parameters and indicators are not inputs. */
	ck_assert_int_eq(json("{\"mu_tax\": 37}"), RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(json("{\"min_mu_tax\": 37}"), RULEBOOK_ERR_NOT_FOUND);
}
END_TEST

START_TEST(test_json_ignore_unknown)
{
	rulebook_facts_ignore_unknown(facts, 1);
	/* "bogus" is skipped, "tax" is set: 1 万元. */
	ck_assert_int_eq(json("{\"tax\": 1, \"bogus\": 2}"), RULEBOOK_OK);
	ck_val("tax", "1");
	/* A bad value of a real input is still an error. */
	ck_assert_int_eq(json("{\"tax\": \"x\", \"bogus\": 2}"), RULEBOOK_ERR_VALUE);
	rulebook_facts_ignore_unknown(facts, 0);
	ck_assert_int_eq(json("{\"tax\": 1, \"bogus\": 2}"), RULEBOOK_ERR_NOT_FOUND);
	rulebook_facts_ignore_unknown(NULL, 1);
	/* The same for rulebook_eval_json with RULEBOOK_IN_IGNORE_UNKNOWN. */
	char *out = NULL;
	size_t len = 0;
	const char *rec = "{\"tax\": 1, \"bogus\": 2}";
	ck_assert_int_eq(rulebook_eval_json(rb, rec, strlen(rec), 20230630, 0, &out, &len, NULL),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(rulebook_eval_json(rb, rec, strlen(rec), 20230630,
					    RULEBOOK_IN_IGNORE_UNKNOWN, &out, &len, NULL),
			 RULEBOOK_OK);
	ck_assert_ptr_nonnull(out);
	rulebook_mem_free(out);
}
END_TEST

START_TEST(test_set_id)
{
	ck_assert_int_eq(rulebook_facts_set_id(facts, "firm-7xyz", 6), RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_str_eq(rulebook_result_record_id(res), "firm-7");
	ck_assert_int_eq(rulebook_facts_set_id(facts, NULL, 0), RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_ptr_null(rulebook_result_record_id(res));
	ck_assert_int_eq(rulebook_facts_set_id(NULL, "x", 1), RULEBOOK_ERR_INVALID);
	/* not UTF-8, or a NUL inside: refused, the id is unchanged (none) */
	ck_assert_int_eq(rulebook_facts_set_id(facts, "\xff\xfe\"x", 4), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(rulebook_facts_set_id(facts, "a\0b", 3), RULEBOOK_ERR_VALUE);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_ptr_null(rulebook_result_record_id(res));
}
END_TEST

/* Encoders write characters beyond the BMP as surrogate pairs: U+1F600 is
 * "\ud83d\ude00" in JSON and F0 9F 98 80 in UTF-8. An escaped backslash
 * before "u" is not an escape. */
START_TEST(test_json_surrogate_pair)
{
	ck_assert_int_eq(json("{\"name\": \"a\\ud83d\\ude00b\"}"), RULEBOOK_OK);
	ck_val("name", "a\xF0\x9F\x98\x80" "b");
	ck_assert_int_eq(json("{\"name\": \"\\\\ud83d\"}"), RULEBOOK_OK);
	ck_val("name", "\\ud83d");
}
END_TEST

START_TEST(test_json_record_id)
{
	ck_assert_int_eq(json("{\"_id\": \"firm-001\", \"_comment\": \"ignored\", \"tax\": 1}"),
			 RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_str_eq(rulebook_result_record_id(res), "firm-001");
	ck_assert_int_eq(json("{\"_id\": 42}"), RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_str_eq(rulebook_result_record_id(res), "42");
	/* Other "_" keys of any shape are kept out of the way. */
	ck_assert_int_eq(json("{\"_id\": \"统一社会信用代码-1\", \"_note\": {\"a\": [1, 2]}}"),
			 RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_str_eq(rulebook_result_record_id(res), "统一社会信用代码-1");
	/* Setters do not name a record: cleared facts have no id. */
	rulebook_facts_clear(facts);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_ptr_null(rulebook_result_record_id(res));
	ck_assert_int_eq(json("{\"_id\": [1]}"), RULEBOOK_ERR_VALUE);
}
END_TEST

START_TEST(test_json_wrong_types)
{
	static const struct {
		const char *json;
		rulebook_status st;
	} bad[] = {
		{"{\"tax\": true}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": [1]}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": {\"v\": 1}}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"5 万元/亩\"}", RULEBOOK_ERR_VALUE},
		{"{\"land_area\": \"5 万元\"}", RULEBOOK_ERR_VALUE},
		{"{\"is_key_chain_project\": 1}", RULEBOOK_ERR_VALUE},
		{"{\"is_key_chain_project\": \"yes\"}", RULEBOOK_ERR_VALUE},
		{"{\"name\": 42}", RULEBOOK_ERR_VALUE},
		{"{\"sector\": \"钢铁\"}", RULEBOOK_ERR_VALUE},
		{"{\"employees\": 12.5}", RULEBOOK_ERR_VALUE},
		{"{\"founded\": \"2023-02-30\"}", RULEBOOK_ERR_VALUE},
		{"{\"founded\": 20230501}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"NaN\"}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"inf\"}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"--1\"}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"\"}", RULEBOOK_ERR_VALUE},
		{"{\"tax\": \"1e999\"}", RULEBOOK_ERR_RANGE},
		{"{\"tax\": 1e999}", RULEBOOK_ERR_RANGE},
		{"{\"tax\": 1234567890123456789}", RULEBOOK_ERR_RANGE},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(json(bad[i].json) == bad[i].st, "%s: %d %s", bad[i].json,
			      (int)rulebook_error_status(err), rulebook_error_message(err, 0));
		ck_assert_int_eq(rulebook_error_status(err), bad[i].st);
		ck_assert_uint_ge(rulebook_error_count(err), 1);
		ck_assert_uint_eq(rulebook_error_line(err, 0), 1);
	}
	/* The position is the value's: {"tax": "NaN"} has its quote at 9. */
	ck_assert_int_eq(json("{\"tax\": \"NaN\"}"), RULEBOOK_ERR_VALUE);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "NaN", "<json>", 1, 9);
	ck_assert_str_eq(rulebook_error_subject(err, 0), "tax");
}
END_TEST

START_TEST(test_json_not_a_record)
{
	ck_assert_int_eq(json("[1, 2]"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(json("37"), RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(json("{\"tax\": "), RULEBOOK_ERR_SYNTAX);
	ck_assert_int_eq(json("{\"tax\": 1"), RULEBOOK_ERR_SYNTAX);
	ck_assert_int_eq(rulebook_facts_set_json(facts, NULL, 0, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_facts_set_json(NULL, "{}", 2, err), RULEBOOK_ERR_INVALID);
	/* Length-counted: the bytes after len are not read. */
	ck_assert_int_eq(rulebook_facts_set_json(facts, "{\"tax\": 5}garbage", 10, err), RULEBOOK_OK);
	ck_val("tax", "5");
}
END_TEST

/* Facts JSON is RFC 8259: what YAML would accept but JSON does not is a
 * syntax error at its line and column (bytes), and the facts are left as
 * they were. */
START_TEST(test_json_strict)
{
	static const struct {
		const char *json;
		rulebook_status st;
		uint32_t line, col;
		const char *message;
	} bad[] = {
		{"{tax: 1}", RULEBOOK_ERR_SYNTAX, 1, 2, "expected a key in double quotes, found 't'"},
		{"{\"tax\": &a 1}", RULEBOOK_ERR_SYNTAX, 1, 9, "expected a JSON value"},
		{"{\"tax\": 1, \"land_area\": *a}", RULEBOOK_ERR_SYNTAX, 1, 25, "found '*'"},
		{"{\"tax\": 370 万元}", RULEBOOK_ERR_SYNTAX, 1, 13,
		 "expected ',' or '}' after a member (a value with a unit is a string: \"370 万元\")"},
		{"{\"tax\": 'x'}", RULEBOOK_ERR_SYNTAX, 1, 9, "double quotes, not single quotes"},
		{"{\"tax\": 1,}", RULEBOOK_ERR_SYNTAX, 1, 11, "a trailing ',' before '}' is not JSON"},
		{"[1, 2,]", RULEBOOK_ERR_SYNTAX, 1, 7, "a trailing ',' before ']' is not JSON"},
		{"{\"tax\": 1} # comment", RULEBOOK_ERR_SYNTAX, 1, 12,
		 "expected the end of the text after the JSON value, found '#'"},
		{"{\"tax\": 1}\n{\"tax\": 2}", RULEBOOK_ERR_SYNTAX, 2, 1, "expected the end of the text"},
		{"{\"tax\": NaN}", RULEBOOK_ERR_SYNTAX, 1, 9, "expected a JSON value"},
		{"{\"tax\": .5}", RULEBOOK_ERR_SYNTAX, 1, 9, "expected a JSON value"},
		{"{\"tax\": 01}", RULEBOOK_ERR_SYNTAX, 1, 9, "cannot start with 0 followed by a digit"},
		{"{\"tax\": 1.}", RULEBOOK_ERR_SYNTAX, 1, 11, "expected a digit after the decimal point"},
		{"{\"tax\": +1}", RULEBOOK_ERR_SYNTAX, 1, 9, "expected a JSON value"},
		{"{\"tax\": True}", RULEBOOK_ERR_SYNTAX, 1, 9, "expected a JSON value"},
		{"{\"tax\":\n  1 2}", RULEBOOK_ERR_SYNTAX, 2, 5, "expected ',' or '}' after a member, found '2'"},
		{"{\"name\": \"a\\u0000b\"}", RULEBOOK_ERR_VALUE, 1, 12, "\\u0000 (NUL) is not allowed in a string"},
		{"{\"name\": \"a\tb\"}", RULEBOOK_ERR_SYNTAX, 1, 12, "control character in a string"},
		{"{\"name\": \"a\nb\"}", RULEBOOK_ERR_SYNTAX, 1, 12, "string not closed on its line"},
		{"{\"name\": \"a\\xb\"}", RULEBOOK_ERR_SYNTAX, 1, 12, "unknown escape: '\\' followed by 'x'"},
		{"{\"name\": \"\\ud83d\"}", RULEBOOK_ERR_SYNTAX, 1, 11, "\\uD83D starts a surrogate pair"},
		{"{\"name\": \"\\ude00\"}", RULEBOOK_ERR_SYNTAX, 1, 11, "\\uDE00 is a low surrogate"},
		{"{\"name\": \"\\u12\"}", RULEBOOK_ERR_SYNTAX, 1, 11, "\\u must be followed by four hex digits"},
		{"{\"name\": \"abc}", RULEBOOK_ERR_SYNTAX, 1, 10, "string not closed"},
		{"{\"tax\": 1, \"tax\": 2}", RULEBOOK_ERR_SCHEMA, 1, 12, "duplicate key 'tax' (first at line 1)"},
		{"", RULEBOOK_ERR_SCHEMA, 1, 1, "empty document"},
		{" \n ", RULEBOOK_ERR_SCHEMA, 2, 2, "empty document"},
	};
	ck_assert_int_eq(dec("tax", "7"), RULEBOOK_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rulebook_status st = json(bad[i].json);
		ck_assert_msg(st == bad[i].st, "%s: status %d, wanted %d (%s)", bad[i].json, (int)st,
			      (int)bad[i].st, rulebook_error_message(err, 0));
		ck_assert_uint_eq(rulebook_error_count(err), 1);
		check_diag(err, 0, bad[i].st, bad[i].message, "<json>", bad[i].line, bad[i].col);
	}
	ck_val("tax", "7");
	/* JSON whitespace is space, tab, CR and LF, around every token */
	ck_assert_int_eq(json("\t{ \"tax\" :\r\n 8 ,\"land_area\":null }\r\n"), RULEBOOK_OK);
	ck_val("tax", "8");
	/* escapes */
	ck_assert_int_eq(json("{\"name\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u4e2d\"}"), RULEBOOK_OK);
	ck_val("name", "\"\\/\b\f\n\r\t中");
}
END_TEST

/* Numbers keep their exact decimal text through JSON. */
START_TEST(test_json_exact_numbers)
{
	ck_assert_int_eq(json("{\"tax\": 0.1000000000000000055511151231257827}"), RULEBOOK_ERR_RANGE);
	ck_assert_int_eq(json("{\"tax\": 1158.10}"), RULEBOOK_OK);
	ck_val("tax", "1158.1");
	ck_assert_int_eq(json("{\"tax\": -0.5E+1}"), RULEBOOK_OK);
	ck_val("tax", "-5");
	ck_assert_int_eq(json("{\"tax\": 123456789012345678}"), RULEBOOK_OK);
	ck_val("tax", "123456789012345678");
}
END_TEST

/* "_id": null is no record id, not the id "null"; true is not an id. */
START_TEST(test_json_null_record_id)
{
	ck_assert_int_eq(json("{\"_id\": \"a\"}"), RULEBOOK_OK);
	ck_assert_int_eq(json("{\"_id\": null, \"tax\": 1}"), RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_ptr_null(rulebook_result_record_id(res));
	ck_assert_int_eq(json("{\"_id\": \"null\"}"), RULEBOOK_OK);
	eval_ok(rb, facts, 20230630, res);
	ck_assert_str_eq(rulebook_result_record_id(res), "null");
	ck_assert_int_eq(json("{\"_id\": true}"), RULEBOOK_ERR_VALUE);
	check_diag(err, 0, RULEBOOK_ERR_VALUE, "_id must be a string or number", "<json>", 1, 9);
}
END_TEST

/* The limits apply to JSON facts as to rulebooks. */
START_TEST(test_json_limits)
{
	char deep[200];
	memset(deep, '[', 70);
	snprintf(deep + 70, sizeof deep - 70, "1");
	memset(deep + 71, ']', 70);
	deep[141] = '\0';
	char text[220];
	snprintf(text, sizeof text, "{\"tax\": %s}", deep);
	ck_assert_int_eq(json(text), RULEBOOK_ERR_LIMIT);
	/* the root object is level 1: the 64th '[' (column 8 + 64) is level 65 */
	check_diag(err, 0, RULEBOOK_ERR_LIMIT, "document nests deeper than the depth limit (64)",
		   "<json>", 1, 72);
}
END_TEST

START_TEST(test_json_bad_record_leaves_facts)
{
	ck_assert_int_eq(dec("tax", "1"), RULEBOOK_OK);
	ck_assert_int_eq(dec("land_area", "2"), RULEBOOK_OK);
	ck_assert_int_eq(json("{\"_id\": \"a\"}"), RULEBOOK_OK);
	/* The good value before the bad one is not applied either. */
	ck_assert_int_eq(json("{\"_id\": \"b\", \"tax\": 5, \"land_area\": \"NaN\"}"),
			 RULEBOOK_ERR_VALUE);
	ck_assert_int_eq(json("{\"tax\": 5, \"land_area\": null, \"bogus\": 1}"),
			 RULEBOOK_ERR_NOT_FOUND);
	ck_assert_int_eq(json("{\"tax\": 5, \"name\": 3}"), RULEBOOK_ERR_VALUE);
	ck_val("tax", "1");
	ck_val("land_area", "2");
	ck_assert_str_eq(rulebook_result_record_id(res), "a");
}
END_TEST

START_TEST(test_facts_other_rulebook)
{
	rulebook *other = load_str(HDR "inputs:\n  - {id: tax, type: number}\n");
	rulebook_facts *f = rulebook_facts_new(other);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, res, err), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_error_status(err), RULEBOOK_ERR_INVALID);
	rulebook_result *r = rulebook_result_new(other);
	ck_assert_int_eq(rulebook_eval(rb, facts, 20230630, r, NULL), RULEBOOK_ERR_INVALID);
	ck_assert_int_eq(rulebook_eval(other, f, 20230630, r, NULL), RULEBOOK_OK);
	rulebook_result_free(r);
	rulebook_facts_free(f);
	rulebook_free(other);
	ck_assert_ptr_null(rulebook_facts_new(NULL));
}
END_TEST

static Suite *facts_suite(void)
{
	Suite *s = suite_create("facts");
	TCase *tc = tcase_create("setters");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_decimal);
	tcase_add_test(tc, test_set_decimal_with_unit);
	tcase_add_test(tc, test_set_decimal_bad);
	tcase_add_test(tc, test_set_double);
	tcase_add_test(tc, test_set_int);
	tcase_add_test(tc, test_set_bool);
	tcase_add_test(tc, test_set_text);
	tcase_add_test(tc, test_set_date);
	tcase_add_test(tc, test_set_scaled_at);
	tcase_add_test(tc, test_set_bool_date_at);
	tcase_add_test(tc, test_set_missing);
	tcase_add_test(tc, test_input_index);
	tcase_add_test(tc, test_setters_at);
	tcase_add_test(tc, test_text_at_utf8);
	tcase_add_test(tc, test_facts_other_rulebook);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json_numbers_kept_as_text);
	tcase_add_test(tc, test_json_null_and_untouched);
	tcase_add_test(tc, test_json_unknown_key);
	tcase_add_test(tc, test_json_ignore_unknown);
	tcase_add_test(tc, test_set_id);
	tcase_add_test(tc, test_json_surrogate_pair);
	tcase_add_test(tc, test_json_record_id);
	tcase_add_test(tc, test_json_wrong_types);
	tcase_add_test(tc, test_json_not_a_record);
	tcase_add_test(tc, test_json_strict);
	tcase_add_test(tc, test_json_exact_numbers);
	tcase_add_test(tc, test_json_null_record_id);
	tcase_add_test(tc, test_json_limits);
	tcase_add_test(tc, test_json_bad_record_leaves_facts);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_index");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_setters_at_bad_index);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(facts_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
