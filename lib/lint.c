/* Lint: likely mistakes in a rulebook that compile fine. Found by looking at
 * the compiled form (dependencies, constant conditions) and, for conditions
 * that use no input, by evaluating them once with every input missing. */
#include "result.h"
#include "alloc.h"
#include "date.h"
#include "idset.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void report(rulebook_error *out, rulebook_status st, rb_pos pos, const char *name,
		   const char *fmt, va_list ap) RB_PRINTF(5, 0);

static void report(rulebook_error *out, rulebook_status st, rb_pos pos, const char *name,
		   const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	rb_error_add(out, st, pos, name, "%s", buf);
}

static void finding(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
	RB_PRINTF(4, 5);
static void note(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
	RB_PRINTF(4, 5);

static void finding(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(out, RULEBOOK_LINT, pos, name, fmt, ap);
	va_end(ap);
}

static void note(rulebook_error *out, rb_pos pos, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(out, RULEBOOK_NOTE, pos, name, fmt, ap);
	va_end(ap);
}

/* A list in a test case's facts: read into scratch facts. */
static void lint_list_fact(const rulebook *rb, const rb_m_test *t, size_t idx, const rb_node *v,
			   rulebook_error *out)
{
	if (v->kind == RB_NODE_SCALAR && v->style == RB_SCALAR_PLAIN &&
	    (strcmp(v->text, "null") == 0 || v->len == 0))
		return;
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_error *e = rulebook_error_new();
	if (f && e && rb_facts_set_list_node(f, idx, v, false, e) != RULEBOOK_OK) {
		/* at the element the message names */
		rb_pos at = {v->pos.file, rulebook_error_line(e, 0), rulebook_error_column(e, 0)};
		finding(out, at.line ? at : v->pos, t->name.s, "test '%s': %s", t->name.s,
			rulebook_error_message(e, 0));
	}
	rulebook_error_free(e);
	rulebook_facts_free(f);
}

/* The facts of a test case: each names an input and holds a value it takes. */
static void lint_facts(const rulebook *rb, const rb_m_test *t, const rb_m_fact *facts, size_t n,
		       rulebook_error *out)
{
	for (size_t k = 0; k < n; k++) {
		const rb_m_fact *mf = &facts[k];
		if (!mf->name.s || mf->name.s[0] == '_')
			continue;
		const rb_sym *s = rb_lookup(rb, mf->name.s, mf->name.len);
		if (!s || s->kind != RB_SYM_INPUT) {
			finding(out, mf->name.pos, t->name.s,
				"test '%s': '%s' is not an input of the rulebook", t->name.s, mf->name.s);
			continue;
		}
		const rb_node *v = mf->value;
		if (v && rb->inputs[s->index].type == RB_T_LIST) {
			lint_list_fact(rb, t, s->index, v, out);
			continue;
		}
		if (!v || v->kind != RB_NODE_SCALAR ||
		    (v->style == RB_SCALAR_PLAIN && (strcmp(v->text, "null") == 0 || v->len == 0)))
			continue;
		char msg[256];
		rb_val tmp;
		if (rb_parse_input_value(rb, &rb->inputs[s->index], v->text, v->len, &tmp, msg,
					 sizeof msg) != RULEBOOK_OK)
			finding(out, v->pos, t->name.s, "test '%s': %s", t->name.s, msg);
	}
}

/* Test cases must name what exists: inputs, rules and values. */
static void lint_tests(const rulebook *rb, const rb_model *m, rulebook_error *out)
{
	for (size_t i = 0; i < m->ntests; i++) {
		const rb_m_test *t = &m->tests[i];
		lint_facts(rb, t, t->facts, t->nfacts, out);
		for (size_t r = 0; r < t->nrecords; r++)
			lint_facts(rb, t, t->records[r], t->nrecord_facts[r], out);
		for (size_t k = 0; k < t->nverdicts; k++) {
			const rb_m_expect *e = &t->verdicts[k];
			size_t idx;
			if (rulebook_rule_index(rb, e->name.s, e->name.len, &idx) != RULEBOOK_OK)
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a verdict of '%s', which is not a rule",
					t->name.s, e->name.s);
		}
		for (size_t k = 0; k < t->nvalues; k++) {
			const rb_m_expect *e = &t->values[k];
			if (!rb_lookup(rb, e->name.s, e->name.len))
				finding(out, e->name.pos, t->name.s,
					"test '%s' expects a value of '%s', which is not an input, "
					"parameter or indicator",
					t->name.s, e->name.s);
		}
	}
}

RULEBOOK_API rulebook_status rulebook_lint(const rulebook *rb, int32_t as_of, rulebook_error *out)
{
	rulebook_error_clear(out);
	if (!rb || !out || (as_of && !rb_date_valid(as_of)))
		return RULEBOOK_ERR_INVALID;
	const rb_model *m = rb->model;
	uint8_t *used = rb_calloc(rb->nsyms ? rb->nsyms : 1, 1);
	rulebook_facts *f = rulebook_facts_new(rb);
	rulebook_result *res = rulebook_result_new(rb);
	if (!used || !f || !res) {
		rb_free(used);
		rulebook_facts_free(f);
		rulebook_result_free(res);
		return RULEBOOK_ERR_NOMEM;
	}
	/* inputs count as used by rules, targets, scorecards and aggregates */
	for (uint32_t r = 0; r < rb->nrules; r++)
		for (uint32_t k = 0; k < rb->rules[r].ndeps; k++)
			if (rb->rules[r].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->rules[r].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->ntargets; t++)
		for (uint32_t k = 0; k < rb->targets[t].ndeps; k++)
			if (rb->targets[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->targets[t].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->nscorecards; t++)
		for (uint32_t k = 0; k < rb->scorecards[t].ndeps; k++)
			if (rb->scorecards[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->scorecards[t].deps[k] - rb->syms] = 1;
	for (uint32_t t = 0; t < rb->naggregates; t++)
		for (uint32_t k = 0; k < rb->aggregates[t].ndeps; k++)
			if (rb->aggregates[t].deps[k]->kind < RB_SYM_LOOKUP)
				used[rb->aggregates[t].deps[k] - rb->syms] = 1;
	for (uint32_t i = 0; i < rb->ninputs; i++) {
		const rb_sym *s = rb->inputs[i].sym;
		if (!used[s - rb->syms])
			finding(out, s->pos, s->name,
				"input '%s' is not used by any rule, target, scorecard or aggregate", s->name);
	}
	int32_t day = as_of ? as_of : (rb->from ? rb->from : 20000101);
	rulebook_eval(rb, f, day, res, NULL);
	char date[11];
	rb_date_format(day, date);
	bool nomem = false;
	for (uint32_t r = 0; r < rb->nrules && !nomem; r++) {
		const rb_rule *ru = &rb->rules[r];
		const rb_m_rule *mr = &m->rules[r];
		if (ru->when >= 0 && rb_exact_at(res, ru->when)->state == RB_V_OK && !rb_exact_at(res, ru->when)->u.b)
			finding(out, mr->when.pos, ru->id,
				"rule '%s' can never apply: its 'when' is false whatever the facts%s%s%s",
				ru->id, as_of ? " (as of " : "", as_of ? date : "", as_of ? ")" : "");
		rb_idset conds = RB_IDSET_INIT; /* each exception condition's first use */
		for (uint32_t k = 0; k < ru->nunless; k++) {
			const rb_val *e = rb_exact_at(res, ru->unless[k].when);
			const rb_m_exception *me = &mr->unless[k];
			if (e->state == RB_V_OK && e->u.b)
				finding(out, me->when.pos, ru->id,
					"exception '%s' always applies, so rule '%s' is always exempt",
					me->id.s, ru->id);
			uint32_t j;
			int added = rb_idset_add(&conds, me->when.s, me->when.len, k, &j);
			if (added < 0) {
				nomem = true;
				break;
			}
			if (added == 0)
				finding(out, me->when.pos, ru->id,
					"exception '%s' repeats the condition of '%s' and is never the one "
					"that applies",
					me->id.s, mr->unless[j].id.s);
		}
		rb_idset_free(&conds);
	}
	/* class cut-offs given as parameters must still go down */
	for (uint32_t k = 0; k < rb->nscorecards; k++) {
		const rb_scorecard *sc = &rb->scorecards[k];
		for (uint32_t c = 1; c < sc->nclasses; c++) {
			const rb_class *a = &sc->classes[c - 1], *b = &sc->classes[c];
			if (!a->has_min || !b->has_min)
				continue;
			const rb_val *va = rb_exact_at(res, a->min), *vb = rb_exact_at(res, b->min);
			if (va->state == RB_V_OK && vb->state == RB_V_OK && rb_dec_cmp(vb->u.d, va->u.d) >= 0)
				finding(out, m->scorecards[k].classes[c].min.pos, sc->id,
					"class '%s' of scorecard '%s' can never be reached: its cut-off is not below "
					"the one of '%s'%s%s%s",
					b->id, sc->id, a->id, as_of ? " (as of " : "", as_of ? date : "",
					as_of ? ")" : "");
		}
	}
	lint_tests(rb, m, out);
	size_t illustrative = 0;
	for (uint32_t p = 0; p < rb->nparams; p++) {
		const rb_param *pa = &rb->params[p];
		if (pa->provenance == RB_PROV_ILLUSTRATIVE)
			illustrative++;
		bool declared_absent = false; /* value: none in force: said on purpose */
		for (uint32_t k = pa->nvalues; k-- > 0;)
			if (pa->values[k].from <= day) {
				declared_absent = pa->values[k].absent;
				break;
			}
		if (as_of && !declared_absent && rb_exact_at(res, pa->sym->slot)->state == RB_V_MISSING)
			finding(out, pa->sym->pos, pa->sym->name,
				"parameter '%s' has no value in force on %s (its first value starts later)",
				pa->sym->name, date);
	}
	rb_lint_tables(rb, out);
	if (as_of && rb->until && as_of > rb->until) {
		char until[11];
		rb_date_format(rb->until, until);
		finding(out, (rb_pos){m->file, m->id.pos.line, m->id.pos.col}, rb->id,
			"the rulebook is no longer in force on the as-of date: it ended on %s", until);
	}
	if (illustrative) {
		char n[32];
		snprintf(n, sizeof n, "%zu", illustrative);
		note(out, (rb_pos){m->file, m->id.pos.line, m->id.pos.col}, rb->id,
			"%s illustrative parameter%s: results that use them are marked, they are not "
			"official values",
			n, illustrative == 1 ? "" : "s");
	}
	rb_free(used);
	rulebook_facts_free(f);
	rulebook_result_free(res);
	return nomem ? RULEBOOK_ERR_NOMEM : RULEBOOK_OK;
}
