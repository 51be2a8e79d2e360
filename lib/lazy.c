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
#include "values.h"
#include "attributes.h"

#include <string.h>

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
	if (f->op == RB_F_TEXT_IN)
		return op == RB_I_OR || op == RB_I_TEQ;
	if (f->op == RB_F_TEXT_SELECT)
		return op == RB_I_SELECT;
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

/* What an instruction of a score's cone is needed for: always (sel < 0),
 * or, below a choice `if c then x else y` whose condition c the binary run
 * decides (guard sel), only for some of its outcomes. */
enum { NEED_UNDECIDED = 1, NEED_TRUE = 2, NEED_FALSE = 4, NEED_ANY = 7 };
#define NEED_NONE (-2)
#define NEED_ALWAYS (-1)

typedef struct need {
	int32_t sel;            /* guard, NEED_ALWAYS or NEED_NONE */
	uint8_t mask;           /* NEED_*: the outcomes under which it is needed */
} need;

static void need_add(need *n, int32_t sel, uint8_t mask)
{
	if (n->sel == NEED_NONE) {
		n->sel = sel;
		n->mask = mask;
	} else if (n->sel == NEED_ALWAYS || sel == NEED_ALWAYS || n->sel != sel) {
		n->sel = NEED_ALWAYS;
	} else if ((n->mask |= mask) == NEED_ANY) {
		n->sel = NEED_ALWAYS;
	}
}

/* The op that ends a score program (no instruction has op 0). */
#define SCORE_END 0

/* The per-record part of a score's cone as one straight program, so that
 * reading the score runs it in one pass instead of instruction by
 * instruction; the as-of part stays in the cone (run once per date).
 *
 * A choice whose condition the binary run decides (a capped component:
 * value > cap ? weight × cap : weight × value / benchmark) needs only the
 * branch it took, and not the condition's own instructions: the
 * condition's exact answer is copied from the binary run before the
 * program runs (the program is only used after a binary run), and what
 * one branch alone needs is grouped before the choice behind an RB_I_SKIP
 * on the condition. A group's members are read by the choice and by each
 * other alone, so grouping keeps every instruction after its operands.
 *
 * Not built when the cone holds a fold (its body runs with it) or memory
 * runs out. */
static void score_program(rulebook *rb, rb_scorecard *sc, const uint8_t *inv,
			  const uint8_t *valid)
{
	uint32_t n = sc->nscore_cone, ns = rb->nslots ? rb->nslots : 1;
	for (uint32_t k = 0; k < n; k++)
		if (rb->code[sc->score_cone[k]].op == RB_I_EACH)
			return;
	need *needs = rb_malloc(ns * sizeof(need));
	int32_t *guard = rb_malloc((n ? n : 1) * sizeof(int32_t));
	uint32_t *conds = rb_arena_calloc(&rb->arena, n ? n : 1, sizeof(uint32_t));
	if (!needs || !guard || !conds)
		goto done;
	for (uint32_t k = 0; k < ns; k++)
		needs[k].sel = NEED_NONE;
	needs[sc->score].sel = NEED_ALWAYS;
	uint32_t nconds = 0, ninv = 0;
	for (uint32_t k = n; k-- > 0;) {
		uint32_t pc = sc->score_cone[k];
		const rb_ins *i = &rb->code[pc];
		need nd = needs[i->dst];
		guard[k] = -1;
		if (inv[pc]) {
			ninv++;
			nd.sel = NEED_ALWAYS; /* run once per date anyway */
		}
		uint32_t w = rb->writer[i->a];
		if (!inv[pc] && i->op == RB_I_SELECT && nd.sel == NEED_ALWAYS && valid && valid[i->a] &&
		    w != RB_NO_WRITER && !inv[w]) {
			int32_t j = (int32_t)nconds;
			conds[nconds++] = i->a;
			guard[k] = j;
			need_add(&needs[i->a], j, NEED_UNDECIDED);
			need_add(&needs[i->b], j, NEED_UNDECIDED | NEED_TRUE);
			need_add(&needs[i->c], j, NEED_UNDECIDED | NEED_FALSE);
			continue;
		}
		need_add(&needs[i->a], nd.sel, nd.mask);
		need_add(&needs[i->b], nd.sel, nd.mask);
		if (i->op == RB_I_SELECT)
			need_add(&needs[i->c], nd.sel, nd.mask);
	}
	/* the per-record instructions, at most two skips per choice, and
	 * SCORE_END; slots as byte offsets (run_score) */
	const uint32_t size = (uint32_t)sizeof(rb_val);
	if (ns > UINT32_MAX / size)
		goto done;
	uint32_t cap = n - ninv + 2 * nconds + 1;
	rb_ins *code = rb_arena_calloc(&rb->arena, cap, sizeof(rb_ins));
	uint32_t *pre = rb_arena_calloc(&rb->arena, ninv ? ninv : 1, sizeof(uint32_t));
	if (!code || !pre)
		goto done;
	static const struct {
		uint8_t mask;
		int den;
	} groups[2] = {
		{NEED_UNDECIDED | NEED_FALSE, RB_SKIP_ELSE},
		{NEED_UNDECIDED | NEED_TRUE, RB_SKIP_THEN},
	};
	uint32_t m = 0;
	ninv = 0;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t pc = sc->score_cone[k];
		if (inv[pc]) {
			pre[ninv++] = pc;
			continue;
		}
		if (needs[rb->code[pc].dst].sel != NEED_ALWAYS)
			continue; /* in its choice's group */
		int32_t j = guard[k];
		for (int g = 0; j >= 0 && g < 2; g++) {
			uint32_t skip = m;
			code[m++] = (rb_ins){.op = RB_I_SKIP, .a = conds[j], .den = groups[g].den};
			for (uint32_t q = 0; q < k; q++) {
				const need *nq = &needs[rb->code[sc->score_cone[q]].dst];
				if (!inv[sc->score_cone[q]] && nq->sel == j && nq->mask == groups[g].mask)
					code[m++] = rb->code[sc->score_cone[q]];
			}
			code[skip].num = m - skip - 1;
			if (m == skip + 1)
				m = skip; /* nothing to skip */
		}
		code[m++] = rb->code[pc];
	}
	for (uint32_t k = 0; k < m; k++) {
		code[k].dst *= size;
		code[k].a *= size;
		code[k].b *= size;
		code[k].c *= size;
	}
	code[m] = (rb_ins){.op = SCORE_END};
	sc->score_code = code;
	sc->nscore_code = m;
	sc->score_inv = pre;
	sc->nscore_inv = ninv;
	sc->score_conds = conds;
	sc->nscore_conds = nconds;
done:
	rb_free(needs);
	rb_free(guard);
}

void rb_numeric_slots(const rulebook *rb, const uint8_t *numeric_consts, uint8_t *numeric)
{
	for (size_t k = 0; k < rb->nslots; k++)
		numeric[k] = numeric_consts[k] != 0;
	for (uint32_t k = 0; k < rb->ninputs; k++) {
		rb_type t = rb->inputs[k].type;
		numeric[rb->input_base + k] = t == RB_T_NUMBER || t == RB_T_INTEGER;
	}
	for (uint32_t p = 0; p < rb->nparams; p++)
		numeric[rb->params[p].sym->slot] = 1;
	for (uint32_t pc = 0; pc < rb->ncode; pc++) {
		const rb_ins *i = &rb->code[pc];
		if (i->op == RB_I_EACH) {
			/* a fold's body writes per element, the fold its value */
			int fold = RB_EACH_FOLD(i->den);
			numeric[i->dst] = fold != RB_EACH_ANY && fold != RB_EACH_ALL;
			pc = body_end(i, pc) - 1;
		} else if (numeric_op(i->op)) {
			numeric[i->dst] = 1;
		} else if (i->op == RB_I_SELECT || i->op == RB_I_COALESCE) {
			numeric[i->dst] = numeric[i->b];
		}
	}
}

void rb_lazy_prepare(rulebook *rb, const uint8_t *numeric_consts)
{
	rb->copied_inputs = rb_arena_calloc(&rb->arena, rb->ninputs ? rb->ninputs : 1, sizeof(uint32_t));
	rb->ncopied_inputs = 0;
	for (uint32_t k = 0; rb->copied_inputs && k < rb->ninputs; k++)
		if (rb->inputs[k].type == RB_T_TEXT || rb->inputs[k].type == RB_T_LIST)
			rb->copied_inputs[rb->ncopied_inputs++] = k;
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
	for (uint32_t k = 0; k < rb->ninputs; k++)
		fixed[rb->input_base + k] = 0;
	rb_numeric_slots(rb, numeric_consts, numeric);
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
			pc = end - 1;
			continue;
		}
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
		for (uint32_t j = 0; j < rb->nfcode; j++) {
			if (stands_for(rb, &rb->fcode[j]))
				valid[rb->fcode[j].dst] = 1;
			if (rb->fcode[j].op == RB_F_CAPPED)
				valid[rb->fcode[j].cmp] = 1;
		}
		rb->fast_valid = valid;
	}
	for (uint32_t k = 0; k < rb->nscorecards; k++)
		score_program(rb, &rb->scorecards[k], inv, rb->fast_valid);
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


/* A score program's own interpreter: the instructions a score program is
 * made of (arithmetic, choices, skips) with the decimal fast paths inline,
 * without the cases of the general interpreter it never meets; anything
 * else goes to rb_run_code one instruction at a time. The results are
 * eval.c's, to the error's position (the index in the score program): the
 * instructions run here are the ones that record a position, and the ones
 * handed over only pass on their operands' errors.
 *
 * Its slots are byte offsets and it ends with SCORE_END (score_program).
 * With GCC and Clang each instruction jumps to the next one's code itself
 * (labels as values), as fastpath.c's per-record run does. */
#define SLOT(x) ((rb_val *)(void *)((char *)s + (x)))
RB_LABELS_BEGIN
#if RB_THREADED
#define CASE(op) L_##op
#define NEXT()                               \
	do {                                 \
		i++;                         \
		d = SLOT(i->dst);            \
		a = SLOT(i->a);              \
		b = SLOT(i->b);              \
		goto *table[i->op];          \
	} while (0)
#else
#define CASE(op) case op
#define NEXT() goto next
#endif

static void run_score(const rb_ins *code, rb_val *s)
{
	const rb_ins *i = code;
	rb_val *d = SLOT(i->dst);
	const rb_val *a = SLOT(i->a), *b = SLOT(i->b);
#if RB_THREADED
	static const void *const table[RB_I_SKIP + 1] = {
		[0 ... RB_I_SKIP] = &&L_default,
		[SCORE_END] = &&L_SCORE_END,
		[RB_I_ADD] = &&L_RB_I_ADD, [RB_I_SUB] = &&L_RB_I_SUB, [RB_I_MUL] = &&L_RB_I_MUL,
		[RB_I_DIV] = &&L_RB_I_DIV, [RB_I_CONV] = &&L_RB_I_CONV, [RB_I_ROUND] = &&L_RB_I_ROUND,
		[RB_I_SELECT] = &&L_RB_I_SELECT, [RB_I_COALESCE] = &&L_RB_I_COALESCE,
		[RB_I_SKIP] = &&L_RB_I_SKIP,
	};
	goto *table[i->op];
#else
	for (;; i++) {
		d = SLOT(i->dst);
		a = SLOT(i->a);
		b = SLOT(i->b);
		switch (i->op) {
#endif
	CASE(RB_I_ADD):
		if (rb_both_ok(d, a, b))
			num_result(d, rb_dec_add_inline(a->u.d, b->u.d, &d->u.d), (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_SUB):
		if (rb_both_ok(d, a, b))
			num_result(d, rb_dec_add_inline(a->u.d, (rb_dec){-b->u.d.coef, b->u.d.exp}, &d->u.d),
				   (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_MUL):
		if (rb_both_ok(d, a, b))
			num_result(d, rb_dec_mul_inline(a->u.d, b->u.d, &d->u.d), (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_DIV):
		if (rb_both_ok(d, a, b))
			num_result(d, rb_dec_div_inline(a->u.d, b->u.d, &d->u.d), (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_CONV):
		/* by a whole factor (a percentage): rb_dec_mul_ratio's product */
		if (rb_one_ok(d, a))
			num_result(d,
				   i->den == 1 ? rb_dec_mul_inline(a->u.d, (rb_dec){i->num, 0}, &d->u.d)
					       : rb_dec_mul_ratio(a->u.d, i->num, i->den, &d->u.d),
				   (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_ROUND):
		if (rb_one_ok(d, a))
			num_result(d,
				   rb_dec_round(a->u.d, (int32_t)i->num, (rb_dec_rounding)i->den, &d->u.d),
				   (uint32_t)(i - code));
		NEXT();
	CASE(RB_I_SELECT):
		if (rb_one_ok(d, a))
			*d = a->u.b ? *b : *SLOT(i->c);
		NEXT();
	CASE(RB_I_COALESCE):
		*d = a->state == RB_V_MISSING ? *b : *a;
		NEXT();
	CASE(RB_I_SKIP):
		if (a->state != RB_V_OK || a->u.b != (i->den == RB_SKIP_THEN))
			i += i->num;
		NEXT();
#if RB_THREADED
	L_default:
#else
	default:
#endif
	{
		/* the general interpreter reads slot indices */
		const uint32_t size = (uint32_t)sizeof(rb_val);
		rb_ins one = *i;
		one.dst /= size;
		one.a /= size;
		one.b /= size;
		one.c /= size;
		rb_run_code(&one, 1, s);
		NEXT();
	}
	CASE(SCORE_END):
		return;
#if !RB_THREADED
		}
	next:;
	}
#endif
}
RB_LABELS_END
#undef CASE
#undef NEXT
#undef SLOT

const rb_val *rb_exact_score_slow(rulebook_result *res, uint32_t i)
{
	const rb_scorecard *sc = &res->rb->scorecards[i];
	if (!sc->score_code || !res->done || !res->decided_fast ||
	    res->rb->writer[sc->score] == RB_NO_WRITER)
		return rb_exact_cone(res, sc->score_cone, sc->nscore_cone, sc->score);
	if (done(res, res->rb->writer[sc->score]))
		return &res->slots[sc->score];
	/* the as-of part stays done while the parameters stay (stamps only
	 * grow until pstamp moves or the stamps wrap, which clears both) */
	if (res->score_inv[i] != res->pstamp) {
		rb_exact_cone(res, sc->score_inv, sc->nscore_inv, 0);
		res->score_inv[i] = res->pstamp;
	}
	/* the binary run's answers, exact, for the choices' skips */
	for (uint32_t k = 0; k < sc->nscore_conds; k++)
		res->slots[sc->score_conds[k]] = res->fslots[sc->score_conds[k]];
	/* An instruction a fallback already computed runs again: it gives
	 * the same value. Only the score is stamped done; a later read of a
	 * value of its cone computes that value again. */
	run_score(sc->score_code, res->slots);
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
