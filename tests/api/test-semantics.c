/* Expression semantics through the public API: tiny rulebooks evaluated
 * with facts, checked against values worked out by hand. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF 20230630

static rulebook_verdict v0(const char *expr)
{
	return verdict_of("", expr, "{}", AS_OF);
}

/* A rulebook with HDR, the given inputs and one indicator x<i> per
 * expression (in units[i] when units is not NULL); calc_value evaluates it
 * with facts and returns the value of x<i>. */
typedef struct calc {
	rulebook *rb;
	rulebook_facts *f;
	rulebook_result *res;
} calc;

static calc calc_new(const char *inputs, const char *const *exprs, const char *const *units,
		     size_t n)
{
	char yaml[8192];
	size_t off = (size_t)snprintf(yaml, sizeof yaml, HDR "%s%s\nindicators:\n",
				      inputs[0] ? "inputs:\n" : "", inputs);
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(yaml + off, sizeof yaml - off,
					"  - {id: x%zu, expr: '%s'%s%s%s}\n", i, exprs[i],
					units ? ", unit: '" : "", units ? units[i] : "", units ? "'" : "");
	ck_assert(off < sizeof yaml);
	calc c;
	c.rb = load_str(yaml);
	c.f = rulebook_facts_new(c.rb);
	c.res = rulebook_result_new(c.rb);
	ck_assert_ptr_nonnull(c.f);
	ck_assert_ptr_nonnull(c.res);
	return c;
}

static const char *calc_value(calc *c, const char *json, size_t i)
{
	char name[16];
	rulebook_facts_clear(c->f);
	set_json(c->f, json);
	eval_ok(c->rb, c->f, AS_OF, c->res);
	snprintf(name, sizeof name, "x%zu", i);
	return rulebook_result_value(c->res, name);
}

static void calc_free(calc *c)
{
	rulebook_result_free(c->res);
	rulebook_facts_free(c->f);
	rulebook_free(c->rb);
}

/* ------------------------------------------------------------------------
 * Exact decimals
 * ------------------------------------------------------------------------ */

START_TEST(test_exact_arithmetic)
{
	ck_assert_int_eq(v0("0.1 * 3 >= 0.3"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("0.1 * 3 == 0.3"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("0.1 * 3 > 0.3"), RULEBOOK_FAIL);
	ck_assert_int_eq(v0("1.2 * 3 == 3.6"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("370 / 10 >= 37"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("370 / 10 == 37"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("23 / 1000 >= 2.3%"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("23 / 1000 == 2.3%"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("0.1 + 0.2 == 0.3"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("1 / 3 * 3 == 1"), RULEBOOK_FAIL); /* division rounds to 18 digits */
	ck_assert_int_eq(v0("2.3% == 0.023"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("1.2e3 == 1200"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("-0.5 < 0"), RULEBOOK_PASS);
	ck_assert_int_eq(v0("2 - 3 * 2 == -4"), RULEBOOK_PASS); /* * binds tighter */
	ck_assert_int_eq(v0("(2 - 3) * 2 == -2"), RULEBOOK_PASS);
}
END_TEST

START_TEST(test_values_as_text)
{
	static const char *const ex[] = {"0.1 * 3", "370 / 10", "23 / 1000", "1158.1 / 31.3",
					 "2.3%", "1 / 3", "1.50 + 0"};
	calc c = calc_new("", ex, NULL, 7);
	ck_assert_str_eq(calc_value(&c, "{}", 0), "0.3");
	ck_assert_str_eq(calc_value(&c, "{}", 1), "37");
	ck_assert_str_eq(calc_value(&c, "{}", 2), "0.023");
	ck_assert_str_eq(calc_value(&c, "{}", 3), "37");
	ck_assert_str_eq(calc_value(&c, "{}", 4), "0.023");
	ck_assert_str_eq(calc_value(&c, "{}", 5), "0.333333333333333333"); /* 18 digits */
	ck_assert_str_eq(calc_value(&c, "{}", 6), "1.5");
	calc_free(&c);
}
END_TEST

/* A fixed-seed linear congruential generator (Knuth's MMIX constants). */
static uint64_t lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005u + 1442695040888963407u;
	return *state >> 33;
}

/* n / 10^4 as decimal text with exactly four decimals. */
static void fmt4(char *buf, size_t size, uint64_t n)
{
	snprintf(buf, size, "%llu.%04llu", (unsigned long long)(n / 10000),
		 (unsigned long long)(n % 10000));
}

START_TEST(test_exactly_37_per_mu)
{
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: tax, type: number, unit: 万元}\n"
				"  - {id: land_area, type: number, unit: 亩}\n"
				"parameters:\n"
				"  - {id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: 37}\n"
				"indicators:\n"
				"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
				"rules:\n"
				"  - {id: T1, cite: 二, require: mu_tax >= min_mu_tax}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	uint64_t seed = 20230630;
	char area[64], tax[64];
	for (int i = 0; i < 2000; i++) {
		/* area: 0.0001 .. 9999.9999 亩, up to four decimals */
		uint64_t a = lcg(&seed) % 99999999u + 1;
		fmt4(area, sizeof area, a);
		/* tax = 37 × area, exactly: (37 a) / 10^4 */
		fmt4(tax, sizeof tax, 37 * a);
		ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", area, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", tax, NULL), RULEBOOK_OK);
		eval_ok(rb, f, AS_OF, res);
		ck_assert_msg(rulebook_result_verdict(res, 0) == RULEBOOK_PASS, "tax %s over %s 亩: %s",
			      tax, area, rulebook_verdict_str(rulebook_result_verdict(res, 0)));
		ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "37");
		/* 0.0001 万元 less fails */
		fmt4(tax, sizeof tax, 37 * a - 1);
		ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", tax, NULL), RULEBOOK_OK);
		eval_ok(rb, f, AS_OF, res);
		ck_assert_msg(rulebook_result_verdict(res, 0) == RULEBOOK_FAIL, "tax %s over %s 亩",
			      tax, area);
	}
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_exact_unit_conversion)
{
	/* 亩 = 10000/15 m², so 20000 m² = 30 亩, and 37 万元/亩 =
	 * 370000 元 / (10000/15 m²) = 555 元/m². */
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: tax, type: number, unit: 万元}\n"
				"  - {id: land_area, type: number, unit: 亩}\n"
				"  - {id: land_m2, type: number, unit: m²}\n"
				"parameters:\n"
				"  - {id: min_yuan_m2, unit: 元/m², cite: 二, provenance: cited, value: 555}\n"
				"indicators:\n"
				"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
				"  - {id: mu_tax2, expr: tax / land_m2, unit: 万元/亩}\n"
				"  - {id: land_mu, expr: land_m2, unit: 亩}\n"
				"rules:\n"
				"  - {id: A, cite: 二, require: mu_tax >= min_yuan_m2}\n"
				"  - {id: B, cite: 二, require: mu_tax2 >= min_yuan_m2}\n"
				"  - {id: C, cite: 二, require: 'mu_tax2 == 37 [万元/亩]'}\n"
				"  - {id: D, cite: 二, require: land_area == 30}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", "1110", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", "20000 m²", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_m2", "20000", NULL), RULEBOOK_OK);
	eval_ok(rb, f, AS_OF, res);
	ck_assert_str_eq(rulebook_result_value(res, "land_area"), "30");
	ck_assert_str_eq(rulebook_result_value(res, "land_mu"), "30");
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax"), "37");
	ck_assert_str_eq(rulebook_result_value(res, "mu_tax2"), "37");
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(rulebook_result_verdict(res, i), RULEBOOK_PASS);
	/* 1109.9999 万元 over 30 亩 is short of 555 元/m². */
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", "1109.9999", NULL), RULEBOOK_OK);
	eval_ok(rb, f, AS_OF, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(res, 2), RULEBOOK_FAIL);
	/* Other spellings of the same units. */
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", "2 公顷", NULL), RULEBOOK_OK);
	eval_ok(rb, f, AS_OF, res);
	ck_assert_str_eq(rulebook_result_value(res, "land_area"), "30");
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_m2", "30 mu", NULL), RULEBOOK_OK);
	eval_ok(rb, f, AS_OF, res);
	ck_assert_str_eq(rulebook_result_value(res, "land_m2"), "20000");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* ------------------------------------------------------------------------
 * Logic
 * ------------------------------------------------------------------------ */

#define BOOLS "  - {id: u, type: boolean}\n  - {id: t, type: boolean}\n"

START_TEST(test_three_valued_logic)
{
	/* u is missing: unknown. */
	ck_assert_int_eq(verdict_of(BOOLS, "u and false", "{}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(BOOLS, "false and u", "{}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(BOOLS, "u or true", "{}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "true or u", "{}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "u and true", "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(BOOLS, "u or false", "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(BOOLS, "not u", "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(BOOLS, "u and t", "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(BOOLS, "u and t", "{\"t\": false}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(BOOLS, "u or t", "{\"t\": true}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "u or t", "{\"t\": false}", AS_OF), RULEBOOK_UNKNOWN);
	/* Two-valued when everything is known. */
	ck_assert_int_eq(verdict_of(BOOLS, "u and not t", "{\"u\": true, \"t\": false}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "u or t", "{\"u\": false, \"t\": false}", AS_OF),
			 RULEBOOK_FAIL);
	/* 'and' binds tighter than 'or'. */
	ck_assert_int_eq(verdict_of(BOOLS, "true or false and false", "{}", AS_OF), RULEBOOK_PASS);
	/* Unknown comparisons behave the same way. */
	ck_assert_int_eq(verdict_of("  - {id: x, type: number}\n", "x > 1 or 1 < 2", "{}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of("  - {id: x, type: number}\n", "x > 1 and 1 > 2", "{}", AS_OF),
			 RULEBOOK_FAIL);
}
END_TEST

START_TEST(test_missing_present_coalesce)
{
	ck_assert_int_eq(verdict_of(BOOLS, "missing(u)", "{}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "present(u)", "{}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(BOOLS, "missing(u)", "{\"u\": false}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(BOOLS, "present(u)", "{\"u\": false}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "coalesce(u, true)", "{}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(BOOLS, "coalesce(u, true)", "{\"u\": false}", AS_OF),
			 RULEBOOK_FAIL);

	static const char *const ex[] = {"coalesce(x, 0)", "coalesce(x, y)", "x + 1"};
	static const char *const un[] = {"亩", "亩", "亩"};
	calc c = calc_new("  - {id: x, type: number, unit: 亩}\n  - {id: y, type: number, unit: m²}\n",
			  ex, un, 3);
	ck_assert_str_eq(calc_value(&c, "{}", 0), "0");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 4}", 0), "4");
	/* y converted into x's unit: 20000 m² = 30 亩. */
	ck_assert_str_eq(calc_value(&c, "{\"y\": 20000}", 1), "30");
	ck_assert_ptr_null(calc_value(&c, "{}", 1));
	ck_assert_ptr_null(calc_value(&c, "{}", 2)); /* missing propagates */
	ck_assert_str_eq(calc_value(&c, "{\"x\": 4}", 2), "5");
	calc_free(&c);
}
END_TEST

#define SECTOR "  - {id: sector, type: enum, values: [纺织, 化工, 装备制造]}\n  - {id: n, type: number}\n"

START_TEST(test_in_not_in)
{
	const char *in = "sector in [\"纺织\", \"化工\"]";
	const char *not_in = "sector not in [\"纺织\", \"化工\"]";
	ck_assert_int_eq(verdict_of(SECTOR, in, "{\"sector\": \"化工\"}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(SECTOR, in, "{\"sector\": \"装备制造\"}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(SECTOR, in, "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(SECTOR, not_in, "{\"sector\": \"化工\"}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(SECTOR, not_in, "{\"sector\": \"装备制造\"}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(SECTOR, not_in, "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(SECTOR, "n in [1, 2.5, 3]", "{\"n\": 2.50}", AS_OF), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(SECTOR, "n in [1, 2.5, 3]", "{\"n\": 2}", AS_OF), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(SECTOR, "n not in [1, 2.5, 3]", "{\"n\": 2}", AS_OF),
			 RULEBOOK_PASS);
	/* Enum equality. */
	ck_assert_int_eq(verdict_of(SECTOR, "sector == \"纺织\"", "{\"sector\": \"纺织\"}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(SECTOR, "sector != \"纺织\"", "{\"sector\": \"纺织\"}", AS_OF),
			 RULEBOOK_FAIL);
	/* Text equality. */
	ck_assert_int_eq(verdict_of("  - {id: s, type: text}\n", "s == \"临安\"", "{\"s\": \"临安\"}",
				    AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of("  - {id: s, type: text}\n", "s in [\"a\", \"临安\"]",
				    "{\"s\": \"临\"}", AS_OF),
			 RULEBOOK_FAIL);
}
END_TEST

START_TEST(test_condition_indicator)
{
	/* An indicator may be a condition: 1 亿元 = 10000 万元. */
	static const char *const ex[] = {"investment >= 1 [亿元]", "not (investment >= 1 [亿元])"};
	calc c = calc_new("  - {id: investment, type: number, unit: 万元}\n", ex, NULL, 2);
	ck_assert_str_eq(calc_value(&c, "{\"investment\": 10000}", 0), "true");
	ck_assert_str_eq(calc_value(&c, "{\"investment\": 9999.99}", 0), "false");
	ck_assert_str_eq(calc_value(&c, "{\"investment\": 9999.99}", 1), "true");
	ck_assert_ptr_null(calc_value(&c, "{}", 0));
	calc_free(&c);
}
END_TEST

START_TEST(test_if_then_else)
{
	static const char *const ex[] = {"if x > 10 then x * 2 else x"};
	calc c = calc_new("  - {id: x, type: number}\n", ex, NULL, 1);
	ck_assert_str_eq(calc_value(&c, "{\"x\": 15}", 0), "30");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 5}", 0), "5");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 10}", 0), "10");
	ck_assert_ptr_null(calc_value(&c, "{}", 0));
	calc_free(&c);
	/* Branches in different units of one dimension are unified exactly. */
	ck_assert_int_eq(verdict_of("  - {id: b, type: boolean}\n",
				    "(if b then 1 [万元] else 5000 [元]) == 0.5 [万元]",
				    "{\"b\": false}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of("  - {id: b, type: boolean}\n",
				    "(if b then 1 [万元] else 5000 [元]) == 10000 [元]",
				    "{\"b\": true}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of("  - {id: b, type: boolean}\n", "(if b then 1 else 2) == 1",
				    "{}", AS_OF),
			 RULEBOOK_UNKNOWN);
}
END_TEST

START_TEST(test_functions)
{
	static const char *const ex[] = {
		"min(3, x, 7)", "max(3, x, 7)", "abs(x)",      "round(x)",    "round(x, 1)",
		"round(x, -2)", "clamp(x, 0, 10)", "min(x)",   "-x",          "abs(-x)",
	};
	calc c = calc_new("  - {id: x, type: number}\n", ex, NULL, 10);
	ck_assert_str_eq(calc_value(&c, "{\"x\": 5}", 0), "3");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 1}", 0), "1");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 5}", 1), "7");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 9}", 1), "9");
	ck_assert_str_eq(calc_value(&c, "{\"x\": -2.5}", 2), "2.5");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 2.5}", 2), "2.5");
	/* Half away from zero (四舍五入). */
	ck_assert_str_eq(calc_value(&c, "{\"x\": 2.5}", 3), "3");
	ck_assert_str_eq(calc_value(&c, "{\"x\": -2.5}", 3), "-3");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 2.4999}", 3), "2");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 1.25}", 4), "1.3");
	ck_assert_str_eq(calc_value(&c, "{\"x\": -1.25}", 4), "-1.3");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 1.24}", 4), "1.2");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 1250}", 5), "1300");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 1249.9}", 5), "1200");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 15}", 6), "10");
	ck_assert_str_eq(calc_value(&c, "{\"x\": -1}", 6), "0");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 5.5}", 6), "5.5");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 42}", 7), "42");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 42}", 8), "-42");
	ck_assert_str_eq(calc_value(&c, "{\"x\": 42}", 9), "42");
	for (size_t i = 0; i < 10; i++)
		ck_assert_ptr_null(calc_value(&c, "{}", i));
	calc_free(&c);
}
END_TEST

START_TEST(test_dates)
{
	const char *inputs = "  - {id: d, type: date}\n";
	ck_assert_int_eq(verdict_of(inputs, "as_of >= date(\"2023-06-30\")", "{}", 20230629),
			 RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(inputs, "as_of >= date(\"2023-06-30\")", "{}", 20230630),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "as_of < date(\"2024-01-01\")", "{}", 20231231),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "year(as_of) == 2023", "{}", 20231231), RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "year(as_of) == 2023", "{}", 20240101), RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(inputs, "d < as_of", "{\"d\": \"2023-06-29\"}", 20230630),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "d < as_of", "{\"d\": \"2023-06-30\"}", 20230630),
			 RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(inputs, "d == date(\"2020-02-29\")", "{\"d\": \"2020-02-29\"}",
				    AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "d < as_of", "{}", AS_OF), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(verdict_of(inputs, "year(d) >= 2000", "{\"d\": \"1999-12-31\"}", AS_OF),
			 RULEBOOK_FAIL);
}
END_TEST

START_TEST(test_bare_number_takes_unit)
{
	/* land_area >= 3 compares with 3 亩; 3 [公顷] is 45 亩. */
	const char *inputs = "  - {id: land_area, type: number, unit: 亩}\n";
	ck_assert_int_eq(verdict_of(inputs, "land_area >= 3", "{\"land_area\": 3}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "land_area >= 3 [公顷]", "{\"land_area\": 44.9999}", AS_OF),
			 RULEBOOK_FAIL);
	ck_assert_int_eq(verdict_of(inputs, "land_area >= 3 [公顷]", "{\"land_area\": 45}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of(inputs, "3 <= land_area", "{\"land_area\": 3}", AS_OF),
			 RULEBOOK_PASS);
}
END_TEST

START_TEST(test_division_by_zero)
{
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: x, type: number}\n"
				"  - {id: y, type: number}\n"
				"indicators:\n"
				"  - {id: r, expr: x / y}\n"
				"rules:\n"
				"  - {id: R, cite: 一, require: r >= 1}\n"
				"  - {id: W, cite: 一, when: x / y > 1}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"x\": 1, \"y\": 0}");
	eval_ok(rb, f, AS_OF, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_ERROR);
	/* In 'when' too. */
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_ERROR);
	ck_assert_ptr_null(rulebook_result_value(res, "r"));
	uint32_t counts[8];
	rulebook_result_counts(res, counts);
	ck_assert_uint_eq(counts[RULEBOOK_ERROR], 2);
	ck_assert_uint_eq(counts[RULEBOOK_PASS], 0);
	const char *json = NULL;
	size_t len = 0;
	ck_assert_int_eq(rulebook_result_json(res, 0, &json, &len), RULEBOOK_OK);
	ck_assert(contains(json, "\"verdict\":\"error\""));
	ck_assert(contains(json, "\"error\":\"division by zero\""));
	ck_assert_str_eq(rulebook_result_error(res, 0), "division by zero");
	ck_assert_ptr_null(rulebook_result_error(res, 99));
	ck_assert_ptr_null(rulebook_result_error(NULL, 0));
	/* y = 0.5 fixes it. */
	set_json(f, "{\"y\": 0.5}");
	eval_ok(rb, f, AS_OF, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	ck_assert_ptr_null(rulebook_result_error(res, 0));
	ck_assert_int_eq(rulebook_result_verdict(res, 1), RULEBOOK_PASS);
	ck_assert_str_eq(rulebook_result_value(res, "r"), "2");
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_overflow)
{
	/* 1e200 × 1e200 is beyond the decimal range. */
	rulebook *rb = load_str(HDR
				"inputs:\n"
				"  - {id: x, type: number}\n"
				"indicators:\n"
				"  - {id: big, expr: x * x}\n"
				"rules:\n"
				"  - {id: R, cite: 一, require: big > 0}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	set_json(f, "{\"x\": 1e200}");
	eval_ok(rb, f, AS_OF, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_ERROR);
	ck_assert_ptr_null(rulebook_result_value(res, "big"));
	const char *json = NULL;
	ck_assert_int_eq(rulebook_result_json(res, 0, &json, NULL), RULEBOOK_OK);
	ck_assert(contains(json, "\"error\":\"number out of the decimal range\""));
	set_json(f, "{\"x\": 1e100}");
	eval_ok(rb, f, AS_OF, res);
	ck_assert_int_eq(rulebook_result_verdict(res, 0), RULEBOOK_PASS);
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

START_TEST(test_percent_facts)
{
	/* A dimensionless input takes a percentage: 2.3% = 0.023. */
	static const char *const ex[] = {"share", "share * 1000"};
	calc c = calc_new("  - {id: share, type: number}\n", ex, NULL, 2);
	ck_assert_str_eq(calc_value(&c, "{\"share\": \"2.3%\"}", 0), "0.023");
	ck_assert_str_eq(calc_value(&c, "{\"share\": \"2.3 %\"}", 1), "23");
	ck_assert_str_eq(calc_value(&c, "{\"share\": \"5 ‰\"}", 0), "0.005");
	calc_free(&c);
	ck_assert_int_eq(verdict_of("  - {id: share, type: number}\n", "share > 2.3%",
				    "{\"share\": \"2.31%\"}", AS_OF),
			 RULEBOOK_PASS);
	ck_assert_int_eq(verdict_of("  - {id: share, type: number}\n", "share > 2.3%",
				    "{\"share\": 0.023}", AS_OF),
			 RULEBOOK_FAIL);
}
END_TEST

static Suite *semantics_suite(void)
{
	Suite *s = suite_create("semantics");
	TCase *tc = tcase_create("decimals");
	tcase_add_test(tc, test_exact_arithmetic);
	tcase_add_test(tc, test_values_as_text);
	tcase_add_test(tc, test_exactly_37_per_mu);
	tcase_add_test(tc, test_exact_unit_conversion);
	tcase_add_test(tc, test_bare_number_takes_unit);
	tcase_add_test(tc, test_division_by_zero);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_percent_facts);
	suite_add_tcase(s, tc);

	tc = tcase_create("logic");
	tcase_add_test(tc, test_three_valued_logic);
	tcase_add_test(tc, test_missing_present_coalesce);
	tcase_add_test(tc, test_in_not_in);
	tcase_add_test(tc, test_if_then_else);
	tcase_add_test(tc, test_condition_indicator);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_dates);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(semantics_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
