/* The binary fast path (lib/fastpath.c) never changes an answer.
 *
 * What these tests prove, each against values checked by hand or against
 * the exact decimal interpreter (a result with fast_ok = false), never
 * against output of the code under test:
 *
 *  1. rb_fast_from_dec: every decimal becomes a double x with a bound e
 *     such that the exact value lies in [x - e, x + e]; e is 0 exactly when
 *     the decimal is a double (|coef| < 2^53 and, for exp < 0, 5^-exp
 *     divides coef; for exp >= 0, coef·10^exp < 2^53), and not a number with
 *     an infinite bound beyond exponents ±22. Checked with long double arithmetic on random
 *     decimals and on hand-picked ones (0, 37, 0.5, 0.1, 2.3, 1e23, ...).
 *     A double set with rulebook_facts_set_double_at (its first, inline
 *     step rb_fast_from_short_double, and the general conversion) gets
 *     the decimal rb_dec_from_double makes and that decimal's binary
 *     form, bit for bit, on random doubles of the shapes callers pass.
 *     A text cell is accepted exactly when a character-by-character
 *     UTF-8 check accepts it (the facts check runs of ASCII and of
 *     three-byte characters several bytes per step).
 *  2. rb_run_fast on hand-built programs: overlapping intervals are never
 *     decided; exact (e = 0) operands compare exactly; division by an exact
 *     zero is the exact interpreter's error, by a value that might be zero
 *     is left to the exact path; a result beyond 10^300 stops the run.
 *     On random operands (with and without input error), every result the
 *     fast path returns lies within its bound of the exact decimal result,
 *     and every comparison it decides is the exact one.
 *     The per-record run reads the program with its slots as byte
 *     offsets (rb->frec) and writes bounds from relative bounds fixed at
 *     compile time: every number it writes lies within its bound of the
 *     exact decimal, on records decided in binary and with instructions
 *     computed exactly; a fixed value outside the bound assumed of it is
 *     computed exactly where read, not for the whole date; a chain of
 *     products whose bound would grow too loose is computed exactly.
 *     Random expression trees (+ - × ÷ min max abs, depth 4) over
 *     integers, short decimals, neighbouring doubles, zeros and 1e±12
 *     give the exact verdicts, record by record and as columns.
 *  3. Through the API, on a rulebook with units, division, multiplication,
 *     min/max, abs, round(x, 2), unit conversions (亩 / m² / 公顷, %),
 *     not/and/or, an exemption and a scorecard with a cap, a veto and
 *     class cut-offs: verdicts, exceptions, errors, classes, vetoes and
 *     scores are identical with and without the fast path on random
 *     records, records exactly on every threshold, one unit above and below
 *     in the last digit, 15 to 18 significant digits, zero divisors,
 *     missing inputs, 1e250 / 1e-250 / 1e30, and round() on a half. Records
 *     exactly on a threshold that binary cannot settle are never decided by
 *     the fast path; ordinary records almost always are (so the fast path
 *     cannot silently switch itself off).
 *  4. Values, JSON and explanations computed lazily after a fast decision
 *     are identical to the exact ones, and do not change when the facts are
 *     changed, cleared or freed after the evaluation.
 *  5. Division by zero decided in the fast path: the same error verdict,
 *     error text, JSON and explanation as the exact interpreter.
 *  6. Dated parameters (class cut-offs and thresholds), as_of-dependent
 *     thresholds and year(as_of): one result evaluated alternately at
 *     several dates (the per-as-of part rb->fpre) agrees with the exact
 *     interpreter, also when fast_ok was off for the previous evaluation
 *     at the same date. `if v > cap then top else v × k` (fused into one
 *     fast instruction) is missing or an error when k is.
 *  7. The rewrite of (k × v) / p as v × (k / p) (scorecard points) keeps
 *     the exact interpreter's answers at the edges of the decimal range
 *     (underflow and overflow of the product k × v); the same computation
 *     without the rewrite is the control.
 *  8. The forms of the language (if/then/else, text lists, tables by enum,
 *     integer range and two keys, all_of / any_of / met(), folds over a
 *     list input (computed exactly, alone), per-verdict
 *     messages, illustrative figures in untaken branches): verdicts,
 *     classes, scores, illustrative marks, values, gaps, messages, JSON
 *     and explanations identical to exact-only evaluation on random,
 *     wild and threshold records; reading verdicts, scores and marks does
 *     not run the exact program as a whole; a record on a threshold is
 *     computed exactly for that comparison's cone only (hand-checked
 *     verdicts, illustrative marks and score); a population with a
 *     scorecard keeps the exact-only scores and classes.
 *  9. Reading the score after a binary run computes only the branch each
 *     capped component took, and text inputs compare by interned ids:
 *     hand-checked scores, points, values and verdicts, read before and
 *     after the score, on records alternately capped and not.
 *
 * Tests that compare after an abort-free pass (first_difference) free
 * their objects before failing, so valgrind (run without fork) reports
 * only real leaks.
 */
#include "compiled.h"
#include "fastpath.h"
#include "result.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ_MSG(expr, ...)                         \
	do {                                       \
		if (!(expr))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* ---------------------------------------------------------------------
 * Helpers
 * --------------------------------------------------------------------- */

static uint64_t rng = 0x243f6a8885a308d3u;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717u;
}

static int64_t below(int64_t n)
{
	return (int64_t)(next() % (uint64_t)n);
}

static const int64_t p10[19] = {
	INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000), INT64_C(100000),
	INT64_C(1000000), INT64_C(10000000), INT64_C(100000000), INT64_C(1000000000),
	INT64_C(10000000000), INT64_C(100000000000), INT64_C(1000000000000),
	INT64_C(10000000000000), INT64_C(100000000000000), INT64_C(1000000000000000),
	INT64_C(10000000000000000), INT64_C(100000000000000000), INT64_C(1000000000000000000),
};

/* A coefficient of exactly `digits` digits (1..18). */
static int64_t coef_of(int digits)
{
	int64_t lo = p10[digits - 1], span = p10[digits] - lo;
	return lo + below(span);
}

/* 10^k, exact for k <= 22 (as doubles; 5^22 < 2^53), then products. */
static long double pow10_ld(int32_t k)
{
	static const double t[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	long double p = 1;
	for (; k > 22; k -= 22)
		p *= (long double)t[22];
	return p * (long double)t[k];
}

/* The decimal as a long double: one rounding for |exp| <= 22 (coef·10^k
 * or coef / 10^k), so exact whenever the value is a double. Under valgrind
 * long double has the precision of double; the checks leave room for
 * that (fast bounds are at least 2^-50 relative). */
static long double dec_ld(rb_dec d)
{
	long double c = (long double)d.coef;
	if (d.exp >= 0)
		return c * pow10_ld(d.exp);
	return c / pow10_ld(-d.exp);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *show(const char *s)
{
	return s ? s : "(null)";
}

static rulebook *load(const char *yaml)
{
	rulebook *rb = NULL;
	rulebook_error *err = rulebook_error_new();
	rulebook_status st = rulebook_load_buffer(yaml, strlen(yaml), "fastpath", NULL, &rb, err);
	REQ_MSG(st == RULEBOOK_OK, "load: %s (line %u)", rulebook_error_message(err, 0),
		(unsigned)rulebook_error_line(err, 0));
	rulebook_error_free(err);
	/* the fast path must exist for these tests to mean anything */
	REQ_MSG(rb->fcode != NULL, "the rulebook has no fast program");
	return rb;
}

/* A result that always runs the exact interpreter. */
static rulebook_result *exact_result(const rulebook *rb)
{
	rulebook_result *r = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(r);
	r->fast_ok = false;
	return r;
}

static rulebook_result *fast_result(const rulebook *rb)
{
	rulebook_result *r = rulebook_result_new(rb);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->fast_ok);
	ck_assert_ptr_nonnull(r->fslots);
	return r;
}

/* Free what a comparison of the two routes used. */
static void free_all(rulebook *rb, rulebook_facts *f, rulebook_result *fr, rulebook_result *er)
{
	rulebook_result_free(fr);
	rulebook_result_free(er);
	rulebook_facts_free(f);
	rulebook_free(rb);
}

/* The first difference in verdicts, classes and scores of two results, as
 * a message; "" when there is none. Does not abort, so that a test can
 * free its objects first (valgrind runs without fork). */
static const char *first_difference(const rulebook *rb, rulebook_result *f, rulebook_result *e,
				    const char *what, char *msg, size_t size)
{
	msg[0] = '\0';
	for (size_t r = 0; r < rulebook_rule_count(rb); r++) {
		rulebook_verdict vf = rulebook_result_verdict(f, r), ve = rulebook_result_verdict(e, r);
		if (vf != ve) {
			snprintf(msg, size, "%s: rule %s: fast path %s, exact %s", what,
				 rulebook_rule_id(rb, r), rulebook_verdict_str(vf),
				 rulebook_verdict_str(ve));
			return msg;
		}
	}
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
		const char *cf = rulebook_result_class(f, k), *ce = rulebook_result_class(e, k);
		if (!same_str(cf, ce)) {
			snprintf(msg, size, "%s: scorecard %s: fast path class %s, exact %s", what,
				 rulebook_scorecard_id(rb, k), show(cf), show(ce));
			return msg;
		}
		char sf[RB_DEC_BUFSIZE];
		snprintf(sf, sizeof sf, "%s", show(rulebook_result_score(f, k)));
		const char *se = show(rulebook_result_score(e, k));
		if (strcmp(sf, se) != 0) {
			snprintf(msg, size, "%s: scorecard %s: score %s vs %s", what,
				 rulebook_scorecard_id(rb, k), sf, se);
			return msg;
		}
	}
	return msg;
}

/* Verdicts, exceptions, errors, counts, classes, vetoes and scores of two
 * results of the same record. */
static void same_outcome(const rulebook *rb, rulebook_result *f, rulebook_result *e,
			 const char *what)
{
	size_t nr = rulebook_rule_count(rb);
	for (size_t r = 0; r < nr; r++) {
		const char *id = rulebook_rule_id(rb, r);
		rulebook_verdict vf = rulebook_result_verdict(f, r), ve = rulebook_result_verdict(e, r);
		REQ_MSG(vf == ve, "%s: rule %s: fast path %s, exact %s", what, id,
			rulebook_verdict_str(vf), rulebook_verdict_str(ve));
		REQ_MSG(f->exception[r] == e->exception[r] &&
				same_str(rulebook_result_exception(f, r), rulebook_result_exception(e, r)),
			"%s: rule %s: exception %s vs %s", what, id,
			show(rulebook_result_exception(f, r)), show(rulebook_result_exception(e, r)));
		REQ_MSG(same_str(rulebook_result_error(f, r), rulebook_result_error(e, r)),
			"%s: rule %s: error %s vs %s", what, id, show(rulebook_result_error(f, r)),
			show(rulebook_result_error(e, r)));
	}
	uint32_t cf[8], ce[8];
	rulebook_result_counts(f, cf);
	rulebook_result_counts(e, ce);
	REQ_MSG(memcmp(cf, ce, sizeof cf) == 0, "%s: verdict counts differ", what);
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
		const char *id = rulebook_scorecard_id(rb, k);
		REQ_MSG(f->sc_class[k] == e->sc_class[k] &&
				same_str(rulebook_result_class(f, k), rulebook_result_class(e, k)),
			"%s: scorecard %s: class %s vs %s", what, id, show(rulebook_result_class(f, k)),
			show(rulebook_result_class(e, k)));
		REQ_MSG(f->sc_veto[k] == e->sc_veto[k] &&
				same_str(rulebook_result_veto(f, k), rulebook_result_veto(e, k)),
			"%s: scorecard %s: veto %s vs %s", what, id, show(rulebook_result_veto(f, k)),
			show(rulebook_result_veto(e, k)));
		REQ_MSG(same_str(rulebook_result_score(f, k), rulebook_result_score(e, k)),
			"%s: scorecard %s: score %s vs %s", what, id, show(rulebook_result_score(f, k)),
			show(rulebook_result_score(e, k)));
	}
}

/* How many scores rulebook_result_score_double read from the binary run
 * without computing the score exactly. */
static size_t score_double_binary;

/* rulebook_result_score_double of r (read before anything else of r)
 * against the nearest double of e's exact score text: equal when r's score
 * was computed exactly; within 2^-43 of the score, relatively, when read
 * from the binary run (rulebook.h), so within 2^-43 + 2^-53 < 2^-42 of its
 * nearest double. */
static void same_score_double(const rulebook *rb, rulebook_result *r, rulebook_result *e, size_t k,
			      const char *what)
{
	const rb_scorecard *sc = &rb->scorecards[k];
	uint32_t w = rb->writer ? rb->writer[sc->score] : RB_NO_WRITER;
	/* whether the instruction writing the score has an exact value now */
	bool lazy_score = r->done && !r->exact && w != RB_NO_WRITER && !rb->invariant[w];
	bool before = lazy_score && r->done[w] == r->stamp;
	/* the binary score may be read (then no exact value is computed) */
	bool may_binary = r->decided_fast && !r->exact;
	double d = 0;
	rulebook_status st = rulebook_result_score_double(r, k, &d);
	bool binary = lazy_score && !before && r->done[w] != r->stamp;
	const char *text = rulebook_result_score(e, k);
	if (!text) {
		REQ_MSG(st == RULEBOOK_ERR_NOT_FOUND && isnan(d),
			"%s: scorecard %zu: no score, but the double is %g (status %d)", what, k, d, st);
		return;
	}
	REQ_MSG(st == RULEBOOK_OK, "%s: scorecard %zu: score %s, status %d", what, k, text, st);
	double want = strtod(text, NULL);
	if (binary)
		score_double_binary++;
	if (may_binary) {
		REQ_MSG(fabs(d - want) <= fabs(want) * 0x1p-42,
			"%s: scorecard %zu: binary score %.17g, exact %s", what, k, d, text);
	} else {
		REQ_MSG(d == want, "%s: scorecard %zu: score %.17g, exact %s", what, k, d, text);
	}
}

/* Evaluate into both results; true when the fast path decided (the exact
 * values had not been computed right after rulebook_eval). */
static bool eval_both(const rulebook *rb, const rulebook_facts *facts, int32_t as_of,
		      rulebook_result *f, rulebook_result *e, const char *what)
{
	ck_assert_int_eq(rulebook_eval(rb, facts, as_of, f, NULL), RULEBOOK_OK);
	/* decided in binary throughout, no instruction computed exactly */
	bool decided = f->decided_fast && !f->fell_back;
	REQ_MSG(rulebook_result_decided_exactly(f) == !decided,
		"%s: rulebook_result_decided_exactly says %d", what, rulebook_result_decided_exactly(f));
	ck_assert_int_eq(rulebook_eval(rb, facts, as_of, e, NULL), RULEBOOK_OK);
	REQ_MSG(e->exact, "%s: a result with fast_ok = false was not evaluated exactly", what);
	for (size_t k = 0; k < rulebook_scorecard_count(rb); k++) {
		same_score_double(rb, f, e, k, what);
		same_score_double(rb, e, e, k, what);
	}
	same_outcome(rb, f, e, what);
	return decided;
}

/* ---------------------------------------------------------------------
 * 1. rb_fast_from_dec
 * --------------------------------------------------------------------- */

/* Whether coef × 10^exp is a double, by the rule of fastpath.h. */
static bool binary_exact(rb_dec d)
{
	uint64_t mag = d.coef < 0 ? (uint64_t)0 - (uint64_t)d.coef : (uint64_t)d.coef;
	const uint64_t two53 = UINT64_C(1) << 53;
	if (mag >= two53)
		return false;
	if (d.exp >= 0) {
		uint64_t m = mag;
		for (int32_t k = 0; k < d.exp; k++) {
			if (m > two53 / 10)
				return false;
			m *= 10;
		}
		return m < two53;
	}
	uint64_t p5 = 1;
	for (int32_t k = 0; k < -d.exp; k++) {
		if (p5 > mag)
			return false;
		p5 *= 5;
	}
	return mag % p5 == 0;
}

static void check_from_dec(rb_dec d)
{
	rb_val v;
	memset(&v, 0xa5, sizeof v);
	rb_fast_from_dec(d, &v);
	REQ_MSG(v.state == RB_V_OK, "%lld e%d: state %d", (long long)d.coef, d.exp, v.state);
	double x = v.u.f.x, e = v.u.f.e;
	if (d.coef != 0 && (d.exp > 22 || d.exp < -22)) {
		/* not a number, which every test of the fast path refuses */
		REQ_MSG(isnan(x) && isinf(e), "%lld e%d: exponent beyond 22, x %a bound %a",
			(long long)d.coef, d.exp, x, e);
		return;
	}
	REQ_MSG(!isnan(x) && !isnan(e) && e >= 0, "%lld e%d: x %a e %a", (long long)d.coef, d.exp,
		x, e);
	if (d.coef == 0) {
		REQ_MSG(x == 0 && e == 0, "%lld e%d: zero gives x %a e %a", (long long)d.coef, d.exp,
			x, e);
		return;
	}
	/* what the per-record run assumes of every number (fastpath.h) */
	REQ_MSG(fabs(x) >= 1e-22 && fabs(x) < 0x1p500 && e <= fabs(x) * 0x1p-50,
		"%lld e%d: x %a e %a outside the relative bounds", (long long)d.coef, d.exp, x, e);
	long double want = dec_ld(d);
	bool ex = binary_exact(d);
	if (e == 0) {
		REQ_MSG(ex, "%lld e%d: bound 0 but the decimal is not a double", (long long)d.coef,
			d.exp);
		REQ_MSG((long double)x == want, "%lld e%d: bound 0 but x = %a", (long long)d.coef,
			d.exp, x);
	} else {
		REQ_MSG(!ex, "%lld e%d: a double, yet bound %a", (long long)d.coef, d.exp, e);
		REQ_MSG(isfinite(e), "%lld e%d: infinite bound", (long long)d.coef, d.exp);
		/* long double rounds `want` by at most 2^-64 relative */
		long double dist = fabsl((long double)x - want);
		REQ_MSG(dist <= (long double)e + fabsl(want) * 0x1p-62L,
			"%lld e%d: |x - exact| = %Lg exceeds e = %g", (long long)d.coef, d.exp, dist,
			e);
		/* and the bound is not absurdly loose: within 2^-40 relative */
		REQ_MSG(e <= fabs(x) * 0x1p-40, "%lld e%d: bound %g too loose for x %g",
			(long long)d.coef, d.exp, e, x);
	}
}

START_TEST(test_from_dec_random)
{
	size_t exact = 0, inexact = 0, infinite = 0;
	for (int k = 0; k < 200000; k++) {
		int digits = 1 + (int)below(18);
		int64_t c = coef_of(digits);
		int32_t exp = -25 + (int32_t)below(51);
		switch (k % 4) {
		case 0: /* a multiple of a power of 5: often a binary fraction */
			if (exp < 0 && -exp <= 22) {
				int64_t p5 = 1;
				for (int32_t j = 0; j < -exp && p5 <= INT64_C(1000000000000000000) / 5; j++)
					p5 *= 5;
				int64_t m = 1 + below(p10[18] / p5 > 1 ? p10[18] / p5 - 1 : 1);
				if (m * p5 < p10[18])
					c = m * p5;
			}
			break;
		case 1: /* small coefficients */
			c = 1 + below(1000000);
			break;
		default:
			break;
		}
		if (next() % 2)
			c = -c;
		rb_dec d = {c, exp};
		check_from_dec(d);
		rb_val v;
		rb_fast_from_dec(d, &v);
		if (isinf(v.u.f.e))
			infinite++;
		else if (v.u.f.e == 0)
			exact++;
		else
			inexact++;
	}
	/* all three kinds were exercised */
	ck_assert_uint_gt(exact, 1000);
	ck_assert_uint_gt(inexact, 1000);
	ck_assert_uint_gt(infinite, 1000);
	check_from_dec((rb_dec){0, 0});
	check_from_dec((rb_dec){0, -300});
	check_from_dec((rb_dec){0, 300});
	check_from_dec((rb_dec){INT64_C(999999999999999999), 22});
	check_from_dec((rb_dec){INT64_C(-999999999999999999), -22});
	check_from_dec((rb_dec){INT64_C(9007199254740991), 0});
	check_from_dec((rb_dec){INT64_C(9007199254740993), 0});
	check_from_dec((rb_dec){INT64_C(2384185791015625), -22}); /* 5^22 / 10^22 = 2^-22 */
}
END_TEST

static rb_val from_dec(int64_t c, int32_t exp)
{
	rb_val v;
	rb_fast_from_dec((rb_dec){c, exp}, &v);
	return v;
}

START_TEST(test_from_dec_hand_picked)
{
	rb_val v = from_dec(0, 0);
	ck_assert(v.state == RB_V_OK && v.u.f.x == 0 && v.u.f.e == 0);
	v = from_dec(37, 0);
	ck_assert(v.state == RB_V_OK && v.u.f.x == 37 && v.u.f.e == 0);
	v = from_dec(370, -1); /* 37.0 */
	ck_assert(v.u.f.x == 37 && v.u.f.e == 0);
	v = from_dec(5, -1); /* 0.5 */
	ck_assert(v.u.f.x == 0.5 && v.u.f.e == 0);
	v = from_dec(-25, -2); /* -0.25 */
	ck_assert(v.u.f.x == -0.25 && v.u.f.e == 0);
	v = from_dec(1, -1); /* 0.1 is not a double */
	ck_assert(v.u.f.e > 0 && v.u.f.e < 1e-15);
	ck_assert(fabsl((long double)v.u.f.x - 0.1L) <= (long double)v.u.f.e);
	v = from_dec(23, -1); /* 2.3 */
	ck_assert(v.u.f.e > 0 && v.u.f.e < 1e-14);
	ck_assert(fabsl((long double)v.u.f.x - 2.3L) <= (long double)v.u.f.e);
	v = from_dec(11581, -1); /* 1158.1 */
	ck_assert(v.u.f.e > 0 && fabsl((long double)v.u.f.x - 1158.1L) <= (long double)v.u.f.e);
	v = from_dec(1, 23); /* 1e23: beyond 10^22, left to the exact path */
	ck_assert(v.state == RB_V_OK && isinf(v.u.f.e));
	v = from_dec(1, -23);
	ck_assert(isinf(v.u.f.e));
	v = from_dec(1, 22); /* 1e22 is a double, but 10^22 > 2^53: bound > 0 is allowed */
	ck_assert(v.u.f.x == 1e22 && isfinite(v.u.f.e));
	v = from_dec(1, 15); /* 10^15 < 2^53 */
	ck_assert(v.u.f.x == 1e15 && v.u.f.e == 0);
	v = from_dec(INT64_C(9007199254740993), 0); /* 2^53 + 1 rounds */
	ck_assert(v.u.f.e >= 1);
	v = from_dec(INT64_C(2384185791015625), -22); /* exactly 2^-22 */
	ck_assert(v.u.f.x == 0x1p-22 && v.u.f.e == 0);
}
END_TEST

/* A double of one of the shapes callers pass: a whole number, a decimal
 * of 1 to 8 fraction digits (the double nearest it), numbers near the
 * edges 10^-7 and 10^15, 16- and 17-digit doubles, any bit pattern. */
static double random_double(int shape)
{
	double v;
	switch (shape) {
	case 0: v = (double)below(INT64_C(9007199254740992)) / (double)p10[below(8)]; break;
	case 1: v = (double)coef_of(1 + (int)below(15)); break;
	case 2: v = (double)coef_of(1 + (int)below(14)) / (double)p10[1 + below(8)]; break;
	case 3: v = (double)(1 + below(99999)) / 100; break; /* hundredths */
	case 4: v = (1 + below(1000)) * 1e-10 * (1 + below(3)); break;
	case 5: v = 1e15 - (double)below(3) / 8 + (double)below(3); break;
	case 6: v = (double)next() / (double)next(); break;
	default: {
		uint64_t bits = next();
		memcpy(&v, &bits, sizeof v);
		break;
	}
	}
	return next() % 2 ? -v : v;
}

static bool same_fast(rb_val a, rb_val b)
{
	return a.state == b.state &&
	       (a.state != RB_V_OK || (memcmp(&a.u.f.x, &b.u.f.x, sizeof a.u.f.x) == 0 &&
				       memcmp(&a.u.f.e, &b.u.f.e, sizeof a.u.f.e) == 0));
}

/* rb_fast_from_short_double, the facts' first step for a double, gives
 * what the general conversion gives (rb_dec_from_double, then
 * rb_fast_from_dec) whenever it takes a double, bit for bit, and takes
 * every double of up to eight fraction digits that the general loop
 * finds below 10^15. */
START_TEST(test_from_short_double)
{
	size_t taken[8] = {0}, total[8] = {0};
	for (int k = 0; k < 400000; k++) {
		int shape = k % 8;
		double v = random_double(shape);
		if (k == 0)
			v = -0.0;
		rb_dec d = {INT64_MIN, 0}, want;
		rb_val f, wf;
		memset(&f, 0xa5, sizeof f);
		memset(&wf, 0x5a, sizeof wf);
		bool took = rb_fast_from_short_double(v, &d, &f);
		rb_dec_status st = rb_dec_from_double(v, &want);
		total[shape]++;
		if (!took) {
			/* what it leaves: not a few fraction digits below 10^15 */
			if (st == RB_DEC_OK && want.coef != 0 && want.exp < 0 && want.exp >= -8)
				REQ_MSG(fabs(v) >= 1e15 || fabs(v) < 1e-7 ||
						(want.coef < 0 ? -want.coef : want.coef) >= p10[15],
					"%a (%lld e%d) left to the general path", v,
					(long long)want.coef, want.exp);
			continue;
		}
		taken[shape]++;
		REQ_MSG(st == RB_DEC_OK, "%a taken, but the general conversion fails", v);
		REQ_MSG(d.coef == want.coef && d.exp == want.exp, "%a: %lld e%d, not %lld e%d", v,
			(long long)d.coef, d.exp, (long long)want.coef, want.exp);
		rb_fast_from_dec(want, &wf);
		REQ_MSG(same_fast(f, wf), "%a: binary %a ± %a, not %a ± %a", v, f.u.f.x, f.u.f.e,
			wf.u.f.x, wf.u.f.e);
	}
	/* whole numbers, hundredths and decimals of a few digits are all
	 * taken; bit patterns almost never */
	ck_assert_uint_eq(taken[1], total[1]);
	ck_assert_uint_eq(taken[3], total[3]);
	ck_assert_uint_gt(taken[2], total[2] * 95 / 100); /* the rest below 10^-7 */
	ck_assert_uint_gt(taken[0], total[0] / 10); /* 16 digits and more: general */
	ck_assert_uint_lt(taken[7], total[7] / 100);
	/* hand-picked: exact binary fractions have bound 0, others 2^-50 */
	rb_dec d;
	rb_val f;
	ck_assert(rb_fast_from_short_double(0.25, &d, &f));
	ck_assert(d.coef == 25 && d.exp == -2 && f.u.f.x == 0.25 && f.u.f.e == 0);
	ck_assert(rb_fast_from_short_double(-1158.1, &d, &f));
	ck_assert(d.coef == -11581 && d.exp == -1 && f.u.f.x == -1158.1 && f.u.f.e > 0);
	ck_assert(rb_fast_from_short_double(-0.0, &d, &f));
	ck_assert(d.coef == 0 && d.exp == 0 && f.u.f.x == 0 && !signbit(f.u.f.x) && f.u.f.e == 0);
	ck_assert(rb_fast_from_short_double(37.0, &d, &f));
	ck_assert(d.coef == 37 && d.exp == 0 && f.u.f.e == 0);
	ck_assert(!rb_fast_from_short_double(0.1 + 0.2, &d, &f)); /* 17 digits */
	ck_assert(!rb_fast_from_short_double(NAN, &d, &f));
	ck_assert(!rb_fast_from_short_double(INFINITY, &d, &f));
	ck_assert(!rb_fast_from_short_double(1e-9, &d, &f));
	ck_assert(!rb_fast_from_short_double(1e16 + 0.5e16, &d, &f) || d.exp == 0);
}
END_TEST

/* One double through rb_fast_from_cents_double and
 * rb_fast_from_short_double: what either takes is bit for bit what the
 * general conversion gives (rb_dec_from_double, then rb_fast_from_dec),
 * and each takes every double its range covers: the cents step every
 * decimal of at most two fraction digits with 100·|v| < 10^15 (zero
 * too), the short step every decimal of at most eight fraction digits
 * that the general loop finds below 10^15, and whole numbers below 2^53.
 * Returns which took it: bit 0 cents, bit 1 short. */
static int check_short_forms(double v)
{
	rb_dec want;
	rb_val wf;
	rb_dec_status st = rb_dec_from_double(v, &want);
	if (st == RB_DEC_OK) {
		memset(&wf, 0x5a, sizeof wf);
		rb_fast_from_dec(want, &wf);
	}
	int took = 0;
	for (int step = 0; step < 2; step++) {
		rb_dec d = {INT64_MIN, 0};
		rb_val f;
		memset(&f, 0xa5, sizeof f);
		bool t = step == 0 ? rb_fast_from_cents_double(v, &d, &f)
				   : rb_fast_from_short_double(v, &d, &f);
		if (t) {
			took |= 1 << step;
			REQ_MSG(st == RB_DEC_OK, "%a taken (step %d), the general conversion fails", v,
				step);
			REQ_MSG(d.coef == want.coef && d.exp == want.exp,
				"%a (step %d): %lld e%d, not %lld e%d", v, step, (long long)d.coef, d.exp,
				(long long)want.coef, want.exp);
			REQ_MSG(same_fast(f, wf), "%a (step %d): binary %a ± %a, not %a ± %a", v, step,
				f.u.f.x, f.u.f.e, wf.u.f.x, wf.u.f.e);
		}
	}
	if (st != RB_DEC_OK)
		return took;
	double a = fabs(v);
	uint64_t mag = want.coef < 0 ? (uint64_t)0 - (uint64_t)want.coef : (uint64_t)want.coef;
	if (want.exp >= -2 && want.exp <= 0 && a * 100 < 1e15)
		REQ_MSG(took & 1, "%a (%lld e%d) not taken by the cents step", v,
			(long long)want.coef, want.exp);
	bool whole = want.exp >= 0 && a < 0x1p53;
	bool short8 = want.exp < 0 && want.exp >= -8 && a >= 1e-7 &&
		      a * (double)p10[-want.exp] < 1e15 && mag < (uint64_t)p10[15];
	if (whole || short8 || want.coef == 0)
		REQ_MSG(took & 2, "%a (%lld e%d) not taken by the short step", v,
			(long long)want.coef, want.exp);
	return took;
}

/* The short steps at their edges: decimals of 0 to 9 fraction digits and
 * the doubles either side of them, near 10^13 and 10^7 (where 100·|v| and
 * 10^8·|v| reach 10^15), near 10^-7, halves and other exact binary
 * fractions, coefficients ending in zeros, zero, tiny and huge numbers,
 * not a number and the infinities. */
START_TEST(test_short_double_edges)
{
	size_t cents = 0, shorts = 0;
	static const double specials[] = {0.0, -0.0, 0.005, 0.0049999999999999999, 0.01, 0.015,
					  0.5, 0.25, 0.125, 0.375, 1e-7, 1e-8, 1.5e-7, 9.99e12,
					  1e13, 9999999999999.99, 9999999999999.5, 1e7, 9999999.99999999,
					  9999999.5, 10000000.000000002, 1e15, 1e16, 0x1p53, 0x1p53 + 2,
					  5e-324, 2.2250738585072014e-308, 1e300, NAN, INFINITY,
					  -INFINITY, 0.1 + 0.2, 1.005, 2.675, 1158.1, 123.45};
	for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
		for (int sign = 0; sign < 2; sign++) {
			double v = sign ? -specials[k] : specials[k];
			check_short_forms(v);
			if (isfinite(v)) {
				check_short_forms(nextafter(v, INFINITY));
				check_short_forms(nextafter(v, -INFINITY));
			}
		}
	for (int n = 0; n < 300000; n++) {
		int k = (int)below(10);
		int digits = 1 + (int)below(15);
		int64_t c = coef_of(digits);
		if (below(4) == 0) /* trailing zeros */
			c = c / p10[below(digits)] * p10[0];
		if (below(4) == 0 && c % 10 != 0)
			c -= c % 10;
		double v = (double)c / (double)p10[k];
		switch (below(6)) {
		case 0: v = nextafter(v, INFINITY); break;
		case 1: v = nextafter(v, 0); break;
		case 2: v = (double)(p10[13] - below(1000)) / (double)p10[below(3)]; break;
		case 3: v = (double)(p10[15] - below(100000)) / 1e8; break;
		case 4: v = (double)(1 + below(1000)) * 1e-9 * (double)(1 + below(200)); break;
		default: break;
		}
		if (below(2))
			v = -v;
		int took = check_short_forms(v);
		cents += took & 1;
		shorts += (took & 2) != 0;
	}
	/* both steps saw many doubles of their kind */
	ck_assert_uint_gt(cents, 30000);
	ck_assert_uint_gt(shorts, 100000);
}
END_TEST

/* A text equal to an interned text gets its id, one differing in any
 * byte (or in length) does not: interned texts of 3 to 40 bytes that
 * share their first eight bytes and their length. */
START_TEST(test_text_ids)
{
	static const char *const texts[] = {
		"abc", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnoq",
		"abcdefghijklmnopq", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwy",
		"abcdefghijklmnopqrstuvwxyz0123456789ABCD", "abcdefghijklmnopqrstuvwxyz0123456789ABCE",
		"计算机、通信和其他电子设备制造业", "计算机、通信和其他电子设备制造",
	};
	enum { NT = sizeof texts / sizeof texts[0] };
	char yaml[4096];
	int n = snprintf(yaml, sizeof yaml,
			 "rulebook: 1\n"
			 "id: test.fastpath.ids\n"
			 "title: {en: ids}\n"
			 "subject: enterprise\n"
			 "source: {issuer: test, document: test, issued: 2022-01-01}\n"
			 "inputs:\n"
			 "  - {id: t, type: text}\n"
			 "rules:\n"
			 "  - {id: r, cite: x, require: 't in [");
	for (int k = 0; k < NT; k++)
		n += snprintf(yaml + n, sizeof yaml - (size_t)n, "%s\"%s\"", k ? ", " : "", texts[k]);
	snprintf(yaml + n, sizeof yaml - (size_t)n, "]'}\n");
	rulebook *rb = load(yaml);
	const rb_input *in = &rb->inputs[0];
	ck_assert_uint_eq(in->ninterned, NT);
	rulebook_facts *f = rulebook_facts_new(rb);
	ck_assert_ptr_nonnull(f);
	char buf[64];
	for (int k = 0; k < NT; k++) {
		size_t len = strlen(texts[k]);
		/* the text itself, then each byte changed, then a character shorter */
		for (size_t at = 0; at <= len + 1; at++) {
			memcpy(buf, texts[k], len);
			/* one character shorter: all of them ASCII or three bytes */
			size_t cut = (unsigned char)texts[k][len - 1] < 0x80 ? 1 : 3;
			size_t blen = at == len + 1 ? len - cut : len;
			if (at < len) { /* still UTF-8: ASCII for ASCII, a lead or continuation for one */
				unsigned char b = (unsigned char)buf[at];
				buf[at] = (char)(b < 0x80 ? (b == 'z' ? 'y' : 'z') : b ^ 1);
			}
			bool changed = blen != len || memcmp(buf, texts[k], len) != 0;
			rulebook_status st = rulebook_facts_set_text_at(f, 0, buf, blen, NULL);
			ck_assert_int_eq(st, RULEBOOK_OK);
			uint32_t want = RB_TEXT_OTHER;
			for (uint32_t j = 0; j < in->ninterned; j++)
				if (in->interned_len[j] == blen && memcmp(in->interned[j], buf, blen) == 0)
					want = j + 1;
			if (!changed)
				REQ_MSG(want != RB_TEXT_OTHER, "%s not interned", texts[k]);
			const rb_val *v = &f->vals[0], *fv2 = &f->fvals[0];
			REQ_MSG(v->at == want && fv2->at == want, "%.*s: id %u, not %u", (int)blen, buf,
				v->at, want);
			REQ_MSG(v->u.t.len == blen && memcmp(v->u.t.s, buf, blen) == 0 &&
					v->u.t.s[blen] == '\0' && fv2->u.t.s == v->u.t.s,
				"%.*s stored wrongly", (int)blen, buf);
		}
	}
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* rulebook_facts_set_double_at stores, for a number and for an integer
 * input, the decimal and binary form of the general conversion, and
 * refuses what it refuses. */
START_TEST(test_set_double_at_forms)
{
	rulebook *rb = load("rulebook: 1\n"
			    "id: test.fastpath.doubles\n"
			    "title: {en: doubles}\n"
			    "subject: enterprise\n"
			    "source: {issuer: test, document: test, issued: 2022-01-01}\n"
			    "inputs:\n"
			    "  - {id: tax, type: number}\n"
			    "  - {id: staff, type: integer}\n"
			    "rules:\n"
			    "  - {id: r, cite: x, require: tax * staff >= 10}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	size_t tax = 0, staff = 1;
	ck_assert_int_eq(rulebook_input_index(rb, "tax", 3, &tax), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "staff", 5, &staff), RULEBOOK_OK);
	size_t ok[2] = {0}, refused[2] = {0};
	for (int k = 0; k < 200000; k++) {
		double v = random_double(k % 8);
		size_t idx = k % 3 == 0 ? staff : tax;
		bool integer = idx == staff;
		rb_dec want;
		rb_dec_status ds = rb_dec_from_double(v, &want);
		bool accept = ds == RB_DEC_OK && (!integer || rb_dec_is_integer(want));
		rb_val before = f->vals[idx], fbefore = f->fvals[idx];
		rulebook_status st = rulebook_facts_set_double_at(f, idx, v, NULL);
		if (!accept) {
			REQ_MSG(st != RULEBOOK_OK, "%a accepted for %s", v, integer ? "staff" : "tax");
			const rb_val *now = &f->vals[idx];
			REQ_MSG(now->state == before.state &&
					(before.state != RB_V_OK ||
					 (now->u.d.coef == before.u.d.coef &&
					  now->u.d.exp == before.u.d.exp)) &&
					same_fast(f->fvals[idx], fbefore),
				"%a refused, yet the value changed", v);
			refused[integer]++;
			continue;
		}
		ok[integer]++;
		REQ_MSG(st == RULEBOOK_OK, "%a refused for %s", v, integer ? "staff" : "tax");
		const rb_val *e = &f->vals[idx];
		REQ_MSG(e->state == RB_V_OK && e->err == 0 && e->at == 0 &&
				e->u.d.coef == want.coef && e->u.d.exp == want.exp,
			"%a: stored %lld e%d, not %lld e%d", v, (long long)e->u.d.coef, e->u.d.exp,
			(long long)want.coef, want.exp);
		rb_val wf;
		rb_fast_from_dec(want, &wf);
		REQ_MSG(same_fast(f->fvals[idx], wf), "%a: binary %a ± %a, not %a ± %a", v,
			f->fvals[idx].u.f.x, f->fvals[idx].u.f.e, wf.u.f.x, wf.u.f.e);
	}
	ck_assert_uint_gt(ok[0], 100000);
	ck_assert_uint_gt(ok[1], 10000);
	ck_assert_uint_gt(refused[0], 100); /* NaN, infinities, beyond the range */
	ck_assert_uint_gt(refused[1], 10000);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* UTF-8 as the standard defines it, one character at a time: the
 * reference for the facts' check, which takes runs of ASCII and of
 * three-byte characters several bytes per step. */
static bool utf8_reference(const unsigned char *u, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned b = u[i], n, lo = 0x80, hi = 0xBF;
		if (b == 0)
			return false;
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			n = 2;
		else if (b >= 0xE0 && b <= 0xEF)
			n = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
		else if (b >= 0xF0 && b <= 0xF4)
			n = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
		else
			return false;
		if (len - i < n || u[i + 1] < lo || u[i + 1] > hi)
			return false;
		for (unsigned k = 2; k < n; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

/* A text cell is accepted exactly when it is UTF-8 without NUL bytes:
 * runs of three-byte characters (the common E1-EC leads, checked two
 * per step, and the others), ASCII, two- and four-byte characters, cut
 * or spoiled at every position, and each byte of the run replaced. */
START_TEST(test_text_utf8_runs)
{
	rulebook *rb = load("rulebook: 1\n"
			    "id: test.fastpath.utf8\n"
			    "title: {en: utf8}\n"
			    "subject: enterprise\n"
			    "source: {issuer: test, document: test, issued: 2022-01-01}\n"
			    "inputs:\n"
			    "  - {id: town, type: text}\n"
			    "rules:\n"
			    "  - {id: r, cite: x, require: town == \"锦南街道\"}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	size_t town = 0;
	ck_assert_int_eq(rulebook_input_index(rb, "town", 4, &town), RULEBOOK_OK);
	static const char *const pieces[] = {
		"锦", "南", "、", "街道", "a", "07", "é", "\xF0\x9F\x98\x80", "\xE0\xA4\x85",
		"\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBD", "青山湖街道", "abcdefgh",
	};
	static const unsigned char spoil[] = {0x00, 0x41, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0,
					      0xE1, 0xEC, 0xED, 0xEF, 0xF4, 0xF5, 0xFF, 0x7F};
	unsigned char buf[96];
	size_t accepted = 0, refused = 0;
	for (int k = 0; k < 40000; k++) {
		size_t len = 0;
		/* mostly the common three-byte characters, some others */
		while (len < 60) {
			const char *p = pieces[below(10) < 7 ? below(4) : below(14)];
			size_t n = strlen(p);
			memcpy(buf + len, p, n);
			len += n;
			if (below(8) == 0)
				break;
		}
		if (k % 4 != 0 && len) /* one byte spoiled */
			buf[below((int64_t)len)] = spoil[below(sizeof spoil)];
		if (k % 5 == 0 && len) /* cut anywhere, mid-character too */
			len = (size_t)below((int64_t)len + 1);
		bool want = utf8_reference(buf, len);
		rulebook_status st = rulebook_facts_set_text_at(f, town, (const char *)buf, len, NULL);
		REQ_MSG((st == RULEBOOK_OK) == want, "text of %zu bytes %s, should be %s", len,
			st == RULEBOOK_OK ? "accepted" : "refused", want ? "accepted" : "refused");
		if (want) {
			const rb_val *v = &f->vals[town];
			REQ_MSG(v->state == RB_V_OK && v->u.t.len == len &&
					memcmp(v->u.t.s, buf, len) == 0,
				"text of %zu bytes stored wrongly", len);
		}
		want ? accepted++ : refused++;
	}
	ck_assert_uint_gt(accepted, 5000);
	ck_assert_uint_gt(refused, 5000);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* ---------------------------------------------------------------------
 * 2. rb_run_fast on hand-built programs
 * --------------------------------------------------------------------- */

static rb_val fv(double x, double e)
{
	rb_val v = {.state = RB_V_OK};
	v.u.f.x = x;
	v.u.f.e = e;
	return v;
}

static const rb_val missing_val = {.state = RB_V_MISSING};

/* Run one instruction dst = a op b over slots {a, b, dst}. */
static bool fast1(rb_opcode op, rb_val a, rb_val b, rb_val *out)
{
	rb_val s[3] = {a, b, missing_val};
	rb_fins ins = {.op = (uint8_t)op, .dst = 2, .a = 0, .b = 1, .c = 0, .at = 7};
	bool ok = rb_run_fast(&ins, 1, s);
	*out = s[2];
	return ok;
}

static const rb_opcode cmps[6] = {RB_I_NLT, RB_I_NLE, RB_I_NGT, RB_I_NGE, RB_I_NEQ, RB_I_NNE};

static int cmp_truth(rb_opcode op, int c)
{
	switch (op) {
	case RB_I_NLT: return c < 0;
	case RB_I_NLE: return c <= 0;
	case RB_I_NGT: return c > 0;
	case RB_I_NGE: return c >= 0;
	case RB_I_NEQ: return c == 0;
	default: return c != 0;
	}
}

START_TEST(test_run_fast_compare)
{
	rb_val r;
	/* overlapping intervals: never decided */
	for (size_t k = 0; k < 6; k++) {
		REQ_MSG(!fast1(cmps[k], fv(1.0, 1e-9), fv(1.0 + 1e-10, 0), &r), "op %d decided",
			(int)cmps[k]);
		REQ_MSG(!fast1(cmps[k], fv(1.0, 1e-12), fv(1.0, 1e-12), &r), "op %d decided",
			(int)cmps[k]);
		/* touching intervals: both could be 1.5 */
		REQ_MSG(!fast1(cmps[k], fv(1.0, 0.5), fv(2.0, 0.5), &r), "op %d decided", (int)cmps[k]);
		/* an infinite bound decides nothing */
		REQ_MSG(!fast1(cmps[k], fv(0, INFINITY), fv(5, 0), &r), "op %d decided", (int)cmps[k]);
		REQ_MSG(!fast1(cmps[k], fv(1e200, 0), fv(0, INFINITY), &r), "op %d decided",
			(int)cmps[k]);
	}
	/* disjoint intervals: decided, as the values compare */
	for (size_t k = 0; k < 6; k++) {
		ck_assert(fast1(cmps[k], fv(1.0, 0.25), fv(2.0, 0.25), &r));
		ck_assert(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], -1));
		ck_assert(fast1(cmps[k], fv(-3.0, 1e-15), fv(-3.1, 1e-15), &r));
		ck_assert(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], 1));
	}
	/* exact operands (e = 0): equal values compare equal, one ulp apart
	 * compare apart */
	for (size_t k = 0; k < 6; k++) {
		ck_assert(fast1(cmps[k], fv(0.5, 0), fv(0.5, 0), &r));
		REQ_MSG(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], 0), "op %d on 0.5, 0.5",
			(int)cmps[k]);
		ck_assert(fast1(cmps[k], fv(37, 0), fv(37, 0), &r));
		ck_assert(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], 0));
		ck_assert(fast1(cmps[k], fv(1.0, 0), fv(nextafter(1.0, 2.0), 0), &r));
		ck_assert(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], -1));
		ck_assert(fast1(cmps[k], fv(0, 0), fv(-0.0, 0), &r));
		ck_assert(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[k], 0));
	}
	/* missing and error operands propagate, and are decided */
	ck_assert(fast1(RB_I_NLT, missing_val, fv(1, 0), &r));
	ck_assert_int_eq(r.state, RB_V_MISSING);
	rb_val err = {.state = RB_V_ERROR, .err = RB_VERR_DIVZERO, .at = 3};
	ck_assert(fast1(RB_I_NGE, fv(1, 0), err, &r));
	ck_assert(r.state == RB_V_ERROR && r.err == RB_VERR_DIVZERO && r.at == 3);
}
END_TEST

START_TEST(test_run_fast_div_mul)
{
	rb_val r;
	/* division by an exact zero: the exact interpreter's error */
	ck_assert(fast1(RB_I_DIV, fv(3, 0), fv(0, 0), &r));
	ck_assert(r.state == RB_V_ERROR && r.err == RB_VERR_DIVZERO && r.at == 7);
	ck_assert(fast1(RB_I_DIV, fv(3, 1e-10), fv(-0.0, 0), &r));
	ck_assert(r.state == RB_V_ERROR && r.err == RB_VERR_DIVZERO);
	/* 0 / 0 as well, as in decimal.c */
	{
		rb_val s[3] = {{.state = RB_V_OK}, {.state = RB_V_OK}, missing_val};
		s[0].u.d = RB_DEC_ZERO;
		s[1].u.d = RB_DEC_ZERO;
		rb_ins ins = {.op = RB_I_DIV, .dst = 2, .a = 0, .b = 1};
		rb_run_code(&ins, 1, s);
		ck_assert(fast1(RB_I_DIV, fv(0, 0), fv(0, 0), &r));
		ck_assert(r.state == s[2].state && r.err == s[2].err);
	}
	/* a divisor that might be zero: left to the exact path */
	ck_assert(!fast1(RB_I_DIV, fv(3, 0), fv(1e-20, 1e-19), &r));
	ck_assert(!fast1(RB_I_DIV, fv(3, 0), fv(0, 1e-300), &r));
	ck_assert(!fast1(RB_I_DIV, fv(3, 0), fv(1e-20, 1e-20), &r));
	ck_assert(!fast1(RB_I_DIV, fv(3, 0), fv(0, INFINITY), &r));
	/* an ordinary quotient: within its bound */
	ck_assert(fast1(RB_I_DIV, fv(1, 0), fv(4, 0), &r));
	ck_assert(r.state == RB_V_OK && fabs(r.u.f.x - 0.25) <= r.u.f.e);
	ck_assert(fast1(RB_I_DIV, fv(0, 0), fv(7, 1e-3), &r));
	ck_assert(r.state == RB_V_OK && r.u.f.x == 0 && r.u.f.e == 0); /* 0 / y is exactly 0 */
	/* products beyond 10^300 stop the run */
	ck_assert(!fast1(RB_I_MUL, fv(1e200, 0), fv(1e101, 0), &r));
	ck_assert(!fast1(RB_I_MUL, fv(-2e150, 0), fv(1e151, 0), &r));
	ck_assert(!fast1(RB_I_MUL, fv(1e300, 0), fv(1e300, 0), &r)); /* infinity */
	ck_assert(!fast1(RB_I_ADD, fv(9e299, 0), fv(9e299, 0), &r));
	ck_assert(!fast1(RB_I_DIV, fv(1e299, 0), fv(1e-10, 0), &r));
	ck_assert(!fast1(RB_I_ADD, fv(1, INFINITY), fv(1, 0), &r));
	ck_assert(!fast1(RB_I_MUL, fv(0, INFINITY), fv(3, 0), &r)); /* 0 × ∞ bound */
	/* an exact zero factor makes an exact zero, whatever the other bound */
	ck_assert(fast1(RB_I_MUL, fv(0, 0), fv(1e299, 1e290), &r));
	ck_assert(r.state == RB_V_OK && r.u.f.x == 0 && r.u.f.e == 0);
	ck_assert(fast1(RB_I_MUL, fv(0, INFINITY), fv(0, 0), &r));
	ck_assert(r.state == RB_V_OK && r.u.f.x == 0 && r.u.f.e == 0);
	/* a product of two exact numbers stays within its bound */
	ck_assert(fast1(RB_I_MUL, fv(1.5, 0), fv(-4, 0), &r));
	ck_assert(r.state == RB_V_OK && fabs(r.u.f.x + 6) <= r.u.f.e);
	/* missing operands propagate; division by zero of a missing value is missing */
	ck_assert(fast1(RB_I_DIV, missing_val, fv(0, 0), &r));
	ck_assert_int_eq(r.state, RB_V_MISSING);
}
END_TEST

/* round(a, places, mode) as one instruction. */
static bool fast_round(rb_val a, int places, rb_dec_rounding mode, rb_val *out)
{
	rb_val s[2] = {a, missing_val};
	rb_fins ins = {.op = RB_I_ROUND, .dst = 1, .a = 0, .b = 0, .mode = (uint8_t)mode,
		       .places = (int16_t)places, .at = 1};
	ins.k = pow(10, abs(places));
	bool ok = rb_run_fast(&ins, 1, s);
	*out = s[1];
	return ok;
}

START_TEST(test_run_fast_round)
{
	rb_val r;
	rb_val a = from_dec(2344, -3); /* 2.344 → 2.34 */
	ck_assert(fast_round(a, 2, RB_ROUND_HALF_UP, &r));
	ck_assert(r.state == RB_V_OK && r.u.f.x == 2.34 && r.u.f.e > 0);
	ck_assert(fabsl((long double)r.u.f.x - 2.34L) <= (long double)r.u.f.e);
	/* 2.345 is a half: half up gives 2.35, half even 2.34; only the exact
	 * decimal can tell */
	ck_assert(!fast_round(from_dec(2345, -3), 2, RB_ROUND_HALF_UP, &r));
	ck_assert(!fast_round(from_dec(2345, -3), 2, RB_ROUND_HALF_EVEN, &r));
	ck_assert(!fast_round(fv(2.5, 0), 0, RB_ROUND_HALF_UP, &r));
	ck_assert(!fast_round(from_dec(37005, -3), 2, RB_ROUND_HALF_UP, &r));
	/* -2.7: floor -3, ceiling -2, towards zero -2, half up -3 */
	a = from_dec(-27, -1);
	ck_assert(fast_round(a, 0, RB_ROUND_FLOOR, &r) && r.u.f.x == -3);
	ck_assert(fast_round(a, 0, RB_ROUND_CEILING, &r) && r.u.f.x == -2);
	ck_assert(fast_round(a, 0, RB_ROUND_DOWN, &r) && r.u.f.x == -2);
	ck_assert(fast_round(a, 0, RB_ROUND_HALF_UP, &r) && r.u.f.x == -3);
	/* 1234.5 to hundreds: 1200 */
	ck_assert(fast_round(from_dec(12345, -1), -2, RB_ROUND_HALF_UP, &r) && r.u.f.x == 1200);
	/* an exact zero rounds to an exact zero */
	ck_assert(fast_round(fv(0, 0), 2, RB_ROUND_HALF_UP, &r));
	ck_assert(r.u.f.x == 0 && r.u.f.e == 0);
	/* too many places to scale (k = 0): left to the exact path */
	rb_val s[2] = {fv(1.25, 0), missing_val};
	rb_fins ins = {.op = RB_I_ROUND, .dst = 1, .a = 0, .places = 0, .k = 0};
	ck_assert(!rb_run_fast(&ins, 1, s));
	/* a bound wider than the distance to a half: undecided */
	ck_assert(!fast_round(fv(2.3449, 1e-3), 2, RB_ROUND_HALF_UP, &r));
	/* missing stays missing */
	ck_assert(fast_round(missing_val, 2, RB_ROUND_HALF_UP, &r) && r.state == RB_V_MISSING);
}
END_TEST

/* A short program: s3 = s0 / s1; s4 = s3 >= s2; s5 = not s4. */
START_TEST(test_run_fast_program)
{
	rb_fins prog[3] = {
		{.op = RB_I_DIV, .dst = 3, .a = 0, .b = 1, .at = 0},
		{.op = RB_I_NGE, .dst = 4, .a = 3, .b = 2, .at = 1},
		{.op = RB_I_NOT, .dst = 5, .a = 4, .b = 4, .at = 2},
	};
	rb_val s[6];
	/* 1158.1 / 31.3 is exactly 37: too close for doubles */
	s[0] = from_dec(11581, -1);
	s[1] = from_dec(313, -1);
	s[2] = from_dec(37, 0);
	ck_assert(!rb_run_fast(prog, 3, s));
	/* 1158.2 / 31.3 = 37.003…: decided */
	s[0] = from_dec(11582, -1);
	ck_assert(rb_run_fast(prog, 3, s));
	ck_assert(s[4].state == RB_V_OK && s[4].u.b == 1 && s[5].u.b == 0);
	/* 1158.0 / 31.3 = 36.996…: decided */
	s[0] = from_dec(11580, -1);
	ck_assert(rb_run_fast(prog, 3, s));
	ck_assert(s[4].state == RB_V_OK && s[4].u.b == 0 && s[5].u.b == 1);
	/* 148 / 4 = 37 with exact operands: the quotient is exactly 37 */
	s[0] = from_dec(148, 0);
	s[1] = from_dec(4, 0);
	if (rb_run_fast(prog, 3, s))
		ck_assert(s[4].state == RB_V_OK && s[4].u.b == 1);
	/* division by zero reaches the verdict as an error */
	s[0] = from_dec(148, 0);
	s[1] = from_dec(0, 0);
	ck_assert(rb_run_fast(prog, 3, s));
	ck_assert(s[3].state == RB_V_ERROR && s[3].err == RB_VERR_DIVZERO && s[3].at == 0);
	ck_assert(s[5].state == RB_V_ERROR && s[5].err == RB_VERR_DIVZERO);
	/* a missing divisor: missing */
	s[1] = missing_val;
	ck_assert(rb_run_fast(prog, 3, s));
	ck_assert(s[5].state == RB_V_MISSING);
}
END_TEST

/* ---- the bounds hold on random operands ---- */

static rb_dec random_dec(int32_t lo, int32_t hi)
{
	int digits = next() % 2 ? 1 + (int)below(6) : 1 + (int)below(18);
	int64_t c = coef_of(digits);
	if (next() % 5 == 0)
		c = c / 1000 * 1000;
	if (next() % 2)
		c = -c;
	if (next() % 17 == 0)
		c = 0;
	return (rb_dec){c, lo + (int32_t)below(hi - lo + 1)};
}

/* A value near b: equal, equal with another exponent, or one unit away
 * in its last digit. */
static rb_dec near(rb_dec b)
{
	switch (next() % 4) {
	case 0: return b;
	case 1:
		if (b.coef > -p10[17] && b.coef < p10[17])
			return (rb_dec){b.coef * 10, b.exp - 1};
		return b;
	case 2: return (rb_dec){b.coef + 1 < p10[18] ? b.coef + 1 : b.coef - 1, b.exp};
	default: return (rb_dec){b.coef - 1 > -p10[18] ? b.coef - 1 : b.coef + 1, b.exp};
	}
}

/* The fast value of an exact decimal, optionally with an extra error: x is
 * moved by up to a quarter of a bound of 2^-40 relative. */
static rb_val fast_of(rb_dec d, bool blur)
{
	rb_val v;
	rb_fast_from_dec(d, &v);
	if (blur && d.coef != 0 && isfinite(v.u.f.e)) {
		double x = v.u.f.x, e = fabs(x) * 0x1p-40;
		double shift = ((double)below(2001) - 1000) / 4000.0 * e;
		v.u.f.x = x + shift;
		v.u.f.e = e + v.u.f.e;
	}
	return v;
}

static void check_within(const char *what, rb_dec a, rb_dec b, rb_val got, rb_dec want)
{
	REQ_MSG(got.state == RB_V_OK, "%s of %lld e%d and %lld e%d: state %d, exact value",
		what, (long long)a.coef, a.exp, (long long)b.coef, b.exp, got.state);
	long double w = dec_ld(want);
	long double dist = fabsl((long double)got.u.f.x - w);
	REQ_MSG(dist <= (long double)got.u.f.e * (1 + 0x1p-30L) + fabsl(w) * 0x1p-60L,
		"%s of %lld e%d and %lld e%d: exact %lld e%d, fast %a ± %a (off by %Lg)", what,
		(long long)a.coef, a.exp, (long long)b.coef, b.exp, (long long)want.coef, want.exp,
		got.u.f.x, got.u.f.e, dist);
}

START_TEST(test_run_fast_bounds_hold)
{
	static const rb_opcode arith[] = {RB_I_ADD, RB_I_SUB, RB_I_MUL, RB_I_DIV, RB_I_MIN, RB_I_MAX};
	size_t decided_cmp = 0, undecided_cmp = 0;
	for (int k = 0; k < 60000; k++) {
		bool blur = k % 3 == 0;
		rb_dec a = random_dec(-12, 12), b = k % 4 == 0 ? near(a) : random_dec(-12, 12);
		rb_val fa = fast_of(a, blur), fb = fast_of(b, blur && k % 2);
		rb_val r;
		for (size_t j = 0; j < sizeof arith / sizeof arith[0]; j++) {
			rb_val s[3] = {{.state = RB_V_OK}, {.state = RB_V_OK}, missing_val};
			s[0].u.d = a;
			s[1].u.d = b;
			rb_ins ins = {.op = (uint16_t)arith[j], .dst = 2, .a = 0, .b = 1};
			rb_run_code(&ins, 1, s);
			if (!fast1(arith[j], fa, fb, &r))
				continue;
			if (s[2].state != RB_V_OK) {
				REQ_MSG(r.state == s[2].state && r.err == s[2].err,
					"op %d of %lld e%d and %lld e%d: fast state %d, exact %d",
					(int)arith[j], (long long)a.coef, a.exp, (long long)b.coef, b.exp,
					r.state, s[2].state);
				continue;
			}
			check_within(arith[j] == RB_I_DIV ? "quotient" : "result", a, b, r, s[2].u.d);
		}
		/* conversion a × num / den */
		{
			int64_t num = 1 + below(100000), den = 1 + below(k % 2 ? 1 : 100000);
			rb_val s[3] = {{.state = RB_V_OK}, {.state = RB_V_OK}, missing_val};
			s[0].u.d = a;
			rb_ins ins = {.op = RB_I_CONV, .dst = 2, .a = 0, .b = 0, .num = num, .den = den};
			rb_run_code(&ins, 1, s);
			rb_val fs[3] = {fa, fa, missing_val};
			rb_fins fi = {.op = RB_I_CONV, .dst = 2, .a = 0, .b = 0};
			fi.k = (double)num / (double)den;
			if (rb_run_fast(&fi, 1, fs) && s[2].state == RB_V_OK)
				check_within("conversion", a, (rb_dec){num, 0}, fs[2], s[2].u.d);
		}
		/* round(a, places, mode), every mode */
		{
			int places = -3 + (int)below(10);
			rb_dec_rounding mode = (rb_dec_rounding)below(5);
			rb_dec want;
			if (rb_dec_round(a, places, mode, &want) == RB_DEC_OK &&
			    fast_round(fa, places, mode, &r))
				check_within("round", a, (rb_dec){places, (int32_t)mode}, r, want);
		}
		/* comparisons: decided only as the exact values compare */
		int c = rb_dec_cmp(a, b);
		for (size_t j = 0; j < 6; j++) {
			if (!fast1(cmps[j], fa, fb, &r)) {
				undecided_cmp++;
				continue;
			}
			decided_cmp++;
			REQ_MSG(r.state == RB_V_OK && r.u.b == cmp_truth(cmps[j], c),
				"comparison %d of %lld e%d and %lld e%d decided wrongly", (int)cmps[j],
				(long long)a.coef, a.exp, (long long)b.coef, b.exp);
		}
	}
	ck_assert_uint_gt(decided_cmp, 100000);
	ck_assert_uint_gt(undecided_cmp, 10000);
}
END_TEST

/* ---------------------------------------------------------------------
 * 3. Verdict identity through the API
 * --------------------------------------------------------------------- */

/* The scorecard follows bench/bench.yaml, whose test cases give records
 * exactly on the A and B cut-offs. */
static const char *const main_yaml =
	"rulebook: 1\n"
	"id: test.fastpath\n"
	"title: {en: fast path}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2022-01-01}\n"
	"in_force: {from: 2022-01-01}\n"
	"inputs:\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: value_added, type: number, unit: 万元}\n"
	"  - {id: revenue, type: number, unit: 万元}\n"
	"  - {id: rd_expense, type: number, unit: 万元}\n"
	"  - {id: energy_use, type: number, unit: tce(等价值)}\n"
	"  - {id: employees, type: integer, unit: 人}\n"
	"  - {id: is_key, type: boolean}\n"
	"  - {id: floor_area, type: number, unit: m²}\n"
	"  - {id: company, type: text}\n"
	"  - {id: sector, type: enum, values: [纺织, 化工, 装备制造]}\n"
	"  - {id: opened, type: date}\n"
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 37}\n"
	"  - {id: min_rd_share, unit: \"%\", cite: x, provenance: cited, value: 2.3}\n"
	"  - {id: min_land, unit: m², cite: x, provenance: cited, value: 3000}\n"
	"  - {id: max_intensity, unit: tce(等价值)/万元, cite: x, provenance: cited, value: 0.52}\n"
	"  - {id: min_plot_ratio, cite: x, provenance: cited, value: 1.2}\n"
	"  - {id: bench_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 30}\n"
	"  - {id: bench_mu_va, unit: 万元/亩, cite: x, provenance: cited, value: 150}\n"
	"  - {id: bench_prod, unit: 万元/(人·年), cite: x, provenance: cited, value: 30}\n"
	"  - {id: bench_rd, unit: \"%\", cite: x, provenance: cited, value: 3}\n"
	"  - {id: bench_va_per_tce, unit: 万元/tce(等价值), cite: x, provenance: cited, value: 2}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"  - {id: mu_va, expr: value_added / land_area, unit: 万元/亩}\n"
	"  - {id: productivity, expr: \"value_added / (employees * 1 [年])\", unit: 万元/(人·年)}\n"
	"  - {id: rd_share, expr: rd_expense / revenue, unit: \"%\"}\n"
	"  - {id: intensity, expr: energy_use / value_added, unit: tce(等价值)/万元}\n"
	"  - {id: va_per_tce, expr: value_added / energy_use, unit: 万元/tce(等价值)}\n"
	"  - {id: mu_tax_r, expr: \"round(mu_tax, 2)\", unit: 万元/亩}\n"
	"  - {id: plot_ratio, expr: floor_area / land_area}\n"
	"  - {id: is_hcle, expr: intensity > 0.8 and mu_tax < 10}\n"
	"rules:\n"
	"  - {id: mu_tax_ge, cite: x, require: mu_tax >= min_mu_tax}\n"
	"  - {id: mu_tax_gt, cite: x, require: mu_tax > min_mu_tax}\n"
	"  - {id: rounded, cite: x, require: mu_tax_r >= 37.01}\n"
	"  - {id: rd, cite: x, require: rd_share > min_rd_share}\n"
	"  - {id: land, cite: x, require: land_area >= min_land}\n"
	"  - {id: land_ha, cite: x, require: \"land_area <= 0.6 [公顷]\"}\n"
	"  - id: energy\n"
	"    cite: x\n"
	"    require: intensity <= max_intensity\n"
	"    unless: [{id: key, when: is_key, cite: x}]\n"
	"  - id: logic\n"
	"    cite: x\n"
	"    when: not is_hcle or is_key\n"
	"    require: productivity >= 33 or (mu_va >= 180 and not (rd_share < 1%))\n"
	"  - {id: plot, cite: x, require: plot_ratio >= min_plot_ratio}\n"
	"  - {id: minmax, cite: x, require: \"min(mu_tax, mu_va) * 2 >= max(mu_tax, 20)\"}\n"
	"  - {id: near, cite: x, require: \"abs(mu_tax - min_mu_tax) <= 1\"}\n"
	"  - {id: not_five, cite: x, require: \"rd_share != 5%\"}\n"
	"  - {id: named, cite: x, when: company != \"shell\", require: mu_tax >= 10}\n"
	"  - {id: sector, cite: x, when: sector == \"化工\", require: rd_share > 3%}\n"
	"  - {id: new_firm, cite: x, when: opened >= date(\"2022-01-01\"), require: tax > 0}\n"
	"  - id: coalesce\n"
	"    cite: x\n"
	"    require: coalesce(rd_expense, 0 [万元]) <= revenue * 50% or missing(revenue)\n"
	"scorecards:\n"
	"  - id: mujun\n"
	"    cite: x\n"
	"    scope: land_area >= 5\n"
	"    components:\n"
	"      - {id: tax, value: mu_tax, benchmark: bench_mu_tax, weight: 30, cap: 1.5}\n"
	"      - {id: va, value: mu_va, benchmark: bench_mu_va, weight: 20, cap: 1.5}\n"
	"      - {id: prod, value: productivity, benchmark: bench_prod, weight: 20, cap: 1.5}\n"
	"      - {id: rd, value: rd_share, benchmark: bench_rd, weight: 15, cap: 2, missing: zero}\n"
	"      - {id: energy, value: va_per_tce, benchmark: bench_va_per_tce, weight: 15, cap: 1.5}\n"
	"    vetoes:\n"
	"      - {id: hcle, when: is_hcle, cite: x, class: D}\n"
	"    classes:\n"
	"      - {id: A, min: 90}\n"
	"      - {id: B, min: 70}\n"
	"      - {id: C, min: 50}\n"
	"      - {id: D}\n";

enum { I_LAND, I_TAX, I_VA, I_REV, I_RD, I_ENERGY, I_EMP, I_KEY, I_FLOOR, I_COMPANY, I_SECTOR,
       I_OPENED, NIN };
static const char *const in_names[NIN] = {"land_area", "tax",      "value_added", "revenue",
					  "rd_expense", "energy_use", "employees", "is_key",
					  "floor_area", "company",  "sector",      "opened"};
enum { R_GE, R_GT, R_ROUND, R_RD, R_LAND, R_LAND_HA, R_ENERGY, R_LOGIC, R_PLOT, R_MINMAX,
       R_NEAR, R_NOT5, R_NAMED, R_SECTOR, R_NEW, R_COALESCE, NRULES };

/* Inputs set as text, not as decimals. */
static bool textual(int i)
{
	return i == I_KEY || i == I_COMPANY || i == I_SECTOR || i == I_OPENED;
}

#define AS_OF 20230630

typedef struct record {
	char v[NIN][48];
	bool set[NIN];
} record;

static void rec_set(record *r, int i, const char *text)
{
	if (!text) {
		r->set[i] = false;
		return;
	}
	snprintf(r->v[i], sizeof r->v[i], "%s", text);
	r->set[i] = true;
}

static void apply(const rulebook *rb, rulebook_facts *f, const record *r)
{
	rulebook_facts_clear(f);
	for (int i = 0; i < NIN; i++) {
		if (!r->set[i])
			continue;
		size_t idx;
		ck_assert_int_eq(rulebook_input_index(rb, in_names[i], strlen(in_names[i]), &idx),
				 RULEBOOK_OK);
		rulebook_status st =
			textual(i) ? rulebook_facts_set_text_at(f, idx, r->v[i], strlen(r->v[i]), NULL)
				   : rulebook_facts_set_decimal_at(f, idx, r->v[i], strlen(r->v[i]), NULL);
		REQ_MSG(st == RULEBOOK_OK, "setting %s to '%s': %s", in_names[i], r->v[i],
			rulebook_status_str(st));
	}
}

/* A plain decimal with `places` decimals, from an integer count of units. */
static void fixed(char *buf, size_t size, int64_t units, int places)
{
	int64_t p = p10[places];
	if (places == 0)
		snprintf(buf, size, "%lld", (long long)units);
	else
		snprintf(buf, size, "%s%lld.%0*lld", units < 0 ? "-" : "", (long long)(llabs(units) / p),
			 places, (long long)(llabs(units) % p));
}

static void rand_fixed(record *r, int i, int64_t max_units, int places)
{
	char buf[48];
	fixed(buf, sizeof buf, 1 + below(max_units), places);
	rec_set(r, i, buf);
}

/* An ordinary record: every input present, nothing near a threshold on
 * purpose, every divisor nonzero. */
static void ordinary(record *r)
{
	memset(r, 0, sizeof *r);
	rand_fixed(r, I_LAND, 20000, 1);     /* 0.1 .. 2000 亩 */
	rand_fixed(r, I_TAX, 10000000, 2);   /* .. 100000 万元 */
	rand_fixed(r, I_VA, 50000000, 2);
	rand_fixed(r, I_REV, 100000000, 2);
	rand_fixed(r, I_RD, 5000000, 2);
	rand_fixed(r, I_ENERGY, 10000000, 2);
	rand_fixed(r, I_EMP, 5000, 0);
	rec_set(r, I_KEY, next() % 4 == 0 ? "true" : "false");
	rand_fixed(r, I_FLOOR, 100000000, 2);
	static const char *const companies[] = {"shell", "杭州某某科技有限公司", "acme", ""};
	static const char *const sectors[] = {"纺织", "化工", "装备制造"};
	static const char *const opened[] = {"2019-03-01", "2021-12-31", "2022-01-01", "2023-06-30"};
	rec_set(r, I_COMPANY, companies[below(4)]);
	rec_set(r, I_SECTOR, sectors[below(3)]);
	rec_set(r, I_OPENED, opened[below(4)]);
}

/* Any value a record might carry: missing, zero, huge, tiny, beyond the
 * exponents the fast path converts, 15 to 18 significant digits, with a
 * unit, or ordinary. */
static void wild_value(record *r, int i)
{
	char buf[48];
	int64_t c;
	switch (next() % 16) {
	case 0: rec_set(r, i, NULL); return;
	case 1: rec_set(r, i, "0"); return;
	case 2: rec_set(r, i, next() % 2 ? "1e250" : "1e-250"); return;
	case 3: rec_set(r, i, next() % 2 ? "1e30" : "3.7e-30"); return;
	case 4:
	case 5:
	case 6:
	case 7: {
		int digits = 15 + (int)below(4);
		c = coef_of(digits);
		snprintf(buf, sizeof buf, "%llde%d", (long long)c, -digits + (int)below(7));
		rec_set(r, i, buf);
		return;
	}
	case 8:
		if (i == I_LAND) {
			fixed(buf, sizeof buf, 1 + below(10000000), 2);
			strcat(buf, " m²");
			rec_set(r, i, buf);
			return;
		}
		break;
	default: break;
	}
	fixed(buf, sizeof buf, 1 + below(1000000), 2);
	rec_set(r, i, buf);
}

static void wild(record *r)
{
	ordinary(r);
	int n = 1 + (int)below(4);
	for (int k = 0; k < n; k++) {
		int i = (int)below(NIN);
		if (textual(i)) {
			if (next() % 2)
				rec_set(r, i, NULL);
			else if (i == I_KEY)
				rec_set(r, i, "true");
			continue;
		}
		if (i == I_EMP) {
			static const char *const emp[] = {NULL, "0", "1", "313", "999999999999999999"};
			rec_set(r, i, emp[below(5)]);
			continue;
		}
		wild_value(r, i);
	}
}

/* The record of bench/bench.yaml's cases, all inputs given. */
static void base_record(record *r)
{
	memset(r, 0, sizeof *r);
	rec_set(r, I_LAND, "31.3");
	rec_set(r, I_TAX, "1158.1");
	rec_set(r, I_VA, "5634");
	rec_set(r, I_REV, "39180");
	rec_set(r, I_RD, "901.14");
	rec_set(r, I_ENERGY, "2929.68");
	rec_set(r, I_EMP, "313");
	rec_set(r, I_KEY, "false");
	rec_set(r, I_FLOOR, "25040");
	rec_set(r, I_COMPANY, "acme");
	rec_set(r, I_SECTOR, "纺织");
	rec_set(r, I_OPENED, "2020-01-01");
}

typedef struct expect {
	int rule;
	rulebook_verdict v;
} expect;

/* Evaluate a record both ways, check the verdicts given by hand, and
 * whether the fast path must leave it to the exact interpreter. */
static bool check_record(const rulebook *rb, rulebook_facts *f, rulebook_result *fr,
			 rulebook_result *er, const record *r, const char *what, const expect *ex,
			 size_t nex, bool must_fall_back)
{
	apply(rb, f, r);
	bool decided = eval_both(rb, f, AS_OF, fr, er, what);
	for (size_t k = 0; k < nex; k++) {
		rulebook_verdict got = rulebook_result_verdict(er, (size_t)ex[k].rule);
		REQ_MSG(got == ex[k].v, "%s: rule %s is %s, expected %s", what,
			rulebook_rule_id(rb, (size_t)ex[k].rule), rulebook_verdict_str(got),
			rulebook_verdict_str(ex[k].v));
	}
	if (must_fall_back)
		REQ_MSG(!decided, "%s: decided by the fast path although binary cannot settle it",
			what);
	return decided;
}

/* T = 37 × L/10 exactly, written with 17 significant digits, then moved by
 * `off` units of the 17th digit: 37 × land, just above, just below. */
static void tax_on_threshold(char *buf, size_t size, int64_t L, int off, int64_t per)
{
	rb_dec t = {per * L, -1};
	while (t.coef < p10[16]) {
		t.coef *= 10;
		t.exp--;
	}
	t.coef += off;
	rb_dec_format(t, buf, size);
}

START_TEST(test_identity_thresholds)
{
	rulebook *rb = load(main_yaml);
	ck_assert_uint_eq(rulebook_rule_count(rb), NRULES);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	record r;
	char what[160];

	/* mu_tax exactly 37, and one unit of the 17th digit above and below,
	 * for many land areas */
	size_t at_threshold = 0;
	for (int64_t L = 3; L <= 30000; L += 37) {
		for (int off = -1; off <= 1; off++) {
			char tax[48], land[48];
			base_record(&r);
			fixed(land, sizeof land, L, 1);
			rec_set(&r, I_LAND, land);
			tax_on_threshold(tax, sizeof tax, L, off, 37);
			rec_set(&r, I_TAX, tax);
			expect ex[2] = {
				{R_GE, off >= 0 ? RULEBOOK_PASS : RULEBOOK_FAIL},
				{R_GT, off > 0 ? RULEBOOK_PASS : RULEBOOK_FAIL},
			};
			snprintf(what, sizeof what, "land %s, tax %s", land, tax);
			/* L/10 is not a binary fraction unless 5 divides L */
			check_record(rb, f, fr, er, &r, what, ex, 2, off == 0 && L % 5 != 0);
			if (off == 0)
				at_threshold++;
		}
	}
	ck_assert_uint_gt(at_threshold, 500);

	/* the bench record: 1158.1 / 31.3 = 37; 901.14 / 39180 = 2.3 %;
	 * 2929.68 / 5634 = 0.52; 25040 m² / 31.3 亩 = 1.2 */
	base_record(&r);
	{
		expect ex[] = {{R_GE, RULEBOOK_PASS},     {R_GT, RULEBOOK_FAIL},
			       {R_ROUND, RULEBOOK_FAIL},  {R_RD, RULEBOOK_FAIL},
			       {R_LAND, RULEBOOK_PASS},   {R_ENERGY, RULEBOOK_PASS},
			       {R_PLOT, RULEBOOK_PASS},   {R_NEAR, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "bench record", ex, sizeof ex / sizeof ex[0], true);
		ck_assert_str_eq(rulebook_result_value(fr, "mu_tax"), "37");
		ck_assert_str_eq(rulebook_result_value(fr, "rd_share"), "2.3");
		ck_assert_str_eq(rulebook_result_value(fr, "intensity"), "0.52");
		ck_assert_str_eq(rulebook_result_value(fr, "plot_ratio"), "1.2");
	}
	/* R&D share exactly 2.3 % of a revenue, then one unit above */
	base_record(&r);
	rec_set(&r, I_TAX, "5000");
	{
		expect ex[] = {{R_RD, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "R&D share exactly 2.3 %", ex, 1, true);
		rec_set(&r, I_RD, "901.140000000001");
		expect ex2[] = {{R_RD, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "R&D share just above 2.3 %", ex2, 1, false);
		rec_set(&r, I_RD, "901.139999999999");
		expect ex3[] = {{R_RD, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "R&D share just below 2.3 %", ex3, 1, false);
	}
	/* land exactly 3000 m² = 4.5 亩; 0.6 公顷 = 9 亩; given in m² too */
	base_record(&r);
	rec_set(&r, I_LAND, "4.5");
	{
		expect ex[] = {{R_LAND, RULEBOOK_PASS}, {R_LAND_HA, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "land 4.5 亩", ex, 2, false);
		rec_set(&r, I_LAND, "2999.99999999999 m²");
		expect ex2[] = {{R_LAND, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land just under 3000 m²", ex2, 1, false);
		rec_set(&r, I_LAND, "3000 m²");
		expect ex3[] = {{R_LAND, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "land 3000 m²", ex3, 1, false);
		rec_set(&r, I_LAND, "9");
		expect ex4[] = {{R_LAND_HA, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "land 9 亩", ex4, 1, false);
		rec_set(&r, I_LAND, "9.00000000000001");
		expect ex5[] = {{R_LAND_HA, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land just over 9 亩", ex5, 1, false);
		/* 20000 m² is 30 亩 exactly; 1110 / 30 = 37 */
		rec_set(&r, I_LAND, "20000 m²");
		rec_set(&r, I_TAX, "1110");
		expect ex6[] = {{R_GE, RULEBOOK_PASS}, {R_GT, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land 20000 m², tax 1110", ex6, 2, false);
	}
	/* energy intensity exactly 0.52: passes; just over fails unless exempt;
	 * with the exemption undecided (is_key missing) it is unknown */
	base_record(&r);
	rec_set(&r, I_ENERGY, "2929.68000000001");
	{
		expect ex[] = {{R_ENERGY, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "intensity just over 0.52", ex, 1, false);
		rec_set(&r, I_KEY, "true");
		expect ex2[] = {{R_ENERGY, RULEBOOK_EXEMPT}};
		check_record(rb, f, fr, er, &r, "intensity over 0.52, exempt", ex2, 1, false);
		ck_assert_str_eq(rulebook_result_exception(fr, R_ENERGY), "key");
		rec_set(&r, I_KEY, NULL);
		expect ex3[] = {{R_ENERGY, RULEBOOK_UNKNOWN}};
		check_record(rb, f, fr, er, &r, "intensity over 0.52, exemption unknown", ex3, 1,
			     false);
	}
	/* plot ratio exactly 1.2 with land in 亩 and floor area in m² */
	base_record(&r);
	rec_set(&r, I_LAND, "15");
	rec_set(&r, I_FLOOR, "12000");
	{
		expect ex[] = {{R_PLOT, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "plot ratio 1.2", ex, 1, false);
		rec_set(&r, I_FLOOR, "11999.9999999999");
		expect ex2[] = {{R_PLOT, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "plot ratio just under 1.2", ex2, 1, false);
	}
	/* round(mu_tax, 2) on a half: 74.01 / 2 = 37.005 rounds to 37.01 */
	base_record(&r);
	rec_set(&r, I_LAND, "2");
	rec_set(&r, I_TAX, "74.01");
	{
		expect ex[] = {{R_ROUND, RULEBOOK_PASS}, {R_GT, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "round(37.005, 2)", ex, 2, true);
		ck_assert_str_eq(rulebook_result_value(fr, "mu_tax_r"), "37.01");
		rec_set(&r, I_TAX, "74.0099999999998");
		expect ex2[] = {{R_ROUND, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "round(37.0049999999999, 2)", ex2, 1, false);
		ck_assert_str_eq(rulebook_result_value(fr, "mu_tax_r"), "37");
		rec_set(&r, I_TAX, "74.02"); /* 37.01 exactly, already rounded */
		expect ex3[] = {{R_ROUND, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "round(37.01, 2)", ex3, 1, true);
	}
	/* scores exactly on the A and B cut-offs (bench/bench.yaml):
	 * 45 capped → 45; 150 → 20; 15 → 10; R&D 0 → 0; 2 → 15: 90 */
	base_record(&r);
	rec_set(&r, I_TAX, "1408.5");
	rec_set(&r, I_VA, "4695");
	rec_set(&r, I_REV, "18780");
	rec_set(&r, I_RD, "0");
	rec_set(&r, I_ENERGY, "2347.5");
	check_record(rb, f, fr, er, &r, "score 90", NULL, 0, true);
	ck_assert_str_eq(rulebook_result_class(er, 0), "A");
	ck_assert_str_eq(rulebook_result_score(er, 0), "90");
	/* 30 → 30; 112.5 → 15; 15 → 10; 0; 2 → 15: 70 */
	base_record(&r);
	rec_set(&r, I_LAND, "31.2");
	rec_set(&r, I_TAX, "936");
	rec_set(&r, I_VA, "3510");
	rec_set(&r, I_REV, "14040");
	rec_set(&r, I_RD, "0");
	rec_set(&r, I_ENERGY, "1755");
	rec_set(&r, I_EMP, "234");
	check_record(rb, f, fr, er, &r, "score 70", NULL, 0, true);
	ck_assert_str_eq(rulebook_result_class(er, 0), "B");
	ck_assert_str_eq(rulebook_result_score(er, 0), "70");
	/* the veto: intensity 1500 / 1000 > 0.8 and 100 / 20 < 10 */
	base_record(&r);
	rec_set(&r, I_LAND, "20");
	rec_set(&r, I_TAX, "100");
	rec_set(&r, I_VA, "1000");
	rec_set(&r, I_ENERGY, "1500");
	check_record(rb, f, fr, er, &r, "veto", NULL, 0, false);
	ck_assert_str_eq(rulebook_result_class(er, 0), "D");
	ck_assert_str_eq(rulebook_result_veto(er, 0), "hcle");

	/* zero divisors, missing inputs, huge, tiny and far exponents */
	base_record(&r);
	rec_set(&r, I_LAND, "0");
	{
		expect ex[] = {{R_GE, RULEBOOK_ERROR}, {R_PLOT, RULEBOOK_ERROR}, {R_LAND, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land 0", ex, 3, false);
	}
	base_record(&r);
	rec_set(&r, I_REV, "0");
	{
		expect ex[] = {{R_RD, RULEBOOK_ERROR}};
		check_record(rb, f, fr, er, &r, "revenue 0", ex, 1, false);
	}
	base_record(&r);
	rec_set(&r, I_VA, "0");
	{
		expect ex[] = {{R_ENERGY, RULEBOOK_ERROR}};
		check_record(rb, f, fr, er, &r, "value added 0", ex, 1, false);
	}
	base_record(&r);
	rec_set(&r, I_EMP, "0");
	check_record(rb, f, fr, er, &r, "employees 0", NULL, 0, false);
	base_record(&r);
	rec_set(&r, I_TAX, NULL);
	{
		expect ex[] = {{R_GE, RULEBOOK_UNKNOWN}, {R_RD, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "tax missing", ex, 2, false);
	}
	base_record(&r);
	rec_set(&r, I_TAX, "1e250");
	{
		expect ex[] = {{R_GE, RULEBOOK_PASS}, {R_GT, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "tax 1e250", ex, 2, false);
	}
	base_record(&r);
	rec_set(&r, I_LAND, "1e-250");
	{
		expect ex[] = {{R_GE, RULEBOOK_PASS}, {R_LAND, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land 1e-250", ex, 2, false);
	}
	base_record(&r);
	rec_set(&r, I_TAX, "1e-250");
	rec_set(&r, I_LAND, "1e250");
	{
		/* 1e-500 is below the decimal range: zero */
		expect ex[] = {{R_GE, RULEBOOK_FAIL}, {R_LAND, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "tax 1e-250 on 1e250 亩", ex, 2, false);
		ck_assert_str_eq(rulebook_result_value(fr, "mu_tax"), "0");
	}
	base_record(&r);
	rec_set(&r, I_TAX, "9e300");
	rec_set(&r, I_LAND, "1e-20");
	{
		/* 9e320 is beyond the decimal range: an error */
		expect ex[] = {{R_GE, RULEBOOK_ERROR}};
		check_record(rb, f, fr, er, &r, "tax 9e300 on 1e-20 亩", ex, 1, false);
		ck_assert_str_eq(rulebook_result_error(fr, R_GE), "number out of the decimal range");
	}
	base_record(&r);
	rec_set(&r, I_LAND, "1e30");
	{
		expect ex[] = {{R_GE, RULEBOOK_FAIL}, {R_LAND, RULEBOOK_PASS}, {R_LAND_HA, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "land 1e30", ex, 3, false);
	}
	/* 18 significant digits exactly on the threshold: 370000000000000000e-16 × land */
	base_record(&r);
	rec_set(&r, I_LAND, "1");
	rec_set(&r, I_TAX, "37.0000000000000000");
	{
		expect ex[] = {{R_GE, RULEBOOK_PASS}, {R_GT, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "tax 37.0000000000000000 on 1 亩", ex, 2, false);
		rec_set(&r, I_TAX, "37.0000000000000001");
		expect ex2[] = {{R_GE, RULEBOOK_PASS}, {R_GT, RULEBOOK_PASS}};
		check_record(rb, f, fr, er, &r, "tax 37.0000000000000001 on 1 亩", ex2, 2, false);
		rec_set(&r, I_TAX, "36.9999999999999999");
		expect ex3[] = {{R_GE, RULEBOOK_FAIL}, {R_GT, RULEBOOK_FAIL}};
		check_record(rb, f, fr, er, &r, "tax 36.9999999999999999 on 1 亩", ex3, 2, true);
	}

	free_all(rb, f, fr, er);
}
END_TEST

START_TEST(test_identity_random)
{
	rulebook *rb = load(main_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	record r;
	char what[64];
	size_t n = 0, decided = 0;
	score_double_binary = 0;
	for (int k = 0; k < 4000; k++) {
		ordinary(&r);
		apply(rb, f, &r);
		snprintf(what, sizeof what, "ordinary record %d", k);
		n++;
		if (eval_both(rb, f, AS_OF, fr, er, what))
			decided++;
	}
	/* the fast path must decide the bulk of ordinary records */
	REQ_MSG(decided * 100 > n * 90, "the fast path decided only %zu of %zu ordinary records",
		decided, n);
	/* and their scores as doubles came from the binary run, without
	 * exact arithmetic (one scorecard) */
	REQ_MSG(score_double_binary * 100 > decided * 90,
		"only %zu of %zu scores read in binary", score_double_binary, decided);
	size_t wild_decided = 0;
	for (int k = 0; k < 6000; k++) {
		wild(&r);
		apply(rb, f, &r);
		snprintf(what, sizeof what, "wild record %d", k);
		if (eval_both(rb, f, AS_OF, fr, er, what))
			wild_decided++;
	}
	/* wild records mix both paths */
	ck_assert_uint_gt(wild_decided, 100);
	ck_assert_uint_lt(wild_decided, 6000);
	free_all(rb, f, fr, er);
}
END_TEST

/* The per-record run reads rb->frec, the program with its slots as byte
 * offsets: it must be fcode with every slot scaled (and the factor and
 * comparison slots of a capped product), ending with RB_F_END. Running
 * it, every number it writes must lie within its bound of the decimal
 * the exact program computes for that slot, the bound must be r·|x| for
 * the results that use their relative bound, and every verdict must be
 * the exact one: on records decided in binary and on records with
 * instructions computed exactly. */
START_TEST(test_scaled_program)
{
	rulebook *rb = load(main_yaml);
	ck_assert_ptr_nonnull(rb->frec);
	ck_assert_ptr_nonnull(rb->numeric);
	const uint32_t size = (uint32_t)sizeof(rb_val);
	size_t capped = 0;
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		const rb_fins *c = &rb->fcode[j], *s = &rb->frec[j];
		ck_assert(s->dst == c->dst * size && s->a == c->a * size && s->b == c->b * size &&
			  s->c == c->c * size);
		ck_assert_uint_eq(s->op, c->op == RB_I_SELECT ? RB_F_SELECT : c->op);
		ck_assert(s->r == c->r);
		if (c->op == RB_F_CAPPED) {
			ck_assert(s->at == c->at * size && s->cmp == c->cmp * size);
			capped++;
		} else {
			ck_assert_uint_eq(s->at, c->at);
		}
		/* every number's relative bound covers at least one rounding */
		if (rb->numeric[c->dst] && c->op != RB_I_YEAR)
			REQ_MSG(c->r >= RB_FAST_K && c->r < 0x1p-40, "instruction %u (op %u): r %a", j, c->op, c->r);
	}
	ck_assert_uint_eq(rb->frec[rb->nfcode].op, RB_F_END);
	ck_assert_uint_ge(capped, 4); /* the scorecard's capped components */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *sr = fast_result(rb), *ex = rulebook_result_new(rb);
	rulebook_result_set_exact_only(ex, 1);
	record r;
	size_t decided = 0, fell_back = 0, checked = 0;
	for (int k = 0; k < 6000; k++) {
		if (k % 2)
			wild(&r);
		else
			ordinary(&r);
		apply(rb, f, &r);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, sr, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, ex, NULL), RULEBOOK_OK);
		decided += sr->decided_fast && !sr->fell_back;
		fell_back += sr->decided_fast && sr->fell_back;
		for (size_t v = 0; v < rulebook_rule_count(rb); v++)
			REQ_MSG(rulebook_result_verdict(sr, v) == rulebook_result_verdict(ex, v),
				"record %d: verdict %zu differs", k, v);
		if (!sr->decided_fast)
			continue;
		for (uint32_t j = 0; j < rb->nfcode; j++) {
			const rb_fins *c = &rb->fcode[j];
			const rb_val *a = &sr->fslots[c->dst], *b = &ex->slots[c->dst];
			if (!rb->numeric[c->dst] || c->op == RB_F_MULQ || a->state != RB_V_OK)
				continue; /* a rewritten product stands for another slot */
			REQ_MSG(b->state == RB_V_OK, "record %d: slot %u present only in binary", k,
				c->dst);
			double x = a->u.f.x, e = a->u.f.e, y = rb_dec_nearest_double(b->u.d);
			/* y is within half a unit in the last place of the decimal */
			REQ_MSG(isnan(x) || fabs(x - y) <= e + fabs(y) * 0x1p-53,
				"record %d: slot %u: %a is not within %a of %a", k, c->dst, x, e, y);
			bool relative = c->op == RB_I_MUL || c->op == RB_I_DIV || c->op == RB_I_CONV ||
					c->op == RB_I_MIN || c->op == RB_I_MAX ||
					(c->op == RB_F_CAPPED && sr->fslots[c->cmp].state == RB_V_OK &&
					 !sr->fslots[c->cmp].u.b);
			if (relative && !sr->fell_back)
				REQ_MSG(e == c->r * fabs(x), "record %d: slot %u: bound %a, not r·|x|", k,
					c->dst, e);
			checked++;
		}
	}
	ck_assert_uint_gt(decided, 1000);
	ck_assert_uint_gt(fell_back, 10);
	ck_assert_uint_gt(checked, 10000);
	rulebook_result_free(ex);
	free_all(rb, f, sr, NULL);
}
END_TEST

/* A number fixed for the as-of date that the per-record program reads is
 * checked once per date against the bound that program assumes of it
 * (RB_F_CHECKREL): a parameter the binary run cannot hold within 2^-50
 * (10^-27 has its decimal exponent beyond 22: not a number) makes what
 * reads it be computed exactly, with the exact verdicts, and the rest of
 * the record is still decided in binary; a usable one leaves everything
 * to the binary run. Hand-checked: tax / land = 2 and 0.5;
 * 2 × 10^-27 >= 10^-27 passes, 0.5 × 10^-27 does not; the second rule
 * compares with 1 (usable): 2 >= 1 passes, 0.5 fails. */
START_TEST(test_fixed_values_checked)
{
	rulebook *rb = load("rulebook: 1\n"
			    "id: test.fastpath.checked\n"
			    "title: {en: checked}\n"
			    "subject: enterprise\n"
			    "source: {issuer: test, document: test, issued: 2021-01-01}\n"
			    "inputs:\n"
			    "  - {id: land, type: number}\n"
			    "  - {id: tax, type: number}\n"
			    "parameters:\n"
			    "  - id: tiny\n"
			    "    cite: x\n"
			    "    provenance: cited\n"
			    "    values: [{from: 2021-01-01, value: 1}, {from: 2022-01-01, value: 0.000000000000000000000000001}]\n"
			    "indicators:\n"
			    "  - {id: per, expr: tax / land}\n"
			    "rules:\n"
			    "  - {id: scaled, cite: x, require: per * tiny >= tiny * 1}\n"
			    "  - {id: plain, cite: x, require: per >= 1}\n");
	size_t checks = 0;
	for (uint32_t j = 0; j < rb->nfpre; j++)
		checks += rb->fpre[j].op == RB_F_CHECKREL;
	ck_assert_uint_ge(checks, 1);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	static const struct {
		const char *tax;
		int32_t as_of;
		bool fast;
		rulebook_verdict v[2];
	} hand[] = {
		{"20", 20210630, true, {RULEBOOK_PASS, RULEBOOK_PASS}},
		{"20", 20220630, false, {RULEBOOK_PASS, RULEBOOK_PASS}},
		{"5", 20220630, false, {RULEBOOK_FAIL, RULEBOOK_FAIL}},
		{"5", 20210630, true, {RULEBOOK_FAIL, RULEBOOK_FAIL}},
	};
	for (size_t h = 0; h < sizeof hand / sizeof hand[0]; h++) {
		char what[64];
		snprintf(what, sizeof what, "tax %s as of %d", hand[h].tax, (int)hand[h].as_of);
		ck_assert_int_eq(rulebook_facts_set_text(f, "land", "10", NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_text(f, "tax", hand[h].tax, NULL), RULEBOOK_OK);
		bool decided = eval_both(rb, f, hand[h].as_of, fr, er, what);
		REQ_MSG(decided == hand[h].fast, "%s: decided in binary %d", what, decided);
		/* not the whole date: the binary run goes on, and only what
		 * reads the unusable value is computed exactly */
		REQ_MSG(fr->decided_fast && fr->fell_back == !hand[h].fast, "%s: fast %d, fell back %d",
			what, fr->decided_fast, fr->fell_back);
		for (size_t r = 0; r < 2; r++)
			REQ_MSG(rulebook_result_verdict(fr, r) == hand[h].v[r], "%s: rule %zu is %s",
				what, r, rulebook_verdict_str(rulebook_result_verdict(fr, r)));
	}
	free_all(rb, f, fr, er);
}
END_TEST

/* A relative bound grows along a chain of products: a squaring doubles
 * it. Past REL_LIMIT an instruction is computed exactly for every record
 * (RB_F_EXACT), so no bound reaches 1, where a sum might carry the wrong
 * sign and min or max pick the wrong operand with a bound far too small.
 * y56 = a^(2^56) with a = 1 + 2^-52 is 8.9e6 in binary but 1.8e6
 * exactly; d = y56 - 4e6 is negative exactly, so min(d, 10^-120) > -0.1
 * fails (hand-checked with Python's decimal module at 18 digits). */
START_TEST(test_bound_limit)
{
	char yaml[8192];
	int n = snprintf(yaml, sizeof yaml,
			 "rulebook: 1\nid: test.fastpath.limit\ntitle: {en: limit}\n"
			 "subject: enterprise\n"
			 "source: {issuer: test, document: test, issued: 2021-01-01}\n"
			 "inputs:\n  - {id: a, type: number}\n  - {id: one, type: number}\n"
			 "  - {id: three, type: number}\n  - {id: t, type: number}\n"
			 "indicators:\n  - {id: y1, expr: a * a}\n  - {id: z1, expr: one * one}\n");
	for (int k = 2; k <= 57; k++) {
		if (k <= 56)
			n += snprintf(yaml + n, sizeof yaml - (size_t)n,
				      "  - {id: y%d, expr: y%d * y%d}\n", k, k - 1, k - 1);
		n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - {id: z%d, expr: z%d * z%d}\n",
			      k, k - 1, k - 1);
	}
	snprintf(yaml + n, sizeof yaml - (size_t)n,
		 "  - {id: w, expr: three * z57}\n  - {id: d, expr: y56 - w}\n"
		 "  - {id: tiny, expr: t * t * t * t * t * t}\n"
		 "rules:\n  - {id: m, cite: x, require: \"min(d, tiny) > -0.1\"}\n");
	rulebook *rb = load(yaml);
	size_t exact = 0;
	for (uint32_t j = 0; j < rb->nfcode; j++) {
		exact += rb->frec[j].op == RB_F_EXACT;
		if (rb->numeric[rb->fcode[j].dst])
			ck_assert(rb->fcode[j].r <= 0x1p-20);
	}
	ck_assert_uint_gt(exact, 0);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	ck_assert_int_eq(rulebook_facts_set_double(f, "a", 1.0000000000000002, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_double(f, "one", 1, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_double(f, "three", 4e6, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_double(f, "t", 1e-20, NULL), RULEBOOK_OK);
	eval_both(rb, f, AS_OF, fr, er, "a chain of squarings");
	ck_assert_int_eq(rulebook_result_verdict(er, 0), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_verdict(fr, 0), RULEBOOK_FAIL);
	free_all(rb, f, fr, er);
}
END_TEST

/* A difference fixed for the date with much cancellation (1 - 0.95 has a
 * bound 20 times 2^-50 of it) is within what the per-record program
 * assumes of it (2^-40 for a sum or difference fixed for the date): the
 * records are still decided in binary. Hand-checked: 100 × 0.05 = 5 >= 4
 * passes, >= 6 fails; 100 >= 4 and 100 >= 6 pass. */
START_TEST(test_fixed_difference)
{
	rulebook *rb = load("rulebook: 1\n"
			    "id: test.fastpath.keep\n"
			    "title: {en: keep}\n"
			    "subject: enterprise\n"
			    "source: {issuer: test, document: test, issued: 2021-01-01}\n"
			    "inputs:\n"
			    "  - {id: a, type: number}\n"
			    "  - {id: b, type: number}\n"
			    "parameters:\n"
			    "  - {id: keep, cite: x, provenance: cited, value: 0.95}\n"
			    "rules:\n"
			    "  - {id: r1, cite: x, require: a * (1 - keep) >= b}\n"
			    "  - {id: r2, cite: x, require: a >= b}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	static const struct {
		double b;
		rulebook_verdict v[2];
	} hand[] = {{4, {RULEBOOK_PASS, RULEBOOK_PASS}}, {6, {RULEBOOK_FAIL, RULEBOOK_PASS}}};
	for (size_t h = 0; h < 2; h++) {
		ck_assert_int_eq(rulebook_facts_set_double(f, "a", 100, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_facts_set_double(f, "b", hand[h].b, NULL), RULEBOOK_OK);
		ck_assert(eval_both(rb, f, AS_OF, fr, er, "1 - keep"));
		for (size_t r = 0; r < 2; r++)
			ck_assert_int_eq(rulebook_result_verdict(fr, r), hand[h].v[r]);
	}
	free_all(rb, f, fr, er);
}
END_TEST

/* Random expressions against the exact interpreter: rulebooks of three
 * number inputs and a parameter, each rule comparing two random trees of
 * + - × ÷, min, max, abs and negation (up to depth 4, so chains of
 * products, sums with cancellation and quotients of near-equal values
 * occur), evaluated on records of small integers, short decimals, values
 * a unit in the last place apart, zeros, negatives and values from 1e-12
 * to 1e12. eval_both requires every verdict of the binary run to be the
 * exact one; the run must also decide most records in binary. */
static int expr_tree(char *out, size_t size, int depth)
{
	static const char *const leaves[] = {"a", "b", "c", "p", "2", "0.1", "3.7", "1"};
	if (depth == 0 || next() % 4 == 0)
		return snprintf(out, size, "%s", leaves[next() % 8]);
	/* a tree of depth 4 is at most 168 characters */
	char l[256], r[256];
	int k = (int)(next() % 8);
	expr_tree(l, sizeof l, depth - 1);
	if (k >= 6)
		return snprintf(out, size, k == 6 ? "abs(%s)" : "(-%s)", l);
	expr_tree(r, sizeof r, depth - 1);
	static const char *const op[] = {" + ", " - ", " * ", " / "};
	if (k < 4)
		return snprintf(out, size, "(%s%s%s)", l, op[k], r);
	return snprintf(out, size, "%s(%s, %s)", k == 4 ? "min" : "max", l, r);
}

static double random_input(void)
{
	static const double pick[] = {0, 1, -1, 2, 3.7, 0.1, 1158.1, 31.3, 37, 1e-12, 1e12, -0.5};
	switch (next() % 5) {
	case 0: return pick[next() % 12];
	case 1: return (double)((int64_t)(next() % 2001) - 1000) / 100; /* two decimals */
	case 2: /* a unit in the last place beside a value (not beside 0: subnormal) */
		return nextafter(pick[1 + next() % 11], next() % 2 ? INFINITY : -INFINITY);
	case 3: return (double)(next() % 100000) * pow(10, (double)(next() % 25) - 12);
	default: return (double)(int64_t)(next() % 200) - 100;
	}
}

START_TEST(test_random_expressions)
{
	rng = 0x9e3779b97f4a7c15u;
	size_t decided = 0, records = 0;
	for (int book = 0; book < 60; book++) {
		char yaml[16384], l[600], r[600];
		int n = snprintf(yaml, sizeof yaml,
				 "rulebook: 1\nid: test.fastpath.random\ntitle: {en: random}\n"
				 "subject: enterprise\n"
				 "source: {issuer: test, document: test, issued: 2021-01-01}\n"
				 "inputs:\n  - {id: a, type: number}\n  - {id: b, type: number}\n"
				 "  - {id: c, type: number}\n"
				 "parameters:\n  - {id: p, cite: x, provenance: cited, value: 0.95}\n"
				 "rules:\n");
		for (int rule = 0; rule < 6; rule++) {
			expr_tree(l, sizeof l, 4);
			expr_tree(r, sizeof r, 2);
			n += snprintf(yaml + n, sizeof yaml - (size_t)n,
				      "  - {id: r%d, cite: x, require: \"%s %s %s\"}\n", rule, l,
				      rule % 3 == 0 ? ">=" : rule % 3 == 1 ? "<" : "==", r);
		}
		rulebook *rb = load(yaml);
		rulebook_facts *f = rulebook_facts_new(rb);
		rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
		enum { NR = 150 };
		static double cols[3 * NR];
		static uint8_t verdicts[NR][6];
		for (int k = 0; k < NR; k++) {
			char what[64];
			snprintf(what, sizeof what, "rulebook %d, record %d", book, k);
			static const char *const names[] = {"a", "b", "c"};
			for (int in = 0; in < 3; in++) {
				double v = random_input();
				cols[in * NR + k] = v;
				ck_assert_int_eq(rulebook_facts_set_double(f, names[in], v, NULL),
						 RULEBOOK_OK);
			}
			decided += eval_both(rb, f, AS_OF, fr, er, what);
			for (size_t v = 0; v < 6; v++)
				verdicts[k][v] = (uint8_t)rulebook_result_verdict(er, v);
			records++;
		}
		/* the same records as columns, through the columnar run */
		rulebook_population *pop = rulebook_population_new(rb, AS_OF);
		const size_t inputs[3] = {0, 1, 2};
		ck_assert_int_eq(rulebook_population_add_columns(pop, NR, inputs, 3, cols, NULL, NULL),
				 RULEBOOK_OK);
		for (size_t k = 0; k < NR; k++)
			for (size_t v = 0; v < 6; v++)
				REQ_MSG(rulebook_population_verdict(pop, k, v) == verdicts[k][v],
					"rulebook %d, record %zu, rule %zu: columns %d, exact %d", book, k,
					v, rulebook_population_verdict(pop, k, v), verdicts[k][v]);
		rulebook_population_free(pop);
		free_all(rb, f, fr, er);
	}
	/* most records need nothing exact: ties and divisions by zero do */
	ck_assert_uint_gt(decided, records / 4);
}
END_TEST

/* A rule that only its `require` decides on a date (in force, no `when`,
 * no exceptions) takes its verdict from the slot directly; the others go
 * through every step. Hand-checked verdicts and exceptions of both kinds,
 * one result evaluated at dates in and out of the rules' and the
 * rulebook's windows in turn, and with the value missing or an error. */
START_TEST(test_plain_rules)
{
	rulebook *rb = load("rulebook: 1\n"
			    "id: test.fastpath.plain\n"
			    "title: {en: plain}\n"
			    "subject: enterprise\n"
			    "source: {issuer: test, document: test, issued: 2022-01-01}\n"
			    "in_force: {from: 2022-01-01, until: 2025-12-31}\n"
			    "inputs:\n"
			    "  - {id: x, type: number}\n"
			    "  - {id: y, type: number}\n"
			    "  - {id: key, type: boolean}\n"
			    "rules:\n"
			    "  - {id: plain, cite: x, require: x >= 10}\n"
			    "  - {id: windowed, cite: x, in_force: {from: 2023-01-01}, require: x >= 10}\n"
			    "  - {id: when, cite: x, when: y > 0, require: x >= 10}\n"
			    "  - id: unless\n"
			    "    cite: x\n"
			    "    require: x >= 10\n"
			    "    unless: [{id: k, when: key, cite: x}]\n"
			    "  - {id: ratio, cite: x, require: x / y >= 1}\n");
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	enum { P = RULEBOOK_PASS, F = RULEBOOK_FAIL, U = RULEBOOK_UNKNOWN, E = RULEBOOK_ERROR,
	       N = RULEBOOK_NOT_IN_FORCE, A = RULEBOOK_NOT_APPLICABLE, X = RULEBOOK_EXEMPT };
	static const struct {
		int32_t as_of;
		const char *x, *y, *key;
		int want[5];
		int exc; /* the unless rule's exception */
	} cases[] = {
		{20230630, "12", "1", "false", {P, P, P, P, P}, -1},
		{20220630, "12", "1", "false", {P, N, P, P, P}, -1},
		{20230630, "8", "1", "false", {F, F, F, F, P}, -1},
		{20220630, "8", "1", "true", {F, N, F, X, P}, 0},
		{20230630, "8", "-1", "true", {F, F, A, X, F}, 0},
		{20230630, NULL, "1", "false", {U, U, U, U, U}, -1},
		{20260101, "12", "1", "false", {N, N, N, N, N}, -1},
		{20230630, "12", "0", NULL, {P, P, A, P, E}, -1},
		{20230630, "8", "0", NULL, {F, F, A, U, E}, -1},
		{20211231, "12", "1", "false", {N, N, N, N, N}, -1},
		{20230630, "8", "2", "false", {F, F, F, F, P}, -1},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *v[3] = {cases[c].x, cases[c].y, cases[c].key};
		for (size_t i = 0; i < 3; i++)
			ck_assert_int_eq(v[i] ? rulebook_facts_set_text_at(f, i, v[i], strlen(v[i]), NULL)
					      : rulebook_facts_set_missing_at(f, i),
					 RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, cases[c].as_of, res, NULL), RULEBOOK_OK);
		uint32_t counts[8] = {0}, got[8];
		for (size_t r = 0; r < 5; r++) {
			rulebook_verdict w = rulebook_result_verdict(res, r);
			REQ_MSG((int)w == cases[c].want[r], "case %zu, rule %zu: verdict %d, not %d", c,
				r, (int)w, cases[c].want[r]);
			counts[w]++;
			const char *e = rulebook_result_exception(res, r);
			bool want_e = r == 3 && cases[c].exc >= 0;
			REQ_MSG(want_e ? e && strcmp(e, "k") == 0 : e == NULL,
				"case %zu, rule %zu: exception %s", c, r, e ? e : "none");
		}
		rulebook_result_counts(res, got);
		for (int k = 0; k < 8; k++)
			REQ_MSG(got[k] == counts[k], "case %zu: %u verdicts %d, not %u", c, got[k], k,
				counts[k]);
	}
	rulebook_result_free(res);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* ---------------------------------------------------------------------
 * 4. Lazy exact values
 * --------------------------------------------------------------------- */

/* Every named value, the JSON (three forms) and the explanation of the two
 * results are the same text. */
static void same_outputs(const rulebook *rb, rulebook_result *f, rulebook_result *e,
			 const char *what)
{
	for (uint32_t k = 0; k < rb->nsyms; k++) {
		const char *name = rb->syms[k].name;
		const char *vf = rulebook_result_value(f, name), *ve = rulebook_result_value(e, name);
		REQ_MSG(same_str(vf, ve), "%s: value of %s: %s vs %s", what, name, show(vf), show(ve));
	}
	for (size_t r = 0; r < rulebook_rule_count(rb); r++) {
		REQ_MSG(same_str(rulebook_result_gap(f, r), rulebook_result_gap(e, r)),
			"%s: gap of %s: %s vs %s", what, rulebook_rule_id(rb, r),
			show(rulebook_result_gap(f, r)), show(rulebook_result_gap(e, r)));
		REQ_MSG(same_str(rulebook_result_message(f, r, "en"), rulebook_result_message(e, r, "en")),
			"%s: message of %s differs", what, rulebook_rule_id(rb, r));
	}
	static const uint32_t flags[] = {0, RULEBOOK_OUT_PRETTY | RULEBOOK_OUT_LANG_EN,
					 RULEBOOK_OUT_VERDICTS};
	for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
		const char *jf, *je;
		size_t lf, le;
		ck_assert_int_eq(rulebook_result_json(f, flags[k], &jf, &lf), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_result_json(e, flags[k], &je, &le), RULEBOOK_OK);
		REQ_MSG(lf == le && memcmp(jf, je, lf) == 0, "%s: JSON (flags %u) differs:\n%s\n%s",
			what, (unsigned)flags[k], jf, je);
		ck_assert_int_eq(rulebook_result_explain(f, flags[k], &jf, &lf), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_result_explain(e, flags[k], &je, &le), RULEBOOK_OK);
		REQ_MSG(lf == le && memcmp(jf, je, lf) == 0, "%s: explanation (flags %u) differs", what,
			(unsigned)flags[k]);
	}
}

START_TEST(test_lazy_values)
{
	rulebook *rb = load(main_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	record r;
	char what[64];
	size_t decided = 0;
	for (int k = 0; k < 300; k++) {
		if (k % 3 == 2)
			wild(&r);
		else
			ordinary(&r);
		apply(rb, f, &r);
		snprintf(what, sizeof what, "record %d", k);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, er, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
		if (!fr->exact) {
			decided++;
			/* a value asked for is computed alone: the exact program
			 * does not run */
			const char *v = rulebook_result_value(fr, "mu_tax");
			ck_assert(!fr->exact);
			ck_assert(same_str(v, rulebook_result_value(er, "mu_tax")));
		}
		/* values first, then verdicts (which read scores: exact too) */
		same_outputs(rb, fr, er, what);
		same_outcome(rb, fr, er, what);
	}
	ck_assert_uint_gt(decided, 150);

	/* hand-checked values through the lazy path, on a record away from
	 * every threshold: 1158.2 / 31.3 = 37.0031…, rounded 37; 3000 / 6000 =
	 * 0.5; 6000 / 3000 = 2; 1000 / 40000 = 2.5 % */
	base_record(&r);
	rec_set(&r, I_TAX, "1158.2");
	rec_set(&r, I_VA, "6000");
	rec_set(&r, I_REV, "40000");
	rec_set(&r, I_RD, "1000");
	rec_set(&r, I_ENERGY, "3000");
	rec_set(&r, I_FLOOR, "30000");
	apply(rb, f, &r);
	ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
	ck_assert(!fr->exact);
	ck_assert_str_eq(rulebook_result_value(fr, "mu_tax_r"), "37");
	ck_assert(!fr->exact);
	ck_assert_str_eq(rulebook_result_value(fr, "tax"), "1158.2");
	ck_assert_str_eq(rulebook_result_value(fr, "min_mu_tax"), "37");
	ck_assert_str_eq(rulebook_result_value(fr, "intensity"), "0.5");
	ck_assert_str_eq(rulebook_result_value(fr, "va_per_tce"), "2");
	ck_assert_str_eq(rulebook_result_value(fr, "rd_share"), "2.5");
	ck_assert_str_eq(rulebook_result_class(fr, 0), "A");

	/* the facts change after the evaluation: the result does not */
	for (int k = 0; k < 200; k++) {
		ordinary(&r);
		apply(rb, f, &r);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, er, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
		bool d = !fr->exact;
		record other;
		wild(&other);
		switch (k % 3) {
		case 0: rulebook_facts_clear(f); break;
		case 1: apply(rb, f, &other); break;
		default: {
			/* other facts, evaluated into yet another result */
			rulebook_result *x = rulebook_result_new(rb);
			apply(rb, f, &other);
			ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, x, NULL), RULEBOOK_OK);
			rulebook_result_free(x);
			break;
		}
		}
		snprintf(what, sizeof what, "record %d after its facts changed", k);
		same_outcome(rb, fr, er, what);
		same_outputs(rb, fr, er, what);
		if (d)
			decided++;
	}
	/* facts freed before the values are asked for */
	for (int k = 0; k < 20; k++) {
		rulebook_facts *g = rulebook_facts_new(rb);
		ordinary(&r);
		apply(rb, g, &r);
		ck_assert_int_eq(rulebook_eval(rb, g, AS_OF, er, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, g, AS_OF, fr, NULL), RULEBOOK_OK);
		rulebook_facts_free(g);
		snprintf(what, sizeof what, "record %d after its facts were freed", k);
		same_outputs(rb, fr, er, what);
	}
	free_all(rb, f, fr, er);
}
END_TEST

/* ---------------------------------------------------------------------
 * 5. Division by zero in the fast path
 * --------------------------------------------------------------------- */

START_TEST(test_division_by_zero)
{
	rulebook *rb = load(main_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	static const struct {
		int input;
		int rule;
	} cases[] = {{I_LAND, R_GE}, {I_REV, R_RD}, {I_VA, R_ENERGY}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		record r;
		ordinary(&r);
		rec_set(&r, I_LAND, "100");
		rec_set(&r, cases[k].input, "0");
		apply(rb, f, &r);
		char what[64];
		snprintf(what, sizeof what, "%s = 0", in_names[cases[k].input]);
		bool decided = eval_both(rb, f, AS_OF, fr, er, what);
		/* an exact zero divisor is decided in binary */
		REQ_MSG(decided, "%s: the fast path did not decide", what);
		ck_assert_int_eq(rulebook_result_verdict(fr, (size_t)cases[k].rule), RULEBOOK_ERROR);
		ck_assert_int_eq(rulebook_result_verdict(er, (size_t)cases[k].rule), RULEBOOK_ERROR);
		ck_assert_str_eq(rulebook_result_error(fr, (size_t)cases[k].rule), "division by zero");
		ck_assert_str_eq(rulebook_result_error(er, (size_t)cases[k].rule), "division by zero");
		/* the JSON and the explanation say so, identically */
		const char *jf, *je;
		size_t lf, le;
		ck_assert_int_eq(rulebook_result_json(fr, RULEBOOK_OUT_LANG_EN, &jf, &lf), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_result_json(er, RULEBOOK_OUT_LANG_EN, &je, &le), RULEBOOK_OK);
		ck_assert_ptr_nonnull(strstr(jf, "division by zero"));
		ck_assert(lf == le && memcmp(jf, je, lf) == 0);
		ck_assert_int_eq(rulebook_result_explain(fr, RULEBOOK_OUT_LANG_EN, &jf, &lf),
				 RULEBOOK_OK);
		ck_assert_int_eq(rulebook_result_explain(er, RULEBOOK_OUT_LANG_EN, &je, &le),
				 RULEBOOK_OK);
		ck_assert_ptr_nonnull(strstr(jf, "division by zero"));
		ck_assert(lf == le && memcmp(jf, je, lf) == 0);
		same_outputs(rb, fr, er, what);
	}
	free_all(rb, f, fr, er);
}
END_TEST

/* ---------------------------------------------------------------------
 * 6. Dated parameters: the per-as-of part of the fast path
 * --------------------------------------------------------------------- */

static const char *const dated_yaml =
	"rulebook: 1\n"
	"id: test.fastpath.dated\n"
	"title: {en: dated}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2021-01-01}\n"
	"inputs:\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"parameters:\n"
	"  - id: min_mu_tax\n"
	"    unit: 万元/亩\n"
	"    cite: x\n"
	"    provenance: cited\n"
	"    values: [{from: 2021-01-01, value: 37}, {from: 2023-01-01, value: 40}]\n"
	"  - id: cut_a\n"
	"    cite: x\n"
	"    provenance: cited\n"
	"    values: [{from: 2021-01-01, value: 90}, {from: 2023-01-01, value: 85}]\n"
	"  - id: late\n"
	"    unit: 万元/亩\n"
	"    cite: x\n"
	"    provenance: cited\n"
	"    values: [{from: 2022-01-01, value: 30}]\n"
	"  - {id: bench_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 30}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"rules:\n"
	"  - {id: dated, cite: x, require: mu_tax >= min_mu_tax}\n"
	"  - id: by_date\n"
	"    cite: x\n"
	"    require: 'mu_tax >= (if as_of >= date(\"2023-01-01\") then 40 [万元/亩] else 37 [万元/亩])'\n"
	"  - {id: sum, cite: x, require: mu_tax * 2 >= late + min_mu_tax}\n"
	"  - {id: recent, cite: x, when: year(as_of) >= 2023, require: mu_tax >= 40}\n"
	"scorecards:\n"
	"  - id: sc\n"
	"    cite: x\n"
	"    components:\n"
	"      - {id: tax, value: mu_tax, benchmark: bench_mu_tax, weight: 60, cap: 2}\n"
	"    classes:\n"
	"      - {id: A, min: cut_a}\n"
	"      - {id: B, min: 50}\n"
	"      - {id: C}\n";

enum { D_DATED, D_BY_DATE, D_SUM, D_RECENT, ND };
static const int32_t dates[3] = {20210630, 20220630, 20230630};
#define NA RULEBOOK_NOT_APPLICABLE

static void set_land_tax(const rulebook *rb, rulebook_facts *f, const char *land, const char *tax)
{
	rulebook_facts_clear(f);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "land_area", land, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "tax", tax, NULL), RULEBOOK_OK);
	(void)rb;
}

START_TEST(test_dated_parameters)
{
	rulebook *rb = load(dated_yaml);
	ck_assert_uint_gt(rb->nfpre, 0); /* there is a per-as-of part */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	char what[128], land[48], tax[48];

	/* hand-checked: per = mu_tax; at 37 the 2022 threshold holds and the
	 * 2023 one (40) does not; at 40 both; the late parameter is missing
	 * before 2022 */
	static const struct {
		int64_t per;
		rulebook_verdict v[3][ND]; /* [date][rule] */
		const char *cls[3];
	} hand[] = {
		{37, {{RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_UNKNOWN, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, NA},
		      {RULEBOOK_FAIL, RULEBOOK_FAIL, RULEBOOK_PASS, RULEBOOK_FAIL}},
		 {"B", "B", "B"}}, /* 60 × 37 / 30 = 74 */
		{40, {{RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_UNKNOWN, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS}},
		 {"B", "B", "B"}}, /* 80 */
		{45, {{RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_UNKNOWN, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS}},
		 {"A", "A", "A"}}, /* 90: A at 90 and at 85 */
		{43, {{RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_UNKNOWN, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, NA},
		      {RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS, RULEBOOK_PASS}},
		 {"B", "B", "A"}}, /* 86: B while the cut-off is 90, A from 2023 (85) */
		{35, {{RULEBOOK_FAIL, RULEBOOK_FAIL, RULEBOOK_UNKNOWN, NA},
		      {RULEBOOK_FAIL, RULEBOOK_FAIL, RULEBOOK_PASS, NA},            /* 70 >= 67 */
		      {RULEBOOK_FAIL, RULEBOOK_FAIL, RULEBOOK_PASS, RULEBOOK_FAIL}}, /* 70 >= 70 */
		 {"B", "B", "B"}}, /* 70 */
	};
	for (int rounds = 0; rounds < 3; rounds++) {
		for (size_t h = 0; h < sizeof hand / sizeof hand[0]; h++) {
			for (int64_t L = 7; L < 4000; L += 331) {
				fixed(land, sizeof land, L, 1);
				fixed(tax, sizeof tax, hand[h].per * L, 1);
				set_land_tax(rb, f, land, tax);
				/* alternate dates on the same results */
				for (int di = 0; di < 3; di++) {
					int d = (di + rounds + (int)h) % 3;
					snprintf(what, sizeof what, "land %s, tax %s, as of %d", land, tax,
						 (int)dates[d]);
					eval_both(rb, f, dates[d], fr, er, what);
					for (int rule = 0; rule < ND; rule++)
						REQ_MSG(rulebook_result_verdict(er, (size_t)rule) ==
								hand[h].v[d][rule],
							"%s: rule %s is %s", what,
							rulebook_rule_id(rb, (size_t)rule),
							rulebook_verdict_str(
								rulebook_result_verdict(er, (size_t)rule)));
					REQ_MSG(same_str(rulebook_result_class(er, 0), hand[h].cls[d]),
						"%s: class %s, expected %s", what,
						show(rulebook_result_class(er, 0)), hand[h].cls[d]);
				}
			}
		}
	}
	/* random records, random dates, on one result */
	size_t decided = 0, n = 0;
	for (int k = 0; k < 3000; k++) {
		fixed(land, sizeof land, 1 + below(100000), 2);
		fixed(tax, sizeof tax, 1 + below(10000000), 2);
		set_land_tax(rb, f, land, tax);
		int d = (int)below(3);
		snprintf(what, sizeof what, "land %s, tax %s, as of %d", land, tax, (int)dates[d]);
		n++;
		if (eval_both(rb, f, dates[d], fr, er, what))
			decided++;
	}
	REQ_MSG(decided * 100 > n * 90, "the fast path decided only %zu of %zu", decided, n);
	free_all(rb, f, fr, er);
}
END_TEST

/* fast_ok switched off for one evaluation and on again, on one result, at
 * the same as-of date: the per-as-of part must be that date's. */
START_TEST(test_fast_ok_toggled)
{
	rulebook *rb = load(dated_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	char what[128], msg[512] = "";
	/* mu_tax 38: the 2023 thresholds (40) fail, the 2022 ones (37) pass */
	set_land_tax(rb, f, "10", "380");
	for (int k = 0; k < 6 && !msg[0]; k++) {
		int32_t d = dates[1 + k % 2];
		fr->fast_ok = false;
		ck_assert_int_eq(rulebook_eval(rb, f, d, fr, NULL), RULEBOOK_OK);
		fr->fast_ok = true;
		snprintf(what, sizeof what, "as of %d after an exact evaluation", (int)d);
		ck_assert_int_eq(rulebook_eval(rb, f, d, fr, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, d, er, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_result_verdict(er, D_BY_DATE),
				 d >= 20230101 ? RULEBOOK_FAIL : RULEBOOK_PASS);
		first_difference(rb, fr, er, what, msg, sizeof msg);
	}
	free_all(rb, f, fr, er);
	REQ_MSG(!msg[0], "%s", msg);
}
END_TEST

/* `if v > cap then top else v × k` with k fixed per as-of date is fused
 * into one fast instruction; k may be a dated parameter not yet in force
 * (missing) or a division by zero (an error): the branch taken then is
 * missing or an error, as in the exact interpreter. */
static const char *const capped_yaml =
	"rulebook: 1\n"
	"id: test.fastpath.capped\n"
	"title: {en: capped}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2021-01-01}\n"
	"inputs:\n"
	"  - {id: v, type: number}\n"
	"parameters:\n"
	"  - {id: k, cite: x, provenance: cited, values: [{from: 2022-01-01, value: 2}]}\n"
	"  - {id: z, cite: x, provenance: cited, value: 0}\n"
	"rules:\n"
	"  - {id: capped, cite: x, require: (if v > 50 then 100 else v * k) >= 70}\n"
	"  - {id: capped_err, cite: x, require: (if v > 50 then 100 else v * (10 / z)) >= 70}\n";

START_TEST(test_capped_invariant_factor)
{
	rulebook *rb = load(capped_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	/* by hand: before 2022 k is missing, so v <= 50 is unknown; 10 / 0 is
	 * an error for v <= 50; above 50 the branch is 100 >= 70 */
	static const struct {
		const char *v;
		int32_t as_of;
		rulebook_verdict capped, capped_err;
	} hand[] = {
		{"40", 20210630, RULEBOOK_UNKNOWN, RULEBOOK_ERROR},
		{"60", 20210630, RULEBOOK_PASS, RULEBOOK_PASS},
		{"40", 20220630, RULEBOOK_PASS, RULEBOOK_ERROR},   /* 80 */
		{"30", 20220630, RULEBOOK_FAIL, RULEBOOK_ERROR},   /* 60 */
		{"35", 20220630, RULEBOOK_PASS, RULEBOOK_ERROR},   /* 70 exactly */
		{"40", 20210630, RULEBOOK_UNKNOWN, RULEBOOK_ERROR}, /* after 2022 on this result */
		{"50.000000000001", 20220630, RULEBOOK_PASS, RULEBOOK_PASS},
		{"50", 20210630, RULEBOOK_UNKNOWN, RULEBOOK_ERROR},
	};
	char what[96], msg[512] = "";
	for (size_t h = 0; h < sizeof hand / sizeof hand[0] && !msg[0]; h++) {
		ck_assert_int_eq(rulebook_facts_set_decimal(f, "v", hand[h].v, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, hand[h].as_of, er, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, hand[h].as_of, fr, NULL), RULEBOOK_OK);
		snprintf(what, sizeof what, "v = %s as of %d", hand[h].v, (int)hand[h].as_of);
		REQ_MSG(rulebook_result_verdict(er, 0) == hand[h].capped &&
				rulebook_result_verdict(er, 1) == hand[h].capped_err,
			"%s: exact verdicts %s, %s", what,
			rulebook_verdict_str(rulebook_result_verdict(er, 0)),
			rulebook_verdict_str(rulebook_result_verdict(er, 1)));
		first_difference(rb, fr, er, what, msg, sizeof msg);
	}
	free_all(rb, f, fr, er);
	REQ_MSG(!msg[0], "%s", msg);
}
END_TEST

/* ---------------------------------------------------------------------
 * 7. (k × v) / p rewritten as v × (k / p), at the edges of the range
 * --------------------------------------------------------------------- */

/* x^13 with x = 1e-22 is 1e-286; w × that is 1e-308, below the decimal
 * range, so the exact product is 0 and 0 / w is 0 (the score too, below
 * the A cut-off 5e-287). y^14 with y = 1e20 is 1e280; big × that is about
 * 1e320, beyond the decimal range: an error. Computed as v × (k / p)
 * instead, neither happens. Each case has its own input so that nothing
 * else stops the fast run. */
static const char *const edge_yaml =
	"rulebook: 1\n"
	"id: test.fastpath.edges\n"
	"title: {en: edges}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2021-01-01}\n"
	"inputs:\n"
	"  - {id: x, type: number}\n"
	"  - {id: y, type: number}\n"
	"parameters:\n"
	"  - {id: w, cite: x, provenance: cited, value: 1e-22}\n"
	"  - {id: big, cite: x, provenance: cited, value: 999999999999999999e22}\n"
	"indicators:\n"
	"  - {id: tiny, expr: x * x * x * x * x * x * x * x * x * x * x * x * x}\n"
	"  - {id: huge, expr: y * y * y * y * y * y * y * y * y * y * y * y * y * y}\n"
	"rules:\n"
	"  - {id: underflow, cite: x, require: w * tiny / w > 0}\n"
	"  - {id: overflow, cite: x, require: big * huge / big > 0}\n"
	"scorecards:\n"
	"  - id: sc\n"
	"    cite: x\n"
	"    components:\n"
	"      - {id: t, value: tiny, benchmark: w, weight: w}\n"
	"    classes:\n"
	"      - {id: A, min: w * w * w * w * w * w * w * w * w * w * w * w * w * 0.5}\n"
	"      - {id: B}\n";

START_TEST(test_rewrite_underflow)
{
	rulebook *rb = load(edge_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "x", "1e-22", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, er, NULL), RULEBOOK_OK);
	/* by hand: 1e-22 × 1e-286 = 1e-308 rounds to 0; 0 / 1e-22 = 0; 0 > 0
	 * fails; the score 0 is below 5e-287 */
	ck_assert_int_eq(rulebook_result_verdict(er, 0), RULEBOOK_FAIL);
	{
		/* tiny itself is 1e-286, inside the range */
		const char *t = rulebook_result_value(er, "tiny");
		rb_dec d;
		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(rb_dec_parse(t, strlen(t), &d, NULL), RB_DEC_OK);
		ck_assert_int_eq(rb_dec_cmp(d, (rb_dec){1, -286}), 0);
	}
	ck_assert_str_eq(rulebook_result_class(er, 0), "B");
	ck_assert_str_eq(rulebook_result_score(er, 0), "0");
	char msg[512];
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, fr, NULL), RULEBOOK_OK);
	first_difference(rb, fr, er, "x = 1e-22", msg, sizeof msg);
	free_all(rb, f, fr, er);
	REQ_MSG(!msg[0], "%s", msg);
}
END_TEST

START_TEST(test_rewrite_overflow)
{
	rulebook *rb = load(edge_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "y", "1e20", NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, er, NULL), RULEBOOK_OK);
	/* by hand: 999999999999999999e22 × 1e280 ≈ 1e320 > 10^318: an error */
	ck_assert_int_eq(rulebook_result_verdict(er, 1), RULEBOOK_ERROR);
	ck_assert_str_eq(rulebook_result_error(er, 1), "number out of the decimal range");
	char msg[512];
	ck_assert_int_eq(rulebook_eval(rb, f, 20230630, fr, NULL), RULEBOOK_OK);
	first_difference(rb, fr, er, "y = 1e20", msg, sizeof msg);
	free_all(rb, f, fr, er);
	REQ_MSG(!msg[0], "%s", msg);
}
END_TEST

/* The same computations with the product read twice, so that it is not
 * rewritten: the fast path's own bounds then hold at the edges too. */
static const char *const edge_plain_yaml =
	"rulebook: 1\n"
	"id: test.fastpath.edges.plain\n"
	"title: {en: edges}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2021-01-01}\n"
	"inputs:\n"
	"  - {id: x, type: number}\n"
	"  - {id: y, type: number}\n"
	"parameters:\n"
	"  - {id: w, cite: x, provenance: cited, value: 1e-22}\n"
	"  - {id: big, cite: x, provenance: cited, value: 999999999999999999e22}\n"
	"indicators:\n"
	"  - {id: tiny, expr: x * x * x * x * x * x * x * x * x * x * x * x * x}\n"
	"  - {id: huge, expr: y * y * y * y * y * y * y * y * y * y * y * y * y * y}\n"
	"  - {id: wt, expr: w * tiny}\n"
	"  - {id: bh, expr: big * huge}\n"
	"rules:\n"
	"  - {id: underflow, cite: x, require: wt / w > 0}\n"
	"  - {id: overflow, cite: x, require: bh / big > 0}\n"
	"  - {id: reads_again, cite: x, require: wt >= 0 or bh >= 0}\n";

START_TEST(test_edges_without_rewrite)
{
	rulebook *rb = load(edge_plain_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "x", "1e-22", NULL), RULEBOOK_OK);
	eval_both(rb, f, 20230630, fr, er, "x = 1e-22, no rewrite");
	ck_assert_int_eq(rulebook_result_verdict(er, 0), RULEBOOK_FAIL);
	rulebook_facts_clear(f);
	ck_assert_int_eq(rulebook_facts_set_decimal(f, "y", "1e20", NULL), RULEBOOK_OK);
	eval_both(rb, f, 20230630, fr, er, "y = 1e20, no rewrite");
	ck_assert_int_eq(rulebook_result_verdict(er, 1), RULEBOOK_ERROR);
	free_all(rb, f, fr, er);
}
END_TEST


/* ---------------------------------------------------------------------
 * 8. The forms of the language, a comparison at a time, lazily
 * --------------------------------------------------------------------- */

/* if/then/else on numbers, booleans and nested, text in a list, tables by
 * enum, integer range and two keys (a row without a value, a default),
 * all_of, any_of and met(), per-verdict messages with display formats,
 * illustrative figures in branches a record may not take, and the
 * scorecard of main_yaml. */
/* In parts: C99 promises string literals of 4095 bytes only. */
static const char *const forms_yaml_parts[] = {
	"rulebook: 1\n"
	"id: test.fastpath.forms\n"
	"title: {en: fast path forms}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2022-01-01}\n"
	"in_force: {from: 2022-01-01}\n"
	"inputs:\n"
	"  - {id: land_area, type: number, unit: 亩}\n"
	"  - {id: tax, type: number, unit: 万元}\n"
	"  - {id: value_added, type: number, unit: 万元}\n"
	"  - {id: revenue, type: number, unit: 万元}\n"
	"  - {id: rd_expense, type: number, unit: 万元}\n"
	"  - {id: energy_use, type: number, unit: tce(等价值)}\n"
	"  - {id: employees, type: integer, unit: 人}\n"
	"  - {id: is_key, type: boolean}\n"
	"  - {id: floor_area, type: number, unit: m²}\n"
	"  - {id: company, type: text}\n"
	"  - {id: sector, type: enum, values: [纺织, 化工, 装备制造]}\n"
	"  - {id: opened, type: date}\n"
	"  - {id: industry, type: integer}\n"
	"  - {id: plots, type: list, of: number, unit: 亩}\n"
	"parameters:\n"
	"  - {id: min_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 37}\n"
	"  - {id: min_mu_tax_strict, unit: 万元/亩, cite: x, provenance: illustrative, note: example, value: 45}\n"
	"  - {id: hcle_intensity, unit: tce(等价值)/万元, cite: x, provenance: illustrative, note: example, value: 0.8}\n"
	"  - {id: bench_mu_tax, unit: 万元/亩, cite: x, provenance: cited, value: 30}\n"
	"  - {id: bench_mu_va, unit: 万元/亩, cite: x, provenance: cited, value: 150}\n"
	"  - {id: bench_prod, unit: 万元/(人·年), cite: x, provenance: cited, value: 30}\n"
	"  - {id: bench_rd, unit: \"%\", cite: x, provenance: cited, value: 3}\n"
	"  - {id: bench_va_per_tce, unit: 万元/tce(等价值), cite: x, provenance: cited, value: 2}\n",
	"tables:\n"
	"  - id: tax_min\n"
	"    keys: sector\n"
	"    unit: 万元/亩\n"
	"    cite: t1\n"
	"    provenance: cited\n"
	"    rows:\n"
	"      - {key: 纺织, value: 30}\n"
	"      - {key: 化工, value: 37, provenance: illustrative, note: example}\n"
	"      - {key: 装备制造, value: none, note: no figure}\n"
	"  - id: prod_min\n"
	"    keys: industry\n"
	"    unit: 万元/(人·年)\n"
	"    cite: t2\n"
	"    provenance: cited\n"
	"    default: 33\n"
	"    rows:\n"
	"      - {key: 13-20, value: 20}\n"
	"      - {key: 21-30, value: 30}\n"
	"      - {key: 31, value: none, note: no figure}\n"
	"  - id: va_min\n"
	"    keys: [company, sector]\n"
	"    unit: 万元/亩\n"
	"    cite: t3\n"
	"    provenance: cited\n"
	"    default: 180\n"
	"    rows:\n"
	"      - {key: [acme, 化工], value: 150}\n"
	"      - {key: [shell, 纺织], value: 200, provenance: illustrative, note: example}\n",
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land_area, unit: 万元/亩}\n"
	"  - {id: mu_va, expr: value_added / land_area, unit: 万元/亩}\n"
	"  - {id: productivity, expr: \"value_added / (employees * 1 [年])\", unit: 万元/(人·年)}\n"
	"  - {id: rd_share, expr: rd_expense / revenue, unit: \"%\"}\n"
	"  - {id: intensity, expr: energy_use / value_added, unit: tce(等价值)/万元}\n"
	"  - {id: va_per_tce, expr: value_added / energy_use, unit: 万元/tce(等价值)}\n"
	"  - id: threshold\n"
	"    expr: 'if company in [\"shell\", \"acme\"] then min_mu_tax_strict else min_mu_tax'\n"
	"    unit: 万元/亩\n"
	"  - id: hcle\n"
	"    expr: if intensity > hcle_intensity then mu_tax < 10 else false\n",
	"rules:\n"
	"  - id: r_if\n"
	"    cite: x\n"
	"    require: mu_tax >= threshold\n"
	"    message:\n"
	"      en: \"tax per mu {mu_tax:.2} against {threshold}\"\n"
	"      fail: {en: \"tax per mu {mu_tax:,.1} below {threshold}, gap {gap}\"}\n"
	"  - {id: r_if_num, cite: x, require: \"(if rd_share > 2% then mu_va else mu_tax * 4) >= 150\"}\n"
	"  - {id: r_nested, cite: x, require: \"if sector == \\\"化工\\\" then (if is_key then true else intensity <= 0.52) else mu_va >= 100\"}\n"
	"  - {id: r_table, cite: x, require: \"mu_tax >= tax_min[sector]\"}\n"
	"  - {id: r_table_int, cite: x, require: \"productivity >= prod_min[industry]\"}\n"
	"  - {id: r_table_2d, cite: x, require: \"mu_va >= va_min[company, sector]\", message: {pass: {en: \"ok {mu_va:.0d}\"}}}\n"
	"  - {id: r_hcle, cite: x, require: not hcle}\n"
	"  - {id: r_date, cite: x, when: opened >= date(\"2022-01-01\"), require: \"if is_key then true else rd_share > 1% or mu_tax >= 20\"}\n"
	"  - {id: r_all, cite: x, all_of: [r_if, r_table]}\n"
	"  - {id: r_any, cite: x, any_of: [r_if_num, r_hcle]}\n"
	"  - {id: r_met, cite: x, require: met(r_all) or mu_va >= 200}\n"
	"  - {id: r_list, cite: x, require: \"count(p in plots where p > 10 [亩]) >= 1 or sum(plots) >= land_area\"}\n",
	"scorecards:\n"
	"  - id: mujun\n"
	"    cite: x\n"
	"    scope: land_area >= 5\n"
	"    components:\n"
	"      - {id: tax, value: mu_tax, benchmark: bench_mu_tax, weight: 30, cap: 1.5}\n"
	"      - {id: va, value: mu_va, benchmark: bench_mu_va, weight: 20, cap: 1.5}\n"
	"      - {id: prod, value: productivity, benchmark: bench_prod, weight: 20, cap: 1.5}\n"
	"      - {id: rd, value: rd_share, benchmark: bench_rd, weight: 15, cap: 2, missing: zero}\n"
	"      - {id: energy, value: va_per_tce, benchmark: bench_va_per_tce, weight: 15, cap: 1.5}\n"
	"    vetoes:\n"
	"      - {id: hcle, when: hcle, cite: x, class: D}\n"
	"    classes:\n"
	"      - {id: A, min: 90}\n"
	"      - {id: B, min: 70}\n"
	"      - {id: C, min: 50}\n"
	"      - {id: D}\n",
};

static char forms_yaml[8192];

/* forms_yaml, joined. */
static const char *forms(void)
{
	if (!forms_yaml[0])
		for (size_t k = 0; k < sizeof forms_yaml_parts / sizeof forms_yaml_parts[0]; k++)
			strcat(forms_yaml, forms_yaml_parts[k]);
	return forms_yaml;
}

/* Set the industry code (in a range, on a range's end, a row without a
 * value, no row: the default, or missing) and the plots (a list: empty
 * cell, one, several, exactly 10, a missing element, or missing). */
static void set_industry(const rulebook *rb, rulebook_facts *f, unsigned pick)
{
	static const char *const codes[] = {"13", "20", "25", "31", "40", NULL};
	static const char *const plots[] = {"5", "3.5；9；12", "10;10", "12.5;0.1;7", "1;;2",
					    NULL, "0.3、0.3、0.4"};
	size_t idx;
	ck_assert_int_eq(rulebook_input_index(rb, "industry", 8, &idx), RULEBOOK_OK);
	const char *c = codes[pick % 6];
	if (c)
		ck_assert_int_eq(rulebook_facts_set_decimal_at(f, idx, c, strlen(c), NULL), RULEBOOK_OK);
	else
		ck_assert_int_eq(rulebook_facts_set_missing_at(f, idx), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_input_index(rb, "plots", 5, &idx), RULEBOOK_OK);
	c = plots[(pick / 6) % 7];
	if (c)
		ck_assert_int_eq(rulebook_facts_set_text_at(f, idx, c, strlen(c), NULL), RULEBOOK_OK);
	else
		ck_assert_int_eq(rulebook_facts_set_missing_at(f, idx), RULEBOOK_OK);
}

/* How many instructions of the exact program this evaluation ran. */
static size_t ran(const rulebook_result *r)
{
	size_t n = 0;
	for (uint32_t pc = 0; pc < r->rb->ncode; pc++)
		n += r->done[pc] == r->stamp;
	return n;
}

START_TEST(test_forms_identity)
{
	rulebook *rb = load(forms());
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	record r;
	char what[64];
	size_t decided = 0, fell_back = 0;
	for (int k = 0; k < 3000; k++) {
		if (k % 3 == 2)
			wild(&r);
		else
			ordinary(&r);
		/* every seventh on the 37 or the 45 threshold of r_if */
		if (k % 7 == 0) {
			rec_set(&r, I_LAND, "31.3");
			rec_set(&r, I_TAX, k % 14 ? "1158.1" : "1408.5");
		}
		apply(rb, f, &r);
		set_industry(rb, f, (unsigned)k);
		snprintf(what, sizeof what, "record %d", k);
		eval_both(rb, f, AS_OF, fr, er, what);
		decided += fr->decided_fast;
		fell_back += fr->fell_back;
		for (size_t i = 0; i < rulebook_rule_count(rb); i++)
			REQ_MSG(rulebook_result_illustrative(fr, i) == rulebook_result_illustrative(er, i),
				"%s: rule %s: illustrative %d vs %d", what, rulebook_rule_id(rb, i),
				rulebook_result_illustrative(fr, i), rulebook_result_illustrative(er, i));
		/* verdicts, classes, scores and illustrative marks read: the
		 * exact program has not run as a whole */
		if (fr->decided_fast)
			REQ_MSG(!fr->exact, "%s: the exact program ran", what);
		same_outputs(rb, fr, er, what);
	}
	/* the binary run decides every record (none evaluated again in
	 * full); those on a threshold, and the folds over plots, are computed
	 * exactly for an instruction and what it depends on */
	REQ_MSG(decided > 2900, "only %zu of 3000 records decided in binary", decided);
	ck_assert_uint_gt(fell_back, 100);
	ck_assert_uint_lt(fell_back, decided);
	free_all(rb, f, fr, er);
}
END_TEST

START_TEST(test_forms_fallback_one_comparison)
{
	rulebook *rb = load(forms());
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	size_t r_if, r_all;
	ck_assert_int_eq(rulebook_rule_index(rb, "r_if", 4, &r_if), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_rule_index(rb, "r_all", 5, &r_all), RULEBOOK_OK);
	/* 1158.1 / 31.3 = 37 exactly: on the threshold of r_if for a company
	 * outside the list; 30 for 纺织 (r_table passes) */
	record r;
	base_record(&r);
	rec_set(&r, I_COMPANY, "other");
	apply(rb, f, &r);
	set_industry(rb, f, 0);
	ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
	ck_assert(fr->decided_fast);
	ck_assert(fr->fell_back);
	ck_assert_int_eq(rulebook_result_decided_exactly(fr), 1);
	ck_assert(!fr->exact);
	ck_assert_int_eq(rulebook_result_verdict(fr, r_if), RULEBOOK_PASS);
	ck_assert_int_eq(rulebook_result_verdict(fr, r_all), RULEBOOK_PASS);
	/* only the comparison's cone ran: mu_tax and the threshold */
	size_t before = ran(fr);
	ck_assert_uint_gt(before, 0);
	ck_assert_uint_lt(before, rb->ncode / 4);
	ck_assert_int_eq(rulebook_result_illustrative(fr, r_if), 0); /* min_mu_tax is cited */
	/* the score, computed alone: 37 + 24 + 12 + 11.5 + 14.4230769… */
	const char *score = rulebook_result_score(fr, 0);
	ck_assert_ptr_nonnull(score);
	ck_assert(strncmp(score, "98.923076923", 12) == 0);
	ck_assert(!fr->exact);
	ck_assert_uint_gt(ran(fr), before);
	ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, er, NULL), RULEBOOK_OK);
	ck_assert_str_eq(score, rulebook_result_score(er, 0));
	ck_assert_str_eq(rulebook_result_class(fr, 0), "A");

	/* in the list: the illustrative 45 applies and r_if fails */
	rec_set(&r, I_COMPANY, "acme");
	apply(rb, f, &r);
	set_industry(rb, f, 0);
	ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
	ck_assert_int_eq(rulebook_result_verdict(fr, r_if), RULEBOOK_FAIL);
	ck_assert_int_eq(rulebook_result_illustrative(fr, r_if), 1);
	ck_assert(!fr->exact);
	free_all(rb, f, fr, er);
}
END_TEST

START_TEST(test_population_fast)
{
	/* a population with a scorecard evaluates in binary, keeping the
	 * exact scores: the same as record by record in exact decimals */
	rulebook *rb = load(forms());
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *er = exact_result(rb);
	rulebook_population *pop = rulebook_population_new(rb, AS_OF);
	ck_assert_ptr_nonnull(pop);
	enum { N = 400 };
	char *scores[N];
	int16_t classes[N];
	record r;
	for (int k = 0; k < N; k++) {
		if (k % 3 == 2)
			wild(&r);
		else
			ordinary(&r);
		apply(rb, f, &r);
		set_industry(rb, f, (unsigned)k);
		ck_assert_int_eq(rulebook_population_add(pop, f, NULL), RULEBOOK_OK);
		ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, er, NULL), RULEBOOK_OK);
		const char *s = rulebook_result_score(er, 0);
		scores[k] = s ? strdup(s) : NULL;
		const char *c = rulebook_result_class(er, 0);
		classes[k] = (int16_t)(!c ? -1 : !strcmp(c, "not_rated") ? -2 : c[0] - 'A');
		for (size_t i = 0; i < rulebook_rule_count(rb); i++)
			ck_assert_int_eq(rulebook_population_verdict(pop, (size_t)k, i),
					 rulebook_result_verdict(er, i));
	}
	int16_t got[N];
	ck_assert_int_eq(rulebook_population_classes(pop, 0, got), RULEBOOK_OK);
	for (int k = 0; k < N; k++) {
		ck_assert_int_eq(got[k], classes[k]);
		const char *s = rulebook_population_score(pop, (size_t)k, 0);
		REQ_MSG(same_str(s, scores[k]), "record %d: population score %s, exact %s", k, show(s),
			show(scores[k]));
		free(scores[k]);
	}
	rulebook_population_free(pop);
	rulebook_result_free(er);
	rulebook_facts_free(f);
	rulebook_free(rb);
}
END_TEST

/* 9. Reading the score after a binary run computes only the branch each
 * capped component took (the skipped branch's slots keep the last
 * record's values), and a text input is compared with a rulebook's texts
 * by the id the facts stored. Hand-checked scores: 30 × min(mu_tax / 30,
 * 1.5) with mu_tax = tax / land; values and points read after the score
 * are those of this record, alternately capped and not. */
static const char *const branch_yaml =
	"rulebook: 1\n"
	"id: test.branch\n"
	"title: {en: branch}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2022-01-01}\n"
	"in_force: {from: 2022-01-01}\n"
	"inputs:\n"
	"  - {id: land, type: number}\n"
	"  - {id: tax, type: number}\n"
	"  - {id: town, type: text}\n"
	"parameters:\n"
	"  - {id: bench, cite: x, provenance: cited, value: 30}\n"
	"  - {id: lo, cite: x, provenance: cited, value: 37}\n"
	"  - {id: hi, cite: x, provenance: cited, value: 45}\n"
	"indicators:\n"
	"  - {id: mu_tax, expr: tax / land}\n"
	"  - id: threshold\n"
	"    expr: 'if town in [\"青山湖街道\", \"锦南街道\"] then hi else lo'\n"
	"rules:\n"
	"  - {id: R1, cite: x, require: mu_tax >= threshold}\n"
	"  - {id: R2, cite: x, require: town == \"锦南街道\"}\n"
	"scorecards:\n"
	"  - id: s\n"
	"    cite: x\n"
	"    components:\n"
	"      - {id: tax, value: mu_tax, benchmark: bench, weight: 30, cap: 1.5}\n"
	"    classes:\n"
	"      - {id: A, min: 40}\n"
	"      - {id: B}\n";

START_TEST(test_score_branch_and_texts)
{
	rulebook *rb = load(branch_yaml);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	/* the town list is interned: two texts, both in the `or` of one
	 * instruction, which is fused with the choice of threshold it feeds */
	ck_assert_uint_eq(rb->inputs[2].ninterned, 2);
	size_t text_selects = 0;
	for (uint32_t j = 0; j < rb->nfcode; j++)
		text_selects += rb->fcode[j].op == RB_F_TEXT_SELECT;
	ck_assert_uint_eq(text_selects, 1);
	/* the score program skips by the capped comparison's binary answer */
	ck_assert_uint_eq(rb->scorecards[0].nscore_conds, 1);
	static const struct {
		const char *land, *tax, *town;
		const char *score, *points, *mu_tax, *threshold;
		int r1, r2;
	} rec[] = {
		/* 1000 / 10 = 100 > 45: capped, 30 × 1.5 */
		{"10", "1000", "青山湖街道", "45", "45", "100", "45", RULEBOOK_PASS, RULEBOOK_FAIL},
		/* 300 / 10 = 30: 30 × 30 / 30 */
		{"10", "300", "锦南街道", "30", "30", "30", "45", RULEBOOK_FAIL, RULEBOOK_PASS},
		/* capped again, then 40 / 1 = 40 (not capped): 40 */
		{"2", "1000", "锦城街道", "45", "45", "500", "37", RULEBOOK_PASS, RULEBOOK_FAIL},
		{"1", "40", "青山湖大道", "40", "40", "40", "37", RULEBOOK_PASS, RULEBOOK_FAIL},
		/* exactly at the cap: 45 is not above 45, so 30 × 45 / 30 */
		{"1", "45", "青山湖街", "45", "45", "45", "37", RULEBOOK_PASS, RULEBOOK_FAIL},
		/* 1 / 3 = 0.333…: 30 × 0.333333333333333333 / 30 */
		{"3", "1", "", "0.333333333333333333", "0.333333333333333333",
		 "0.333333333333333333", "37", RULEBOOK_FAIL, RULEBOOK_FAIL},
		{"10", "1000", "锦南街道", "45", "45", "100", "45", RULEBOOK_PASS, RULEBOOK_PASS},
	};
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < sizeof rec / sizeof rec[0]; k++) {
			char what[64];
			snprintf(what, sizeof what, "record %zu, pass %d", k, pass);
			ck_assert_int_eq(rulebook_facts_set_text(f, "land", rec[k].land, NULL), RULEBOOK_OK);
			ck_assert_int_eq(rulebook_facts_set_text(f, "tax", rec[k].tax, NULL), RULEBOOK_OK);
			/* by name (the general path) in pass 0, by index in pass 1 */
			if (pass == 0)
				ck_assert_int_eq(rulebook_facts_set_text(f, "town", rec[k].town, NULL),
						 RULEBOOK_OK);
			else
				ck_assert_int_eq(rulebook_facts_set_text_at(f, 2, rec[k].town,
									 strlen(rec[k].town), NULL),
						 RULEBOOK_OK);
			/* the interned id stored with the text: 青山湖街道 1, 锦南街道 2 */
			uint32_t id = !strcmp(rec[k].town, "青山湖街道") ? 1
				      : !strcmp(rec[k].town, "锦南街道") ? 2
									 : RB_TEXT_OTHER;
			ck_assert_uint_eq(f->vals[2].at, id);
			ck_assert_uint_eq(f->fvals[2].at, id);
			/* pass 0 reads the values first, pass 1 the score (eval_both) */
			if (pass == 0)
				ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, fr, NULL), RULEBOOK_OK);
			else
				eval_both(rb, f, AS_OF, fr, er, what);
			REQ_MSG(same_str(rulebook_result_component(fr, 0, 0, RULEBOOK_COMPONENT_POINTS),
					 rec[k].points),
				"%s: points %s", what,
				show(rulebook_result_component(fr, 0, 0, RULEBOOK_COMPONENT_POINTS)));
			REQ_MSG(same_str(rulebook_result_value(fr, "mu_tax"), rec[k].mu_tax),
				"%s: mu_tax %s", what, show(rulebook_result_value(fr, "mu_tax")));
			REQ_MSG(same_str(rulebook_result_value(fr, "threshold"), rec[k].threshold),
				"%s: threshold %s", what, show(rulebook_result_value(fr, "threshold")));
			REQ_MSG(same_str(rulebook_result_score(fr, 0), rec[k].score), "%s: score %s", what,
				show(rulebook_result_score(fr, 0)));
			ck_assert_int_eq(rulebook_result_verdict(fr, 0), rec[k].r1);
			ck_assert_int_eq(rulebook_result_verdict(fr, 1), rec[k].r2);
			if (pass == 0) {
				ck_assert_int_eq(rulebook_eval(rb, f, AS_OF, er, NULL), RULEBOOK_OK);
				same_outcome(rb, fr, er, what);
			}
		}
	}
	/* a town missing: the comparisons are unknown, the score is not */
	ck_assert_int_eq(rulebook_facts_set_missing(f, "town", NULL), RULEBOOK_OK);
	eval_both(rb, f, AS_OF, fr, er, "missing town");
	ck_assert_int_eq(rulebook_result_verdict(fr, 0), RULEBOOK_UNKNOWN);
	ck_assert_int_eq(rulebook_result_verdict(fr, 1), RULEBOOK_UNKNOWN);
	ck_assert_str_eq(rulebook_result_score(fr, 0), "45");
	/* a text set from JSON is interned the same way */
	static const char json[] = "{\"town\": \"锦南街道\"}";
	ck_assert_int_eq(rulebook_facts_set_json(f, json, strlen(json), NULL), RULEBOOK_OK);
	eval_both(rb, f, AS_OF, fr, er, "town from JSON");
	ck_assert_int_eq(rulebook_result_verdict(fr, 1), RULEBOOK_PASS);
	free_all(rb, f, fr, er);
}
END_TEST

/* A dated weight: the score program's as-of part (weight × cap, the points
 * of a capped component) is computed once per as-of date and again when
 * the date changes, also on the same result between records. Hand-checked:
 * weight 60 until 2022, 30 from 2023; cap 2 × benchmark 30 = 60. */
static const char *const dated_weight_yaml =
	"rulebook: 1\n"
	"id: test.fastpath.dated_weight\n"
	"title: {en: dated weight}\n"
	"subject: enterprise\n"
	"source: {issuer: test, document: test, issued: 2021-01-01}\n"
	"inputs:\n"
	"  - {id: land_area, type: number}\n"
	"  - {id: tax, type: number}\n"
	"parameters:\n"
	"  - id: w\n"
	"    cite: x\n"
	"    provenance: cited\n"
	"    values: [{from: 2021-01-01, value: 60}, {from: 2023-01-01, value: 30}]\n"
	"  - {id: bench, cite: x, provenance: cited, value: 30}\n"
	"indicators:\n"
	"  - {id: per, expr: tax / land_area}\n"
	"rules:\n"
	"  - {id: R, cite: x, require: per >= 37}\n"
	"scorecards:\n"
	"  - id: sc\n"
	"    cite: x\n"
	"    components:\n"
	"      - {id: tax, value: per, benchmark: bench, weight: w, cap: 2}\n"
	"    classes:\n"
	"      - {id: A, min: 100}\n"
	"      - {id: B}\n";

START_TEST(test_score_dated_weight)
{
	rulebook *rb = load(dated_weight_yaml);
	ck_assert_uint_gt(rb->scorecards[0].nscore_inv, 0); /* weight × cap is as-of work */
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *fr = fast_result(rb), *er = exact_result(rb);
	static const struct {
		const char *tax;         /* land 10 */
		const char *score[2];    /* as of 2022-06-30, 2023-06-30 */
	} rec[] = {
		{"700", {"120", "60"}},  /* 70 > 60: capped, w × 2 */
		{"400", {"80", "40"}},   /* w × 40 / 30 */
		{"450", {"90", "45"}},
		{"900", {"120", "60"}},
	};
	static const int32_t on[2] = {20220630, 20230630};
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < sizeof rec / sizeof rec[0]; k++) {
			ck_assert_int_eq(rulebook_facts_set_text(f, "land_area", "10", NULL), RULEBOOK_OK);
			ck_assert_int_eq(rulebook_facts_set_text(f, "tax", rec[k].tax, NULL), RULEBOOK_OK);
			for (int d0 = 0; d0 < 2; d0++) {
				int d = (d0 + round + (int)k) % 2;
				char what[96];
				snprintf(what, sizeof what, "tax %s as of %d, round %d", rec[k].tax,
					 (int)on[d], round);
				eval_both(rb, f, on[d], fr, er, what);
				REQ_MSG(fr->decided_fast, "%s: not decided in binary", what);
				REQ_MSG(same_str(rulebook_result_score(fr, 0), rec[k].score[d]),
					"%s: score %s, expected %s", what,
					show(rulebook_result_score(fr, 0)), rec[k].score[d]);
				REQ_MSG(same_str(rulebook_result_score(er, 0), rec[k].score[d]),
					"%s: exact score %s", what, show(rulebook_result_score(er, 0)));
			}
		}
	}
	/* The stamps wrap: every exact value is forgotten, the as-of part too.
	 * A new result read on one date gets pstamp 1; after 2^32 - 1 more
	 * evaluations on that date the stamp wraps while the date changes,
	 * and pstamp is 1 again: the as-of part must not pass for done. */
	rulebook_result *w = fast_result(rb);
	ck_assert_int_eq(rulebook_facts_set_text(f, "tax", "700", NULL), RULEBOOK_OK);
	eval_both(rb, f, on[0], w, er, "before the wrap");
	ck_assert_uint_eq(w->pstamp, 1);
	ck_assert_str_eq(rulebook_result_score(w, 0), "120");
	w->stamp = UINT32_MAX;
	eval_both(rb, f, on[1], w, er, "after the wrap");
	ck_assert_uint_eq(w->stamp, 1);
	ck_assert_uint_eq(w->pstamp, 1);
	ck_assert_str_eq(rulebook_result_score(w, 0), "60");
	rulebook_result_free(w);
	free_all(rb, f, fr, er);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fastpath");
	TCase *conv = tcase_create("conversion");
	tcase_add_test(conv, test_from_dec_random);
	tcase_add_test(conv, test_from_dec_hand_picked);
	tcase_add_test(conv, test_from_short_double);
	tcase_add_test(conv, test_short_double_edges);
	tcase_add_test(conv, test_text_ids);
	tcase_add_test(conv, test_set_double_at_forms);
	tcase_add_test(conv, test_text_utf8_runs);
	suite_add_tcase(s, conv);
	TCase *prog = tcase_create("programs");
	tcase_set_timeout(prog, 120);
	tcase_add_test(prog, test_run_fast_compare);
	tcase_add_test(prog, test_run_fast_div_mul);
	tcase_add_test(prog, test_run_fast_round);
	tcase_add_test(prog, test_run_fast_program);
	tcase_add_test(prog, test_run_fast_bounds_hold);
	suite_add_tcase(s, prog);
	TCase *api = tcase_create("identity");
	tcase_set_timeout(api, 240);
	tcase_add_test(api, test_identity_thresholds);
	tcase_add_test(api, test_identity_random);
	tcase_add_test(api, test_scaled_program);
	tcase_add_test(api, test_fixed_values_checked);
	tcase_add_test(api, test_bound_limit);
	tcase_add_test(api, test_fixed_difference);
	tcase_add_test(api, test_random_expressions);
	tcase_add_test(api, test_plain_rules);
	tcase_add_test(api, test_lazy_values);
	tcase_add_test(api, test_division_by_zero);
	tcase_add_test(api, test_dated_parameters);
	tcase_add_test(api, test_fast_ok_toggled);
	tcase_add_test(api, test_capped_invariant_factor);
	tcase_add_test(api, test_rewrite_underflow);
	tcase_add_test(api, test_rewrite_overflow);
	tcase_add_test(api, test_edges_without_rewrite);
	tcase_add_test(api, test_forms_identity);
	tcase_add_test(api, test_forms_fallback_one_comparison);
	tcase_add_test(api, test_population_fast);
	tcase_add_test(api, test_score_branch_and_texts);
	tcase_add_test(api, test_score_dated_weight);
	suite_add_tcase(s, api);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
