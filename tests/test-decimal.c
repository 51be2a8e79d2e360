/* Decimal arithmetic: parsing, formatting, exact and correctly rounded
 * arithmetic, comparison, rounding modes and conversions.
 *
 * Expected values are worked out by hand (digits counted, ties spotted).
 * The property tests check results against exact 128-bit arithmetic done
 * here, or against the C library's strtod for binary conversions, never
 * against this module's own output. */
#include "decimal.h"

#include <check.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;

/* ---- helpers ---- */

/* Check's assertions record a checkpoint each time they pass, which is slow
 * in loops of many thousands; these call into Check only on failure. */
#define REQ(expr)                                                         \
	do {                                                              \
		if (!(expr))                                              \
			ck_abort_msg("Assertion '%s' failed", #expr);     \
	} while (0)
#define REQ_MSG(expr, ...)                       \
	do {                                     \
		if (!(expr))                     \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* Parse s, which must succeed. */
static rb_dec D(const char *s)
{
	rb_dec r = {777, 7};
	size_t at = 12345;
	rb_dec_status st = rb_dec_parse(s, strlen(s), &r, &at);
	REQ_MSG(st == RB_DEC_OK, "\"%s\": status %d at %zu", s, (int)st, at);
	return r;
}

static const char *fmt(rb_dec x, char *buf)
{
	size_t n = rb_dec_format(x, buf, RB_DEC_BUFSIZE);
	REQ(n == strlen(buf));
	REQ(n < RB_DEC_BUFSIZE);
	return buf;
}

/* A valid value: coefficient and exponent inside their ranges. */
static void ck_valid(rb_dec x)
{
	REQ(x.coef > -RB_DEC_COEF_LIMIT && x.coef < RB_DEC_COEF_LIMIT);
	REQ(x.exp >= RB_DEC_EXP_MIN);
	REQ(x.exp <= RB_DEC_EXP_MAX);
}

/* x must be valid and format as want. */
#define CK_FMT(x, want)                                                                  \
	do {                                                                             \
		char b_[RB_DEC_BUFSIZE];                                                 \
		const char *w_ = (want);                                                 \
		ck_valid(x);                                                             \
		fmt((x), b_);                                                            \
		REQ_MSG(strcmp(b_, w_) == 0, "%s is \"%s\", want \"%s\"", #x, b_, w_); \
	} while (0)

/* a op b must succeed and format as want. */
#define CK_OP(op, a, b, want)                                                              \
	do {                                                                               \
		rb_dec r_;                                                                 \
		rb_dec_status st_ = op(D(a), D(b), &r_);                                   \
		REQ_MSG(st_ == RB_DEC_OK, "%s(%s, %s): status %d", #op, a, b, (int)st_);   \
		CK_FMT(r_, want);                                                          \
	} while (0)

#define CK_OPV(op, a, b, want)                                                \
	do {                                                                  \
		rb_dec r_;                                                    \
		rb_dec_status st_ = op((a), (b), &r_);                        \
		REQ_MSG(st_ == RB_DEC_OK, "%s: status %d", #op, (int)st_);    \
		CK_FMT(r_, want);                                             \
	} while (0)

static char *repeat(char *dst, char c, size_t n)
{
	memset(dst, c, n);
	dst[n] = '\0';
	return dst + n;
}

/* head, then n zeros, then tail: long expected values without miscounting. */
static const char *zs(char *buf, const char *head, size_t n, const char *tail)
{
	size_t h = strlen(head);
	memcpy(buf, head, h);
	strcpy(repeat(buf + h, '0', n), tail);
	return buf;
}

/* Fixed-seed generator so every run checks the same values. */
static uint64_t lcg_state;

static void lcg_seed(uint64_t s)
{
	lcg_state = s;
}

static uint64_t lcg(void)
{
	lcg_state = lcg_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return lcg_state >> 11; /* 53 good bits */
}

static uint64_t lcg_below(uint64_t n)
{
	uint64_t hi = lcg(), lo = lcg();
	return ((hi << 32) ^ lo) % n;
}

static const int64_t P10[19] = {
	1,
	10,
	100,
	1000,
	10000,
	100000,
	1000000,
	10000000,
	100000000,
	1000000000,
	10000000000,
	100000000000,
	1000000000000,
	10000000000000,
	100000000000000,
	1000000000000000,
	10000000000000000,
	100000000000000000,
	1000000000000000000,
};

static i128 p10i(int k)
{
	i128 r = 1;
	while (k-- > 0)
		r *= 10;
	return r;
}

/* A random coefficient with exactly nd digits, random sign. */
static int64_t rnd_coef(int nd)
{
	int64_t c = P10[nd - 1] + (int64_t)lcg_below((uint64_t)(P10[nd] - P10[nd - 1]));
	return (lcg() & 1) ? -c : c;
}

static i128 iabs128(i128 x)
{
	return x < 0 ? -x : x;
}

/* x·y, which must not overflow 127 bits. */
static i128 mulchk(i128 x, i128 y)
{
	const i128 max = ((i128)1 << 126) - 1;
	REQ(y == 0 || iabs128(x) <= max / iabs128(y));
	return x * y;
}

/* Check that q is n/den·10^e0 (den > 0) correctly rounded to 18 digits,
 * ties to even, using exact integer arithmetic. */
static void ck_rounded(i128 n, i128 den, int64_t e0, rb_dec q)
{
	int64_t f = q.exp - e0;
	i128 lhs, rhs;
	ck_valid(q);
	REQ(den > 0);
	REQ(f >= -38 && f <= 38);
	/* |q·10^f − n/den| ≤ ½·10^f, scaled by 2·den (and by 10^-f if f < 0). */
	if (f >= 0) {
		lhs = iabs128(mulchk(mulchk(2 * (i128)q.coef, den), p10i((int)f)) - 2 * n);
		rhs = mulchk(den, p10i((int)f));
	} else {
		lhs = iabs128(mulchk(2 * (i128)q.coef, den) - mulchk(2 * n, p10i((int)-f)));
		rhs = den;
	}
	REQ_MSG(lhs <= rhs, "not within half a unit: %lld e%d", (long long)q.coef, q.exp);
	if (lhs == rhs)
		REQ_MSG(q.coef % 2 == 0, "tie not to even: %lld", (long long)q.coef);
	if (q.coef > -P10[17] && q.coef < P10[17])
		REQ_MSG(lhs == 0, "fewer than 18 digits yet inexact: %lld e%d", (long long)q.coef,
			q.exp);
}

/* ---- parsing ---- */

START_TEST(parse_accepts)
{
	char b[RB_DEC_BUFSIZE];
	CK_FMT(D("5"), "5");
	CK_FMT(D("5."), "5");
	CK_FMT(D(".5"), "0.5");
	CK_FMT(D("-0.25"), "-0.25");
	CK_FMT(D("+3"), "3");
	CK_FMT(D("1.5e3"), "1500");
	CK_FMT(D("1E-2"), "0.01");
	CK_FMT(D("1e+2"), "100");
	CK_FMT(D("-0"), "0");
	CK_FMT(D("-0.000"), "0");
	CK_FMT(D("000123.4500"), "123.45");
	CK_FMT(D("1158.1"), "1158.1");
	CK_FMT(D("0.100000000000000000000"), "0.1");
	CK_FMT(D("123456789012345678"), "123456789012345678");
	CK_FMT(D("-999999999999999999"), "-999999999999999999");
	CK_FMT(D("0.000000000000000000123456789012345678"),
	       "0.000000000000000000123456789012345678");
	/* Trailing zeros of the integer part are not significant either. */
	CK_FMT(D("1234567890123456780000"), "1234567890123456780000");
	CK_FMT(D("1e0000"), "1");
	CK_FMT(D("12.5e-0001"), "1.25");
	CK_FMT(D("10e-301"), zs(b, "0.", 299, "1"));
	/* Exact value of the parse, not just its text. */
	ck_assert_int_eq(rb_dec_cmp(D("1.20"), (rb_dec){12, -1}), 0);
	ck_assert_int_eq(rb_dec_cmp(D("1.5e3"), (rb_dec){1500, 0}), 0);
	ck_assert_int_eq(rb_dec_cmp(D("-.5"), (rb_dec){-5, -1}), 0);
}
END_TEST

START_TEST(parse_zero_any_exponent)
{
	CK_FMT(D("0e-9999"), "0");
	CK_FMT(D("0.0e9999"), "0");
	CK_FMT(D("000.000e-400"), "0");
	ck_assert(rb_dec_is_zero(D("0e9999")));
}
END_TEST

typedef struct bad_case {
	const char *s;
	rb_dec_status st;
	size_t pos;
} bad_case;

START_TEST(parse_rejects)
{
	static const bad_case cases[] = {
		{"", RB_DEC_SYNTAX, 0},
		{"-", RB_DEC_SYNTAX, 1},
		{"+", RB_DEC_SYNTAX, 1},
		{".", RB_DEC_SYNTAX, 1},
		{"-.", RB_DEC_SYNTAX, 2},
		{"--1", RB_DEC_SYNTAX, 1},
		{"+-1", RB_DEC_SYNTAX, 1},
		{"1e", RB_DEC_SYNTAX, 2},
		{"1e+", RB_DEC_SYNTAX, 3},
		{"1e-", RB_DEC_SYNTAX, 3},
		{"1ee5", RB_DEC_SYNTAX, 2},
		{"1e5x", RB_DEC_SYNTAX, 3},
		{"1e5.", RB_DEC_SYNTAX, 3},
		{"e5", RB_DEC_SYNTAX, 0},
		{".e5", RB_DEC_SYNTAX, 1},
		{"inf", RB_DEC_SYNTAX, 0},
		{"-inf", RB_DEC_SYNTAX, 1},
		{"nan", RB_DEC_SYNTAX, 0},
		{"NaN", RB_DEC_SYNTAX, 0},
		{"1,5", RB_DEC_SYNTAX, 1},
		{"1,000", RB_DEC_SYNTAX, 1},
		{" 1", RB_DEC_SYNTAX, 0},
		{"1 ", RB_DEC_SYNTAX, 1},
		{"0x10", RB_DEC_SYNTAX, 1},
		{"1.2.3", RB_DEC_SYNTAX, 3},
		{"5%", RB_DEC_SYNTAX, 1},
		{"1_000", RB_DEC_SYNTAX, 1},
		{"\xef\xbc\x91", RB_DEC_SYNTAX, 0}, /* fullwidth digit one */
		/* An exponent has at most four digits: the fifth is the error. */
		{"1e99999", RB_DEC_SYNTAX, 6},
		{"1e-00001", RB_DEC_SYNTAX, 7},
		/* Out of range: the position is that of the exponent marker. */
		{"1e400", RB_DEC_OVERFLOW, 1},
		{"-2.5E9999", RB_DEC_OVERFLOW, 4},
		{"1e318", RB_DEC_OVERFLOW, 1},
		{"1e-301", RB_DEC_OVERFLOW, 1},
		{"1.5e-300", RB_DEC_OVERFLOW, 3},
		{"1e-400", RB_DEC_OVERFLOW, 1},
		/* Precision: the position is the first digit past the 18th. */
		{"1234567890123456789", RB_DEC_PRECISION, 18},
		{"-1234567890123456789", RB_DEC_PRECISION, 19},
		{"0.1234567890123456789", RB_DEC_PRECISION, 20},
		{"100000000000000000.5", RB_DEC_PRECISION, 19},
		{"1000000000000000001e5", RB_DEC_PRECISION, 18},
		/* Syntax is judged before precision. */
		{"1234567890123456789x", RB_DEC_SYNTAX, 19},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rb_dec r = {777, 7};
		size_t at = 12345;
		rb_dec_status st = rb_dec_parse(cases[i].s, strlen(cases[i].s), &r, &at);
		ck_assert_msg(st == cases[i].st, "\"%s\": status %d, want %d", cases[i].s, (int)st,
			      (int)cases[i].st);
		ck_assert_msg(at == cases[i].pos, "\"%s\": errpos %zu, want %zu", cases[i].s, at,
			      cases[i].pos);
		/* Failure leaves the output alone. */
		ck_assert_int_eq(r.coef, 777);
		ck_assert_int_eq(r.exp, 7);
		/* errpos may be NULL. */
		st = rb_dec_parse(cases[i].s, strlen(cases[i].s), &r, NULL);
		ck_assert_int_eq(st, cases[i].st);
	}
}
END_TEST

START_TEST(parse_long_inputs)
{
	static char s[1200];
	rb_dec r;
	size_t at = 0;
	char *p;

	/* 1000 nonzero digits: the 19th is the offending one. */
	repeat(s, '7', 1000);
	ck_assert_int_eq(rb_dec_parse(s, 1000, &r, &at), RB_DEC_PRECISION);
	ck_assert_uint_eq(at, 18);

	/* "0.1" followed by 500 zeros is just 0.1. */
	p = strcpy(s, "0.1") + 3;
	repeat(p, '0', 500);
	CK_FMT(D(s), "0.1");

	/* ... but a 1 after those zeros needs 502 significant digits. */
	strcpy(s + 503, "1");
	ck_assert_int_eq(rb_dec_parse(s, strlen(s), &r, &at), RB_DEC_PRECISION);
	ck_assert_uint_eq(at, 503);

	/* 1000 digits: 18 significant ones, then zeros, all in the fraction. */
	p = strcpy(s, "0.123456789012345678") + 20;
	repeat(p, '0', 980);
	CK_FMT(D(s), "0.123456789012345678");

	/* Leading zeros do not count either. */
	p = repeat(s, '0', 500);
	strcpy(p, "123456789012345678");
	CK_FMT(D(s), "123456789012345678");

	/* 10^400 written out: out of range, no exponent to point at. */
	s[0] = '1';
	repeat(s + 1, '0', 400);
	at = 99;
	ck_assert_int_eq(rb_dec_parse(s, strlen(s), &r, &at), RB_DEC_OVERFLOW);
	ck_assert_uint_eq(at, 0);

	/* 10^317 written out is the largest power of ten that fits. */
	repeat(s + 1, '0', 317);
	ck_assert_int_eq(rb_dec_parse(s, strlen(s), &r, &at), RB_DEC_OK);
	CK_FMT(r, s);

	/* 10^-300 written out fits; 10^-301 does not. */
	p = strcpy(s, "0.") + 2;
	p = repeat(p, '0', 299);
	strcpy(p, "1");
	ck_assert_int_eq(rb_dec_parse(s, strlen(s), &r, &at), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){1, -300}), 0);
	strcpy(p, "01");
	ck_assert_int_eq(rb_dec_parse(s, strlen(s), &r, &at), RB_DEC_OVERFLOW);
}
END_TEST

START_TEST(parse_range_edges)
{
	char b[RB_DEC_BUFSIZE];
	rb_dec r;
	size_t at;
	CK_FMT(D("1e317"), zs(b, "1", 317, ""));
	CK_FMT(D("9e317"), zs(b, "9", 317, ""));
	CK_FMT(D("0.001e320"), zs(b, "1", 317, ""));
	CK_FMT(D("999999999999999999e300"), zs(b, "999999999999999999", 300, ""));
	CK_FMT(D("12345678901234567.8e301"), zs(b, "123456789012345678", 300, ""));
	CK_FMT(D("-1e-300"), zs(b, "-0.", 299, "1"));
	CK_FMT(D("100e-302"), zs(b, "0.", 299, "1"));
	CK_FMT(D("123456789012345678e-300"), zs(b, "0.", 282, "123456789012345678"));
	ck_assert_int_eq(rb_dec_parse("12345678901234567.8e302", 23, &r, &at), RB_DEC_OVERFLOW);
	ck_assert_uint_eq(at, 19);
	ck_assert_int_eq(rb_dec_parse("1234.5e-303", 11, &r, &at), RB_DEC_OVERFLOW);
	ck_assert_uint_eq(at, 6);
	ck_assert_int_eq(rb_dec_parse("1e-0300", 7, &r, &at), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){1, -300}), 0);
}
END_TEST

START_TEST(parse_uses_len)
{
	rb_dec r;
	size_t at;
	/* Not NUL-terminated at len: only the first len bytes count. */
	ck_assert_int_eq(rb_dec_parse("12345", 2, &r, &at), RB_DEC_OK);
	CK_FMT(r, "12");
	ck_assert_int_eq(rb_dec_parse("1.5e3xyz", 5, &r, &at), RB_DEC_OK);
	CK_FMT(r, "1500");
	ck_assert_int_eq(rb_dec_parse("1e", 1, &r, &at), RB_DEC_OK);
	CK_FMT(r, "1");
	ck_assert_int_eq(rb_dec_parse("7\0" "5", 3, &r, &at), RB_DEC_SYNTAX);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(rb_dec_parse(NULL, 0, &r, &at), RB_DEC_SYNTAX);
	ck_assert_uint_eq(at, 0);
}
END_TEST

/* Plain decimals ([-]digits[.digits], at most 18 digits) take a one-pass
 * route; the same digits written with an exponent take the general one.
 * Both must give the same coefficient and exponent, hand-checked for a few
 * and compared on many random ones. */
START_TEST(parse_plain_same_as_general)
{
	static const struct {
		const char *text;
		int64_t coef;
		int32_t exp;
	} hand[] = {
		{"1158.1", 11581, -1}, {"1158.10", 11581, -1}, {"37", 37, 0},    {"100", 100, 0},
		{"-0.05", -5, -2},     {"0.50", 5, -1},        {"37.000", 37, 0}, {".5", 5, -1},
		{"123456789012345678", INT64_C(123456789012345678), 0},
		{"0", 0, 0},           {"-0.00", 0, 0},        {"000.50", 5, -1}, {"0012", 12, 0},
	};
	for (size_t k = 0; k < sizeof hand / sizeof hand[0]; k++) {
		rb_dec r, q;
		size_t at;
		ck_assert_int_eq(rb_dec_parse(hand[k].text, strlen(hand[k].text), &r, &at), RB_DEC_OK);
		ck_assert_msg(r.coef == hand[k].coef && r.exp == hand[k].exp, "%s: %lld e%d", hand[k].text,
			      (long long)r.coef, (int)r.exp);
		ck_assert(rb_dec_parse_plain(hand[k].text, strlen(hand[k].text), &q));
		ck_assert(q.coef == r.coef && q.exp == r.exp);
	}
	/* what the one-pass route leaves to the general parser */
	static const char *const general[] = {"5.", "+5", "1e3", "", "-", ".", "1.2.3", "1 ",
					      "1234567890123456789", "12345678901234567.89"};
	for (size_t k = 0; k < sizeof general / sizeof general[0]; k++) {
		rb_dec q;
		ck_assert_msg(!rb_dec_parse_plain(general[k], strlen(general[k]), &q), "%s", general[k]);
	}
	uint64_t x = 88172645463325252u;
	for (int n = 0; n < 200000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int digits = 1 + (int)(x % 18), frac = (int)((x >> 8) % (unsigned)(digits + 1));
		char plain[48], expo[48];
		size_t p = 0, e = 0;
		if ((x >> 20) & 1)
			plain[p++] = expo[e++] = '-';
		uint64_t y = x >> 24;
		for (int d = 0; d < digits; d++) {
			char c = (char)('0' + (d == 0 && digits > 1 ? 1 + y % 9 : y % 10));
			y = y / 10 ^ (x >> (d % 40));
			if (d == digits - frac)
				plain[p++] = '.';
			plain[p++] = expo[e++] = c;
		}
		e += (size_t)snprintf(expo + e, sizeof expo - e, "e-%d", frac);
		rb_dec a, b;
		size_t at;
		rb_dec_status sa = rb_dec_parse(plain, p, &a, &at), sb = rb_dec_parse(expo, e, &b, &at);
		ck_assert_int_eq(sa, sb);
		if (sa == RB_DEC_OK)
			ck_assert_msg(a.coef == b.coef && a.exp == b.exp, "%.*s: %lld e%d, general %lld e%d",
				      (int)p, plain, (long long)a.coef, (int)a.exp, (long long)b.coef,
				      (int)b.exp);
	}
}
END_TEST

/* ---- formatting ---- */

START_TEST(format_plain)
{
	CK_FMT(((rb_dec){37, 0}), "37");
	CK_FMT(((rb_dec){11581, -1}), "1158.1");
	CK_FMT(((rb_dec){-23, -3}), "-0.023");
	CK_FMT(((rb_dec){12, 5}), "1200000");
	CK_FMT(((rb_dec){1200000, 0}), "1200000");
	CK_FMT(((rb_dec){0, 0}), "0");
	CK_FMT(((rb_dec){0, -5}), "0");
	CK_FMT(((rb_dec){0, 300}), "0");
	CK_FMT(((rb_dec){1200, -3}), "1.2");
	CK_FMT(((rb_dec){100, -2}), "1");
	CK_FMT(((rb_dec){123, -3}), "0.123");
	CK_FMT(((rb_dec){123, -2}), "1.23");
	CK_FMT(((rb_dec){-5, -1}), "-0.5");
	CK_FMT(((rb_dec){-370, -1}), "-37");
	CK_FMT(((rb_dec){999999999999999999, -18}), "0.999999999999999999");
	CK_FMT(((rb_dec){-999999999999999999, -9}), "-999999999.999999999");
}
END_TEST

START_TEST(format_extremes)
{
	char want[RB_DEC_BUFSIZE], b[RB_DEC_BUFSIZE];
	char *p;

	/* Largest magnitude: 18 nines and 300 zeros, 319 bytes with "-". */
	p = strcpy(want, "-999999999999999999") + 19;
	repeat(p, '0', 300);
	CK_FMT(((rb_dec){-999999999999999999, 300}), want);
	ck_assert_uint_eq(rb_dec_format((rb_dec){-999999999999999999, 300}, b, sizeof b), 319);

	/* Smallest: "-0." then 299 zeros then "1". */
	p = strcpy(want, "-0.") + 3;
	p = repeat(p, '0', 299);
	strcpy(p, "1");
	CK_FMT(((rb_dec){-1, -300}), want);

	/* Eighteen digits at the smallest exponent. */
	p = strcpy(want, "-0.") + 3;
	p = repeat(p, '0', 282);
	strcpy(p, "999999999999999999");
	CK_FMT(((rb_dec){-999999999999999999, -300}), want);
	ck_assert_uint_eq(strlen(want), 303);
}
END_TEST

START_TEST(format_truncates)
{
	char b[8];
	memset(b, 'x', sizeof b);
	ck_assert_uint_eq(rb_dec_format((rb_dec){11581, -1}, b, 4), 6);
	ck_assert_str_eq(b, "115");
	ck_assert_int_eq(b[4], 'x');
	ck_assert_uint_eq(rb_dec_format((rb_dec){-23, -3}, b, 1), 6);
	ck_assert_str_eq(b, "");
	ck_assert_uint_eq(rb_dec_format((rb_dec){-23, -3}, NULL, 0), 6);
	ck_assert_uint_eq(rb_dec_format((rb_dec){12, 5}, b, 7), 7);
	ck_assert_str_eq(b, "120000");
	ck_assert_uint_eq(rb_dec_format((rb_dec){12, 5}, b, 8), 7);
	ck_assert_str_eq(b, "1200000");
}
END_TEST

/* ---- arithmetic ---- */

START_TEST(exact_thresholds)
{
	rb_dec r, s;
	/* 0.1 × 3 is 0.3, not a hair below. */
	ck_assert_int_eq(rb_dec_mul(D("0.1"), D("3"), &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, D("0.3")), 0);
	ck_assert_int_ge(rb_dec_cmp(r, D("0.3")), 0);
	CK_FMT(r, "0.3");
	CK_OP(rb_dec_mul, "1.2", "3", "3.6");
	CK_OP(rb_dec_div, "370", "10", "37");
	CK_OP(rb_dec_div, "23", "1000", "0.023");
	CK_OP(rb_dec_div, "1158.1", "31.3", "37");
	ck_assert_int_eq(rb_dec_div(D("1158.1"), D("31.3"), &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, D("37")), 0);
	/* Exact quotients come back with a short coefficient. */
	ck_assert_int_eq(r.coef, 37);
	ck_assert_int_eq(r.exp, 0);
	ck_assert_int_eq(rb_dec_div(D("23"), D("1000"), &r), RB_DEC_OK);
	ck_assert_int_eq(r.coef, 23);
	ck_assert_int_eq(r.exp, -3);
	CK_OP(rb_dec_add, "0.1", "0.2", "0.3");
	CK_OP(rb_dec_sub, "1", "0.9", "0.1");
	CK_OP(rb_dec_sub, "0.3", "0.1", "0.2");
	CK_OP(rb_dec_sub, "1158.1", "1158.1", "0");
	CK_OP(rb_dec_sub, "2", "5.25", "-3.25");
	CK_OP(rb_dec_add, "-0.023", "0.023", "0");
	CK_OP(rb_dec_add, "1e3", "0.001", "1000.001");
	CK_OP(rb_dec_mul, "-0.5", "0.5", "-0.25");
	CK_OP(rb_dec_mul, "0", "-5", "0");
	CK_OP(rb_dec_div, "0", "-5", "0");
	CK_OP(rb_dec_div, "-1", "8", "-0.125");
	CK_OP(rb_dec_div, "1", "0.04", "25");
	CK_OP(rb_dec_div, "1.5e3", "2.5e-3", "600000");
	CK_OP(rb_dec_div, "7", "7", "1");
	CK_OP(rb_dec_div, "12345", "100", "123.45");
	/* tax / area where the division is inexact in binary. */
	ck_assert_int_eq(rb_dec_mul(D("31.3"), D("37"), &s), RB_DEC_OK);
	CK_FMT(s, "1158.1");
	ck_assert_int_eq(rb_dec_div(s, D("31.3"), &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, D("37")), 0);
}
END_TEST

START_TEST(division_rounds)
{
	char b[RB_DEC_BUFSIZE];
	CK_OP(rb_dec_div, "1", "3", "0.333333333333333333");
	CK_OP(rb_dec_div, "2", "3", "0.666666666666666667");
	CK_OP(rb_dec_div, "-2", "3", "-0.666666666666666667");
	CK_OP(rb_dec_div, "2", "-3", "-0.666666666666666667");
	CK_OP(rb_dec_div, "-2", "-3", "0.666666666666666667");
	CK_OP(rb_dec_div, "1", "7", "0.142857142857142857");
	CK_OP(rb_dec_div, "10", "7", "1.42857142857142857");
	CK_OP(rb_dec_div, "100", "3", "33.3333333333333333");
	/* 1e-290/3 = 3.33…e-291 keeps only the digits down to 10^-300. */
	CK_OP(rb_dec_div, "1e-290", "3", zs(b, "0.", 290, "3333333333"));
	CK_OP(rb_dec_div, "2e-290", "3", zs(b, "0.", 290, "6666666667"));
	/* Exact 19-digit quotients ending in 5: ties to even. */
	CK_OP(rb_dec_div, "200000000000000001", "2", "100000000000000000");
	CK_OP(rb_dec_div, "200000000000000003", "2", "100000000000000002");
	CK_OP(rb_dec_div, "-200000000000000003", "2", "-100000000000000002");
	/* 1/199999999999999999 = 5.00000000000000002|50000000000000001...e-18:
	 * the dropped digits start with 5 and the remainder is not zero, so it
	 * rounds up; ignoring the remainder would round to even (…002). */
	CK_OP(rb_dec_div, "1", "199999999999999999", "0.00000000000000000500000000000000003");
	/* 2/199999999999999999 = 1.00000000000000000|500000000000000002...e-17 */
	CK_OP(rb_dec_div, "2", "199999999999999999", "0.0000000000000000100000000000000001");
}
END_TEST

START_TEST(addition_rounds)
{
	char b[RB_DEC_BUFSIZE];
	rb_dec r;
	/* 10^18 − 1 + 1 needs 19 digits: 1.00000000000000000e18. */
	CK_OP(rb_dec_add, "999999999999999999", "1", "1000000000000000000");
	ck_assert_int_eq(rb_dec_add(D("999999999999999999"), D("1"), &r), RB_DEC_OK);
	ck_assert_int_eq(r.coef, 100000000000000000);
	ck_assert_int_eq(r.exp, 1);
	CK_OP(rb_dec_sub, "-999999999999999999", "1", "-1000000000000000000");
	/* 999999999999999999 + 9 = 1000000000000000008: 18 digits
	 * 100000000000000000|8 round up to …01e1. */
	CK_OP(rb_dec_add, "999999999999999999", "9", "1000000000000000010");
	/* 100000000000000000500: 100000000000000000|500 is a tie, even stays. */
	CK_OP(rb_dec_add, "1e20", "500", "100000000000000000000");
	CK_OP(rb_dec_add, "1e20", "501", "100000000000000001000");
	/* 100000000000000001|500: tie, odd rounds up. */
	CK_OP(rb_dec_add, "1e20", "1500", "100000000000000002000");
	CK_OP(rb_dec_add, "-1e20", "-1500", "-100000000000000002000");
	/* 10^30 + 5·10^12 is a tie at the 18th digit; + 5000000000001 not. */
	CK_OP(rb_dec_add, "1e30", "5e12", "1000000000000000000000000000000");
	CK_OP(rb_dec_add, "1e30", "5000000000001", "1000000000000000010000000000000");
	CK_OP(rb_dec_add, "1e30", "1", "1000000000000000000000000000000");
	/* 10^30 − 5·10^12 = 999999999999999995000000000000 exactly. */
	CK_OP(rb_dec_sub, "1e30", "5e12", "999999999999999995000000000000");
	/* 10^30 − 1: 30 nines round up to 10^30. */
	CK_OP(rb_dec_sub, "1e30", "1", "1000000000000000000000000000000");
	/* (10^18 − 1)·10^12 − 1 = 999999999999999998|999999999999 rounds back up. */
	CK_OP(rb_dec_sub, "999999999999999999e12", "1", "999999999999999999000000000000");
	/* Exponents 40 apart: the small term only nudges the rounding. */
	CK_OP(rb_dec_add, "1e40", "1", zs(b, "1", 40, ""));
	CK_OP(rb_dec_sub, "1e40", "1", zs(b, "1", 40, ""));
	CK_OP(rb_dec_add, "-1e40", "0.5", zs(b, "-1", 40, ""));
	CK_OP(rb_dec_sub, "123456789012345678e100", "999999999999999999e50",
	      zs(b, "123456789012345678", 100, ""));
	CK_OP(rb_dec_add, "-123456789012345678e100", "999999999999999999e50",
	      zs(b, "-123456789012345678", 100, ""));
	CK_OP(rb_dec_add, "1", "1e-250", "1");
	CK_OP(rb_dec_sub, "1", "1e-250", "1");
	CK_OP(rb_dec_add, "1e-250", "1", "1");
	CK_OP(rb_dec_add, "0", "1e-300", zs(b, "0.", 299, "1"));
	CK_OP(rb_dec_add, "5e300", "0", zs(b, "5", 300, ""));
	CK_OP(rb_dec_add, "5e300", "1e-300", zs(b, "5", 300, ""));
	/* 19 to 36 apart with a short coefficient: added exactly, then rounded.
	 * 10^36 + 50·10^17 = 100000000000000000|5000000000000000000 is a tie
	 * (…000 is even); 51·10^17 rounds up; 15·10^17 is below half. */
	CK_OPV(rb_dec_add, ((rb_dec){1, 36}), ((rb_dec){50, 17}), zs(b, "1", 36, ""));
	CK_OPV(rb_dec_add, ((rb_dec){1, 36}), ((rb_dec){51, 17}),
	       zs(b, "100000000000000001", 19, ""));
	CK_OPV(rb_dec_add, ((rb_dec){1, 36}), ((rb_dec){150, 16}), zs(b, "1", 36, ""));
	/* 10^36 − 51·10^17 = 999999999999999994|900000000000000000 */
	CK_OPV(rb_dec_sub, ((rb_dec){1, 36}), ((rb_dec){51, 17}),
	       zs(b, "999999999999999995", 18, ""));
	/* 10^36 − 4·10^17 = 999999999999999999|6000000000000000000 rounds up. */
	CK_OPV(rb_dec_sub, ((rb_dec){1, 36}), ((rb_dec){4, 17}), zs(b, "1", 36, ""));
}
END_TEST

START_TEST(multiplication_rounds)
{
	/* (10^18 − 1)² = 999999999999999998|000000000000000001 */
	CK_OP(rb_dec_mul, "999999999999999999", "999999999999999999",
	      "999999999999999998000000000000000000");
	/* 1000000000000000005: a tie; the even neighbour stays. */
	CK_OP(rb_dec_mul, "200000000000000001", "5", "1000000000000000000");
	/* 1000000000000000015: a tie; odd …01 rounds up to …02. */
	CK_OP(rb_dec_mul, "200000000000000003", "5", "1000000000000000020");
	CK_OP(rb_dec_mul, "-200000000000000003", "5", "-1000000000000000020");
	CK_OP(rb_dec_mul, "0.000000001", "0.000000001", "0.000000000000000001");
	CK_OP(rb_dec_mul, "123456789", "1e-9", "0.123456789");
	CK_OP(rb_dec_mul, "-3", "-0.333333333333333333", "0.999999999999999999");
}
END_TEST

START_TEST(mul_ratio_one_rounding)
{
	char b[RB_DEC_BUFSIZE];
	rb_dec r, a = D("999999999999999999");
	/* a·n/n is a: one rounding. Two roundings would give …997. */
	ck_assert_int_eq(rb_dec_mul_ratio(a, 999999999999999999, 999999999999999999, &r),
			 RB_DEC_OK);
	CK_FMT(r, "999999999999999999");
	ck_assert_int_eq(rb_dec_mul_ratio(D("1"), 1, 3, &r), RB_DEC_OK);
	CK_FMT(r, "0.333333333333333333");
	ck_assert_int_eq(rb_dec_mul_ratio(D("-2"), 1, 3, &r), RB_DEC_OK);
	CK_FMT(r, "-0.666666666666666667");
	/* 1158.1 亩 in m²: × 10000/15 = 772066.666…, 18 digits. */
	ck_assert_int_eq(rb_dec_mul_ratio(D("1158.1"), 10000, 15, &r), RB_DEC_OK);
	CK_FMT(r, "772066.666666666667");
	/* 37 万元/亩 in 万元/m²: × 15/10000 = 0.0555 exactly. */
	ck_assert_int_eq(rb_dec_mul_ratio(D("37"), 15, 10000, &r), RB_DEC_OK);
	CK_FMT(r, "0.0555");
	ck_assert_int_eq(r.coef, 555);
	ck_assert_int_eq(r.exp, -4);
	/* 3 km → 3000 m */
	ck_assert_int_eq(rb_dec_mul_ratio(D("3"), 1000, 1, &r), RB_DEC_OK);
	CK_FMT(r, "3000");
	ck_assert_int_eq(rb_dec_mul_ratio(D("0"), 7, 3, &r), RB_DEC_OK);
	CK_FMT(r, "0");
	/* Largest factors: 999999999999999999 · (2^63 − 1) needs 123 bits. */
	ck_assert_int_eq(rb_dec_mul_ratio(a, INT64_MAX, INT64_MAX, &r), RB_DEC_OK);
	CK_FMT(r, "999999999999999999");
	/* (2^63 − 1)/1 = 9223372036854775807 rounds to …81e1. */
	ck_assert_int_eq(rb_dec_mul_ratio(D("1"), INT64_MAX, 1, &r), RB_DEC_OK);
	CK_FMT(r, "9223372036854775810");
	ck_assert_int_eq(rb_dec_mul_ratio(D("1"), 1, INT64_MAX, &r), RB_DEC_OK);
	/* 1/9223372036854775807 = 1.08420217248550443|4...e-19 */
	CK_FMT(r, zs(b, "0.", 18, "108420217248550443"));
	/* Signs of num and den are honoured too. */
	ck_assert_int_eq(rb_dec_mul_ratio(D("2"), -1, 3, &r), RB_DEC_OK);
	CK_FMT(r, "-0.666666666666666667");
	ck_assert_int_eq(rb_dec_mul_ratio(D("-2"), 1, -4, &r), RB_DEC_OK);
	CK_FMT(r, "0.5");
	ck_assert_int_eq(rb_dec_mul_ratio(D("1"), INT64_MIN, 1, &r), RB_DEC_OK);
	CK_FMT(r, "-9223372036854775810");
	r = (rb_dec){1, 2};
	ck_assert_int_eq(rb_dec_mul_ratio(D("5"), 1, 0, &r), RB_DEC_DIVZERO);
	ck_assert_int_eq(r.coef, 1);
	ck_assert_int_eq(rb_dec_mul_ratio(D("1e300"), 1000, 1, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_mul_ratio(D("999999999999999999e300"), 10, 1, &r), RB_DEC_OVERFLOW);
}
END_TEST

START_TEST(overflow_and_underflow)
{
	rb_dec r = {1, 2}, big = {999999999999999999, 282}; /* ≈ 1e300 */
	char want[RB_DEC_BUFSIZE];

	ck_assert_int_eq(rb_dec_mul(big, big, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(r.coef, 1); /* untouched on error */
	ck_assert_int_eq(r.exp, 2);
	ck_assert_int_eq(rb_dec_mul((rb_dec){1, 300}, (rb_dec){1, 300}, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_mul((rb_dec){-1, 300}, (rb_dec){1, 300}, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_div((rb_dec){1, 300}, (rb_dec){1, -300}, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_div((rb_dec){1, 300}, (rb_dec){3, -300}, &r), RB_DEC_OVERFLOW);
	/* 10^300 · 10^17 = 10^317 still fits (coefficient 10^17). */
	ck_assert_int_eq(rb_dec_mul((rb_dec){1, 300}, (rb_dec){1, 17}, &r), RB_DEC_OK);
	want[0] = '1';
	repeat(want + 1, '0', 317);
	CK_FMT(r, want);
	ck_assert_int_eq(rb_dec_mul((rb_dec){1, 300}, (rb_dec){1, 18}, &r), RB_DEC_OVERFLOW);
	/* (10^18 − 1)e300 doubled: 1999999999999999998e300 rounds to
	 * 2.00000000000000000e318, beyond 10^318. */
	ck_assert_int_eq(rb_dec_add((rb_dec){999999999999999999, 300},
				    (rb_dec){999999999999999999, 300}, &r),
			 RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_sub((rb_dec){999999999999999999, 300},
				    (rb_dec){-999999999999999999, 300}, &r),
			 RB_DEC_OVERFLOW);
	/* 5e317 + 5e317 = 1e318 does not fit; 4e317 + 5e317 does. */
	ck_assert_int_eq(rb_dec_add((rb_dec){500000000000000000, 300},
				    (rb_dec){500000000000000000, 300}, &r),
			 RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_add((rb_dec){400000000000000000, 300},
				    (rb_dec){500000000000000000, 300}, &r),
			 RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){9, 317}), 0);

	/* Too small: rounds at 10^-300, correctly, and may reach zero. */
	ck_assert_int_eq(rb_dec_mul((rb_dec){1, -300}, (rb_dec){1, -1}, &r), RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r));
	CK_FMT(r, "0");
	ck_assert_int_eq(rb_dec_mul((rb_dec){5, -300}, (rb_dec){1, -1}, &r), RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r)); /* 0.5e-300: tie to even 0 */
	ck_assert_int_eq(rb_dec_mul((rb_dec){15, -300}, (rb_dec){1, -1}, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){2, -300}), 0); /* 1.5 → 2 */
	ck_assert_int_eq(rb_dec_mul((rb_dec){-25, -300}, (rb_dec){1, -1}, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){-2, -300}), 0); /* 2.5 → 2 */
	ck_assert_int_eq(rb_dec_mul((rb_dec){123456789, -300}, (rb_dec){1, -3}, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){123457, -300}), 0);
	ck_assert_int_eq(rb_dec_div((rb_dec){6, -300}, (rb_dec){10, 0}, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){1, -300}), 0);
	ck_assert_int_eq(rb_dec_div((rb_dec){1, -300}, (rb_dec){3, 0}, &r), RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r));
	ck_valid(r);
	ck_assert_int_eq(rb_dec_div((rb_dec){1, -300}, (rb_dec){1, 300}, &r), RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r));
	ck_valid(r);
	ck_assert_int_eq(rb_dec_mul((rb_dec){999999999999999999, -300}, (rb_dec){1, -300}, &r),
			 RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r));
	ck_valid(r);
	/* 1e-299 − 9e-300 = 1e-300 exactly. */
	ck_assert_int_eq(rb_dec_sub((rb_dec){1, -299}, (rb_dec){9, -300}, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){1, -300}), 0);
	/* Zero results keep a valid exponent whatever the operands'. */
	ck_assert_int_eq(rb_dec_mul((rb_dec){0, 300}, (rb_dec){5, 300}, &r), RB_DEC_OK);
	ck_valid(r);
	ck_assert(rb_dec_is_zero(r));
	ck_assert_int_eq(rb_dec_div((rb_dec){0, -300}, (rb_dec){5, 300}, &r), RB_DEC_OK);
	ck_valid(r);
	ck_assert(rb_dec_is_zero(r));
}
END_TEST

START_TEST(division_by_zero)
{
	rb_dec r = {1, 2};
	ck_assert_int_eq(rb_dec_div(D("5"), D("0"), &r), RB_DEC_DIVZERO);
	ck_assert_int_eq(rb_dec_div(D("0"), D("0"), &r), RB_DEC_DIVZERO);
	ck_assert_int_eq(rb_dec_div(D("-1e-300"), D("0.000"), &r), RB_DEC_DIVZERO);
	ck_assert_int_eq(r.coef, 1);
	ck_assert_int_eq(r.exp, 2);
}
END_TEST

START_TEST(int64_extremes)
{
	rb_dec r, big = {999999999999999999, 0}, nbig = {-999999999999999999, 0};
	CK_FMT(rb_dec_from_int(0), "0");
	CK_FMT(rb_dec_from_int(-37), "-37");
	CK_FMT(rb_dec_from_int(999999999999999999), "999999999999999999");
	CK_FMT(rb_dec_from_int(-999999999999999999), "-999999999999999999");
	/* 19 digits round to 18: 922337203685477580|7 → …81e1. */
	CK_FMT(rb_dec_from_int(INT64_MAX), "9223372036854775810");
	CK_FMT(rb_dec_from_int(INT64_MIN), "-9223372036854775810");
	CK_FMT(rb_dec_from_int(INT64_MIN + 1), "-9223372036854775810");
	CK_FMT(rb_dec_from_int(1000000000000000000), "1000000000000000000");
	/* Ties: 100000000000000000|5 stays even, …01|5 goes to …02. */
	CK_FMT(rb_dec_from_int(1000000000000000005), "1000000000000000000");
	CK_FMT(rb_dec_from_int(1000000000000000015), "1000000000000000020");
	CK_FMT(rb_dec_from_int(-1000000000000000015), "-1000000000000000020");
	CK_FMT(rb_dec_from_int(1000000000000000006), "1000000000000000010");

	CK_FMT(rb_dec_neg(big), "-999999999999999999");
	CK_FMT(rb_dec_neg(nbig), "999999999999999999");
	CK_FMT(rb_dec_abs(nbig), "999999999999999999");
	CK_FMT(rb_dec_abs(big), "999999999999999999");
	CK_FMT(rb_dec_neg(rb_dec_from_int(INT64_MIN)), "9223372036854775810");
	CK_FMT(rb_dec_abs(rb_dec_from_int(INT64_MIN)), "9223372036854775810");
	CK_FMT(rb_dec_neg(RB_DEC_ZERO), "0");
	CK_FMT(rb_dec_abs((rb_dec){-5, -1}), "0.5");
	ck_assert_int_eq(rb_dec_sign(rb_dec_neg(RB_DEC_ZERO)), 0);
	ck_assert_int_eq(rb_dec_sub(RB_DEC_ZERO, nbig, &r), RB_DEC_OK);
	CK_FMT(r, "999999999999999999");
}
END_TEST

START_TEST(compare_exact)
{
	ck_assert_int_eq(rb_dec_cmp(D("1.20"), D("1.2")), 0);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){120, -2}, (rb_dec){12, -1}), 0);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){12, -1}, (rb_dec){120, -2}), 0);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, 20}, (rb_dec){100000000000000000, 3}), 0);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, 20}, (rb_dec){100000000000000001, 3}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){100000000000000001, 3}, (rb_dec){1, 20}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){-1, 20}, (rb_dec){-100000000000000001, 3}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, -300}, RB_DEC_ZERO), 1);
	ck_assert_int_eq(rb_dec_cmp(RB_DEC_ZERO, (rb_dec){1, -300}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){-1, -300}, RB_DEC_ZERO), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){0, 300}, (rb_dec){0, -300}), 0);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){0, 300}, (rb_dec){-5, 0}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){0, 300}, (rb_dec){5, 0}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){0, -300}, (rb_dec){5, 300}), -1);
	/* Huge against tiny, either sign. */
	ck_assert_int_eq(rb_dec_cmp((rb_dec){999999999999999999, 300}, (rb_dec){1, -300}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, -300}, (rb_dec){999999999999999999, 300}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){-999999999999999999, 300}, (rb_dec){1, -300}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){-1, -300}, (rb_dec){-999999999999999999, 300}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, 40}, (rb_dec){999999999999999999, 0}), 1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){-1, 40}, (rb_dec){-999999999999999999, 0}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, 0}, (rb_dec){1, 19}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){999999999999999999, 0}, (rb_dec){1, 18}), -1);
	ck_assert_int_eq(rb_dec_cmp((rb_dec){1, 18}, (rb_dec){999999999999999999, 0}), 1);
	/* Negative against positive. */
	ck_assert_int_eq(rb_dec_cmp(D("-5"), D("3")), -1);
	ck_assert_int_eq(rb_dec_cmp(D("3"), D("-5")), 1);
	ck_assert_int_eq(rb_dec_cmp(D("-0.001"), D("0.0000001")), -1);
	ck_assert_int_eq(rb_dec_cmp(D("-37"), D("-36.999999999999999")), -1);
	/* Threshold neighbours. */
	ck_assert_int_eq(rb_dec_cmp(D("36.9999999999999999"), D("37")), -1);
	ck_assert_int_eq(rb_dec_cmp(D("37.0000000000000001"), D("37")), 1);
	ck_assert_int_eq(rb_dec_cmp(D("37.000"), D("37")), 0);
	ck_assert_int_eq(rb_dec_cmp(D("3.7e1"), D("37")), 0);
	ck_assert_int_eq(rb_dec_cmp(D("370e-1"), D("0.037e3")), 0);
}
END_TEST

START_TEST(predicates)
{
	ck_assert(rb_dec_is_zero(RB_DEC_ZERO));
	ck_assert(rb_dec_is_zero((rb_dec){0, -7}));
	ck_assert(!rb_dec_is_zero((rb_dec){1, -300}));
	ck_assert_int_eq(rb_dec_sign(D("-0.5")), -1);
	ck_assert_int_eq(rb_dec_sign(D("0.5")), 1);
	ck_assert_int_eq(rb_dec_sign(D("-0")), 0);

	ck_assert(rb_dec_is_integer(D("37")));
	ck_assert(rb_dec_is_integer(D("3.0")));
	ck_assert(rb_dec_is_integer((rb_dec){30, -1}));
	ck_assert(rb_dec_is_integer(D("1e3")));
	ck_assert(rb_dec_is_integer((rb_dec){1, 3}));
	ck_assert(rb_dec_is_integer((rb_dec){0, -5}));
	ck_assert(rb_dec_is_integer((rb_dec){-100000000000000000, -17}));
	ck_assert(!rb_dec_is_integer((rb_dec){100000000000000000, -18}));
	ck_assert(!rb_dec_is_integer(D("1.5")));
	ck_assert(!rb_dec_is_integer(D("-0.5")));
	ck_assert(!rb_dec_is_integer((rb_dec){1, -300}));
	ck_assert(!rb_dec_is_integer((rb_dec){999999999999999999, -19}));
	ck_assert(!rb_dec_is_integer((rb_dec){10000000000000001, -1}));
}
END_TEST

START_TEST(normalize)
{
	rb_dec r;
	r = rb_dec_normalize((rb_dec){1200, -3});
	ck_assert_int_eq(r.coef, 12);
	ck_assert_int_eq(r.exp, -1);
	r = rb_dec_normalize((rb_dec){0, 7});
	ck_assert_int_eq(r.coef, 0);
	ck_assert_int_eq(r.exp, 0);
	r = rb_dec_normalize((rb_dec){0, -7});
	ck_assert_int_eq(r.coef, 0);
	ck_assert_int_eq(r.exp, 0);
	r = rb_dec_normalize((rb_dec){-5000, 0});
	ck_assert_int_eq(r.coef, -5);
	ck_assert_int_eq(r.exp, 3);
	r = rb_dec_normalize((rb_dec){37, 0});
	ck_assert_int_eq(r.coef, 37);
	ck_assert_int_eq(r.exp, 0);
	r = rb_dec_normalize((rb_dec){100000000000000000, -300});
	ck_assert_int_eq(r.coef, 1);
	ck_assert_int_eq(r.exp, -283);
	r = rb_dec_normalize((rb_dec){-990000000000000000, 5});
	ck_assert_int_eq(r.coef, -99);
	ck_assert_int_eq(r.exp, 21);
	/* The exponent never leaves its range. */
	r = rb_dec_normalize((rb_dec){100000000000000000, 300});
	ck_assert_int_eq(r.coef, 100000000000000000);
	ck_assert_int_eq(r.exp, 300);
	r = rb_dec_normalize((rb_dec){1000, 298});
	ck_assert_int_eq(r.coef, 10);
	ck_assert_int_eq(r.exp, 300);
}
END_TEST

typedef struct round_case {
	const char *in;
	const char *want[5]; /* HALF_UP, HALF_EVEN, DOWN, FLOOR, CEILING */
} round_case;

START_TEST(round_modes)
{
	static const round_case cases[] = {
		{"2.5", {"3", "2", "2", "2", "3"}},
		{"-2.5", {"-3", "-2", "-2", "-3", "-2"}},
		{"3.5", {"4", "4", "3", "3", "4"}},
		{"-3.5", {"-4", "-4", "-3", "-4", "-3"}},
		{"2.4", {"2", "2", "2", "2", "3"}},
		{"-2.4", {"-2", "-2", "-2", "-3", "-2"}},
		{"2.6", {"3", "3", "2", "2", "3"}},
		{"-2.6", {"-3", "-3", "-2", "-3", "-2"}},
		{"0.5", {"1", "0", "0", "0", "1"}},
		{"-0.5", {"-1", "0", "0", "-1", "0"}},
		{"-0.4", {"0", "0", "0", "-1", "0"}},
		{"2.50000000000000001", {"3", "3", "2", "2", "3"}},
		{"2.49999999999999999", {"2", "2", "2", "2", "3"}},
		{"7", {"7", "7", "7", "7", "7"}},
		{"-7.000", {"-7", "-7", "-7", "-7", "-7"}},
		{"0", {"0", "0", "0", "0", "0"}},
		{"0.000000000000000001", {"0", "0", "0", "0", "1"}},
		{"-1e-300", {"0", "0", "0", "-1", "0"}},
		{"99999999999999999.9", {"100000000000000000", "100000000000000000",
					 "99999999999999999", "99999999999999999",
					 "100000000000000000"}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int m = 0; m < 5; m++) {
			rb_dec r;
			char b[RB_DEC_BUFSIZE];
			rb_dec_status st = rb_dec_round(D(cases[i].in), 0, (rb_dec_rounding)m, &r);
			ck_assert_int_eq(st, RB_DEC_OK);
			ck_valid(r);
			ck_assert_msg(strcmp(fmt(r, b), cases[i].want[m]) == 0,
				      "round(%s, 0, mode %d) = %s, want %s", cases[i].in, m, b,
				      cases[i].want[m]);
		}
	}
}
END_TEST

static void ck_round(const char *in, int32_t places, rb_dec_rounding mode, const char *want)
{
	rb_dec r;
	char b[RB_DEC_BUFSIZE];
	REQ(rb_dec_round(D(in), places, mode, &r) == RB_DEC_OK);
	ck_valid(r);
	REQ_MSG(strcmp(fmt(r, b), want) == 0, "round(%s, %d, %d) = %s, want %s", in, places,
		(int)mode, b, want);
}

START_TEST(round_places)
{
	char b[RB_DEC_BUFSIZE];
	rb_dec r;
	ck_round("1.005", 2, RB_ROUND_HALF_UP, "1.01");
	ck_round("1.005", 2, RB_ROUND_HALF_EVEN, "1");
	ck_round("1.015", 2, RB_ROUND_HALF_EVEN, "1.02");
	ck_round("1.0051", 2, RB_ROUND_HALF_EVEN, "1.01");
	ck_round("37.12345", 3, RB_ROUND_HALF_UP, "37.123");
	ck_round("37.12345", 4, RB_ROUND_HALF_UP, "37.1235");
	ck_round("37.12345", 4, RB_ROUND_HALF_EVEN, "37.1234");
	ck_round("37.12345", 3, RB_ROUND_CEILING, "37.124");
	ck_round("-37.12345", 3, RB_ROUND_CEILING, "-37.123");
	ck_round("-37.12345", 3, RB_ROUND_FLOOR, "-37.124");
	ck_round("37", 2, RB_ROUND_HALF_UP, "37");
	ck_round("0.666666666666666667", 2, RB_ROUND_HALF_UP, "0.67");
	ck_round("0.666666666666666667", 2, RB_ROUND_DOWN, "0.66");
	/* Negative places: tens, hundreds, thousands. */
	ck_round("1234.5", -2, RB_ROUND_HALF_UP, "1200");
	ck_round("1250", -2, RB_ROUND_HALF_EVEN, "1200");
	ck_round("1350", -2, RB_ROUND_HALF_EVEN, "1400");
	ck_round("1250", -2, RB_ROUND_HALF_UP, "1300");
	ck_round("-1250", -2, RB_ROUND_HALF_UP, "-1300");
	ck_round("1201", -2, RB_ROUND_CEILING, "1300");
	ck_round("-1201", -2, RB_ROUND_FLOOR, "-1300");
	ck_round("1299", -2, RB_ROUND_DOWN, "1200");
	ck_round("499", -3, RB_ROUND_HALF_UP, "0");
	ck_round("500", -3, RB_ROUND_HALF_UP, "1000");
	ck_round("500", -3, RB_ROUND_HALF_EVEN, "0");
	ck_round("1500", -3, RB_ROUND_HALF_EVEN, "2000");
	ck_round("95", -1, RB_ROUND_HALF_UP, "100");
	ck_round("123456789012345678", -17, RB_ROUND_HALF_UP, "100000000000000000");
	ck_round("987654321098765432", -18, RB_ROUND_HALF_UP, "1000000000000000000");
	ck_round("987654321098765432", -18, RB_ROUND_DOWN, "0");
	ck_round("5", -400, RB_ROUND_HALF_UP, "0");
	ck_round("5", -400, RB_ROUND_DOWN, "0");
	ck_round("5", INT32_MIN, RB_ROUND_FLOOR, "0");
	ck_round("-5", INT32_MIN, RB_ROUND_CEILING, "0");
	ck_round("5", INT32_MAX, RB_ROUND_DOWN, "5");
	ck_round("1e-300", INT32_MAX, RB_ROUND_DOWN, zs(b, "0.", 299, "1"));
	/* Rounding up to 10^400 does not fit. */
	ck_assert_int_eq(rb_dec_round(D("5"), -400, RB_ROUND_CEILING, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_round(D("-5"), -400, RB_ROUND_FLOOR, &r), RB_DEC_OVERFLOW);
	/* ... but 10^317 does. */
	ck_assert_int_eq(rb_dec_round(D("5"), -317, RB_ROUND_CEILING, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_cmp(r, (rb_dec){1, 317}), 0);
	ck_valid(r);
	ck_assert_int_eq(rb_dec_round(D("999999999999999999e300"), -317, RB_ROUND_HALF_UP, &r),
			 RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_round(D("499999999999999999e300"), -318, RB_ROUND_HALF_UP, &r),
			 RB_DEC_OK);
	ck_assert(rb_dec_is_zero(r));
	ck_valid(r);
}
END_TEST

/* ---- conversions from and to double ---- */

static void ck_from_double(double v, const char *want)
{
	rb_dec r = {777, 7};
	char b[RB_DEC_BUFSIZE];
	ck_assert_int_eq(rb_dec_from_double(v, &r), RB_DEC_OK);
	ck_valid(r);
	ck_assert_msg(strcmp(fmt(r, b), want) == 0, "from_double(%.17g) = %s, want %s", v, b, want);
}

START_TEST(from_double_shortest)
{
	rb_dec r = {777, 7};
	char want[RB_DEC_BUFSIZE];
	char *p;

	ck_from_double(0.1, "0.1");
	ck_from_double(0.3, "0.3");
	/* ...892 and ...893 both read back; the double is
	 * 535882.004306689254..., so ...893 is the nearer. */
	ck_from_double(535882.0043066893, "535882.0043066893");
	ck_from_double(1158.1, "1158.1");
	ck_from_double(-1158.1, "-1158.1");
	ck_from_double(31.3, "31.3");
	ck_from_double(37.0, "37");
	ck_from_double(1e-7, "0.0000001");
	ck_from_double(123456789012345678.0, "123456789012345680");
	ck_from_double(0.1 + 0.2, "0.30000000000000004");
	ck_from_double(-2.5, "-2.5");
	ck_from_double(0.0, "0");
	ck_from_double(-0.0, "0");
	ck_assert_int_eq(rb_dec_from_double(-0.0, &r), RB_DEC_OK);
	ck_assert_int_eq(rb_dec_sign(r), 0);
	ck_from_double(9007199254740992.0, "9007199254740992");
	ck_from_double(9007199254740993.0, "9007199254740992");
	ck_from_double(2251799813685248.5, "2251799813685248.5");
	ck_from_double(1e15, "1000000000000000");
	ck_from_double(1e23, "100000000000000000000000");
	ck_from_double(5e-5, "0.00005");
	ck_from_double((double)0.1f, "0.10000000149011612");
	ck_from_double(1.0 / 3.0, "0.3333333333333333");
	ck_from_double(2.0 / 3.0, "0.6666666666666666");
	/* 2^89 = 618970019642690137449562112: the nearest 16-digit decimal,
	 * …6901e11, is below it by more than the (narrower) gap to the next
	 * double down, so the shortest is the one above. */
	ck_from_double(0x1p89, "618970019642690200000000000");
	ck_from_double(0x1p-100, zs(want, "0.", 30, "7888609052210118"));
	/* DBL_MAX = 1.7976931348623157e308 */
	p = strcpy(want, "17976931348623157") + 17;
	repeat(p, '0', 292);
	ck_from_double(DBL_MAX, want);
	p = strcpy(want, "-10715086071862673") + 18;
	repeat(p, '0', 285);
	ck_from_double(-0x1p1000, want);
	p = strcpy(want, "0.") + 2;
	p = repeat(p, '0', 299);
	strcpy(p, "1");
	ck_from_double(1e-300, want);

	/* Refused. */
	r = (rb_dec){777, 7};
	ck_assert_int_eq(rb_dec_from_double(NAN, &r), RB_DEC_SYNTAX);
	ck_assert_int_eq(rb_dec_from_double(-NAN, &r), RB_DEC_SYNTAX);
	ck_assert_int_eq(rb_dec_from_double(INFINITY, &r), RB_DEC_SYNTAX);
	ck_assert_int_eq(rb_dec_from_double(-INFINITY, &r), RB_DEC_SYNTAX);
	/* Nonzero values below 10^-300 have no representation. */
	ck_assert_int_eq(rb_dec_from_double(1e-301, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_from_double(DBL_MIN, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(rb_dec_from_double(-5e-324, &r), RB_DEC_OVERFLOW);
	ck_assert_int_eq(r.coef, 777);
	ck_assert_int_eq(r.exp, 7);
}
END_TEST

/* Whatever the decimal point of the locale, parsing and conversion from
 * double behave the same (only locales installed on the machine are tried). */
START_TEST(locale_independent)
{
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
					    "ru_RU.UTF-8", "ps_AF.UTF-8", "C"};
	char saved[256];
	snprintf(saved, sizeof saved, "%s", setlocale(LC_NUMERIC, NULL));
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		rb_dec r;
		size_t at;
		if (!setlocale(LC_NUMERIC, names[i]))
			continue;
		ck_from_double(1158.1, "1158.1");
		ck_from_double(-0.023, "-0.023");
		ck_from_double(0x1p89, "618970019642690200000000000");
		CK_FMT(D("1158.1"), "1158.1");
		ck_assert_int_eq(rb_dec_parse("1,5", 3, &r, &at), RB_DEC_SYNTAX);
		ck_assert_uint_eq(at, 1);
	}
	setlocale(LC_NUMERIC, saved);
}
END_TEST

static int coef_digits(rb_dec x);

/* The fewest significant digits of a decimal that strtod reads back as v:
 * for each length, the decimal printf rounds v to and its two neighbours
 * (near a power of two the nearest one can miss while the next one hits).
 * *low is the exponent of that decimal's last nonzero digit. */
static int shortest_digits(double v, int *low)
{
	char b[64];
	for (int p = 1; p <= 17; p++) {
		unsigned long long m = 0;
		int x;
		const char *q;
		snprintf(b, sizeof b, "%.*e", p - 1, fabs(v));
		for (q = b; *q != 'e'; q++)
			if (*q >= '0' && *q <= '9')
				m = m * 10 + (unsigned long long)(*q - '0');
		x = atoi(q + 1) - (p - 1);
		for (int k = -1; k <= 1; k++) {
			unsigned long long c = m + (unsigned long long)k;
			snprintf(b, sizeof b, "%llue%d", c, x);
			if (strtod(b, NULL) == fabs(v)) {
				for (*low = x; c % 10 == 0; c /= 10)
					++*low;
				return p;
			}
		}
	}
	ck_abort_msg("no 17-digit decimal reads back as %a", v);
	return 0;
}

/* from_double(v) gives the shortest decimal, or RB_DEC_OVERFLOW exactly
 * when that decimal has digits below 10^-300. */
static void ck_shortest(double v)
{
	rb_dec r = {777, 7};
	char b[RB_DEC_BUFSIZE];
	int low, nd = shortest_digits(v, &low);
	rb_dec_status st = rb_dec_from_double(v, &r);
	if (low < RB_DEC_EXP_MIN) {
		REQ_MSG(st == RB_DEC_OVERFLOW, "%a: status %d", v, (int)st);
		return;
	}
	REQ_MSG(st == RB_DEC_OK, "%a: status %d", v, (int)st);
	ck_valid(r);
	fmt(r, b);
	REQ_MSG(strtod(b, NULL) == v, "%.17g became %s", v, b);
	REQ_MSG(coef_digits(r) == nd, "%.17g became %s, not %d digits", v, b, nd);
}

static int coef_digits(rb_dec x)
{
	x = rb_dec_normalize(x);
	int n = 0;
	for (int64_t c = x.coef < 0 ? -x.coef : x.coef; c; c /= 10)
		n++;
	return n;
}

START_TEST(from_double_random)
{
	lcg_seed(20240501);
	for (int i = 0; i < 5000; i++) {
		uint64_t bits = (lcg() << 11) ^ lcg();
		/* Any finite double: the exponent field is 0..2046. */
		uint64_t ef = lcg_below(2047);
		double v;
		bits = (bits & ~(UINT64_C(0x7ff) << 52)) | (ef << 52);
		memcpy(&v, &bits, sizeof v);
		if (v != 0)
			ck_shortest(v);
	}
	/* Near 10^-300 the outcome depends on the digits. */
	for (int i = 0; i < 1000; i++) {
		double v = (1.0 + (double)lcg_below(UINT64_C(1) << 40) / 1099511627776.0) * 1e-300;
		ck_shortest(i & 1 ? v : -v);
		ck_shortest(v * 1e16);
	}
	/* Powers of two, where the gap below is half the gap above. */
	for (int e = -1074; e <= 1023; e++) {
		double v = 1.0;
		for (int k = 0; k < (e < 0 ? -e : e); k++)
			v = e < 0 ? v / 2 : v * 2;
		ck_shortest(v);
	}
	/* k / 10^j with k below 10^15 comes back as exactly k·10^-j. */
	for (int i = 0; i < 20000; i++) {
		int64_t k = (int64_t)lcg_below(1000000000000000);
		int j = (int)lcg_below(16);
		double v = (double)k / (double)P10[j];
		rb_dec r;
		REQ(rb_dec_from_double(v, &r) == RB_DEC_OK);
		REQ_MSG(rb_dec_cmp(r, (rb_dec){k, -j}) == 0, "%lld e-%d", (long long)k, j);
		/* and in the form parsing its text gives (no trailing zeros in
		 * the fraction, integers at exponent 0), coefficient for
		 * coefficient: the exact route compares and formats those */
		char t[48];
		if (j == 0)
			snprintf(t, sizeof t, "%lld", (long long)k);
		else
			snprintf(t, sizeof t, "%lld.%0*lld", (long long)(k / P10[j]), j,
				 (long long)(k % P10[j]));
		rb_dec p;
		REQ(rb_dec_parse(t, strlen(t), &p, NULL) == RB_DEC_OK);
		REQ_MSG(r.coef == p.coef && r.exp == p.exp, "%s: %lld e%d, parsed %lld e%d", t,
			(long long)r.coef, (int)r.exp, (long long)p.coef, (int)p.exp);
	}
}
END_TEST

START_TEST(to_double)
{
	ck_assert(rb_dec_to_double(D("37")) == 37.0);
	ck_assert(rb_dec_to_double(D("1158.1")) == 1158.1);
	ck_assert(rb_dec_to_double(D("-0.023")) == -0.023);
	ck_assert(rb_dec_to_double(D("0.1")) == 0.1);
	ck_assert(rb_dec_to_double(D("123456789012345678")) == 123456789012345678.0);
	ck_assert(rb_dec_to_double((rb_dec){1, 300}) == 1e300);
	ck_assert(rb_dec_to_double((rb_dec){1, -300}) == 1e-300);
	ck_assert(rb_dec_to_double((rb_dec){-25, -1}) == -2.5);
	ck_assert(rb_dec_to_double((rb_dec){0, 300}) == 0.0);
	ck_assert(rb_dec_to_double(RB_DEC_ZERO) == 0.0);
	ck_assert(isinf(rb_dec_to_double((rb_dec){999999999999999999, 300})));
	ck_assert(rb_dec_to_double((rb_dec){-999999999999999999, 300}) < -DBL_MAX);
	/* Within a couple of units in the last place elsewhere. */
	lcg_seed(7);
	for (int i = 0; i < 10000; i++) {
		rb_dec x = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(561) - 280};
		char b[RB_DEC_BUFSIZE];
		double want = strtod(fmt(x, b), NULL), got = rb_dec_to_double(x);
		REQ_MSG(fabs(got - want) <= 2 * DBL_EPSILON * fabs(want), "%s: %.17g, want %.17g", b,
			got, want);
	}
}
END_TEST

/* ---- properties ---- */

START_TEST(prop_tax_per_mu_threshold)
{
	/* A firm paying exactly 37 万元 per 亩 meets a ≥ 37 threshold for any
	 * area with up to six decimals; one unit less does not. */
	rb_dec thr = D("37"), unit = D("0.000001");
	lcg_seed(42);
	for (int i = 0; i < 100000; i++) {
		/* Up to 9 integer digits and 6 decimals: below 10^9 亩, so
		 * 10^-6/area stays visible at 18 digits of 37. */
		int fd = (int)lcg_below(7), nd = 1 + (int)lcg_below((uint64_t)(9 + fd));
		rb_dec area = {P10[nd - 1] + (int64_t)lcg_below((uint64_t)(P10[nd] - P10[nd - 1])),
			       -(int32_t)fd};
		rb_dec tax, per, less;
		REQ(rb_dec_mul(thr, area, &tax) == RB_DEC_OK);
		REQ(rb_dec_div(tax, area, &per) == RB_DEC_OK);
		REQ(rb_dec_cmp(per, thr) == 0);
		REQ(rb_dec_cmp(per, thr) >= 0);
		REQ(rb_dec_sub(tax, unit, &less) == RB_DEC_OK);
		REQ(rb_dec_div(less, area, &per) == RB_DEC_OK);
		REQ(rb_dec_cmp(per, thr) < 0);
	}
}
END_TEST

START_TEST(prop_x_over_x)
{
	lcg_seed(99);
	for (int i = 0; i < 50000; i++) {
		rb_dec x = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(601) - 300}, r;
		REQ(rb_dec_div(x, x, &r) == RB_DEC_OK);
		REQ(rb_dec_cmp(r, (rb_dec){1, 0}) == 0);
		CK_FMT(r, "1");
		REQ(rb_dec_sub(x, x, &r) == RB_DEC_OK);
		REQ(rb_dec_is_zero(r));
		REQ(rb_dec_cmp(x, x) == 0);
	}
}
END_TEST

START_TEST(prop_mul_div)
{
	lcg_seed(12345);
	for (int i = 0; i < 50000; i++) {
		/* Short factors: the product is exact and division undoes it. */
		rb_dec a = {rnd_coef(1 + (int)lcg_below(9)), (int32_t)lcg_below(201) - 100};
		rb_dec b = {rnd_coef(1 + (int)lcg_below(9)), (int32_t)lcg_below(201) - 100};
		rb_dec p, q;
		REQ(rb_dec_mul(a, b, &p) == RB_DEC_OK);
		REQ(rb_dec_cmp(p, (rb_dec){a.coef * b.coef, a.exp + b.exp}) == 0);
		REQ(rb_dec_div(p, b, &q) == RB_DEC_OK);
		REQ(rb_dec_cmp(q, a) == 0);

		/* 18-digit factors: each step is checked to be correctly
		 * rounded against exact 128-bit arithmetic. */
		a = (rb_dec){rnd_coef(18), (int32_t)lcg_below(201) - 100};
		b = (rb_dec){rnd_coef(18), (int32_t)lcg_below(201) - 100};
		REQ(rb_dec_mul(a, b, &p) == RB_DEC_OK);
		ck_rounded((i128)a.coef * b.coef, 1, (int64_t)a.exp + b.exp, p);
		REQ(rb_dec_div(p, b, &q) == RB_DEC_OK);
		if (b.coef < 0)
			ck_rounded(-(i128)p.coef, -(i128)b.coef, (int64_t)p.exp - b.exp, q);
		else
			ck_rounded(p.coef, b.coef, (int64_t)p.exp - b.exp, q);
		/* Two roundings of at most half a unit each: within a few units
		 * of a's last digit. */
		{
			rb_dec diff, tol = {11, a.exp};
			REQ(rb_dec_sub(q, a, &diff) == RB_DEC_OK);
			REQ(rb_dec_cmp(rb_dec_abs(diff), tol) <= 0);
		}

		/* Any coefficients: the quotient is correctly rounded. */
		a = (rb_dec){rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(21) - 10};
		b = (rb_dec){rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(21) - 10};
		REQ(rb_dec_div(a, b, &q) == RB_DEC_OK);
		{
			i128 n = a.coef, d = b.coef;
			if (d < 0) {
				n = -n;
				d = -d;
			}
			ck_rounded(n, d, (int64_t)a.exp - b.exp, q);
		}
		/* mul_ratio: a·num/den in one rounding. */
		{
			int64_t num = 1 + (int64_t)lcg_below(1000000000000);
			int64_t den = 1 + (int64_t)lcg_below(1000000);
			rb_dec m;
			i128 n = (i128)a.coef * num;
			REQ(rb_dec_mul_ratio(a, num, den, &m) == RB_DEC_OK);
			ck_rounded(n, den, a.exp, m);
		}
	}
}
END_TEST

START_TEST(prop_add_cmp)
{
	lcg_seed(777);
	for (int i = 0; i < 100000; i++) {
		rb_dec a = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(81) - 40};
		rb_dec b = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(81) - 40};
		rb_dec s, d;
		int c = rb_dec_cmp(a, b);
		REQ(rb_dec_cmp(b, a) == -c);
		if (i % 4 == 0) /* equal values */
			b = a;
		REQ(rb_dec_add(a, b, &s) == RB_DEC_OK);
		REQ(rb_dec_sub(a, b, &d) == RB_DEC_OK);
		c = rb_dec_cmp(a, b);
		/* Rounding never changes the sign of a difference. */
		REQ(rb_dec_sign(d) == c);
		if (a.exp - b.exp <= 18 && b.exp - a.exp <= 18) {
			int64_t lo = a.exp < b.exp ? a.exp : b.exp;
			i128 xa = (i128)a.coef * p10i((int)(a.exp - lo));
			i128 xb = (i128)b.coef * p10i((int)(b.exp - lo));
			ck_rounded(xa + xb, 1, lo, s);
			ck_rounded(xa - xb, 1, lo, d);
		} else {
			/* Far apart: no exact oracle fits 128 bits, but the sum
			 * lies on b's side of a, and order does not matter. */
			rb_dec t;
			REQ(rb_dec_add(b, a, &t) == RB_DEC_OK);
			REQ(rb_dec_cmp(s, t) == 0);
			REQ(rb_dec_cmp(s, a) * rb_dec_sign(b) >= 0);
			REQ(rb_dec_cmp(d, a) * rb_dec_sign(b) <= 0);
			REQ(rb_dec_cmp(s, b) * rb_dec_sign(a) >= 0);
		}
		/* The same value written with a longer coefficient. */
		if (a.coef > -P10[17] && a.coef < P10[17] && a.exp > -40) {
			rb_dec a10 = {a.coef * 10, a.exp - 1};
			REQ(rb_dec_cmp(a, a10) == 0);
			REQ(rb_dec_cmp(a10, a) == 0);
		}
	}
}
END_TEST

/* op and its inline form (decimal.h) must both give want. */
#define CK_OP2(op, a, b, want)                  \
	do {                                    \
		CK_OP(op, a, b, want);          \
		CK_OP(op##_inline, a, b, want); \
	} while (0)

/* Products and sums a little past 18 digits, and ones that fit. Worked
 * out with Python's decimal module (precision 18, ROUND_HALF_EVEN). */
START_TEST(inline_forms_round)
{
	CK_OP2(rb_dec_mul, "30", "16.6666666666666667", "500.000000000000001");
	CK_OP2(rb_dec_mul, "20", "0.675000000000000005", "13.5000000000000001");
	CK_OP2(rb_dec_mul, "15", "0.666666666666666667", "10");
	CK_OP2(rb_dec_mul, "999999999999999999", "17", "17000000000000000000");
	CK_OP2(rb_dec_mul, "123456789012345678", "-99", "-12222222112222222100");
	CK_OP2(rb_dec_mul, "-11", "90909090909090909.1", "-1000000000000000000");
	CK_OP2(rb_dec_mul, "-13", "0.769230769230769235", "-10.0000000000000001");
	CK_OP2(rb_dec_mul, "200000000000000003", "5", "1000000000000000020");
	CK_OP2(rb_dec_mul, "37", "0.2", "7.4");
	CK_OP2(rb_dec_add, "45", "16.6666666666666667", "61.6666666666666667");
	CK_OP2(rb_dec_add, "999999999999999999", "0.5", "1000000000000000000");
	CK_OP2(rb_dec_add, "99999999999999999.5", "0.5", "100000000000000000");
	CK_OP2(rb_dec_add, "0.000000000000000001", "999999999999999999", "999999999999999999");
	CK_OP2(rb_dec_add, "-1.5", "1.25", "-0.25");
	CK_OP2(rb_dec_add, "1e20", "1500", "100000000000000002000");
}
END_TEST

/* v·10^e rounded to 18 digits, ties to even, by long division in 128 bits
 * (the reference for the exact form of a result: coefficient and
 * exponent); v within ±10^37, e in range. */
static rb_dec ref_round(i128 v, int64_t e)
{
	bool neg = v < 0;
	i128 m = neg ? -v : v;
	int k = 0;
	while (m >= (i128)P10[18] * p10i(k))
		k++;
	if (k > 0) {
		i128 p = p10i(k), q = m / p, r = m - q * p;
		if (2 * r > p || (2 * r == p && (q & 1)))
			q++;
		if (q == P10[18]) {
			q /= 10;
			k++;
		}
		m = q;
	}
	return (rb_dec){neg ? -(int64_t)m : (int64_t)m, (int32_t)(e + k)};
}

/* Products and sums of up to 37 digits against the reference, to the
 * coefficient and exponent, through both forms. */
START_TEST(prop_mul_add_exact_form)
{
	lcg_seed(4242);
	for (int i = 0; i < 100000; i++) {
		rb_dec a = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(41) - 20};
		rb_dec b = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(41) - 20};
		rb_dec r1, r2, want = ref_round((i128)a.coef * b.coef, (int64_t)a.exp + b.exp);
		REQ(rb_dec_mul(a, b, &r1) == RB_DEC_OK);
		REQ(rb_dec_mul_inline(a, b, &r2) == RB_DEC_OK);
		REQ_MSG(r1.coef == want.coef && r1.exp == want.exp, "mul %lld e%d", (long long)r1.coef,
			r1.exp);
		REQ(r2.coef == want.coef && r2.exp == want.exp);
		if (a.exp - b.exp <= 18 && b.exp - a.exp <= 18) {
			int64_t lo = a.exp < b.exp ? a.exp : b.exp;
			i128 x = (i128)a.coef * p10i((int)(a.exp - lo)) +
				 (i128)b.coef * p10i((int)(b.exp - lo));
			want = ref_round(x, lo);
			if (x == 0)
				want = (rb_dec){0, (int32_t)lo};
			REQ(rb_dec_add(a, b, &r1) == RB_DEC_OK);
			REQ(rb_dec_add_inline(a, b, &r2) == RB_DEC_OK);
			REQ_MSG(r1.coef == want.coef && r1.exp == want.exp, "add %lld e%d",
				(long long)r1.coef, r1.exp);
			REQ(r2.coef == want.coef && r2.exp == want.exp);
		}
	}
}
END_TEST

/* a / b in the form rb_dec_div gives it, worked out from its definition
 * in 128 bits: n/d·10^e correctly rounded to 18 digits, ties to even, and
 * when 19 significant digits hold the quotient exactly, its trailing zeros
 * dropped while the exponent stays at most a's exponent minus b's. */
static rb_dec ref_div(rb_dec a, rb_dec b)
{
	i128 n = a.coef < 0 ? -(i128)a.coef : a.coef, d = b.coef < 0 ? -(i128)b.coef : b.coef;
	int64_t e = (int64_t)a.exp - b.exp;
	if (n == 0)
		return (rb_dec){0, (int32_t)e};
	int s = 0;
	while (n * p10i(s) / d < P10[17])
		s++;
	while (n * p10i(s) / d >= P10[18])
		s--; /* not reached for 18-digit coefficients: s >= 1 */
	i128 q = n * p10i(s) / d, r = n * p10i(s) % d;
	int64_t x = e - s;
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	if (q == P10[18]) {
		q /= 10;
		x++;
	}
	if ((10 * r) % d == 0)
		while (q % 10 == 0 && x < e) {
			q /= 10;
			x++;
		}
	bool neg = (a.coef < 0) != (b.coef < 0);
	return (rb_dec){neg ? -(int64_t)q : (int64_t)q, (int32_t)x};
}

/* Quotients of every length of operand, exact ones (a product divided by
 * a factor) and ties among them, against the reference to the
 * coefficient and exponent. */
START_TEST(prop_div_exact_form)
{
	lcg_seed(2718);
	for (int i = 0; i < 200000; i++) {
		rb_dec a = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(61) - 30};
		rb_dec b = {rnd_coef(1 + (int)lcg_below(18)), (int32_t)lcg_below(61) - 30};
		if (i % 3 == 0) {
			/* a = b·k (exact) or b·k + b/2 (a tie when it has 19 digits) */
			int64_t k = rnd_coef(1 + (int)lcg_below(18)), bc = b.coef;
			i128 m = (i128)bc * k;
			if (i % 2 && bc % 2 == 0)
				m += bc / 2;
			while (m >= P10[18] || m <= -P10[18]) {
				bc /= 10;
				m = (i128)bc * k + (i % 2 && bc % 2 == 0 ? bc / 2 : 0);
			}
			if (bc == 0)
				continue;
			a.coef = (int64_t)m;
			b.coef = bc;
			if (a.coef == 0)
				continue;
		}
		if (i % 5 == 1) {
			/* divisors of a power of ten: quotients of 19 digits that
			 * end in 5 or 25 or ..., whose first 18 are rounded */
			static const int64_t dv[] = {8, 16, 32, 64, 40, 125, 625, 3125, 250, 80};
			a.coef = rnd_coef(17 + (int)lcg_below(2));
			b.coef = dv[lcg_below(10)];
		}
		rb_dec q, want = ref_div(a, b);
		REQ(rb_dec_div(a, b, &q) == RB_DEC_OK);
		REQ_MSG(q.coef == want.coef && q.exp == want.exp,
			"%lld e%d / %lld e%d: %lld e%d, want %lld e%d", (long long)a.coef, a.exp,
			(long long)b.coef, b.exp, (long long)q.coef, q.exp, (long long)want.coef,
			want.exp);
	}
}
END_TEST

/* Plain notation of c·10^e built digit by digit from the C library's
 * integer formatting: the reference for rb_dec_format. */
static void ref_format(int64_t c, int e, char *out)
{
	char d[32];
	if (c == 0) {
		strcpy(out, "0");
		return;
	}
	snprintf(d, sizeof d, "%llu", (unsigned long long)(c < 0 ? -c : c));
	int nd = (int)strlen(d);
	while (e < 0 && d[nd - 1] == '0') { /* trailing fraction zeros */
		d[--nd] = '\0';
		e++;
	}
	if (c < 0)
		*out++ = '-';
	if (e >= 0) {
		memcpy(out, d, (size_t)nd);
		memset(out + nd, '0', (size_t)e);
		out[nd + e] = '\0';
	} else if (nd + e > 0) {
		memcpy(out, d, (size_t)(nd + e));
		out[nd + e] = '.';
		strcpy(out + nd + e + 1, d + nd + e);
	} else {
		out[0] = '0';
		out[1] = '.';
		memset(out + 2, '0', (size_t)(-e - nd));
		strcpy(out + 2 - e - nd, d);
	}
}

/* Coefficients of any length, with and without trailing zeros, at
 * exponents around the short form's range and beyond, into buffers of
 * every size from 1 to past the longest text. */
START_TEST(prop_format_reference)
{
	lcg_seed(9001);
	for (int i = 0; i < 60000; i++) {
		int nd = 1 + (int)lcg_below(18);
		int64_t c = rnd_coef(nd);
		if (i % 3 == 0) { /* trailing zeros */
			int64_t p = P10[lcg_below((uint64_t)nd)];
			c = c / p * p;
		}
		if (i % 97 == 0)
			c = 0;
		int e = (int)lcg_below(81) - 40;
		if (i % 50 == 0)
			e = (int)lcg_below(601) - 300;
		char want[RB_DEC_BUFSIZE], got[RB_DEC_BUFSIZE + 8];
		ref_format(c, e, want);
		size_t len = strlen(want);
		size_t size = i % 4 == 0 ? 1 + (size_t)lcg_below(len + 2) : RB_DEC_BUFSIZE;
		memset(got, 'x', sizeof got);
		size_t n = rb_dec_format((rb_dec){c, (int32_t)e}, got, size);
		REQ_MSG(n == len, "%lld e%d: length %zu, want %zu", (long long)c, e, n, len);
		size_t kept = len < size ? len : size - 1;
		REQ_MSG(memcmp(got, want, kept) == 0 && got[kept] == '\0',
			"%lld e%d: \"%s\", want \"%s\"", (long long)c, e, got, want);
		REQ(got[size] == 'x' || size == RB_DEC_BUFSIZE); /* nothing past size */
	}
}
END_TEST

START_TEST(prop_parse_format_roundtrip)
{
	lcg_seed(31337);
	for (int i = 0; i < 50000; i++) {
		char in[64], want[64];
		int nd = 1 + (int)lcg_below(18), dot = (int)lcg_below((uint64_t)nd + 1);
		int neg = (int)(lcg() & 1);
		uint64_t c = (uint64_t)(P10[nd - 1] +
					(int64_t)lcg_below((uint64_t)(P10[nd] - P10[nd - 1])));
		char digs[24];
		char *p = in, *w = want;
		if (c % 10 == 0)
			c++; /* no trailing zero in the fraction */
		snprintf(digs, sizeof digs, "%llu", (unsigned long long)c);
		if (neg) {
			*p++ = '-';
			*w++ = '-';
		}
		/* Input "ddd.ddd" (dot may lead or trail); output has a 0
		 * before a leading dot and no trailing dot. */
		memcpy(p, digs, (size_t)dot);
		p += dot;
		*p++ = '.';
		strcpy(p, digs + dot);
		if (dot == 0)
			*w++ = '0';
		memcpy(w, digs, (size_t)dot);
		w += dot;
		if (dot < nd) {
			*w++ = '.';
			strcpy(w, digs + dot);
		} else {
			*w = '\0';
		}
		CK_FMT(D(in), want);
	}
}
END_TEST

/* Rulebook numbers may end in '%': 2.3% is 0.023 exactly. */
START_TEST(parse_percent)
{
	rb_dec r = {777, 7};
	char b[RB_DEC_BUFSIZE];
	size_t at = 99;
	ck_assert_int_eq(rb_dec_parse_percent("2.3%", 4, &r, &at), RB_DEC_OK);
	ck_assert_str_eq(fmt(r, b), "0.023");
	ck_assert_int_eq(rb_dec_parse_percent("40%", 3, &r, &at), RB_DEC_OK);
	ck_assert_str_eq(fmt(r, b), "0.4");
	ck_assert_int_eq(rb_dec_parse_percent("37", 2, &r, &at), RB_DEC_OK);
	ck_assert_str_eq(fmt(r, b), "37");
	/* a lone '%' is no number; a bad number before it keeps its error */
	r = (rb_dec){777, 7};
	ck_assert_int_eq(rb_dec_parse_percent("%", 1, &r, &at), RB_DEC_SYNTAX);
	ck_assert_int_eq(rb_dec_parse_percent("1x%", 3, &r, &at), RB_DEC_SYNTAX);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(r.coef, 777);
	ck_assert_int_eq(rb_dec_parse_percent("2.3%%", 5, &r, &at), RB_DEC_SYNTAX);
}
END_TEST

static Suite *decimal_suite(void)
{
	Suite *s = suite_create("decimal");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, parse_accepts);
	tcase_add_test(tc, parse_zero_any_exponent);
	tcase_add_test(tc, parse_rejects);
	tcase_add_test(tc, parse_long_inputs);
	tcase_add_test(tc, parse_range_edges);
	tcase_add_test(tc, parse_uses_len);
	tcase_add_test(tc, parse_plain_same_as_general);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, format_plain);
	tcase_add_test(tc, format_extremes);
	tcase_add_test(tc, format_truncates);
	suite_add_tcase(s, tc);

	tc = tcase_create("arithmetic");
	tcase_add_test(tc, exact_thresholds);
	tcase_add_test(tc, division_rounds);
	tcase_add_test(tc, addition_rounds);
	tcase_add_test(tc, multiplication_rounds);
	tcase_add_test(tc, mul_ratio_one_rounding);
	tcase_add_test(tc, overflow_and_underflow);
	tcase_add_test(tc, division_by_zero);
	tcase_add_test(tc, int64_extremes);
	tcase_add_test(tc, inline_forms_round);
	suite_add_tcase(s, tc);

	tc = tcase_create("compare");
	tcase_add_test(tc, compare_exact);
	tcase_add_test(tc, predicates);
	tcase_add_test(tc, normalize);
	suite_add_tcase(s, tc);

	tc = tcase_create("round");
	tcase_add_test(tc, round_modes);
	tcase_add_test(tc, round_places);
	suite_add_tcase(s, tc);

	tc = tcase_create("double");
	tcase_add_test(tc, from_double_shortest);
	tcase_add_test(tc, parse_percent);
	tcase_add_test(tc, from_double_random);
	tcase_add_test(tc, to_double);
	tcase_add_test(tc, locale_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("properties");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, prop_tax_per_mu_threshold);
	tcase_add_test(tc, prop_x_over_x);
	tcase_add_test(tc, prop_mul_div);
	tcase_add_test(tc, prop_add_cmp);
	tcase_add_test(tc, prop_mul_add_exact_form);
	tcase_add_test(tc, prop_format_reference);
	tcase_add_test(tc, prop_div_exact_form);
	tcase_add_test(tc, prop_parse_format_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decimal_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
