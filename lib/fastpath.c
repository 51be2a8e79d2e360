/* The binary fast path (see fastpath.h).
 *
 * Every number is a double x with a bound e such that the exact decimal
 * the exact interpreter (eval.c) computes lies in [x - e, x + e]. The
 * bounds follow from IEEE 754 arithmetic, where a result is the exact
 * result rounded once (relative error at most 2^-53), and from the decimal
 * rules of decimal.h, where a result is rounded once to 18 significant
 * digits (relative error at most 5·10^-18):
 *
 *   x + y, x - y   e = ex + ey + |z|·K
 *   x × y          e = |x|·ey + |y|·ex + ex·ey + |z|·K + T
 *   x / y          e = (|z|·ey + ex) / (|y| - ey) + |z|·K + T     (|y| > ey)
 *   x × num/den    e = ex·|num/den| + |z|·K + T
 *   min, max       e = max(ex, ey)
 *   -x, |x|        e = ex
 *
 * K = 2^-50 covers both roundings with room to spare; T = 2^-990 (about
 * 10^-298) covers numbers so small that decimals (exponent >= -300) or
 * doubles (subnormals) keep fewer digits. A comparison is decided in binary
 * only when |x - y| exceeds ex + ey with a margin for the rounding of the
 * bounds themselves; when both bounds are zero, the doubles are the
 * decimals and compare exactly. A number whose magnitude or bound exceeds
 * 10^300 stops the run, so the states of numeric slots (present, missing,
 * division by zero) are the exact interpreter's, and the exact program
 * decides what overflows.
 *
 * Relative bounds. The per-record run (rb_run_fast_record) does not carry
 * the bounds of products, quotients, conversions, minima and maxima
 * through the arithmetic above: each numeric result of the per-record
 * program has a relative bound r fixed when the rulebook is compiled
 * (rb_fins.r), and the run writes e = r·|x|. The bounds follow from the
 * operands' relative bounds ra, rb:
 *
 *   x × y, a capped product   r = ra + rb + ra·rb + K
 *   x / y                     r = (ra + rb) / (1 - rb) + K
 *   x × num/den               r = ra + 2K
 *   min, max, a ? x : y       r = max(ra, rb)   (when the operands swap
 *                                                order, the exact result
 *                                                is still within)
 *   -x, |x|                   r = ra
 *
 * each rounded up a little. They hold when every operand obeys its own:
 * an input (fastpath.h: the facts make every number zero with e = 0, or
 * with e <= 2^-50·|x|, or not a number), a value fixed for the as-of date
 * (its bound propagated the same way through the per-date program, with
 * 2^-40 of slack for a fixed sum or difference, and checked once per date,
 * RB_F_CHECKREL: one outside it becomes not a number), a value the exact
 * path computed (e <= 2^-50·|x|, K), and every result of the run:
 * a sum or difference computes its bound as above and is computed exactly
 * when that exceeds r·|x|, where r = max(ra, rb) + K plus 2^-48 for a sum
 * and 2^-44 for a difference: room for some cancellation, and a bound
 * that grows by addition, not multiplication, along a long sum (a
 * scorecard's points). Every number also stays zero or within 2^-500 <= |x|
 * <= 2^500, so a product or quotient is zero only when an operand is
 * exactly zero, and its bound r·|x| is then exactly zero too. Not a
 * number fails every test and is computed exactly. An instruction whose
 * r would exceed 2^-20 (a long chain of products) is computed exactly
 * every time (RB_F_EXACT): r stays below 1, where every number has the
 * sign of its exact value, which min, max and a division by zero need.
 */
#include "fastpath.h"
#include "attributes.h"
#include "columnar.h"
#include "values.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marks an instruction removed while fusing. */
#define RB_F_NOP 255

#define FK RB_FAST_K
#define FT RB_FAST_T
#define FBIG RB_FAST_BIG

/* Relative bounds: what the per-record program assumes of an input and of
 * a number fixed for the as-of date, and how much cancellation a sum and
 * a difference may have. */
#define REL_INPUT 0x1p-50
#define REL_SUM_SLACK 0x1p-48
#define REL_DIFF_SLACK 0x1p-44
/* a sum or difference fixed for the date: checked once per date, so
 * room for much cancellation costs little */
#define REL_FIXED_SLACK 0x1p-40
/* beyond this a relative bound decides too little: such an instruction
 * is computed exactly (RB_F_EXACT), which also keeps every bound below
 * 1, where the signs of numbers are right and min and max sound */
#define REL_LIMIT 0x1p-20

const double rb_pow10_22[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* 5^k divides c exactly when c · (5^k)^-1 mod 2^64 <= (2^64 - 1) / 5^k
 * (the inverse exists as 5^k is odd): divisibility without a division. */
const uint64_t rb_inv5[23] = {
	UINT64_C(0x0000000000000001), UINT64_C(0xcccccccccccccccd),
	UINT64_C(0x8f5c28f5c28f5c29), UINT64_C(0x1cac083126e978d5),
	UINT64_C(0xd288ce703afb7e91), UINT64_C(0x5d4e8fb00bcbe61d),
	UINT64_C(0x790fb65668c26139), UINT64_C(0xe5032477ae8d46a5),
	UINT64_C(0xc767074b22e90e21), UINT64_C(0x8e47ce423a2e9c6d),
	UINT64_C(0x4fa7f60d3ed61f49), UINT64_C(0x0fee64690c913975),
	UINT64_C(0x3662e0e1cf503eb1), UINT64_C(0xa47a2cf9f6433fbd),
	UINT64_C(0x54186f653140a659), UINT64_C(0x7738164770402145),
	UINT64_C(0xe4a4d1417cd9a041), UINT64_C(0xc75429d9e5c5200d),
	UINT64_C(0xc1773b91fac10669), UINT64_C(0x26b172506559ce15),
	UINT64_C(0xd489e3a9addec2d1), UINT64_C(0x90e860bb892c8d5d),
	UINT64_C(0x502e79bf1b6f4f79),
};
const uint64_t rb_max5[23] = {
	UINT64_C(0xffffffffffffffff), UINT64_C(0x3333333333333333),
	UINT64_C(0x0a3d70a3d70a3d70), UINT64_C(0x020c49ba5e353f7c),
	UINT64_C(0x0068db8bac710cb2), UINT64_C(0x0014f8b588e368f0),
	UINT64_C(0x000431bde82d7b63), UINT64_C(0x0000d6bf94d5e57a),
	UINT64_C(0x00002af31dc46118), UINT64_C(0x0000089705f4136b),
	UINT64_C(0x000001b7cdfd9d7b), UINT64_C(0x00000057f5ff85e5),
	UINT64_C(0x000000119799812d), UINT64_C(0x0000000384b84d09),
	UINT64_C(0x00000000b424dc35), UINT64_C(0x0000000024075f3d),
	UINT64_C(0x000000000734aca5), UINT64_C(0x000000000170ef54),
	UINT64_C(0x000000000049c977), UINT64_C(0x00000000000ec1e4),
	UINT64_C(0x000000000002f394), UINT64_C(0x000000000000971d),
	UINT64_C(0x0000000000001e39),
};
/* (2^53 - 1) / 10^p: c · 10^p is below 2^53 when c is at most this. */
const uint64_t rb_exact10[16] = {
	UINT64_C(9007199254740991), UINT64_C(900719925474099), UINT64_C(90071992547409),
	UINT64_C(9007199254740), UINT64_C(900719925474), UINT64_C(90071992547),
	UINT64_C(9007199254), UINT64_C(900719925), UINT64_C(90071992),
	UINT64_C(9007199), UINT64_C(900719), UINT64_C(90071),
	UINT64_C(9007), UINT64_C(900), UINT64_C(90),
	UINT64_C(9),
};

static void lower(const rb_ins *i, uint32_t pc, rb_fins *f)
{
	f->op = (uint8_t)i->op;
	f->dst = i->dst;
	f->a = i->a;
	f->b = i->b;
	f->c = i->c;
	f->at = pc;
	if (i->op == RB_I_CONV) {
		f->k = (double)i->num / (double)i->den;
	} else if (i->op == RB_I_ROUND) {
		f->mode = (uint8_t)i->den;
		/* k = 0: too many places to scale exactly, always left to the exact path */
		if (i->num >= -22 && i->num <= 22) {
			f->places = (int16_t)i->num;
			f->k = rb_pow10_22[i->num < 0 ? -i->num : i->num];
		}
	}
}

/* A capped product, v > cap ? top : v × q with cap, top and q invariant
 * (a scorecard component with a cap: points are weight × cap above it),
 * is three instructions in the program and one here, RB_F_CAPPED, when the
 * comparison and the product are read by nothing else. */
static void fuse_capped(rb_fins *code, uint32_t *n, const uint8_t *inv, const uint32_t *uses,
			const int64_t *writer)
{
	for (uint32_t j = 0; j < *n; j++) {
		rb_fins *sel = &code[j];
		if (sel->op != RB_I_SELECT || writer[sel->a] < 0 || writer[sel->c] < 0 ||
		    !inv[sel->b] || uses[sel->a] != 1 || uses[sel->c] != 1)
			continue;
		rb_fins *cmp = &code[writer[sel->a]], *mul = &code[writer[sel->c]];
		if (cmp->op != RB_I_NGT || !inv[cmp->b] || (mul->op != RB_I_MUL && mul->op != RB_F_MULQ))
			continue;
		uint32_t v = cmp->a, q;
		if (mul->a == v && inv[mul->b] && !inv[v])
			q = mul->b;
		else if (mul->b == v && inv[mul->a] && !inv[v])
			q = mul->a;
		else
			continue;
		uint32_t dst = sel->dst, top = sel->b, cap = cmp->b;
		uint8_t moderate = mul->op == RB_F_MULQ;
		*sel = (rb_fins){.op = RB_F_CAPPED, .mode = moderate, .dst = dst, .a = v, .b = cap,
				 .c = top, .at = q, .cmp = cmp->dst};
		cmp->op = mul->op = RB_F_NOP;
	}
	uint32_t w = 0;
	for (uint32_t j = 0; j < *n; j++)
		if (code[j].op != RB_F_NOP)
			code[w++] = code[j];
	*n = w;
}

/* The first 8 bytes of a text, as rb_fast_text_id compares them. */
static inline uint64_t text_head(const char *s, size_t len)
{
	return rb_text_head(s, len);
}

/* The text input and the constant text an equality compares, or false. */
static bool text_equality(const rulebook *rb, const rb_ins *i, const uint8_t *fixed_text,
			  uint32_t *input, const rb_val **text)
{
	if (i->op != RB_I_TEQ)
		return false;
	uint32_t x = i->a, k = i->b;
	if (!(x >= rb->input_base && x - rb->input_base < rb->ninputs))
		x = i->b, k = i->a;
	if (!(x >= rb->input_base && x - rb->input_base < rb->ninputs) ||
	    rb->inputs[x - rb->input_base].type != RB_T_TEXT || !fixed_text[k])
		return false;
	*input = x - rb->input_base;
	*text = &rb->consts[k];
	return true;
}

/* Intern, per text input, the constant texts the program compares it with
 * for equality (at most 63: the bits of RB_F_TEXT_IN's set). */
static void intern_texts(rulebook *rb, const uint8_t *fixed_text)
{
	for (uint32_t pc = 0; pc < rb->ncode; pc++) {
		uint32_t x;
		const rb_val *t;
		if (!text_equality(rb, &rb->code[pc], fixed_text, &x, &t))
			continue;
		rb_input *in = &rb->inputs[x];
		if (rb_fast_text_id(in, t->u.t.s, t->u.t.len) != RB_TEXT_OTHER && in->ninterned)
			continue; /* already interned */
		/* only text the facts take: a value equal to an interned text
		 * is taken without checking its bytes again (facts.c) */
		if (in->ninterned == 63 || !rb_valid_text(t->u.t.s, t->u.t.len))
			continue;
		if (!in->interned) {
			in->interned = rb_arena_calloc(&rb->arena, 63, sizeof(char *));
			in->interned_len = rb_arena_calloc(&rb->arena, 63, sizeof(uint32_t));
			in->interned_head = rb_arena_calloc(&rb->arena, 63, sizeof(uint64_t));
			if (!in->interned || !in->interned_len || !in->interned_head) {
				in->interned = NULL;
				continue;
			}
		}
		in->interned[in->ninterned] = t->u.t.s;
		in->interned_head[in->ninterned] = text_head(t->u.t.s, t->u.t.len);
		in->interned_len[in->ninterned++] = t->u.t.len;
	}
}

/* Equalities of a text input with constant texts become RB_F_TEXT_IN, and
 * an `or` of two such on the same input, each read by nothing else, one. */
static void fuse_text_in(const rulebook *rb, rb_fins *code, uint32_t n, const uint32_t *uses,
			 const int64_t *writer, const uint8_t *fixed_text)
{
	for (uint32_t j = 0; j < n; j++) {
		rb_fins *f = &code[j];
		uint32_t x;
		const rb_val *t;
		if (f->op == RB_I_TEQ) {
			const rb_ins *i = &rb->code[f->at];
			if (!text_equality(rb, i, fixed_text, &x, &t))
				continue;
			uint32_t id = rb_fast_text_id(&rb->inputs[x], t->u.t.s, t->u.t.len);
			if (id == RB_TEXT_UNKNOWN || id == RB_TEXT_OTHER)
				continue;
			*f = (rb_fins){.op = RB_F_TEXT_IN, .dst = f->dst, .a = rb->input_base + x,
				       .b = rb->input_base + x, .c = rb->input_base + x, .at = f->at,
				       .set = UINT64_C(1) << id};
		} else if (f->op == RB_I_OR && f->a != f->b && writer[f->a] >= 0 &&
			   writer[f->b] >= 0 && uses[f->a] == 1 && uses[f->b] == 1) {
			rb_fins *p = &code[writer[f->a]], *q = &code[writer[f->b]];
			if (p->op != RB_F_TEXT_IN || q->op != RB_F_TEXT_IN || p->a != q->a)
				continue;
			*f = (rb_fins){.op = RB_F_TEXT_IN, .dst = f->dst, .a = p->a, .b = p->a,
				       .c = p->a, .at = f->at, .set = p->set | q->set};
			p->op = q->op = RB_F_NOP; /* removed by fuse_capped */
		}
	}
	/* a choice on one such test, the test read by nothing else, is one */
	for (uint32_t j = 0; j < n; j++) {
		rb_fins *f = &code[j];
		if (f->op != RB_I_SELECT || writer[f->a] < 0 || uses[f->a] != 1)
			continue;
		rb_fins *t = &code[writer[f->a]];
		if (t->op != RB_F_TEXT_IN)
			continue;
		*f = (rb_fins){.op = RB_F_TEXT_SELECT, .dst = f->dst, .a = t->a, .b = f->b, .c = f->c,
			       .at = f->at, .set = t->set};
		t->op = RB_F_NOP;
	}
}

static double max2(double a, double b)
{
	return a > b ? a : b;
}

/* The relative bound of each numeric result of the per-record program
 * (rb_fins.r, see "Relative bounds" above), and a check in the per-date
 * part for every number fixed for the date that the program reads.
 * numeric: per slot, holds a number (inputs, parameters, constants);
 * inv: per slot, fixed for the as-of date. */
/* The relative bound of an instruction's result from its operands'
 * (see "Relative bounds" above); sums and differences get slack for
 * cancellation, which the run checks (fixed values: once per date). */
static double bound_of(const rb_fins *f, const double *rel, bool fixed)
{
	double ra = rel[f->a], rbb = rel[f->b], r;
	switch (f->op) {
	case RB_I_ADD: r = max2(ra, rbb) + (fixed ? REL_FIXED_SLACK : REL_SUM_SLACK); break;
	case RB_I_SUB: r = max2(ra, rbb) + (fixed ? REL_FIXED_SLACK : REL_DIFF_SLACK); break;
	case RB_I_MUL:
	case RB_F_MULQ: r = ra + rbb + ra * rbb; break;
	case RB_I_DIV: r = rbb < 0.5 ? (ra + rbb) / (1 - rbb) : INFINITY; break;
	case RB_I_CONV: r = ra + FK; break;
	case RB_I_NEG:
	case RB_I_ABS: r = ra; break;
	case RB_I_MIN:
	case RB_I_MAX:
	case RB_I_COALESCE: r = max2(ra, rbb); break;
	case RB_I_SELECT:
	case RB_F_TEXT_SELECT: r = max2(rbb, rel[f->c]); break;
	case RB_F_CAPPED: {
		double rq = rel[f->at];
		r = max2(rel[f->c], ra + rq + ra * rq);
		break;
	}
	default: r = 0; break; /* rounding, year, a fold: exact or within K */
	}
	/* K for the roundings of the result, and a little more for those of
	 * r·|x| and of the sums of bounds */
	return (r + FK) * (1 + 0x1p-30);
}

/* The relative bound of each numeric result of the per-record program
 * (rb_fins.r, see "Relative bounds" above), and a check in the per-date
 * part for every number fixed for the date that the program reads.
 * numeric_consts: per slot, a constant holding a number; inv: per slot,
 * fixed for the as-of date. An instruction whose bound would exceed
 * REL_LIMIT becomes RB_F_EXACT. */
static bool relative_bounds(rulebook *rb, rb_fins *code, uint32_t n, rb_fins *pre,
			    const uint8_t *numeric_consts, const uint8_t *inv)
{
	size_t ns = rb->nslots ? rb->nslots : 1;
	double *rel = rb_calloc(ns, sizeof(double));
	uint8_t *num = rb_calloc(ns, 1), *checked = rb_calloc(ns, 1);
	if (!rel || !num || !checked) {
		rb_free(rel);
		rb_free(num);
		rb_free(checked);
		return false;
	}
	rb_numeric_slots(rb, numeric_consts, num);
	/* inputs, parameters and constants: what the facts and rb_fast_from_dec
	 * make (2^-50); then what the per-date part computes from them */
	for (size_t k = 0; k < ns; k++)
		rel[k] = REL_INPUT;
	for (uint32_t j = 0; j < rb->nfpre; j++)
		if (pre[j].op < RB_F_PRESENT)
			rel[pre[j].dst] = bound_of(&pre[j], rel, true);
	for (uint32_t j = 0; j < n; j++) {
		rb_fins *f = &code[j];
		/* every number fixed for the date that the program reads is
		 * checked per date against the bound it is given here */
		uint32_t reads[4] = {f->a, f->b, f->c,
				     f->op == RB_F_CAPPED ? f->at : f->a};
		for (int k = 0; k < 4; k++)
			if (inv[reads[k]] && num[reads[k]] && !checked[reads[k]]) {
				checked[reads[k]] = 1;
				pre[rb->nfpre++] = (rb_fins){.op = RB_F_CHECKREL, .dst = reads[k],
							     .a = reads[k], .b = reads[k], .c = reads[k],
							     .r = rel[reads[k]]};
			}
		double r = bound_of(f, rel, false);
		if (!(r <= REL_LIMIT)) {
			/* computed exactly: within 2^-50 (rb_fast_from_dec) */
			uint8_t mode = f->op == RB_F_CAPPED;
			uint32_t cmp = mode ? f->cmp : 0;
			*f = (rb_fins){.op = RB_F_EXACT, .mode = mode, .dst = f->dst, .a = f->dst,
				       .b = f->dst, .c = f->dst, .at = f->at, .cmp = cmp};
			r = (FK + FK) * (1 + 0x1p-30);
		}
		f->r = r;
		rel[f->dst] = r;
	}
	rb_free(rel);
	rb_free(num);
	rb_free(checked);
	return true;
}

static void count(uint32_t *uses, int64_t slot)
{
	if (slot >= 0)
		uses[slot]++;
}

/* The per-record program as rb_run_fast_record runs it: each slot an
 * instruction reads or writes given as its byte offset in the slots, so
 * that finding a slot is one addition, not a multiplication by the size
 * of a value as well; RB_I_SELECT, whose third slot the shared cases
 * (values.h) index, becomes RB_F_SELECT. NULL when the offsets would not
 * fit or memory runs out (then the run reads fcode). */
static rb_fins *scaled_copy(rulebook *rb, const rb_fins *code, uint32_t n)
{
	const uint32_t size = (uint32_t)sizeof(rb_val);
	if (!n || rb->nslots > UINT32_MAX / size)
		return NULL;
	rb_fins *f = rb_arena_calloc(&rb->arena, n + 1, sizeof(rb_fins));
	if (!f)
		return NULL;
	f[n] = (rb_fins){.op = RB_F_END}; /* slots 0: read by no one */
	for (uint32_t j = 0; j < n; j++) {
		f[j] = code[j];
		f[j].dst *= size;
		f[j].a *= size;
		f[j].b *= size;
		f[j].c *= size;
		if (f[j].op == RB_F_CAPPED) { /* two more slots: the factor and the comparison */
			f[j].at *= size;
			f[j].cmp *= size;
		} else if (f[j].op == RB_F_EXACT && f[j].mode) { /* a capped product's comparison */
			f[j].cmp *= size;
		} else if (f[j].op == RB_I_SELECT) {
			f[j].op = RB_F_SELECT;
		}
	}
	return f;
}

void rb_fast_prepare(rulebook *rb, const uint8_t *numeric)
{
	rb->fcode = rb->fpre = rb->frec = NULL;
	rb->nfcode = rb->nfpre = 0;
	size_t n = rb->ncode, ns = rb->nslots ? rb->nslots : 1;
	size_t nc = n ? n : 1;
	uint8_t *inv = rb_calloc(ns, 1), *keep = rb_calloc(nc, 1);
	uint32_t *uses = rb_calloc(ns, sizeof(uint32_t));
	/* writer[slot]: index in the per-record code of the instruction writing it, or -1 */
	int64_t *writer = rb_malloc(ns * sizeof(int64_t));
	/* a rewritten product adds two checks to the per-date part */
	rb_fins *pre = rb_arena_calloc(&rb->arena, 2 * nc + ns, sizeof(rb_fins));
	rb_fins *code = rb_arena_calloc(&rb->arena, nc, sizeof(rb_fins));
	rb_val *consts = rb_arena_calloc(&rb->arena, ns, sizeof(rb_val));
	/* per slot: a constant (no input, parameter, date or result) */
	uint8_t *fixed_text = rb_calloc(ns, 1);
	if (!inv || !keep || !uses || !writer || !pre || !code || !consts || !fixed_text)
		goto done;
	for (size_t k = 0; k < ns; k++)
		writer[k] = -1;
	for (size_t k = 1; k < rb->nslots; k++)
		fixed_text[k] = rb->consts[k].state == RB_V_OK;
	for (uint32_t k = 0; k < rb->ninputs; k++)
		fixed_text[rb->input_base + k] = 0;
	for (uint32_t p = 0; p < rb->nparams; p++)
		fixed_text[rb->params[p].sym->slot] = 0;
	for (size_t pc = 0; pc < n; pc++)
		fixed_text[rb->code[pc].dst] = 0;
	intern_texts(rb, fixed_text);

	/* How often each slot is read: first by what the verdicts (eval.c)
	 * and classes (scorecards.c) read, then, backwards, by every
	 * instruction whose result is read (the program is in SSA form, so all
	 * readers of a slot come after its writer). An instruction whose
	 * result nobody reads is not needed here. */
	for (uint32_t r = 0; r < rb->nrules; r++) {
		const rb_rule *ru = &rb->rules[r];
		count(uses, ru->when);
		count(uses, ru->require);
		for (uint32_t k = 0; k < ru->nunless; k++)
			count(uses, ru->unless[k].when);
	}
	for (uint32_t i = 0; i < rb->nscorecards; i++) {
		const rb_scorecard *sc = &rb->scorecards[i];
		count(uses, sc->scope);
		count(uses, sc->score);
		count(uses, sc->sane);
		for (uint32_t k = 0; k < sc->nvetoes; k++)
			count(uses, sc->vetoes[k].when);
		for (uint32_t k = 0; k < sc->nclasses; k++)
			if (sc->classes[k].has_min)
				count(uses, sc->classes[k].reached);
		for (uint32_t k = 0; sc->has_average && k < sc->ncomponents; k++) {
			count(uses, sc->components[k].points);
			count(uses, sc->components[k].ratio);
			count(uses, sc->components[k].weight);
		}
	}
	for (size_t pc = n; pc-- > 0;) {
		const rb_ins *i = &rb->code[pc];
		if (!uses[i->dst])
			continue;
		keep[pc] = 1;
		uses[i->a]++;
		uses[i->b]++;
		if (i->op == RB_I_SELECT)
			uses[i->c]++;
	}
	/* Forwards: a result is invariant (fixed for an as-of date) when all its
	 * operands are; inputs and results start variant, the rest (as-of date,
	 * parameters, constants) invariant. */
	memset(inv, 1, ns);
	for (uint32_t k = 0; k < rb->ninputs; k++)
		inv[rb->input_base + k] = 0;
	for (size_t pc = 0; pc < n; pc++)
		inv[rb->code[pc].dst] = 0;
	for (size_t pc = 0; pc < n; pc++) {
		const rb_ins *i = &rb->code[pc];
		if (i->op == RB_I_EACH) {
			/* its body is not lowered: the exact program runs the fold */
			if (keep[pc]) {
				writer[i->dst] = (int64_t)rb->nfcode;
				code[rb->nfcode++] = (rb_fins){.op = RB_F_STOP, .dst = i->dst, .a = i->a,
							       .b = i->a, .c = i->a, .at = (uint32_t)pc};
			}
			pc += (size_t)i->num;
			continue;
		}
		if (!keep[pc])
			continue;
		bool invariant = inv[i->a] && inv[i->b] && (i->op != RB_I_SELECT || inv[i->c]);
		inv[i->dst] = invariant;
		if (invariant) {
			lower(i, (uint32_t)pc, &pre[rb->nfpre++]);
			continue;
		}
		/* (k × v) / p with k and p invariant, the product read only
		 * here (scorecard points: weight × value / benchmark) becomes
		 * v × (k / p), one multiplication per record: the bounds
		 * cover real-number algebra plus one rounding per operation,
		 * so the decimals' two roundings stay within them. The
		 * quotient k / p is computed per as-of date into the
		 * product's slot, and must be present (a missing or zero
		 * divisor is left to the exact program). */
		if (i->op == RB_I_DIV && inv[i->b] && i->a != i->b && uses[i->a] == 1 &&
		    writer[i->a] >= 0 && code[writer[i->a]].op == RB_I_MUL) {
			rb_fins *prod = &code[writer[i->a]];
			int64_t k = inv[prod->a] && !inv[prod->b]   ? (int64_t)prod->a
				    : inv[prod->b] && !inv[prod->a] ? (int64_t)prod->b
									: -1;
			if (k >= 0) {
				uint32_t v = k == prod->a ? prod->b : prod->a;
				rb_fins *q = &pre[rb->nfpre++];
				lower(i, (uint32_t)pc, q);
				q->dst = i->a;
				q->a = (uint32_t)k;
				inv[i->a] = 1; /* the slot now holds the quotient */
				pre[rb->nfpre++] = (rb_fins){.op = RB_F_PRESENT, .dst = i->a, .a = i->a,
							     .b = i->a, .c = i->a};
				pre[rb->nfpre++] = (rb_fins){.op = RB_F_MODERATE, .dst = i->a, .a = i->b,
							     .b = i->b, .c = i->b};
				/* the product's place in the per-record code becomes v × q */
				prod->op = RB_F_MULQ;
				prod->dst = i->dst;
				prod->a = v;
				prod->b = i->a;
				writer[i->a] = -1;
				writer[i->dst] = prod - code;
				continue;
			}
		}
		writer[i->dst] = (int64_t)rb->nfcode;
		lower(i, (uint32_t)pc, &code[rb->nfcode++]);
	}
	fuse_text_in(rb, code, rb->nfcode, uses, writer, fixed_text);
	fuse_capped(code, &rb->nfcode, inv, uses, writer);
	if (!relative_bounds(rb, code, rb->nfcode, pre, numeric, inv)) {
		rb->nfcode = rb->nfpre = 0;
		goto done;
	}
	for (uint32_t s = 0; s < rb->nslots; s++) {
		consts[s] = rb->consts[s];
		if (numeric[s] && consts[s].state == RB_V_OK)
			rb_fast_from_dec(rb->consts[s].u.d, &consts[s]);
	}
	rb->fcode = code;
	rb->fpre = pre;
	rb->fconsts = consts;
	rb->frec = scaled_copy(rb, code, rb->nfcode);
done:
	rb_free(fixed_text);
	rb_free(inv);
	rb_free(keep);
	rb_free(uses);
	rb_free(writer);
}

/* ---- the interpreter ---- */

static inline bool put(rb_val *d, double x, double e)
{
	d->state = RB_V_OK;
	d->u.f.x = x;
	d->u.f.e = e;
	return fabs(x) + e <= FBIG; /* false for infinities and NaN too */
}

/* The bound of a product x = a × b. */
static inline double mul_bound(const rb_val *a, const rb_val *b, double x)
{
	if (x == 0 && ((a->u.f.x == 0 && a->u.f.e == 0) || (b->u.f.x == 0 && b->u.f.e == 0)))
		return 0; /* an exact zero factor */
	return fabs(a->u.f.x) * b->u.f.e + fabs(b->u.f.x) * a->u.f.e + a->u.f.e * b->u.f.e +
	       fabs(x) * FK + FT;
}

/* x = a × (k / p) with 10^-20 <= |p| <= 10^20: k × a is within 10^20 of
 * x in ratio, so 10^-250 <= |x| <= 10^270 keeps the decimal k × a far from
 * both ends of the decimal range (an exact zero a is exact zero). */
static inline bool moderate(const rb_val *a, double x)
{
	double ax = fabs(x);
	return (ax >= 1e-250 && ax <= 1e270) || (a->u.f.x == 0 && a->u.f.e == 0);
}

/* -1, 0 or 1 as the exact values compare; 2 when the bounds cannot tell
 * (rb_fcmp). */
static inline int fcmp(const rb_val *a, const rb_val *b)
{
	return rb_fcmp(a->u.f.x, a->u.f.e, b->u.f.x, b->u.f.e);
}

/* c ? x : y for addresses, without a branch */
static inline const rb_val *pick(bool c, const rb_val *x, const rb_val *y)
{
	uintptr_t m = (uintptr_t)0 - (uintptr_t)c;
	return (const rb_val *)(((uintptr_t)x & m) | ((uintptr_t)y & ~m));
}

/* round(x, places, mode) when x ± e lies inside one rounding step. */
static bool fround(const rb_fins *i, const rb_val *a, rb_val *d)
{
	double x = a->u.f.x, e = a->u.f.e;
	if (x == 0 && e == 0)
		return put(d, 0, 0);
	if (i->k == 0)
		return false;
	double t = i->places >= 0 ? x * i->k : x / i->k;
	double et = (i->places >= 0 ? e * i->k : e / i->k) + fabs(t) * FK;
	if (!(fabs(t) < 0x1p52))
		return false;
	double fl = floor(t), frac = t - fl, r, dist;
	bool half = i->mode == RB_ROUND_HALF_UP || i->mode == RB_ROUND_HALF_EVEN;
	if (half)
		dist = fabs(frac - 0.5); /* ties excluded below, so up and even agree */
	else
		dist = frac < 0.5 ? frac : 1 - frac;
	/* frac and dist carry rounding errors below 2^-52 */
	if (!(dist > et * (1 + 0x1p-20) + 0x1p-48))
		return false;
	switch ((rb_dec_rounding)i->mode) {
	case RB_ROUND_HALF_UP:
	case RB_ROUND_HALF_EVEN: r = frac < 0.5 ? fl : fl + 1; break;
	case RB_ROUND_FLOOR: r = fl; break;
	case RB_ROUND_CEILING: r = fl + 1; break;
	case RB_ROUND_DOWN: r = t > 0 ? fl : fl + 1; break;
	default: return false;
	}
	double z = i->places >= 0 ? r / i->k : r * i->k;
	return put(d, z, fabs(z) * FK);
}

/* The per-date program (rb->fpre), with the bounds carried through the
 * arithmetic as at the top of this file; false when an instruction is too
 * close to call (the date's records then take the exact path). */
#define UNDECIDED return false
#define SLOT(x) (&s[x])

static bool run_date(const rb_fins *code, uint32_t n, rb_val *s)
{
	for (uint32_t pc = 0; pc < n; pc++) {
		const rb_fins *i = &code[pc];
		rb_val *d = SLOT(i->dst);
		const rb_val *a = SLOT(i->a);
		const rb_val *b = SLOT(i->b);
		double x, ax, ay;
		int c;
		switch (i->op) { /* rb_opcode, or RB_F_PRESENT */
		case RB_I_ADD:
			if (rb_both_ok(d, a, b)) {
				x = a->u.f.x + b->u.f.x;
				if (!put(d, x, a->u.f.e + b->u.f.e + fabs(x) * FK))
					UNDECIDED;
			}
			break;
		case RB_I_SUB:
			if (rb_both_ok(d, a, b)) {
				x = a->u.f.x - b->u.f.x;
				if (!put(d, x, a->u.f.e + b->u.f.e + fabs(x) * FK))
					UNDECIDED;
			}
			break;
		case RB_I_MUL:
			if (rb_both_ok(d, a, b)) {
				x = a->u.f.x * b->u.f.x;
				if (!put(d, x, mul_bound(a, b, x)))
					UNDECIDED;
			}
			break;
		case RB_I_DIV:
			if (rb_both_ok(d, a, b)) {
				ay = fabs(b->u.f.x);
				if (!(ay > b->u.f.e)) {
					if (b->u.f.e != 0)
						UNDECIDED; /* might be zero */
					d->state = RB_V_ERROR;
					d->err = RB_VERR_DIVZERO;
					d->at = i->at;
					break;
				}
				/* x·(1/y): two roundings, within K. The bound
				 * (|z|·ey + ex) / (|y| - ey) is computed as
				 * (|z|·ey + ex)·(1/|y|)·(1 + 2t), t = ey/|y| <= 1/2. */
				double r = 1 / b->u.f.x, ar = fabs(r), t = b->u.f.e * ar;
				if (!(t <= 0.5))
					UNDECIDED;
				x = a->u.f.x * r;
				ax = fabs(x);
				if (!put(d, x, (ax * b->u.f.e + a->u.f.e) * ar * (1 + 2 * t) + ax * FK + FT))
					UNDECIDED;
				if (x == 0 && a->u.f.e == 0)
					d->u.f.e = 0; /* an exact zero dividend */
			}
			break;
		case RB_I_NEG:
			if (rb_one_ok(d, a)) {
				d->state = RB_V_OK;
				d->u.f.x = -a->u.f.x;
				d->u.f.e = a->u.f.e;
			}
			break;
		case RB_I_ABS:
			if (rb_one_ok(d, a)) {
				d->state = RB_V_OK;
				d->u.f.x = fabs(a->u.f.x);
				d->u.f.e = a->u.f.e;
			}
			break;
		case RB_I_CONV:
			if (rb_one_ok(d, a)) {
				x = a->u.f.x * i->k;
				if (!put(d, x, a->u.f.e * fabs(i->k) + fabs(x) * FK + FT))
					UNDECIDED;
				if (x == 0 && a->u.f.e == 0)
					d->u.f.e = 0;
			}
			break;
		case RB_I_MIN:
		case RB_I_MAX:
			if (rb_both_ok(d, a, b)) {
				bool first = (i->op == RB_I_MIN) == (a->u.f.x <= b->u.f.x);
				double e = a->u.f.e > b->u.f.e ? a->u.f.e : b->u.f.e;
				d->state = RB_V_OK;
				d->u.f.x = first ? a->u.f.x : b->u.f.x;
				d->u.f.e = e;
			}
			break;
		case RB_I_ROUND:
			if (rb_one_ok(d, a) && !fround(i, a, d))
				UNDECIDED;
			break;
#define FAST_COMPARE(opc, test)                        \
	case opc:                                      \
		if (rb_both_ok(d, a, b)) {             \
			c = fcmp(a, b);                \
			if (c == 2)                    \
				UNDECIDED;             \
			rb_bool_result(d, test);       \
		}                                      \
		break
		FAST_COMPARE(RB_I_NLT, c < 0);
		FAST_COMPARE(RB_I_NLE, c <= 0);
		FAST_COMPARE(RB_I_NGT, c > 0);
		FAST_COMPARE(RB_I_NGE, c >= 0);
		FAST_COMPARE(RB_I_NEQ, c == 0);
		FAST_COMPARE(RB_I_NNE, c != 0);
#undef FAST_COMPARE
		RB_NON_NUMERIC_CASES;
		case RB_F_MODERATE:
			/* a divisor too small or too large for the rewrite: the
			 * quotient (present, RB_F_PRESENT) becomes not a number, so
			 * that each product reading it is computed exactly */
			if (a->state != RB_V_OK)
				return false;
			if (!(fabs(a->u.f.x) - a->u.f.e >= 1e-20) || !(fabs(a->u.f.x) + a->u.f.e <= 1e20)) {
				d->u.f.x = NAN;
				d->u.f.e = INFINITY;
			}
			break;
		case RB_F_PRESENT:
			if (a->state != RB_V_OK)
				return false;
			break;
		case RB_F_CHECKREL:
			/* outside the bound the per-record program assumes: not a
			 * number, so that what reads it is computed exactly */
			if (a->state == RB_V_OK && !rb_rel_ok(a->u.f.x, a->u.f.e, i->r)) {
				d->u.f.x = NAN;
				d->u.f.e = INFINITY;
			}
			break;
		case RB_I_YEAR:
			if (rb_one_ok(d, a)) {
				d->state = RB_V_OK;
				d->u.f.x = (double)(a->u.date / 10000);
				d->u.f.e = 0;
			}
			break;
		default: /* an instruction without a binary form */
			UNDECIDED;
		}
	}
	return true;
}

#undef UNDECIDED
#undef SLOT

/* rb->frec's slots are byte offsets (scaled_copy). */
#define SLOT(x) ((rb_val *)(void *)((char *)s + (x)))
#define SLOT_INDEX(x) ((x) / (uint32_t)sizeof(rb_val))

/* The per-record program rb->frec with relative bounds (see "Relative
 * bounds" above); its slots are byte offsets. With GCC and Clang each instruction
 * jumps to the next one's code itself (labels as values): no bounds check
 * of a switch, no loop counter (rb->frec ends with RB_F_END), and one
 * indirect jump per kind of instruction for the branch predictor. */
RB_LABELS_BEGIN
#if RB_THREADED
#define CASE(op) L_##op
#define DEFAULT_CASE L_default
#define DISPATCH()                           \
	do {                                 \
		d = SLOT(i->dst);            \
		a = SLOT(i->a);              \
		b = SLOT(i->b);              \
		goto *table[i->op];          \
	} while (0)
#define NEXT()             \
	do {               \
		i++;       \
		DISPATCH(); \
	} while (0)
#else
#define CASE(op) case op
#define DEFAULT_CASE default
#define NEXT() goto next
#endif
/* an instruction the bounds cannot decide: computed exactly, alone */
#define UNDECIDED_REL                                           \
	do {                                                    \
		if (!res)                                       \
			return false;                           \
		rb_fast_fallback(res, SLOT_INDEX(i->dst));      \
		NEXT();                                         \
	} while (0)

static bool run_rel(const rb_fins *code, rb_val *s, rulebook_result *res)
{
	const rb_fins *i = code;
	rb_val *d;
	const rb_val *a, *b;
	double x, xa, xb, e;
	int c;
#if RB_THREADED
	static const void *const table[256] = {
		[0 ... 255] = &&L_default,
		[RB_I_ADD] = &&L_RB_I_ADD, [RB_I_SUB] = &&L_RB_I_SUB, [RB_I_MUL] = &&L_RB_I_MUL,
		[RB_I_DIV] = &&L_RB_I_DIV, [RB_I_NEG] = &&L_RB_I_NEG, [RB_I_ABS] = &&L_RB_I_ABS,
		[RB_I_CONV] = &&L_RB_I_CONV, [RB_I_MIN] = &&L_RB_I_MIN, [RB_I_MAX] = &&L_RB_I_MAX,
		[RB_I_ROUND] = &&L_RB_I_ROUND, [RB_I_NLT] = &&L_RB_I_NLT, [RB_I_NLE] = &&L_RB_I_NLE,
		[RB_I_NGT] = &&L_RB_I_NGT, [RB_I_NGE] = &&L_RB_I_NGE, [RB_I_NEQ] = &&L_RB_I_NEQ,
		[RB_I_NNE] = &&L_RB_I_NNE, [RB_I_IEQ] = &&L_RB_I_IEQ, [RB_I_INE] = &&L_RB_I_INE,
		[RB_I_ILT] = &&L_RB_I_ILT, [RB_I_ILE] = &&L_RB_I_ILE, [RB_I_IGT] = &&L_RB_I_IGT,
		[RB_I_IGE] = &&L_RB_I_IGE, [RB_I_TEQ] = &&L_RB_I_TEQ, [RB_I_TNE] = &&L_RB_I_TNE,
		[RB_I_AND] = &&L_RB_I_AND, [RB_I_OR] = &&L_RB_I_OR, [RB_I_NOT] = &&L_RB_I_NOT,
		[RB_I_SELECT] = &&L_RB_I_SELECT, [RB_I_MISSING] = &&L_RB_I_MISSING,
		[RB_I_COALESCE] = &&L_RB_I_COALESCE, [RB_I_YEAR] = &&L_RB_I_YEAR,
		[RB_F_CAPPED] = &&L_RB_F_CAPPED, [RB_F_MULQ] = &&L_RB_F_MULQ,
		[RB_F_STOP] = &&L_RB_F_STOP, [RB_F_SELECT] = &&L_RB_F_SELECT,
		[RB_F_TEXT_IN] = &&L_RB_F_TEXT_IN, [RB_F_TEXT_SELECT] = &&L_RB_F_TEXT_SELECT,
		[RB_F_EXACT] = &&L_RB_F_EXACT, [RB_F_END] = &&L_RB_F_END,
	};
	DISPATCH();
#else
	for (;; i++) {
		d = SLOT(i->dst);
		a = SLOT(i->a);
		b = SLOT(i->b);
		switch (i->op) {
#endif
	CASE(RB_I_ADD):
	CASE(RB_I_SUB):
		if (rb_both_ok(d, a, b)) {
			x = i->op == RB_I_ADD ? a->u.f.x + b->u.f.x : a->u.f.x - b->u.f.x;
			e = a->u.f.e + b->u.f.e + fabs(x) * FK;
			d->state = RB_V_OK;
			d->u.f.x = x;
			d->u.f.e = e;
			if (!rb_rel_ok(x, e, i->r))
				UNDECIDED_REL;
		}
		NEXT();
	CASE(RB_I_MUL):
		if (rb_both_ok(d, a, b)) {
			x = a->u.f.x * b->u.f.x;
			if (!rb_rel_range(x))
				UNDECIDED_REL;
			rb_put_rel(d, x, i->r);
		}
		NEXT();
	CASE(RB_F_MULQ):
		if (rb_both_ok(d, a, b)) {
			x = a->u.f.x * b->u.f.x;
			if (!rb_rel_range(x) || !moderate(a, x))
				UNDECIDED_REL;
			rb_put_rel(d, x, i->r);
		}
		NEXT();
	CASE(RB_I_DIV):
		if (rb_both_ok(d, a, b)) {
			if (b->u.f.x == 0) { /* exactly zero: see "Relative bounds" */
				d->state = RB_V_ERROR;
				d->err = RB_VERR_DIVZERO;
				d->at = i->at;
				NEXT();
			}
			x = a->u.f.x / b->u.f.x;
			if (!rb_rel_range(x))
				UNDECIDED_REL;
			rb_put_rel(d, x, i->r);
		}
		NEXT();
	CASE(RB_I_CONV):
		if (rb_one_ok(d, a)) {
			x = a->u.f.x * i->k;
			if (!rb_rel_range(x))
				UNDECIDED_REL;
			rb_put_rel(d, x, i->r);
		}
		NEXT();
	CASE(RB_I_NEG):
	CASE(RB_I_ABS):
		if (rb_one_ok(d, a)) {
			d->state = RB_V_OK;
			d->u.f.x = i->op == RB_I_NEG ? -a->u.f.x : fabs(a->u.f.x);
			d->u.f.e = a->u.f.e;
		}
		NEXT();
	CASE(RB_I_MIN):
	CASE(RB_I_MAX):
		if (rb_both_ok(d, a, b)) {
			xa = a->u.f.x;
			xb = b->u.f.x;
			if (isnan(xa) || isnan(xb))
				UNDECIDED_REL;
			x = (i->op == RB_I_MIN) == (xa <= xb) ? xa : xb;
			rb_put_rel(d, x, i->r);
		}
		NEXT();
	CASE(RB_I_ROUND):
		if (rb_one_ok(d, a) && (!fround(i, a, d) || !rb_rel_range(d->u.f.x)))
			UNDECIDED_REL;
		NEXT();
#define FAST_COMPARE(opc, test)                \
	CASE(opc):                             \
		if (rb_both_ok(d, a, b)) {     \
			c = fcmp(a, b);        \
			if (c == 2)            \
				UNDECIDED_REL; \
			rb_bool_result(d, test); \
		}                              \
		NEXT()
	FAST_COMPARE(RB_I_NLT, c < 0);
	FAST_COMPARE(RB_I_NLE, c <= 0);
	FAST_COMPARE(RB_I_NGT, c > 0);
	FAST_COMPARE(RB_I_NGE, c >= 0);
	FAST_COMPARE(RB_I_NEQ, c == 0);
	FAST_COMPARE(RB_I_NNE, c != 0);
#undef FAST_COMPARE
	RB_NON_NUMERIC_OPS(CASE, NEXT());
	CASE(RB_F_CAPPED):
		if (!rb_both_ok(d, a, b)) {
			*SLOT(i->cmp) = *d; /* the comparison's state */
			NEXT();
		}
		c = fcmp(a, b);
		if (c == 2) {
			if (!res)
				return false;
			rb_fast_fallback(res, SLOT_INDEX(i->dst));
			rb_fast_fallback(res, SLOT_INDEX(i->cmp)); /* computed with dst */
			NEXT();
		}
		rb_bool_result(SLOT(i->cmp), c > 0);
		{
			const rb_val *q = SLOT(i->at), *top = SLOT(i->c);
			if ((q->state | top->state) == RB_V_OK) {
				/* capped or not chosen without a branch: which way a
				 * record's figures lie is as good as random to a
				 * branch predictor */
				x = a->u.f.x * q->u.f.x;
				e = i->r * fabs(x);
				bool capped = c > 0;
				/* & and |, not && and ||: no branch on capped */
				bool bad = !rb_rel_range(x) || (i->mode && !moderate(a, x));
				if ((!capped) & bad)
					UNDECIDED_REL;
				uint64_t m = (uint64_t)0 - (uint64_t)capped, tx, te, px, pe;
				memcpy(&tx, &top->u.f.x, 8);
				memcpy(&te, &top->u.f.e, 8);
				memcpy(&px, &x, 8);
				memcpy(&pe, &e, 8);
				px = (tx & m) | (px & ~m);
				pe = (te & m) | (pe & ~m);
				d->state = RB_V_OK;
				memcpy(&d->u.f.x, &px, 8);
				memcpy(&d->u.f.e, &pe, 8);
				NEXT();
			}
			if (c > 0) {
				*d = *top;
			} else {
				if (!rb_both_ok(d, a, q))
					NEXT(); /* a missing or failed factor, as the product would be */
				x = a->u.f.x * q->u.f.x;
				if (!rb_rel_range(x) || (i->mode && !moderate(a, x)))
					UNDECIDED_REL;
				rb_put_rel(d, x, i->r);
			}
		}
		NEXT();
	CASE(RB_F_STOP):
		if (a->state == RB_V_OK)
			UNDECIDED_REL; /* the fold runs in exact decimals, alone */
		rb_one_ok(d, a); /* no list: the fold has no value either */
		NEXT();
	CASE(RB_I_SELECT):
	CASE(RB_F_SELECT):
		if (rb_one_ok(d, a)) {
			/* the operand chosen as an address, not by a branch */
			const rb_val *from = pick(a->u.b != 0, b, SLOT(i->c));
			*d = *from;
		}
		NEXT();
	CASE(RB_F_TEXT_IN):
		if (rb_one_ok(d, a)) {
			if (a->at == RB_TEXT_UNKNOWN)
				UNDECIDED_REL; /* not interned: compare the bytes */
			rb_bool_result(d, a->at < 64 && ((i->set >> a->at) & 1));
		}
		NEXT();
	CASE(RB_F_TEXT_SELECT):
		if (rb_one_ok(d, a)) {
			if (a->at == RB_TEXT_UNKNOWN)
				UNDECIDED_REL; /* not interned: compare the bytes */
			const rb_val *from =
				pick(a->at < 64 && ((i->set >> a->at) & 1), b, SLOT(i->c));
			*d = *from;
		}
		NEXT();
	CASE(RB_I_YEAR):
		if (rb_one_ok(d, a)) {
			d->state = RB_V_OK;
			d->u.f.x = (double)(a->u.date / 10000);
			d->u.f.e = 0;
		}
		NEXT();
	CASE(RB_F_EXACT):
		if (!res)
			return false;
		rb_fast_fallback(res, SLOT_INDEX(i->dst));
		if (i->mode) /* a capped product's comparison, computed with it */
			rb_fast_fallback(res, SLOT_INDEX(i->cmp));
		NEXT();
	CASE(RB_F_END):
		return true;
	DEFAULT_CASE: /* an instruction without a binary form */
		UNDECIDED_REL;
#if !RB_THREADED
		}
	next:;
	}
#endif
}

#undef CASE
#undef DEFAULT_CASE
#undef DISPATCH
#undef NEXT
#undef UNDECIDED_REL
RB_LABELS_END

#undef SLOT
#undef SLOT_INDEX

bool rb_run_fast(const rb_fins *code, uint32_t n, rb_val *s)
{
	return run_date(code, n, s);
}

bool rb_run_fast_record(const rulebook *rb, rb_val *s, rulebook_result *res)
{
	/* without the per-record program (offsets too large), the exact path */
	return rb->frec && run_rel(rb->frec, s, res);
}
