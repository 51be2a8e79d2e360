/* Exact decimal arithmetic.
 *
 * A value is coef × 10^exp with |coef| < 10^18: eighteen significant
 * decimal digits, held in an int64_t, so values are plain data (no
 * allocation) and products fit a 128-bit intermediate. Addition,
 * subtraction, multiplication and the conversions below are exact whenever
 * the exact result has at most 18 significant digits; otherwise, and for
 * division, the result is the exact value correctly rounded to 18
 * significant digits, ties to even. Comparison is always exact.
 *
 * Exponents are kept within [RB_DEC_EXP_MIN, RB_DEC_EXP_MAX]. A result too
 * large for that range is RB_DEC_OVERFLOW; a nonzero result too small
 * rounds towards zero digit by digit (with correct rounding) and may become
 * zero.
 *
 * Nothing here depends on the C locale.
 */
#ifndef RB_DECIMAL_H
#define RB_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_DEC_DIGITS 18
#define RB_DEC_COEF_LIMIT INT64_C(1000000000000000000) /* 10^18, exclusive */

/* 10^0 … 10^18 */
extern const int64_t rb_pow10_i64[RB_DEC_DIGITS + 1];
#define RB_DEC_EXP_MIN (-300)
#define RB_DEC_EXP_MAX 300
/* Room for any value formatted by rb_dec_format, with its NUL. */
#define RB_DEC_BUFSIZE 340

typedef struct rb_dec {
	int64_t coef;
	int32_t exp;
} rb_dec;

typedef enum rb_dec_status {
	RB_DEC_OK = 0,
	RB_DEC_SYNTAX,     /* rb_dec_parse: not a decimal number */
	RB_DEC_PRECISION,  /* rb_dec_parse: more than 18 significant digits */
	RB_DEC_OVERFLOW,   /* magnitude beyond 10^(RB_DEC_EXP_MAX + 18) */
	RB_DEC_DIVZERO     /* division by zero */
} rb_dec_status;

#define RB_DEC_ZERO ((rb_dec){0, 0})

/* Parse s[0..len): optional sign (+ or -), digits with an optional '.' and
 * fraction (at least one digit in all: "5", "5.", ".5", "-0.25"), then an
 * optional exponent (e or E, optional sign, 1 to 4 digits). Nothing else —
 * no spaces, no '%', no thousands separators, no "inf"/"nan", no second
 * sign ("--1"). Leading zeros of the coefficient and trailing zeros of the
 * fraction do not count towards the 18 significant digits, so
 * "0.100000000000000000000" parses as 0.1; a number that needs more than 18
 * significant digits is RB_DEC_PRECISION (never silently rounded). An
 * exponent that puts the value outside the range is RB_DEC_OVERFLOW (or, if
 * too small, gives zero only when the digits are all zero; otherwise
 * RB_DEC_OVERFLOW too). On error *errpos (if not NULL) is the byte offset of
 * the offending character. */
rb_dec_status rb_dec_parse(const char *s, size_t len, rb_dec *out, size_t *errpos);

/* The common case of rb_dec_parse in one pass: [-]digits[.digits] with at
 * most 18 digits in all (a '.' needs a digit after it). The same result as
 * rb_dec_parse (trailing zeros of the fraction dropped, integers and zero
 * at exponent 0); false for anything else, which rb_dec_parse decides and
 * reports. Inline: a cell of a few digits costs less than a call. */
static inline bool rb_dec_parse_plain(const char *s, size_t len, rb_dec *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	bool neg = len > 0 && *p == '-';
	p += neg;
	const unsigned char *start = p;
	uint64_t c = 0; /* wraps past 19 digits, rejected below */
	unsigned d;
	while (p < end && (d = (unsigned)*p - '0') < 10) {
		c = c * 10 + d;
		p++;
	}
	size_t nd = (size_t)(p - start), fd = 0;
	if (p < end) {
		if (*p != '.')
			return false;
		const unsigned char *frac = ++p;
		while (p < end && (d = (unsigned)*p - '0') < 10) {
			c = c * 10 + d;
			p++;
		}
		fd = (size_t)(p - frac);
		if (p < end || fd == 0)
			return false;
		nd += fd;
	}
	if (nd == 0 || nd > RB_DEC_DIGITS)
		return false;
	int32_t e = -(int32_t)fd;
	if (c == 0)
		e = 0;
	while (e < 0 && c % 10 == 0) {
		c /= 10;
		e++;
	}
	out->coef = neg ? -(int64_t)c : (int64_t)c;
	out->exp = e;
	return true;
}

/* As rb_dec_parse, also accepting a trailing '%' (2.3% is 0.023): the form
 * of numbers written in rulebooks (parameter values, shares). */
rb_dec_status rb_dec_parse_percent(const char *s, size_t len, rb_dec *out, size_t *errpos);

/* unscaled × 10^-scale exactly (the SQL and Arrow form of a decimal):
 * RB_DEC_PRECISION when it needs more than 18 significant digits,
 * RB_DEC_OVERFLOW outside the exponent range. */
rb_dec_status rb_dec_from_scaled(int64_t unscaled, int32_t scale, rb_dec *out);
rb_dec rb_dec_from_int(int64_t v);        /* rounds INT64 values of 19 digits */
/* Shortest decimal that converts back to the same double: 0.1 -> 0.1,
 * 1158.1 -> 1158.1. RB_DEC_SYNTAX for NaN or infinity, RB_DEC_OVERFLOW out
 * of range. */
rb_dec_status rb_dec_from_double(double v, rb_dec *out);
double rb_dec_to_double(rb_dec a);        /* nearest double (correctly rounded is not required) */

rb_dec_status rb_dec_add(rb_dec a, rb_dec b, rb_dec *out);
rb_dec_status rb_dec_sub(rb_dec a, rb_dec b, rb_dec *out);
rb_dec_status rb_dec_mul(rb_dec a, rb_dec b, rb_dec *out);
rb_dec_status rb_dec_div(rb_dec a, rb_dec b, rb_dec *out);
/* a × num / den with one rounding (exact unit conversion); den > 0. */
rb_dec_status rb_dec_mul_ratio(rb_dec a, int64_t num, int64_t den, rb_dec *out);
rb_dec rb_dec_neg(rb_dec a);
rb_dec rb_dec_abs(rb_dec a);

/* sign·m·10^e correctly rounded to 18 digits, ties to even, as the
 * operations below round it, in the common case: m < 2^64 (at most two
 * digits to drop) and the exponent well inside the range. False, with
 * nothing written, otherwise. */
static inline bool rb_dec_pack64(bool neg, uint64_t m, int64_t e, rb_dec *out)
{
	uint64_t q, r = 0, h = 0;
	int k;
	if (m < (uint64_t)RB_DEC_COEF_LIMIT) {
		q = m;
		k = 0;
	} else if (m < UINT64_C(10000000000000000000)) {
		q = m / 10;
		r = m - q * 10;
		h = 5;
		k = 1;
	} else {
		q = m / 100;
		r = m - q * 100;
		h = 50;
		k = 2;
	}
	if (e < RB_DEC_EXP_MIN || e + k >= RB_DEC_EXP_MAX)
		return false;
	if (k && (r > h || (r == h && (q & 1u))) && ++q == (uint64_t)RB_DEC_COEF_LIMIT) {
		q /= 10;
		k++;
	}
	out->coef = neg ? -(int64_t)q : (int64_t)q;
	out->exp = (int32_t)(e + k);
	return true;
}

__extension__ typedef unsigned __int128 rb_dec_u128;

/* c·10^x (c < 10^18, x in range) with as many trailing zeros dropped as
 * keep the exponent at most emax. */
void rb_dec_strip(uint64_t c, int64_t x, int64_t emax, rb_dec *out);

/* The common case of rb_dec_div inline: nonzero operands well inside the
 * exponent range; false, with nothing written, otherwise. With n·10^s,
 * s >= 1 chosen from the digit counts, the integer quotient q has 18 or
 * 19 digits: with 19 the last is a guard digit, the remainder breaking
 * its ties; with 18 the remainder against half the divisor rounds. A
 * quotient exact in 19 digits loses its trailing zeros down to the
 * operands' exponent difference (370/10 is 37, not 37.0000…): with 18,
 * when 10·rem is a multiple of d. One 128-by-64 division. */
static inline bool rb_dec_div_fast(rb_dec a, rb_dec b, rb_dec *out)
{
	int64_t e = (int64_t)a.exp - b.exp;
	if (a.coef == 0 || b.coef == 0 || e - 40 < RB_DEC_EXP_MIN || e + 40 > RB_DEC_EXP_MAX)
		return false;
	bool neg = (a.coef < 0) != (b.coef < 0);
	uint64_t n = a.coef < 0 ? UINT64_C(0) - (uint64_t)a.coef : (uint64_t)a.coef;
	uint64_t d = b.coef < 0 ? UINT64_C(0) - (uint64_t)b.coef : (uint64_t)b.coef;
	/* digit counts: bits·1233/4096 is floor(bits·log10 2), one compare corrects it */
	int tn = ((64 - __builtin_clzll(n)) * 1233) >> 12, td = ((64 - __builtin_clzll(d)) * 1233) >> 12;
	int dn = tn - (n < (uint64_t)rb_pow10_i64[tn]) + 1, dd = td - (d < (uint64_t)rb_pow10_i64[td]) + 1;
	int s = RB_DEC_DIGITS + dd - dn; /* 1 ... 35 */
	int hi = s > RB_DEC_DIGITS ? RB_DEC_DIGITS : s;
	/* n·10^(s-18) < 10^dd fits; so does the 128-bit product's quotient */
	rb_dec_u128 num = (rb_dec_u128)(n * (uint64_t)rb_pow10_i64[s - hi]) * (uint64_t)rb_pow10_i64[hi];
	uint64_t q, rem, c;
#if defined(__x86_64__) && defined(__GNUC__)
	__asm__("divq %4" : "=a"(q), "=d"(rem) : "a"((uint64_t)num), "d"((uint64_t)(num >> 64)), "rm"(d)
		: "cc");
#else
	q = (uint64_t)(num / d);
	rem = (uint64_t)(num - (rb_dec_u128)q * d);
#endif
	int64_t x = e - s;
	bool exact;
	if (q >= (uint64_t)RB_DEC_COEF_LIMIT) {
		c = q / 10;
		uint64_t g = q - c * 10;
		x++;
		if (g > 5 || (g == 5 && (rem != 0 || (c & 1u))))
			c++;
		exact = rem == 0;
	} else {
		c = q;
		if (rem > d - rem || (rem == d - rem && (c & 1u)))
			c++;
		exact = rem == 0 || (c % 10 == 0 && (rem * 10) % d == 0);
	}
	if (c == (uint64_t)RB_DEC_COEF_LIMIT) {
		c /= 10;
		x++;
	}
	if (exact && c % 10 == 0) {
		rb_dec_strip(c, x, e, out);
		if (neg)
			out->coef = -out->coef;
		return true;
	}
	out->coef = neg ? -(int64_t)c : (int64_t)c;
	out->exp = (int32_t)x;
	return true;
}

static inline rb_dec_status rb_dec_div_inline(rb_dec a, rb_dec b, rb_dec *out)
{
	return rb_dec_div_fast(a, b, out) ? RB_DEC_OK : rb_dec_div(a, b, out);
}

/* rb_dec_add and rb_dec_mul with their common cases inline (the exact
 * result fits 64 bits once the exponents are aligned): the same results,
 * for interpreters that run many of them. */
static inline rb_dec_status rb_dec_add_inline(rb_dec a, rb_dec b, rb_dec *out)
{
	int64_t d = (int64_t)a.exp - b.exp, t, c;
	if (d < 0) {
		rb_dec x = a;
		a = b;
		b = x;
		d = -d;
	}
	/* a.coef·10^d + b.coef at b's exponent */
	if (d <= RB_DEC_DIGITS && !__builtin_mul_overflow(a.coef, rb_pow10_i64[d], &t) &&
	    !__builtin_add_overflow(t, b.coef, &c) &&
	    rb_dec_pack64(c < 0, c < 0 ? UINT64_C(0) - (uint64_t)c : (uint64_t)c, b.exp, out))
		return RB_DEC_OK;
	return rb_dec_add(a, b, out);
}

static inline rb_dec_status rb_dec_mul_inline(rb_dec a, rb_dec b, rb_dec *out)
{
	uint64_t x = a.coef < 0 ? UINT64_C(0) - (uint64_t)a.coef : (uint64_t)a.coef;
	uint64_t y = b.coef < 0 ? UINT64_C(0) - (uint64_t)b.coef : (uint64_t)b.coef, m;
	if (!__builtin_mul_overflow(x, y, &m) &&
	    rb_dec_pack64((a.coef < 0) != (b.coef < 0), m, (int64_t)a.exp + b.exp, out))
		return RB_DEC_OK;
	return rb_dec_mul(a, b, out);
}

/* -1, 0 or 1 as a < b, a == b, a > b, exactly (1.20 == 1.2). */
int rb_dec_cmp(rb_dec a, rb_dec b);
bool rb_dec_is_zero(rb_dec a);
int rb_dec_sign(rb_dec a);                /* -1, 0, 1 */
/* True when a is an integer value (37, 3.0, 1e3). */
bool rb_dec_is_integer(rb_dec a);

typedef enum rb_dec_rounding {
	RB_ROUND_HALF_UP,   /* ties away from zero: 2.5 -> 3, -2.5 -> -3 (四舍五入) */
	RB_ROUND_HALF_EVEN, /* ties to even: 2.5 -> 2, 3.5 -> 4 */
	RB_ROUND_DOWN,      /* towards zero */
	RB_ROUND_FLOOR,     /* towards -infinity */
	RB_ROUND_CEILING    /* towards +infinity */
} rb_dec_rounding;

/* Round to `places` digits after the decimal point (negative places round
 * to tens, hundreds, ...). */
rb_dec_status rb_dec_round(rb_dec a, int32_t places, rb_dec_rounding mode, rb_dec *out);

/* Remove trailing zeros from the coefficient (1.200 -> 1.2, 0 -> 0e0). */
rb_dec rb_dec_normalize(rb_dec a);

/* Plain notation, never an exponent, no trailing fractional zeros, "-" for
 * negatives, "0" for zero: 37, 1158.1, -0.023, 1200000. Writes at most
 * RB_DEC_BUFSIZE bytes including the NUL; returns the length. */
size_t rb_dec_format(rb_dec a, char *buf, size_t size);

#endif
