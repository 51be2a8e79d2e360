/* Units: the built-in table, the unit grammar, exact scales, overflow,
 * user definitions and error positions. Expected scales are worked out by
 * hand from the definitions (亩 = 10000/15 m² = 2000/3 m²). */
#include "units.h"

#include "rulebook.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rb_units *reg;

static void setup(void)
{
	reg = rb_units_new();
	ck_assert_ptr_nonnull(reg);
}

static void teardown(void)
{
	rb_units_free(reg);
	reg = NULL;
}

static rb_unit_status parse(const char *s, rb_unit *out, size_t *errpos)
{
	return rb_units_parse(reg, s, strlen(s), out, errpos);
}

/* Parse s, which must succeed. */
static rb_unit P(const char *s)
{
	rb_unit r;
	size_t errpos = 12345;
	rb_unit_status st = parse(s, &r, &errpos);
	ck_assert_msg(st == RB_UNIT_OK, "\"%s\": %s at %zu", s, rb_unit_status_str(st), errpos);
	return r;
}

/* A unit with one dimension to the first power and the given scale. */
static rb_unit U1(int dim, int64_t num, int64_t den)
{
	rb_unit r = rb_unit_one();
	r.dim[dim] = 1;
	r.num = num;
	r.den = den;
	return r;
}

#define ck_scale(u, n, d)                                                             \
	do {                                                                          \
		rb_unit u_ = (u);                                                     \
		ck_assert_int_eq(u_.num, (n));                                        \
		ck_assert_int_eq(u_.den, (d));                                        \
	} while (0)

/* Parse s, which must fail with st at errpos. */
static void ck_fail_at(const char *s, rb_unit_status st, size_t errpos)
{
	rb_unit r;
	size_t at = 12345;
	rb_unit_status got = parse(s, &r, &at);
	ck_assert_msg(got == st, "\"%s\": got %s, want %s", s, rb_unit_status_str(got),
		      rb_unit_status_str(st));
	ck_assert_msg(at == errpos, "\"%s\": errpos %zu, want %zu", s, at, errpos);
}

/* ---- built-in units ---- */

static const struct {
	const char *name;
	int dim; /* -1: dimensionless */
	int64_t num, den;
} table[] = {
	{"元", RB_DIM_CNY, 1, 1},
	{"yuan", RB_DIM_CNY, 1, 1},
	{"CNY", RB_DIM_CNY, 1, 1},
	{"千元", RB_DIM_CNY, 1000, 1},
	{"万元", RB_DIM_CNY, 10000, 1},
	{"百万元", RB_DIM_CNY, 1000000, 1},
	{"亿元", RB_DIM_CNY, 100000000, 1},
	{"美元", RB_DIM_USD, 1, 1},
	{"USD", RB_DIM_USD, 1, 1},
	{"万美元", RB_DIM_USD, 10000, 1},
	{"亿美元", RB_DIM_USD, 100000000, 1},
	{"m²", RB_DIM_AREA, 1, 1},
	{"m2", RB_DIM_AREA, 1, 1},
	{"平方米", RB_DIM_AREA, 1, 1},
	{"亩", RB_DIM_AREA, 2000, 3},
	{"mu", RB_DIM_AREA, 2000, 3},
	{"公顷", RB_DIM_AREA, 10000, 1},
	{"ha", RB_DIM_AREA, 10000, 1},
	{"hm²", RB_DIM_AREA, 10000, 1},
	{"hm2", RB_DIM_AREA, 10000, 1},
	{"km²", RB_DIM_AREA, 1000000, 1},
	{"km2", RB_DIM_AREA, 1000000, 1},
	{"平方公里", RB_DIM_AREA, 1000000, 1},
	{"万平方米", RB_DIM_AREA, 10000, 1},
	{"kgCO2", RB_DIM_CO2, 1, 1},
	{"kgCO₂", RB_DIM_CO2, 1, 1},
	{"千克二氧化碳", RB_DIM_CO2, 1, 1},
	{"tCO2", RB_DIM_CO2, 1000, 1},
	{"tCO₂", RB_DIM_CO2, 1000, 1},
	{"吨CO2", RB_DIM_CO2, 1000, 1},
	{"吨CO₂", RB_DIM_CO2, 1000, 1},
	{"吨二氧化碳", RB_DIM_CO2, 1000, 1},
	{"万吨CO2", RB_DIM_CO2, 10000000, 1},
	{"万吨CO₂", RB_DIM_CO2, 10000000, 1},
	{"万吨二氧化碳", RB_DIM_CO2, 10000000, 1},
	{"kWh", RB_DIM_ELECTRICITY, 1, 1},
	{"千瓦时", RB_DIM_ELECTRICITY, 1, 1},
	{"度", RB_DIM_ELECTRICITY, 1, 1},
	{"万kWh", RB_DIM_ELECTRICITY, 10000, 1},
	{"万千瓦时", RB_DIM_ELECTRICITY, 10000, 1},
	{"MWh", RB_DIM_ELECTRICITY, 1000, 1},
	{"亿千瓦时", RB_DIM_ELECTRICITY, 100000000, 1},
	{"人", RB_DIM_PERSON, 1, 1},
	{"万人", RB_DIM_PERSON, 10000, 1},
	{"人次", RB_DIM_PERSON, 1, 1},
	{"年", RB_DIM_TIME, 1, 1},
	{"a", RB_DIM_TIME, 1, 1},
	{"year", RB_DIM_TIME, 1, 1},
	{"个", RB_DIM_COUNT, 1, 1},
	{"家", RB_DIM_COUNT, 1, 1},
	{"项", RB_DIM_COUNT, 1, 1},
	{"件", RB_DIM_COUNT, 1, 1},
	{"台", RB_DIM_COUNT, 1, 1},
	{"套", RB_DIM_COUNT, 1, 1},
	{"次", RB_DIM_COUNT, 1, 1},
	{"%", -1, 1, 100},
	{"‰", -1, 1, 1000},
	{"", -1, 1, 1},
	{"1", -1, 1, 1},
};

START_TEST(builtin_names)
{
	rb_unit want = rb_unit_one(), got = P(table[_i].name);
	if (table[_i].dim >= 0)
		want.dim[table[_i].dim] = 1;
	want.num = table[_i].num;
	want.den = table[_i].den;
	ck_assert_msg(rb_unit_equal(&got, &want), "\"%s\": %lld/%lld", table[_i].name,
		      (long long)got.num, (long long)got.den);
}
END_TEST

static const struct {
	const char *name;
	int64_t num;
} energy[] = {
	{"kgce", 1}, {"千克标准煤", 1}, {"tce", 1000}, {"吨标准煤", 1000},
	{"万tce", 10000000}, {"万吨标准煤", 10000000},
};

START_TEST(energy_basis)
{
	static const struct {
		const char *suffix;
		int dim;
	} basis[] = {
		{"(当量值)", RB_DIM_ENERGY_CAL},
		{"(calorific)", RB_DIM_ENERGY_CAL},
		{"(等价值)", RB_DIM_ENERGY_EQV},
		{"(equivalent)", RB_DIM_ENERGY_EQV},
	};
	char text[64];
	for (size_t b = 0; b < sizeof basis / sizeof basis[0]; b++) {
		strcpy(text, energy[_i].name);
		strcat(text, basis[b].suffix);
		rb_unit want = U1(basis[b].dim, energy[_i].num, 1), got = P(text);
		ck_assert_msg(rb_unit_equal(&got, &want), "%s", text);
	}
	/* without a basis the unit is refused, pointing at its name */
	ck_fail_at(energy[_i].name, RB_UNIT_NO_BASIS, 0);
	strcpy(text, "元/");
	strcat(text, energy[_i].name);
	ck_fail_at(text, RB_UNIT_NO_BASIS, 4);
}
END_TEST

START_TEST(energy_bases_differ)
{
	rb_unit cal = P("tce(当量值)"), eqv = P("tce(等价值)");
	ck_assert(!rb_unit_same_dim(&cal, &eqv));
	ck_assert_int_eq(cal.dim[RB_DIM_ENERGY_CAL], 1);
	ck_assert_int_eq(cal.dim[RB_DIM_ENERGY_EQV], 0);
	ck_assert_int_eq(eqv.dim[RB_DIM_ENERGY_EQV], 1);
	/* spaces inside the basis parentheses are fine */
	rb_unit sp = P("tce( 等价值 )");
	ck_assert(rb_unit_equal(&sp, &eqv));
	/* a space before it makes it a separate (grouped) factor: no basis */
	ck_fail_at("tce (等价值)", RB_UNIT_NO_BASIS, 0);
	/* an unknown basis word */
	ck_fail_at("tce(热值)", RB_UNIT_NO_BASIS, 4);
	ck_fail_at("tce(等价值x)", RB_UNIT_NO_BASIS, 4);
	ck_fail_at("tce(等价值", RB_UNIT_SYNTAX, 13);
	/* a basis on a unit that is not energy */
	ck_fail_at("元(等价值)", RB_UNIT_SYNTAX, 3);
	ck_fail_at("kWh(当量值)", RB_UNIT_SYNTAX, 3);
	ck_fail_at("元(人)", RB_UNIT_SYNTAX, 3);
	/* the basis binds to the name; the power to the whole atom */
	rb_unit sq = P("万tce(等价值)^2");
	ck_assert_int_eq(sq.dim[RB_DIM_ENERGY_EQV], 2);
	ck_scale(sq, 100000000000000, 1);
}
END_TEST

/* ---- compound units ---- */

START_TEST(compound_per_person_year)
{
	rb_unit u = P("万元/(人·年)");
	ck_scale(u, 10000, 1);
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 1);
	ck_assert_int_eq(u.dim[RB_DIM_PERSON], -1);
	ck_assert_int_eq(u.dim[RB_DIM_TIME], -1);
	for (int i = 0; i < RB_DIM_MAX; i++)
		if (i != RB_DIM_CNY && i != RB_DIM_PERSON && i != RB_DIM_TIME)
			ck_assert_int_eq(u.dim[i], 0);
	/* the same unit written in every other way the grammar allows */
	static const char *const same[] = {
		"万元/人/年",    "万元/人·年",      "万元/(人*年)",  "万元/(人×年)",
		"万元/(人 年)",  "万元 / (人 · 年)", "万元·人^-1·年^-1", "万元 人^-1 年^-1",
		"(万元)/((人)(年))" /* not valid: checked below */,
	};
	for (size_t i = 0; i + 1 < sizeof same / sizeof same[0]; i++) {
		rb_unit v = P(same[i]);
		ck_assert_msg(rb_unit_equal(&u, &v), "%s", same[i]);
	}
	/* groups need an operator or a space between them */
	ck_fail_at("(万元)/((人)(年))", RB_UNIT_SYNTAX, 15);
	rb_unit v = P("(万元)/((人) (年))");
	ck_assert(rb_unit_equal(&u, &v));
}
END_TEST

START_TEST(compound_scales)
{
	/* 万元/亩 = 10^4 / (2000/3) = 15 元/m² */
	rb_unit u = P("万元/亩");
	ck_scale(u, 15, 1);
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 1);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], -1);

	u = P("元/kWh");
	ck_scale(u, 1, 1);
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 1);
	ck_assert_int_eq(u.dim[RB_DIM_ELECTRICITY], -1);

	/* tce(等价值)/万元 = 1000/10^4 = 1/10 kgce per 元 */
	u = P("tce(等价值)/万元");
	ck_scale(u, 1, 10);
	ck_assert_int_eq(u.dim[RB_DIM_ENERGY_EQV], 1);
	ck_assert_int_eq(u.dim[RB_DIM_CNY], -1);

	/* 万tce(等价值): the suffix is the basis, not a group */
	u = P("万tce(等价值)/亿元");
	ck_scale(u, 1, 10);

	u = P("吨CO₂/万元");
	ck_scale(u, 1, 10);
	ck_assert_int_eq(u.dim[RB_DIM_CO2], 1);

	/* powers: 亩² = 4000000/9 m⁴... of area², ³ likewise */
	u = P("亩²");
	ck_scale(u, 4000000, 9);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], 2);
	u = P("亩³");
	ck_scale(u, 8000000000, 27);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], 3);
	u = P("亩^2");
	ck_scale(u, 4000000, 9);
	u = P("亩 ^ -1");
	ck_scale(u, 3, 2000);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], -1);
	u = P("亩^0");
	ck_assert(rb_unit_is_dimensionless(&u));
	ck_scale(u, 1, 1);

	/* m² and km² are names, km2^2 a power of one */
	u = P("km²");
	ck_scale(u, 1000000, 1);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], 1);
	u = P("m²²");
	ck_assert_int_eq(u.dim[RB_DIM_AREA], 2);
	u = P("km2^2");
	ck_scale(u, 1000000000000, 1);

	/* 1/年 is 年^-1 */
	rb_unit a = P("1/年"), b = P("年^-1");
	ck_assert(rb_unit_equal(&a, &b));
	ck_assert_int_eq(a.dim[RB_DIM_TIME], -1);

	/* percentages combine like any factor */
	u = P("%/年");
	ck_scale(u, 1, 100);
	u = P("‰·万元");
	ck_scale(u, 10, 1);
	u = P("%^2");
	ck_scale(u, 1, 10000);

	/* cancellation leaves a dimensionless ratio */
	u = P("万元/元");
	ck_assert(rb_unit_is_dimensionless(&u));
	ck_scale(u, 10000, 1);
	u = P("((元))");
	ck_scale(u, 1, 1);
	u = P("  ");
	ck_assert(rb_unit_is_dimensionless(&u));
	u = P(" 元 ");
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 1);

	/* a length taken from a larger buffer */
	size_t at;
	ck_assert_int_eq(rb_units_parse(reg, "万元/亩xyz", strlen("万元/亩"), &u, &at),
			 RB_UNIT_OK);
	ck_scale(u, 15, 1);
}
END_TEST

/* ---- errors and their positions ---- */

START_TEST(syntax_errors)
{
	ck_fail_at("元/", RB_UNIT_SYNTAX, 4);
	ck_fail_at("/元", RB_UNIT_SYNTAX, 0);
	ck_fail_at("元)", RB_UNIT_SYNTAX, 3);
	ck_fail_at("(元", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元//年", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元^", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元^x", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元^-", RB_UNIT_SYNTAX, 5);
	ck_fail_at("()", RB_UNIT_SYNTAX, 1);
	ck_fail_at("2元", RB_UNIT_SYNTAX, 0);
	ck_fail_at("1元", RB_UNIT_SYNTAX, 1);
	ck_fail_at("10", RB_UNIT_SYNTAX, 1);
	ck_fail_at("元 2", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元··年", RB_UNIT_SYNTAX, 5);
	ck_fail_at("元*", RB_UNIT_SYNTAX, 4);
	ck_fail_at("元^2²", RB_UNIT_SYNTAX, 5);
	ck_fail_at("%元", RB_UNIT_SYNTAX, 1);
	ck_fail_at("元,年", RB_UNIT_SYNTAX, 3);
	ck_fail_at("²", RB_UNIT_SYNTAX, 0);

	/* deep nesting is refused, not recursed into without bound */
	char deep[200];
	memset(deep, '(', 100);
	strcpy(deep + 100, "元");
	memset(deep + 103, ')', 96);
	deep[199] = '\0';
	rb_unit u;
	size_t at;
	ck_assert_int_eq(parse(deep, &u, &at), RB_UNIT_SYNTAX);
	ck_assert_uint_lt(at, 100);
}
END_TEST

START_TEST(unknown_names)
{
	ck_fail_at("foo", RB_UNIT_UNKNOWN, 0);
	ck_fail_at("元/吨", RB_UNIT_UNKNOWN, 4);
	ck_fail_at("万元/m", RB_UNIT_UNKNOWN, 7);
	ck_fail_at("万元/(人·月)", RB_UNIT_UNKNOWN, 13);
	ck_fail_at("m", RB_UNIT_UNKNOWN, 0);
	/* names are maximal runs: no splitting into known pieces */
	ck_fail_at("元kWh", RB_UNIT_UNKNOWN, 0);
	ck_fail_at("m3", RB_UNIT_UNKNOWN, 0);
	ck_fail_at("m³", RB_UNIT_UNKNOWN, 0);
	/* case matters */
	ck_fail_at("kwh", RB_UNIT_UNKNOWN, 0);
}
END_TEST

START_TEST(overflow)
{
	/* 10^8 · 10^8 fits, · 10^8 more does not: at the third atom */
	rb_unit u = P("亿元·亿元");
	ck_scale(u, 10000000000000000, 1);
	ck_fail_at("亿元·亿元·亿元", RB_UNIT_OVERFLOW, 16);
	ck_fail_at("元/(亿元·亿元·亿元)", RB_UNIT_OVERFLOW, 21);
	ck_fail_at("亿元^3", RB_UNIT_OVERFLOW, 6);
	ck_fail_at("亿元^-3", RB_UNIT_OVERFLOW, 6);
	ck_fail_at("亿元 ^99999999999999999999", RB_UNIT_OVERFLOW, 7);
	/* exponents beyond int8 overflow the dimension, even at scale 1 */
	ck_fail_at("元^200", RB_UNIT_OVERFLOW, 3);
	ck_fail_at("元^100·元^100", RB_UNIT_OVERFLOW, 9);
	u = P("元^127");
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 127);
	u = P("1^1000");
	ck_assert(rb_unit_is_dimensionless(&u));

	/* cross-reduction: a result that fits is found even when a naive
	 * product would not */
	rb_unit a = rb_unit_one(), b = rb_unit_one(), r;
	a.num = INT64_MAX;
	a.den = 3;
	b.num = 3;
	b.den = INT64_MAX;
	ck_assert_int_eq(rb_unit_mul(&a, &b, &r), RB_UNIT_OK);
	ck_scale(r, 1, 1);
	ck_assert_int_eq(rb_unit_div(&a, &a, &r), RB_UNIT_OK);
	ck_scale(r, 1, 1);
	b.num = 2;
	b.den = 1;
	r = rb_unit_one();
	ck_assert_int_eq(rb_unit_mul(&a, &b, &r), RB_UNIT_OVERFLOW);
	ck_scale(r, 1, 1); /* untouched */
	ck_assert_int_eq(rb_unit_div(&b, &a, &r), RB_UNIT_OK);
	ck_scale(r, 6, INT64_MAX);

	/* dimension exponents are checked too */
	a = rb_unit_one();
	a.dim[RB_DIM_AREA] = 100;
	ck_assert_int_eq(rb_unit_mul(&a, &a, &r), RB_UNIT_OVERFLOW);
	ck_assert_int_eq(rb_unit_div(&a, &a, &r), RB_UNIT_OK);
	ck_assert(rb_unit_is_dimensionless(&r));
	b = rb_unit_one();
	b.dim[RB_DIM_AREA] = -100;
	ck_assert_int_eq(rb_unit_div(&a, &b, &r), RB_UNIT_OVERFLOW);
}
END_TEST

/* ---- unit arithmetic ---- */

START_TEST(predicates)
{
	rb_unit one = rb_unit_one();
	ck_assert(rb_unit_is_dimensionless(&one));
	ck_scale(one, 1, 1);
	rb_unit pct = P("%"), yuan = P("元"), cny = P("CNY"), wan = P("万元");
	ck_assert(rb_unit_is_dimensionless(&pct));
	ck_assert(rb_unit_same_dim(&pct, &one));
	ck_assert(!rb_unit_equal(&pct, &one));
	ck_assert(!rb_unit_is_dimensionless(&yuan));
	ck_assert(rb_unit_equal(&yuan, &cny));
	ck_assert(rb_unit_same_dim(&yuan, &wan));
	ck_assert(!rb_unit_equal(&yuan, &wan));
	rb_unit usd = P("美元");
	ck_assert(!rb_unit_same_dim(&yuan, &usd));

	rb_unit r;
	ck_assert_int_eq(rb_unit_mul(&wan, &pct, &r), RB_UNIT_OK);
	ck_scale(r, 100, 1);
	ck_assert_int_eq(r.dim[RB_DIM_CNY], 1);
	rb_unit mu = P("亩");
	ck_assert_int_eq(rb_unit_div(&wan, &mu, &r), RB_UNIT_OK);
	rb_unit want = P("万元/亩");
	ck_assert(rb_unit_equal(&r, &want));
	/* out may alias an operand */
	r = wan;
	ck_assert_int_eq(rb_unit_mul(&r, &r, &r), RB_UNIT_OK);
	ck_scale(r, 100000000, 1);
	ck_assert_int_eq(r.dim[RB_DIM_CNY], 2);
}
END_TEST

static void ck_ratio(const char *from, const char *to, int64_t num, int64_t den)
{
	rb_unit f = P(from), t = P(to);
	int64_t n = 0, d = 0;
	ck_assert_msg(rb_unit_ratio(&f, &t, &n, &d) == RB_UNIT_OK, "%s -> %s", from, to);
	ck_assert_msg(n == num && d == den, "%s -> %s: %lld/%lld, want %lld/%lld", from, to,
		      (long long)n, (long long)d, (long long)num, (long long)den);
}

START_TEST(ratio)
{
	ck_ratio("m²", "亩", 3, 2000);
	ck_ratio("亩", "m²", 2000, 3);
	ck_ratio("万元/亩", "元/m²", 15, 1);
	ck_ratio("元/m²", "万元/亩", 1, 15);
	ck_ratio("公顷", "亩", 15, 1);
	ck_ratio("km²", "亩", 1500, 1);
	ck_ratio("万tce(等价值)", "kgce(等价值)", 10000000, 1);
	ck_ratio("吨标准煤(当量值)", "tce(calorific)", 1, 1);
	ck_ratio("%", "1", 1, 100);
	ck_ratio("%", "‰", 10, 1);
	ck_ratio("万元/(人·年)", "元/(人·年)", 10000, 1);
	ck_ratio("亿元", "万元", 10000, 1);
	ck_ratio("tce(等价值)/万元", "kgce(等价值)/元", 1, 10);
	ck_ratio("MWh", "万kWh", 1, 10);

	rb_unit a = P("tce(等价值)"), b = P("tce(当量值)"), c = P("元"), d = P("美元");
	int64_t n = 7, dd = 7;
	ck_assert_int_eq(rb_unit_ratio(&a, &b, &n, &dd), RB_UNIT_MISMATCH);
	ck_assert_int_eq(rb_unit_ratio(&c, &d, &n, &dd), RB_UNIT_MISMATCH);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(dd, 7);

	rb_unit big = rb_unit_one(), small = rb_unit_one();
	big.num = INT64_MAX;
	small.den = 2;
	ck_assert_int_eq(rb_unit_ratio(&big, &small, &n, &dd), RB_UNIT_OVERFLOW);
}
END_TEST

/* ---- descriptions ---- */

static void describe(const char *s, char *buf, size_t size)
{
	rb_unit u = P(s);
	rb_unit_describe(reg, &u, buf, size);
}

START_TEST(describe_dims)
{
	char buf[128];
	describe("万元/亩", buf, sizeof buf);
	ck_assert_str_eq(buf, "money (CNY)/area");
	describe("tce(等价值)", buf, sizeof buf);
	ck_assert_str_eq(buf, "energy (等价值)");
	describe("万tce(当量值)", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "当量值"));
	describe("%", buf, sizeof buf);
	ck_assert_str_eq(buf, "dimensionless");
	describe("", buf, sizeof buf);
	ck_assert_str_eq(buf, "dimensionless");
	describe("万元/(人·年)", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "money (CNY)"));
	ck_assert_ptr_nonnull(strstr(buf, "person"));
	ck_assert_ptr_nonnull(strstr(buf, "time"));
	ck_assert_ptr_nonnull(strchr(buf, '/'));
	describe("亩²", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "area"));
	ck_assert_ptr_nonnull(strstr(buf, "2"));
	describe("1/年", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "time"));
	ck_assert_ptr_nonnull(strchr(buf, '/'));
	describe("美元", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "USD"));
	describe("kgCO2·kWh·个", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "CO2"));
	ck_assert_ptr_nonnull(strstr(buf, "electricity"));
	ck_assert_ptr_nonnull(strstr(buf, "count"));

	/* truncated output stays terminated and never cuts a UTF-8 character */
	char small[8];
	memset(small, 'x', sizeof small);
	describe("tce(等价值)", small, 5);
	ck_assert_uint_le(strlen(small), 4);
	ck_assert_int_eq(small[5], 'x');
	describe("tce(等价值)", small, 8);
	ck_assert_str_eq(small, "energy ");
	char cut[10];
	describe("tce(等价值)", cut, sizeof cut); /* 等 would need bytes 8..10 */
	ck_assert_str_eq(cut, "energy (");
	describe("tce(等价值)", small, 1);
	ck_assert_str_eq(small, "");
	small[0] = 'y';
	describe("元", small, 0);
	ck_assert_int_eq(small[0], 'y');
}
END_TEST

/* ---- user units ---- */

START_TEST(define_scaled)
{
	size_t at = 99;
	ck_assert_int_eq(rb_units_define(reg, "千亩", "1000 亩", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "万人次", "10000 人次", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "万标准地", "2.5 亩", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "厘", "0.001元", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "万元每亩", "万元/亩", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "倍", "1", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "基点", "0.01 %", &at), RB_UNIT_OK);

	rb_unit u = P("千亩");
	ck_scale(u, 2000000, 3);
	ck_assert_int_eq(u.dim[RB_DIM_AREA], 1);
	u = P("万人次");
	ck_scale(u, 10000, 1);
	ck_assert_int_eq(u.dim[RB_DIM_PERSON], 1);
	/* 2.5 = 5/2, × 2000/3 = 5000/3 */
	u = P("万标准地");
	ck_scale(u, 5000, 3);
	u = P("厘");
	ck_scale(u, 1, 1000);
	ck_assert_int_eq(u.dim[RB_DIM_CNY], 1);
	u = P("万元每亩");
	ck_scale(u, 15, 1);
	u = P("倍");
	ck_assert(rb_unit_is_dimensionless(&u));
	ck_scale(u, 1, 1);
	u = P("基点");
	ck_scale(u, 1, 10000);

	/* user units compose with the built-in ones */
	u = P("万元/千亩");
	ck_scale(u, 3, 200);
	ck_ratio("千亩", "亩", 1000, 1);
	ck_ratio("万标准地", "亩", 5, 2);

	/* definitions may build on other user units */
	ck_assert_int_eq(rb_units_define(reg, "百万亩", "1000 千亩", &at), RB_UNIT_OK);
	ck_ratio("百万亩", "亩", 1000000, 1);
}
END_TEST

START_TEST(define_energy)
{
	size_t at;
	/* a bare energy unit keeps its basis open, like the built-in 万tce */
	ck_assert_int_eq(rb_units_define(reg, "千tce", "1000 tce", &at), RB_UNIT_OK);
	rb_unit u = P("千tce(等价值)");
	ck_scale(u, 1000000, 1);
	ck_assert_int_eq(u.dim[RB_DIM_ENERGY_EQV], 1);
	u = P("千tce(当量值)");
	ck_assert_int_eq(u.dim[RB_DIM_ENERGY_CAL], 1);
	ck_fail_at("千tce", RB_UNIT_NO_BASIS, 0);
	/* a definition with a basis is fixed to it */
	ck_assert_int_eq(rb_units_define(reg, "万吨标煤", "10000 吨标准煤(等价值)", &at), RB_UNIT_OK);
	u = P("万吨标煤");
	ck_scale(u, 10000000, 1);
	ck_assert_int_eq(u.dim[RB_DIM_ENERGY_EQV], 1);
	ck_fail_at("万吨标煤(当量值)", RB_UNIT_SYNTAX, 12);
	/* an energy unit inside a compound still needs one */
	at = 0;
	ck_assert_int_eq(rb_units_define(reg, "X", "tce/元", &at), RB_UNIT_NO_BASIS);
	ck_assert_uint_eq(at, 0);
}
END_TEST

START_TEST(define_errors)
{
	size_t at = 99;
	ck_assert_int_eq(rb_units_define(reg, "亩", "1 亩", &at), RB_UNIT_DUPLICATE);
	ck_assert_int_eq(rb_units_define(reg, "m²", "1 m2", &at), RB_UNIT_DUPLICATE);
	ck_assert_int_eq(rb_units_define(reg, "千亩", "1000 亩", &at), RB_UNIT_OK);
	ck_assert_int_eq(rb_units_define(reg, "千亩", "1000 亩", &at), RB_UNIT_DUPLICATE);

	/* the name must read back as one unit name */
	ck_assert_int_eq(rb_units_define(reg, "", "1 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_int_eq(rb_units_define(reg, "a b", "1 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_int_eq(rb_units_define(reg, "元/亩", "1 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_int_eq(rb_units_define(reg, "2亩", "1 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_int_eq(rb_units_define(reg, "%%", "1 亩", &at), RB_UNIT_SYNTAX);

	at = 99;
	ck_assert_int_eq(rb_units_define(reg, "A", "1000 foo", &at), RB_UNIT_UNKNOWN);
	ck_assert_uint_eq(at, 5);
	ck_assert_int_eq(rb_units_define(reg, "A", "0 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_uint_eq(at, 0);
	ck_assert_int_eq(rb_units_define(reg, "A", "0.0 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_int_eq(rb_units_define(reg, "A", "2. 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_uint_eq(at, 2);
	ck_assert_int_eq(rb_units_define(reg, "A", "2.5.1 亩", &at), RB_UNIT_SYNTAX);
	ck_assert_uint_eq(at, 3);
	ck_assert_int_eq(rb_units_define(reg, "A", "1000 亩)", &at), RB_UNIT_SYNTAX);
	ck_assert_uint_eq(at, 8);
	ck_assert_int_eq(rb_units_define(reg, "A", " 99999999999999999999 元", &at),
			 RB_UNIT_OVERFLOW);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(rb_units_define(reg, "A", "100000 亿元·亿元", &at), RB_UNIT_OVERFLOW);
	ck_assert_uint_eq(at, 0);
	/* a failed definition leaves nothing behind */
	ck_fail_at("A", RB_UNIT_UNKNOWN, 0);
	ck_assert_int_eq(rb_units_define(reg, "A", "1.5 亩", NULL), RB_UNIT_OK);
	ck_ratio("A", "亩", 3, 2);
	/* a name cannot define itself */
	ck_assert_int_eq(rb_units_define(reg, "B", "2 B", &at), RB_UNIT_UNKNOWN);
	ck_assert_uint_eq(at, 2);
}
END_TEST

START_TEST(define_base)
{
	ck_assert_int_eq(rb_units_define_base(reg, "吨"), RB_UNIT_OK);
	rb_unit u = P("吨/年");
	ck_assert_int_eq(u.dim[RB_DIM_BUILTIN], 1);
	ck_assert_int_eq(u.dim[RB_DIM_TIME], -1);
	ck_scale(u, 1, 1);
	char buf[64];
	rb_unit_describe(reg, &u, buf, sizeof buf);
	ck_assert_str_eq(buf, "吨/time");
	/* the new unit is not a synonym of anything */
	rb_unit yuan = P("元");
	ck_assert(!rb_unit_same_dim(&u, &yuan));

	size_t at;
	ck_assert_int_eq(rb_units_define(reg, "万吨", "10000 吨", &at), RB_UNIT_OK);
	ck_ratio("万吨/年", "吨/年", 10000, 1);
	ck_assert_int_eq(rb_units_define_base(reg, "吨"), RB_UNIT_DUPLICATE);
	ck_assert_int_eq(rb_units_define_base(reg, "万吨"), RB_UNIT_DUPLICATE);
	ck_assert_int_eq(rb_units_define_base(reg, "元"), RB_UNIT_DUPLICATE);
	ck_assert_int_eq(rb_units_define_base(reg, "a/b"), RB_UNIT_SYNTAX);

	/* RB_DIM_MAX dimensions in all */
	char name[16];
	int i;
	for (i = RB_DIM_BUILTIN + 1; i < RB_DIM_MAX; i++) {
		snprintf(name, sizeof name, "dim%c", 'A' + i);
		ck_assert_int_eq(rb_units_define_base(reg, name), RB_UNIT_OK);
	}
	ck_assert_int_eq(rb_units_define_base(reg, "oneTooMany"), RB_UNIT_TOO_MANY);
	ck_fail_at("oneTooMany", RB_UNIT_UNKNOWN, 0);
	snprintf(name, sizeof name, "dim%c", 'A' + RB_DIM_MAX - 1);
	u = P(name);
	ck_assert_int_eq(u.dim[RB_DIM_MAX - 1], 1);
	rb_unit_describe(reg, &u, buf, sizeof buf);
	ck_assert_str_eq(buf, name);
}
END_TEST

START_TEST(status_strings)
{
	for (int st = RB_UNIT_OK; st <= RB_UNIT_MISMATCH; st++) {
		const char *s = rb_unit_status_str((rb_unit_status)st);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
	}
	ck_assert_ptr_nonnull(strstr(rb_unit_status_str(RB_UNIT_NO_BASIS), "等价值"));
}
END_TEST

START_TEST(registries_independent)
{
	rb_units *other = rb_units_new();
	ck_assert_ptr_nonnull(other);
	size_t at;
	ck_assert_int_eq(rb_units_define(other, "千亩", "1000 亩", &at), RB_UNIT_OK);
	ck_fail_at("千亩", RB_UNIT_UNKNOWN, 0);
	rb_units_free(other);
	rb_units_free(NULL);
}
END_TEST

/* ---- running out of memory ---- */

static long budget; /* allocations left before failing; < 0 means unlimited */

static void *lim_malloc(size_t n, void *payload)
{
	(void)payload;
	if (budget == 0)
		return NULL;
	if (budget > 0)
		budget--;
	return malloc(n);
}

static void *lim_realloc(void *p, size_t n, void *payload)
{
	(void)payload;
	if (budget == 0)
		return NULL;
	if (budget > 0)
		budget--;
	return realloc(p, n);
}

static void lim_free(void *p, void *payload)
{
	(void)payload;
	free(p);
}

START_TEST(out_of_memory)
{
	rulebook_set_allocator(lim_malloc, lim_realloc, lim_free, NULL);
	bool done = false;
	for (long limit = 0; limit < 1000 && !done; limit++) {
		budget = limit;
		rb_units *u = rb_units_new();
		if (!u)
			continue;
		rb_unit_status st = RB_UNIT_OK;
		size_t at;
		char name[16];
		/* enough names to make the table grow */
		for (int i = 0; i < 40 && st == RB_UNIT_OK; i++) {
			snprintf(name, sizeof name, "u%d", i);
			st = rb_units_define(u, name, "3 亩", &at);
		}
		if (st == RB_UNIT_OK)
			st = rb_units_define_base(u, "吨");
		if (st == RB_UNIT_OK) {
			rb_unit r;
			budget = 0; /* parsing allocates nothing */
			ck_assert_int_eq(rb_units_parse(u, "u39/吨", strlen("u39/吨"), &r, &at),
					 RB_UNIT_OK);
			ck_scale(r, 2000, 1);
			done = true;
		} else {
			ck_assert_int_eq(st, RB_UNIT_NOMEM);
		}
		rb_units_free(u);
	}
	budget = -1;
	rulebook_set_allocator(NULL, NULL, NULL, NULL);
	ck_assert(done);
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("builtin");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, builtin_names, 0, (int)(sizeof table / sizeof table[0]));
	tcase_add_loop_test(tc, energy_basis, 0, (int)(sizeof energy / sizeof energy[0]));
	tcase_add_test(tc, energy_bases_differ);
	suite_add_tcase(s, tc);

	tc = tcase_create("grammar");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, compound_per_person_year);
	tcase_add_test(tc, compound_scales);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, unknown_names);
	tcase_add_test(tc, overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("arithmetic");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, predicates);
	tcase_add_test(tc, ratio);
	tcase_add_test(tc, describe_dims);
	tcase_add_test(tc, status_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("define");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, define_scaled);
	tcase_add_test(tc, define_energy);
	tcase_add_test(tc, define_errors);
	tcase_add_test(tc, define_base);
	tcase_add_test(tc, registries_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
