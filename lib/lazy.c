/* Lazy exact values. When the binary fast path decides a record, the exact
 * program does not run; what a caller then reads — a score, a value, a
 * gap, whether a rule rests on an illustrative figure — is computed
 * exactly from the inputs by running only the instructions that value
 * depends on, each at most once per evaluation. The same machinery lets
 * the fast path hand a single instruction it cannot decide (a comparison
 * too close to call, a divisor that might be zero, a value out of its
 * range) to exact decimals and carry on with the exact answer, instead of
 * evaluating the whole record again.
 *
 * The program is in SSA form and ordered, so a slot has one writer and the
 * writers of its operands come before it. A result stamps each instruction
 * it computes with the evaluation's stamp; instructions that depend on the
 * as-of date and parameters alone keep their values, and their stamps stay
 * valid, until the parameters change. */
#include "compiled.h"
#include "fastpath.h"
#include "alloc.h"

#include <string.h>

/* Fast-path-only opcodes that write no slot of their own (fastpath.c). */
#define RB_F_PRESENT 100
#define RB_F_CAPPED 101
#define RB_F_MULQ 102
#define RB_F_MODERATE 103
#define RB_F_STOP 104

static bool numeric_op(uint16_t op)
{
	return (op >= RB_I_ADD && op <= RB_I_ROUND) || op == RB_I_YEAR;
}

/* Whether fast instruction f computes the value the exact program writes
 * to f->dst (a rewritten quotient, for one, does not). */
static bool stands_for(const rulebook *rb, const rb_fins *f)
{
	uint32_t w = rb->writer[f->dst];
	if (f->op == RB_F_PRESENT || f->op == RB_F_MODERATE || w == RB_NO_WRITER)
		return false;
	uint16_t op = rb->code[w].op;
	if (f->op == RB_F_CAPPED)
		return op == RB_I_SELECT;
	if (f->op == RB_F_MULQ)
		return op == RB_I_DIV;
	if (f->op == RB_F_STOP)
		return op == RB_I_EACH;
	return f->op == op;
}

/* A fold over a list (RB_I_EACH) runs with its body, as one instruction:
 * every slot of the body, and the element slots, have the fold as their
 * writer, and what the fold depends on is its list and every slot from
 * outside that its body reads. */
static uint32_t body_end(const rb_ins *e, uint32_t pc)
{
	return pc + 1 + (uint32_t)e->num;
}

/* Mark the slots instruction pc reads as needed (a fold: its list and the
 * outside slots its body reads). */
static void need_operands(const rulebook *rb, const uint32_t *writer, uint32_t pc,
			  uint8_t *needed)
{
	const rb_ins *i = &rb->code[pc];
	needed[i->a] = 1;
	if (i->op != RB_I_EACH) {
		needed[i->b] = 1;
		if (i->op == RB_I_SELECT)
			needed[i->c] = 1;
		return;
	}
	for (uint32_t q = pc + 1, end = body_end(i, pc); q < end; q++) {
		const rb_ins *j = &rb->code[q];
		uint32_t ops[3] = {j->a, j->b, j->op == RB_I_SELECT ? j->c : j->a};
		for (int k = 0; k < 3; k++)
			if (writer[ops[k]] != pc)
				needed[ops[k]] = 1;
	}
}

/* The per-record part of a score's cone as one straight program, so that
 * reading the score runs it in one pass instead of instruction by
 * instruction; the as-of part stays in the cone (run once per date). Not
 * built when the cone holds a fold (its body runs with it) or memory runs
 * out. */
static void score_program(rulebook *rb, rb_scorecard *sc, const uint8_t *inv)
{
	uint32_t n = 0, ninv = 0;
	for (uint32_t k = 0; k < sc->nscore_cone; k++) {
		uint32_t pc = sc->score_cone[k];
		if (rb->code[pc].op == RB_I_EACH)
			return;
		if (inv[pc])
			ninv++;
		else
			n++;
	}
	rb_ins *code = rb_arena_calloc(&rb->arena, n ? n : 1, sizeof(rb_ins));
	uint32_t *pre = rb_arena_calloc(&rb->arena, ninv ? ninv : 1, sizeof(uint32_t));
	if (!code || !pre)
		return;
	n = ninv = 0;
	for (uint32_t k = 0; k < sc->nscore_cone; k++) {
		uint32_t pc = sc->score_cone[k];
		if (inv[pc]) {
			pre[ninv++] = pc;
		} else {
			code[n++] = rb->code[pc];
		}
	}
	sc->score_code = code;
	sc->nscore_code = n;
	sc->score_inv = pre;
	sc->nscore_inv = ninv;
}

void rb_lazy_prepare(rulebook *rb, const uint8_t *numeric_consts)
{
	size_t ns = rb->nslots ? rb->nslots : 1, nc = rb->ncode ? rb->ncode : 1;
	uint32_t *writer = rb_arena_calloc(&rb->arena, ns, sizeof(uint32_t));
	uint8_t *inv = rb_arena_calloc(&rb->arena, nc, 1);
	uint8_t *numeric = rb_arena_calloc(&rb->arena, ns, 1);
	uint8_t *valid = rb_arena_calloc(&rb->arena, ns, 1);
	uint8_t *cone = rb_arena_calloc(&rb->arena, nc, 1);
	/* per slot: fixed for an as-of date */
	uint8_t *fixed = rb_calloc(ns, 1);
	/* per slot: a rule depends on it */
	uint8_t *needed = rb_calloc(ns, 1);
	if (!writer || !inv || !numeric || !valid || !cone || !fixed || !needed) {
		rb_free(needed);
		rb_free(fixed);
		return;
	}
	for (size_t k = 0; k < ns; k++)
		writer[k] = RB_NO_WRITER;
	memset(fixed, 1, ns);
	for (uint32_t k = 0; k < rb->ninputs; k++) {
		rb_type t = rb->inputs[k].type;
		numeric[rb->input_base + k] = t == RB_T_NUMBER || t == RB_T_INTEGER;
		fixed[rb->input_base + k] = 0;
	}
	for (uint32_t p = 0; p < rb->nparams; p++)
		numeric[rb->params[p].sym->slot] = 1;
	for (size_t k = 0; k < rb->nslots; k++)
		if (numeric_consts[k])
			numeric[k] = 1;
	uint8_t *in_body = rb_calloc(nc, 1);
	if (!in_body) {
		rb_free(fixed);
		rb_free(needed);
		return;
	}
	for (uint32_t pc = 0; pc < rb->ncode; pc++) {
		const rb_ins *i = &rb->code[pc];
		writer[i->dst] = pc;
		if (i->op == RB_I_EACH) {
			int fold = RB_EACH_FOLD(i->den);
			uint32_t end = body_end(i, pc);
			for (uint32_t q = pc; q < end; q++) {
				const rb_ins *j = &rb->code[q];
				writer[j->dst] = pc;
				fixed[j->dst] = 0;
				if (j->op == RB_I_EACH)
					for (uint32_t k = 0; k < RB_EACH_STRIDE(j->den); k++)
						writer[j->b + k] = pc;
				in_body[q] = q != pc;
			}
			numeric[i->dst] = fold != RB_EACH_ANY && fold != RB_EACH_ALL;
			pc = end - 1;
			continue;
		}
		if (numeric_op(i->op))
			numeric[i->dst] = 1;
		else if (i->op == RB_I_SELECT || i->op == RB_I_COALESCE)
			numeric[i->dst] = numeric[i->b];
		bool f = fixed[i->a] && fixed[i->b] && (i->op != RB_I_SELECT || fixed[i->c]);
		fixed[i->dst] = f;
		inv[pc] = f;
	}
	for (uint32_t r = 0; r < rb->nrules; r++) {
		const rb_rule *ru = &rb->rules[r];
		if (ru->when >= 0)
			needed[ru->when] = 1;
		if (ru->require >= 0)
			needed[ru->require] = 1;
		for (uint32_t k = 0; k < ru->nunless; k++)
			needed[ru->unless[k].when] = 1;
		for (uint32_t k = 0; k < ru->nobligations; k++)
			needed[ru->obligations[k].slot] = 1;
	}
	for (uint32_t pc = rb->ncode; pc-- > 0;) {
		if (in_body[pc] || !needed[rb->code[pc].dst])
			continue;
		cone[pc] = 1;
		need_operands(rb, writer, pc, needed);
	}
	rb->rule_cone = cone;
	/* each scorecard's score: its cone listed once, read per record */
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		rb_scorecard *sc = &rb->scorecards[k];
		uint32_t n = 0;
		memset(needed, 0, ns);
		needed[sc->score] = 1;
		for (uint32_t pc = rb->ncode; pc-- > 0;) {
			if (in_body[pc] || !needed[rb->code[pc].dst])
				continue;
			n++;
			need_operands(rb, writer, pc, needed);
		}
		uint32_t *list = rb_arena_calloc(&rb->arena, n ? n : 1, sizeof(uint32_t));
		if (!list)
			continue; /* read through rb_exact_slot instead */
		uint32_t j = 0;
		for (uint32_t pc = 0; pc < rb->ncode; pc++)
			if (!in_body[pc] && needed[rb->code[pc].dst])
				list[j++] = pc;
		sc->score_cone = list;
		sc->nscore_cone = j;
		score_program(rb, sc, inv);
	}
	rb->writer = writer;
	rb->invariant = inv;
	rb->numeric = numeric;
	if (rb->fcode) {
		/* inputs, parameters, constants and the as-of date are copied
		 * into the fast slots as they are */
		for (size_t k = 0; k < rb->nslots; k++)
			valid[k] = writer[k] == RB_NO_WRITER;
		for (uint32_t j = 0; j < rb->nfpre; j++)
			if (stands_for(rb, &rb->fpre[j]))
				valid[rb->fpre[j].dst] = 1;
		for (uint32_t j = 0; j < rb->nfcode; j++)
			if (stands_for(rb, &rb->fcode[j]))
				valid[rb->fcode[j].dst] = 1;
		rb->fast_valid = valid;
	}
	rb_free(fixed);
	rb_free(needed);
	rb_free(in_body);
}

static inline bool done(const rulebook_result *res, uint32_t pc)
{
	return res->rb->invariant[pc] ? res->done[pc] >= res->pstamp : res->done[pc] == res->stamp;
}

/* The writer of slot x when it still has to run, else RB_NO_WRITER. */
static inline uint32_t pending(const rulebook_result *res, uint32_t x)
{
	uint32_t w = res->rb->writer[x];
	return w != RB_NO_WRITER && !done(res, w) ? w : RB_NO_WRITER;
}

const rb_val *rb_exact_slot(rulebook_result *res, uint32_t slot)
{
	const rulebook *rb = res->rb;
	if (!res->done) {
		rb_result_make_exact(res);
		return &res->slots[slot];
	}
	uint32_t top = 0, w = pending(res, slot);
	if (w == RB_NO_WRITER)
		return &res->slots[slot];
	/* Depth first: an instruction runs once its operands are done. Each
	 * is pushed once, so the work list never holds more than ncode. */
	res->work[top++] = w;
	while (top) {
		uint32_t at = res->work[top - 1];
		const rb_ins *i = &rb->code[at];
		uint32_t next = pending(res, i->a);
		if (i->op == RB_I_EACH) {
			/* the outside slots its body reads */
			for (uint32_t q = at + 1, end = body_end(i, at); next == RB_NO_WRITER && q < end; q++) {
				const rb_ins *j = &rb->code[q];
				uint32_t ops[3] = {j->a, j->b, j->op == RB_I_SELECT ? j->c : j->a};
				for (int k = 0; k < 3 && next == RB_NO_WRITER; k++)
					if (rb->writer[ops[k]] != at)
						next = pending(res, ops[k]);
			}
		} else {
			if (next == RB_NO_WRITER)
				next = pending(res, i->b);
			if (next == RB_NO_WRITER && i->op == RB_I_SELECT)
				next = pending(res, i->c);
		}
		if (next != RB_NO_WRITER) {
			res->work[top++] = next;
			continue;
		}
		uint32_t pc = res->work[--top];
		rb_run_one(rb, pc, res->slots);
		res->done[pc] = res->stamp;
	}
	return &res->slots[slot];
}

const rb_val *rb_exact_cone(rulebook_result *res, const uint32_t *cone, uint32_t n,
			    uint32_t slot)
{
	if (res->exact)
		return &res->slots[slot];
	if (!cone || !res->done)
		return rb_exact_slot(res, slot);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t pc = cone[k];
		if (!done(res, pc)) {
			rb_run_one(res->rb, pc, res->slots);
			res->done[pc] = res->stamp;
		}
	}
	return &res->slots[slot];
}

const rb_val *rb_exact_score_slow(rulebook_result *res, uint32_t i)
{
	const rb_scorecard *sc = &res->rb->scorecards[i];
	if (!sc->score_code || !res->done || res->rb->writer[sc->score] == RB_NO_WRITER)
		return rb_exact_cone(res, sc->score_cone, sc->nscore_cone, sc->score);
	if (done(res, res->rb->writer[sc->score]))
		return &res->slots[sc->score];
	rb_exact_cone(res, sc->score_inv, sc->nscore_inv, 0);
	/* An instruction a fallback already computed runs again: it gives
	 * the same value. Only the score is stamped done; a later read of a
	 * value of its cone computes that value again. */
	rb_run_code(sc->score_code, sc->nscore_code, res->slots);
	res->done[res->rb->writer[sc->score]] = res->stamp;
	return &res->slots[sc->score];
}

void rb_fast_fallback(rulebook_result *res, uint32_t dst)
{
	const rb_val *v = rb_exact_at(res, dst);
	rb_val *f = &res->fslots[dst];
	*f = *v;
	if (v->state == RB_V_OK && res->rb->numeric[dst])
		rb_fast_from_dec(v->u.d, f);
	res->fell_back = true;
}
