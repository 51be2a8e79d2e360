/* The three-valued rules shared by the two interpreters of a compiled
 * program: the exact one (eval.c) and the binary fast path (fastpath.c).
 * A slot is present, missing or an error; an error is the more specific
 * explanation, so it wins over a missing operand. */
#ifndef RB_VALUES_H
#define RB_VALUES_H

#include "compiled.h"

#include <stdbool.h>
#include <string.h>

static inline void rb_set_err(rb_val *d, const rb_val *src)
{
	d->state = RB_V_ERROR;
	d->err = src->err;
	d->at = src->at;
}

/* Propagate missing/error from operands; true when all are present. */
static inline bool rb_both_ok(rb_val *d, const rb_val *a, const rb_val *b)
{
	if ((a->state | b->state) == RB_V_OK)
		return true;
	if (a->state == RB_V_ERROR)
		rb_set_err(d, a);
	else if (b->state == RB_V_ERROR)
		rb_set_err(d, b);
	else
		d->state = RB_V_MISSING;
	return false;
}

static inline bool rb_one_ok(rb_val *d, const rb_val *a)
{
	if (a->state == RB_V_OK)
		return true;
	if (a->state == RB_V_ERROR)
		rb_set_err(d, a);
	else
		d->state = RB_V_MISSING;
	return false;
}

/* The state of a number the exact interpreters computed: present, or the
 * error its decimal operation gave (raised by instruction at). */
static inline void num_result(rb_val *d, rb_dec_status st, uint32_t at)
{
	if (st == RB_DEC_OK) {
		d->state = RB_V_OK;
		return;
	}
	d->state = RB_V_ERROR;
	d->err = st == RB_DEC_DIVZERO ? RB_VERR_DIVZERO : RB_VERR_OVERFLOW;
	d->at = at;
}

static inline void rb_bool_result(rb_val *d, int b)
{
	d->state = RB_V_OK;
	d->u.b = b;
}

/* Kleene logic: false dominates 'and', true dominates 'or'; otherwise an
 * error or a missing operand leaves the result undecided. */
static inline void rb_logic(rb_val *d, const rb_val *a, const rb_val *b, int dominant)
{
	if ((a->state == RB_V_OK && a->u.b == dominant) || (b->state == RB_V_OK && b->u.b == dominant)) {
		rb_bool_result(d, dominant);
		return;
	}
	if (rb_both_ok(d, a, b))
		rb_bool_result(d, !dominant);
}

static inline int rb_int_cmp(int32_t a, int32_t b)
{
	return (a > b) - (a < b);
}

/* The cases of the instructions that do not touch numbers, the same in all
 * interpreters (one switch keeps dispatch to a single indirect jump).
 * Expects d, a, b (slot pointers), i (the instruction) and s (the slots)
 * in scope. RB_NON_NUMERIC_OPS(CASE, NEXT) writes each but RB_I_SELECT as CASE(opcode):
 * then its statement, then NEXT, for an interpreter that dispatches
 * otherwise than with a switch (fastpath.c); RB_NON_NUMERIC_CASES is the
 * switch's form. */
#define RB_NON_NUMERIC_OPS(CASE, NEXT)                                                        \
	CASE(RB_I_IEQ): if (rb_both_ok(d, a, b)) rb_bool_result(d, a->u.b == b->u.b); NEXT;   \
	CASE(RB_I_INE): if (rb_both_ok(d, a, b)) rb_bool_result(d, a->u.b != b->u.b); NEXT;   \
	CASE(RB_I_ILT): if (rb_both_ok(d, a, b)) rb_bool_result(d, rb_int_cmp(a->u.b, b->u.b) < 0); NEXT;  \
	CASE(RB_I_ILE): if (rb_both_ok(d, a, b)) rb_bool_result(d, rb_int_cmp(a->u.b, b->u.b) <= 0); NEXT; \
	CASE(RB_I_IGT): if (rb_both_ok(d, a, b)) rb_bool_result(d, rb_int_cmp(a->u.b, b->u.b) > 0); NEXT;  \
	CASE(RB_I_IGE): if (rb_both_ok(d, a, b)) rb_bool_result(d, rb_int_cmp(a->u.b, b->u.b) >= 0); NEXT; \
	CASE(RB_I_TEQ):                                                                       \
	CASE(RB_I_TNE):                                                                       \
		if (rb_both_ok(d, a, b)) {                                                    \
			int eq_ = a->u.t.len == b->u.t.len &&                                 \
				  memcmp(a->u.t.s, b->u.t.s, a->u.t.len) == 0;                \
			rb_bool_result(d, i->op == RB_I_TEQ ? eq_ : !eq_);                    \
		}                                                                             \
		NEXT;                                                                         \
	CASE(RB_I_AND): rb_logic(d, a, b, 0); NEXT;                                           \
	CASE(RB_I_OR): rb_logic(d, a, b, 1); NEXT;                                            \
	CASE(RB_I_NOT): if (rb_one_ok(d, a)) rb_bool_result(d, !a->u.b); NEXT;                \
	CASE(RB_I_MISSING): rb_bool_result(d, a->state == RB_V_MISSING); NEXT;                \
	CASE(RB_I_COALESCE): *d = a->state == RB_V_MISSING ? *b : *a; NEXT

#define RB_SWITCH_CASE(op) case op
/* with RB_I_SELECT, whose third slot is an index here (fastpath.c's
 * per-record run reads byte offsets, and has its own) */
#define RB_NON_NUMERIC_CASES                                                          \
	RB_NON_NUMERIC_OPS(RB_SWITCH_CASE, break);                                    \
	case RB_I_SELECT: if (rb_one_ok(d, a)) *d = a->u.b ? *b : s[i->c]; break

#endif
