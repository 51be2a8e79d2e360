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

#include <stdbool.h>

/* Build rb->fcode and rb->fconsts from rb->code and rb->consts; numeric[i]
 * tells whether constant slot i holds a number. Leaves the fast path off
 * (fcode NULL) when memory runs out. */
void rb_fast_prepare(rulebook *rb, const uint8_t *numeric);

/* Which of the input's interned texts s[0..len) is: RB_TEXT_* (compiled.h). */
uint32_t rb_fast_text_id(const rb_input *in, const char *s, size_t len);

/* A decimal as a double with its error bound (v->u.f). */
void rb_fast_from_dec(rb_dec d, rb_val *v);

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
