/* Which results rest on an illustrative value: a walk over the exact
 * program that marks every slot derived from an illustrative parameter,
 * following only the branches the record took. An `else` branch not taken,
 * an `and` decided by its other operand, or an exception not reached does
 * not mark the rule, so a rulebook can hold illustrative figures for cases
 * a record does not reach without marking every result. Run on demand,
 * once per evaluation, and only for rulebooks with illustrative
 * parameters. It reads the states the fast run left where they are exact
 * and computes only the missing ones exactly, so it does not run the exact
 * program again. */
#include "compiled.h"
#include "alloc.h"

#include <string.h>

static uint8_t dominant_taint(const rulebook_result *r, const uint8_t *t, const rb_ins *i,
			     int dominant)
{
	const rb_val *a = rb_state_at(r, i->a), *b = rb_state_at(r, i->b);
	bool da = a->state == RB_V_OK && a->u.b == dominant;
	bool db = b->state == RB_V_OK && b->u.b == dominant;
	if (da && db)
		return t[i->a] & t[i->b]; /* either alone decides */
	if (da)
		return t[i->a];
	if (db)
		return t[i->b];
	return t[i->a] | t[i->b];
}

/* A fold over a list and its body. The body ran once per element and its
 * slots hold the last element's values, so within it every operand counts:
 * a mark any element may carry is kept. */
static void mark_each(const rb_ins *code, uint32_t at, uint8_t *t)
{
	const rb_ins *e = &code[at];
	uint32_t end = at + 1 + (uint32_t)e->num;
	for (uint32_t pc = at + 1; pc < end; pc++) {
		const rb_ins *i = &code[pc];
		if (i->op == RB_I_EACH) {
			mark_each(code, pc, t);
			pc += (uint32_t)i->num;
			continue;
		}
		t[i->dst] = t[i->a] | t[i->b] | (i->op == RB_I_SELECT ? t[i->c] : 0);
	}
	t[e->dst] = t[e->a] | t[e->c] | t[RB_EACH_VALUE(e->den)];
}

/* The states and booleans come from the fast run where it holds them,
 * else from lazy exact values (lazy.c); only instructions a rule depends
 * on are walked. */
static void mark(const rulebook_result *r, uint8_t *t)
{
	const rulebook *rb = r->rb;
	memset(t, 0, rb->nslots);
	for (uint32_t p = 0; p < rb->nparams; p++)
		if (rb->params[p].provenance == RB_PROV_ILLUSTRATIVE)
			t[rb->params[p].sym->slot] = 1;
	for (uint32_t pc = 0; pc < rb->ncode; pc++) {
		const rb_ins *i = &rb->code[pc];
		const rb_val *c;
		uint8_t v;
		if (i->op == RB_I_EACH) {
			if (!rb->rule_cone || rb->rule_cone[pc])
				mark_each(rb->code, pc, t);
			pc += (uint32_t)i->num;
			continue;
		}
		if (rb->rule_cone && !rb->rule_cone[pc])
			continue;
		switch ((rb_opcode)i->op) {
		case RB_I_AND:
			v = dominant_taint(r, t, i, 0);
			break;
		case RB_I_OR:
			v = dominant_taint(r, t, i, 1);
			break;
		case RB_I_SELECT:
			v = t[i->a];
			c = rb_state_at(r, i->a);
			if (c->state == RB_V_OK)
				v |= c->u.b ? t[i->b] : t[i->c];
			break;
		case RB_I_COALESCE:
			v = t[i->a] | (rb_state_at(r, i->a)->state == RB_V_MISSING ? t[i->b] : 0);
			break;
		case RB_I_NEG: case RB_I_ABS: case RB_I_CONV: case RB_I_ROUND: case RB_I_NOT:
		case RB_I_MISSING: case RB_I_YEAR:
			v = t[i->a];
			break;
		default:
			v = t[i->a] | t[i->b];
			break;
		}
		t[i->dst] = v;
	}
}

static bool in_window(int32_t from, int32_t until, int32_t d)
{
	return (!from || d >= from) && (!until || d <= until);
}

bool rb_result_rule_illustrative(const rulebook_result *cr, uint32_t rule)
{
	rulebook_result *r = (rulebook_result *)cr;
	const rulebook *rb = r->rb;
	const rb_rule *ru = &rb->rules[rule];
	if (!ru->illustrative || !r->as_of)
		return false; /* uses no illustrative parameter at all */
	if (!r->taint_ok) {
		if (!r->taint) {
			r->taint = rb_malloc(rb->nslots ? rb->nslots : 1);
			if (!r->taint)
				return true; /* cannot tell: keep the conservative answer */
		}
		mark(r, r->taint);
		r->taint_ok = true;
	}
	const uint8_t *t = r->taint;
	if (!in_window(rb->from, rb->until, r->as_of) || !in_window(ru->from, ru->until, r->as_of))
		return false;
	uint8_t acc = 0;
	if (ru->when >= 0) {
		acc |= t[ru->when];
		const rb_val *w = rb_state_at(r, (uint32_t)ru->when);
		if (w->state != RB_V_OK || !w->u.b)
			return acc;
	}
	for (uint32_t k = 0; k < ru->nunless; k++) {
		acc |= t[ru->unless[k].when];
		if (r->exception[rule] == (int32_t)k)
			return acc;
	}
	if (ru->require >= 0)
		acc |= t[ru->require];
	for (uint32_t k = 0; k < ru->nobligations; k++)
		acc |= t[ru->obligations[k].slot];
	return acc;
}

RULEBOOK_API int rulebook_result_illustrative(const rulebook_result *res, size_t rule)
{
	if (!res || !res->as_of || rule >= res->rb->nrules)
		return -1;
	return rb_result_rule_illustrative(res, (uint32_t)rule);
}
