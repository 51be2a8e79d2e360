/* Exact decimal arithmetic (see decimal.h).
 *
 * Every operation that can be inexact computes the exact result (or the
 * exact result truncated, plus a sticky flag for the nonzero digits below
 * it) in 128 bits and hands it to round_pack(), the one place that rounds
 * and checks the exponent range. Callers that pass a sticky flag keep at
 * least one guard digit above it, so the flag only ever breaks ties. */
#include "decimal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 rb_i128;
__extension__ typedef unsigned __int128 rb_u128;

#define LIMIT RB_DEC_COEF_LIMIT

const int64_t rb_pow10_i64[RB_DEC_DIGITS + 1] = {
	INT64_C(1),
	INT64_C(10),
	INT64_C(100),
	INT64_C(1000),
	INT64_C(10000),
	INT64_C(100000),
	INT64_C(1000000),
	INT64_C(10000000),
	INT64_C(100000000),
	INT64_C(1000000000),
	INT64_C(10000000000),
	INT64_C(100000000000),
	INT64_C(1000000000000),
	INT64_C(10000000000000),
	INT64_C(100000000000000),
	INT64_C(1000000000000000),
	INT64_C(10000000000000000),
	INT64_C(100000000000000000),
	INT64_C(1000000000000000000),
};

#define P19 ((rb_u128)UINT64_C(10000000000000000000))
static const rb_u128 pow10_128[39] = {
	1u,
	10u,
	100u,
	1000u,
	10000u,
	100000u,
	1000000u,
	10000000u,
	100000000u,
	1000000000u,
	UINT64_C(10000000000),
	UINT64_C(100000000000),
	UINT64_C(1000000000000),
	UINT64_C(10000000000000),
	UINT64_C(100000000000000),
	UINT64_C(1000000000000000),
	UINT64_C(10000000000000000),
	UINT64_C(100000000000000000),
	UINT64_C(1000000000000000000),
	P19,
	P19 * 10u,
	P19 * 100u,
	P19 * 1000u,
	P19 * 10000u,
	P19 * 100000u,
	P19 * 1000000u,
	P19 * 10000000u,
	P19 * 100000000u,
	P19 * 1000000000u,
	P19 * UINT64_C(10000000000),
	P19 * UINT64_C(100000000000),
	P19 * UINT64_C(1000000000000),
	P19 * UINT64_C(10000000000000),
	P19 * UINT64_C(100000000000000),
	P19 * UINT64_C(1000000000000000),
	P19 * UINT64_C(10000000000000000),
	P19 * UINT64_C(100000000000000000),
	P19 * UINT64_C(1000000000000000000),
	P19 * P19,
};

static inline uint64_t uabs64(int64_t v)
{
	/* Well defined for INT64_MIN too. */
	return v < 0 ? UINT64_C(0) - (uint64_t)v : (uint64_t)v;
}

/* Decimal digits of x (1 for 0). bits·1233/4096 is floor(bits·log10 2)
 * for every bit length up to 128, so one table compare corrects it. */
static inline int digits64(uint64_t x)
{
	int bits = 64 - __builtin_clzll(x | 1u);
	int t = (bits * 1233) >> 12;
	return t - (x < pow10_128[t]) + 1;
}

static int digits128(rb_u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);
	int bits = hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)x | 1u);
	int t = (bits * 1233) >> 12;
	return t - (x < pow10_128[t]) + 1;
}

/* n / d and its remainder when the quotient fits 64 bits (n < d·2^64):
 * one instruction on x86-64 instead of a call to the 128-bit division. */
static inline uint64_t div128_64(rb_u128 n, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__) && defined(__GNUC__)
	uint64_t q, r;
	__asm__("divq %4" : "=a"(q), "=d"(r) : "a"((uint64_t)n), "d"((uint64_t)(n >> 64)), "rm"(d)
		: "cc");
	*rem = r;
	return q;
#else
	uint64_t q = (uint64_t)(n / d);
	*rem = (uint64_t)(n - (rb_u128)q * d);
	return q;
#endif
}

/* Round sign·m·10^e to at most 18 digits and to an exponent of at least
 * emin (never below RB_DEC_EXP_MIN). sticky means the exact value exceeds
 * m·10^e by less than one unit of m's last digit. */
static rb_dec_status round_pack(bool neg, rb_u128 m, int64_t e, bool sticky, int64_t emin,
				rb_dec_rounding mode, rb_dec *out)
{
	int64_t k = 0;
	uint64_t q;

	if (emin < RB_DEC_EXP_MIN)
		emin = RB_DEC_EXP_MIN;
	if (m >= (rb_u128)LIMIT)
		k = digits128(m) - RB_DEC_DIGITS;
	if (e + k < emin)
		k = emin - e;
	if (k == 0) {
		q = (uint64_t)m;
	} else {
		int half;
		bool inexact, up;
		if (k <= 19 && (m >> 64) == 0) {
			/* Same as below in 64 bits: the common case, and much
			 * cheaper than a 128-bit division. */
			uint64_t m64 = (uint64_t)m, p = (uint64_t)pow10_128[k];
			uint64_t r = m64 % p, h = p / 2;
			q = m64 / p;
			half = r > h ? 1 : r < h ? -1 : sticky ? 1 : 0;
			inexact = r != 0 || sticky;
		} else if (k <= 19) {
			/* the quotient is below 10^18: one 128-by-64 division */
			uint64_t p = (uint64_t)pow10_128[k], r, h = p / 2;
			q = div128_64(m, p, &r);
			half = r > h ? 1 : r < h ? -1 : sticky ? 1 : 0;
			inexact = r != 0 || sticky;
		} else if (k <= 38) {
			rb_u128 p = pow10_128[k];
			rb_u128 qq = m / p;
			rb_u128 r = m - qq * p;
			rb_u128 h = p / 2;
			q = (uint64_t)qq;
			half = r > h ? 1 : r < h ? -1 : sticky ? 1 : 0;
			inexact = r != 0 || sticky;
		} else {
			/* m < 2^128 < 5·10^38: everything is below half a unit. */
			q = 0;
			half = -1;
			inexact = m != 0 || sticky;
		}
		switch (mode) {
		case RB_ROUND_HALF_UP:
			up = half >= 0;
			break;
		case RB_ROUND_DOWN:
			up = false;
			break;
		case RB_ROUND_FLOOR:
			up = neg && inexact;
			break;
		case RB_ROUND_CEILING:
			up = !neg && inexact;
			break;
		case RB_ROUND_HALF_EVEN:
		default:
			up = half > 0 || (half == 0 && (q & 1u));
			break;
		}
		if (up && ++q == (uint64_t)LIMIT) {
			q /= 10;
			k++;
		}
	}
	e += k;
	if (e > RB_DEC_EXP_MAX) {
		/* Spend spare coefficient digits before giving up. */
		int64_t sh = e - RB_DEC_EXP_MAX;
		if (q != 0) {
			if (sh >= RB_DEC_DIGITS || q >= (uint64_t)rb_pow10_i64[RB_DEC_DIGITS - sh])
				return RB_DEC_OVERFLOW;
			q *= (uint64_t)rb_pow10_i64[sh];
		}
		e = RB_DEC_EXP_MAX;
	}
	out->coef = neg ? -(int64_t)q : (int64_t)q;
	out->exp = (int32_t)e;
	return RB_DEC_OK;
}

static inline rb_dec_status pack_i128(rb_i128 s, int64_t e, rb_dec *out)
{
	if (s > -LIMIT && s < LIMIT && e >= RB_DEC_EXP_MIN && e <= RB_DEC_EXP_MAX) {
		out->coef = (int64_t)s;
		out->exp = (int32_t)e;
		return RB_DEC_OK;
	}
	bool neg = s < 0;
	rb_u128 m = neg ? -(rb_u128)s : (rb_u128)s;
	if ((m >> 64) == 0 && rb_dec_pack64(neg, (uint64_t)m, e, out))
		return RB_DEC_OK; /* 19 or 20 digits: a product or sum just past 18 */
	if (m >= (rb_u128)LIMIT) {
		/* round_pack's common case inline: drop k <= 19 digits, ties to
		 * even, the exponent in range; the quotient is below 10^18 */
		int64_t k = digits128(m) - RB_DEC_DIGITS;
		if (k <= 19 && e + k >= RB_DEC_EXP_MIN && e + k < RB_DEC_EXP_MAX) {
			uint64_t p = (uint64_t)pow10_128[k], r, h = p / 2;
			uint64_t q = div128_64(m, p, &r);
			if ((r > h || (r == h && (q & 1u))) && ++q == (uint64_t)LIMIT) {
				q /= 10;
				k++;
			}
			out->coef = neg ? -(int64_t)q : (int64_t)q;
			out->exp = (int32_t)(e + k);
			return RB_DEC_OK;
		}
	}
	return round_pack(neg, m, e, false, RB_DEC_EXP_MIN, RB_ROUND_HALF_EVEN, out);
}

/* Remove trailing zeros while the exponent stays <= emax. Chunks of
 * 16, 8, 4, 2, 1 cover any count up to 31 in one pass. */
static void strip_zeros(int64_t *c, int64_t *e, int64_t emax)
{
	static const int steps[5] = {16, 8, 4, 2, 1};
	if (*c == 0)
		return;
	for (int i = 0; i < 5; i++) {
		int k = steps[i];
		if (emax - *e >= k && *c % rb_pow10_i64[k] == 0) {
			*c /= rb_pow10_i64[k];
			*e += k;
		}
	}
}

/* sign·c·10^e exactly, c < 10^18 with nd digits and no trailing zeros.
 * Integers that fit get exponent 0 so that they meet the same-exponent
 * fast paths. */
static rb_dec_status make_exact(bool neg, uint64_t c, int nd, int64_t e, rb_dec *out)
{
	if (c == 0) {
		*out = RB_DEC_ZERO;
		return RB_DEC_OK;
	}
	if (e > 0) {
		if (nd + e <= RB_DEC_DIGITS) {
			c *= (uint64_t)rb_pow10_i64[e];
			e = 0;
		} else if (e > RB_DEC_EXP_MAX) {
			if (nd + (e - RB_DEC_EXP_MAX) > RB_DEC_DIGITS)
				return RB_DEC_OVERFLOW;
			c *= (uint64_t)rb_pow10_i64[e - RB_DEC_EXP_MAX];
			e = RB_DEC_EXP_MAX;
		}
	} else if (e < RB_DEC_EXP_MIN) {
		return RB_DEC_OVERFLOW;
	}
	out->coef = neg ? -(int64_t)c : (int64_t)c;
	out->exp = (int32_t)e;
	return RB_DEC_OK;
}

rb_dec_status rb_dec_parse(const char *s, size_t len, rb_dec *out, size_t *errpos)
{
	if (rb_dec_parse_plain(s, len, out))
		return RB_DEC_OK;
	size_t i = 0, bad = 0, epos = 0, prec_pos = 0;
	bool neg = false, dot = false, has_exp = false, prec_err = false;
	uint64_t coef = 0;
	int nsig = 0;
	int64_t zeros = 0, fdig = 0, ndig = 0, x = 0;
	rb_dec_status st;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			ndig++;
			fdig += dot;
			if (c == '0') {
				/* Leading zeros never count; others wait until a
				 * nonzero digit shows they are not trailing. */
				zeros += nsig > 0;
				continue;
			}
			if (prec_err)
				continue;
			if (nsig + zeros >= RB_DEC_DIGITS) {
				prec_err = true;
				prec_pos = i;
				continue;
			}
			coef = coef * (uint64_t)rb_pow10_i64[zeros + 1] + (uint64_t)(c - '0');
			nsig += (int)zeros + 1;
			zeros = 0;
		} else if (c == '.' && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (ndig == 0) {
		bad = i;
		goto syntax;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		size_t start;
		has_exp = true;
		epos = i++;
		if (i < len && (s[i] == '+' || s[i] == '-')) {
			eneg = s[i] == '-';
			i++;
		}
		start = i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (i - start == 4) {
				bad = i;
				goto syntax;
			}
			x = x * 10 + (s[i] - '0');
		}
		if (i == start) {
			bad = i;
			goto syntax;
		}
		if (eneg)
			x = -x;
	}
	if (i != len) {
		bad = i;
		goto syntax;
	}
	if (prec_err) {
		if (errpos)
			*errpos = prec_pos;
		return RB_DEC_PRECISION;
	}
	st = make_exact(neg, coef, nsig, x - fdig + (coef ? zeros : 0), out);
	if (st != RB_DEC_OK && errpos)
		*errpos = has_exp ? epos : 0;
	return st;
syntax:
	if (errpos)
		*errpos = bad;
	return RB_DEC_SYNTAX;
}

rb_dec_status rb_dec_from_scaled(int64_t unscaled, int32_t scale, rb_dec *out)
{
	bool neg = unscaled < 0;
	uint64_t c = uabs64(unscaled);
	int64_t e = -(int64_t)scale;
	if (c == 0) {
		*out = RB_DEC_ZERO;
		return RB_DEC_OK;
	}
	/* trailing zeros do not count towards the 18 significant digits */
	while (c % 10 == 0) {
		c /= 10;
		e++;
	}
	if (c >= (uint64_t)LIMIT)
		return RB_DEC_PRECISION;
	return make_exact(neg, c, digits64(c), e, out);
}

rb_dec rb_dec_from_int(int64_t v)
{
	rb_dec r;
	if (v > -LIMIT && v < LIMIT)
		return (rb_dec){v, 0};
	/* Nineteen digits: round to eighteen (cannot overflow). */
	(void)round_pack(v < 0, uabs64(v), 0, false, RB_DEC_EXP_MIN, RB_ROUND_HALF_EVEN, &r);
	return r;
}

/* ---- Shortest round-trip conversion from double ----
 *
 * snprintf proposes candidates; whether a candidate reads back as the same
 * double is decided exactly by comparing it with the midpoints between the
 * double and its neighbours, using small fixed-size big integers. */

#define BIG_LIMBS 20 /* 1280 bits; the comparisons below need under 900 */

typedef struct big {
	uint64_t w[BIG_LIMBS];
	int n;
} big;

static void big_set(big *x, uint64_t v)
{
	x->w[0] = v;
	x->n = v != 0;
}

static void big_mul(big *x, uint64_t m)
{
	uint64_t carry = 0;
	for (int i = 0; i < x->n; i++) {
		rb_u128 t = (rb_u128)x->w[i] * m + carry;
		x->w[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
	if (carry && x->n < BIG_LIMBS)
		x->w[x->n++] = carry;
}

static void big_shl(big *x, int64_t s)
{
	int limbs = (int)(s / 64), bits = (int)(s % 64);
	if (x->n == 0 || x->n + limbs + 1 > BIG_LIMBS)
		return;
	if (bits) {
		uint64_t carry = 0;
		for (int i = 0; i < x->n; i++) {
			uint64_t w = x->w[i];
			x->w[i] = (w << bits) | carry;
			carry = w >> (64 - bits);
		}
		if (carry)
			x->w[x->n++] = carry;
	}
	if (limbs) {
		memmove(x->w + limbs, x->w, (size_t)x->n * sizeof x->w[0]);
		memset(x->w, 0, (size_t)limbs * sizeof x->w[0]);
		x->n += limbs;
	}
}

static int big_cmp(const big *x, const big *y)
{
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	for (int i = x->n - 1; i >= 0; i--)
		if (x->w[i] != y->w[i])
			return x->w[i] < y->w[i] ? -1 : 1;
	return 0;
}

static void big_pow5(big *x, int64_t q)
{
	uint64_t m = 1;
	big_set(x, 1);
	for (; q >= 27; q -= 27)
		big_mul(x, UINT64_C(7450580596923828125)); /* 5^27 */
	while (q-- > 0)
		m *= 5;
	big_mul(x, m);
}

/* The doubles' rounding interval: midpoints n·2^k on either side. */
typedef struct interval {
	uint64_t n_lo, n_hi;
	int64_t k_lo, k_hi;
	bool closed; /* ties go to an even mantissa */
} interval;

/* Sign of c·10^q − n·2^k, with p5 = 5^|q|. */
static int cmp_dec_bin(uint64_t c, int64_t q, const big *p5, uint64_t n, int64_t k)
{
	big l, r;
	if (q >= 0) {
		l = *p5;
		big_mul(&l, c);
		big_set(&r, n);
	} else {
		big_set(&l, c);
		r = *p5;
		big_mul(&r, n);
	}
	if (q - k >= 0)
		big_shl(&l, q - k);
	else
		big_shl(&r, k - q);
	return big_cmp(&l, &r);
}

static bool in_interval(uint64_t c, int64_t q, const big *p5, const interval *iv)
{
	int hi = cmp_dec_bin(c, q, p5, iv->n_hi, iv->k_hi);
	int lo;
	if (hi > 0 || (hi == 0 && !iv->closed))
		return false;
	lo = cmp_dec_bin(c, q, p5, iv->n_lo, iv->k_lo);
	return lo > 0 || (lo == 0 && iv->closed);
}

/* Is there a p-digit decimal that reads back as the double? c17·10^(x10−16)
 * is the double correctly rounded to 17 digits, so the p-digit decimals on
 * either side of it are the truncation t and t + 1 (just t when the
 * dropped digits are zero: then t is the 17-digit value itself). */
/* The leading digits of a double's exact decimal expansion (glibc and musl
 * print it exactly), enough to round it to any p <= 17 digits. */
#define RB_DBL_DIGITS 61

/* The p-digit decimal nearest to the exact value (digits dg, exponent x10),
 * or failing that its other neighbour, if it reads back as the double. */
static bool shortest_at(int p, const char *dg, int64_t x10, const interval *iv, uint64_t *c_out,
			int64_t *q_out)
{
	uint64_t t = 0;
	for (int i = 0; i < p; i++)
		t = t * 10 + (uint64_t)(dg[i] - '0');
	int64_t q = x10 - (p - 1);
	/* the rest against one half: first digit, then any nonzero after */
	int up = dg[p] > '5';
	bool exact = dg[p] == '0';
	if (dg[p] == '5') {
		up = -1;
		for (int i = p + 1; i < RB_DBL_DIGITS; i++)
			if (dg[i] != '0') {
				up = 1;
				break;
			}
		if (up < 0)
			up = (int)(t & 1u); /* a tie: the even neighbour first */
	}
	for (int i = p + 1; exact && i < RB_DBL_DIGITS; i++)
		exact = dg[i] == '0';
	uint64_t cand[2] = {up ? t + 1 : t, up ? t : t + 1};
	big p5;
	big_pow5(&p5, q < 0 ? -q : q);
	for (int i = 0; i < (exact ? 1 : 2); i++) {
		if (in_interval(cand[i], q, &p5, iv)) {
			*c_out = cand[i];
			*q_out = q;
			return true;
		}
	}
	return false;
}

rb_dec_status rb_dec_from_double(double v, rb_dec *out)
{
	char buf[RB_DBL_DIGITS + 32], dg[RB_DBL_DIGITS + 1];
	const char *p;
	uint64_t bits, m, best_c = 0;
	int64_t e, x10 = 0, best_q;
	int n, nd = 0, be, lo = 1, hi = 17;
	bool neg, xneg = false;
	double a;
	interval iv;

	if (isnan(v) || isinf(v))
		return RB_DEC_SYNTAX;
	if (v == 0) {
		*out = RB_DEC_ZERO;
		return RB_DEC_OK;
	}
	neg = v < 0;
	a = neg ? -v : v;
	if (a < 9007199254740992.0 && a == (double)(int64_t)a) {
		/* Exact integers below 2^53 are their own shortest form. */
		int64_t iv64 = (int64_t)a;
		*out = (rb_dec){neg ? -iv64 : iv64, 0};
		return RB_DEC_OK;
	}
#if FLT_EVAL_METHOD == 0
	if (a >= 1e-7 && a < 1e15) {
		/* At most one decimal of 15 significant digits or fewer reads
		 * back as a (DBL_DIG is 15), so when there is one it is the
		 * shortest. With k fraction digits it is c = round(a·10^k)
		 * (error < 0.25), and c / 10^k == a decides exactly: c < 2^53
		 * and 10^k (k <= 22) are exact, the division correctly rounded. */
		static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
					       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
		for (int k = 1; k <= 22; k++) {
			double sc = a * p10[k];
			if (sc >= 1e15)
				break;
			uint64_t c = (uint64_t)(sc + 0.5);
			if ((double)c / p10[k] == a) {
				/* c has no trailing zero: c / 10 would have read
				 * back at k - 1 (or, for k = 1, a is whole and
				 * was taken above) */
				*out = (rb_dec){neg ? -(int64_t)c : (int64_t)c, -k};
				return RB_DEC_OK;
			}
		}
	}
#endif

	/* Only the decimal point of this output depends on the locale, and
	 * it is skipped whatever it is. */
	n = snprintf(buf, sizeof buf, "%.*e", RB_DBL_DIGITS - 1, a);
	if (n <= 0 || (size_t)n >= sizeof buf)
		return RB_DEC_SYNTAX;
	for (p = buf; *p && *p != 'e' && *p != 'E'; p++) {
		if (*p >= '0' && *p <= '9' && nd < RB_DBL_DIGITS)
			dg[nd++] = *p;
	}
	if (*p == 0 || nd != RB_DBL_DIGITS)
		return RB_DEC_SYNTAX;
	dg[nd] = '0';
	p++;
	if (*p == '+' || *p == '-')
		xneg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++)
		x10 = x10 * 10 + (*p - '0');
	if (xneg)
		x10 = -x10;

	memcpy(&bits, &a, sizeof bits);
	be = (int)(bits >> 52) & 0x7ff;
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (be == 0) {
		e = -1074;
	} else {
		m |= UINT64_C(1) << 52;
		e = be - 1075;
	}
	iv.n_hi = 2 * m + 1;
	iv.k_hi = e - 1;
	if (m == UINT64_C(1) << 52 && be > 1) {
		/* Power of two: the neighbour below is half as far away. */
		iv.n_lo = 4 * m - 1;
		iv.k_lo = e - 2;
	} else {
		iv.n_lo = 2 * m - 1;
		iv.k_lo = e - 1;
	}
	iv.closed = (m & 1u) == 0;

	/* If p digits suffice, so do p + 1 (the p-digit decimal is one), so
	 * the least p can be found by bisection. 17 always suffice. */
	if (!shortest_at(17, dg, x10, &iv, &best_c, &best_q))
		return RB_DEC_SYNTAX;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		uint64_t c;
		int64_t q;
		if (shortest_at(mid, dg, x10, &iv, &c, &q)) {
			hi = mid;
			best_c = c;
			best_q = q;
		} else {
			lo = mid + 1;
		}
	}

	{
		int64_t c = (int64_t)best_c;
		strip_zeros(&c, &best_q, INT32_MAX);
		return make_exact(neg, (uint64_t)c, digits64((uint64_t)c), best_q, out);
	}
}

/* 1e0 .. 1e300; every literal is correctly rounded by the compiler. */
#define RB_P(n) 1e##n
#define RB_P10(n)                                                                     \
	RB_P(n##0), RB_P(n##1), RB_P(n##2), RB_P(n##3), RB_P(n##4), RB_P(n##5), RB_P(n##6), \
		RB_P(n##7), RB_P(n##8), RB_P(n##9)
#define RB_P100(n)                                                                      \
	RB_P10(n##0), RB_P10(n##1), RB_P10(n##2), RB_P10(n##3), RB_P10(n##4), RB_P10(n##5), \
		RB_P10(n##6), RB_P10(n##7), RB_P10(n##8), RB_P10(n##9)

static const double pow10_dbl[301] = {RB_P100(0), RB_P100(1), RB_P100(2), 1e300};

double rb_dec_to_double(rb_dec a)
{
	double r = (double)a.coef;
	int32_t e = a.exp;
	if (a.coef == 0)
		return 0.0;
	for (; e > 300; e -= 300)
		r *= 1e300;
	for (; e < -300; e += 300)
		r /= 1e300;
	return e >= 0 ? r * pow10_dbl[e] : r / pow10_dbl[-e];
}

/* ---- Arithmetic ---- */

static rb_dec_status add_unaligned(rb_dec a, rb_dec b, rb_dec *out)
{
	int64_t d, k, j;
	uint64_t ma, mb, qb, rb;
	rb_u128 big_a, sum;

	if (a.exp < b.exp) {
		rb_dec t = a;
		a = b;
		b = t;
	}
	d = (int64_t)a.exp - b.exp;
	if (d <= 18)
		return pack_i128((rb_i128)a.coef * rb_pow10_i64[d] + b.coef, b.exp, out);
	if (b.coef == 0) {
		*out = a;
		return RB_DEC_OK;
	}
	if (a.coef == 0) {
		*out = b;
		return RB_DEC_OK;
	}
	ma = uabs64(a.coef);
	k = 37 - digits64(ma); /* ma·10^k has 37 digits: fits, >= 19 guard digits */
	if (d <= k)
		return pack_i128((rb_i128)a.coef * (rb_i128)pow10_128[d] + b.coef, b.exp, out);

	/* b lies wholly below a's 37 digits: its digits past them only say
	 * whether the exact sum is a little above or below the truncation. */
	big_a = (rb_u128)ma * pow10_128[k];
	j = d - k;
	mb = uabs64(b.coef);
	if (j > 18) {
		qb = 0;
		rb = mb;
	} else {
		qb = mb / (uint64_t)rb_pow10_i64[j];
		rb = mb % (uint64_t)rb_pow10_i64[j];
	}
	if ((a.coef < 0) == (b.coef < 0))
		sum = big_a + qb;
	else
		sum = big_a - qb - (rb != 0);
	return round_pack(a.coef < 0, sum, a.exp - k, rb != 0, RB_DEC_EXP_MIN, RB_ROUND_HALF_EVEN,
			  out);
}

rb_dec_status rb_dec_add(rb_dec a, rb_dec b, rb_dec *out)
{
	if (a.exp == b.exp) {
		int64_t s = a.coef + b.coef; /* |s| < 2·10^18: no overflow */
		if (s > -LIMIT && s < LIMIT) {
			out->coef = s;
			out->exp = a.exp;
			return RB_DEC_OK;
		}
		return pack_i128(s, a.exp, out);
	}
	return add_unaligned(a, b, out);
}

rb_dec_status rb_dec_sub(rb_dec a, rb_dec b, rb_dec *out)
{
	b.coef = -b.coef;
	return rb_dec_add(a, b, out);
}

rb_dec_status rb_dec_mul(rb_dec a, rb_dec b, rb_dec *out)
{
	return pack_i128((rb_i128)a.coef * b.coef, (int64_t)a.exp + b.exp, out);
}

/* The rounded quotient; exact quotients lose trailing zeros down to the
 * exponent pref (370/10 is 37, not 37.0000…). */
static inline rb_dec_status quotient(bool neg, rb_u128 num, uint64_t den, int64_t e, int64_t pref,
			      rb_dec *out)
{
	/* Scale so the quotient has 19 or more digits: the guard digit, with
	 * the remainder as sticky, makes one correct rounding. Exactly 19
	 * when the numerator allows, so the quotient fits 64 bits. */
	int s = 18 + digits64(den) - digits128(num);
	rb_u128 q, r;
	rb_dec_status st;
	if (s >= 0) {
		/* < 10^(18 + digits(den)) <= 10^37; one 64-bit product when it can */
		if ((num >> 64) == 0 && s <= 19)
			num = (rb_u128)(uint64_t)num * (uint64_t)pow10_128[s];
		else
			num *= pow10_128[s];
		if (num < (rb_u128)den * (uint64_t)pow10_128[18]) {
			num *= 10;
			s++;
		}
		/* 10^18 <= q < 10^19: one 128-by-64 division, then round the
		 * guard digit here unless the exponent needs round_pack */
		uint64_t rem, q64 = div128_64(num, den, &rem);
		uint64_t c = q64 / 10, g = q64 - c * 10;
		int64_t x = e - s + 1;
		if (g > 5 || (g == 5 && (rem != 0 || (c & 1u))))
			c++;
		if (c < (uint64_t)LIMIT && x >= RB_DEC_EXP_MIN && x <= RB_DEC_EXP_MAX) {
			int64_t cc = (int64_t)c;
			if (rem == 0)
				strip_zeros(&cc, &x, pref < RB_DEC_EXP_MAX ? pref : RB_DEC_EXP_MAX);
			out->coef = neg ? -cc : cc;
			out->exp = (int32_t)x;
			return RB_DEC_OK;
		}
		q = q64;
		r = rem;
		goto pack;
	} else {
		s = 0; /* num has 19 + digits(den) digits or more already */
	}
	q = num / den;
	r = num - q * den;
pack:
	st = round_pack(neg, q, e - s, r != 0, RB_DEC_EXP_MIN, RB_ROUND_HALF_EVEN, out);
	if (st == RB_DEC_OK && r == 0) {
		int64_t c = out->coef, x = out->exp;
		strip_zeros(&c, &x, pref < RB_DEC_EXP_MAX ? pref : RB_DEC_EXP_MAX);
		out->coef = c;
		out->exp = (int32_t)x;
	}
	return st;
}

rb_dec_status rb_dec_div(rb_dec a, rb_dec b, rb_dec *out)
{
	int64_t e;
	if (b.coef == 0)
		return RB_DEC_DIVZERO;
	e = (int64_t)a.exp - b.exp;
	if (a.coef == 0)
		return pack_i128(0, e, out);
	bool neg = (a.coef < 0) != (b.coef < 0);
	uint64_t n = uabs64(a.coef), d = uabs64(b.coef);
	if (e - 40 < RB_DEC_EXP_MIN || e + 40 > RB_DEC_EXP_MAX)
		/* exact quotients come out of quotient() too, without a second division */
		return quotient(neg, n, d, e, e, out);
	/* The common case, the same result as quotient() in fewer steps.
	 * With n·10^s, s >= 1, the quotient q has 18 or 19 digits: with 19
	 * the last is a guard digit as in quotient(), with 18 the remainder
	 * against half the divisor rounds. quotient() would have scaled by
	 * one more digit in the second case, and drops trailing zeros when
	 * that longer division leaves no remainder: when 10·rem is a
	 * multiple of d. */
	int s = RB_DEC_DIGITS + digits64(d) - digits64(n); /* 1 ... 35 */
	uint64_t lo = (uint64_t)pow10_128[s > 19 ? s - 19 : 0];
	rb_u128 num = (rb_u128)(n * lo) * (uint64_t)pow10_128[s > 19 ? 19 : s]; /* n·lo < 10^17 */
	uint64_t rem, q = div128_64(num, d, &rem), c;
	int64_t x = e - s;
	bool exact;
	if (q >= (uint64_t)LIMIT) {
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
	if (c == (uint64_t)LIMIT) {
		c /= 10;
		x++;
	}
	int64_t cc = (int64_t)c;
	if (exact)
		strip_zeros(&cc, &x, e);
	out->coef = neg ? -cc : cc;
	out->exp = (int32_t)x;
	return RB_DEC_OK;
}

rb_dec_status rb_dec_mul_ratio(rb_dec a, int64_t num, int64_t den, rb_dec *out)
{
	rb_u128 p;
	bool neg;
	if (den == 0)
		return RB_DEC_DIVZERO;
	if (den == 1) /* a multiplication: same result, no division */
		return pack_i128((rb_i128)a.coef * num, a.exp, out);
	/* < 10^18 · 2^63 < 2^123 */
	p = (rb_u128)uabs64(a.coef) * uabs64(num);
	if (p == 0)
		return pack_i128(0, a.exp, out);
	neg = ((a.coef < 0) != (num < 0)) != (den < 0);
	return quotient(neg, p, uabs64(den), a.exp, a.exp, out);
}

rb_dec rb_dec_neg(rb_dec a)
{
	a.coef = -a.coef;
	return a;
}

rb_dec rb_dec_abs(rb_dec a)
{
	if (a.coef < 0)
		a.coef = -a.coef;
	return a;
}

int rb_dec_cmp(rb_dec a, rb_dec b)
{
	int64_t d;
	int sa, sb;
	if (a.exp == b.exp)
		return (a.coef > b.coef) - (a.coef < b.coef);
	d = (int64_t)a.exp - b.exp;
	if (d > 0 && d <= 18) {
		rb_i128 x = (rb_i128)a.coef * rb_pow10_i64[d];
		return (x > b.coef) - (x < b.coef);
	}
	if (d < 0 && d >= -18) {
		rb_i128 y = (rb_i128)b.coef * rb_pow10_i64[-d];
		return (a.coef > y) - (a.coef < y);
	}
	/* More than 18 places apart: any nonzero coefficient at the larger
	 * exponent outweighs the whole of the other. */
	sa = rb_dec_sign(a);
	sb = rb_dec_sign(b);
	if (sa != sb)
		return (sa > sb) - (sa < sb);
	return d > 0 ? sa : -sa;
}

bool rb_dec_is_zero(rb_dec a)
{
	return a.coef == 0;
}

int rb_dec_sign(rb_dec a)
{
	return (a.coef > 0) - (a.coef < 0);
}

bool rb_dec_is_integer(rb_dec a)
{
	if (a.exp >= 0 || a.coef == 0)
		return true;
	if (a.exp < -18)
		return false; /* 0 < |coef| < 10^18 */
	return a.coef % rb_pow10_i64[-a.exp] == 0;
}

rb_dec_status rb_dec_round(rb_dec a, int32_t places, rb_dec_rounding mode, rb_dec *out)
{
	int64_t target = -(int64_t)places;
	if (a.exp >= target || a.coef == 0) {
		*out = a;
		return RB_DEC_OK;
	}
	return round_pack(a.coef < 0, uabs64(a.coef), a.exp, false, target, mode, out);
}

rb_dec rb_dec_normalize(rb_dec a)
{
	int64_t c = a.coef, e = a.exp;
	if (c == 0)
		return RB_DEC_ZERO;
	strip_zeros(&c, &e, RB_DEC_EXP_MAX > e ? RB_DEC_EXP_MAX : e);
	return (rb_dec){c, (int32_t)e};
}

/* ---- Formatting ---- */

static const char digit_pairs[201] = "00010203040506070809"
				     "10111213141516171819"
				     "20212223242526272829"
				     "30313233343536373839"
				     "40414243444546474849"
				     "50515253545556575859"
				     "60616263646566676869"
				     "70717273747576777879"
				     "80818283848586878889"
				     "90919293949596979899";

static inline void put_pair(char *p, uint32_t x)
{
	memcpy(p, digit_pairs + 2 * x, 2);
}

/* y < 10^8 as eight digits at p */
static inline void put_eight(char *p, uint32_t y)
{
	uint32_t hi = y / 10000, lo = y - hi * 10000;
	uint32_t h1 = hi / 100, l1 = lo / 100;
	put_pair(p, h1);
	put_pair(p + 2, hi - h1 * 100);
	put_pair(p + 4, l1);
	put_pair(p + 6, lo - l1 * 100);
}

/* Writes v < 10^18 as eighteen digits (leading zeros included) ending at
 * end, in 32-bit steps of two digits; returns the count of its digits
 * without the leading zeros (1 for 0), which end there. */
static int utoa_rev(uint64_t v, char *end)
{
	uint64_t hi = v / 100000000u; /* < 10^10 */
	uint32_t top = (uint32_t)(hi / 100000000u);
	put_pair(end - 18, top);
	put_eight(end - 16, (uint32_t)(hi - (uint64_t)top * 100000000u));
	put_eight(end - 8, (uint32_t)(v - hi * 100000000u));
	return digits64(v);
}

typedef struct out_buf {
	char *buf;
	size_t size, len;
} out_buf;

static void put_chars(out_buf *o, const char *s, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_zeros(out_buf *o, int64_t n)
{
	if (n <= 0)
		return;
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;
		memset(o->buf + o->len, '0', (size_t)n < room ? (size_t)n : room);
	}
	o->len += (size_t)n;
}

/* rb_dec_format of a nonzero coefficient without trailing zeros and an
 * exponent in [-FMT_SHORT_EXP, FMT_SHORT_EXP], into a buffer of at least
 * FMT_SHORT_ROOM bytes: fixed-size copies, each of which may write past the
 * text it places (never past 60 bytes). */
#define FMT_SHORT_EXP 24
#define FMT_SHORT_ROOM 96

static size_t format_short(int64_t c, int64_t e, char *buf)
{
	/* the digits end at digits + 32, so 32 bytes read from their start
	 * stay inside the array */
	char digits[64];
	char *p = buf;
	memset(digits + 32, 0, 32);
	int nd = utoa_rev(uabs64(c), digits + 32);
	const char *dp = digits + 32 - nd;
	*p = '-';
	p += c < 0;
	if (e >= 0) {
		memcpy(p, dp, 32);
		p += nd;
		memset(p, '0', 32);
		p += e;
	} else if (nd + e > 0) {
		memcpy(p, dp, 32);
		p += nd + e;
		*p++ = '.';
		memcpy(p, dp + nd + e, 32);
		p += -e;
	} else {
		memset(p, '0', 32);
		p[1] = '.';
		p += 2 - e - nd;
		memcpy(p, dp, 32);
		p += nd;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t rb_dec_format(rb_dec a, char *buf, size_t size)
{
	char digits[20];
	int64_t c = a.coef, e = a.exp;
	int nd;
	out_buf o = {buf, size, 0};

	if (c != 0 && c % 10 == 0) /* most coefficients have none to strip */
		strip_zeros(&c, &e, INT32_MAX);
	if (size >= FMT_SHORT_ROOM && c != 0 && e >= -FMT_SHORT_EXP && e <= FMT_SHORT_EXP)
		return format_short(c, e, buf);
	if (c == 0) {
		put_chars(&o, "0", 1);
	} else {
		nd = utoa_rev(uabs64(c), digits + sizeof digits);
		const char *dp = digits + sizeof digits - nd;
		if (c < 0)
			put_chars(&o, "-", 1);
		if (e >= 0) {
			put_chars(&o, dp, (size_t)nd);
			put_zeros(&o, e);
		} else if (nd + e > 0) {
			put_chars(&o, dp, (size_t)(nd + e));
			put_chars(&o, ".", 1);
			put_chars(&o, dp + nd + e, (size_t)-e);
		} else {
			put_chars(&o, "0.", 2);
			put_zeros(&o, -e - nd);
			put_chars(&o, dp, (size_t)nd);
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

rb_dec_status rb_dec_parse_percent(const char *s, size_t len, rb_dec *out, size_t *errpos)
{
	if (len > 1 && s[len - 1] == '%') {
		rb_dec v;
		rb_dec_status st = rb_dec_parse(s, len - 1, &v, errpos);
		if (st == RB_DEC_OK)
			st = rb_dec_mul_ratio(v, 1, 100, &v);
		if (st == RB_DEC_OK)
			*out = v;
		return st;
	}
	return rb_dec_parse(s, len, out, errpos);
}
