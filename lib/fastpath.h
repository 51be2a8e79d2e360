/* The binary fast path: the compiled program run in doubles, each number
 * carrying a bound on its distance from the exact decimal the exact
 * interpreter would compute. A comparison is decided in binary only when
 * the bounds prove the exact comparison gives the same answer; otherwise
 * that comparison (with what it depends on) is computed in exact decimals
 * and the run goes on with its exact answer. Verdicts and classes are
 * therefore always those of exact decimal arithmetic. */
#ifndef RB_FASTPATH_H
#define RB_FASTPATH_H

#include "compiled.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

/* The constants of the bounds (fastpath.c): K, T, and the magnitude at
 * which a run stops. */
#define RB_FAST_K 0x1p-50
#define RB_FAST_T 0x1p-990
#define RB_FAST_BIG 1e300

/* Fast-path-only instruction: stop unless slot a holds a value (checks the
 * invariant factor of a rewritten product, see rb_fast_prepare). */
#define RB_F_PRESENT 100
/* Fast-path-only instruction: dst = a > b ? c : a × s[at] (see fuse_capped);
 * mode 1 when the product is an RB_F_MULQ. The comparison a > b is written
 * to slot cmp too, so that reading the score exactly computes only the
 * branch taken (lazy.c). */
#define RB_F_CAPPED 101
/* Fast-path-only instruction: dst = a × b, where a × b stands for
 * (k × a) / p with b = k / p (see rb_fast_prepare); the product must stay
 * in MODERATE range so that k × a, which the exact program computes, lies
 * well inside the decimal range too. */
#define RB_F_MULQ 102
/* Fast-path-only instruction: unless slot a (the divisor p above) holds a
 * value of moderate size, 10^-20 <= |a| <= 10^20, the quotient in slot
 * dst becomes not a number (its products are then computed exactly);
 * stop when a holds none. */
#define RB_F_MODERATE 103
/* Fast-path-only instruction: a fold over a list (RB_I_EACH) that verdicts
 * or classes need is lowered to this; the fold is computed in exact
 * decimals, alone (lazy.c), and the run goes on. */
#define RB_F_STOP 104
/* RB_I_SELECT in rb->frec, the per-record program whose slots are byte
 * offsets (made by rb_fast_prepare). */
#define RB_F_SELECT 106
/* Fast-path-only instruction of the per-date part: stop unless slot a,
 * a number fixed for the date that the per-record program reads, is
 * missing or within the bounds that program assumes of it (see
 * "Relative bounds" in fastpath.c). */
#define RB_F_CHECKREL 107
/* The end of rb->frec, after its rb->nfcode instructions. */
#define RB_F_END 108
/* Fast-path-only instruction: dst = (text input a is one of the texts of
 * `set`) ? b : c, an RB_F_TEXT_IN read only by an RB_I_SELECT fused with
 * it (`if town in [...] then p1 else p2`). */
#define RB_F_TEXT_SELECT 109
/* Fast-path-only instruction of rb->frec: an instruction whose relative
 * bound would be too loose to decide anything (a long chain of products,
 * say), computed exactly for every record; with mode 1, a capped product
 * whose comparison (slot cmp) is computed with it. */
#define RB_F_EXACT 110
/* Fast-path-only instruction: dst = text input a is one of the texts of
 * `set` (bits of its interned texts, rb_input.interned): `x == "…"` and
 * `x in […]` (equalities joined by `or`) in one instruction, comparing the
 * id the facts stored with the value. */
#define RB_F_TEXT_IN 105

/* The range every number of the per-record run keeps besides zero (see
 * "Relative bounds" in fastpath.c): a product or quotient of two is never
 * rounded to zero, and never overflows. */
#define RB_REL_TINY 0x1p-500
#define RB_REL_BIG 0x1p500

/* Whether x is zero or within the range of the relative bounds (false
 * for not a number). */
static inline bool rb_rel_range(double x)
{
	double ax = fabs(x);
	return ((ax >= RB_REL_TINY) & (ax <= RB_REL_BIG)) | (x == 0);
}

/* -1, 0 or 1 as the exact values x ± ex and y ± ey compare; 2 when the
 * bounds cannot tell. A comparison is decided when |x - y| exceeds ex + ey
 * with a margin for the rounding of the bounds; two exact values (both
 * bounds 0) compare exactly. Without branches on which way the values
 * lie, which is as good as random to a branch predictor. The per-record
 * run's and the columnar run's comparisons. */
static inline int rb_fcmp(double x, double ex, double y, double ey)
{
	double d = x - y, m = ex + ey;
	int sign = (d > 0) - (d < 0);
	int apart = fabs(d) * (1 - 0x1p-50) > m * (1 + 0x1p-20); /* m = 0: d != 0 */
	int close = 2 * (m != 0);
	return close ^ ((close ^ sign) & -apart); /* apart ? sign : close */
}

/* Whether x is zero with e = 0, or within the range of the relative
 * bounds with e <= r·|x| (false for not a number). */
static inline bool rb_rel_ok(double x, double e, double r)
{
	double ax = fabs(x);
	return x == 0 ? e == 0 : ax >= RB_REL_TINY && ax <= RB_REL_BIG && e <= r * ax;
}

/* The number x with the relative bound r: e = r·|x|. The per-record run
 * and the columnar run (columnar_eval.c) write the same. */
static inline void rb_put_rel(rb_val *d, double x, double r)
{
	d->state = RB_V_OK;
	d->u.f.x = x;
	d->u.f.e = r * fabs(x);
}

/* Build rb->fcode and rb->fconsts from rb->code and rb->consts; numeric[i]
 * tells whether constant slot i holds a number. Leaves the fast path off
 * (fcode NULL) when memory runs out. */
void rb_fast_prepare(rulebook *rb, const uint8_t *numeric);

/* The first 8 bytes of a text (fewer: zeros after), one load for most;
 * rb_input.interned_head holds it of each interned text. */
static inline uint64_t rb_text_head(const char *s, size_t len)
{
	uint64_t head = 0;
	if (len >= 8)
		memcpy(&head, s, 8);
	else
		for (size_t k = 0; k < len; k++)
			head |= (uint64_t)(unsigned char)s[k] << (8 * k);
	return head;
}

/* Which of the input's interned texts s[0..len) is: RB_TEXT_* (compiled.h).
 * Inline: the facts' text setter looks every text up. */
static inline uint32_t rb_fast_text_id(const rb_input *in, const char *s, size_t len)
{
	if (!in->ninterned)
		return RB_TEXT_UNKNOWN;
	/* the length, then the first 8 bytes, decide most texts without a call */
	uint64_t head = rb_text_head(s, len);
	for (uint32_t k = 0; k < in->ninterned; k++) {
		if (in->interned_len[k] != len || in->interned_head[k] != head)
			continue;
		/* the rest eight bytes at a time, the last eight overlapping */
		const char *t = in->interned[k];
		size_t o = 8;
		uint64_t x, y;
		for (; o + 8 < len; o += 8)
			if (memcpy(&x, s + o, 8), memcpy(&y, t + o, 8), x != y)
				break;
		if (len <= 8 || (o + 8 >= len && (memcpy(&x, s + len - 8, 8),
						  memcpy(&y, t + len - 8, 8), x == y)))
			return k + 1;
	}
	return RB_TEXT_OTHER;
}

/* Tables of rb_fast_from_dec (fastpath.c): 10^k as doubles; the inverse of
 * 5^k modulo 2^64 and (2^64 - 1) / 5^k; (2^53 - 1) / 10^k. */
extern const double rb_pow10_22[23];
extern const uint64_t rb_inv5[23], rb_max5[23], rb_exact10[16];

/* A decimal as a double with its error bound (v->u.f): e = 0 when the
 * decimal is the double exactly, else 2^-50 of it (more than the half
 * unit of one rounding); when the exponent is beyond ±22, not a number
 * with an infinite bound (never decides anything: the exact path will).
 * Inline: the facts' setters make one per number.
 *
 * Every number the facts and the fast path hold obeys what the
 * per-record run assumes of its inputs (fastpath.c, "Relative bounds"):
 * x is zero with e = 0, or 10^-22 <= |x| <= 2^500 with e <= 2^-50·|x|,
 * or x is not a number. */
static inline void rb_fast_from_dec(rb_dec dec, rb_val *v)
{
	int64_t c = dec.coef;
	int32_t p = dec.exp;
	uint64_t mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
	const uint64_t two53 = UINT64_C(1) << 53;
	v->state = RB_V_OK;
	v->u.f.x = 0;
	v->u.f.e = 0;
	if (c == 0)
		return;
	if (p > 22 || p < -22) {
		/* never decides anything: the exact path will */
		v->u.f.x = NAN;
		v->u.f.e = INFINITY;
		return;
	}
	double x = (double)c; /* exact below 2^53 */
	bool exact = mag < two53;
	if (p >= 0) {
		x *= rb_pow10_22[p];
		/* 10^16 > 2^53: only smaller powers can leave the product exact */
		exact = exact && p < 16 && mag <= rb_exact10[p];
	} else {
		x /= rb_pow10_22[-p];
		/* c / 10^k is a binary fraction when 5^k divides c */
		exact = exact && mag * rb_inv5[-p] <= rb_max5[-p];
	}
	v->u.f.x = x;
	v->u.f.e = exact ? 0 : fabs(x) * 0x1p-50;
}

/* rb_fast_from_whole_double: the first case of rb_fast_from_short_double
 * alone, a whole number below 2^53 (or zero), for an integer input.
 *
 * A double as the facts take it, when it is a whole number below 2^53
 * (or zero) or has at most eight fraction digits and fewer than sixteen
 * significant ones (1e-7 <= |v| < 1e15): *d its shortest decimal, what
 * rb_dec_from_double gives, and *f its binary form and bound, what
 * rb_fast_from_dec gives of *d, made without either call. False for
 * every other double (those two calls decide it). The loop is the one of
 * rb_dec_from_double (decimal.c): with k fraction digits the decimal is
 * m = round(|v|·10^k), the least k for which m / 10^k reads back as |v|
 * (exact m < 2^53 and 10^k, one correctly rounded division), so the
 * double of the decimal is v itself, and it is the decimal exactly when
 * 5^k divides m. */
static inline bool rb_fast_from_whole_double(double v, rb_dec *d, rb_val *f)
{
	double a = fabs(v);
	if (!(a < 0x1p53 && (double)(int64_t)a == a))
		return false;
	int64_t c = (int64_t)v; /* -0.0 gives 0 */
	d->coef = c;
	d->exp = 0;
	f->state = RB_V_OK;
	f->u.f.x = (double)c;
	f->u.f.e = 0;
	return true;
}

/* The trailing zero bits of m > 0. */
static inline int rb_ctz64(uint64_t m)
{
#if defined(__GNUC__)
	return __builtin_ctzll(m);
#else
	int n = 0;
	while (!(m & 1)) {
		m >>= 1;
		n++;
	}
	return n;
#endif
}

/* rb_fast_from_short_double's first step, inline in the facts' setter:
 * a double of at most two fraction digits (hundredths: money, land,
 * energy), whole numbers and zero included, 100·|v| < 10^15. As
 * below with 10^2 for 10^8: m2 = round(|v|·100) is the loop's m for
 * k = 2, and when some k <= 2 reads back m2 is m·10^(2-k). */
static inline bool rb_fast_from_cents_double(double v, rb_dec *d, rb_val *f)
{
#if FLT_EVAL_METHOD == 0
	double a = fabs(v);
	double s2 = a * 100;
	if (s2 < 1e15) { /* not NaN; below 0.005 only zero reads back */
		uint64_t m2 = (uint64_t)(int64_t)(s2 + 0.5);
		if ((double)(int64_t)m2 / 100 == a) {
			/* 5 divides m when m · (5^-1 mod 2^64) <= (2^64 - 1) / 5,
			 * 25 divides it when m · (25^-1 mod 2^64) <= (2^64 - 1) / 25
			 * (rb_inv5, rb_max5) */
			const uint64_t inv5 = UINT64_C(0xcccccccccccccccd), max5 = UINT64_C(0x3333333333333333);
			const uint64_t inv25 = UINT64_C(0x8f5c28f5c28f5c29), max25 = UINT64_C(0x0a3d70a3d70a3d70);
			/* without branches: how many fraction digits a record's
			 * figure has is as good as random to a branch predictor */
			uint64_t d10 = !(m2 & 1) & (m2 * inv5 <= max5); /* 10 divides m2 */
			uint64_t m1 = (m2 >> 1) * inv5;                  /* m2 / 10 when it does */
			uint64_t d100 = d10 & !(m1 & 1) & (m1 * inv5 <= max5);
			uint64_t m0 = (m1 >> 1) * inv5;
			uint64_t m = d100 ? m0 : d10 ? m1 : m2;
			int64_t sign = -(int64_t)(v < 0) | 1;
			d->coef = sign * (int64_t)m;
			d->exp = (int32_t)d10 + (int32_t)d100 - 2;
			f->state = RB_V_OK;
			f->u.f.x = v + 0.0; /* -0.0 as 0, as rb_fast_from_whole_double */
			/* 5^k divides m when 5^2 divides m2 = m·10^(2-k) */
			f->u.f.e = a * 0x1p-50 * (double)(m2 * inv25 > max25);
			return true;
		}
	}
#else
	(void)v, (void)d, (void)f;
#endif
	return false;
}

static inline bool rb_fast_from_short_double(double v, rb_dec *d, rb_val *f)
{
	double a = fabs(v);
	if (rb_fast_from_cents_double(v, d, f))
		return true;
#if FLT_EVAL_METHOD == 0
	double s8 = a * 1e8;
	if (a >= 1e-7 && s8 < 1e15) {
		/* The loop's answer from one product, whole numbers included.
		 * m8 = round(a·10^8) is the loop's m for k = 8, so m8 / 10^8 ==
		 * a is its test there. When some k <= 8 reads back, with m,
		 * m8 is m·10^(8-k): a·10^8 < 10^15 lies within 0.18 of it (a
		 * half unit of a, 2^-53·a, times 10^8, and a half unit of the
		 * product), so the test passes at 8 too; when it fails at 8 no
		 * k reads back. When it passes, the least k is 8 less the
		 * trailing decimal zeros of m8 (m / 10 would read back at k - 1,
		 * as the same value), and m is m8 without them. */
		uint64_t m8 = (uint64_t)(int64_t)(s8 + 0.5);
		if ((double)(int64_t)m8 / 1e8 != a)
			return false;
		/* 10^j divides m8: its low j bits zero, 5^j divides it */
		int j = rb_ctz64(m8);
		if (j > 8)
			j = 8;
		while (j > 0 && m8 * rb_inv5[j] > rb_max5[j])
			j--;
		uint64_t m = (m8 >> j) * rb_inv5[j]; /* the exact quotient by 2^j, then 5^j */
		d->coef = v < 0 ? -(int64_t)m : (int64_t)m;
		d->exp = j - 8;
		f->state = RB_V_OK;
		f->u.f.x = v;
		/* m / 10^k is a binary fraction when 5^k divides m, that is
		 * when 5^8 divides m8 = m·2^j·5^j */
		f->u.f.e = m8 * UINT64_C(0xc767074b22e90e21) <= UINT64_C(0x00002af31dc46118)
				   ? 0
				   : a * 0x1p-50;
		return true;
	}
#endif
	if (rb_fast_from_whole_double(v, d, f))
		return true;
#if FLT_EVAL_METHOD == 0
	if (!(a >= 1e-7 && a < 1e15)) /* NaN and infinities too */
		return false;
	for (int k = 1; k <= 8; k++) {
		double sc = a * rb_pow10_22[k];
		if (sc >= 1e15)
			break;
		uint64_t m = (uint64_t)(sc + 0.5);
		if ((double)m / rb_pow10_22[k] == a) {
			d->coef = v < 0 ? -(int64_t)m : (int64_t)m;
			d->exp = -k;
			f->state = RB_V_OK;
			f->u.f.x = v;
			f->u.f.e = m * rb_inv5[k] <= rb_max5[k] ? 0 : a * 0x1p-50;
			return true;
		}
	}
#endif
	return false;
}

/* Run the fast program over slots holding fast values; false when some
 * comparison (or rounding) is too close to call, or a value leaves the
 * range where the bounds hold. */
bool rb_run_fast(const rb_fins *code, uint32_t n, rb_val *slots);

/* The per-record program rb->frec for one record's evaluation into res
 * (NULL: stop where the bounds cannot decide, as rb_run_fast): an
 * instruction the bounds cannot decide is computed exactly, alone with
 * what it depends on (rb_fast_fallback), and the run carries on. False
 * only without res, or when the rulebook has no per-record program
 * (then the exact program decides). */
bool rb_run_fast_record(const rulebook *rb, rb_val *slots, rulebook_result *res);

#endif
