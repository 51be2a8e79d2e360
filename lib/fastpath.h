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

#include <math.h>
#include <stdbool.h>

/* Build rb->fcode and rb->fconsts from rb->code and rb->consts; numeric[i]
 * tells whether constant slot i holds a number. Leaves the fast path off
 * (fcode NULL) when memory runs out. */
void rb_fast_prepare(rulebook *rb, const uint8_t *numeric);

/* Which of the input's interned texts s[0..len) is: RB_TEXT_* (compiled.h). */
uint32_t rb_fast_text_id(const rb_input *in, const char *s, size_t len);

/* Tables of rb_fast_from_dec (fastpath.c): 10^k as doubles; the inverse of
 * 5^k modulo 2^64 and (2^64 - 1) / 5^k; (2^53 - 1) / 10^k. */
extern const double rb_pow10_22[23];
extern const uint64_t rb_inv5[23], rb_max5[23], rb_exact10[16];

/* A decimal as a double with its error bound (v->u.f): e = 0 when the
 * decimal is the double exactly, else 2^-50 of it (more than the half
 * unit of one rounding); an infinite bound when the exponent is beyond
 * ±22 (never decides anything: the exact path will). Inline: the facts'
 * setters make one per number. */
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
		v->u.f.e = INFINITY; /* never decides anything: the exact path will */
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

/* Run the fast program over slots holding fast values; false when some
 * comparison (or rounding) is too close to call, or a value leaves the
 * range where the bounds hold. */
bool rb_run_fast(const rb_fins *code, uint32_t n, rb_val *slots);

/* The same for one record's evaluation into res: an instruction the bounds
 * cannot decide is computed exactly, alone with what it depends on
 * (rb_fast_fallback), and the run carries on. False only for the checks of
 * the as-of part, which never occur in the per-record program. */
bool rb_run_fast_record(const rb_fins *code, uint32_t n, rb_val *slots, rulebook_result *res);

#endif
