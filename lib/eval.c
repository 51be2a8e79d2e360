/* Evaluation: run the compiled program over one record and decide each
 * rule's verdict. No parsing, no name lookups, no formatting and no
 * allocation happen here once the result object has been used once. */
#include "compiled.h"
#include "alloc.h"
#include "date.h"
#include "fastpath.h"
#include "values.h"
#include "attributes.h"

#include <string.h>


/* Inline fast paths of decimal.c for the common shapes (same exponent, a
 * product that fits 64 bits); they return exactly what the general
 * functions return, which handle everything else. */
static const int64_t pow10_18[19] = {
	INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000), INT64_C(100000),
	INT64_C(1000000), INT64_C(10000000), INT64_C(100000000), INT64_C(1000000000),
	INT64_C(10000000000), INT64_C(100000000000), INT64_C(1000000000000),
	INT64_C(10000000000000), INT64_C(100000000000000), INT64_C(1000000000000000),
	INT64_C(10000000000000000), INT64_C(100000000000000000), INT64_C(1000000000000000000),
};

/* Align the exponents in 64 bits; a scaled coefficient beyond 64 bits
 * exceeds any coefficient (< 10^18), so its sign decides. */
static inline int dec_cmp(rb_dec a, rb_dec b)
{
	int64_t x = a.coef, y = b.coef, t;
	int32_t d = a.exp - b.exp;
	if (d > 0 && d <= 18) {
		if (__builtin_mul_overflow(x, pow10_18[d], &t))
			return x > 0 ? 1 : -1;
		x = t;
	} else if (d < 0 && d >= -18) {
		if (__builtin_mul_overflow(y, pow10_18[-d], &t))
			return y > 0 ? -1 : 1;
		y = t;
	} else if (d != 0) {
		return rb_dec_cmp(a, b);
	}
	return (x > y) - (x < y);
}

static inline rb_dec_status dec_add(rb_dec a, rb_dec b, rb_dec *out)
{
	if (a.exp == b.exp) {
		int64_t c = a.coef + b.coef; /* |c| < 2·10^18 */
		if (c > -RB_DEC_COEF_LIMIT && c < RB_DEC_COEF_LIMIT) {
			out->coef = c;
			out->exp = a.exp;
			return RB_DEC_OK;
		}
	}
	return rb_dec_add(a, b, out);
}

static inline rb_dec_status dec_mul(rb_dec a, rb_dec b, rb_dec *out)
{
	int64_t c, e = (int64_t)a.exp + b.exp;
	if (!__builtin_mul_overflow(a.coef, b.coef, &c) && c > -RB_DEC_COEF_LIMIT &&
	    c < RB_DEC_COEF_LIMIT && e >= RB_DEC_EXP_MIN && e <= RB_DEC_EXP_MAX) {
		out->coef = c;
		out->exp = (int32_t)e;
		return RB_DEC_OK;
	}
	return rb_dec_mul(a, b, out);
}

static void run(const rb_ins *code, uint32_t from, uint32_t to, rb_val *s);

/* Kleene folds: `dominant` (true for any, false for all) decides; else an
 * error, then a missing element, leaves the result undecided. */
static void each(const rb_ins *code, uint32_t pc, rb_val *s)
{
	const rb_ins *i = &code[pc];
	rb_val *d = &s[i->dst];
	const rb_val *l = &s[i->a];
	if (!rb_one_ok(d, l))
		return;
	int fold = RB_EACH_FOLD(i->den);
	uint32_t stride = RB_EACH_STRIDE(i->den), value = RB_EACH_VALUE(i->den);
	uint32_t body = (uint32_t)i->num;
	const rb_val *err = NULL;
	bool undecided = false, have = false, dominant = fold == RB_EACH_ANY;
	bool decided = false;
	int64_t n = 0;
	rb_dec acc = rb_dec_from_int(0);
	for (uint32_t k = 0; k < l->u.l.n && !decided; k++) {
		memcpy(&s[i->b], &l->u.l.items[(size_t)k * stride], stride * sizeof(rb_val));
		run(code, pc + 1, pc + 1 + body, s);
		if (i->c) {
			const rb_val *f = &s[i->c];
			if (f->state == RB_V_ERROR) {
				err = err ? err : f;
				continue;
			}
			if (f->state != RB_V_OK) {
				undecided = true;
				continue;
			}
			if (!f->u.b)
				continue;
		}
		if (fold == RB_EACH_COUNT) {
			n++;
			continue;
		}
		const rb_val *v = &s[value];
		if (v->state == RB_V_ERROR) {
			err = err ? err : v;
			continue;
		}
		if (v->state != RB_V_OK) {
			undecided = true;
			continue;
		}
		switch (fold) {
		case RB_EACH_SUM:
			if (dec_add(acc, v->u.d, &acc) != RB_DEC_OK) {
				d->state = RB_V_ERROR;
				d->err = RB_VERR_OVERFLOW;
				d->at = pc;
				return;
			}
			break;
		case RB_EACH_MIN:
		case RB_EACH_MAX:
			if (!have || (fold == RB_EACH_MIN ? dec_cmp(v->u.d, acc) < 0
							  : dec_cmp(v->u.d, acc) > 0))
				acc = v->u.d;
			have = true;
			break;
		default: /* any, all */
			if (v->u.b == dominant)
				decided = true;
			break;
		}
	}
	if (decided) {
		rb_bool_result(d, dominant);
		return;
	}
	if (err) {
		rb_set_err(d, err);
		return;
	}
	if (undecided) {
		d->state = RB_V_MISSING;
		return;
	}
	d->state = RB_V_OK;
	switch (fold) {
	case RB_EACH_COUNT: d->u.d = rb_dec_from_int(n); break;
	case RB_EACH_SUM: d->u.d = acc; break;
	case RB_EACH_MIN:
	case RB_EACH_MAX:
		if (have)
			d->u.d = acc;
		else
			d->state = RB_V_MISSING; /* no element: no least or greatest */
		break;
	default: d->u.b = !dominant; break;
	}
}

void rb_run_code(const rb_ins *code, uint32_t n, rb_val *s)
{
	run(code, 0, n, s);
}

static void run(const rb_ins *code, uint32_t from, uint32_t to, rb_val *s)
{
	for (uint32_t pc = from; pc < to; pc++) {
		const rb_ins *i = &code[pc];
		rb_val *d = &s[i->dst];
		const rb_val *a = &s[i->a];
		const rb_val *b = &s[i->b];
		switch ((rb_opcode)i->op) {
		case RB_I_ADD:
			if (rb_both_ok(d, a, b))
				num_result(d, dec_add(a->u.d, b->u.d, &d->u.d), pc);
			break;
		case RB_I_SUB:
			if (rb_both_ok(d, a, b))
				num_result(d, rb_dec_sub(a->u.d, b->u.d, &d->u.d), pc);
			break;
		case RB_I_MUL:
			if (rb_both_ok(d, a, b))
				num_result(d, dec_mul(a->u.d, b->u.d, &d->u.d), pc);
			break;
		case RB_I_DIV:
			if (rb_both_ok(d, a, b))
				num_result(d, rb_dec_div(a->u.d, b->u.d, &d->u.d), pc);
			break;
		case RB_I_NEG:
			if (rb_one_ok(d, a)) {
				d->u.d = rb_dec_neg(a->u.d);
				d->state = RB_V_OK;
			}
			break;
		case RB_I_ABS:
			if (rb_one_ok(d, a)) {
				d->u.d = rb_dec_abs(a->u.d);
				d->state = RB_V_OK;
			}
			break;
		case RB_I_CONV:
			if (rb_one_ok(d, a))
				num_result(d, rb_dec_mul_ratio(a->u.d, i->num, i->den, &d->u.d), pc);
			break;
		case RB_I_MIN:
		case RB_I_MAX:
			if (rb_both_ok(d, a, b)) {
				int c = dec_cmp(a->u.d, b->u.d);
				d->u.d = (i->op == RB_I_MIN) == (c <= 0) ? a->u.d : b->u.d;
				d->state = RB_V_OK;
			}
			break;
		case RB_I_ROUND:
			if (rb_one_ok(d, a))
				num_result(d, rb_dec_round(a->u.d, (int32_t)i->num, (rb_dec_rounding)i->den,
							   &d->u.d),
					   pc);
			break;
		case RB_I_NLT: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) < 0); break;
		case RB_I_NLE: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) <= 0); break;
		case RB_I_NGT: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) > 0); break;
		case RB_I_NGE: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) >= 0); break;
		case RB_I_NEQ: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) == 0); break;
		case RB_I_NNE: if (rb_both_ok(d, a, b)) rb_bool_result(d, dec_cmp(a->u.d, b->u.d) != 0); break;
		RB_NON_NUMERIC_CASES;
		case RB_I_YEAR:
			if (rb_one_ok(d, a)) {
				d->u.d = rb_dec_from_int(a->u.date / 10000);
				d->state = RB_V_OK;
			}
			break;
		case RB_I_EACH:
			each(code, pc, s);
			pc += (uint32_t)i->num; /* past the body */
			break;
		case RB_I_SKIP:
			if (a->state != RB_V_OK || a->u.b != (i->den == RB_SKIP_THEN))
				pc += (uint32_t)i->num;
			break;
		}
	}
}

void rb_run_one(const rulebook *rb, uint32_t pc, rb_val *s)
{
	run(rb->code, pc, pc + 1, s); /* a fold runs with its body */
}

/* ---- parameters ---- */

static void fill_params(const rulebook *rb, rb_val *slots, rb_val *fslots, int32_t as_of)
{
	for (uint32_t p = 0; p < rb->nparams; p++) {
		const rb_param *pa = &rb->params[p];
		rb_val *v = &slots[pa->sym->slot];
		v->state = RB_V_MISSING;
		/* values are sorted by date; the last one starting on or before as_of */
		for (uint32_t k = pa->nvalues; k-- > 0;) {
			if (pa->values[k].from <= as_of) {
				if (!pa->values[k].absent) {
					v->state = RB_V_OK;
					v->u.d = pa->values[k].value;
				}
				break;
			}
		}
		if (!fslots)
			continue;
		if (v->state == RB_V_OK)
			rb_fast_from_dec(v->u.d, &fslots[pa->sym->slot]);
		else
			fslots[pa->sym->slot] = *v;
	}
}

/* ---- verdicts ---- */

static rulebook_verdict undecided(const rb_val *v)
{
	return v->state == RB_V_ERROR ? RULEBOOK_ERROR : RULEBOOK_UNKNOWN;
}

static bool in_window(int32_t from, int32_t until, int32_t d)
{
	return (!from || d >= from) && (!until || d <= until);
}

/* The verdict of a rule in force (plan_rules decided that for the date). */
static rulebook_verdict decide(const rb_rule *r, const rb_val *s, int32_t *exc)
{
	*exc = -1;
	if (r->when >= 0) {
		const rb_val *w = &s[r->when];
		if (w->state != RB_V_OK)
			return undecided(w);
		if (!w->u.b)
			return RULEBOOK_NOT_APPLICABLE;
	}
	const rb_val *undecided_exc = NULL;
	for (uint32_t k = 0; k < r->nunless; k++) {
		const rb_val *e = &s[r->unless[k].when];
		if (e->state == RB_V_OK && e->u.b) {
			*exc = (int32_t)k;
			return RULEBOOK_EXEMPT;
		}
		if (e->state != RB_V_OK && !undecided_exc)
			undecided_exc = e;
	}
	if (r->require < 0)
		return RULEBOOK_PASS;
	const rb_val *q = &s[r->require];
	if (q->state != RB_V_OK)
		return undecided(q);
	if (q->u.b)
		return RULEBOOK_PASS;
	/* It fails unless an exception we could not decide might apply. */
	return undecided_exc ? undecided(undecided_exc) : RULEBOOK_FAIL;
}

bool rb_list_item_is_text(const rulebook *rb, const rb_input *in, size_t field)
{
	return in->nfields ? rb->inputs[in->field0 + field].type == RB_T_TEXT
			   : in->elem == RB_T_TEXT;
}

int rb_store_text(char **store, size_t *cap, const char *s, size_t len)
{
	if (rb_grow((void **)store, cap, len + 1, 1) < 0)
		return -1;
	if (len)
		memcpy(*store, s, len);
	(*store)[len] = '\0';
	return 0;
}

/* The rulebook's own copy of a text input's value when the facts found it
 * equal to one of the input's interned texts (rb_val.at), else NULL. The
 * rulebook outlives its results, so a result may point at it. */
static inline const char *interned_text(const rb_input *in, const rb_val *v)
{
	uint32_t id = v->at - 1; /* RB_TEXT_UNKNOWN wraps around */
	return id < in->ninterned ? in->interned[id] : NULL;
}

/* Copy the text inputs' values of slots s (a copy of facts->vals) into
 * the result's text storage in one pass, for a rulebook with no list
 * inputs. False, with some slots already pointing into the storage, when
 * the storage is too small: then copy_inputs grows it and starts again. */
/* len bytes of s and a NUL at to; the copy's start. */
static inline const char *put_text(char *to, const char *s, size_t len)
{
	memcpy(to, s, len);
	to[len] = '\0';
	return to;
}

static RB_NOINLINE bool copy_texts(const rulebook *rb, rulebook_result *out, rb_val *s, rb_val *fs)
{
	char *text = out->text;
	size_t room = out->text_cap;
	const uint32_t *copied = rb->copied_inputs;
	const rb_input *inputs = rb->inputs;
	for (uint32_t q = 0, n = rb->ncopied_inputs; q < n; q++) {
		uint32_t k = copied[q];
		rb_val *v = &s[k];
		if (v->state != RB_V_OK)
			continue;
		const char *t = interned_text(&inputs[k], v);
		if (!t) {
			size_t len = v->u.t.len;
			if (len >= room)
				return false;
			t = put_text(text, v->u.t.s, len);
			text += len + 1;
			room -= len + 1;
		}
		v->u.t.s = t;
		if (fs) /* the fast run reads the same copies */
			fs[k] = *v;
	}
	return true;
}

/* Text and list inputs are copied so the result stays readable after the
 * facts change; the storage is kept between evaluations. s and fs point
 * at the inputs' slots, holding copies of facts->vals and facts->fvals
 * (the same for texts and lists). -1 when memory runs out. */
static RB_NOINLINE int copy_inputs(const rulebook *rb, const rulebook_facts *facts,
				    rulebook_result *out, rb_val *s, rb_val *fs)
{
	const uint32_t *copied = rb->copied_inputs;
	size_t need = 0, nitems = 0;
	uint32_t ncopied = copied ? rb->ncopied_inputs : rb->ninputs;
	for (uint32_t q = 0; q < ncopied; q++) {
		uint32_t k = copied ? copied[q] : q;
		const rb_val *v = &facts->vals[k];
		if (v->state != RB_V_OK)
			continue;
		if (rb->inputs[k].type == RB_T_TEXT) {
			if (!interned_text(&rb->inputs[k], v))
				need += v->u.t.len + 1;
		} else if (rb->inputs[k].type == RB_T_LIST) {
			uint32_t stride = rb->inputs[k].nfields ? rb->inputs[k].nfields : 1;
			nitems += (size_t)v->u.l.n * stride;
			for (size_t j = 0; j < (size_t)v->u.l.n * stride; j++)
				if (rb_list_item_is_text(rb, &rb->inputs[k], j % stride) &&
				    v->u.l.items[j].state == RB_V_OK)
					need += v->u.l.items[j].u.t.len + 1;
		}
	}
	if ((need && rb_grow((void **)&out->text, &out->text_cap, need, 1) < 0) ||
	    (nitems && rb_grow((void **)&out->list, &out->list_cap, nitems, sizeof(rb_val)) < 0))
		return -1;
	size_t off = 0, at = 0;
	for (uint32_t q = 0; q < ncopied; q++) {
		uint32_t k = copied ? copied[q] : q;
		rb_val *v = &s[k];
		const rb_input *in = &rb->inputs[k];
		if (facts->vals[k].state != RB_V_OK)
			continue;
		*v = facts->vals[k]; /* copy_texts may have started on it */
		if (in->type == RB_T_TEXT) {
			const char *t = interned_text(in, v);
			if (!t) {
				t = put_text(out->text + off, v->u.t.s, v->u.t.len);
				off += v->u.t.len + 1;
			}
			v->u.t.s = t;
		} else if (in->type == RB_T_LIST && v->u.l.n) {
			uint32_t stride = in->nfields ? in->nfields : 1;
			size_t m = (size_t)v->u.l.n * stride;
			rb_val *items = out->list + at;
			memcpy(items, v->u.l.items, m * sizeof(rb_val));
			for (size_t j = 0; j < m; j++) {
				rb_val *t = &items[j];
				if (!rb_list_item_is_text(rb, in, j % stride) || t->state != RB_V_OK)
					continue;
				t->u.t.s = put_text(out->text + off, t->u.t.s, t->u.t.len);
				off += t->u.t.len + 1;
			}
			v->u.l.items = items;
			at += m;
		} else {
			continue;
		}
		if (fs)
			fs[k] = *v;
	}
	return 0;
}

/* The stamps wrapped around: forget every instruction's stamp. */
static RB_NOINLINE void restart_stamps(const rulebook *rb, rulebook_result *out)
{
	if (out->done) {
		memset(out->done, 0, rb->ncode * sizeof(uint32_t));
		memset(out->score_inv, 0, rb->nscorecards * sizeof(uint32_t));
	}
	out->stamp = out->pstamp = 1;
}

/* Another as-of date than the last evaluation's: the parameters' values
 * and what depends on the date and parameters alone. */
static RB_NOINLINE void new_as_of(const rulebook *rb, rulebook_result *out, int32_t as_of)
{
	fill_params(rb, out->slots, out->fslots, as_of);
	out->params_as_of = as_of;
	out->pstamp = out->stamp;
	if (out->fslots)
		out->fpre_ok = rb_run_fast(rb->fpre, rb->nfpre, out->fslots);
}

RULEBOOK_API rulebook_status rulebook_eval(const rulebook *rb, const rulebook_facts *facts,
					   int32_t as_of, rulebook_result *out, rulebook_error *err)
{
	if (err)
		rulebook_error_clear(err);
	if (!rb || !facts || !out)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "rulebook_eval needs a rulebook, facts and a result");
	if (facts->rb != rb || out->rb != rb)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "the facts or the result belong to another rulebook");
	if (as_of != out->params_as_of && !rb_date_valid(as_of)) /* checked when first used */
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "as-of date %ld is not a valid YYYYMMDD date", (long)as_of);
	rb_val *s = out->slots;
	if (out->strings.used) /* else nothing to forget */
		rb_arena_reset(&out->strings);
	out->taint_ok = false;

	memcpy(s + rb->input_base, facts->vals, rb->ninputs * sizeof(rb_val));
	rb_val *fs = out->fast_ok ? out->fslots : NULL; /* fslots: only with rb->fcode */
	if (fs)
		memcpy(fs + rb->input_base, facts->fvals, rb->ninputs * sizeof(rb_val));
	out->has_id = facts->has_id;
	if (((rb->text_inputs || rb->list_inputs) &&
	     !(rb->copied_inputs && !rb->list_inputs &&
	       copy_texts(rb, out, s + rb->input_base, fs ? fs + rb->input_base : NULL)) &&
	     copy_inputs(rb, facts, out, s + rb->input_base, fs ? fs + rb->input_base : NULL) < 0) ||
	    (facts->has_id && rb_store_text(&out->record_id, &out->record_id_cap, facts->record_id,
					    strlen(facts->record_id)) < 0)) {
		/* the inputs are half replaced: nothing of the last record is left */
		out->as_of = 0;
		out->nverdicts = out->nclasses = 0;
		out->has_id = false;
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	}

	s[0].state = RB_V_OK;
	s[0].u.date = as_of;
	/* a new stamp: no exact value of the last record is valid any more */
	if (++out->stamp == 0)
		restart_stamps(rb, out);
	if (out->fslots)
		out->fslots[0] = s[0]; /* the date, also for the per-date part below */
	if (out->params_as_of != as_of)
		new_as_of(rb, out, as_of);
	if (fs && !out->fpre_ok)
		fs = NULL;
	/* The fast path decides when it can; otherwise the exact program runs
	 * now. Either way the verdicts are those of exact arithmetic. */
	const rb_val *vs = s;
	out->decided_fast = false;
	out->fell_back = false;
	out->exact = !fs;
	if (fs && rb_run_fast_record(rb, fs, out->done ? out : NULL)) {
		vs = fs;
		out->decided_fast = true;
	} else {
		rb_run(rb, s);
		out->exact = true;
	}

	rb_eval_decide(rb, out, vs, as_of);
	return RULEBOOK_OK;
}

/* Only its `require` decides the rule once it is in force (the byte
 * offset of the slot fits rule_plan). */
static bool plain_rule(const rb_rule *r)
{
	return r->when < 0 && !r->nunless && r->require >= 0 &&
	       r->require <= (int64_t)(UINT32_MAX / sizeof(rb_val));
}

/* The part of the verdicts that depends on as_of alone (rule_plan in
 * compiled.h): the verdict of a rule not in force, the exception -1 of a
 * rule decide() does not decide. */
static void plan_rules(const rulebook *rb, rulebook_result *out, int32_t as_of)
{
	bool book_in_force = in_window(rb->from, rb->until, as_of);
	uint32_t nplain = 0, ndecide = 0;
	memset(out->base_counts, 0, sizeof(out->base_counts));
	for (uint32_t k = 0; k < rb->nrules; k++) {
		const rb_rule *r = &rb->rules[k];
		out->exception[k] = -1;
		if (!book_in_force || !in_window(r->from, r->until, as_of)) {
			out->verdicts[k] = RULEBOOK_NOT_IN_FORCE;
			out->base_counts[RULEBOOK_NOT_IN_FORCE]++;
		} else if (plain_rule(r)) {
			out->rule_plan[2 * nplain] = k;
			out->rule_plan[2 * nplain + 1] = (uint32_t)r->require * (uint32_t)sizeof(rb_val);
			nplain++;
		} else {
			ndecide++;
		}
	}
	for (uint32_t k = 0, at = 2 * nplain; k < rb->nrules; k++) {
		const rb_rule *r = &rb->rules[k];
		if (book_in_force && in_window(r->from, r->until, as_of) && !plain_rule(r))
			out->rule_plan[at++] = k;
	}
	out->nplain = nplain;
	out->ndecide = ndecide;
	out->book_in_force = book_in_force;
	out->plain_as_of = as_of;
}

/* The verdict of a rule its `require` alone decides, by the slot's state
 * and boolean: [state * 2 + boolean]. */
static const uint8_t plain_verdict[6] = {
	RULEBOOK_FAIL, RULEBOOK_PASS,       /* RB_V_OK */
	RULEBOOK_UNKNOWN, RULEBOOK_UNKNOWN, /* RB_V_MISSING */
	RULEBOOK_ERROR, RULEBOOK_ERROR,     /* RB_V_ERROR */
};

void rb_eval_decide(const rulebook *rb, rulebook_result *out, const rb_val *vs, int32_t as_of)
{
	if (out->plain_as_of != as_of)
		plan_rules(rb, out, as_of);
	uint32_t counts[8];
	memcpy(counts, out->base_counts, sizeof counts);
	uint8_t *verdicts = out->verdicts;
	const uint32_t *plan = out->rule_plan, *end = plan + 2 * out->nplain;
	for (; plan < end; plan += 2) {
		const rb_val *w = (const rb_val *)((const char *)vs + plan[1]);
		unsigned v = plain_verdict[w->state * 2 + (w->u.b != 0)];
		verdicts[plan[0]] = (uint8_t)v;
		counts[v]++;
	}
	for (uint32_t j = 0, n = out->ndecide; j < n; j++) {
		uint32_t k = plan[j];
		int32_t exc;
		rulebook_verdict v = decide(&rb->rules[k], vs, &exc);
		out->exception[k] = exc;
		verdicts[k] = (uint8_t)v;
		counts[v]++;
	}
	memcpy(out->counts, counts, sizeof counts);
	out->as_of = as_of;
	out->nverdicts = rb->nrules;
	out->nclasses = rb->nscorecards;
	if (rb->ntargets)
		rb_eval_targets(rb, out);
	rb_eval_scorecards(rb, out, vs);
}

void rb_result_make_exact(rulebook_result *res)
{
	/* the inputs, parameters and as-of date are in place (rulebook_eval) */
	rb_run(res->rb, res->slots);
	res->exact = true;
}

RULEBOOK_API void rulebook_result_set_exact_only(rulebook_result *res, int exact_only)
{
	if (res && res->fslots)
		res->fast_ok = !exact_only;
}

RULEBOOK_API int rulebook_result_decided_exactly(const rulebook_result *res)
{
	if (!res || !res->as_of)
		return -1;
	return !res->decided_fast || res->fell_back;
}
